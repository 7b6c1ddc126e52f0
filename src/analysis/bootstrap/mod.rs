//! The bootstrap proof: can each persona get a passkey in Microsoft Authenticator, and then use
//! it? For each persona (who, what they hold, on which device) the journey is walked in three
//! steps, and the first that breaks says which policy or setting breaks it and what would fix
//! it:
//!
//! 1. **reach-registration**: the Conditional Access policies on the Register security
//!    information user action, and the application sign-in Authenticator makes to register
//!    (Microsoft Authenticator Credential Registration, which All-resources policies cover
//!    unless they exclude it), with the methods the persona holds; then MFA within the last
//!    five minutes, which passkey registration requires (a Temporary Access Pass counts where
//!    Microsoft says it does: the MFA strength, and strengths that list it);
//! 2. **register-passkey**: the passkey (FIDO2) method policy: enabled for the persona,
//!    self-service set-up allowed, a passkey profile in scope (or the legacy key restrictions)
//!    admitting a device-bound passkey in Microsoft Authenticator; attestation as configured;
//! 3. **sign-in-with-passkey**: an ordinary sign-in to the persona's resource (Exchange Online
//!    unless the persona names one) on the same device, presenting the passkey and nothing else.
//!
//! Layout: `persona` reads PERSONAS.json; `held` turns methods into what a sign-in presents;
//! `strengths` the built-in and custom strengths; `methods` the method policy; `steps` the
//! three steps; `grid` the built-in personas and the persona × device grid; `registrations` the tenant's
//! registration report as rows; `read` the shared
//! reading of input files. Which policies apply is the What-If's decision path
//! ([`CompiledPolicySet::decide`]); words are written only for what a step shows.

mod grid;
mod held;
mod methods;
mod persona;
mod read;
mod registrations;
mod steps;
mod strengths;

use serde::Serialize;

pub use grid::{builtin_personas, grid, BuiltinPersonas, Cell, DeviceColumn, Grid, Holder};
pub use held::Held;
pub use methods::MethodsPolicy;
pub use persona::{read_personas, read_personas_with, MethodRegistered, Persona};
pub use registrations::{read_registrations, Registration};
pub use steps::{Step, StepResult, METHODS_POLICY};
pub use strengths::{Strength, Strengths};

use crate::analysis::grant::Grant;
use crate::analysis::read::{self as policy_read, State};
use crate::analysis::whatif::evaluate::{
    scenario_for, Directory, EvaluateError, NamedLocations, SignInContext, UserAction,
};
use crate::analysis::whatif::{CompiledPolicySet, Resource, Scenario, EXCHANGE_ONLINE_APP};
use crate::builders::strength::{strength_loop, StrengthLoop};
use crate::policy::model::{Field, Policy, PolicyState};

/// What the proof needs to know about one policy, read once.
#[derive(Debug, Clone)]
pub(crate) struct PolicyInfo {
    /// The policy's id, or its display name when it has none yet (a draft).
    pub(crate) label: String,
    pub(crate) name: String,
    /// Targets applications (All resources among them), not user actions.
    pub(crate) targets_apps: bool,
    /// The strength its grant requires, when it requires one and it is known.
    strength: Option<Strength>,
    pub(crate) strength_loop: Option<StrengthLoop>,
}

impl PolicyInfo {
    fn strength(&self) -> Option<&Strength> {
        self.strength.as_ref()
    }

    /// The grant in words, the strength by its name when it is known.
    fn describe(&self, g: &Grant) -> String {
        let words = g.describe();
        match &self.strength {
            Some(s) if s.name != s.id => {
                words.replace(&format!("{:?}", s.id), &format!("{:?}", s.name))
            }
            _ => words,
        }
    }
}

/// A tenant (or a draft) prepared for many personas.
#[derive(Debug, Clone)]
pub struct Proof {
    set: CompiledPolicySet,
    policies: Vec<PolicyInfo>,
    methods: MethodsPolicy,
    mfa: Strength,
    directory: Directory,
    locations: NamedLocations,
    notes: Vec<String>,
}

/// One persona's journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonaVerdict {
    pub name: String,
    /// All three steps are ok.
    pub ready: bool,
    pub steps: Vec<StepResult>,
    /// What the What-If assumed about this persona's sign-ins.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl PersonaVerdict {
    /// The first step that failed, if one did.
    pub fn failed(&self) -> Option<&StepResult> {
        self.steps.iter().find(|s| s.ok == Some(false))
    }
}

/// The proof for a list of personas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub personas: Vec<PersonaVerdict>,
    /// What was assumed for the whole run (the method policy's defaults, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The Register security information user action, as evaluate names it.
fn registration_context() -> SignInContext {
    SignInContext::UserAction {
        user_action: UserAction::RegisterSecurityInformation,
    }
}

/// The default resource of the last step: Exchange Online.
pub fn default_resource() -> SignInContext {
    SignInContext::Application {
        include_applications: vec![EXCHANGE_ONLINE_APP.to_string()],
    }
}

impl Proof {
    /// Prepares `policies` (report-only ones enforced when `report_only_as_on`, a preview of
    /// switching them On), the method policy and the strengths.
    pub fn new(
        policies: &[Policy],
        methods: MethodsPolicy,
        strengths: &Strengths,
        directory: Directory,
        locations: NamedLocations,
        report_only_as_on: bool,
    ) -> Proof {
        let on: Vec<Policy>;
        let policies = if report_only_as_on {
            on = policies
                .iter()
                .map(|p| {
                    let mut p = p.clone();
                    if State::of(&p) == State::ReportOnly {
                        p.state = Field::Value(PolicyState::Enabled);
                    }
                    p
                })
                .collect();
            &on[..]
        } else {
            policies
        };
        let infos = policies.iter().map(|p| info(p, strengths)).collect();
        let mut notes = methods.assumed.clone();
        let report_only = policies
            .iter()
            .filter(|p| State::of(p) == State::ReportOnly)
            .count();
        if report_only_as_on {
            notes.push("--report-only-as-on: report-only policies are enforced as if On".into());
        } else if report_only > 0 {
            notes.push(format!(
                "{report_only} report-only policies are not enforced; --report-only-as-on previews them as On"
            ));
        }
        Proof {
            set: CompiledPolicySet::new(policies),
            policies: infos,
            mfa: Strength::mfa(),
            methods,
            directory,
            locations,
            notes,
        }
    }

    /// What the run assumed.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// One persona's journey.
    pub fn prove(&self, p: &Persona) -> Result<PersonaVerdict, EvaluateError> {
        self.prove_in(p, &self.directory)
    }

    fn prove_in(
        &self,
        p: &Persona,
        directory: &Directory,
    ) -> Result<PersonaVerdict, EvaluateError> {
        let (registration, mut notes) = scenario_for(
            &p.user_id,
            &registration_context(),
            &p.conditions,
            directory,
            &self.locations,
        )?;
        let resource = match &p.context {
            None => Scenario {
                resource: Resource::App(EXCHANGE_ONLINE_APP.into()),
                ..registration.clone()
            },
            Some(c) => {
                let (s, more) =
                    scenario_for(&p.user_id, c, &p.conditions, directory, &self.locations)?;
                for n in more {
                    if !notes.contains(&n) {
                        notes.push(n);
                    }
                }
                s
            }
        };
        let j = steps::Journey {
            user_id: &p.user_id,
            methods: &p.methods,
            registration: &registration,
            resource: &resource,
        };
        let mut steps = Vec::with_capacity(3);
        let mut failed: Option<Step> = None;
        for step in Step::ALL {
            let r = match failed {
                Some(f) => StepResult::not_reached(step, f),
                None => match step {
                    Step::ReachRegistration => self.reach_registration(&j),
                    Step::RegisterPasskey => self.register_passkey(&j),
                    Step::SignInWithPasskey => self.sign_in_with_passkey(&j),
                },
            };
            if r.ok == Some(false) {
                failed = Some(step);
            }
            steps.push(r);
        }
        Ok(PersonaVerdict {
            name: p.name.clone(),
            ready: steps.iter().all(|s| s.ok == Some(true)),
            steps,
            notes,
        })
    }
}

/// The proof for every persona, in order; the first persona the What-If cannot read stops it
/// (with its index).
pub fn prove(proof: &Proof, personas: &[Persona]) -> Result<Report, (usize, EvaluateError)> {
    let personas = personas
        .iter()
        .enumerate()
        .map(|(i, p)| proof.prove(p).map_err(|e| (i, e)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Report {
        personas,
        notes: proof.notes.clone(),
    })
}

fn info(p: &Policy, strengths: &Strengths) -> PolicyInfo {
    let name = policy_read::name(p).to_string();
    let label = match p.id.value() {
        Some(id) if !id.is_empty() => id.clone(),
        _ => name.clone(),
    };
    let targets_apps = policy_read::applications(p).is_some_and(|a| {
        !policy_read::strings(&a.include_applications).is_empty()
            || a.application_filter.value().is_some()
    });
    let strength = p
        .grant_controls
        .value()
        .and_then(|g| g.authentication_strength.value())
        .and_then(|s| {
            // The tenant's list first, then the built-ins, then what the policy carries
            // expanded.
            s.id.value()
                .and_then(|id| strengths.get(id).cloned())
                .or_else(|| Strength::from_grant(s))
        });
    PolicyInfo {
        label,
        name,
        targets_apps,
        strength,
        strength_loop: strength_loop(p),
    }
}
