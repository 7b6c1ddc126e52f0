//! The What-If form as a scenario file: the body of Graph v1.0
//! `POST /identity/conditionalAccess/evaluate`, written from the form (the text the page shows,
//! downloads and sends) and read back into it with the core's strict reader. Neither way loses
//! anything silently: what the request cannot carry, and what the form cannot show, is said.

use serde_json::{Map, Value};

use crate::analysis::whatif::evaluate::{
    read_request, AuthenticationFlow, DeviceInfo, EvaluateRequest, SignInConditions, SignInContext,
    SignInIdentity, UserAction,
};
use crate::export::graph_json::pretty_body;
use crate::filter::Device;
use crate::policy::model::{
    ClientAppType, DevicePlatform, GuestOrExternalUserType, RiskLevel, TransferMethod,
};

use super::whatif::WhatIfForm;

/// The name the page gives a downloaded scenario.
pub const SCENARIO_FILE: &str = "whatif-scenario.json";

/// The form written as a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub request: EvaluateRequest,
    /// The JSON body, exactly as downloaded and sent.
    pub body: String,
    /// What the form holds that the request does not carry, and why.
    pub left_out: Vec<String>,
}

/// A request file read into the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub form: WhatIfForm,
    /// What the request says that the form cannot show (and so the offline form leaves out).
    pub not_shown: Vec<String>,
}

/// The form as an evaluate request. Refused (with why) when Graph would refuse it: no user id,
/// no application id, no authentication context.
pub fn to_request(form: &WhatIfForm) -> Result<Written, String> {
    let mut left_out = Vec::new();
    let user_id = form.user_id.trim();
    if user_id.is_empty() {
        return Err(
            "The scenario needs the user's object id (Graph requires signInIdentity.userId)."
                .into(),
        );
    }
    let context = match form.resource.as_str() {
        "registersecurityinfo" => SignInContext::UserAction {
            user_action: UserAction::RegisterSecurityInformation,
        },
        "registerdevice" => SignInContext::UserAction {
            user_action: UserAction::RegisterOrJoinDevices,
        },
        "context" => {
            let c = form.context.trim();
            if c.is_empty() {
                return Err("The scenario needs the authentication context id (c1 … c99).".into());
            }
            SignInContext::AuthContext {
                authentication_context_value: c.to_string(),
            }
        }
        _ => {
            let app = form.app_id.trim();
            if app.is_empty() {
                return Err("The scenario needs the application (client) id.".into());
            }
            SignInContext::Application {
                include_applications: vec![app.to_string()],
            }
        }
    };
    if !form.groups.trim().is_empty() || !form.roles.trim().is_empty() {
        left_out.push("The user's groups and roles are not part of a request: the tenant looks them up in its directory, while the offline What-If uses the ids typed here.".into());
    }
    if form.location != "unknown" {
        left_out.push("The location is not part of the request: evaluate takes an IP address or a country, not a named location, so the tenant evaluates an unknown location.".into());
    }
    let (scenario, problem) = form.scenario();
    if let Some(p) = problem {
        left_out.push(format!(
            "{p}: those device attributes are not in the request."
        ));
    }
    let device_info = device_info(&scenario.device, &mut left_out);
    let risk = |s: &str| match s {
        "low" => Some(RiskLevel::Low),
        "medium" => Some(RiskLevel::Medium),
        "high" => Some(RiskLevel::High),
        // No risk level supplied reads as none, in the service and offline.
        _ => None,
    };
    let request = EvaluateRequest {
        sign_in_identity: SignInIdentity::User {
            user_id: user_id.to_string(),
            external_tenant_id: None,
            external_user_type: form
                .guest
                .then_some(GuestOrExternalUserType::B2bCollaborationGuest),
        },
        sign_in_context: context,
        sign_in_conditions: SignInConditions {
            authentication_flow: match form.auth_flow.as_str() {
                "deviceCodeFlow" => Some(TransferMethod::DeviceCodeFlow),
                "authenticationTransfer" => Some(TransferMethod::AuthenticationTransfer),
                _ => None,
            }
            .map(|m| AuthenticationFlow {
                transfer_method: Some(m),
            }),
            client_app_type: Some(match form.client_app.as_str() {
                "browser" => ClientAppType::Browser,
                "exchangeActiveSync" => ClientAppType::ExchangeActiveSync,
                "other" => ClientAppType::Other,
                _ => ClientAppType::MobileAppsAndDesktopClients,
            }),
            device_info: Some(device_info),
            device_platform: (!form.platform.is_empty())
                .then(|| DevicePlatform::parse(&form.platform)),
            sign_in_risk_level: risk(&form.sign_in_risk),
            user_risk_level: risk(&form.user_risk),
            ..SignInConditions::default()
        },
        applied_policies_only: false,
    };
    let body = body_of(&request);
    Ok(Written {
        request,
        body,
        left_out,
    })
}

/// The request's JSON body, pretty-printed as exports are.
pub fn body_of(request: &EvaluateRequest) -> String {
    // A request is plain data: strings, booleans and lists; serialising it cannot fail.
    pretty_body(&serde_json::to_value(request).unwrap_or(Value::Null))
}

/// The device the form describes (the one the offline engine evaluates) as `deviceInfo`:
/// each attribute by its `deviceInfo` name; one `deviceInfo` does not have is said.
fn device_info(device: &Device, left_out: &mut Vec<String>) -> DeviceInfo {
    let Ok(Value::Object(attrs)) = serde_json::to_value(device) else {
        return DeviceInfo::default();
    };
    let mut kept = Map::new();
    for (name, value) in attrs {
        // The device filter says deviceOwnership; deviceInfo says ownership.
        let info_name = if name.eq_ignore_ascii_case("deviceOwnership") {
            "ownership".to_string()
        } else {
            name.clone()
        };
        let one = Value::Object(Map::from_iter([(info_name.clone(), value.clone())]));
        if serde_json::from_value::<DeviceInfo>(one).is_ok() {
            kept.insert(info_name, value);
        } else {
            left_out.push(format!("The device attribute {name} is not a deviceInfo property of that type (names are case-sensitive): it is not in the request."));
        }
    }
    serde_json::from_value(Value::Object(kept)).unwrap_or_default()
}

/// Reads a request file (`name` for messages) into the form. What a request does not hold
/// (groups, roles, the named-location choice) stays as it was in `current`. On an error the
/// message names the file and line:column, and the caller keeps its form.
pub fn from_request(name: &str, bytes: &[u8], current: &WhatIfForm) -> Result<Loaded, String> {
    let request = read_request(bytes).map_err(|e| format!("{name}:{e}"))?;
    let mut not_shown = Vec::new();
    let mut form = current.clone();
    let mut say = |s: String| not_shown.push(s);
    match &request.sign_in_identity {
        SignInIdentity::User {
            user_id,
            external_tenant_id,
            external_user_type,
        } => {
            form.user_id = user_id.clone();
            form.guest = match external_user_type {
                None | Some(GuestOrExternalUserType::None) => false,
                Some(GuestOrExternalUserType::B2bCollaborationGuest) => true,
                Some(t) => {
                    say(format!("externalUserType {t}: the form knows one kind of guest, a B2B collaboration guest, and shows it as that."));
                    true
                }
            };
            if let Some(t) = external_tenant_id {
                say(format!(
                    "externalTenantId {t} is not shown: the form's guest has no home tenant."
                ));
            }
        }
        SignInIdentity::ServicePrincipal { .. } => {
            return Err(format!("{name}: a service principal sign-in (servicePrincipalSignIn); the form simulates a user's sign-in. Use ca-policy whatif for it."));
        }
    }
    match &request.sign_in_context {
        SignInContext::Application {
            include_applications,
        } => {
            form.resource = "app".into();
            form.app_id = include_applications.first().cloned().unwrap_or_default();
            if include_applications.len() > 1 {
                say(format!(
                    "The request names {} applications; the form shows the first, {}, and leaves out {}.",
                    include_applications.len(),
                    form.app_id,
                    include_applications[1..].join(", ")
                ));
            }
        }
        SignInContext::UserAction { user_action } => match user_action {
            UserAction::RegisterSecurityInformation => {
                form.resource = "registersecurityinfo".into()
            }
            UserAction::RegisterOrJoinDevices => form.resource = "registerdevice".into(),
            UserAction::UnknownFutureValue => {
                return Err(format!(
                    "{name}: the user action unknownFutureValue names no action the form can show."
                ))
            }
        },
        SignInContext::AuthContext {
            authentication_context_value,
        } => {
            form.resource = "context".into();
            form.context = authentication_context_value.clone();
        }
    }
    let c = &request.sign_in_conditions;
    form.client_app = match &c.client_app_type {
        Some(ClientAppType::Browser) => "browser".into(),
        Some(ClientAppType::ExchangeActiveSync | ClientAppType::EasSupported) => {
            "exchangeActiveSync".into()
        }
        Some(ClientAppType::Other) => "other".into(),
        Some(ClientAppType::MobileAppsAndDesktopClients) => "mobileAppsAndDesktopClients".into(),
        other => {
            say(format!(
                "clientAppType {}: the form always names a client app; it shows mobile apps and desktop clients, and a request written from it names that.",
                other.as_ref().map_or("not supplied".to_string(), |t| t.to_string())
            ));
            "mobileAppsAndDesktopClients".into()
        }
    };
    form.platform = match &c.device_platform {
        None => String::new(),
        Some(p @ (DevicePlatform::All | DevicePlatform::UnknownFutureValue)) => {
            say(format!(
                "devicePlatform {p} names no platform; the form shows unknown."
            ));
            String::new()
        }
        Some(DevicePlatform::WindowsPhone) => {
            say("devicePlatform windowsPhone is not in the form's list; it is kept (the offline What-If uses it), though the list shows no choice.".into());
            "windowsPhone".into()
        }
        Some(p) => p.to_string(),
    };
    let risk = |r: &Option<RiskLevel>, what: &str, say: &mut dyn FnMut(String)| match r {
        Some(RiskLevel::Low) => "low".to_string(),
        Some(RiskLevel::Medium) => "medium".to_string(),
        Some(RiskLevel::High) => "high".to_string(),
        None | Some(RiskLevel::None) => "none".to_string(),
        Some(other) => {
            say(format!(
                "{what} {other} names no level a policy can list; the form shows none."
            ));
            "none".to_string()
        }
    };
    form.sign_in_risk = risk(&c.sign_in_risk_level, "signInRiskLevel", &mut say);
    form.user_risk = risk(&c.user_risk_level, "userRiskLevel", &mut say);
    form.auth_flow = match c
        .authentication_flow
        .as_ref()
        .and_then(|f| f.transfer_method.clone())
    {
        Some(TransferMethod::DeviceCodeFlow) => "deviceCodeFlow".into(),
        Some(TransferMethod::AuthenticationTransfer) => "authenticationTransfer".into(),
        None | Some(TransferMethod::None) => String::new(),
        Some(other) => {
            say(format!("authenticationFlow.transferMethod {other} names no flow; the form shows an ordinary sign-in."));
            String::new()
        }
    };
    for (what, v) in [("ipAddress", &c.ip_address), ("country", &c.country)] {
        if let Some(v) = v {
            say(format!("{what} {v} is not shown: the form takes the named location the sign-in is in (choose it under Location). A request written from the form leaves it out."));
        }
    }
    if let Some(l) = &c.insider_risk_level {
        say(format!("insiderRiskLevel {l} is not shown: the offline What-If does not simulate insider risk."));
    }
    if let Some(l) = &c.service_principal_risk_level {
        say(format!("servicePrincipalRiskLevel {l} is not shown: it applies to service principal sign-ins only."));
    }
    if request.applied_policies_only {
        say("appliedPoliciesOnly is not kept: the page shows every policy (a request written from the form asks for all of them).".into());
    }
    if !current.groups.trim().is_empty()
        || !current.roles.trim().is_empty()
        || current.location != "unknown"
    {
        say("A request holds no groups, roles or named location: those stay as they were in the form.".into());
    }
    load_device(&mut form, c.device_info.as_ref(), &mut say);
    Ok(Loaded { form, not_shown })
}

/// `deviceInfo` into the form's device choices; the other attributes go to the device JSON
/// under their device-filter names.
fn load_device(form: &mut WhatIfForm, info: Option<&DeviceInfo>, say: &mut dyn FnMut(String)) {
    form.trust_type.clear();
    form.compliant.clear();
    form.ownership.clear();
    form.device_json.clear();
    let attrs = match info.map(serde_json::to_value) {
        Some(Ok(Value::Object(m))) => m,
        _ => {
            if info.is_none() {
                say("The request has no deviceInfo; the form shows an unregistered device, which a request written from it sends as an empty deviceInfo (read the same way).".into());
            }
            Map::new()
        }
    };
    form.registered = !attrs.is_empty();
    let mut rest = Map::new();
    for (name, value) in attrs {
        match (name.as_str(), &value) {
            ("trustType", Value::String(t))
                if ["AzureAD", "ServerAD", "Workplace"].contains(&t.as_str()) =>
            {
                form.trust_type = t.clone()
            }
            ("isCompliant", Value::Bool(b)) => {
                form.compliant = if *b { "True" } else { "False" }.into()
            }
            ("ownership", Value::String(o)) if o == "Company" || o == "Personal" => {
                form.ownership = o.clone()
            }
            ("operatingSystem", Value::String(os)) => {
                if !os.eq_ignore_ascii_case(&form.platform) {
                    say(format!("deviceInfo.operatingSystem {os} is not shown: the form sets the device's operating system from the device platform ({}).", if form.platform.is_empty() { "unknown" } else { &form.platform }));
                }
            }
            ("ownership", _) => {
                rest.insert("deviceOwnership".into(), value);
            }
            _ => {
                rest.insert(name, value);
            }
        }
    }
    if !rest.is_empty() {
        form.device_json = pretty_body(&Value::Object(rest));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_form_writes_a_request_the_core_reads_back() {
        let w = to_request(&WhatIfForm::default()).unwrap();
        assert_eq!(read_request(w.body.as_bytes()).unwrap(), w.request);
        let back = from_request("f.json", w.body.as_bytes(), &WhatIfForm::default()).unwrap();
        assert_eq!(back.form, WhatIfForm::default());
        assert!(back.not_shown.is_empty(), "{:?}", back.not_shown);
    }
}
