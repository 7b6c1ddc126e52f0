//! The form's checkbox groups over Graph's enums, with the words the Entra admin center uses.

use yew::prelude::*;

use crate::app::draft::Action;
use crate::policy::edit;
use crate::policy::model::*;
use crate::ui::widgets::fields::CheckboxGroup;

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

pub fn client_apps(policy: &Policy, d: &Callback<Action>) -> Html {
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
}

pub fn platforms(policy: &Policy, d: &Callback<Action>, include: bool) -> Html {
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
}

pub fn grant_controls(policy: &Policy, d: &Callback<Action>) -> Html {
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
