//! The tenant audit's findings as the page shows them: `analysis::audit` for each listed
//! policy against the declared break-glass accounts, every id a message or a fix names shown
//! beside its name (the draft's labels, then the catalogue; "connect to look it up" for an id
//! nothing names).

use crate::analysis::{audit, BreakGlass, Finding};
use crate::names::Labels;
use crate::policy::model::Policy;

/// The findings about one policy, in the audit's order, with names beside ids.
pub fn audit_findings(policy: &Policy, break_glass: &BreakGlass, labels: &Labels) -> Vec<Finding> {
    audit(policy, break_glass)
        .into_iter()
        .map(|mut f| {
            f.message = labels.name_ids_in(&f.message);
            f.fix = f.fix.map(|fix| labels.name_ids_in(&fix));
            f
        })
        .collect()
}
