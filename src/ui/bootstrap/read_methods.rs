//! "Read the methods policy from the tenant", shown while connected: reads the passkey (FIDO2)
//! and Temporary Access Pass configurations (the same reads as the passkey panel's deploy
//! section, `crate::graph::auth_methods::read_method_configs`) into the draft's methods form,
//! where the grid's "tenant's current settings" and the passkey panel's previews read them.
//! Progress and errors in this section's own status region, as the other runs.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::app::draft::Action;
use crate::app::rollout::MethodsEdit;
use crate::graph::auth_methods as am;
use crate::graph::GraphOp;
use crate::ui::graph::{permission_warnings, use_graph_session, use_runs};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub dispatch: Callback<Action>,
    /// Told once both configurations are in the draft (the panel then shows the tenant's).
    pub on_read: Callback<()>,
}

#[function_component(ReadMethods)]
pub fn read_methods(p: &Props) -> Html {
    let session = use_graph_session();
    let runs = use_runs(session.conn.clone());
    let Some(runner) = runs.runner.clone() else {
        return html! {};
    };
    let onclick = {
        let (runner, dispatch, on_read) = (runner.clone(), p.dispatch.clone(), p.on_read.clone());
        Callback::from(move |_: MouseEvent| {
            let run = runner.start("Reading the passkey and Temporary Access Pass configurations…");
            let (dispatch, on_read) = (dispatch.clone(), on_read.clone());
            spawn_local(async move {
                // Both or neither: a half-read policy would mix the tenant's and a default.
                let read = match am::read_method_configs(&run.g).await {
                    Ok(read) => read,
                    Err(e) => return run.fail(e),
                };
                for (m, r) in read {
                    dispatch.emit(Action::Methods(MethodsEdit::Current(m, r.text)));
                }
                on_read.emit(());
                run.ok("Read both configurations into the draft: the grid now uses the tenant's current settings (the passkey panel's previews are built on them too).");
            });
        })
    };
    html! {
        <div class="field" id="bootstrap-read">
            <button type="button" id="bootstrap-read-methods" {onclick}>{"Read the methods policy from the tenant"}</button>
            {permission_warnings(&runner, &[GraphOp::ReadAuthMethodsPolicy])}
            {runs.region("bootstrap-read")}
        </div>
    }
}
