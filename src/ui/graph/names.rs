//! Names for the ids the draft holds without one (an imported or audited policy's users,
//! groups, applications and named locations, an id typed by hand): one button, the requests of
//! `app::name_lookup`, and each name found kept in the draft's labels, so every form, check and
//! export shows it from then on, offline too.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::runs::{permission_warnings, Runner};
use super::session::{use_graph_session, SessionAction};
use crate::app::draft::{Action, Draft};
use crate::app::name_lookup::{look_up, outcome, unnamed};

#[derive(Properties, PartialEq)]
pub struct NameLookupProps {
    pub runner: Runner,
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

#[function_component(NameLookupSection)]
pub fn name_lookup_section(p: &NameLookupProps) -> Html {
    let session = use_graph_session();
    // An id the tenant did not return is not asked about again.
    let (ids, missing) = unnamed(&p.draft).without(&session.not_found);
    let onclick = {
        let (runner, dispatch, ids) = (p.runner.clone(), p.dispatch.clone(), ids.clone());
        Callback::from(move |_: MouseEvent| {
            let run = runner.start("Looking up the names of the draft's ids…");
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
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    html! {
        <div class="graph-section" id="name-lookup" data-unnamed={count.to_string()} data-not-found={missing.to_string()}>
            <h3>{"Names for the draft's ids"}</h3>
            if missing > 0 {
                <p class="hint" id="name-lookup-missing">{format!(
                    "{} id{} the tenant did not return, shown as \"not found in the tenant\": deleted, of \
                     another kind than its list holds, or an application without a service principal in the \
                     tenant. A policy's include or exclude list reaches nothing through such an id.",
                    missing,
                    plural(missing),
                )}</p>
            }
            if count == 0 && missing == 0 {
                <p class="hint">{"Every user, group, application and named location id in the draft has a name."}</p>
            } else if count > 0 {
                <p class="hint">{format!(
                    "{count} user, group, application or named location id{} in the draft {} no name yet (imported, or typed by id). \
                     One click looks the names up; the draft keeps them.",
                    plural(count),
                    if count == 1 { "has" } else { "have" },
                )}</p>
                {permission_warnings(&p.runner, &ids.ops())}
                <button type="button" id="name-lookup-run" {onclick}>{"Look up their names"}</button>
            }
        </div>
    }
}
