//! Policy-set lint: the audit's warnings and errors, the device-filter checker's
//! diagnostics, common mistakes where a policy makes them
//! (`docs/graph.md#mistakes-the-product-corrects`), set-level overlaps and contradictions,
//! beta-only properties and the naming convention — each with severity, the policy and field it
//! concerns, and a fix where one exists.

mod kind;

use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::audit::{audit, BreakGlass, Finding};
use super::grant::{Control, Grant};
use super::read::{self, State};
use super::Severity;
use crate::builders::strength::strength_conflicts;
use crate::filter::{self, escape_for_display as visible};
use crate::policy::model::*;
use kind::{LintKind, PasswordChangeRule, RiskRemediationRule};

/// What the admin tells the lint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintConfig {
    /// Break-glass user object ids (declared, never guessed).
    pub break_glass_users: Vec<String>,
    /// Break-glass group object ids.
    pub break_glass_groups: Vec<String>,
    /// Display-name pattern: `*` any run of characters, `?` one character, everything else
    /// literal (case-sensitive), e.g. `CA??? - *`. No regular expressions.
    pub naming_pattern: Option<String>,
}

/// A policy by position and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyRef {
    pub index: usize,
    pub name: String,
}

/// A lint finding: the audit's shape plus the policy it concerns (and, for set-level findings,
/// the other policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintFinding {
    pub policy: PolicyRef,
    #[serde(flatten)]
    pub finding: Finding,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<PolicyRef>,
}

impl LintFinding {
    pub fn is_error(&self) -> bool {
        self.finding.severity == Severity::Error
    }
}

/// The Microsoft Authenticator client id (listed only in third-party catalogues;
/// `docs/graph.md#app-protection-and-authenticator`).
const AUTHENTICATOR_APP: &str = "4813382a-8fa7-425e-ab75-3b753aab3abb";

/// Lints a policy set. Findings come per policy in input order, then the set-level ones.
pub fn lint(policies: &[Policy], config: &LintConfig) -> Vec<LintFinding> {
    let bg = BreakGlass {
        users: config.break_glass_users.clone(),
        groups: config.break_glass_groups.clone(),
    };
    let mut out = Vec::new();
    for (index, p) in policies.iter().enumerate() {
        let me = PolicyRef {
            index,
            name: read::name(p).to_string(),
        };
        let mut push = |f: Finding| {
            out.push(LintFinding {
                policy: me.clone(),
                finding: f,
                related: None,
            })
        };
        // The audit's informational rows (report-only, uses risk…) are facts, not problems.
        audit(p, &bg)
            .into_iter()
            .filter(|f| f.severity != Severity::Info)
            .for_each(&mut push);
        rollout(p).into_iter().for_each(&mut push);
        device_filter(p).into_iter().for_each(&mut push);
        shapes(p).into_iter().for_each(&mut push);
        common_mistakes(p).into_iter().for_each(&mut push);
        strength_grant(p).into_iter().for_each(&mut push);
        risk_controls(p).into_iter().for_each(&mut push);
        device_and_app_controls(p).into_iter().for_each(&mut push);
        if let Some(pattern) = &config.naming_pattern {
            if !glob(pattern, read::name(p)) {
                let kind = LintKind::NamingConvention {
                    name: read::name(p).to_string(),
                    pattern: pattern.clone(),
                };
                push(kind.at("displayName"));
            }
        }
    }
    out.extend(set_level(policies));
    // Messages quote names, rules and values from the input: control and bidirectional
    // characters are written visibly, so a finding cannot rewrite the terminal or the page.
    for f in &mut out {
        if let Cow::Owned(m) = visible(&f.finding.message) {
            f.finding.message = m;
        }
        if let Some(Cow::Owned(fix)) = f.finding.fix.as_deref().map(visible) {
            f.finding.fix = Some(fix);
        }
    }
    out
}

/// State On (no report-only period) and all users + block.
fn rollout(p: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    let state = State::of(p);
    if state == State::On {
        // A draft (no id yet) can still start in report-only; a deployed policy's history is
        // not in the file, so only remind.
        let deployed = p.id.value().is_some();
        out.push(LintKind::EnabledWithoutReportOnly { deployed }.at("state"));
    }
    if read::includes_all_users(p) && Grant::of(p).is_some_and(|g| g.is_block()) {
        let u = read::users(p).expect("includes all users");
        let excludes_nobody = [&u.exclude_users, &u.exclude_groups, &u.exclude_roles]
            .iter()
            .all(|f| read::strings(f).is_empty())
            && u.exclude_guests_or_external_users.value().is_none();
        let scope = if read::targets_all_resources(p) {
            "all resources"
        } else {
            "its resources"
        };
        let kind = LintKind::AllUsersBlock {
            scope,
            excludes_nobody,
            enabled: state == State::On,
        };
        out.push(kind.at("grantControls.builtInControls"));
    }
    out
}

/// The device-filter checker's diagnostics for the policy's rule in its mode (errors such as
/// `\"` pasted from a script, warnings such as an include-mode rule that misses unregistered
/// devices, and infos such as lowercase `true`).
fn device_filter(p: &Policy) -> Vec<Finding> {
    const FIELD: &str = "conditions.devices.deviceFilter.rule";
    let Some(f) = read::conditions(p)
        .and_then(|c| c.devices.value())
        .and_then(|d| d.device_filter.value())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mode = match &f.mode {
        Field::Value(m) => m.as_filter_mode(),
        _ => None,
    };
    if mode.is_none() {
        out.push(LintKind::InvalidFilterMode.at("conditions.devices.deviceFilter.mode"));
    }
    let Some(rule) = f.rule.value() else {
        out.push(LintKind::InvalidFilterRule.at(FIELD));
        return out;
    };
    let checked = filter::check(rule, mode);
    let shown = checked.diagnostics.len().min(MAX_FILTER_FINDINGS);
    // The fixed rule is shown whole only while it is of a size Graph accepts; a longer one
    // would put a copy of the whole input into every finding.
    let whole =
        rule.len() <= filter::MAX_RULE_CHARS || rule.chars().count() <= filter::MAX_RULE_CHARS;
    for d in &checked.diagnostics[..shown] {
        let (line, col) = filter::line_col(rule, d.span.start);
        let mut finding = Finding::new(
            d.code,
            d.severity,
            FIELD,
            format!("{} (rule {line}:{col})", d.message),
        );
        if let Some(fix) = &d.fix {
            finding = finding.with_fix(if whole {
                format!("{}: {}", fix.label, filter::apply_fix(rule, fix))
            } else {
                fix.label.to_string()
            });
        }
        out.push(finding);
    }
    let more = checked.diagnostics.len() - shown;
    if more > 0 {
        out.push(LintKind::MoreFilterDiagnostics { more }.at(FIELD));
    }
    out
}

/// Device-filter findings listed per policy; the rest are counted. Keeps the lint's output
/// linear in the rule's length whatever the rule holds.
const MAX_FILTER_FINDINGS: usize = 20;

/// A JSON-path name and the field, for every collection the shape check looks at.
fn collections(p: &Policy) -> Vec<(String, FieldShape)> {
    let mut out = Vec::new();
    let mut add = |path: &str, shape: FieldShape| out.push((path.to_string(), shape));
    if let Some(c) = read::conditions(p) {
        add("conditions.clientAppTypes", shape(&c.client_app_types));
        add("conditions.signInRiskLevels", shape(&c.sign_in_risk_levels));
        add("conditions.userRiskLevels", shape(&c.user_risk_levels));
        add(
            "conditions.servicePrincipalRiskLevels",
            shape(&c.service_principal_risk_levels),
        );
        if let Some(u) = c.users.value() {
            for (n, f) in [
                ("includeUsers", &u.include_users),
                ("excludeUsers", &u.exclude_users),
                ("includeGroups", &u.include_groups),
                ("excludeGroups", &u.exclude_groups),
                ("includeRoles", &u.include_roles),
                ("excludeRoles", &u.exclude_roles),
            ] {
                add(&format!("conditions.users.{n}"), shape(f));
            }
        }
        if let Some(a) = c.applications.value() {
            for (n, f) in [
                ("includeApplications", &a.include_applications),
                ("excludeApplications", &a.exclude_applications),
                ("includeUserActions", &a.include_user_actions),
                (
                    "includeAuthenticationContextClassReferences",
                    &a.include_authentication_context_class_references,
                ),
            ] {
                add(&format!("conditions.applications.{n}"), shape(f));
            }
        }
        if let Some(pl) = c.platforms.value() {
            add(
                "conditions.platforms.includePlatforms",
                shape(&pl.include_platforms),
            );
            add(
                "conditions.platforms.excludePlatforms",
                shape(&pl.exclude_platforms),
            );
        }
        if let Some(l) = c.locations.value() {
            add(
                "conditions.locations.includeLocations",
                shape(&l.include_locations),
            );
            add(
                "conditions.locations.excludeLocations",
                shape(&l.exclude_locations),
            );
        }
    }
    if let Some(g) = p.grant_controls.value() {
        add("grantControls.builtInControls", shape(&g.built_in_controls));
        add("grantControls.termsOfUse", shape(&g.terms_of_use));
        add(
            "grantControls.customAuthenticationFactors",
            shape(&g.custom_authentication_factors),
        );
    }
    out
}

enum FieldShape {
    Fine,
    Null,
    Scalar(String),
    Other(String),
    /// Members Graph does not define.
    Unknown(Vec<String>),
}

trait Member {
    fn unknown(&self) -> Option<&str>;
}
macro_rules! member {
    ($($t:ty),+) => {$(impl Member for $t {
        fn unknown(&self) -> Option<&str> { (!self.is_known()).then(|| self.as_str()) }
    })+};
}
member!(ClientAppType, RiskLevel, DevicePlatform, GrantControl);
impl Member for String {
    fn unknown(&self) -> Option<&str> {
        None
    }
}

fn shape<T: Member>(f: &Field<Vec<T>>) -> FieldShape {
    match f {
        Field::Absent => FieldShape::Fine,
        Field::Null => FieldShape::Null,
        Field::Value(v) => {
            let unknown: Vec<String> = v
                .iter()
                .filter_map(|m| m.unknown().map(str::to_string))
                .collect();
            if unknown.is_empty() {
                FieldShape::Fine
            } else {
                FieldShape::Unknown(unknown)
            }
        }
        Field::Mismatch(Value::String(s)) => FieldShape::Scalar(s.clone()),
        Field::Mismatch(v) => FieldShape::Other(v.to_string()),
    }
}

/// Scalars where Graph wants arrays, null collections and unknown members
/// (`docs/graph.md#lists-not-scalars`, `#empty-lists-not-null`).
fn shapes(p: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    for (path, s) in collections(p) {
        match s {
            FieldShape::Fine => {}
            FieldShape::Null => out.push(LintKind::NullCollection.at(&path)),
            FieldShape::Scalar(value) => {
                out.push(LintKind::ScalarForCollection { value }.at(&path))
            }
            FieldShape::Other(value) => out.push(LintKind::WrongShape { value }.at(&path)),
            FieldShape::Unknown(members) => out.push(LintKind::UnknownMember { members }.at(&path)),
        }
    }
    out
}

/// Built-in controls Graph refuses next to a required authentication strength.
fn strength_grant(p: &Policy) -> Vec<Finding> {
    let Some(g) = p.grant_controls.value() else {
        return vec![];
    };
    if g.authentication_strength.is_absent() || matches!(g.authentication_strength, Field::Null) {
        return vec![];
    }
    let controls = g.built_in_controls.value().cloned().unwrap_or_default();
    strength_conflicts(&controls)
        .into_iter()
        .map(|c| {
            let kind = LintKind::ControlWithAuthenticationStrength {
                message: c.message,
                fix: c.fix,
            };
            kind.at("grantControls.authenticationStrength")
        })
        .collect()
}

/// The rules Graph gives for `passwordChange` and `riskRemediation`
/// (<https://learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols>).
/// Microsoft's own patterns pass: `[mfa, passwordChange]` under AND, `passwordChange` under
/// AND with an authentication strength, and `riskRemediation` under AND with a strength and
/// sign-in frequency every time.
fn risk_controls(p: &Policy) -> Vec<Finding> {
    const FIELD: &str = "grantControls.builtInControls";
    let Some(g) = p.grant_controls.value() else {
        return vec![];
    };
    let controls = read::members(&g.built_in_controls);
    let password = controls.contains(&GrantControl::PasswordChange);
    let remediation = controls.contains(&GrantControl::RiskRemediation);
    if !password && !remediation {
        return vec![];
    }
    let strength = g.authentication_strength.value().is_some()
        || matches!(g.authentication_strength, Field::Mismatch(Value::Object(_)));
    let and = g.operator.value() == Some(&GrantOperator::And);
    let c = read::conditions(p);
    let user_risk = c.is_some_and(|c| !read::members(&c.user_risk_levels).is_empty());
    let mut out = Vec::new();
    if remediation {
        let mut rule =
            |rule, field: &str| out.push(LintKind::RiskRemediationRules { rule }.at(field));
        if password {
            rule(RiskRemediationRule::WithPasswordChange, FIELD);
        }
        if !strength || !and {
            rule(
                RiskRemediationRule::NoStrengthUnderAnd,
                "grantControls.authenticationStrength",
            );
        }
        if !every_time(p) {
            rule(
                RiskRemediationRule::NoEveryTime,
                "sessionControls.signInFrequency",
            );
        }
        if !user_risk {
            rule(RiskRemediationRule::NoUserRisk, "conditions.userRiskLevels");
        }
        // With riskRemediation present, passwordChange is the one finding above.
        return out;
    }
    let mut rule = |rule, field: &str| out.push(LintKind::PasswordChangeRules { rule }.at(field));
    let mfa = controls.contains(&GrantControl::Mfa) || strength;
    if !mfa || !and {
        rule(PasswordChangeRule::NotWithMfa, FIELD);
    }
    if !user_risk {
        rule(PasswordChangeRule::NoUserRisk, "conditions.userRiskLevels");
    }
    let others = c.map(other_conditions).unwrap_or_default();
    if !others.is_empty() {
        let names = others.join(", ");
        rule(PasswordChangeRule::OtherConditions { names }, "conditions");
    }
    let all_resources = read::targets_all_resources(p)
        && read::applications(p).is_some_and(|a| read::strings(&a.exclude_applications).is_empty());
    if !all_resources {
        rule(
            PasswordChangeRule::NotAllResources,
            "conditions.applications",
        );
    }
    out
}

/// Sign-in frequency Every time, enabled.
fn every_time(p: &Policy) -> bool {
    p.session_controls
        .value()
        .and_then(|s| s.sign_in_frequency.value())
        .is_some_and(|f| {
            f.is_enabled.value() == Some(&true)
                && f.frequency_interval.value() == Some(&SignInFrequencyInterval::EveryTime)
        })
}

/// The conditions in use besides users, applications and userRiskLevels. `clientAppTypes`
/// `["all"]` is the service's default, which every GET returns: not a condition.
fn other_conditions(c: &ConditionSet) -> Vec<String> {
    fn used(v: &Value) -> bool {
        match v {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => o.values().any(used),
            _ => true,
        }
    }
    let Ok(Value::Object(all)) = serde_json::to_value(c) else {
        return vec![];
    };
    all.iter()
        .filter(|(k, _)| !matches!(k.as_str(), "users" | "applications" | "userRiskLevels"))
        .filter(|(k, v)| !(k.as_str() == "clientAppTypes" && **v == serde_json::json!(["all"])))
        .filter(|(_, v)| used(v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// An exclude-mode device filter that exempts Entra-joined devices, and the retired approved
/// client app control. Both are about what the policy enforces: nothing for a policy that is
/// Off.
fn device_and_app_controls(p: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    if State::of(p) == State::Off {
        return out;
    }
    let grant = Grant::of(p);
    let asks_mfa = grant.as_ref().is_some_and(|g| {
        g.controls
            .iter()
            .any(|c| matches!(c, Control::Mfa | Control::AuthenticationStrength(_)))
    });
    let filter = read::conditions(p)
        .and_then(|c| c.devices.value())
        .and_then(|d| d.device_filter.value());
    if let Some(f) = filter {
        let exclude =
            matches!(&f.mode, Field::Value(m) if m.as_filter_mode() == Some(filter::Mode::Exclude));
        let rule: String = f
            .rule
            .value()
            .map(|r| {
                r.chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let joined = rule.contains("device.trusttype") && rule.contains("\"azuread\"");
        if exclude && joined && asks_mfa {
            out.push(LintKind::JoinedDevicesExempt.at("conditions.devices.deviceFilter.rule"));
        }
    }
    if let Some(g) = &grant {
        if g.requires(&Control::ApprovedApplication) {
            let only = g.controls.len() == 1;
            out.push(
                LintKind::ApprovedClientAppRetired { only }.at("grantControls.builtInControls"),
            );
        }
    }
    out
}

/// Other common mistakes, where a policy makes them.
fn common_mistakes(p: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    // includeGroups next to includeUsers All narrows nothing (`docs/graph.md#includes-are-unioned`).
    if let Some(u) = read::users(p) {
        let inc = read::strings(&u.include_users);
        if read::has(&inc, "All") {
            for (name, f) in [
                ("includeGroups", &u.include_groups),
                ("includeRoles", &u.include_roles),
            ] {
                if !read::strings(f).is_empty() {
                    let kind = LintKind::AllUsersWithGroups { name };
                    out.push(kind.at(&format!("conditions.users.{name}")));
                }
            }
        }
    }
    // Typographic characters in the name break lookups typed by hand.
    let name = read::name(p);
    if let Some(c) = name.chars().find(|c| {
        matches!(
            c,
            '\u{2013}'
                | '\u{2014}'
                | '\u{2015}'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201C}'
                | '\u{201D}'
        )
    }) {
        let ascii: String = name
            .chars()
            .map(|c| match c {
                '\u{2013}' | '\u{2014}' | '\u{2015}' => '-',
                '\u{2018}' | '\u{2019}' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                c => c,
            })
            .collect();
        let kind = LintKind::TypographicCharactersInName { found: c, ascii };
        out.push(kind.at("displayName"));
    }
    // Graph refuses a users condition that includes nobody (an empty pilot, say); a workload
    // identity policy targets service principals instead, with its user includes empty.
    if let Some(u) = read::users(p) {
        let workload = read::conditions(p)
            .and_then(|c| c.client_applications.value())
            .is_some_and(|c| !read::strings(&c.include_service_principals).is_empty());
        let nobody = [&u.include_users, &u.include_groups, &u.include_roles]
            .iter()
            .all(|f| read::strings(f).is_empty())
            && u.include_guests_or_external_users.value().is_none();
        if nobody && !workload {
            out.push(LintKind::NoUsersIncluded.at("conditions.users.includeUsers"));
        }
    }
    // Authenticator is a client; it cannot be a target resource.
    if let Some(a) = read::applications(p) {
        if read::has(&read::strings(&a.include_applications), AUTHENTICATOR_APP) {
            out.push(LintKind::TargetsClientApp.at("conditions.applications.includeApplications"));
        }
    }
    out
}

/// Duplicate names, duplicate policies, and contradictions between policies that apply to the
/// same sign-ins. Near-linear in the number of policies: names and conditions are looked up in
/// hash maps, never compared pairwise.
fn set_level(policies: &[Policy]) -> Vec<LintFinding> {
    let mut out = duplicate_names(policies);
    out.extend(same_conditions(policies));
    out
}

fn policy_ref(policies: &[Policy], index: usize) -> PolicyRef {
    PolicyRef {
        index,
        name: policies
            .get(index)
            .map(read::name)
            .unwrap_or_default()
            .to_string(),
    }
}

/// Each named policy against the first earlier one whose name is the same, trimmed and
/// ignoring ASCII case.
fn duplicate_names(policies: &[Policy]) -> Vec<LintFinding> {
    let mut out = Vec::new();
    // `u32` indices: the same map type as elsewhere in the crate, one copy of its code in the
    // web bundle.
    let mut first: HashMap<String, u32> = HashMap::new();
    for (j, q) in policies.iter().enumerate() {
        let Some(name) = q.display_name.value() else {
            continue;
        };
        let i = *first
            .entry(name.trim().to_ascii_lowercase())
            .or_insert(j as u32) as usize;
        if i == j {
            continue;
        }
        out.push(LintFinding {
            policy: policy_ref(policies, j),
            finding: LintKind::DuplicateDisplayName { earlier: i }.at("displayName"),
            related: Some(policy_ref(policies, i)),
        });
    }
    out
}

/// How a policy's grant relates to another's: `None`, a block, or controls to satisfy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GrantClass {
    NoGrant = 0,
    Block = 1,
    Controls = 2,
}

impl GrantClass {
    const ALL: [GrantClass; 3] = [GrantClass::NoGrant, GrantClass::Block, GrantClass::Controls];

    /// The class whose members this one contradicts (a block against controls).
    fn opposite(self) -> Option<GrantClass> {
        match self {
            GrantClass::NoGrant => None,
            GrantClass::Block => Some(GrantClass::Controls),
            GrantClass::Controls => Some(GrantClass::Block),
        }
    }
}

/// Active policies seen so far with one set of conditions.
#[derive(Default)]
struct SameConditions<'a> {
    /// Per grant class: its first member and that member's controls (grant and session).
    first: [Option<(usize, &'a Value)>; 3],
    /// Per grant class: the first member whose controls differ from the class's first.
    first_other: [Option<usize>; 3],
}

/// A key of the one map the set-level check needs: a set of conditions (`group` is `None`),
/// or a set of controls within the group of conditions `group`.
#[derive(PartialEq, Eq)]
struct Key<'a> {
    group: Option<u32>,
    value: &'a Value,
}

impl std::hash::Hash for Key<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.group.hash(h);
        h.write_u64(digest(self.value));
    }
}

/// A hash of a JSON value that, like `Value`'s `==`, ignores the order of object keys: each
/// entry is hashed on its own and the entries are summed. (`Value`'s own `Hash` sorts every
/// object's keys, which costs a sort per object and its code in the web bundle.)
fn digest(v: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    // `new()` has fixed keys: a digest, which the map hashes again with its own random state.
    let mut h = DefaultHasher::new();
    match v {
        Value::Null => 0u8.hash(&mut h),
        Value::Bool(b) => (1u8, b).hash(&mut h),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => (2u8, u).hash(&mut h),
            (None, Some(i), _) => (3u8, i).hash(&mut h),
            // 0.0 == -0.0, so both hash alike.
            (None, None, f) => (4u8, f.map_or(0, |f| (f + 0.0).to_bits())).hash(&mut h),
        },
        Value::String(s) => (5u8, s).hash(&mut h),
        Value::Array(items) => {
            6u8.hash(&mut h);
            items.iter().for_each(|x| h.write_u64(digest(x)));
        }
        Value::Object(o) => {
            let mut sum = 0u64;
            for (k, x) in o {
                let mut e = DefaultHasher::new();
                k.hash(&mut e);
                e.write_u64(digest(x));
                sum = sum.wrapping_add(e.finish());
            }
            (7u8, o.len(), sum).hash(&mut h);
        }
    }
    h.finish()
}

/// Pairs of active policies with the same conditions: a block against a grant
/// (`contradictory-policies`), the same controls (`duplicate-policy`), or other controls that
/// add up (`overlapping-policies`).
///
/// Each policy is reported once per kind, against the first earlier policy of that kind, so a
/// set of k copies gives k - 1 findings rather than k(k - 1)/2 (with two policies, the one
/// pair; with more, the pairs left out follow from those reported: same conditions is an
/// equivalence). Findings are ordered as a pairwise walk would emit them: by the earlier
/// policy, then the later.
fn same_conditions(policies: &[Policy]) -> Vec<LintFinding> {
    struct Active {
        index: usize,
        conditions: Value,
        class: GrantClass,
        /// Grant and session controls: equal exactly when the old pairwise comparison
        /// (`Grant` and `SessionControls` equality) held. `Field` states are tagged because
        /// absent and null serialize alike but differ.
        controls: Value,
    }
    let active: Vec<Active> = policies
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(State::of(p), State::On | State::ReportOnly))
        .map(|(index, p)| {
            let grant = Grant::of(p);
            let class = match &grant {
                None => GrantClass::NoGrant,
                Some(g) if g.is_block() => GrantClass::Block,
                Some(_) => GrantClass::Controls,
            };
            let session_state = match &p.session_controls {
                Field::Absent => 0,
                Field::Null => 1,
                Field::Value(_) => 2,
                Field::Mismatch(_) => 3,
            };
            let controls = Value::Array(vec![
                serde_json::to_value(&grant).unwrap_or(Value::Null),
                Value::from(session_state),
                serde_json::to_value(&p.session_controls).unwrap_or(Value::Null),
            ]);
            Active {
                index,
                conditions: serde_json::to_value(&p.conditions).unwrap_or(Value::Null),
                class,
                controls,
            }
        })
        .collect();

    // Findings bucketed by the earlier policy; each bucket fills in order of the later one.
    let mut by_earlier: Vec<Vec<LintFinding>> = Vec::new();
    by_earlier.resize_with(policies.len(), Vec::new);
    let mut groups: Vec<SameConditions> = Vec::new();
    // Conditions → their group; (group, controls) → the group's first member with them.
    let mut index: HashMap<Key, u32> = HashMap::new();
    for q in &active {
        let (j, c) = (q.index, q.class);
        let next = groups.len() as u32;
        let gid = *index
            .entry(Key {
                group: None,
                value: &q.conditions,
            })
            .or_insert(next);
        if gid == next {
            groups.push(SameConditions::default());
        }
        let Some(g) = groups.get_mut(gid as usize) else {
            continue;
        };
        let same_controls = *index
            .entry(Key {
                group: Some(gid),
                value: &q.controls,
            })
            .or_insert(j as u32) as usize;
        let mut found: Vec<(usize, Finding)> = Vec::new();
        if same_controls != j {
            let i = same_controls;
            let kind = LintKind::DuplicatePolicy {
                earlier: i,
                later: j,
            };
            found.push((i, kind.at("conditions")));
        }
        let opposite = c.opposite();
        if let Some((i, _)) = opposite.and_then(|o| g.first[o as usize]) {
            let (blocker, granter) = if c == GrantClass::Block {
                (j, i)
            } else {
                (i, j)
            };
            let kind = LintKind::ContradictoryPolicies { blocker, granter };
            found.push((i, kind.at("grantControls")));
        }
        // The earliest policy neither a duplicate of this one nor contradicting it.
        let overlap = GrantClass::ALL
            .into_iter()
            .filter(|&k| Some(k) != opposite)
            .filter_map(|k| match g.first[k as usize] {
                Some((i, controls)) if k != c || controls != &q.controls => Some(i),
                Some(_) => g.first_other[k as usize],
                None => None,
            })
            .min();
        if let Some(i) = overlap {
            let kind = LintKind::OverlappingPolicies {
                earlier: i,
                later: j,
            };
            found.push((i, kind.at("conditions")));
        }
        match g.first[c as usize] {
            None => g.first[c as usize] = Some((j, &q.controls)),
            Some((_, controls))
                if controls != &q.controls && g.first_other[c as usize].is_none() =>
            {
                g.first_other[c as usize] = Some(j)
            }
            Some(_) => {}
        }
        for (i, finding) in found {
            if let Some(bucket) = by_earlier.get_mut(i) {
                bucket.push(LintFinding {
                    policy: policy_ref(policies, j),
                    finding,
                    related: Some(policy_ref(policies, i)),
                });
            }
        }
    }
    by_earlier.into_iter().flatten().collect()
}

/// `*` matches any run of characters, `?` one character; everything else literally.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && p[pi] == t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}
