//! A Temporary Access Pass per pilot user, for users with no MFA method: they sign in with it
//! to register a passkey. The pass takes the lifetime and one-time use of the tenant's TAP
//! policy (read just before). The code is shown once, with the user's name, in this component's
//! state only: nothing stores, logs or downloads it, and "Done", closing the panel, or
//! Disconnect (which unmounts the component) forgets it.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::runs::{permission_warnings, Runner};
use crate::app::onboarding::{self, TapTerms};
use crate::app::pilot::PilotUser;
use crate::graph::ops::IssuedTap;
use crate::graph::GraphOp;
use crate::ui::widgets::clipboard::copy_from_textarea;
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct TapProps {
    pub runner: Runner,
    pub users: Vec<PilotUser>,
}

/// The pass on show: whose, its terms, the code.
struct Shown {
    user: PilotUser,
    tap: IssuedTap,
}

const CODE_ID: &str = "graph-tap-code";

#[function_component(TapPanel)]
pub fn tap_panel(p: &TapProps) -> Html {
    let shown = use_state(|| None::<std::rc::Rc<Shown>>);
    let terms = use_state(|| None::<TapTerms>);
    let copied = use_state(|| None::<String>);

    let issue = |user: PilotUser| {
        let (runner, shown, terms, copied) = (
            p.runner.clone(),
            shown.clone(),
            terms.clone(),
            copied.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            shown.set(None);
            copied.set(None);
            let run = runner.start("Reading the Temporary Access Pass policy…");
            let (shown, terms, user) = (shown.clone(), terms.clone(), user.clone());
            spawn_local(async move {
                let g = &run.g;
                let t = onboarding::read_terms(g).await;
                terms.set(Some(t.clone()));
                match onboarding::issue_tap(g, &user, &t).await {
                    Ok(tap) => {
                        run.ok(format!(
                            "Issued a Temporary Access Pass for {}.",
                            user.label()
                        ));
                        shown.set(Some(std::rc::Rc::new(Shown { user, tap })));
                    }
                    Err(f) => run.fail_with(f.to_string(), f.error),
                }
            });
        })
    };

    let on_copy = {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            copied.set(Some(if copy_from_textarea(CODE_ID) {
                "Copied.".to_string()
            } else {
                "The browser did not allow copying; select the code and copy it by hand."
                    .to_string()
            }));
        })
    };
    let on_done = {
        let (shown, copied) = (shown.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            shown.set(None);
            copied.set(None);
        })
    };

    // Closing the panel forgets the code, as "Done" does.
    let on_toggle = {
        let (shown, copied) = (shown.clone(), copied.clone());
        Callback::from(move |e: Event| {
            if !e
                .target_unchecked_into::<web_sys::Element>()
                .has_attribute("open")
            {
                shown.set(None);
                copied.set(None);
            }
        })
    };

    html! {
        <details class="graph-tap" id="graph-tap-section" ontoggle={on_toggle}>
            <summary>{"Temporary Access Pass for a pilot user (users with no MFA method)"}</summary>
            <p class="hint">{"A user with no MFA method cannot register a passkey until they sign in with a Temporary Access Pass. The pass takes the lifetime and one-time use of the tenant's Temporary Access Pass policy (read first; when it cannot be read the tenant's defaults apply), and the user must be in that policy's targets to sign in with it. Issuing a pass replaces the user's previous one."}</p>
            <p class="hint">{"Needs the delegated permission UserAuthMethod-TAP.ReadWrite.All (least privileged; UserAuthenticationMethod.ReadWrite.All also works) and the Authentication Administrator role (Privileged Authentication Administrator for users who hold an admin role)."}</p>
            {permission_warnings(&p.runner, &[GraphOp::ReadAuthMethodsPolicy, GraphOp::CreateTemporaryAccessPass])}
            if let Some(t) = (*terms).clone() {
                <p class="hint" id="graph-tap-terms">{t.note}</p>
            }
            <ul class="graph-tap-users">
                { for p.users.iter().map(|u| html! {
                    <li data-user-id={u.id.to_string()}>
                        {visible(&u.label())}{" "}
                        <button type="button" class="secondary graph-tap-issue" onclick={issue(u.clone())}>{"Issue a Temporary Access Pass"}</button>
                    </li>
                }) }
            </ul>
            if let Some(s) = (*shown).clone() {
                <div class="graph-tap-code" id="graph-tap-issued" data-user-id={s.user.id.to_string()}>
                    <p>{visible(&onboarding::issued_caption(&s.user, &s.tap))}</p>
                    <label for={CODE_ID}>{format!("Code for {}", s.user.label())}</label>
                    <textarea id={CODE_ID} readonly=true rows="1" spellcheck="false" autocomplete="off"
                        value={s.tap.code.reveal().to_string()} />
                    <div class="row">
                        <button type="button" id="graph-tap-copy" onclick={on_copy}>{"Copy"}</button>
                        <button type="button" class="secondary" id="graph-tap-done" onclick={on_done}>{"Done (forget the code)"}</button>
                    </div>
                    if let Some(c) = (*copied).clone() { <p class="hint" role="status">{c}</p> }
                </div>
            }
        </details>
    }
}
