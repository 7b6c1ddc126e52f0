//! The body of Graph v1.0 `POST /identity/conditionalAccess/evaluate`, typed and read
//! strictly: an unknown property, a wrong `@odata.type` or a value outside Graph's enums is an
//! error at its line and column, so a file that passes here is a request Graph would take.
//!
//! Reference: <https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-1.0>
//! and the resource pages of `signInIdentity`, `signInContext`, `signInConditions`,
//! `deviceInfo`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::json::{self, key, show, Doc, Seg};
use crate::located::Located;
use crate::policy::model::{
    ClientAppType, DevicePlatform, GuestOrExternalUserType, InsiderRiskLevel, RiskLevel,
    TransferMethod,
};

/// The request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluateRequest {
    pub sign_in_identity: SignInIdentity,
    pub sign_in_context: SignInContext,
    pub sign_in_conditions: SignInConditions,
    /// `true`: the response lists only the policies that apply.
    #[serde(default)]
    pub applied_policies_only: bool,
}

/// Who signs in (`signInIdentity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "@odata.type")]
pub enum SignInIdentity {
    #[serde(rename = "#microsoft.graph.userSignIn", rename_all = "camelCase")]
    User {
        user_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        external_tenant_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        external_user_type: Option<GuestOrExternalUserType>,
    },
    /// `servicePrincipalId` is the service principal's `appId`, not its object id.
    #[serde(
        rename = "#microsoft.graph.servicePrincipalSignIn",
        rename_all = "camelCase"
    )]
    ServicePrincipal { service_principal_id: String },
}

/// What the sign-in is for (`signInContext`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "@odata.type")]
pub enum SignInContext {
    /// Application ids (`appId`s). App groups such as `Office365` match nothing, as in Graph.
    #[serde(
        rename = "#microsoft.graph.applicationContext",
        rename_all = "camelCase"
    )]
    Application { include_applications: Vec<String> },
    #[serde(
        rename = "#microsoft.graph.userActionContext",
        rename_all = "camelCase"
    )]
    UserAction { user_action: UserAction },
    /// An authentication context id (`c1` … `c99`).
    #[serde(rename = "#microsoft.graph.authContext", rename_all = "camelCase")]
    AuthContext {
        authentication_context_value: String,
    },
}

/// `userAction` of a `userActionContext`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserAction {
    RegisterSecurityInformation,
    RegisterOrJoinDevices,
    UnknownFutureValue,
}

/// `signInConditions`: every member optional, as in Graph. A condition not supplied does not
/// match a policy that is conditioned on it (see the module notes for each).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInConditions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_flow: Option<AuthenticationFlow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_app_type: Option<ClientAppType>,
    /// Two-letter country code (`US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The device; present and empty means an unregistered device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_info: Option<DeviceInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_platform: Option<DevicePlatform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insider_risk_level: Option<InsiderRiskLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_principal_risk_level: Option<RiskLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_risk_level: Option<RiskLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_risk_level: Option<RiskLevel>,
}

/// `authenticationFlow`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthenticationFlow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_method: Option<TransferMethod>,
}

/// `deviceInfo`: the attributes device filters match, by their Graph names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeviceInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrollment_profile_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute3: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute5: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute6: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute7: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute8: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute9: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute10: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute11: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute12: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute13: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute14: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_attribute15: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_compliant: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mdm_app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_labels: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_type: Option<String>,
}

/// `deviceInfo`'s properties, in the order of the CSDL.
pub(super) const DEVICE_INFO_PROPERTIES: [&str; 29] = [
    "deviceId",
    "displayName",
    "enrollmentProfileName",
    "extensionAttribute1",
    "extensionAttribute2",
    "extensionAttribute3",
    "extensionAttribute4",
    "extensionAttribute5",
    "extensionAttribute6",
    "extensionAttribute7",
    "extensionAttribute8",
    "extensionAttribute9",
    "extensionAttribute10",
    "extensionAttribute11",
    "extensionAttribute12",
    "extensionAttribute13",
    "extensionAttribute14",
    "extensionAttribute15",
    "isCompliant",
    "manufacturer",
    "mdmAppId",
    "model",
    "operatingSystem",
    "operatingSystemVersion",
    "ownership",
    "physicalIds",
    "profileType",
    "systemLabels",
    "trustType",
];

const CONDITIONS: [&str; 10] = [
    "authenticationFlow",
    "clientAppType",
    "country",
    "deviceInfo",
    "devicePlatform",
    "insiderRiskLevel",
    "ipAddress",
    "servicePrincipalRiskLevel",
    "signInRiskLevel",
    "userRiskLevel",
];

const USER_SIGN_IN: &str = "#microsoft.graph.userSignIn";
const SERVICE_PRINCIPAL_SIGN_IN: &str = "#microsoft.graph.servicePrincipalSignIn";
const APPLICATION_CONTEXT: &str = "#microsoft.graph.applicationContext";
const USER_ACTION_CONTEXT: &str = "#microsoft.graph.userActionContext";
const AUTH_CONTEXT: &str = "#microsoft.graph.authContext";

/// Reads a request file (bytes: it may be UTF-16), strictly.
pub fn read_request(bytes: &[u8]) -> Result<EvaluateRequest, Located> {
    let (doc, v) = Doc::read(bytes)?;
    let root: &[Seg] = &[];
    let o = json::object(
        &doc,
        &v,
        root,
        &[
            "signInIdentity",
            "signInContext",
            "signInConditions",
            "appliedPoliciesOnly",
        ],
    )?;
    if o.contains_key("@odata.type") {
        let p = key(root, "@odata.type");
        return Err(doc.at(
            &p,
            "the request body has no \"@odata.type\"; it belongs in signInIdentity and signInContext",
        ));
    }
    let required = |name: &str| -> Result<&Value, Located> {
        o.get(name).filter(|v| !v.is_null()).ok_or_else(|| {
            doc.at_value(
                root,
                format!("the request needs {name} (Graph requires it)"),
            )
        })
    };
    let identity = identity(&doc, required("signInIdentity")?)?;
    let context = context(&doc, required("signInContext")?)?;
    let conditions = conditions(&doc, required("signInConditions")?)?;
    let applied_policies_only =
        json::boolean(&doc, o, root, "appliedPoliciesOnly")?.unwrap_or(false);
    Ok(EvaluateRequest {
        sign_in_identity: identity,
        sign_in_context: context,
        sign_in_conditions: conditions,
        applied_policies_only,
    })
}

fn identity(doc: &Doc, v: &Value) -> Result<SignInIdentity, Located> {
    let path = [Seg::Key("signInIdentity".into())];
    let Value::Object(o) = v else {
        return Err(doc.at_value(
            &path,
            format!("signInIdentity must be an object, found {}", json::kind(v)),
        ));
    };
    match json::odata_type(doc, o, &path, &[USER_SIGN_IN, SERVICE_PRINCIPAL_SIGN_IN])? {
        USER_SIGN_IN => {
            let o = json::object(
                doc,
                v,
                &path,
                &["userId", "externalTenantId", "externalUserType"],
            )?;
            let user_id = required_string(doc, o, &path, "userId")?;
            let external_user_type = json::string(doc, o, &path, "externalUserType")?
                .map(|s| {
                    known::<GuestOrExternalUserType>(
                        doc,
                        &key(&path, "externalUserType"),
                        &s,
                        GuestOrExternalUserType::parse(&s),
                        GuestOrExternalUserType::KNOWN,
                    )
                })
                .transpose()?;
            Ok(SignInIdentity::User {
                user_id,
                external_tenant_id: json::string(doc, o, &path, "externalTenantId")?,
                external_user_type,
            })
        }
        _ => {
            let o = json::object(doc, v, &path, &["servicePrincipalId"])?;
            Ok(SignInIdentity::ServicePrincipal {
                service_principal_id: required_string(doc, o, &path, "servicePrincipalId")?,
            })
        }
    }
}

fn context(doc: &Doc, v: &Value) -> Result<SignInContext, Located> {
    let path = [Seg::Key("signInContext".into())];
    let Value::Object(o) = v else {
        return Err(doc.at_value(
            &path,
            format!("signInContext must be an object, found {}", json::kind(v)),
        ));
    };
    match json::odata_type(
        doc,
        o,
        &path,
        &[APPLICATION_CONTEXT, USER_ACTION_CONTEXT, AUTH_CONTEXT],
    )? {
        APPLICATION_CONTEXT => {
            let o = json::object(doc, v, &path, &["includeApplications"])?;
            let apps = json::strings(doc, o, &path, "includeApplications")?;
            if apps.is_empty() {
                return Err(doc.at_value(
                    &key(&path, "includeApplications"),
                    "signInContext.includeApplications needs at least one application id",
                ));
            }
            Ok(SignInContext::Application {
                include_applications: apps,
            })
        }
        USER_ACTION_CONTEXT => {
            let o = json::object(doc, v, &path, &["userAction"])?;
            let s = required_string(doc, o, &path, "userAction")?;
            let action = match s.as_str() {
                "registerSecurityInformation" => UserAction::RegisterSecurityInformation,
                "registerOrJoinDevices" => UserAction::RegisterOrJoinDevices,
                "unknownFutureValue" => UserAction::UnknownFutureValue,
                other => {
                    return Err(doc.at_value(
                        &key(&path, "userAction"),
                        format!(
                            "signInContext.userAction is {}; expected one of registerSecurityInformation, registerOrJoinDevices",
                            json::visible(other)
                        ),
                    ))
                }
            };
            Ok(SignInContext::UserAction {
                user_action: action,
            })
        }
        _ => {
            let o = json::object(doc, v, &path, &["authenticationContextValue"])?;
            Ok(SignInContext::AuthContext {
                authentication_context_value: required_string(
                    doc,
                    o,
                    &path,
                    "authenticationContextValue",
                )?,
            })
        }
    }
}

fn conditions(doc: &Doc, v: &Value) -> Result<SignInConditions, Located> {
    let path = [Seg::Key("signInConditions".into())];
    let o = json::object(doc, v, &path, &CONDITIONS)?;
    macro_rules! member {
        ($name:literal, $t:ty) => {
            json::string(doc, o, &path, $name)?
                .map(|s| {
                    let parsed = <$t>::parse(&s);
                    known::<$t>(doc, &key(&path, $name), &s, parsed, <$t>::KNOWN)
                })
                .transpose()?
        };
    }
    let authentication_flow = match o.get("authenticationFlow") {
        None | Some(Value::Null) => None,
        Some(f) => {
            let p = key(&path, "authenticationFlow");
            let fo = json::object(doc, f, &p, &["transferMethod"])?;
            let transfer_method = json::string(doc, fo, &p, "transferMethod")?
                .map(|s| {
                    known::<TransferMethod>(
                        doc,
                        &key(&p, "transferMethod"),
                        &s,
                        TransferMethod::parse(&s),
                        TransferMethod::KNOWN,
                    )
                })
                .transpose()?;
            Some(AuthenticationFlow { transfer_method })
        }
    };
    let device_info = match o.get("deviceInfo") {
        None | Some(Value::Null) => None,
        Some(d) => Some(device_info(doc, d, &key(&path, "deviceInfo"))?),
    };
    Ok(SignInConditions {
        authentication_flow,
        client_app_type: member!("clientAppType", ClientAppType),
        country: json::string(doc, o, &path, "country")?,
        device_info,
        device_platform: member!("devicePlatform", DevicePlatform),
        insider_risk_level: member!("insiderRiskLevel", InsiderRiskLevel),
        ip_address: ip_address(doc, o, &path)?,
        service_principal_risk_level: member!("servicePrincipalRiskLevel", RiskLevel),
        sign_in_risk_level: member!("signInRiskLevel", RiskLevel),
        user_risk_level: member!("userRiskLevel", RiskLevel),
    })
}

fn device_info(doc: &Doc, v: &Value, path: &[Seg]) -> Result<DeviceInfo, Located> {
    let o = json::object(doc, v, path, &DEVICE_INFO_PROPERTIES)?;
    if o.contains_key("@odata.type") {
        // deviceInfo is a plain complex type; a derived type would be a different request.
        json::odata_type(doc, o, path, &["#microsoft.graph.deviceInfo"])?;
    }
    let s = |name: &str| json::string(doc, o, path, name);
    Ok(DeviceInfo {
        device_id: s("deviceId")?,
        display_name: s("displayName")?,
        enrollment_profile_name: s("enrollmentProfileName")?,
        extension_attribute1: s("extensionAttribute1")?,
        extension_attribute2: s("extensionAttribute2")?,
        extension_attribute3: s("extensionAttribute3")?,
        extension_attribute4: s("extensionAttribute4")?,
        extension_attribute5: s("extensionAttribute5")?,
        extension_attribute6: s("extensionAttribute6")?,
        extension_attribute7: s("extensionAttribute7")?,
        extension_attribute8: s("extensionAttribute8")?,
        extension_attribute9: s("extensionAttribute9")?,
        extension_attribute10: s("extensionAttribute10")?,
        extension_attribute11: s("extensionAttribute11")?,
        extension_attribute12: s("extensionAttribute12")?,
        extension_attribute13: s("extensionAttribute13")?,
        extension_attribute14: s("extensionAttribute14")?,
        extension_attribute15: s("extensionAttribute15")?,
        is_compliant: json::boolean(doc, o, path, "isCompliant")?,
        manufacturer: s("manufacturer")?,
        mdm_app_id: s("mdmAppId")?,
        model: s("model")?,
        operating_system: s("operatingSystem")?,
        operating_system_version: s("operatingSystemVersion")?,
        ownership: s("ownership")?,
        physical_ids: optional_strings(doc, o, path, "physicalIds")?,
        profile_type: s("profileType")?,
        system_labels: optional_strings(doc, o, path, "systemLabels")?,
        trust_type: s("trustType")?,
    })
}

/// `ipAddress`, which must be an IPv4 or IPv6 address.
fn ip_address(doc: &Doc, o: &Map<String, Value>, path: &[Seg]) -> Result<Option<String>, Located> {
    let ip = json::string(doc, o, path, "ipAddress")?;
    if let Some(text) = &ip {
        if text.trim().parse::<std::net::IpAddr>().is_err() {
            let p = key(path, "ipAddress");
            return Err(doc.at_value(
                &p,
                format!(
                    "{} is {}, not an IPv4 or IPv6 address",
                    show(&p),
                    json::visible(text)
                ),
            ));
        }
    }
    Ok(ip)
}

fn optional_strings(
    doc: &Doc,
    o: &Map<String, Value>,
    path: &[Seg],
    name: &str,
) -> Result<Option<Vec<String>>, Located> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => json::strings(doc, o, path, name).map(Some),
    }
}

fn required_string(
    doc: &Doc,
    o: &Map<String, Value>,
    path: &[Seg],
    name: &str,
) -> Result<String, Located> {
    match json::string(doc, o, path, name)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        Some(_) => Err(doc.at_value(&key(path, name), format!("{}.{name} is empty", show(path)))),
        None => Err(doc.at_value(path, format!("{} needs {name}", show(path)))),
    }
}

/// A Graph enum member, refused with the members Graph knows when it is not one of them.
fn known<T: PartialEq + std::fmt::Display>(
    doc: &Doc,
    path: &[Seg],
    written: &str,
    parsed: T,
    members: &[T],
) -> Result<T, Located> {
    if members.contains(&parsed) {
        return Ok(parsed);
    }
    let list: Vec<String> = members.iter().map(|m| m.to_string()).collect();
    Err(doc.at_value(
        path,
        format!(
            "{} is {}; expected one of {} (names are case-sensitive)",
            show(path),
            json::visible(written),
            list.join(", ")
        ),
    ))
}
