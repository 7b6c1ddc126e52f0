//! Microsoft Graph: connect, deploy, audit, monitor (placeholder: filled in by its own work).

use std::rc::Rc;
use yew::prelude::*;

use crate::policy::draft::{Action, Draft};

#[derive(Properties, PartialEq)]
pub struct GraphPanelProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

#[function_component(GraphPanel)]
pub fn graph_panel(p: &GraphPanelProps) -> Html {
    let _ = (&p.draft, &p.dispatch);
    html! {}
}
