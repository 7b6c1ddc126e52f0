//! The rollout's phases as screens: `nav.rs`, the phase navigation (`#phase-nav`, one button
//! per phase, the open one `aria-current="step"`), and `bar.rs`, the rollout bar
//! (`#rollout-bar`: each policy's state in words and what comes next). What each phase holds
//! and the bar's states are `crate::app::phase`'s; which phase is open is the app's state.

mod bar;
mod nav;

pub use bar::RolloutBar;
pub use nav::PhaseNav;
