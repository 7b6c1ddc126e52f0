//! The Graph v1.0 conditionalAccessPolicy model, import, patch and templates.
