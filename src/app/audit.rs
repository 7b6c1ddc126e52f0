//! The tenant audit's findings as the page shows them: `analysis::audit` for each listed
//! policy against the declared break-glass accounts, every id a message or a fix names shown
//! beside its name, as [`Naming`] words it.

use crate::analysis::{audit, BreakGlass, Finding};
use crate::names::Naming;
use crate::policy::model::Policy;

/// The findings about one policy, in the audit's order, with names beside ids.
pub fn audit_findings(policy: &Policy, break_glass: &BreakGlass, names: Naming) -> Vec<Finding> {
    audit(policy, break_glass)
        .into_iter()
        .map(|mut f| {
            f.message = names.name_ids_in(&f.message);
            f.fix = f.fix.map(|fix| names.name_ids_in(&fix));
            f
        })
        .collect()
}
