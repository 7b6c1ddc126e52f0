//! The bootstrap panel: the grid's choices (report-only as On, the tenant's policies, where
//! the passkey and TAP method settings come from: the draft's methods form, planned or as the
//! tenant holds them), reading the tenant's methods policy into the draft while connected (and
//! its strengths and the pilot's registered methods into the session), the admin's own
//! personas, the grid, the open cell's journey and the proof before a switch On.
//! Computed only while the panel is open, once per change of the choices, the draft or the
//! session.

use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::grid::BootstrapGrid;
use super::journey::Journey;
use super::persona_form::PersonaForm;
use super::read_methods::ReadMethods;
use super::read_tenant::ReadTenant;
use super::switch_on::SwitchOnSection;
use crate::app::bootstrap::{
    grid_view, methods_of, switch_on, switchable, BootstrapForm, GridView, MethodsSource,
    TenantInputs,
};
use crate::app::draft::{Action, Draft};
use crate::app::rollout::draft_pilot_id;
use crate::ui::graph::use_graph_session;

#[derive(Properties, PartialEq)]
pub struct BootstrapPanelProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

/// The grid's choices in a reducer: a read that ends after another choice changed keeps it.
#[derive(PartialEq)]
struct Choices(BootstrapForm);

struct Choose(Box<dyn FnOnce(&mut BootstrapForm)>);

impl Reducible for Choices {
    type Action = Choose;
    fn reduce(self: Rc<Self>, c: Choose) -> Rc<Self> {
        let mut f = self.0.clone();
        (c.0)(&mut f);
        Rc::new(Choices(f))
    }
}

#[function_component(BootstrapPanel)]
pub fn bootstrap_panel(p: &BootstrapPanelProps) -> Html {
    let choices = use_reducer(|| {
        Choices(BootstrapForm {
            with_tenant: true,
            ..BootstrapForm::default()
        })
    });
    let form = &choices.0;
    let open = use_state(|| false);
    let cell = use_state(|| None::<(usize, usize)>);
    let chosen = use_state(|| None::<usize>);
    // Only a step that is still report-only can be switched (one just switched On drops out).
    let steps = switchable(&p.draft);
    let picked = chosen.filter(|i| steps.iter().any(|(j, _)| j == i));
    let session = use_graph_session();
    let shown = use_memo(
        (
            form.clone(),
            p.draft.clone(),
            session.clone(),
            *open,
            picked,
        ),
        |(form, draft, session, open, chosen)| {
            if !*open {
                return None;
            }
            // The draft's methods form: the passkey panel's plan, or the tenant's as held.
            let tenant = TenantInputs {
                policies: session.tenant.as_deref().filter(|_| form.with_tenant),
                strengths: session.strengths.as_deref(),
                pilot_rows: session.pilot_rows.as_deref(),
            };
            let tenant = &tenant;
            let (grid, switch) = match methods_of(form, draft) {
                Ok(m) => {
                    let g = grid_view(draft, tenant, m.clone(), form.preview_on);
                    let s =
                        chosen.and_then(|i| switch_on(draft, tenant, m, form.preview_on, i, &g));
                    (g, s.map(Rc::new))
                }
                Err(e) => (
                    GridView {
                        error: Some(e),
                        ..GridView::default()
                    },
                    None,
                ),
            };
            Some((Rc::new(grid), switch))
        },
    );
    let set = |change: fn(&mut BootstrapForm, String)| {
        let choices = choices.clone();
        Callback::from(move |v: String| choices.dispatch(Choose(Box::new(move |f| change(f, v)))))
    };
    let check = |id: &'static str,
                 label: String,
                 on: bool,
                 change: fn(&mut BootstrapForm, String)| {
        let cb = set(change);
        let onchange = Callback::from(move |e: Event| {
            cb.emit(
                e.target_unchecked_into::<HtmlInputElement>()
                    .checked()
                    .to_string(),
            )
        });
        html! { <label class="check" for={id}><input type="checkbox" {id} checked={on} {onchange} />{" "}{label}</label> }
    };
    let on_methods = {
        let cb = set(|f, v| f.methods = MethodsSource::from_code(&v));
        Callback::from(move |e: Event| {
            cb.emit(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };
    // Once the tenant's configurations are read, the grid shows them.
    let on_read = {
        let choices = choices.clone();
        Callback::from(move |()| {
            choices.dispatch(Choose(Box::new(|f| f.methods = MethodsSource::Tenant)))
        })
    };
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            open.set(
                e.target_unchecked_into::<web_sys::HtmlDetailsElement>()
                    .open(),
            )
        })
    };
    let on_open = {
        let cell = cell.clone();
        Callback::from(move |rc: (usize, usize)| cell.set(Some(rc)))
    };
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |i: Option<usize>| chosen.set(i))
    };

    let body = (*shown).clone().map(|(grid, switch)| {
        let (ready, total) = grid.ready_count();
        let journey = (*cell)
            .filter(|(r, c)| grid.shown(*r, *c))
            .and_then(|(r, c)| Some((r, c, grid.cells.get(r)?.get(c)?.clone())))
            .map(|(r, c, cl)| html! {
                <Journey persona={grid.rows[r].clone()} device={grid.columns[c].clone()} cell={cl}
                    draft={p.draft.clone()} dispatch={p.dispatch.clone()} connected={session.conn.is_some()} />
            });
        html! {
            <>
                if let Some(e) = &grid.error { <p class="field-error" role="alert" id="bootstrap-error">{e}</p> }
                if total > 0 {
                    <p id="bootstrap-summary" role="status">{format!("{ready} of {total} persona × device cells ready.")}</p>
                    <BootstrapGrid grid={grid.clone()} open={*cell} on_open={on_open.clone()} />
                }
                // One slot, so opening a journey never shifts (and re-creates) the grid before it.
                <div class="bootstrap-journey-slot">{for journey}</div>
                if !grid.notes.is_empty() { <h3>{"Assumptions"}</h3><ul class="hint">{ for grid.notes.iter().map(|n| html! { <li>{n}</li> }) }</ul> }
                <SwitchOnSection steps={steps.clone()} chosen={picked} {on_choose} proof={switch} dispatch={p.dispatch.clone()} />
            </>
        }
    });
    let f = form;
    html! {
        <details class="panel bootstrap-panel" id="bootstrap-panel" open={*open} {ontoggle}>
            <summary><h2 class="inline">{"Can each persona get a passkey? (bootstrap proof)"}</h2></summary>
            <p class="hint">{"Each built-in persona (in the pilot group, when the draft has one) on each kind of device, and your own personas on theirs: can they reach registration, register a passkey in Microsoft Authenticator, then sign in with it? Proved in this browser against the draft's policies (and the tenant's, once the Graph panel's audit has listed them)."}</p>
            {check("bootstrap-preview-on", "Treat Report-only policies as On (preview the rollout)".into(), f.preview_on, |f, v| f.preview_on = v == "true")}
            if let Some(t) = &session.tenant {
                {check("bootstrap-tenant", format!("With the tenant's {} policies, as listed by the audit", t.policies.len()), f.with_tenant, |f, v| f.with_tenant = v == "true")}
            }
            <div class="field">
                <label for="bootstrap-methods">{"Passkey and Temporary Access Pass method settings"}</label>
                <select id="bootstrap-methods" onchange={on_methods}>
                    { for MethodsSource::ALL.iter().map(|m| html! { <option value={m.code()} selected={f.methods == *m}>{m.words()}</option> }) }
                </select>
            </div>
            <p class="hint" id="bootstrap-methods-used">{f.methods.explanation(&p.draft.methods)}</p>
            if session.conn.is_some() {
                <ReadMethods dispatch={p.dispatch.clone()} {on_read} />
                <ReadTenant pilot={draft_pilot_id(&p.draft)} />
            } else {
                <p class="hint">{"Connected to Microsoft Graph, this panel reads the tenant's methods policy into the draft; offline, paste the configurations into the passkey panel's \"Current …\" boxes."}</p>
            }
            <PersonaForm personas={p.draft.personas.clone()} dispatch={p.dispatch.clone()} />
            {for body}
        </details>
    }
}
