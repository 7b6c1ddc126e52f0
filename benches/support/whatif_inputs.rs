//! The What-If benchmark's batch: 195 policies (the templates and corpus policies, varied),
//! 10 000 scenarios and 10 000 Graph evaluate requests with their directory, the outcome sweep
//! over the scenarios and the decision-path sweep over the requests. Shared by `benches/whatif.rs` (native, criterion) and
//! `tests/web/web_measure.rs` (wasm32, in the browser) so both time the same work on the same
//! inputs. Only the library and std: no criterion, no browser, no file system.

use ca_builder::analysis::whatif::evaluate::{
    DeviceInfo, Directory, DirectoryUser, EvaluateRequest, Evaluator, NamedLocations, Prepared,
    SignInConditions, SignInContext, SignInIdentity, UserAction, UserType,
};
use ca_builder::analysis::whatif::{AuthFlow, ClientApp, Location, Resource, Risk, User, UserKind};
use ca_builder::analysis::{personas, CompiledPolicySet, Outcome, Scenario};
use ca_builder::filter::{Device, Value as DeviceValue};
use ca_builder::policy::model::{ClientAppType, RiskLevel};
use ca_builder::policy::model::{DevicePlatform, GuestOrExternalUserType};
use ca_builder::policy::{import_bytes, Field, Policy, RolloutState, Template, TemplateParams};

pub const POLICIES: usize = 195;
pub const SCENARIOS: usize = 10_000;

/// The generator's seed: every run, native or in the browser, measures the same batch.
pub const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// `(path, bytes)` for each corpus file named.
macro_rules! corpus_files {
    ($($name:literal,)*) => {
        &[$(($name, include_bytes!(concat!("../../../shared/corpus/policies/", $name)))),*]
    };
}

/// A small deterministic generator (xorshift), so every run measures the same batch.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// The corpus files the policies are drawn from, by path under the corpus's `policies`
/// directory, in sorted path order (the order the draws below depend on). Embedded, so the
/// browser build measures the same batch; `benches/whatif.rs` checks the list against the
/// directory, so a file added there fails the bench instead of silently changing the batch.
pub const CORPUS_FILES: &[(&str, &[u8])] = corpus_files![
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/100 - RING - Admin protection - All apps Require Strong Auth For admins.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/101 - RING - Admin protection - All apps Require trusted device For admins.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/102 - RING - Admin protection - All apps Block access For admins When on untrusted location.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/103 - RING - Admin protection - All apps Block access For admins When any sign-in risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/104 - RING - Admin protection - Privileged systems Require Strong Auth.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/105 - RING - Admin protection - Privileged systems Require trusted device.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/106 - RING - Admin protection - Privileged systems Block access When on untrusted location.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/107 - RING - Admin protection - Privileged systems Block access For internal users When any sign-in risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/108 - RING - Admin protection - Privileged systems Require trusted device or trusted location.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/109 - RING - Admin protection - All apps Require trusted device or trusted location For admins.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/110 - RING - Admin protection - All apps Require Strong Auth For BreakGlassAccounts.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Application protection/400 - RING - Application protection - Specific apps Require MFA.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Application protection/401 - RING - Application protection - Specific apps Require trusted device.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Application protection/402 - RING - Application protection - Specific apps Block access When on untrusted location.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Application protection/403 - RING - Application protection - Specific apps MCAS monitoring.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Application protection/404 - RING - Application protection - Specific apps MCAS block downloads.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Application protection/405 - RING - Application protection - Specific apps MCAS custom policy.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Application protection/406 - RING - Application protection - Specific apps Require MFA When low or above sign-in risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Application protection/407 - RING - Application protection - Specific apps Require MFA For licensed users When low or above sign-in risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Application protection/408 - RING - Application protection - Specific apps Require trusted device or trusted location.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Application protection/409 - RING - Application protection - Specific apps Require Strong Auth.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Attack surface reduction/300 - RING - Attack surface reduction - All apps Block access When using other clients.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Attack surface reduction/301 - RING - Attack surface reduction - All apps Block access When using active sync.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Attack surface reduction/302 - RING - Attack surface reduction - All apps Block access When using unknown device platforms.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Attack surface reduction/304 - RING - Attack surface reduction - All apps Block access When using other clients on untrusted location.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Attack surface reduction/305 - RING - Attack surface reduction - All apps Block access When using active sync on untrusted location.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Attack surface reduction/306 - RING - Attack surface reduction - All apps Block Auth Transfer.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Attack surface reduction/307 - RING - Attack surface reduction - All apps Block Device Code Flow copy.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/200 - RING - Base protection - All apps Require Strong Auth or trusted device or trusted location.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/201 - RING - Base protection - Register security information Require MFA or trusted device or trusted location For internal users.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/202 - RING - Base protection - All apps Require Strong Auth When medium or above sign-in risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/203 - RING - Base protection - All apps Block access For internal users When high sign-in risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/203 - RING - Base protection - All apps Block access When high sign-in risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/204 - RING - Base protection - All apps Require Strong Auth For licensed users When medium or above sign-in risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/205 - RING - Base protection - All apps Block access For licensed users When high sign-in risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/206 - RING - Base protection - All apps Require password change When high user risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/207 - RING - Base protection - All apps Require password change For licensed users When high user risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/208 - RING - Base protection - All apps Require Strong Auth or trusted device.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/209 - RING - Base protection - All apps Require Token protection for EXO and SPO Desktop App(preview).json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/210 - RING - Base protection - All apps Require ToU for external Users.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/211 - RING - Base protection - Register or Join Entra ID Device Require Strong Auth or trusted location For internal users.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Compliance/600 - RING - Compliance - Specific apps Block access.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Compliance/601 - RING - Compliance - All apps Block access When Elevated Insider Risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Compliance/602 - RING - Compliance - All apps Require Strong Auth When Moderate Insider Risk is detected.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/500 - RING - Data protection - All apps No persistent browser session When on untrusted device.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/501 - RING - Data protection - All apps Short Sign-in frequency When on untrusted device.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/502 - RING - Data protection - O365 Require app protection policy or approved client app For internal users When using mobile apps on iOS or Android.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/503 - RING - Data protection - O365 Require approved client app When using modern authentication clients on iOS or Android.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/504 - RING - Data protection - O365 Require trusted device When using desktop clients on Windows and macOS.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/505 - RING - Data protection - O365 Use app enforced restrictions When using a browser on untrusted devices.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/506 - RING - Data protection - O365 Block access When using mobile apps and desktop clients on unknown device platforms.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/507 - RING - Data protection - O365 Block access For external users When using mobile apps on iOS or Android.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/508 - RING - Data protection - All apps Block Downloads When using a browser for external Users.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/509 - RING - Data protection - All apps Short Sign-in frequency When M365 Admin.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Global Secure Access/800 - RING - Global Secure Access - All Apps Block Access outside of GSA.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Global Secure Access/801 - RING - Global Secure Access - M365 Traffic Require Strong Auth.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Global Secure Access/802 - RING - Global Secure Access - Specific Websites Block.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Workload Protection/700 - RING - Workload Protection - All Apps Block Access from untrusted Location.json",
    "AlexFilipin__ConditionalAccess/PolicyRepository/Workload Protection/701 - RING - Workload Protection - All apps Block Access When risk Level detected.json",
    "denis-beuermann__ConditionalAccess/archive/20210629-Policies.json",
    "denis-beuermann__ConditionalAccess/archive/20220322-Policies.json",
    "denis-beuermann__ConditionalAccess/archive/20230427-conditionalAccessPolicies.json",
    "denis-beuermann__ConditionalAccess/archive/20231124-Policies.json",
    "denis-beuermann__ConditionalAccess/archive/20241201-Policies.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Guest 1 - Allow Guests browser access with sign-in frequency and session controls.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Guest 2 - Block rich client apps.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Guest 3 - Require MFA from critical Guests.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Legacy 1 - Block legacy auth.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Legacy 2 - Block legacy auth.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Mobile 1 - Require approved client apps for Office 365 and selected Apps.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Mobile 2 - Require compliant device for all Cloud Apps except Office 365 and selected Apps.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Mobile 3 - Require MFA for all Users.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Mobile 4 - Require BYOD Terms of use.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Workplace 1 - Allow compliant device rich apps copy 5.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Workplace 1 - Allow compliant device rich apps.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Workplace 2 - Allow non-compliant Browser to O365 with MFA and Session Controls.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Workplace 3 - Block non-compliant Browser to other apps.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/Workplace 4 - Require MFA.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/template-require-mam-android-ios.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/template-require-mfa-admin-roles.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/template-require-mfa-b2b-users.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/template-require-mfa-security-info-registration.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/template-require-trusted-device-app-access copy.json",
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/template-require-trusted-device-app-access.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA000-Global-IdentityProtection-AnyApp-AnyPlatform-MFA.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA001-Global-AttackSurfaceReduction-AnyApp-AnyPlatform-BLOCK-CountryWhitelist.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA002-Global-IdentityProtection-AnyApp-AnyPlatform-Block-LegacyAuthentication.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA003-Global-BaseProtection-RegisterOrJoin-AnyPlatform-MFA.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA004-Global-IdentityProtection-AnyApp-AnyPlatform-AuthenticationFlows.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA005-Global-DataProtection-Office365-iOSenAndroid-ClientApps-Unmanaged-AppEnforcedRestrictions.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA006-Global-DataProtection-Office365-AnyPlatform-Browser-Unmanaged-AppEnforceRestrictions.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA100-Admins-IdentityProtection-AdminPortals-AnyPlatform-MFA.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA101-Admins-IdentityProtection-AnyApp-AnyPlatform-MFA.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA102-Admins-IdentityProtection-AllApps-AnyPlatform-SigninFrequency.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA103-Admins-IdentityProtection-AllApps-AnyPlatform-PersistentBrowser.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA104-Admins-IdentityProtection-AllApps-AnyPlatform-ContinuousAccessEvaluation.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA105-Admins-IdentityProtection-AnyApp-AnyPlatform-PhishingResistantMFA.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA200-Internals-IdentityProtection-AnyApp-AnyPlatform-MFA.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA201-Internals-IdentityProtection-AnyApp-AnyPlatform-BLOCK-HighRiskUser.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA202-Internals-IdentityProtection-AllApps-WindowsMacOS-SigninFrequency-UnmanagedDevices.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA203-Internals-AppProtection-MicrosoftIntuneEnrollment-AnyPlatform-MFA.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA204-Internals-AttackSurfaceReduction-AllApps-AnyPlatform-BlockUnknownPlatforms.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA205-Internals-BaseProtection-AnyApp-Windows-CompliantorAADHJ.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA206-Internals-IdentityProtection-AllApps-AnyPlatform-PersistentBrowser.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA207-Internals-AttackSurfaceReduction-SelectedApps-AnyPlatform-BLOCK.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA208-Internals-BaseProtection-AnyApp-MacOS-Compliant.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA209-Internals-IdentityProtection-AllApps-AnyPlatform-ContinuousAccessEvaluation.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA210-Internals-IdentityProtection-AnyApp-AnyPlatform-BLOCK-HighRiskSignIn.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA300-ServiceAccounts-IdentityProtection-AnyApp-AnyPlatform-MFA.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA301-ServiceAccounts-AttackSurfaceReduction-AllApps-AnyPlatform-BlockUntrustedLocations.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA400-GuestUsers-IdentityProtection-AnyApp-AnyPlatform-MFA.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA401-GuestUsers-AttackSurfaceReduction-AllApps-AnyPlatform-BlockNonGuestAppAccess.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA402-GuestUsers-IdentityProtection-AllApps-AnyPlatform-SigninFrequency.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA403-GuestUsers-IdentityProtection-AllApps-AnyPlatform-PersistentBrowser.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA404-GuestUsers-AttackSurfaceReduction-SelectedApps-AnyPlatform-BLOCK.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA501-Agents-IdentityProtection-AnyApp-AnyPlatform-BLOCK-HighRiskAgent.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA502-Agents-AttackSurfaceReduction-AllAgentIdentities-AllAgentResources-BLOCK.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA503-Agents-BaseProtection-AllAgentUsers-RequireCompliantDevice.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA504-Agents-IdentityProtection-AllAgentUsers-AllResources-BlockRiskyAgents.json",
    "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA505-Agents-AttackSurfaceReduction-AllAgentUsers-AllResources-RequireCompliantNetWork.json",
    "jsa2__caOptics/demodata/example1-2.json",
    "jsa2__caOptics/demodata/extreme.json",
    "jsa2__caOptics/demodata/extremelyNarrow.json",
    "jsa2__caOptics/demodata/extremelyNarrow2.json",
    "jsa2__caOptics/demodata/largePol.json",
    "jsa2__caOptics/demodata/lotOfGroups.json",
    "jsa2__caOptics/demodata/multipleGuestTypes.json",
    "jsa2__caOptics/demodata/policies.json",
    "jsa2__caOptics/demodata/policies2.json",
    "jsa2__caOptics/demodata/testMapping.json",
    "jsa2__caOptics/demodata/wLa.json",
    "jsa2__caOptics/demodata/withOnePerm.json",
];

/// Every policy in the corpus files, in file order; files that do not import are skipped.
pub fn corpus() -> Vec<Policy> {
    CORPUS_FILES
        .iter()
        .filter_map(|(_, bytes)| import_bytes(bytes).ok())
        .flatten()
        .collect()
}

/// 195 policies: the five templates in each state, then corpus policies, every one switched On
/// or Report-only (a disabled policy costs nothing) and some renamed, in a shuffled order.
pub fn policy_set(rng: &mut Rng) -> Vec<Policy> {
    let bg = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e".to_string();
    let mut out = Vec::new();
    for t in Template::ALL {
        for state in [RolloutState::Enabled, RolloutState::ReportOnly] {
            out.push(
                t.build(&TemplateParams {
                    exclude_users: vec![bg.clone()],
                    pilot_group: Some("5e769024-0f21-4be0-af23-dd6045caa1c9".into()),
                    state,
                    ..Default::default()
                })
                .unwrap(),
            );
        }
    }
    let corpus = corpus();
    let mut i = 0;
    while out.len() < POLICIES {
        let mut p = corpus[(rng.next() as usize) % corpus.len()].clone();
        p.state = Field::Value(if i % 3 == 0 {
            ca_builder::policy::model::PolicyState::EnabledForReportingButNotEnforced
        } else {
            ca_builder::policy::model::PolicyState::Enabled
        });
        i += 1;
        out.push(p);
    }
    out
}

/// Group, user and location ids that occur in the policies, so scenarios hit includes and
/// excludes, not only misses.
pub fn ids_in(policies: &[Policy]) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut groups, mut users, mut locations) = (Vec::new(), Vec::new(), Vec::new());
    for p in policies {
        let Some(c) = p.conditions.value() else {
            continue;
        };
        if let Some(u) = c.users.value() {
            for f in [&u.include_groups, &u.exclude_groups] {
                groups.extend(f.value().into_iter().flatten().cloned());
            }
            for f in [&u.include_users, &u.exclude_users] {
                users.extend(
                    f.value()
                        .into_iter()
                        .flatten()
                        .filter(|s| s.contains('-'))
                        .cloned(),
                );
            }
        }
        if let Some(l) = c.locations.value() {
            for f in [&l.include_locations, &l.exclude_locations] {
                locations.extend(
                    f.value()
                        .into_iter()
                        .flatten()
                        .filter(|s| s.contains('-'))
                        .cloned(),
                );
            }
        }
    }
    groups.push("00000000-0000-0000-0000-00000000abcd".into());
    users.push("00000000-0000-0000-0000-00000000beef".into());
    locations.push("00000000-0000-0000-0000-00000000cafe".into());
    (groups, users, locations)
}

pub fn scenarios(policies: &[Policy], rng: &mut Rng) -> Vec<Scenario> {
    let (groups, users, locations) = ids_in(policies);
    let base: Vec<Scenario> = personas().into_iter().map(|(_, s)| s).collect();
    let platforms = [
        Some(DevicePlatform::Windows),
        Some(DevicePlatform::IOS),
        Some(DevicePlatform::Android),
        Some(DevicePlatform::MacOS),
        Some(DevicePlatform::Linux),
        None,
    ];
    let clients = [
        ClientApp::Browser,
        ClientApp::MobileAppsAndDesktopClients,
        ClientApp::ExchangeActiveSync,
        ClientApp::Other,
    ];
    let risks = [Risk::None, Risk::None, Risk::Low, Risk::Medium, Risk::High];
    let resources = [
        Resource::App("00000002-0000-0ff1-ce00-000000000000".into()),
        Resource::App("00000003-0000-0ff1-ce00-000000000000".into()),
        Resource::App("797f4846-ba00-4fd7-ba43-dac1f8f63013".into()),
        Resource::UserAction("urn:user:registersecurityinfo".into()),
        Resource::UserAction("urn:user:registerdevice".into()),
        Resource::AuthContext("c1".into()),
    ];
    let trust = ["AzureAD", "ServerAD", "Workplace"];
    (0..SCENARIOS)
        .map(|_| {
            let mut s = rng.pick(&base).clone();
            s.user = User {
                id: rng.pick(&users).clone(),
                groups: (0..(rng.next() % 4))
                    .map(|_| rng.pick(&groups).clone())
                    .collect(),
                roles: if rng.next() % 5 == 0 {
                    vec!["62e90394-69f5-4237-9190-012177145e10".into()]
                } else {
                    vec![]
                },
                kind: if rng.next() % 6 == 0 {
                    UserKind::Guest {
                        guest_type: GuestOrExternalUserType::B2bCollaborationGuest,
                        home_tenant: None,
                    }
                } else {
                    UserKind::Member
                },
            };
            s.resource = rng.pick(&resources).clone();
            s.client_app = *rng.pick(&clients);
            s.platform = rng.pick(&platforms).clone();
            s.location = if rng.next() % 3 == 0 {
                Location::Unknown
            } else {
                Location::Known {
                    named: vec![rng.pick(&locations).clone()],
                    trusted: rng.next() % 2 == 0,
                }
            };
            s.sign_in_risk = *rng.pick(&risks);
            s.user_risk = *rng.pick(&risks);
            s.auth_flow = if rng.next() % 10 == 0 {
                Some(AuthFlow::DeviceCodeFlow)
            } else {
                None
            };
            s.device = if rng.next() % 3 == 0 {
                Device::unregistered()
            } else {
                Device::default()
                    .with("trustType", DeviceValue::Str(rng.pick(&trust).to_string()))
                    .with("isCompliant", DeviceValue::Bool(rng.next() % 2 == 0))
                    .with("deviceOwnership", DeviceValue::Str("Company".into()))
            };
            s
        })
        .collect()
}

/// 10 000 evaluate requests over the same ids as the scenarios, and the directory that gives
/// their users groups and roles.
pub fn requests(policies: &[Policy], rng: &mut Rng) -> (Vec<EvaluateRequest>, Directory) {
    let (groups, users, _) = ids_in(policies);
    let mut directory = Directory::default();
    for u in &users {
        directory.users.insert(
            u.to_ascii_lowercase(),
            DirectoryUser {
                groups: (0..(rng.next() % 4))
                    .map(|_| rng.pick(&groups).clone())
                    .collect(),
                roles: if rng.next() % 5 == 0 {
                    vec!["62e90394-69f5-4237-9190-012177145e10".into()]
                } else {
                    vec![]
                },
                user_type: if rng.next() % 6 == 0 {
                    UserType::Guest
                } else {
                    UserType::Member
                },
            },
        );
    }
    let contexts = [
        SignInContext::Application {
            include_applications: vec!["00000002-0000-0ff1-ce00-000000000000".into()],
        },
        SignInContext::Application {
            include_applications: vec!["00000003-0000-0ff1-ce00-000000000000".into()],
        },
        SignInContext::UserAction {
            user_action: UserAction::RegisterSecurityInformation,
        },
        SignInContext::AuthContext {
            authentication_context_value: "c1".into(),
        },
    ];
    let platforms = [
        Some(DevicePlatform::Windows),
        Some(DevicePlatform::IOS),
        Some(DevicePlatform::Android),
        Some(DevicePlatform::MacOS),
        None,
    ];
    let clients = [
        Some(ClientAppType::Browser),
        Some(ClientAppType::MobileAppsAndDesktopClients),
        Some(ClientAppType::Other),
        None,
    ];
    let risks = [
        None,
        Some(RiskLevel::Low),
        Some(RiskLevel::Medium),
        Some(RiskLevel::High),
    ];
    let trust = ["AzureAD", "ServerAD", "Workplace"];
    let requests = (0..SCENARIOS)
        .map(|_| EvaluateRequest {
            sign_in_identity: SignInIdentity::User {
                user_id: rng.pick(&users).clone(),
                external_tenant_id: None,
                external_user_type: None,
            },
            sign_in_context: rng.pick(&contexts).clone(),
            sign_in_conditions: SignInConditions {
                client_app_type: rng.pick(&clients).clone(),
                device_platform: rng.pick(&platforms).clone(),
                sign_in_risk_level: rng.pick(&risks).clone(),
                user_risk_level: rng.pick(&risks).clone(),
                device_info: Some(if rng.next() % 3 == 0 {
                    DeviceInfo::default()
                } else {
                    DeviceInfo {
                        trust_type: Some(rng.pick(&trust).to_string()),
                        is_compliant: Some(rng.next() % 2 == 0),
                        ..DeviceInfo::default()
                    }
                }),
                ..SignInConditions::default()
            },
            applied_policies_only: false,
        })
        .collect();
    (requests, directory)
}

/// The whole batch, drawn in the bench's order (policies, scenarios, requests) from [`SEED`].
pub struct Batch {
    pub policies: Vec<Policy>,
    pub scenarios: Vec<Scenario>,
    pub requests: Vec<EvaluateRequest>,
    pub directory: Directory,
}

pub fn batch() -> Batch {
    let mut rng = Rng(SEED);
    let policies = policy_set(&mut rng);
    assert_eq!(policies.len(), POLICIES);
    let scenarios = scenarios(&policies, &mut rng);
    let (requests, directory) = requests(&policies, &mut rng);
    Batch {
        policies,
        scenarios,
        requests,
        directory,
    }
}

/// What a sweep decided: how many requests, and a sum over their results that depends on every
/// decision (applying policies plus enforced requirements), so none of the work is optimised away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sweep {
    pub decisions: usize,
    pub weight: usize,
}

/// The decision path over each request: read it onto a scenario, every policy's `policyApplies`
/// and `analysisReasons`, the combined enforced decision (as `ca-policy whatif` and the
/// bootstrap proof run them, without the explanation in words).
pub fn sweep(
    evaluator: &Evaluator,
    requests: &[EvaluateRequest],
    directory: &Directory,
    locations: &NamedLocations,
) -> Sweep {
    let mut decisions = 0;
    let mut weight = 0;
    for r in requests {
        let p = Prepared::new(std::hint::black_box(r), directory, locations)
            .expect("the generated requests are valid");
        let results = evaluator.results(&p);
        let (enforced, _) = evaluator.decide(&p.scenarios[0], &results, false);
        decisions += 1;
        weight += results.iter().filter(|r| r.applies).count() + enforced.requirements.len();
    }
    Sweep { decisions, weight }
}

/// What an outcome sweep found: how many scenarios, and how many were blocked and challenged
/// (the rest allowed), so every outcome is read and none of the work is optimised away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcomes {
    pub decisions: usize,
    pub blocked: usize,
    pub challenged: usize,
}

/// The matrix's path over each scenario: the enforced decision and whether it blocks,
/// challenges or allows ([`CompiledPolicySet::outcome`]), with the words the matrix shows.
pub fn outcomes(set: &CompiledPolicySet, scenarios: &[Scenario]) -> Outcomes {
    let mut o = Outcomes {
        decisions: 0,
        blocked: 0,
        challenged: 0,
    };
    for s in scenarios {
        match set.outcome(std::hint::black_box(s)) {
            Outcome::Blocked(_) => o.blocked += 1,
            Outcome::Challenged(_) => o.challenged += 1,
            Outcome::Allowed => {}
        }
        o.decisions += 1;
    }
    o
}
