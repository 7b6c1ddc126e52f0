//! (stub: filled in by the analysis work)
pub(crate) fn run(_args: &[String]) -> i32 { super::usage_error("not implemented yet") }
