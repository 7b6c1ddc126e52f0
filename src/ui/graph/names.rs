//! Names for the user and group ids the draft holds without one (an imported or audited
//! policy's, an id typed by hand): one button, one `getByIds` request per thousand ids
//! (`app::name_lookup`), and each name found kept in the draft's labels, so every form, check
//! and export shows it from then on, offline too.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::runs::{permission_warnings, Runner};
use super::session::{use_graph_session, SessionAction};
use crate::app::draft::{Action, Draft};
use crate::app::name_lookup::{look_up, outcome, unnamed_ids};
use crate::graph::GraphOp;

#[derive(Properties, PartialEq)]
pub struct NameLookupProps {
    pub runner: Runner,
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

#[function_component(NameLookupSection)]
pub fn name_lookup_section(p: &NameLookupProps) -> Html {
    let session = use_graph_session();
    let ids = unnamed_ids(&p.draft);
    let onclick = {
        let (runner, dispatch, ids) = (p.runner.clone(), p.dispatch.clone(), ids.clone());
        Callback::from(move |_: MouseEvent| {
            let run = runner.start("Looking up the names of the draft's user and group ids…");
            let (dispatch, ids, session) = (dispatch.clone(), ids.clone(), session.clone());
            spawn_local(async move {
                match look_up(&run.g, &ids).await {
                    Ok(hits) => {
                        let found = outcome(&ids, &hits);
                        for a in found.labels {
                            dispatch.emit(a);
                        }
                        session.dispatch(SessionAction::NotFound(found.not_found));
                        run.ok(found.text);
                    }
                    Err(e) => run.fail(e),
                }
            });
        })
    };
    let count = ids.len();
    html! {
        <div class="graph-section" id="name-lookup" data-unnamed={count.to_string()}>
            <h3>{"Names for the draft's ids"}</h3>
            if count == 0 {
                <p class="hint">{"Every user and group id in the draft has a name."}</p>
            } else {
                <p class="hint">{format!(
                    "{count} user or group id{} in the draft {} no name yet (imported, or typed by id). \
                     One request looks the names up; the draft keeps them.",
                    if count == 1 { "" } else { "s" },
                    if count == 1 { "has" } else { "have" },
                )}</p>
                {permission_warnings(&p.runner, &[GraphOp::LookUpNames])}
                <button type="button" id="name-lookup-run" {onclick}>{"Look up their names"}</button>
            }
        </div>
    }
}
