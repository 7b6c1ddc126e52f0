//! What-If's choices as one struct, and what they give: the simulated sign-in's verdicts and
//! the persona matrix, computed from the choices, the draft and the tenant's policies alone.

use crate::analysis::{matrix, CompiledPolicySet, WhatIf};
use crate::app::draft::Draft;
use crate::app::whatif::{self, outcome_words, WhatIfForm};
use crate::graph::flows::PolicyList;

/// Everything the admin chose in the panel.
#[derive(Clone, PartialEq)]
pub struct Choices {
    pub form: WhatIfForm,
    /// Report-only steps count as On.
    pub preview_on: bool,
    /// The draft's steps left out of the simulation, by index.
    pub excluded: Vec<usize>,
    /// The tenant's policies count too (once the audit has listed them).
    pub with_tenant: bool,
}

impl Default for Choices {
    fn default() -> Self {
        Choices {
            form: WhatIfForm::default(),
            preview_on: true,
            excluded: vec![],
            with_tenant: true,
        }
    }
}

pub struct Preview {
    pub result: WhatIf,
    /// (code, words) of the sign-in's outcome.
    pub outcome: (&'static str, String),
    /// Why the device described could not be read, when it could not.
    pub device_problem: Option<String>,
    /// (persona, outcome code, words).
    pub matrix: Vec<(&'static str, &'static str, String)>,
}

pub fn preview(c: &Choices, draft: &Draft, tenant: Option<&PolicyList>) -> Preview {
    let tenant = tenant.filter(|_| c.with_tenant);
    let policies = whatif::policy_set(draft, &c.excluded, c.preview_on, tenant);
    let set = CompiledPolicySet::new(&policies);
    let (scenario, device_problem) = c.form.scenario();
    let outcome = set.outcome_with_preceding(&scenario);
    Preview {
        result: set.evaluate(&scenario),
        outcome: outcome_words(&outcome),
        device_problem,
        matrix: matrix(&policies)
            .into_iter()
            .map(|(persona, o)| {
                let (code, words) = outcome_words(&o);
                (persona, code, words)
            })
            .collect(),
    }
}
