//! Drafts as the page makes them.

use ca_builder::app::draft::{Action, Draft, StepKind};

/// `d` with its pilot step open and narrowed to `group`, as the pilot step's form does it.
pub fn with_pilot(mut d: Draft, group: &str) -> Draft {
    let pilot = d
        .steps
        .iter()
        .position(|s| s.kind == StepKind::Pilot)
        .expect("the draft has its pilot step");
    d.apply(Action::Select(pilot));
    d.apply(Action::SetPilotGroup(group.into()));
    d
}
