//! Policy import on any bytes (every encoding and shape `ca-policy import` takes); what it
//! imports is turned back into POST bodies. The checks are tests/native/support/entry_points.rs's.
#![no_main]

// A target drives one entry point of the shared checks; the others are unused here.
#[allow(dead_code)]
#[path = "../../tests/native/support/entry_points.rs"]
mod entry;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = entry::import_and_export(data, &[]);
});
