//! The passkey-rollout policies, written to avoid the mistakes common in published walkthroughs
//! (`docs/graph.md#mistakes-the-product-corrects`).
//!
//! Every template: Report-only unless told otherwise, excludes every declared break-glass user
//! and group, uses arrays for every collection, and writes device-filter rules with ASCII double
//! quotes and `True`.

use serde_json::{json, Value};

use super::model::*;

/// Role template ID of *Directory Synchronization Accounts* (Entra Connect / Cloud Sync). The
/// sync service account cannot answer MFA; Microsoft's all-users templates exclude this role
/// (<https://learn.microsoft.com/entra/identity/conditional-access/policy-alt-all-users-compliant-hybrid-or-mfa>).
/// Harmless without sync: the role then has no members.
pub const DIRECTORY_SYNC_ACCOUNTS_ROLE: &str = "d29b2b05-8046-44ba-8758-1e26182fcf32";

/// The compensating policy's filter as it is usually published: Entra-joined and hybrid-joined
/// devices are exempt from MFA (`docs/graph.md#join-state-is-not-mfa`).
pub const MANAGED_DEVICE_RULE: &str =
    r#"device.trustType -eq "ServerAD" -or device.trustType -eq "AzureAD""#;

/// The hardening filter: compliant or hybrid-joined devices are exempt.
pub const COMPLIANT_OR_HYBRID_RULE: &str =
    r#"device.isCompliant -eq True -or device.trustType -eq "ServerAD""#;

/// The user action that guards security-info (passkey) registration.
pub const REGISTER_SECURITY_INFO: &str = "urn:user:registersecurityinfo";

pub use crate::names::MFA_STRENGTH;

/// The six templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    MfaCompensating,
    Pilot,
    Hardening,
    ProtectRegistration,
    UserRisk,
    SignInRisk,
}

impl Template {
    pub const ALL: [Template; 6] = [
        Template::MfaCompensating,
        Template::Pilot,
        Template::Hardening,
        Template::ProtectRegistration,
        Template::UserRisk,
        Template::SignInRisk,
    ];

    /// The CLI name.
    pub fn name(self) -> &'static str {
        match self {
            Template::MfaCompensating => "mfa-compensating",
            Template::Pilot => "pilot",
            Template::Hardening => "hardening",
            Template::ProtectRegistration => "protect-registration",
            Template::UserRisk => "user-risk",
            Template::SignInRisk => "sign-in-risk",
        }
    }

    pub fn from_name(name: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.name() == name)
    }

    /// One line for usage text and pickers.
    pub fn summary(self) -> &'static str {
        match self {
            Template::MfaCompensating => {
                "all users, all resources: MFA, managed (Entra/hybrid-joined) devices exempt"
            }
            Template::Pilot => {
                "the same policy narrowed to a pilot security group (needs a pilot group id)"
            }
            Template::Hardening => {
                "all users, all resources: MFA unless the device is compliant or hybrid-joined"
            }
            Template::ProtectRegistration => {
                "MFA (a Temporary Access Pass satisfies it) to register security info"
            }
            Template::UserRisk => {
                "high user risk: require risk remediation (MFA strength, sign-in every time)"
            }
            Template::SignInRisk => "high or medium sign-in risk: MFA strength, sign-in every time",
        }
    }

    pub fn default_display_name(self) -> &'static str {
        // ASCII hyphens: an en dash in a name breaks later name lookups typed by hand.
        match self {
            Template::MfaCompensating => "Always require MFA - compensating control",
            Template::Pilot => "Always require MFA - compensating control (pilot)",
            Template::Hardening => "Require MFA unless device is compliant or hybrid joined",
            Template::ProtectRegistration => "Require MFA to register security info",
            Template::UserRisk => "Require risk remediation for high user risk",
            Template::SignInRisk => "Require MFA for medium or high sign-in risk",
        }
    }

    /// Builds the policy. Fails only on parameters Graph would refuse (non-GUID ids, an empty
    /// name) or a missing pilot group.
    pub fn build(self, p: &TemplateParams) -> Result<Policy, TemplateError> {
        p.validate()?;
        let display_name = p
            .display_name
            .clone()
            .unwrap_or_else(|| self.default_display_name().to_string());
        let conditions = match self {
            // Excludes the sync role: it targets every user and every resource with MFA.
            Template::MfaCompensating => all_users_mfa(p, MANAGED_DEVICE_RULE, true),
            Template::Pilot => {
                let Some(group) = &p.pilot_group else {
                    return Err(TemplateError {
                        param: "pilot_group",
                        message: "the pilot template needs the pilot group's object id (--pilot-group ID); \
                                  create the security group first (`group_body` gives its POST /groups body)"
                            .into(),
                    });
                };
                // The compensating policy, narrowed: includes replaced by the group only (`All`
                // next to the group would still target everyone), exclusions kept
                // identical so a PATCH from the org-wide policy touches only the includes.
                let mut c = all_users_mfa(p, MANAGED_DEVICE_RULE, true);
                let users = c.users.get_or_default();
                users.include_users = Field::Value(vec![]);
                users.include_groups = strings([group.as_str()]);
                c
            }
            // Same reach as the compensating policy, so the same exclusions.
            Template::Hardening => all_users_mfa(p, COMPLIANT_OR_HYBRID_RULE, true),
            // No sync-role exclusion: the sync account never registers security info, so the user
            // action never fires for it. Guests are excluded as in Microsoft's sample policy:
            // a Temporary Access Pass cannot be issued to them, so they could never onboard.
            Template::ProtectRegistration => {
                let mut users = break_glass_users(p, false);
                users.include_users = strings(["All"]);
                users.exclude_guests_or_external_users = Field::Value(all_guests());
                ConditionSet {
                    client_app_types: Field::Value(vec![ClientAppType::All]),
                    applications: Field::Value(Applications {
                        include_applications: Field::Value(vec![]),
                        exclude_applications: Field::Value(vec![]),
                        include_user_actions: strings([REGISTER_SECURITY_INFO]),
                        ..Default::default()
                    }),
                    users: Field::Value(users),
                    locations: if p.exclude_trusted_locations {
                        Field::Value(Locations {
                            include_locations: strings(["All"]),
                            exclude_locations: strings(["AllTrusted"]),
                            ..Default::default()
                        })
                    } else {
                        Field::Absent
                    },
                    ..Default::default()
                }
            }
            // Microsoft's recommended risk policies: All users (emergency accounts excluded, no
            // sync-role exclusion: a sync account flagged at risk is exactly what should fail
            // closed), All resources, the risk condition
            // (<https://learn.microsoft.com/entra/identity/conditional-access/policy-risk-based-user>,
            // <https://learn.microsoft.com/entra/identity/conditional-access/policy-risk-based-sign-in>).
            Template::UserRisk => risk_conditions(p, |c| {
                c.user_risk_levels = Field::Value(vec![RiskLevel::High])
            }),
            Template::SignInRisk => risk_conditions(p, |c| {
                c.sign_in_risk_levels = Field::Value(vec![RiskLevel::High, RiskLevel::Medium])
            }),
        };
        let grant = match self {
            // "Require risk remediation": riskRemediation under AND with an authentication
            // strength, as the portal adds it. It revokes the sessions; a password user then
            // does a secure password change, a passwordless user (a passkey pilot) signs in
            // again with the strength. `passwordChange` could not remediate the latter.
            Template::UserRisk => {
                let mut g = grant(GrantOperator::And, vec![GrantControl::RiskRemediation]);
                g.authentication_strength = mfa_strength();
                g
            }
            // The built-in MFA strength alone: a strength-only grant has no built-in control.
            Template::SignInRisk => {
                let mut g = grant(GrantOperator::Or, vec![]);
                g.authentication_strength = mfa_strength();
                g
            }
            _ => grant(GrantOperator::Or, vec![GrantControl::Mfa]),
        };
        // Both risk policies reauthenticate every time: mandatory with risk remediation,
        // recommended for sign-in risk (a remembered session would skip the check).
        let session_controls = match self {
            Template::UserRisk | Template::SignInRisk => Field::Value(every_time()),
            _ => Field::Absent,
        };
        Ok(Policy {
            display_name: Field::Value(display_name),
            state: Field::Value(p.state.into()),
            conditions: Field::Value(conditions),
            grant_controls: Field::Value(grant),
            session_controls,
            ..Default::default()
        })
    }
}

/// How a template's policy starts out. Only the three real states: a template cannot produce
/// an unknown one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RolloutState {
    /// `enabledForReportingButNotEnforced`: Microsoft's walkthroughs start every policy here.
    #[default]
    ReportOnly,
    Enabled,
    Disabled,
}

impl RolloutState {
    /// Parses the CLI spelling (`report-only`, `enabled`, `disabled`) or the Graph spelling.
    pub fn parse(s: &str) -> Option<RolloutState> {
        match s {
            "report-only" | "enabledForReportingButNotEnforced" => Some(RolloutState::ReportOnly),
            "enabled" => Some(RolloutState::Enabled),
            "disabled" => Some(RolloutState::Disabled),
            _ => None,
        }
    }
}

impl From<RolloutState> for PolicyState {
    fn from(s: RolloutState) -> PolicyState {
        match s {
            RolloutState::ReportOnly => PolicyState::EnabledForReportingButNotEnforced,
            RolloutState::Enabled => PolicyState::Enabled,
            RolloutState::Disabled => PolicyState::Disabled,
        }
    }
}

/// A template's parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TemplateParams {
    /// `None`: the template's default name.
    pub display_name: Option<String>,
    /// Break-glass (emergency-access) user object ids.
    pub exclude_users: Vec<String>,
    /// Break-glass / exclusion group object ids.
    pub exclude_groups: Vec<String>,
    /// The pilot security group's object id (pilot template only).
    pub pilot_group: Option<String>,
    pub state: RolloutState,
    /// protect-registration only: require MFA only outside trusted named locations
    /// (Microsoft's sample policy does; off by default because a TAP satisfies MFA anyway).
    pub exclude_trusted_locations: bool,
}

impl TemplateParams {
    fn validate(&self) -> Result<(), TemplateError> {
        if let Some(name) = &self.display_name {
            if name.trim().is_empty() {
                return Err(TemplateError {
                    param: "display_name",
                    message: "the display name is empty".into(),
                });
            }
        }
        for (param, ids) in [
            ("exclude_users", &self.exclude_users),
            ("exclude_groups", &self.exclude_groups),
        ] {
            for id in ids {
                check_object_id(param, id)?;
            }
        }
        if let Some(g) = &self.pilot_group {
            check_object_id("pilot_group", g)?;
        }
        Ok(())
    }

    /// True when no break-glass account or group is excluded; Microsoft recommends excluding
    /// emergency-access accounts from every policy, so front ends should warn.
    pub fn lacks_break_glass(&self) -> bool {
        self.exclude_users.is_empty() && self.exclude_groups.is_empty()
    }
}

/// A parameter Graph would refuse, named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The `TemplateParams` field at fault.
    pub param: &'static str,
    pub message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

/// Directory object ids are GUIDs; anything else is a 400 from Graph.
fn check_object_id(param: &'static str, id: &str) -> Result<(), TemplateError> {
    if is_guid(id) {
        Ok(())
    } else {
        Err(TemplateError {
            param,
            message: format!(
                "{id:?} is not an object id: expected a GUID like 00000000-0000-0000-0000-000000000000"
            ),
        })
    }
}

pub use crate::guid::is_guid;

/// Users condition holding only the exclusions: declared break-glass users and groups (deduplicated,
/// order kept), and the sync role when asked. Include lists start empty.
fn break_glass_users(p: &TemplateParams, exclude_sync_role: bool) -> Users {
    Users {
        include_users: Field::Value(vec![]),
        exclude_users: Field::Value(dedup(&p.exclude_users)),
        include_groups: Field::Value(vec![]),
        exclude_groups: Field::Value(dedup(&p.exclude_groups)),
        include_roles: Field::Value(vec![]),
        exclude_roles: if exclude_sync_role {
            strings([DIRECTORY_SYNC_ACCOUNTS_ROLE])
        } else {
            Field::Value(vec![])
        },
        ..Default::default()
    }
}

fn dedup(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(id)) {
            out.push(id.clone());
        }
    }
    out
}

/// All users, all resources, all client apps, MFA, with a device filter in exclude mode.
fn all_users_mfa(p: &TemplateParams, rule: &str, exclude_sync_role: bool) -> ConditionSet {
    let mut users = break_glass_users(p, exclude_sync_role);
    users.include_users = strings(["All"]);
    ConditionSet {
        client_app_types: Field::Value(vec![ClientAppType::All]),
        applications: Field::Value(Applications {
            include_applications: strings(["All"]),
            exclude_applications: Field::Value(vec![]),
            ..Default::default()
        }),
        users: Field::Value(users),
        devices: Field::Value(Devices {
            device_filter: Field::Value(Filter {
                mode: Field::Value(FilterMode::Exclude),
                rule: Field::Value(rule.to_string()),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Every guest / external user type from every external tenant.
fn all_guests() -> GuestsOrExternalUsers {
    use GuestOrExternalUserType::*;
    GuestsOrExternalUsers {
        guest_or_external_user_types: Field::Value(Flags(vec![
            InternalGuest,
            B2bCollaborationGuest,
            B2bCollaborationMember,
            B2bDirectConnectUser,
            OtherExternalUser,
            ServiceProvider,
        ])),
        external_tenants: Field::Value(ExternalTenants {
            odata_type: Field::Value("#microsoft.graph.conditionalAccessAllExternalTenants".into()),
            membership_kind: Field::Value(MembershipKind::All),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// All users (break-glass excluded), All resources, all client apps, and the risk condition
/// `set` writes.
fn risk_conditions(p: &TemplateParams, set: impl FnOnce(&mut ConditionSet)) -> ConditionSet {
    let mut users = break_glass_users(p, false);
    users.include_users = strings(["All"]);
    let mut c = ConditionSet {
        client_app_types: Field::Value(vec![ClientAppType::All]),
        applications: Field::Value(Applications {
            include_applications: strings(["All"]),
            exclude_applications: Field::Value(vec![]),
            ..Default::default()
        }),
        users: Field::Value(users),
        ..Default::default()
    };
    set(&mut c);
    c
}

/// `{ "id": MFA_STRENGTH }`, as Graph takes a strength on write.
fn mfa_strength() -> Field<AuthenticationStrength> {
    Field::Value(AuthenticationStrength {
        id: Field::Value(MFA_STRENGTH.to_string()),
        ..Default::default()
    })
}

/// Sign-in frequency *Every time* (`value` and `type` are not used with it).
pub fn every_time() -> SessionControls {
    SessionControls {
        sign_in_frequency: Field::Value(SignInFrequencySessionControl {
            is_enabled: Field::Value(true),
            authentication_type: Field::Value(
                SignInFrequencyAuthenticationType::PrimaryAndSecondaryAuthentication,
            ),
            frequency_interval: Field::Value(SignInFrequencyInterval::EveryTime),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn grant(operator: GrantOperator, controls: Vec<GrantControl>) -> GrantControls {
    GrantControls {
        operator: Field::Value(operator),
        built_in_controls: Field::Value(controls),
        custom_authentication_factors: Field::Value(vec![]),
        terms_of_use: Field::Value(vec![]),
        ..Default::default()
    }
}

/// Body for `POST /groups` creating the pilot security group (`docs/graph.md#groups-and-users`):
/// security-enabled, not mail-enabled, with a real `mailNickname` (Graph requires one even here).
pub fn group_body(display_name: &str) -> Value {
    json!({
        "displayName": display_name,
        "description": "Pilot group for a Conditional Access rollout",
        "mailEnabled": false,
        "mailNickname": mail_nickname(display_name),
        "securityEnabled": true,
    })
}

/// A `mailNickname` derived from a display name: Graph allows ASCII only, at most 64 characters,
/// none of `@ ( ) \ [ ] " ; : < > ,` or space. We keep lower-case letters, digits, `-`, `_` and
/// `.`; every other run of characters becomes one `-`; ends are trimmed of `-` and `.`.
/// Never empty: a name with nothing usable gives `ca-pilot-group`.
pub fn mail_nickname(display_name: &str) -> String {
    let mut out = String::new();
    for c in display_name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut nick: String = out
        .trim_matches(|c| c == '-' || c == '.')
        .chars()
        .take(64)
        .collect();
    while nick.ends_with(['-', '.']) {
        nick.pop();
    }
    if nick.is_empty() {
        "ca-pilot-group".to_string()
    } else {
        nick
    }
}
