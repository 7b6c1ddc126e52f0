//! The grid's other connected inputs: the tenant's authentication strengths (so a custom
//! strength's AAGUID restrictions are proved, not guessed) and the pilot group's members with
//! the methods the registration report lists for them (each a row of the grid). Both are kept
//! in the Graph session, in memory only, and forgotten with the token.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::app::tenant_reads::{read_pilot_rows, read_strengths, MAX_MEMBER_ROWS};
use crate::graph::GraphOp;
use crate::guid::{Guid, GuidKind};
use crate::ui::graph::{permission_warnings, use_graph_session, use_runs, SessionAction};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The draft's pilot group id (empty without one).
    pub pilot: String,
}

#[function_component(ReadTenant)]
pub fn read_tenant(p: &Props) -> Html {
    let session = use_graph_session();
    let runs = use_runs(session.conn.clone());
    let Some(runner) = runs.runner.clone() else {
        return html! {};
    };
    let on_strengths = {
        let (runner, session) = (runner.clone(), session.clone());
        Callback::from(move |_: MouseEvent| {
            let run = runner.start("Reading the tenant's authentication strengths…");
            let session = session.clone();
            spawn_local(async move {
                match read_strengths(&run.g).await {
                    Ok(s) => {
                        session.dispatch(SessionAction::StrengthsRead(Rc::new(s)));
                        run.ok("Read the tenant's authentication strengths: the grid proves custom strengths with their AAGUID restrictions.");
                    }
                    Err(e) => run.fail(e),
                }
            });
        })
    };
    let pilot = Guid::parse(p.pilot.trim(), GuidKind::Object).ok();
    let on_pilot = {
        let (runner, session, pilot) = (runner.clone(), session.clone(), pilot.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(group) = pilot.clone() else {
                return runner.problem("The draft's pilot group is not an object id yet: pick the group in the Pilot phase first.");
            };
            let run = runner.start("Reading the pilot group's members…");
            let session = session.clone();
            spawn_local(async move {
                match read_pilot_rows(&run.g, &group).await {
                    Ok(rows) => {
                        let text = format!(
                            "Read {} of the group's {} members: {} rows added to the grid{}.",
                            rows.rows.len() + rows.not_in_report.len(),
                            rows.members,
                            rows.rows.len(),
                            match rows.not_in_report.len() {
                                0 => String::new(),
                                n => format!(" ({n} not in the registration report yet)"),
                            }
                        );
                        session.dispatch(SessionAction::PilotRowsRead(Rc::new(rows)));
                        run.ok(text);
                    }
                    Err(e) => run.fail(e),
                }
            });
        })
    };
    let read = |held: bool| if held { " (read)" } else { "" };
    html! {
        <div class="field" id="bootstrap-tenant-reads">
            <button type="button" id="bootstrap-read-strengths" onclick={on_strengths}>
                {format!("Read the tenant's authentication strengths{}", read(session.strengths.is_some()))}
            </button>
            {" "}
            <button type="button" id="bootstrap-read-pilot" onclick={on_pilot} disabled={pilot.is_none()}>
                {format!("Read the pilot group's members and their registered methods{}", read(session.pilot_rows.is_some()))}
            </button>
            if pilot.is_none() {
                <p class="hint">{"The draft has no pilot group id yet: pick the group in the Pilot phase to read its members."}</p>
            } else {
                <p class="hint">{format!("Each member (the first {MAX_MEMBER_ROWS}) becomes a row, on every device, with the methods the registration report lists for them.")}</p>
            }
            {permission_warnings(&runner, &[GraphOp::ListAuthStrengths, GraphOp::FindGroup, GraphOp::ReadRegistrationDetails])}
            {runs.region("bootstrap-tenant-read")}
        </div>
    }
}
