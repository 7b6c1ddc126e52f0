//! The open step's form. It edits the step's policy through `Draft::apply`, so every field
//! the form does not show survives, and switching steps loses nothing.

use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{choices, sections};
use crate::app::deploy::update_target;
use crate::app::draft::{Action, Draft, StepKind};
use crate::app::picker::PickTarget;
use crate::policy::edit::{self, IdList};
use crate::policy::model::*;
use crate::ui::graph::use_graph_session;
use crate::ui::widgets::fields::{FieldMessage, IdListField, TextField};
use crate::ui::widgets::picker::PickerField;
use crate::ui::widgets::visible::visible;

/// What the step tabs and the form take: the draft down, actions up.
#[derive(Properties, PartialEq)]
pub struct StepProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

/// The draft's messages for one field of the open step: (message, is it an error).
pub fn msgs(draft: &Draft, field: &str) -> Vec<(String, bool)> {
    draft
        .form_checks(draft.current)
        .into_iter()
        .filter(|c| c.field == field)
        .map(|c| (c.message, c.is_error))
        .collect()
}

/// The picker's label: what it finds, in the list's words.
fn picker_label(list: IdList) -> &'static str {
    match list {
        IdList::IncludeUsers => "Include users: search by name",
        IdList::ExcludeUsers => "Exclude users: search by name",
        IdList::IncludeGroups => "Include groups: search by name",
        IdList::ExcludeGroups => "Exclude groups: search by name",
        IdList::IncludeRoles => "Include directory roles: search by name",
        IdList::ExcludeRoles => "Exclude directory roles: search by name",
        IdList::IncludeApplications => "Include applications: search by name",
        IdList::ExcludeApplications => "Exclude applications: search by name",
        IdList::IncludeLocations => "Include named locations: search by name",
        IdList::ExcludeLocations => "Exclude named locations: search by name",
        IdList::IncludeUserActions => "User actions",
    }
}

/// The folded break-glass section's summary: what is declared, in a few words.
fn break_glass_summary(draft: &Draft) -> String {
    let bg = &draft.break_glass;
    let n = |k: usize, one: &str| format!("{k} {one}{}", if k == 1 { "" } else { "s" });
    if bg.is_declared() {
        format!(
            "Break-glass accounts: {} and {} excluded (declared in Prepare)",
            n(bg.users.len(), "user"),
            n(bg.groups.len(), "group")
        )
    } else if bg.none_acknowledged {
        "Break-glass accounts: none, as you said (Prepare)".to_string()
    } else {
        "Break-glass accounts: not declared yet".to_string()
    }
}

#[function_component(StepForm)]
pub fn step_form(p: &StepProps) -> Html {
    let draft = &p.draft;
    let step = draft.step();
    let policy = &step.policy;
    let d = &p.dispatch;

    let name = edit::display_name(policy);
    let state = edit::state(policy);
    let on_state = d.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Action::SetState(PolicyState::parse(&v))
    });
    let state_value = state
        .as_ref()
        .map(|s| s.as_str().to_string())
        .unwrap_or_default();

    // A picker by name where the list holds directory objects; the text area below it still
    // takes pasted ids.
    let id_list = |list: IdList, id: &str| {
        let on_change = d.reform(move |v: Vec<String>| Action::SetIdList(list, v));
        let picker = PickTarget::for_list(list).map(|target| {
            html! { <PickerField id={format!("picker-{}", id.trim_start_matches("field-"))} label={picker_label(list)} {target} draft={draft.clone()} dispatch={d.clone()} /> }
        });
        html! { <>{picker}<IdListField id={id.to_string()} label={list.label()} values={list.get(policy)} {on_change} messages={msgs(draft, id)} /></> }
    };

    // The lists the template sets (users, resources, conditions) are folded, and open by
    // themselves while one of their fields has a message, so a check's link finds its field.
    // A fold that opened stays open while the form is shown, so fixing the last message (typing
    // the first break-glass id) does not close the section under the admin's cursor.
    let checks = draft.form_checks(draft.current);
    let opened = use_mut_ref(Vec::<&'static str>::new);
    // The tenant policy the update id is, by name, once the audit has listed them.
    let session = use_graph_session();
    let update_words = update_target(
        &step.update_policy_id,
        session.tenant.as_deref(),
        session.conn.is_some(),
    )
    .map(|words| html! { <p class="hint" id="field-update-policy-id-name">{visible(&words)}</p> });
    let folded_open = |fields: &[&'static str]| {
        let key = fields[0];
        let open =
            opened.borrow().contains(&key) || checks.iter().any(|c| fields.contains(&c.field));
        if open && !opened.borrow().contains(&key) {
            opened.borrow_mut().push(key);
        }
        open
    };

    // Imported steps can be removed, except the draft's last step (a draft keeps one).
    let remove = (step.kind == StepKind::Imported).then(|| {
        let i = draft.current;
        match draft.can_remove(i) {
            Ok(()) => html! {
                <button type="button" class="secondary" id="remove-step" onclick={d.reform(move |_: MouseEvent| Action::Remove(i))}>{"Remove this imported policy from the draft"}</button>
            },
            Err(why) => html! { <p class="hint" id="remove-step-refused">{format!("This policy cannot be removed: {why}.")}</p> },
        }
    });

    html! {
        <form class="step-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} aria-labelledby="step-title">
            <h2 id="step-title">{step.kind.title()}</h2>
            <p class="hint">{step.kind.explanation()}</p>
            {remove}
            <TextField id="field-display-name" label="Display name" value={name} on_change={d.reform(Action::SetDisplayName)} messages={msgs(draft, "display-name")} />
            <div class="field">
                <label for="field-state">{"State"}</label>
                <select id="field-state" onchange={on_state} aria-describedby="field-state-message">
                    { for [("enabledForReportingButNotEnforced", "Report-only (recommended first)"), ("enabled", "On"), ("disabled", "Off")].iter().map(|(v, l)| html! {
                        <option value={*v} selected={state_value == *v}>{*l}</option>
                    }) }
                    if !state_value.is_empty() && !["enabledForReportingButNotEnforced", "enabled", "disabled"].contains(&state_value.as_str()) {
                        <option value={state_value.clone()} selected=true>{format!("{state_value} (kept as is)")}</option>
                    }
                </select>
                <FieldMessage field="field-state" messages={msgs(draft, "state")} />
            </div>
            // Declared in Prepare; folded here once declared (open while it has a message).
            if step.kind != StepKind::Imported {
                <details class="form-fold" open={folded_open(&["break-glass-users", "break-glass-groups"])}>
                    <summary>{break_glass_summary(draft)}</summary>
                    {sections::break_glass(draft, d)}
                </details>
            }
            if step.kind == StepKind::Pilot { {sections::pilot_group(draft, d)} }
            {sections::device_filter(policy, d)}
            <details class="form-fold" open={folded_open(&["include-users", "include-groups", "include-roles", "exclude-users", "exclude-groups", "exclude-roles"])}>
            <summary>{"Users, groups and roles"}</summary>
            <fieldset class="group">
                <legend>{"Users"}</legend>
                {id_list(IdList::IncludeUsers, "field-include-users")}
                {id_list(IdList::IncludeGroups, "field-include-groups")}
                {id_list(IdList::IncludeRoles, "field-include-roles")}
                {id_list(IdList::ExcludeUsers, "field-exclude-users")}
                {id_list(IdList::ExcludeGroups, "field-exclude-groups")}
                {id_list(IdList::ExcludeRoles, "field-exclude-roles")}
            </fieldset>
            </details>
            <details class="form-fold" open={folded_open(&["include-applications", "exclude-applications", "include-user-actions"])}>
            <summary>{"Target resources"}</summary>
            <fieldset class="group">
                <legend>{"Target resources"}</legend>
                {id_list(IdList::IncludeApplications, "field-include-applications")}
                {id_list(IdList::ExcludeApplications, "field-exclude-applications")}
                {id_list(IdList::IncludeUserActions, "field-include-user-actions")}
            </fieldset>
            </details>
            <details class="form-fold" open={folded_open(&["client-app-types", "platforms", "include-locations", "exclude-locations"])}>
            <summary>{"Conditions"}</summary>
            <fieldset class="group">
                <legend>{"Conditions"}</legend>
                {choices::client_apps(policy, d)}
                {choices::platforms(policy, d, true)}
                {choices::platforms(policy, d, false)}
                {id_list(IdList::IncludeLocations, "field-include-locations")}
                {id_list(IdList::ExcludeLocations, "field-exclude-locations")}
            </fieldset>
            </details>
            {sections::grant(draft, policy, d, session.strengths.as_deref())}
            <TextField id="field-update-policy-id" label="Update an existing policy (its id; leave empty to create a new one)"
                value={step.update_policy_id.clone()} on_change={d.reform(Action::SetUpdatePolicyId)} messages={msgs(draft, "update-policy-id")} />
            {update_words}
        </form>
    }
}
