//! The panel: connect, the connection, Disconnect, the status region, and the operation
//! sections (shown only while connected) that the open phase needs: Prepare audits the tenant
//! (and deploys an imported policy that is open) and names the draft's unnamed ids; Pilot,
//! Everyone and Harden deploy the open step (on the pilot step with its members and Temporary
//! Access Passes); Watch monitors.
//!
//! Every request goes through `crate::graph` (the only module that sends anything). The token
//! lives in the app's Graph session and nowhere else; Disconnect drops it and unmounts every
//! section, whose results go with them.

use std::rc::Rc;

use yew::prelude::*;

use super::audit::AuditSection;
use super::connect::Connect;
use super::connection::Connection;
use super::deploy::DeploySection;
use super::monitor::MonitorSection;
use super::names::NameLookupSection;
use super::runs::use_runs;
use super::session::{use_graph_session, Conn, SessionAction};
use super::status::Status;
use crate::app::draft::{Action, Draft, StepKind};
use crate::app::phase::Phase;

#[derive(Properties, PartialEq)]
pub struct GraphPanelProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
    /// The open phase: which operation sections the panel shows.
    pub phase: Phase,
}

#[function_component(GraphPanel)]
pub fn graph_panel(p: &GraphPanelProps) -> Html {
    let session = use_graph_session();
    let runs = use_runs(session.conn.clone());

    let on_connect = {
        let (session, status) = (session.clone(), runs.status.clone());
        Callback::from(move |conn: Conn| {
            let host = conn.cloud.host();
            session.dispatch(SessionAction::Connect(conn));
            status.set(Status::quiet(format!(
                "Connected to {host}. Nothing has been sent yet."
            )));
        })
    };

    let on_disconnect = {
        let (session, status, canceller) = (session.clone(), runs.status.clone(), runs.canceller());
        Callback::from(move |_: MouseEvent| {
            canceller.cancel();
            session.dispatch(SessionAction::Disconnect);
            status.set(Status::quiet("Disconnected: the token is forgotten."));
        })
    };

    let deploy = match p.phase {
        Phase::Pilot | Phase::Everyone | Phase::Harden => true,
        Phase::Prepare => p.draft.step().kind == StepKind::Imported,
        Phase::Watch => false,
    };
    html! {
        <section class="panel graph-panel" data-phase={p.phase.name()} aria-labelledby="graph-heading" id="graph-panel">
            <h2 id="graph-heading">{"Microsoft Graph"}</h2>
            <Connect hidden={session.conn.is_some()} {on_connect} />
            if let Some(c) = session.conn.clone() {
                <Connection conn={c} />
                <button type="button" class="secondary" id="graph-disconnect" onclick={on_disconnect}>{"Disconnect (forget the token)"}</button>
            }
            {runs.region("graph")}
            if let Some(r) = runs.runner.clone() {
                if deploy {
                    <DeploySection runner={r.clone()} draft={p.draft.clone()} dispatch={p.dispatch.clone()} />
                }
                if p.phase == Phase::Prepare {
                    <AuditSection runner={r.clone()} draft={p.draft.clone()} dispatch={p.dispatch.clone()} />
                    <NameLookupSection runner={r.clone()} draft={p.draft.clone()} dispatch={p.dispatch.clone()} />
                }
                if p.phase == Phase::Watch {
                    <MonitorSection runner={r} />
                }
            }
        </section>
    }
}
