//! What-If's choices as one struct, and what they give: the simulated sign-in's evaluations
//! (with the headline derived from them) and the persona matrix, computed from the choices, the
//! draft and the tenant's policies alone.

use crate::analysis::CompiledPolicySet;
use crate::app::draft::Draft;
use crate::app::whatif::{self, persona_headlines, Headline, WhatIfForm, WhatIfRun};
use crate::graph::flows::PolicyList;
use crate::names::Naming;

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
    /// The sign-in's evaluations; the headline comes from them.
    pub run: WhatIfRun,
    /// Why the device described could not be read, when it could not.
    pub device_problem: Option<String>,
    /// (persona, headline).
    pub matrix: Vec<(&'static str, Headline)>,
}

pub fn preview(c: &Choices, draft: &Draft, tenant: Option<&PolicyList>, names: Naming) -> Preview {
    let tenant = tenant.filter(|_| c.with_tenant);
    let policies = whatif::policy_set(draft, &c.excluded, c.preview_on, tenant);
    let set = CompiledPolicySet::new(&policies);
    let (scenario, device_problem) = c.form.scenario();
    Preview {
        run: WhatIfRun::new(&set, &scenario, names),
        device_problem,
        matrix: persona_headlines(&set, names),
    }
}
