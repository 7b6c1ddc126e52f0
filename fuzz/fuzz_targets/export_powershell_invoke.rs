//! The PowerShell export with Invoke-MgGraphRequest of every policy that import takes from any
//! bytes, as a create and as an update. The checks are tests/native/support/entry_points.rs's.
#![no_main]

// A target drives one entry point of the shared checks; the others are unused here.
#[allow(dead_code)]
#[path = "../../tests/native/support/entry_points.rs"]
mod entry;

use ca_builder::export::{Flavour, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = entry::import_and_export(data, &[Format::PowerShell(Flavour::Invoke)]);
});
