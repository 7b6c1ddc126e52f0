//! The "Download change document" button: the draft's policies and its passkey and TAP method
//! settings as the change document (`app::report::draft_html`, one self-contained HTML page)
//! saved as a file; with the tenant's
//! policies once the Graph panel's audit has listed them, so the document holds the diff
//! against the tenant. Nothing leaves the page: the file is made here and saved through a Blob.

use yew::prelude::*;

use crate::app::draft::Draft;
use crate::app::report::draft_html;
use crate::ui::graph::use_graph_session;
use crate::ui::widgets::download::download_bytes;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub draft: std::rc::Rc<Draft>,
}

#[function_component(ReportButton)]
pub fn report_button(p: &Props) -> Html {
    let session = use_graph_session();
    let status = use_state(String::new);
    let onclick = {
        let draft = p.draft.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let tenant = session.tenant.as_ref().map(|t| t.policies.clone());
            let page = draft_html(&draft, tenant);
            status.set(
                match download_bytes("change-document.html", page.as_bytes(), "text/html") {
                    Ok(()) => "Saved change-document.html.".to_string(),
                    Err(e) => format!("The change document was not saved: {e}."),
                },
            );
        })
    };
    html! {
        <section class="panel" id="report-panel">
            <h2>{"Change document"}</h2>
            <p class="hint">{"For a change-approval board: the phases and order, each policy in words, the passkey and Temporary Access Pass method settings (the passkey panel's) and what each PATCH changes, the bootstrap proof as a picture, permissions and rollback per step (and the diff against the tenant once the audit has listed it). One HTML file that prints on A4 and Letter."}</p>
            <button type="button" id="report-download" {onclick}>{"Download change document"}</button>
            <p class="status" role="status" id="report-status">{(*status).clone()}</p>
        </section>
    }
}
