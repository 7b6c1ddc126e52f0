//! "Passkeys in Microsoft Authenticator": the passkey, TAP and strength settings, their
//! PATCHes and the rollout script (`panel.rs`, computed in `preview.rs`), the fixed notes
//! (`notes.rs`), and, while connected to Graph, reading and sending them (`deploy.rs`). On a
//! tenant with passkey profiles, the configuration in words and the pilot profile's steps
//! (`profiles.rs`).

mod deploy;
mod notes;
mod panel;
mod preview;
mod profiles;

pub use panel::PasskeyPanel;
