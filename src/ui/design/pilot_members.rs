//! The pilot's members: users the rollout script adds to the pilot group. Connected, the picker
//! searches users by name; with or without a connection, a user principal name or an object id
//! can be typed. Each typed entry is checked as the script will use it, and refused with why.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::draft::{Action, Draft};
use crate::app::picker::PickTarget;
use crate::builders::rollout::check_member;
use crate::graph::ops::DirectoryKind;
use crate::ui::widgets::picker::PickerField;
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct PilotMembersProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

#[function_component(PilotMembers)]
pub fn pilot_members(p: &PilotMembersProps) -> Html {
    let text = use_state(String::new);
    let error = use_state(|| None::<String>);
    let add = {
        let (text, error, dispatch) = (text.clone(), error.clone(), p.dispatch.clone());
        move || match check_member(&text) {
            Ok(m) => {
                dispatch.emit(Action::AddPilotMember(m));
                text.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let on_click = {
        let add = add.clone();
        Callback::from(move |_: MouseEvent| add())
    };
    let on_key = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
            add();
        }
    });
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    // The picker hands back the whole list; the draft takes the one entry added or removed.
    let on_change = {
        let (held, dispatch) = (p.draft.pilot_members.clone(), p.dispatch.clone());
        Callback::from(
            move |ids: Vec<String>| match held.iter().position(|m| !ids.contains(m)) {
                Some(i) => dispatch.emit(Action::RemovePilotMember(i)),
                None => ids
                    .iter()
                    .filter(|id| !held.contains(id))
                    .for_each(|id| dispatch.emit(Action::AddPilotMember(id.clone()))),
            },
        )
    };
    let target = PickTarget::Outside {
        kind: DirectoryKind::User,
        one: false,
    };
    html! {
        <div class="pilot-members" id="pilot-members">
            <PickerField id="picker-pilot-members" label="Pilot members: search users by name" {target} draft={p.draft.clone()}
                dispatch={p.dispatch.clone()} held={p.draft.pilot_members.clone()} {on_change} />
            <label for="field-pilot-member">{"…or type a user principal name or object id (the rollout script adds each member to the group, looking every one up before it writes anything)"}</label>
            <div class="row">
                <input type="text" id="field-pilot-member" spellcheck="false" autocomplete="off"
                    value={(*text).clone()} oninput={on_input} onkeydown={on_key}
                    aria-invalid={error.is_some().to_string()} aria-describedby="pilot-member-error" />
                <button type="button" class="secondary" id="add-pilot-member" onclick={on_click}>{"Add"}</button>
            </div>
            <p id="pilot-member-error" class="field-error" role="alert">{(*error).clone().map(|e| visible(&e)).unwrap_or_default()}</p>
        </div>
    }
}
