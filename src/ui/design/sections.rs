//! The form's sections that are more than a list of fields: the break-glass accounts (one
//! declaration for every step), the pilot group, the device filter and the grant.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::choices;
use super::filter::FilterEditor;
use super::step_form::msgs;
use crate::analysis::bootstrap::Strengths;
use crate::app::draft::{nickname_preview, Action, Draft};
use crate::app::picker::PickTarget;
use crate::filter::Mode;
use crate::guid::is_guid;
use crate::policy::edit::{self, IdList};
use crate::policy::model::*;
use crate::ui::widgets::fields::{IdListField, TextField};
use crate::ui::widgets::picker::PickerField;
use crate::ui::widgets::visible::visible;

/// Declared once, used by every template step.
pub fn break_glass(draft: &Rc<Draft>, d: &Callback<Action>) -> Html {
    let bg = &draft.break_glass;
    let on_none = d.reform(|e: Event| {
        Action::AcknowledgeNoBreakGlass(e.target_unchecked_into::<HtmlInputElement>().checked())
    });
    html! {
        <fieldset class="group" id="break-glass">
            <legend>{"Emergency-access (break-glass) accounts"}</legend>
            <p class="hint">{"Excluded from every policy of the rollout, so a mistake cannot lock every administrator out. Declared once here; used by all steps."}</p>
            <PickerField id="picker-break-glass-users" label="Break-glass users: search by name" target={PickTarget::BreakGlassUsers} draft={draft.clone()} dispatch={d.clone()} />
            <IdListField id="field-break-glass-users" label="Break-glass user object ids" values={bg.users.clone()}
                on_change={d.reform(Action::SetBreakGlassUsers)} messages={msgs(draft, "break-glass-users")} />
            <PickerField id="picker-break-glass-groups" label="Break-glass groups: search by name" target={PickTarget::BreakGlassGroups} draft={draft.clone()} dispatch={d.clone()} />
            <IdListField id="field-break-glass-groups" label="Break-glass group object ids" values={bg.groups.clone()}
                on_change={d.reform(Action::SetBreakGlassGroups)} />
            <label class="check" for="field-break-glass-none">
                <input type="checkbox" id="field-break-glass-none" checked={bg.none_acknowledged} onchange={on_none} />
                {" I have no break-glass accounts to exclude (not recommended)"}
            </label>
        </fieldset>
    }
}

/// The pilot step's group: an existing one, or one to create.
pub fn pilot_group(draft: &Rc<Draft>, d: &Callback<Action>) -> Html {
    let step = draft.step();
    let policy = &step.policy;
    let group = IdList::IncludeGroups
        .get(policy)
        .first()
        .cloned()
        .unwrap_or_default();
    let nick =
        (!step.new_group_name.trim().is_empty()).then(|| nickname_preview(&step.new_group_name));
    html! {
        <fieldset class="group" id="pilot">
            <legend>{"Pilot group"}</legend>
            <PickerField id="picker-pilot-group" label="Pilot group: search by name" target={PickTarget::PilotGroup} draft={draft.clone()} dispatch={d.clone()} />
            <TextField id="field-pilot-group" label="Existing security group object id" value={group}
                on_change={d.reform(Action::SetPilotGroup)} messages={msgs(draft, "pilot-group")}
                hint={AttrValue::from("The policy is narrowed to this group: includeUsers is cleared and includeGroups holds the group, in the same request.")} />
            <TextField id="field-new-group-name" label="…or the name of a new security group to create" value={step.new_group_name.clone()}
                on_change={d.reform(Action::SetNewGroupName)}
                hint={AttrValue::from("The export panel then also gives the group's creation (security-enabled, not mail-enabled), looked up by name first so a re-run does not make a second group.")} />
            if let Some(n) = nick { <p class="hint">{"Mail nickname: "}<code>{n}</code></p> }
            <super::pilot_members::PilotMembers draft={draft.clone()} dispatch={d.clone()} />
        </fieldset>
    }
}

/// "Filter for devices", and the rule editor while it is on.
pub fn device_filter(policy: &Policy, d: &Callback<Action>) -> Html {
    let filter = edit::device_filter(policy);
    let on_filter_toggle = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            d.emit(Action::SetDeviceFilter(
                on.then(|| (FilterMode::Exclude, String::new())),
            ));
        })
    };
    let filter_view = match &filter {
        Some((mode, rule)) => {
            let editor_mode = mode.as_filter_mode().unwrap_or(Mode::Exclude);
            let m = mode.clone();
            let on_rule = d.reform(move |r: String| Action::SetDeviceFilter(Some((m.clone(), r))));
            let r = rule.clone();
            let on_mode = d.reform(move |m: Mode| {
                let fm = match m {
                    Mode::Include => FilterMode::Include,
                    Mode::Exclude => FilterMode::Exclude,
                };
                Action::SetDeviceFilter(Some((fm, r.clone())))
            });
            html! { <FilterEditor rule={AttrValue::from(rule.clone())} mode={editor_mode} {on_rule} {on_mode} /> }
        }
        None => Html::default(),
    };
    html! {
        <fieldset class="group" id="device-filter-group">
            <legend>{"Devices"}</legend>
            <label class="check" for="field-device-filter-on">
                <input type="checkbox" id="field-device-filter-on" checked={filter.is_some()} onchange={on_filter_toggle} />
                {" Filter for devices"}
            </label>
            {filter_view}
        </fieldset>
    }
}

/// Grant controls, how several combine, and the authentication strength.
/// `tenant`: the tenant's authentication strengths, once the bootstrap proof has read them.
pub fn grant(
    draft: &Draft,
    policy: &Policy,
    d: &Callback<Action>,
    tenant: Option<&Strengths>,
) -> Html {
    let grants = choices::grant_controls(policy, d);
    let operator = edit::grant_operator(policy)
        .map(|o| o.as_str().to_string())
        .unwrap_or_default();
    let on_operator = d.reform(|e: Event| {
        Action::SetGrantOperator(GrantOperator::parse(
            &e.target_unchecked_into::<HtmlSelectElement>().value(),
        ))
    });
    let strength_value = edit::authentication_strength(policy);
    let strength = strength_value.trim();
    // The id's name beside it: a built-in's from the catalogue, a custom one's from the draft
    // (the passkey panel names the strength it creates) or from the tenant's list.
    let strength_name = is_guid(strength).then(|| {
        let name = draft.labels.name_of(strength).map(str::to_string).or_else(|| {
            tenant.and_then(|t| t.get(strength)).map(|s| s.name.clone())
        });
        match (name, tenant) {
            (Some(name), _) => html! {
                <p class="hint" id="field-authentication-strength-name" data-id={strength.to_string()}>{visible(&name)}</p>
            },
            (None, Some(_)) => html! {
                <p class="hint" id="field-authentication-strength-name">{"Not a built-in strength, and not among the authentication strengths the bootstrap proof read from the tenant: check the id."}</p>
            },
            (None, None) => html! {
                <p class="hint" id="field-authentication-strength-name">{"A strength this draft has no name for: not a built-in one, so the tenant's list of authentication strengths names it."}</p>
            },
        }
    });
    html! {
        <fieldset class="group">
            <legend>{"Grant"}</legend>
            {grants}
            <label for="field-grant-operator">{"For multiple controls"}</label>
            <select id="field-grant-operator" onchange={on_operator}>
                <option value="OR" selected={operator == "OR"}>{"Require one of the selected controls (OR)"}</option>
                <option value="AND" selected={operator == "AND"}>{"Require all the selected controls (AND)"}</option>
            </select>
            <TextField id="field-authentication-strength" label="Require authentication strength (its id; leave empty for none)"
                value={strength_value.clone()} on_change={d.reform(Action::SetAuthenticationStrength)} messages={msgs(draft, "authentication-strength")}
                hint={AttrValue::from("Built-in: 00000000-0000-0000-0000-000000000004 Phishing-resistant MFA, …0003 Passwordless MFA, …0002 Multifactor authentication. A custom one (passkeys in Authenticator only) is created in the passkey panel.")} />
            {strength_name}
        </fieldset>
    }
}
