//! End-to-end tests, one test binary: WebDriver (chromedriver and Debian's chromium) against the
//! release build in dist/ (`trunk build --release` first). Each module was once its own test
//! file. The stand-in for Microsoft Graph is the `fake_graph` dev-dependency (tests/fake_graph),
//! shared with the native graph tests.
#![cfg(not(target_arch = "wasm32"))]

mod support;

mod e2e_bootstrap;
mod e2e_filter_editor;
mod e2e_graph;
mod e2e_hosting;
mod e2e_measure;
mod e2e_names;
mod e2e_passkey_profiles;
mod e2e_phases;
mod e2e_report;
mod e2e_ten_steps;
mod e2e_whatif_pickers;
mod e2e_wizard;
