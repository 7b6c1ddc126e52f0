//! ca-builder: design Microsoft Entra Conditional Access policies, validate
//! device filters, export Graph JSON and PowerShell.
//!
//! The pure core (`filter`, `policy`, `export`, `analysis`) never touches the
//! DOM or the network. `ui` is the only module that renders (wasm32 only);
//! `graph` is the only one that makes requests. `cli` is the native front end
//! (`ca-policy`) over the same core.

pub mod analysis;
pub mod builders;
pub mod export;
pub mod filter;
pub mod graph;
pub mod guid;
pub mod policy;
pub mod sort;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod ui;
