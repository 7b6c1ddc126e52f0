//! The rollout in the order it happens, as the page's phases: *Prepare* (connect or work
//! offline, declare break-glass accounts, audit and import the tenant's policies, prove the
//! bootstrap), *Pilot* (the compensating control scoped to the pilot group and the protection
//! of security-info registration, report-only, then On), *Everyone* (the same control widened
//! to all users), *Harden* (only unmanaged devices challenged, risk policies) and *Watch*
//! (registrations and sign-ins).
//!
//! Also the rollout bar: each template step's state and what comes next. Pure: the page renders
//! what this returns and keeps which phase is open as its own state.

use super::draft::{Action, Draft, StepKind};
use crate::guid::Guid;
use crate::policy::edit;
use crate::policy::model::PolicyState;

/// A screen of the page, in rollout order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    Prepare,
    Pilot,
    Everyone,
    Harden,
    Watch,
}

/// The template steps in the order a rollout deploys them: the pilot's two policies first, then
/// the same control for everyone, then hardening. (The draft keeps its steps in the older
/// order, [`StepKind::ROLLOUT`], so saved drafts and links keep their step numbers.)
pub const ROLLOUT_ORDER: [StepKind; 5] = [
    StepKind::Pilot,
    StepKind::ProtectRegistration,
    StepKind::MfaCompensating,
    StepKind::Hardening,
    StepKind::UserRisk,
];

impl Phase {
    pub const ALL: [Phase; 5] = [
        Phase::Prepare,
        Phase::Pilot,
        Phase::Everyone,
        Phase::Harden,
        Phase::Watch,
    ];

    /// The hook name (`data-phase`).
    pub fn name(self) -> &'static str {
        match self {
            Phase::Prepare => "prepare",
            Phase::Pilot => "pilot",
            Phase::Everyone => "everyone",
            Phase::Harden => "harden",
            Phase::Watch => "watch",
        }
    }

    pub fn from_name(name: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn title(self) -> &'static str {
        match self {
            Phase::Prepare => "Prepare",
            Phase::Pilot => "Pilot",
            Phase::Everyone => "Everyone",
            Phase::Harden => "Harden",
            Phase::Watch => "Watch",
        }
    }

    /// What the phase is for, in an admin's words.
    pub fn explanation(self) -> &'static str {
        match self {
            Phase::Prepare => "Connect to Microsoft Graph or work offline, declare the emergency-access (break-glass) accounts that every policy leaves out, audit the policies the tenant already has and import those you want in the draft, and check that every kind of user can get a first passkey before any policy could block them.",
            Phase::Pilot => "Create the pilot security group and add its members, enable passkeys in Microsoft Authenticator and a Temporary Access Pass for the group, then deploy the compensating control and the protection of security-info registration scoped to the group, report-only. Once their report-only results look right in the sign-in logs, switch them On for the group.",
            Phase::Everyone => "Widen the compensating control from the pilot group to all users: deploy it report-only first, compare its results with the pilot's, then switch it On.",
            Phase::Harden => "Challenge only unmanaged devices: exempt compliant or hybrid-joined devices with a device filter, and add the user-risk policy that replaces the retired Identity Protection risk policies.",
            Phase::Watch => "Follow passkey registrations and sign-in failures while the policies are On, and find the users who have not registered a passkey yet.",
        }
    }

    /// The template steps of this phase, in rollout order (Prepare's steps are the imported
    /// policies; Watch has none).
    pub fn kinds(self) -> &'static [StepKind] {
        match self {
            Phase::Prepare => &[StepKind::Imported],
            Phase::Pilot => &[StepKind::Pilot, StepKind::ProtectRegistration],
            Phase::Everyone => &[StepKind::MfaCompensating],
            Phase::Harden => &[StepKind::Hardening, StepKind::UserRisk],
            Phase::Watch => &[],
        }
    }

    /// The phase a step belongs to.
    pub fn of(kind: StepKind) -> Phase {
        match kind {
            StepKind::Pilot | StepKind::ProtectRegistration => Phase::Pilot,
            StepKind::MfaCompensating => Phase::Everyone,
            StepKind::Hardening | StepKind::UserRisk => Phase::Harden,
            StepKind::Imported => Phase::Prepare,
        }
    }

    /// The indices of the draft's steps in this phase, in rollout order (imported steps in the
    /// draft's order).
    pub fn steps(self, draft: &Draft) -> Vec<usize> {
        self.kinds()
            .iter()
            .flat_map(|k| {
                draft
                    .steps
                    .iter()
                    .enumerate()
                    .filter(move |(_, s)| s.kind == *k)
                    .map(|(i, _)| i)
            })
            .collect()
    }

    /// The step a click on the phase opens: its first step, `None` when it has none.
    pub fn first_step(self, draft: &Draft) -> Option<usize> {
        self.steps(draft).first().copied()
    }

    /// The phase the page opens on: Prepare for a new draft (nothing edited yet), otherwise the
    /// open step's phase, so a reload or a shared link shows the step it was left on.
    pub fn opening(draft: &Draft) -> Phase {
        if *draft == Draft::new() {
            Phase::Prepare
        } else {
            Phase::of(draft.step().kind)
        }
    }
}

/// A policy step's state on the rollout bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarState {
    /// Not in the tenant yet, or there but Off.
    Draft,
    /// In the tenant, report-only.
    ReportOnly,
    /// In the tenant, On.
    On,
}

impl BarState {
    /// The hook name (`data-state`).
    pub fn name(self) -> &'static str {
        match self {
            BarState::Draft => "draft",
            BarState::ReportOnly => "report-only",
            BarState::On => "on",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            BarState::Draft => "Draft",
            BarState::ReportOnly => "Report-only",
            BarState::On => "On",
        }
    }
}

/// One policy on the rollout bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarEntry {
    /// The step's index in the draft (what `Action::Select` takes).
    pub step: usize,
    pub kind: StepKind,
    pub title: &'static str,
    pub phase: Phase,
    pub state: BarState,
    /// The state in a sentence, e.g. "in the tenant, report-only".
    pub detail: String,
}

/// The bar's state of a step, from the draft alone (the bar does not read the tenant):
///
/// - no `update_policy_id`: the draft does not know the policy in the tenant, so **Draft**,
///   whatever state it would be created in (a deploy records the id it created or updated,
///   [`record_deployed`]; the audit's "edit in the draft" and the bootstrap fix record it too);
/// - an `update_policy_id`: the policy is in the tenant with the step's state, since a deploy
///   sends exactly the draft: report-only is **ReportOnly**, On is **On**, Off (or a state this
///   build does not know) is **Draft**, since it enforces nothing and reports nothing.
///
/// So switching the form's state to On on a deployed step shows On: what the tenant holds once
/// that change is deployed.
pub fn bar_state(draft: &Draft, step: usize) -> (BarState, String) {
    let Some(s) = draft.steps.get(step) else {
        return (BarState::Draft, "not in the draft".into());
    };
    let state = edit::state(&s.policy);
    if s.update_policy_id.trim().is_empty() {
        let as_ = match state {
            Some(PolicyState::Enabled) => "On",
            Some(PolicyState::Disabled) => "Off",
            _ => "report-only",
        };
        return (
            BarState::Draft,
            format!("not in the tenant yet (will be created {as_})"),
        );
    }
    match state {
        Some(PolicyState::EnabledForReportingButNotEnforced) => {
            (BarState::ReportOnly, "in the tenant, report-only".into())
        }
        Some(PolicyState::Enabled) => (BarState::On, "in the tenant, On".into()),
        Some(PolicyState::Disabled) => (BarState::Draft, "in the tenant, Off".into()),
        Some(PolicyState::Unknown(s)) => (
            BarState::Draft,
            format!(
                "in the tenant, state {}",
                crate::filter::escape_for_display(&s)
            ),
        ),
        None => (BarState::Draft, "in the tenant, state not set".into()),
    }
}

/// One entry per template step of the draft, in rollout order ([`ROLLOUT_ORDER`]). A draft
/// that lacks a template step (one built by hand) has no entry for it.
pub fn rollout_bar(draft: &Draft) -> Vec<BarEntry> {
    ROLLOUT_ORDER
        .iter()
        .filter_map(|k| {
            let step = draft.steps.iter().position(|s| s.kind == *k)?;
            let (state, detail) = bar_state(draft, step);
            Some(BarEntry {
                step,
                kind: *k,
                title: k.title(),
                phase: Phase::of(*k),
                state,
                detail,
            })
        })
        .collect()
}

/// What comes next for the rollout as a whole, in one sentence: break-glass accounts first;
/// then, in rollout order, the first policy that is not On: deploy it report-only if it is a
/// draft, check its report-only results and switch it On if it is report-only; once every
/// policy is On, watch.
pub fn next_step(draft: &Draft) -> String {
    let bg = &draft.break_glass;
    if !bg.is_declared() && !bg.none_acknowledged {
        return "Next: declare the break-glass accounts every policy leaves out (Prepare).".into();
    }
    let bar = rollout_bar(draft);
    match bar.iter().find(|e| e.state != BarState::On) {
        Some(e) if e.state == BarState::Draft => format!(
            "Next: deploy \u{201c}{}\u{201d} to the tenant report-only ({}).",
            e.title,
            e.phase.title()
        ),
        Some(e) => format!(
            "Next: check \u{201c}{}\u{201d}'s report-only results in the sign-in logs, then switch it On ({}).",
            e.title,
            e.phase.title()
        ),
        None if bar.is_empty() => {
            "Next: import or start the rollout's policies (Prepare).".into()
        }
        None => "Every policy of the rollout is On: watch registrations and sign-in failures (Watch).".into(),
    }
}

/// The actions that record a deploy in the draft: the step it deployed (`step`, the draft's
/// open step when the write was planned) now names the policy the tenant holds, so the bar shows
/// it in the tenant and the next deploy or export updates it instead of creating a namesake.
/// Opens that step again (the reducer's `SetUpdatePolicyId` edits the open step).
pub fn record_deployed(step: usize, id: &Guid) -> [Action; 2] {
    [
        Action::Select(step),
        Action::SetUpdatePolicyId(id.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guid::GuidKind;
    use crate::policy::Policy;

    const ID: &str = "0d6f5b1e-6a39-4c33-9d77-2a1b7c3e4f50";

    fn index(draft: &Draft, kind: StepKind) -> usize {
        draft.steps.iter().position(|s| s.kind == kind).unwrap()
    }

    fn deployed(draft: &mut Draft, kind: StepKind, state: PolicyState) {
        let i = index(draft, kind);
        let id = Guid::parse(ID, GuidKind::Policy).unwrap();
        for a in record_deployed(i, &id) {
            draft.apply(a);
        }
        draft.apply(Action::SetState(state));
    }

    #[test]
    fn names_round_trip_and_are_the_hooks() {
        let names: Vec<_> = Phase::ALL.iter().map(|p| p.name()).collect();
        assert_eq!(names, ["prepare", "pilot", "everyone", "harden", "watch"]);
        for p in Phase::ALL {
            assert_eq!(Phase::from_name(p.name()), Some(p));
            assert!(!p.title().is_empty());
            assert!(p.explanation().len() > 60, "{p:?} explains itself");
        }
        assert_eq!(Phase::from_name("Pilot"), None);
    }

    #[test]
    fn every_step_kind_belongs_to_the_phase_that_lists_it() {
        for k in StepKind::ROLLOUT.into_iter().chain([StepKind::Imported]) {
            let listed: Vec<_> = Phase::ALL
                .into_iter()
                .filter(|p| p.kinds().contains(&k))
                .collect();
            assert_eq!(listed, [Phase::of(k)], "{k:?}");
        }
        assert!(Phase::Watch.kinds().is_empty());
    }

    #[test]
    fn phases_list_the_drafts_steps_in_rollout_order() {
        let mut d = Draft::new();
        // StepKind::ROLLOUT: mfa-compensating 0, pilot 1, hardening 2, protect-registration 3, user-risk 4.
        assert_eq!(Phase::Pilot.steps(&d), [1, 3]);
        assert_eq!(Phase::Everyone.steps(&d), [0]);
        assert_eq!(Phase::Harden.steps(&d), [2, 4]);
        assert_eq!(Phase::Prepare.steps(&d), Vec::<usize>::new());
        assert_eq!(Phase::Watch.first_step(&d), None);
        assert_eq!(Phase::Prepare.first_step(&d), None);
        d.apply(Action::Import(vec![Policy::default(), Policy::default()]));
        assert_eq!(Phase::Prepare.steps(&d), [5, 6]);
        assert_eq!(Phase::Pilot.first_step(&d), Some(1));
    }

    #[test]
    fn a_new_draft_opens_on_prepare_and_an_edited_one_on_its_open_step() {
        let mut d = Draft::new();
        assert_eq!(Phase::opening(&d), Phase::Prepare);
        d.apply(Action::Select(3));
        assert_eq!(Phase::opening(&d), Phase::Pilot);
        d.apply(Action::Select(0));
        assert_eq!(Phase::opening(&d), Phase::Prepare, "as new again");
        d.apply(Action::SetDisplayName("CA001".into()));
        assert_eq!(Phase::opening(&d), Phase::Everyone);
        d.apply(Action::Import(vec![Policy::default()]));
        assert_eq!(
            Phase::opening(&d),
            Phase::Prepare,
            "the imported step is open"
        );
    }

    #[test]
    fn the_bar_lists_every_template_step_in_rollout_order_as_drafts() {
        let d = Draft::new();
        let bar = rollout_bar(&d);
        let kinds: Vec<_> = bar.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ROLLOUT_ORDER);
        let steps: Vec<_> = bar.iter().map(|e| e.step).collect();
        assert_eq!(steps, [1, 3, 0, 2, 4]);
        for e in &bar {
            assert_eq!(e.state, BarState::Draft);
            assert_eq!(e.phase, Phase::of(e.kind));
            assert_eq!(e.title, e.kind.title());
            assert_eq!(
                e.detail,
                "not in the tenant yet (will be created report-only)"
            );
        }
        let phases: Vec<_> = bar.iter().map(|e| e.phase).collect();
        assert_eq!(
            phases,
            [
                Phase::Pilot,
                Phase::Pilot,
                Phase::Everyone,
                Phase::Harden,
                Phase::Harden
            ]
        );
    }

    #[test]
    fn a_step_is_in_the_tenant_once_it_names_a_policy_and_then_shows_its_state() {
        let mut d = Draft::new();
        let pilot = index(&d, StepKind::Pilot);
        d.apply(Action::Select(pilot));
        d.apply(Action::SetState(PolicyState::Enabled));
        assert_eq!(
            bar_state(&d, pilot),
            (
                BarState::Draft,
                "not in the tenant yet (will be created On)".into()
            ),
            "On in the form but never deployed is still a draft"
        );
        deployed(
            &mut d,
            StepKind::Pilot,
            PolicyState::EnabledForReportingButNotEnforced,
        );
        assert_eq!(d.steps[pilot].update_policy_id, ID);
        assert_eq!(d.current, pilot);
        assert_eq!(
            bar_state(&d, pilot),
            (BarState::ReportOnly, "in the tenant, report-only".into())
        );
        d.apply(Action::SetState(PolicyState::Enabled));
        assert_eq!(bar_state(&d, pilot).0, BarState::On);
        d.apply(Action::SetState(PolicyState::Disabled));
        assert_eq!(
            bar_state(&d, pilot),
            (BarState::Draft, "in the tenant, Off".into())
        );
        // Other steps are untouched.
        let others: Vec<_> = rollout_bar(&d)
            .into_iter()
            .filter(|e| e.step != pilot)
            .map(|e| e.state)
            .collect();
        assert_eq!(others, [BarState::Draft; 4]);
        assert_eq!(bar_state(&d, 99).0, BarState::Draft);
    }

    #[test]
    fn an_unknown_state_in_the_tenant_is_shown_escaped() {
        let mut d = Draft::new();
        deployed(
            &mut d,
            StepKind::UserRisk,
            PolicyState::Unknown("odd\u{202e}".into()),
        );
        let (state, detail) = bar_state(&d, index(&d, StepKind::UserRisk));
        assert_eq!(state, BarState::Draft);
        assert!(detail.starts_with("in the tenant, state odd"), "{detail}");
        assert!(!detail.contains('\u{202e}'), "{detail}");
    }

    #[test]
    fn what_comes_next_follows_the_rollout() {
        let mut d = Draft::new();
        assert_eq!(
            next_step(&d),
            "Next: declare the break-glass accounts every policy leaves out (Prepare)."
        );
        d.apply(Action::SetBreakGlassUsers(vec![ID.into()]));
        assert_eq!(
            next_step(&d),
            "Next: deploy \u{201c}Pilot: compensating control for the pilot group\u{201d} to the tenant report-only (Pilot)."
        );
        deployed(
            &mut d,
            StepKind::Pilot,
            PolicyState::EnabledForReportingButNotEnforced,
        );
        assert_eq!(
            next_step(&d),
            "Next: check \u{201c}Pilot: compensating control for the pilot group\u{201d}'s report-only results in the sign-in logs, then switch it On (Pilot)."
        );
        d.apply(Action::SetState(PolicyState::Enabled));
        assert!(
            next_step(&d).contains("Pilot: protect security-info registration"),
            "{}",
            next_step(&d)
        );
        // A later step deployed first does not skip the earlier one.
        deployed(&mut d, StepKind::Hardening, PolicyState::Enabled);
        assert!(next_step(&d).contains("protect security-info"));
        for k in [
            StepKind::ProtectRegistration,
            StepKind::MfaCompensating,
            StepKind::UserRisk,
        ] {
            deployed(&mut d, k, PolicyState::Enabled);
        }
        assert_eq!(
            next_step(&d),
            "Every policy of the rollout is On: watch registrations and sign-in failures (Watch)."
        );
        let mut none = Draft::new();
        none.apply(Action::AcknowledgeNoBreakGlass(true));
        none.steps.retain(|s| s.kind == StepKind::Imported);
        assert_eq!(
            next_step(&none),
            "Next: import or start the rollout's policies (Prepare)."
        );
    }

    #[test]
    fn titles_no_longer_carry_the_articles_numbers() {
        for k in StepKind::ROLLOUT {
            let t = k.title();
            assert!(!t.starts_with(|c: char| c.is_ascii_digit()), "{t}");
            assert!(t.starts_with(Phase::of(k).title()), "{t} names its phase");
        }
    }
}
