//! The What-If form's scenario: the fields the admin fills in, read into the sign-in the
//! simulation evaluates (with what is wrong with the device JSON, which is then left out), the
//! set of policies it is evaluated against, and [`WhatIfRun`]: the evaluations the page lists
//! (for a registration, the sign-in before it too) and the headline derived from exactly them.

use crate::analysis::whatif::{
    AuthFlow, ClientApp, CompiledPolicySet, Location, Resource, Risk, User, UserKind, WhatIf,
};
use crate::analysis::{Outcome, Scenario};
use crate::filter::{Device, Value};
use crate::graph::flows::PolicyList;
use crate::names::{Naming, Slot};
use crate::policy::edit;
use crate::policy::model::{DevicePlatform, GuestOrExternalUserType, Policy, PolicyState};

use super::draft::Draft;

/// Exchange Online's app id: a typical "any app" sign-in.
const EXCHANGE_ONLINE: &str = "00000002-0000-0ff1-ce00-000000000000";

/// The What-If form, as the admin filled it in.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIfForm {
    pub user_id: String,
    pub groups: String,
    pub roles: String,
    pub guest: bool,
    pub resource: String, // "app", "registersecurityinfo", "registerdevice", "context"
    pub app_id: String,
    pub context: String,
    pub client_app: String,
    pub platform: String,
    pub location: String, // "unknown", "trusted", "untrusted"
    pub named_locations: String,
    pub auth_flow: String, // "", "deviceCodeFlow", "authenticationTransfer"
    pub sign_in_risk: String,
    pub user_risk: String,
    pub registered: bool,
    pub trust_type: String,
    pub compliant: String,
    pub ownership: String,
    /// More device-filter attributes, as JSON (the CLI's `--device` format).
    pub device_json: String,
}

impl Default for WhatIfForm {
    fn default() -> Self {
        WhatIfForm {
            user_id: "00000000-0000-0000-0000-0000000000aa".into(),
            groups: String::new(),
            roles: String::new(),
            guest: false,
            resource: "registersecurityinfo".into(),
            app_id: EXCHANGE_ONLINE.into(),
            context: "c1".into(),
            client_app: "mobileAppsAndDesktopClients".into(),
            platform: "iOS".into(),
            location: "unknown".into(),
            sign_in_risk: "none".into(),
            user_risk: "none".into(),
            registered: false,
            trust_type: String::new(),
            compliant: String::new(),
            ownership: String::new(),
            named_locations: String::new(),
            auth_flow: String::new(),
            device_json: String::new(),
        }
    }
}

/// The ids of one of the form's lists (comma-, space- or line-separated), in order; a picker
/// shows them as chosen entries and writes them back with [`write_ids`].
pub fn form_ids(s: &str) -> Vec<String> {
    ids(s)
}

/// A list as the form keeps it: the ids, comma-separated.
pub fn write_ids(ids: &[String]) -> String {
    ids.join(", ")
}

fn ids(s: &str) -> Vec<String> {
    s.split([',', '\n', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn risk(s: &str) -> Risk {
    match s {
        "low" => Risk::Low,
        "medium" => Risk::Medium,
        "high" => Risk::High,
        _ => Risk::None,
    }
}

impl WhatIfForm {
    /// The scenario, and what is wrong with the device JSON (then left out) if anything.
    pub fn scenario(&self) -> (Scenario, Option<String>) {
        let mut device = Device::unregistered();
        let mut problem = None;
        if self.registered {
            if !self.device_json.trim().is_empty() {
                match serde_json::from_str::<Device>(&self.device_json) {
                    Ok(d) => device = d,
                    Err(e) => {
                        problem = Some(format!(
                            "Device attributes, line {}, column {}: {e}",
                            e.line(),
                            e.column()
                        ))
                    }
                }
            }
            for (name, v) in [
                ("trustType", &self.trust_type),
                ("deviceOwnership", &self.ownership),
            ] {
                if !v.is_empty() {
                    device.set(name, Value::Str(v.clone()));
                }
            }
            if !self.compliant.is_empty() {
                device.set("isCompliant", Value::Bool(self.compliant == "True"));
            }
            if !self.platform.is_empty() {
                device.set("operatingSystem", Value::Str(self.platform.clone()));
            }
        }
        let scenario = Scenario {
            user: User {
                id: self.user_id.trim().to_string(),
                groups: ids(&self.groups),
                roles: ids(&self.roles),
                kind: if self.guest {
                    UserKind::Guest {
                        guest_type: GuestOrExternalUserType::B2bCollaborationGuest,
                        home_tenant: None,
                    }
                } else {
                    UserKind::Member
                },
            },
            resource: match self.resource.as_str() {
                "registersecurityinfo" => {
                    Resource::UserAction("urn:user:registersecurityinfo".into())
                }
                "registerdevice" => Resource::UserAction("urn:user:registerdevice".into()),
                "context" => Resource::AuthContext(self.context.trim().to_string()),
                _ => Resource::App(self.app_id.trim().to_string()),
            },
            client_app: match self.client_app.as_str() {
                "browser" => ClientApp::Browser,
                "exchangeActiveSync" => ClientApp::ExchangeActiveSync,
                "other" => ClientApp::Other,
                _ => ClientApp::MobileAppsAndDesktopClients,
            },
            platform: (!self.platform.is_empty()).then(|| DevicePlatform::parse(&self.platform)),
            location: match self.location.as_str() {
                "trusted" => Location::Known {
                    named: ids(&self.named_locations),
                    trusted: true,
                },
                "untrusted" => Location::Known {
                    named: ids(&self.named_locations),
                    trusted: false,
                },
                _ => Location::Unknown,
            },
            sign_in_risk: risk(&self.sign_in_risk),
            user_risk: risk(&self.user_risk),
            auth_flow: match self.auth_flow.as_str() {
                "deviceCodeFlow" => Some(AuthFlow::DeviceCodeFlow),
                "authenticationTransfer" => Some(AuthFlow::AuthenticationTransfer),
                _ => None,
            },
            device,
        };
        (scenario, problem)
    }
}

/// The outcome as a code (`blocked`, `challenged`, `allowed`) and in words.
pub fn outcome_words(o: &Outcome) -> (&'static str, String) {
    match o {
        Outcome::Blocked(why) => ("blocked", format!("Blocked: {}", why.join("; "))),
        Outcome::Challenged(reqs) => ("challenged", format!("Challenged: {}", reqs.join("; AND "))),
        Outcome::Allowed => ("allowed", "Let through with no policy requirement".into()),
    }
}

/// Which sign-in of a scenario an evaluation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInStep {
    /// The application sign-in a security-info registration starts with (My Sign-ins, or
    /// Microsoft Authenticator), evaluated against the application policies.
    BeforeRegistration,
    /// The sign-in the form (or the persona) describes.
    Asked,
}

impl SignInStep {
    /// The code the page writes into `data-sign-in`.
    pub fn code(self) -> &'static str {
        match self {
            SignInStep::BeforeRegistration => "before-registration",
            SignInStep::Asked => "sign-in",
        }
    }
}

/// One sign-in's evaluation, as the page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub step: SignInStep,
    /// Which sign-in, in words, names beside ids ("the user action Register security
    /// information (urn:user:registersecurityinfo)").
    pub sign_in: String,
    pub scenario: Scenario,
    /// Every policy's verdict (reasons with names beside ids), what the enforced policies ask.
    pub report: WhatIf,
}

/// One line of the headline: one listed evaluation's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadlineLine {
    pub step: SignInStep,
    /// [`Evaluation::sign_in`] of the evaluation the line is about.
    pub sign_in: String,
    /// `blocked`, `challenged` or `allowed`.
    pub code: &'static str,
    /// "Challenged: MFA policy: MFA", as [`outcome_words`] words it.
    pub words: String,
    /// Positions (in the policy set) of the policies the words cite: each one applies and is
    /// enforced in that evaluation.
    pub policies: Vec<usize>,
}

/// The headline: the worst line's code, and one line per listed evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    pub code: &'static str,
    pub lines: Vec<HeadlineLine>,
}

/// The What-If the page shows for one scenario: the evaluations it lists, in the order the
/// sign-ins happen. The headline is derived from them on demand and never stored, so it cannot
/// say what the evaluations below it do not (the page once headlined the sign-in before a
/// registration under the registration's own breakdown).
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIfRun {
    evaluations: Vec<Evaluation>,
}

impl WhatIfRun {
    /// Evaluates `s` over `set`: for a security-info registration, the sign-in before it, then
    /// the registration; otherwise `s` alone. Ids in the reasons are worded by
    /// `names` (the draft's labels, the catalogue, the connection).
    pub fn new(set: &CompiledPolicySet, s: &Scenario, names: Naming) -> WhatIfRun {
        let mut evaluations = Vec::with_capacity(2);
        if let (Some(pre), Some(report)) = (s.preceding_sign_in(), set.evaluate_preceding(s)) {
            evaluations.push(Evaluation {
                step: SignInStep::BeforeRegistration,
                sign_in: format!(
                    "{}, which registering security information starts with",
                    sign_in_words(&pre.resource, names)
                ),
                report: named(report, names),
                scenario: pre,
            });
        }
        evaluations.push(Evaluation {
            step: SignInStep::Asked,
            sign_in: sign_in_words(&s.resource, names),
            report: named(set.evaluate(s), names),
            scenario: s.clone(),
        });
        WhatIfRun { evaluations }
    }

    pub fn evaluations(&self) -> &[Evaluation] {
        &self.evaluations
    }

    /// The evaluation of the sign-in asked about (the last).
    pub fn asked(&self) -> &Evaluation {
        self.evaluations
            .last()
            .expect("a run holds the asked sign-in's evaluation")
    }

    /// One line per listed evaluation, from that evaluation's own enforced result.
    pub fn headline(&self) -> Headline {
        let lines: Vec<HeadlineLine> = self
            .evaluations
            .iter()
            .map(|e| {
                let (code, words) = outcome_words(&e.report.outcome(&e.scenario));
                HeadlineLine {
                    step: e.step,
                    sign_in: e.sign_in.clone(),
                    code,
                    words,
                    policies: e.report.enforced.cited(&e.scenario),
                }
            })
            .collect();
        let worst = |code| lines.iter().any(|l| l.code == code);
        let code = if worst("blocked") {
            "blocked"
        } else if worst("challenged") {
            "challenged"
        } else {
            "allowed"
        };
        Headline { code, lines }
    }

    /// Every evaluation's assumptions, each once, in order.
    pub fn notes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in self.evaluations.iter().flat_map(|e| &e.report.notes) {
            if !out.contains(n) {
                out.push(n.clone());
            }
        }
        out
    }
}

/// Each built-in persona's headline over `set`, from the same [`WhatIfRun`] the page lists for
/// a sign-in (the persona matrix).
pub fn persona_headlines(set: &CompiledPolicySet, names: Naming) -> Vec<(&'static str, Headline)> {
    crate::analysis::personas()
        .into_iter()
        .map(|(name, s)| (name, WhatIfRun::new(set, &s, names).headline()))
        .collect()
}

/// "the sign-in to Office 365 Exchange Online (00000002-…)", "the user action Register
/// security information (urn:user:registersecurityinfo)".
fn sign_in_words(r: &Resource, names: Naming) -> String {
    match r {
        Resource::App(id) => format!(
            "the sign-in to {}",
            names.describe_in(Slot::Applications, id)
        ),
        Resource::UserAction(a) => format!(
            "the user action {}",
            names.describe_in(Slot::Applications, a)
        ),
        Resource::AuthContext(c) => format!("the authentication context {c}"),
        Resource::AppGroup(g) => format!(
            "the app group {} (not an app id)",
            names.describe_in(Slot::Applications, g)
        ),
    }
}

/// The report with every id in its reasons named ([`Naming::name_ids_in`]).
fn named(mut w: WhatIf, names: Naming) -> WhatIf {
    for v in &mut w.policies {
        for r in &mut v.reasons {
            r.verdict = names.name_ids_in(&r.verdict);
        }
    }
    w
}

/// The policy set: the draft's steps the admin kept ticked (all but `excluded`), report-only
/// ones previewed as On when `preview_on` (every template starts report-only, which enforces
/// nothing); then the tenant's policies, as they are, except those a ticked step updates (the
/// step is what they would become).
pub fn policy_set(
    draft: &Draft,
    excluded: &[usize],
    preview_on: bool,
    tenant: Option<&PolicyList>,
) -> Vec<Policy> {
    let mut policies: Vec<Policy> = (0..draft.steps.len())
        .filter(|i| !excluded.contains(i))
        .map(|i| {
            let mut pol = draft.effective_policy(i);
            if preview_on
                && edit::state(&pol) == Some(PolicyState::EnabledForReportingButNotEnforced)
            {
                edit::set_state(&mut pol, PolicyState::Enabled);
            }
            pol
        })
        .collect();
    if let Some(t) = tenant {
        let updated: Vec<&str> = (0..draft.steps.len())
            .filter(|i| !excluded.contains(i))
            .map(|i| draft.steps[i].update_policy_id.trim())
            .filter(|id| !id.is_empty())
            .collect();
        policies.extend(
            t.policies
                .iter()
                .filter(|pol| {
                    pol.id
                        .value()
                        .is_none_or(|id| !updated.iter().any(|u| u.eq_ignore_ascii_case(id)))
                })
                .cloned(),
        );
    }
    policies
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ApiVersion;

    #[test]
    fn the_default_form_is_a_member_registering_a_passkey_on_an_unregistered_phone() {
        let (s, problem) = WhatIfForm::default().scenario();
        assert_eq!(problem, None);
        assert_eq!(
            s.resource,
            Resource::UserAction("urn:user:registersecurityinfo".into())
        );
        assert_eq!(s.user.kind, UserKind::Member);
        assert_eq!(s.platform, Some(DevicePlatform::parse("iOS")));
        assert_eq!(s.client_app, ClientApp::MobileAppsAndDesktopClients);
        assert_eq!(s.location, Location::Unknown);
        assert_eq!(s.device, Device::unregistered());
    }

    #[test]
    fn lists_split_on_commas_spaces_and_lines() {
        let form = WhatIfForm {
            groups: "g1, g2\ng3  ".into(),
            location: "trusted".into(),
            named_locations: "n1,n2".into(),
            resource: "app".into(),
            app_id: " app ".into(),
            sign_in_risk: "high".into(),
            auth_flow: "deviceCodeFlow".into(),
            ..WhatIfForm::default()
        };
        let (s, _) = form.scenario();
        assert_eq!(s.user.groups, ["g1", "g2", "g3"]);
        assert_eq!(
            s.location,
            Location::Known {
                named: vec!["n1".into(), "n2".into()],
                trusted: true
            }
        );
        assert_eq!(s.resource, Resource::App("app".into()));
        assert_eq!(s.sign_in_risk, Risk::High);
        assert_eq!(s.user_risk, Risk::None);
        assert_eq!(s.auth_flow, Some(AuthFlow::DeviceCodeFlow));
    }

    #[test]
    fn a_picker_reads_the_form_s_lists_and_writes_them_back_as_the_scenario_reads_them() {
        let ids = form_ids(" g1,g2\n g3 ");
        assert_eq!(ids, ["g1", "g2", "g3"]);
        let form = WhatIfForm {
            groups: write_ids(&ids),
            user_id: write_ids(&ids[..1]),
            ..WhatIfForm::default()
        };
        let (s, _) = form.scenario();
        assert_eq!(s.user.groups, ids);
        assert_eq!(s.user.id, "g1");
        assert_eq!(write_ids(&[]), "");
    }

    #[test]
    fn bad_device_json_is_reported_and_the_choices_still_apply() {
        let form = WhatIfForm {
            registered: true,
            device_json: "{\"extensionAttribute1\": ".into(),
            trust_type: "AzureAD".into(),
            compliant: "True".into(),
            ..WhatIfForm::default()
        };
        let (s, problem) = form.scenario();
        let problem = problem.unwrap();
        assert!(
            problem.starts_with("Device attributes, line 1, column "),
            "{problem}"
        );
        let mut expected = Device::unregistered();
        expected.set("trustType", Value::Str("AzureAD".into()));
        expected.set("isCompliant", Value::Bool(true));
        expected.set("operatingSystem", Value::Str("iOS".into()));
        assert_eq!(s.device, expected);
    }

    #[test]
    fn the_outcome_in_words() {
        assert_eq!(
            outcome_words(&Outcome::Blocked(vec!["a".into(), "b".into()])),
            ("blocked", "Blocked: a; b".to_string())
        );
        assert_eq!(
            outcome_words(&Outcome::Challenged(vec!["mfa".into(), "compliant".into()])),
            ("challenged", "Challenged: mfa; AND compliant".to_string())
        );
        assert_eq!(outcome_words(&Outcome::Allowed).0, "allowed");
    }

    #[test]
    fn the_policy_set_previews_report_only_as_on_and_replaces_updated_tenant_policies() {
        const ID: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
        let mut draft = Draft::new();
        draft.steps[1].update_policy_id = ID.to_uppercase();
        let n = draft.steps.len();
        let all = policy_set(&draft, &[], true, None);
        assert_eq!(all.len(), n);
        assert!(all
            .iter()
            .all(|p| edit::state(p) == Some(PolicyState::Enabled)));
        let kept = policy_set(&draft, &[0], false, None);
        assert_eq!(kept.len(), n - 1);
        assert_eq!(kept[0], draft.effective_policy(1));

        let mut updated = draft.effective_policy(1);
        updated.id = serde_json::from_value(serde_json::json!(ID)).unwrap();
        let other = draft.effective_policy(2);
        let tenant = PolicyList {
            version: ApiVersion::V1,
            policies: vec![updated, other.clone()],
            unreadable: vec![],
            pages: 1,
            truncated: false,
        };
        let with = policy_set(&draft, &[], false, Some(&tenant));
        assert_eq!(with.len(), n + 1);
        assert_eq!(with.last(), Some(&other));
        // Unticking the step that updates it brings the tenant's policy back.
        let without_step = policy_set(&draft, &[1], false, Some(&tenant));
        assert_eq!(without_step.len(), n - 1 + 2);
    }
}
