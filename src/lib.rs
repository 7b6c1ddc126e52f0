//! ca-builder: design Microsoft Entra Conditional Access policies for a passkey rollout,
//! validate device filters, export Graph JSON and PowerShell, and apply them through Graph.
//!
//! Layers, lowest first; a module uses only modules of lower layers (`tests/native/layering.rs`
//! reads every `crate::…` path and fails on one that points up or sideways):
//!
//! 0. `guid`, `located`, `sort`: leaves.
//! 1. `filter`: the device-filter rule language; `names`: the role and app catalogue and the
//!    draft's labels, which put names beside ids.
//! 2. `policy`: the Graph v1.0 `conditionalAccessPolicy` model, import, templates.
//! 3. `builders`: authentication methods, strengths, risk policies, the rollout plan.
//! 4. `export` (Graph JSON, PowerShell, the rollout bundle) and `analysis` (lint, audit, What-If).
//! 5. `graph`: the only module that makes requests.
//! 6. `app`: the admin's session and the rollout as a plan: the draft and its reducer, the
//!    rollout assembled from it, the writes the page previews and then sends, the What-If form.
//! 7. `ui` (wasm32 only; the only module that renders) and `cli` (native `ca-policy`).
//!
//! Layers 0–4 are the pure core: no DOM, no network.

pub mod guid;
pub mod located;
pub mod sort;

pub mod filter;
pub mod names;

pub mod policy;

pub mod builders;

pub mod analysis;
pub mod export;

pub mod graph;

pub mod app;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod ui;
