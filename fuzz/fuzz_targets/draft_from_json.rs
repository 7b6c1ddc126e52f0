//! `Draft::from_json` on any text (a saved draft or a share link), then every step exported
//! and steps removed down to the last. The checks are tests/native/support/entry_points.rs's.
#![no_main]

// A target drives one entry point of the shared checks; the others are unused here.
#[allow(dead_code)]
#[path = "../../tests/native/support/entry_points.rs"]
mod entry;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    entry::draft(&String::from_utf8_lossy(data));
});
