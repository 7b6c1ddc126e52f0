//! The rollout wizard: the steps as tabs, and the form of the open step. The
//! form edits the step's policy through `Draft::apply`, so every field the form
//! does not show survives, and switching steps loses nothing.

use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::filter::FilterEditor;
use crate::app::draft::{nickname_preview, Action, Draft, StepKind};
use crate::filter::Mode;
use crate::policy::edit::{self, IdList};
use crate::policy::model::*;
use crate::ui::widgets::fields::{CheckboxGroup, FieldMessage, IdListField, TextField};
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct WizardProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

#[function_component(StepNav)]
pub fn step_nav(p: &WizardProps) -> Html {
    let items = p.draft.steps.iter().enumerate().map(|(i, s)| {
        let current = i == p.draft.current;
        let onclick = p.dispatch.reform(move |_: MouseEvent| Action::Select(i));
        let title = match s.kind {
            StepKind::Imported => format!("Imported: {}", edit::display_name(&s.policy)),
            k => k.title().to_string(),
        };
        html! {
            <li>
                <button type="button" id={format!("step-{i}")} class={classes!("step-tab", current.then_some("current"))}
                    aria-current={current.then_some("step")} data-step-kind={kind_name(s.kind)} {onclick}>{visible(&title)}</button>
            </li>
        }
    });
    html! { <nav class="steps" aria-label="Rollout steps"><ol>{ for items }</ol></nav> }
}

pub fn kind_name(k: StepKind) -> &'static str {
    k.template().map(|t| t.name()).unwrap_or("imported")
}

fn msgs(draft: &Draft, field: &str) -> Vec<(String, bool)> {
    draft
        .form_checks(draft.current)
        .into_iter()
        .filter(|c| c.field == field)
        .map(|c| (c.message, c.is_error))
        .collect()
}

/// Checkbox options for an enum's members. `unknownFutureValue` is Graph's evolvable-enum
/// sentinel, not a choice an admin makes, so it is not offered (an imported one is still kept).
fn options<T: Clone>(
    known: &[T],
    wire: impl Fn(&T) -> &str,
    label: impl Fn(&T) -> String,
) -> Vec<(String, String)> {
    known
        .iter()
        .filter(|v| wire(v) != "unknownFutureValue")
        .map(|v| (wire(v).to_string(), label(v)))
        .collect()
}

#[function_component(StepForm)]
pub fn step_form(p: &WizardProps) -> Html {
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

    let id_list = |list: IdList, id: &str| {
        let on_change = d.reform(move |v: Vec<String>| Action::SetIdList(list, v));
        html! { <IdListField id={id.to_string()} label={list.label()} values={list.get(policy)} {on_change} messages={msgs(draft, id)} /> }
    };

    // Break-glass: declared once for every template step.
    let break_glass = (step.kind != StepKind::Imported).then(|| {
        let bg = &draft.break_glass;
        let on_none = d.reform(|e: Event| Action::AcknowledgeNoBreakGlass(e.target_unchecked_into::<HtmlInputElement>().checked()));
        html! {
            <fieldset class="group" id="break-glass">
                <legend>{"Emergency-access (break-glass) accounts"}</legend>
                <p class="hint">{"Excluded from every policy of the rollout, so a mistake cannot lock every administrator out. Declared once here; used by all steps."}</p>
                <IdListField id="field-break-glass-users" label="Break-glass user object ids" values={bg.users.clone()}
                    on_change={d.reform(Action::SetBreakGlassUsers)} messages={msgs(draft, "break-glass-users")} />
                <IdListField id="field-break-glass-groups" label="Break-glass group object ids" values={bg.groups.clone()}
                    on_change={d.reform(Action::SetBreakGlassGroups)} />
                <label class="check" for="field-break-glass-none">
                    <input type="checkbox" id="field-break-glass-none" checked={bg.none_acknowledged} onchange={on_none} />
                    {" I have no break-glass accounts to exclude (not recommended)"}
                </label>
            </fieldset>
        }
    });

    let pilot = (step.kind == StepKind::Pilot).then(|| {
        let group = IdList::IncludeGroups.get(policy).first().cloned().unwrap_or_default();
        let nick = (!step.new_group_name.trim().is_empty()).then(|| nickname_preview(&step.new_group_name));
        html! {
            <fieldset class="group" id="pilot">
                <legend>{"Pilot group"}</legend>
                <TextField id="field-pilot-group" label="Existing security group object id" value={group}
                    on_change={d.reform(Action::SetPilotGroup)} messages={msgs(draft, "pilot-group")}
                    hint={AttrValue::from("The policy is narrowed to this group: includeUsers is cleared and includeGroups holds the group, in the same request.")} />
                <TextField id="field-new-group-name" label="…or the name of a new security group to create" value={step.new_group_name.clone()}
                    on_change={d.reform(Action::SetNewGroupName)}
                    hint={AttrValue::from("The export panel then also gives the group's creation (security-enabled, not mail-enabled), looked up by name first so a re-run does not make a second group.")} />
                if let Some(n) = nick { <p class="hint">{"Mail nickname: "}<code>{n}</code></p> }
            </fieldset>
        }
    });

    let client_apps = {
        let selected: Vec<String> = edit::client_app_types(policy)
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        let on_change = d.reform(|v: Vec<String>| {
            Action::SetClientAppTypes(v.iter().map(|s| ClientAppType::parse(s)).collect())
        });
        let opts = options(
            ClientAppType::KNOWN,
            |c| c.as_str(),
            |c| client_app_label(c).to_string(),
        );
        html! { <CheckboxGroup id="field-client-app-types" legend="Client apps" options={opts} {selected} {on_change} /> }
    };
    let platform_group = |include: bool| {
        let selected: Vec<String> = edit::platforms(policy, include)
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        let on_change = d.reform(move |v: Vec<String>| Action::SetPlatforms {
            include,
            platforms: v.iter().map(|s| DevicePlatform::parse(s)).collect(),
        });
        let opts = options(
            DevicePlatform::KNOWN,
            |c| c.as_str(),
            |c| c.as_str().to_string(),
        );
        let (id, legend) = if include {
            ("field-include-platforms", "Include device platforms")
        } else {
            ("field-exclude-platforms", "Exclude device platforms")
        };
        html! { <CheckboxGroup id={id} legend={legend} options={opts} {selected} {on_change} /> }
    };
    let grants = {
        let selected: Vec<String> = edit::grant_controls(policy)
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        let on_change = d.reform(|v: Vec<String>| {
            Action::SetGrantControls(v.iter().map(|s| GrantControl::parse(s)).collect())
        });
        let opts = options(
            GrantControl::KNOWN,
            |c| c.as_str(),
            |c| grant_label(c).to_string(),
        );
        html! { <CheckboxGroup id="field-grant-controls" legend="Grant controls" options={opts} {selected} {on_change} /> }
    };
    let operator = edit::grant_operator(policy)
        .map(|o| o.as_str().to_string())
        .unwrap_or_default();
    let on_operator = d.reform(|e: Event| {
        Action::SetGrantOperator(GrantOperator::parse(
            &e.target_unchecked_into::<HtmlSelectElement>().value(),
        ))
    });

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
            {break_glass}
            {pilot}
            <fieldset class="group" id="device-filter-group">
                <legend>{"Devices"}</legend>
                <label class="check" for="field-device-filter-on">
                    <input type="checkbox" id="field-device-filter-on" checked={filter.is_some()} onchange={on_filter_toggle} />
                    {" Filter for devices"}
                </label>
                {filter_view}
            </fieldset>
            <fieldset class="group">
                <legend>{"Users"}</legend>
                {id_list(IdList::IncludeUsers, "field-include-users")}
                {id_list(IdList::IncludeGroups, "field-include-groups")}
                {id_list(IdList::IncludeRoles, "field-include-roles")}
                {id_list(IdList::ExcludeUsers, "field-exclude-users")}
                {id_list(IdList::ExcludeGroups, "field-exclude-groups")}
                {id_list(IdList::ExcludeRoles, "field-exclude-roles")}
            </fieldset>
            <fieldset class="group">
                <legend>{"Target resources"}</legend>
                {id_list(IdList::IncludeApplications, "field-include-applications")}
                {id_list(IdList::ExcludeApplications, "field-exclude-applications")}
                {id_list(IdList::IncludeUserActions, "field-include-user-actions")}
            </fieldset>
            <fieldset class="group">
                <legend>{"Conditions"}</legend>
                {client_apps}
                {platform_group(true)}
                {platform_group(false)}
                {id_list(IdList::IncludeLocations, "field-include-locations")}
                {id_list(IdList::ExcludeLocations, "field-exclude-locations")}
            </fieldset>
            <fieldset class="group">
                <legend>{"Grant"}</legend>
                {grants}
                <label for="field-grant-operator">{"For multiple controls"}</label>
                <select id="field-grant-operator" onchange={on_operator}>
                    <option value="OR" selected={operator == "OR"}>{"Require one of the selected controls (OR)"}</option>
                    <option value="AND" selected={operator == "AND"}>{"Require all the selected controls (AND)"}</option>
                </select>
                <TextField id="field-authentication-strength" label="Require authentication strength (its id; leave empty for none)"
                    value={edit::authentication_strength(policy)} on_change={d.reform(Action::SetAuthenticationStrength)} messages={msgs(draft, "authentication-strength")}
                    hint={AttrValue::from("Built-in: 00000000-0000-0000-0000-000000000004 Phishing-resistant MFA, …0003 Passwordless MFA, …0002 Multifactor authentication. A custom one (passkeys in Authenticator only) is created in the passkey panel.")} />
            </fieldset>
            <TextField id="field-update-policy-id" label="Update an existing policy (its id; leave empty to create a new one)"
                value={step.update_policy_id.clone()} on_change={d.reform(Action::SetUpdatePolicyId)} messages={msgs(draft, "update-policy-id")} />
        </form>
    }
}

fn client_app_label(c: &ClientAppType) -> &str {
    match c {
        ClientAppType::All => "All client apps",
        ClientAppType::Browser => "Browser",
        ClientAppType::MobileAppsAndDesktopClients => "Mobile apps and desktop clients",
        ClientAppType::ExchangeActiveSync => "Exchange ActiveSync clients",
        ClientAppType::EasSupported => "EAS supported",
        ClientAppType::Other => "Other clients (legacy authentication)",
        other => other.as_str(),
    }
}

fn grant_label(c: &GrantControl) -> &str {
    match c {
        GrantControl::Block => "Block access",
        GrantControl::Mfa => "Require multifactor authentication",
        GrantControl::CompliantDevice => "Require device to be marked as compliant",
        GrantControl::DomainJoinedDevice => "Require Microsoft Entra hybrid joined device",
        GrantControl::ApprovedApplication => "Require approved client app",
        GrantControl::CompliantApplication => "Require app protection policy",
        GrantControl::PasswordChange => "Require password change",
        GrantControl::RiskRemediation => "Require risk remediation",
        other => other.as_str(),
    }
}
