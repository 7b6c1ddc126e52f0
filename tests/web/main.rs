//! Browser component tests, one test binary (wasm32 only; natively this crate is empty): the app
//! mounted in headless Chromium by wasm-bindgen-test. Each module was once its own test file.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod support;

mod web_bootstrap;
mod web_checks;
mod web_drafts;
mod web_export;
mod web_filter_editor;
mod web_graph_status;
mod web_measure;
mod web_names;
mod web_passkey;
mod web_passkey_profiles;
mod web_picker;
mod web_pilot_members;
mod web_whatif;
mod web_whatif_pickers;
