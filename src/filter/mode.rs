//! The policy's filter mode (`conditions.devices.deviceFilter.mode`).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The policy applies only to devices the rule matches.
    Include,
    /// The policy applies to every device except those the rule matches.
    Exclude,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Include => "include",
            Mode::Exclude => "exclude",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "include" => Ok(Mode::Include),
            "exclude" => Ok(Mode::Exclude),
            _ => Err(format!("mode must be `include` or `exclude`, not `{s}`")),
        }
    }
}
