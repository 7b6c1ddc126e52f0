//! The export panel: the open step's policy as Graph JSON, a Graph PowerShell
//! SDK script and an Invoke-MgGraphRequest script, recomputed from the draft on
//! every change by the same `export::render` that `ca-policy export` prints.

use std::rc::Rc;
use yew::prelude::*;

use crate::app::draft::Draft;
use crate::app::export::{draft_export, draft_readiness, Problem};
use crate::export::powershell::{self, Flavour};
use crate::export::{file_name, render, Format, Operation};
use crate::policy::edit;
use crate::ui::widgets::clipboard::copy_from_textarea;
use crate::ui::widgets::download::download_bytes;
use crate::ui::widgets::hidden_note::hidden_note;

#[derive(Properties, PartialEq)]
pub struct ExportPanelProps {
    pub draft: Rc<Draft>,
}

fn textarea_id(f: Format) -> &'static str {
    match f {
        Format::Json => "export-json",
        Format::PowerShell(Flavour::Sdk) => "export-powershell",
        Format::PowerShell(Flavour::Invoke) => "export-powershell-invoke",
    }
}

fn tab_label(f: Format) -> &'static str {
    match f {
        Format::Json => "Graph JSON",
        Format::PowerShell(Flavour::Sdk) => "PowerShell (SDK cmdlets)",
        Format::PowerShell(Flavour::Invoke) => "PowerShell (Invoke-MgGraphRequest)",
    }
}

#[function_component(ExportPanel)]
pub fn export_panel(p: &ExportPanelProps) -> Html {
    let tab = use_state(|| Format::Json);
    let status = use_state(String::new);
    let draft = &p.draft;
    let index = draft.current;
    let name = edit::display_name(&draft.effective_policy(index));

    let tabs = Format::ALL.iter().map(|&f| {
        let selected = *tab == f;
        let onclick = {
            let tab = tab.clone();
            Callback::from(move |_: MouseEvent| tab.set(f))
        };
        html! {
            <button type="button" role="tab" id={format!("tab-{}", f.name())} aria-selected={selected.to_string()}
                aria-controls={format!("panel-{}", f.name())} class={classes!("tab", selected.then_some("current"))} {onclick}>
                {tab_label(f)}
            </button>
        }
    });

    // The exports change with the draft only, not with the tab or the status line.
    let exports = use_memo(draft.clone(), |d| {
        Format::ALL.map(|f| draft_export(d, d.current, f))
    });
    let readiness = use_memo(draft.clone(), |d| draft_readiness(d, d.current));
    let runnable = readiness.is_runnable();
    let panels = Format::ALL.iter().zip(exports.iter()).map(|(&f, result)| {
        let (text, error) = match result {
            Ok(t) => (t.clone(), None),
            Err(e) => (String::new(), Some(e.clone())),
        };
        let copy = {
            let status = status.clone();
            let id = textarea_id(f);
            let label = tab_label(f);
            Callback::from(move |_: MouseEvent| {
                let ok = copy_from_textarea(id);
                status.set(if ok { format!("Copied the {label} export to the clipboard.") } else { "The browser did not allow copying; select the text and copy it by hand.".into() });
            })
        };
        let download = {
            let status = status.clone();
            let fname = file_name(&name, f);
            let text = text.clone();
            Callback::from(move |_: MouseEvent| {
                let bytes = match f {
                    Format::Json => text.clone().into_bytes(),
                    Format::PowerShell(_) => powershell::script_file_bytes(&text),
                };
                match download_bytes(&fname, &bytes, if f == Format::Json { "application/json" } else { "text/plain" }) {
                    Ok(()) => status.set(format!("Downloaded {fname}.")),
                    Err(e) => status.set(format!("Download failed: {e}")),
                }
            })
        };
        let hidden = *tab != f;
        if !runnable {
            // Where the script would be: what Graph would refuse, and nothing to copy.
            return html! {
                <div role="tabpanel" id={format!("panel-{}", f.name())} aria-labelledby={format!("tab-{}", f.name())} {hidden} class="export-tab">
                    {problem_list(&format!("export-errors-{}", f.name()), "export-errors", &readiness.blocking)}
                </div>
            };
        }
        html! {
            <div role="tabpanel" id={format!("panel-{}", f.name())} aria-labelledby={format!("tab-{}", f.name())} {hidden} class="export-tab">
                if let Some(e) = error { <p class="field-error" role="alert">{format!("Cannot export: {e}")}</p> }
                <label for={textarea_id(f)} class="visually-hidden">{tab_label(f)}</label>
                <textarea id={textarea_id(f)} class="export" readonly=true spellcheck="false" rows="18" value={text} />
                <div class="row">
                    <button type="button" class="secondary" id={format!("copy-{}", f.name())} onclick={copy}>{"Copy"}</button>
                    <button type="button" class="secondary" id={format!("download-{}", f.name())} onclick={download}>{format!("Download {}", file_name(&name, f))}</button>
                </div>
            </div>
        }
    });

    // The pilot step with a new group: the group's creation, and one script that does both.
    let group = draft.new_group_body(index).filter(|_| runnable).map(|group| {
        let policy_body = draft.effective_policy(index).to_post_body();
        let group_json = render(Format::Json, &Operation::CreateGroup, std::slice::from_ref(&group)).unwrap_or_else(|e| e.to_string());
        let pilot = powershell::pilot_script(Flavour::Sdk, &group, &policy_body).unwrap_or_else(|e| format!("# cannot export: {e}"));
        html! {
            <details class="group-export" open=true>
                <summary>{"Create the pilot group first"}</summary>
                <p class="hint">{"Request to create the security group (Group.ReadWrite.All), then a single script that finds or creates the group and creates the policy narrowed to it."}</p>
                <textarea id="export-group-json" class="export" readonly=true rows="10" value={group_json} aria-label="Group creation request" />
                <textarea id="export-pilot-powershell" class="export" readonly=true rows="14" value={pilot} aria-label="Pilot script: group, then policy" />
            </details>
        }
    });

    html! {
        <section class="panel export-panel" aria-labelledby="export-heading" data-runnable={runnable.to_string()}>
            <h2 id="export-heading">{"Export"}</h2>
            {hidden_note(&draft.hidden_settings(index), "hidden-settings", None)}
            if !runnable {
                <p class="field-error" role="alert">{"Graph would refuse this policy as it is: fix these errors to get a script."}</p>
            }
            if runnable && !readiness.beside.is_empty() {
                <p class="hint">{"Read these before running the script:"}</p>
                {problem_list("export-warnings", "export-warnings", &readiness.beside)}
            }
            <div role="tablist" aria-label="Export format" class="tabs">{ for tabs }</div>
            { for panels }
            <p id="export-status" class="hint" role="status" aria-live="polite">{(*status).clone()}</p>
            {group}
        </section>
    }
}

/// The problems as a list: severity and code, the text, and where.
fn problem_list(id: &str, class: &'static str, problems: &[Problem]) -> Html {
    let items = problems.iter().map(|p| {
        html! {
            <li data-code={p.code.clone()} data-severity={p.severity.as_str()}>
                <code>{&p.code}</code>{": "}{&p.message}
                <span class="hint">{" (at "}<code>{&p.field}</code>{")"}</span>
            </li>
        }
    });
    html! { <ul id={id.to_string()} class={classes!("diagnostics", class)}>{ for items }</ul> }
}
