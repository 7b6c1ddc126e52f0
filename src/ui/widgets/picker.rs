//! A picker: the ids a list holds as removable entries with their names, and a combobox that
//! suggests users, groups, roles, apps or named locations by name as the admin types (Graph
//! when connected, the catalogue offline; a pasted id always works). The model is
//! `app::picker`; this only renders it and sends the search it asks for.
//!
//! The draft's lists are changed by dispatching the draft's actions. A list the caller keeps
//! elsewhere ([`PickTarget::Outside`], What-If's persona) is passed in as `held` and each new
//! list goes to `on_change`; the name chosen is still kept as a draft label either way.
//!
//! Keyboard: Down/Up move through the suggestions, Enter chooses, Escape closes. The input is
//! a `combobox` owning a `listbox`, and `aria-activedescendant` names the suggestion the arrow
//! keys are on, so a screen reader follows without moving focus.

use std::rc::Rc;
use std::time::Duration;

use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::draft::{Action, Draft};
use crate::app::picker::{
    choose, remove, with_chosen, without, PickTarget, Picker, PickerStatus, DEBOUNCE_MS,
};
use crate::graph::ops::{read_search, search_request, DirectoryKind, Hit};
use crate::graph::permissions::warning_for;
use crate::graph::{Graph, WebTransport};
use crate::names::{Naming, Slot};
use crate::ui::graph::use_graph_session;

#[derive(Properties)]
pub struct PickerProps {
    /// The picker's element id; the input is `{id}-input`, the suggestions `{id}-list`.
    pub id: AttrValue,
    pub label: AttrValue,
    pub target: PickTarget,
    pub draft: Rc<Draft>,
    /// The draft's actions: the list's new ids (a draft target) and the name as a label.
    pub dispatch: Callback<Action>,
    /// For [`PickTarget::Outside`]: the ids the caller holds now.
    #[prop_or_default]
    pub held: Vec<String>,
    /// For [`PickTarget::Outside`]: takes the list a choice or a removal makes of `held`.
    #[prop_or_default]
    pub on_change: Option<Callback<Vec<String>>>,
}

/// The draft by pointer: every edit makes a new one, and a form renders a dozen pickers, so
/// comparing whole drafts on each keystroke would be wasted work.
impl PartialEq for PickerProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.draft, &other.draft)
            && self.id == other.id
            && self.label == other.label
            && self.target == other.target
            && self.dispatch == other.dispatch
            && self.held == other.held
            && self.on_change == other.on_change
    }
}

fn slot(kind: DirectoryKind) -> Slot {
    match kind {
        DirectoryKind::App => Slot::Applications,
        DirectoryKind::Location => Slot::Locations,
        _ => Slot::Users,
    }
}

#[function_component(PickerField)]
pub fn picker_field(p: &PickerProps) -> Html {
    let kind = p.target.kind();
    let model = use_mut_ref(|| Picker::new(kind));
    let redraw = use_force_update();
    let session = use_graph_session();
    let conn = session.conn.clone();
    let labels = &p.draft.labels;
    let state = session.lookup_state();
    let names = Naming::new(labels, state.lookup());
    let input_id = format!("{}-input", p.id);
    let list_id = format!("{}-list", p.id);

    // The ids shown as chosen: the draft's, or the caller's for a list outside it.
    let ids = match p.target {
        PickTarget::Outside { .. } => p.held.clone(),
        target => target.ids(&p.draft),
    };
    // Choosing: the id into its list, the name into the labels; the text is cleared.
    let pick = {
        let (draft, dispatch, target) = (p.draft.clone(), p.dispatch.clone(), p.target);
        let (held, on_change) = (ids.clone(), p.on_change.clone());
        let (model, redraw) = (model.clone(), redraw.clone());
        Rc::new(move |hit: Hit| {
            let (actions, refused) = choose(&draft, target, &hit);
            if let (PickTarget::Outside { one, .. }, Some(cb)) = (target, &on_change) {
                cb.emit(with_chosen(held.clone(), one, &hit));
            }
            model.borrow_mut().close();
            if let Some(e) = refused {
                model.borrow_mut().status =
                    PickerStatus::Note(format!("The name is not kept: {e}."));
            }
            for a in actions {
                dispatch.emit(a);
            }
            redraw.force_update();
        })
    };

    let oninput = {
        let (model, redraw, conn) = (model.clone(), redraw.clone(), conn.clone());
        let labels = labels.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            let ticket = model.borrow_mut().type_text(&text, conn.is_some(), &labels);
            redraw.force_update();
            let (Some(ticket), Some(c)) = (ticket, conn.clone()) else {
                return;
            };
            let (model, redraw, labels) = (model.clone(), redraw.clone(), labels.clone());
            spawn_local(async move {
                yew::platform::time::sleep(Duration::from_millis(DEBOUNCE_MS.into())).await;
                let Some(query) = model.borrow_mut().due(ticket) else {
                    return;
                };
                redraw.force_update();
                let answer = match search_request(c.cloud, kind, &query) {
                    Some(request) => {
                        let g = Graph::new(WebTransport::new(c.cloud, c.token.clone()), c.cloud);
                        match g.send(&request).await {
                            Ok(r) => read_search(kind, &query, &r),
                            Err(e) => Err(e),
                        }
                    }
                    None => Ok(vec![]),
                };
                if model.borrow_mut().accept(ticket, answer, &labels) {
                    redraw.force_update();
                }
            });
        })
    };

    let onkeydown = {
        let (model, redraw, pick) = (model.clone(), redraw.clone(), pick.clone());
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            match key.as_str() {
                "ArrowDown" | "ArrowUp" => {
                    e.prevent_default();
                    model
                        .borrow_mut()
                        .move_active(if key == "ArrowDown" { 1 } else { -1 });
                }
                "Enter" => {
                    e.prevent_default();
                    let hit = model.borrow().active_hit().cloned();
                    if let Some(hit) = hit {
                        pick(hit);
                        e.target_unchecked_into::<HtmlInputElement>().set_value("");
                    }
                }
                "Escape" => model.borrow_mut().close(),
                _ => return,
            }
            redraw.force_update();
        })
    };

    let m = model.borrow();
    let open = !m.results.is_empty();
    let option_id = |i: usize| format!("{list_id}-{i}");
    let active = m.active.map(option_id);
    let chips = ids.iter().map(|id| {
        let shown = names.describe_in(slot(kind), id);
        let onclick = {
            let (draft, dispatch, target, id) = (p.draft.clone(), p.dispatch.clone(), p.target, id.clone());
            let (held, on_change) = (ids.clone(), p.on_change.clone());
            Callback::from(move |_: MouseEvent| match (remove(&draft, target, &id), &on_change) {
                (Some(action), _) => dispatch.emit(action),
                (None, Some(cb)) => cb.emit(without(held.clone(), &id)),
                (None, None) => {}
            })
        };
        html! {
            <li class="chip" data-id={id.clone()}>
                <span>{shown.clone()}</span>
                <button type="button" class="link" aria-label={format!("Remove {shown}")} {onclick}>{"×"}</button>
            </li>
        }
    });
    let options = m.results.iter().enumerate().map(|(i, hit)| {
        let onmousedown = {
            let (pick, hit) = (pick.clone(), hit.clone());
            // mousedown, not click: the input keeps focus and the list is still there.
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                pick(hit.clone());
            })
        };
        let name = if hit.name.is_empty() { names.describe(&hit.id) } else { hit.name.clone() };
        html! {
            <li role="option" id={option_id(i)} data-id={hit.id.clone()} aria-selected={(m.active == Some(i)).to_string()} {onmousedown}>
                {name}
                if let Some(d) = &hit.detail { <small>{format!(" {d}")}</small> }
            </li>
        }
    });
    // Connected with a token that cannot search this kind: said before the admin types.
    let lacks = conn
        .as_ref()
        .and_then(|c| warning_for(kind.op(), c.token.claims()));
    let note = match &m.status {
        PickerStatus::Note(n) => Some(n.clone()),
        PickerStatus::Searching => Some("Searching…".to_string()),
        _ => None,
    };
    html! {
        <div class="field picker" id={p.id.clone()}>
            <label for={input_id.clone()}>{&p.label}</label>
            if !ids.is_empty() { <ul class="chips" aria-label={format!("{}: chosen", p.label)}>{ for chips }</ul> }
            <input type="text" id={input_id} role="combobox" autocomplete="off" spellcheck="false"
                data-picker={kind.as_str()} value={m.query.clone()} {oninput} {onkeydown}
                aria-autocomplete="list" aria-expanded={open.to_string()} aria-controls={list_id.clone()}
                aria-activedescendant={active} placeholder="Type a name or paste an id" />
            <ul id={list_id.clone()} role="listbox" class="suggestions" hidden={!open}>{ for options }</ul>
            if let Some(w) = lacks { <p class="field-warning graph-permission-warning" role="note">{w}</p> }
            if let Some(n) = note { <p class="hint" role="status">{n}</p> }
        </div>
    }
}
