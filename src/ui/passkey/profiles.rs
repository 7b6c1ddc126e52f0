//! The passkey panel on a tenant with passkey profiles: the configuration in words (profiles,
//! targets, the groups each profile reaches, what to hear first), the pilot profile's plan as
//! a preview of each PATCH, and, while connected, the steps sent one by one
//! (`crate::app::passkey_profiles`: re-read before each, the id read back after the add, the
//! undo on a size or limit error) with the read-back at the end.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::preview::Profiles;
use crate::app::passkey_profiles::{send_next, SendOutcome, StepMachine, StepPreview, StepState};
use crate::builders::methods::{Method as AuthMethod, Note, StepKind, METHODS_PERMISSION};
use crate::graph::{GraphOp, Progress};
use crate::ui::graph::{permission_warnings, use_graph_session, use_runs};

#[derive(Properties, PartialEq)]
pub struct ProfilesProps {
    pub profiles: Profiles,
    /// A configuration read back from the tenant: the panel puts it in the current
    /// configuration box, so the preview is rebuilt from it.
    pub on_read: Callback<(AuthMethod, String)>,
}

fn note_list(id: &'static str, notes: &[Note]) -> Html {
    if notes.is_empty() {
        return html! {};
    }
    html! {
        <ul {id} class="passkey-profile-notes">
            { for notes.iter().map(|n| html! {
                <li class={if n.warning { "field-warning" } else { "hint" }}>{&n.text}</li>
            }) }
        </ul>
    }
}

fn kind_name(k: StepKind) -> &'static str {
    match k {
        StepKind::Profiles => "profiles",
        StepKind::Targets => "targets",
    }
}

fn step_item(i: usize, step: &StepPreview, state: &str, why: Option<&str>) -> Html {
    html! {
        <li class="passkey-profile-step" data-step={(i + 1).to_string()} data-kind={kind_name(step.kind)} data-state={state.to_string()}>
            <p class="passkey-profile-step-title">{format!("Step {}: {}", i + 1, step.title)}</p>
            <pre class="passkey-profile-diff">{&step.diff}</pre>
            <details>
                <summary>{"PATCH body"}</summary>
                <pre class="passkey-profile-body">{&step.body}</pre>
            </details>
            if let Some(why) = why {
                <p class="field-error">{why}</p>
            }
        </li>
    }
}

/// A run: the machine and the steps as previewed when it started.
#[derive(Clone, PartialEq)]
struct Sent {
    machine: StepMachine,
    steps: Vec<StepPreview>,
    /// The step being sent.
    sending: Option<usize>,
}

#[function_component(PasskeyProfiles)]
pub fn passkey_profiles(p: &ProfilesProps) -> Html {
    let session = use_graph_session();
    let runs = use_runs(session.conn.clone());
    let sent = use_state(|| None::<Sent>);
    let Profiles {
        read,
        settings,
        shown,
    } = &p.profiles;

    let on_send = runs.runner.clone().map(|runner| {
        let (read, settings, steps) = (read.clone(), settings.clone(), shown.steps.clone());
        let (sent, on_read) = (sent.clone(), p.on_read.clone());
        Callback::from(move |_: MouseEvent| {
            let Ok(mut machine) = StepMachine::new(&read, &settings) else {
                return;
            };
            let run = runner.start("Sending the passkey profile steps…");
            let (sent, on_read, steps) = (sent.clone(), on_read.clone(), steps.clone());
            spawn_local(async move {
                let show = |m: &StepMachine, sending: Option<usize>| {
                    sent.set(Some(Sent {
                        machine: m.clone(),
                        steps: steps.clone(),
                        sending,
                    }))
                };
                while let Some(i) = machine.next_step() {
                    show(&machine, Some(i));
                    run.g.report(Progress::Step(format!(
                        "Step {}: reading the configuration again, then sending the PATCH…",
                        i + 1
                    )));
                    let out = send_next(&run.g, &mut machine).await;
                    show(&machine, None);
                    if let Some(back) = &machine.read_back {
                        on_read.emit((AuthMethod::Fido2, back.clone()));
                    }
                    match out {
                        Ok(SendOutcome::Sent) => {}
                        Ok(SendOutcome::Refused(r)) => {
                            // What the tenant holds now becomes the preview.
                            if let Some(now) = &machine.refused_on {
                                on_read.emit((AuthMethod::Fido2, now.clone()));
                            }
                            return run.problem(format!("Step {}: {r}.", i + 1));
                        }
                        Ok(SendOutcome::Failed { error, undone }) => {
                            return run.problem(match undone {
                                true => format!(
                                    "Step {} failed: {error}. The profile added in step 1 was removed again; the configuration read back is shown below.",
                                    i + 1
                                ),
                                false => format!("Step {} failed: {error}.", i + 1),
                            })
                        }
                        Err(e) => return run.fail(e),
                    }
                }
                run.ok("Every step was sent: the configuration read back is shown below and is now the current configuration.");
            });
        })
    });

    // The run is shown while the configuration is the one it started from or read back.
    let run = (*sent).clone().filter(|s| s.machine.is_about(read));
    let items: Vec<Html> = match &run {
        Some(s) => s
            .steps
            .iter()
            .zip(&s.machine.states)
            .enumerate()
            .map(|(i, (step, state))| {
                let name = match s.sending == Some(i) {
                    true => "sending",
                    false => state.name(),
                };
                let why = match state {
                    StepState::Refused(m) | StepState::Failed(m) => Some(m.as_str()),
                    _ => None,
                };
                step_item(i, step, name, why)
            })
            .collect(),
        None => shown
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| step_item(i, step, "pending", None))
            .collect(),
    };
    let read_back = run.as_ref().and_then(|s| s.machine.read_back.clone());
    let nothing_to_send = matches!(&shown.plan, Ok(plan) if plan.steps.is_empty());
    // An assumed configuration is never sent over: the tenant's own is read first.
    let can_send = matches!(&shown.plan, Ok(plan) if !plan.steps.is_empty())
        && !read.is_assumed()
        && run.as_ref().is_none_or(|s| s.sending.is_none());

    html! {
        <section id="passkey-profiles" class="passkey-profiles" aria-labelledby="passkey-profiles-heading">
            <h3 id="passkey-profiles-heading">{"Passkey profiles"}</h3>
            // The assumption in one line (the current-configuration box says it too), the whole
            // of it on opening.
            if let Some(assumed) = &shown.assumed {
                <details class="passkey-fold passkey-assumed">
                    <summary class="field-warning">{"Nothing pasted or read: this plan assumes Microsoft's default migrated configuration"}</summary>
                    <p class="field-warning" id="passkey-profile-assumed" role="note">{assumed}</p>
                </details>
            } else {
                <p class="hint">{"This tenant is on passkey profiles."}</p>
            }
            <pre id="passkey-profile-words">{&shown.words}</pre>
            // Side by side on a wide screen: what to hear first about the tenant's profiles, and
            // the pilot's plan over them.
            <div class="passkey-profiles-cols">
                <div>{note_list("passkey-profile-notes", &shown.first_read)}</div>
                <div>
                    <p class="hint">{"The pilot gets its own profile: added (every existing profile sent back unchanged, the new one without an id, which the service assigns), read back, then targeted at the pilot group, each PATCH only over the configuration previewed here."}</p>
                    {match &shown.plan {
                        Err(e) => html! { <p class="field-error" id="passkey-profile-plan-error" role="alert">{e.to_string()}</p> },
                        Ok(plan) => note_list("passkey-profile-plan-notes", &plan.notes),
                    }}
                    if nothing_to_send && run.is_none() {
                        <p class="hint" id="passkey-profile-done">{"Nothing to send: the pilot profile exists and the pilot group is targeted with it."}</p>
                    }
                    <ol id="passkey-profile-steps">{ for items }</ol>
                </div>
            </div>
            if let Some(runner) = runs.runner.as_ref() {
                <p class="hint">{format!("The PATCHes need {METHODS_PERMISSION}. If the run stops halfway, read the configuration again: the plan then holds only the steps left.")}</p>
                <button type="button" id="passkey-profile-send" disabled={!can_send} onclick={on_send.clone()}>{"Send the passkey profile steps"}</button>
                {permission_warnings(runner, &[GraphOp::ReadAuthMethodsPolicy, GraphOp::UpdateAuthMethod])}
                {runs.region("passkey-profiles")}
            }
            if let Some(text) = read_back {
                <div class="field">
                    <label for="passkey-profile-read-back">{"The configuration read back"}</label>
                    <textarea id="passkey-profile-read-back" readonly=true rows="14" spellcheck="false" value={text} />
                </div>
            }
        </section>
    }
}
