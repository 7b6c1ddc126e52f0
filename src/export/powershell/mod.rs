//! PowerShell export, in two flavours:
//! - [`Flavour::Sdk`]: Graph SDK cmdlets with the body as a hashtable literal
//!   (`New-MgIdentityConditionalAccessPolicy -BodyParameter $params`, `New-MgGroup`);
//! - [`Flavour::Invoke`]: `Invoke-MgGraphRequest` with the exact JSON body the app validated,
//!   as one single-quoted literal.
//!
//! Every script starts with `#Requires -Modules`, a comment saying what it will do,
//! `$ErrorActionPreference = 'Stop'` (so a failed lookup never falls through to a create) and
//! `Connect-MgGraph -Scopes` with the least privileges the script needs. Data
//! reaches the code only through [`ps_literal`](super::ps_literal); comments only carry data
//! through [`comment_text`](super::ps_literal::comment_text), which cannot end the comment line. Every script is ASCII
//! (see `ps_literal` for why), and [`script_file_bytes`] decides the bytes every writer uses.
//!
//! Layout: `script` the shared frame (header, connect, lines, literals, file bytes);
//! `policy` create/update a policy; `group` find or create a group; `pilot` group plus
//! policy scoped to it; `methods` method configurations and the authentication strength;
//! `members` adding the pilot's members; `rollout` the whole rollout and switching it On; `profile_steps` the rollout's passkey
//! profile steps; `splice` ids filled in at run time.

use super::graph_json::Operation;
use serde_json::Value;

mod group;
mod members;
mod methods;
mod names;
mod pilot;
mod policy;
mod profile_steps;
mod rollout;
mod script;
mod splice;

pub use group::{group_script, GROUP_SCOPES};
pub use members::MEMBER_LOOKUP_PERMISSION;
pub use methods::{method_patch_script, strength_script, METHODS_SCOPES};
pub use pilot::{pilot_script, pilot_script_with, PilotScriptOptions, TAP_PERMISSION};
pub use policy::{
    create_policies_script, create_policies_script_labelled, update_policy_script, POLICY_SCOPES,
};
pub use rollout::{rollout_script, switch_on_script};
pub use script::{display_name_filter, odata_string, script_file_bytes, Flavour, ScriptError};

/// The script for one operation: [`Operation::Create`] creates one policy,
/// [`Operation::Update`] updates one, [`Operation::CreateGroup`] finds or creates a group.
pub fn script(
    flavour: Flavour,
    operation: &Operation,
    body: &Value,
) -> Result<String, ScriptError> {
    match operation {
        Operation::Create => create_policies_script(flavour, std::slice::from_ref(body)),
        Operation::Update { policy_id } => update_policy_script(flavour, policy_id, body),
        Operation::CreateGroup => group_script(flavour, body),
    }
}
