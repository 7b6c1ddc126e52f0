//! Policy-set analysis: lint and What-If.
