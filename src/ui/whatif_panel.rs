//! What-If (placeholder: filled in by its own work).

use std::rc::Rc;
use yew::prelude::*;

use crate::policy::draft::{Action, Draft};

#[derive(Properties, PartialEq)]
pub struct WhatIfPanelProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

#[function_component(WhatIfPanel)]
pub fn whatif_panel(p: &WhatIfPanelProps) -> Html {
    let _ = (&p.draft, &p.dispatch);
    html! {}
}
