//! "Add your own persona": a name, the methods held (Graph's `methodsRegistered` vocabulary),
//! the device (one of the grid's columns), member or guest and, optionally, groups. Checked by
//! `crate::app::draft::CustomPersona` and kept in the draft (`Action::AddPersona`), so a reload
//! or a share link keeps it; each kept persona can be removed.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::analysis::bootstrap::MethodRegistered;
use crate::app::draft::{can_add, device_kinds, Action, CustomPersona};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub personas: Vec<CustomPersona>,
    pub dispatch: Callback<Action>,
}

#[derive(Clone, PartialEq, Default)]
struct Fields {
    name: String,
    methods: Vec<MethodRegistered>,
    device: String,
    guest: bool,
    groups: String,
}

#[function_component(PersonaForm)]
pub fn persona_form(p: &Props) -> Html {
    let devices = device_kinds();
    let fields = use_state(|| Fields {
        methods: vec![MethodRegistered::Password],
        device: devices.first().cloned().unwrap_or_default(),
        ..Fields::default()
    });
    let error = use_state(String::new);
    let change = |f: fn(&mut Fields, &Event)| {
        let fields = fields.clone();
        Callback::from(move |e: Event| {
            let mut v = (*fields).clone();
            f(&mut v, &e);
            fields.set(v);
        })
    };
    let input = |f: fn(&mut Fields, String)| {
        let fields = fields.clone();
        Callback::from(move |e: InputEvent| {
            let mut v = (*fields).clone();
            f(
                &mut v,
                e.target_unchecked_into::<HtmlInputElement>().value(),
            );
            fields.set(v);
        })
    };
    let on_add = {
        let (fields, error, dispatch, kept) = (
            fields.clone(),
            error.clone(),
            p.dispatch.clone(),
            p.personas.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = &*fields;
            let groups: Vec<String> = f
                .groups
                .split(|c: char| c == ',' || c.is_whitespace())
                .map(str::to_string)
                .collect();
            match CustomPersona::new(&f.name, &f.methods, &f.device, f.guest, &groups)
                .and_then(|persona| can_add(&kept, &persona).map(|()| persona))
            {
                Ok(persona) => {
                    error.set(String::new());
                    dispatch.emit(Action::AddPersona(persona));
                    fields.set(Fields {
                        name: String::new(),
                        ..f.clone()
                    });
                }
                Err(e) => error.set(format!("Not added: {e}.")),
            }
        })
    };
    let f = &*fields;
    let methods = MethodRegistered::KNOWN.iter().enumerate().map(|(i, m)| {
        let id = format!("bootstrap-persona-method-{}", m.as_str());
        let checked = f.methods.contains(m);
        let onchange = {
            let fields = fields.clone();
            Callback::from(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                let mut v = (*fields).clone();
                let m = MethodRegistered::KNOWN[i].clone();
                v.methods.retain(|x| *x != m);
                if on {
                    v.methods.push(m);
                }
                fields.set(v);
            })
        };
        html! { <label class="check" for={id.clone()}><input type="checkbox" {id} value={m.as_str().to_string()} {checked} {onchange} />{" "}<code>{m.as_str()}</code></label> }
    });
    let kept = p.personas.iter().enumerate().map(|(i, k)| {
        let methods: Vec<&str> = k.methods_registered.iter().map(|m| m.as_str()).collect();
        let onclick = p.dispatch.reform(move |_: MouseEvent| Action::RemovePersona(i));
        html! {
            <li data-persona={k.name.clone()}>{format!("{} ({}, on {}): {}", k.name, if k.guest { "guest" } else { "member" }, k.device, methods.join(", "))}
                if !k.groups.is_empty() { {format!("; groups {}", k.groups.join(", "))} }
                {" "}<button type="button" class="secondary" id={format!("bootstrap-persona-remove-{i}")} {onclick}>{"Remove"}</button></li>
        }
    });
    html! {
        <details class="bootstrap-personas" id="bootstrap-personas">
            <summary>{format!("Add your own persona ({} kept with the draft)", p.personas.len())}</summary>
            if !p.personas.is_empty() { <ul id="bootstrap-persona-list">{ for kept }</ul> }
            <form id="bootstrap-persona-form" onsubmit={on_add}>
                <div class="field"><label for="bootstrap-persona-name">{"Name"}</label>
                    <input id="bootstrap-persona-name" type="text" value={f.name.clone()} maxlength="80"
                        oninput={input(|v, t| v.name = t)} /></div>
                <fieldset class="field"><legend>{"Methods registered (Graph's methodsRegistered)"}</legend>{ for methods }</fieldset>
                <div class="field"><label for="bootstrap-persona-device">{"Device"}</label>
                    <select id="bootstrap-persona-device" onchange={change(|v, e| v.device = e.target_unchecked_into::<HtmlSelectElement>().value())}>
                        { for devices.iter().map(|d| html! { <option value={d.clone()} selected={*d == f.device}>{d}</option> }) }
                    </select></div>
                <label class="check" for="bootstrap-persona-guest"><input type="checkbox" id="bootstrap-persona-guest" checked={f.guest}
                    onchange={change(|v, e| v.guest = e.target_unchecked_into::<HtmlInputElement>().checked())} />{" A guest (user type Guest)"}</label>
                <div class="field"><label for="bootstrap-persona-groups">{"Groups (object ids, optional; the pilot group is added)"}</label>
                    <input id="bootstrap-persona-groups" type="text" spellcheck="false" value={f.groups.clone()}
                        oninput={input(|v, t| v.groups = t)} /></div>
                <button type="submit" id="bootstrap-persona-add">{"Add the persona to the grid"}</button>
                if !error.is_empty() { <p class="field-error" role="alert" id="bootstrap-persona-error">{(*error).clone()}</p> }
            </form>
        </details>
    }
}
