//! `filter::check` with `render`, `format` and the fixes on any text, in each policy mode
//! (the first byte picks it). The checks are tests/native/support/entry_points.rs's.
#![no_main]

// A target drives one entry point of the shared checks; the others are unused here.
#[allow(dead_code)]
#[path = "../../tests/native/support/entry_points.rs"]
mod entry;

use ca_builder::filter::Mode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let mode = [None, Some(Mode::Include), Some(Mode::Exclude)][usize::from(first % 3)];
    entry::filter(&String::from_utf8_lossy(rest), mode);
});
