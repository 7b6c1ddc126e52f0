//! Native integration tests, one test binary: each module was once its own test file (the
//! module names keep the old file names, so `cargo test --test native analysis_whatif::`
//! runs what `--test analysis_whatif` ran). Shared helpers live in `support`.
#![cfg(not(target_arch = "wasm32"))]

mod support;

mod analysis_audit;
mod analysis_cli;
mod analysis_lint;
mod analysis_lint_set;
mod analysis_whatif;
mod app_bootstrap;
mod app_export;
mod bootstrap;
mod bootstrap_cli;
mod builders_bodies;
mod builders_cli;
mod builders_powershell;
mod diff_cli;
mod directory_picker;
mod dist_integrity;
mod export_cli;
mod export_comment_names;
mod export_corpus;
mod export_json;
mod export_maester;
mod export_powershell;
mod export_script_readings;
mod export_snapshots;
mod export_terraform;
mod filter_cli;
mod filter_diagnostics;
mod filter_eval;
mod filter_examples;
mod filter_hostile;
mod filter_props;
mod graph_fake_server;
mod graph_flows;
mod graph_http;
mod graph_token;
mod hostile_inputs;
mod layering;
mod names;
mod names_beside_ids;
mod output_cli;
mod passkey_profiles;
mod passkey_profiles_graph;
mod pilot_members;
mod policy_bodies;
mod policy_filter_rules;
mod policy_hostile;
mod policy_import;
mod policy_numbers;
mod policy_roundtrip;
mod policy_schema;
mod report;
mod risk_and_loops;
mod rollout_profiles;
mod styles_contrast;
mod whatif_cli;
mod whatif_headline;
mod whatif_page;
mod whatif_reasons;
