//! One fix: a change to a draft policy, shown as a diff before it is applied (then the grid is
//! computed again from the new draft); or a hand-off to the Graph panel's Temporary Access Pass
//! issuance or the passkey panel's plan.

use std::rc::Rc;
use yew::prelude::*;

use super::go_to;
use crate::app::bootstrap::Fix;
use crate::app::draft::{Action, Draft};
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct FixProps {
    pub fix: Fix,
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
    pub connected: bool,
}

#[function_component(FixButton)]
pub fn fix_button(p: &FixProps) -> Html {
    let label = p.fix.label();
    match &p.fix {
        Fix::Policy { changes, .. } => {
            let onclick = {
                let (fix, draft, dispatch) = (p.fix.clone(), p.draft.clone(), p.dispatch.clone());
                Callback::from(move |_: MouseEvent| {
                    if let Some(d) = fix.apply(&draft) {
                        dispatch.emit(Action::Replace(Box::new(d)));
                    }
                })
            };
            html! {
                <div class="bootstrap-fix" data-fix="policy">
                    <p><strong>{visible(&label)}</strong>{": the change to the draft"}</p>
                    <ul class="diff">{ for changes.iter().map(|c| html! { <li>{visible(c)}</li> }) }</ul>
                    <button type="button" class="bootstrap-apply" {onclick}>{"Apply this change to the draft"}</button>
                </div>
            }
        }
        Fix::IssueTap if p.connected => html! {
            <div class="bootstrap-fix" data-fix="tap">
                <button type="button" onclick={Callback::from(|_: MouseEvent| go_to("graph-tap-section"))}>{label}</button>
            </div>
        },
        Fix::IssueTap => html! {
            <p class="bootstrap-fix hint" data-fix="tap">{label}{": connect to Microsoft Graph to issue one to each pilot user without an MFA method."}</p>
        },
        Fix::PasskeyPlan => html! {
            <div class="bootstrap-fix" data-fix="passkey">
                <button type="button" onclick={Callback::from(|_: MouseEvent| go_to("passkey-panel"))}>{label}</button>
            </div>
        },
    }
}
