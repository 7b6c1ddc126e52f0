//! The connect form: the cloud, and the token pasted into a textarea read through a `NodeRef`
//! (so the pasted text is never Yew state) and emptied once connected.

use std::rc::Rc;

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::session::Conn;
use crate::graph::{Cloud, Token};

/// The form's state: the cloud chosen, and why the last token pasted was refused.
#[derive(Clone, PartialEq)]
struct ConnectForm {
    cloud: Cloud,
    error: Option<String>,
}

#[derive(Properties, PartialEq)]
pub struct ConnectProps {
    /// Hidden while connected (kept mounted, so the chosen cloud stays).
    pub hidden: bool,
    pub on_connect: Callback<Conn>,
}

#[function_component(Connect)]
pub fn connect(p: &ConnectProps) -> Html {
    let form = use_state(|| ConnectForm {
        cloud: Cloud::Global,
        error: None,
    });
    let token_ref = use_node_ref();
    // Shown again after a Disconnect: empty, with no old complaint.
    {
        let (form, token_ref) = (form.clone(), token_ref.clone());
        use_effect_with(p.hidden, move |hidden| {
            if !*hidden {
                if let Some(ta) = token_ref.cast::<HtmlTextAreaElement>() {
                    ta.set_value("");
                }
                if form.error.is_some() {
                    form.set(ConnectForm {
                        error: None,
                        ..(*form).clone()
                    });
                }
            }
        });
    }

    let on_cloud = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(cloud) = Cloud::from_id(&v) {
                form.set(ConnectForm {
                    cloud,
                    ..(*form).clone()
                });
            }
        })
    };

    let on_connect = {
        let (form, token_ref, on_connect) = (form.clone(), token_ref.clone(), p.on_connect.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(ta) = token_ref.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let cloud = form.cloud;
            // TokenError never quotes the input, so its text is safe to show.
            match Token::parse(&ta.value()) {
                Ok(token) => {
                    ta.set_value("");
                    form.set(ConnectForm { cloud, error: None });
                    on_connect.emit(Conn {
                        token: Rc::new(token),
                        cloud,
                    });
                }
                Err(e) => form.set(ConnectForm {
                    cloud,
                    error: Some(e.to_string()),
                }),
            }
        })
    };

    html! {
        <div class="graph-connect" hidden={p.hidden}>
            <label for="graph-cloud">{"Cloud"}</label>
            <select id="graph-cloud" onchange={on_cloud}>
                { for Cloud::ALL.iter().map(|c| html! {
                    <option value={c.id()} selected={*c == form.cloud}>{c.label()}</option>
                }) }
            </select>
            <label for="graph-token">{"Access token for Microsoft Graph"}</label>
            <p class="hint" id="graph-token-hint">
                {"Paste the output of "}<code>{"az account get-access-token --resource https://graph.microsoft.com --query accessToken -o tsv"}</code>
                {" or "}<code>{"(Get-AzAccessToken -ResourceTypeName MSGraph).Token"}</code>{". It stays in this tab's memory only: never stored, never in the link, sent only to the chosen Graph host."}
            </p>
            <textarea id="graph-token" ref={token_ref} rows="3" spellcheck="false" autocomplete="off"
                aria-invalid={form.error.is_some().to_string()} aria-describedby="graph-token-hint graph-token-message" />
            <div id="graph-token-message" class="field-messages">
                if let Some(e) = form.error.clone() { <p class="field-error" role="alert">{format!("Not a usable token: {e}.")}</p> }
            </div>
            <button type="button" id="graph-connect" onclick={on_connect}>{"Connect"}</button>
        </div>
    }
}
