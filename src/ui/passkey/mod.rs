//! "Passkeys in Microsoft Authenticator": the passkey, TAP and strength settings, their
//! PATCHes and the rollout script (`panel.rs`, computed in `preview.rs`), the fixed notes
//! (`notes.rs`), and, while connected to Graph, reading and sending them (`deploy.rs`).

mod deploy;
mod notes;
mod panel;
mod preview;

pub use panel::PasskeyPanel;
