//! Passkeys in Microsoft Authenticator, risk policies and the rollout bundle (placeholder: filled in by its own work).

use std::rc::Rc;
use yew::prelude::*;

use crate::policy::draft::{Action, Draft};

#[derive(Properties, PartialEq)]
pub struct PasskeyPanelProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

#[function_component(PasskeyPanel)]
pub fn passkey_panel(p: &PasskeyPanelProps) -> Html {
    let _ = (&p.draft, &p.dispatch);
    html! {}
}
