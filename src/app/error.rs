//! [`AppError`]: why the admin's session cannot do what was asked (remove a step, export or
//! deploy it, plan the pilot), one variant per cause. The words the page and the CLI show are
//! written here, once; errors of the layers below are wrapped whole, so a caller can still tell
//! which value was wrong.

use std::fmt;

use super::rollout::AssemblyError;
use crate::builders::methods::{PlanError, SettingError};
use crate::export::ScriptError;
use crate::graph::GraphError;
use crate::guid::{Guid, GuidError};

#[derive(Debug, Clone, PartialEq)]
pub enum AppError {
    /// A step index past the draft's end.
    NoSuchStep,
    /// Only imported steps can be removed.
    OwnStep,
    /// A draft keeps at least one step.
    OnlyStep,
    /// The step's "update an existing policy" id is not a policy id.
    PolicyId(GuidError),
    /// No script could be written for the step.
    Script(ScriptError),
    /// The open step does not export, so it is not deployed either.
    NotDeployable(Box<AppError>),
    /// The id of the policy the deploy is to update is not valid.
    UpdateTarget(GuidError),
    /// Several security groups have the pilot group's name.
    AmbiguousGroup { name: String, ids: Vec<Guid> },
    /// The groups of that name are not security groups.
    NotSecurityGroup { name: String, ids: Vec<Guid> },
    /// The one policy of the pilot policy's name has no usable id.
    PolicyWithoutId { name: String },
    /// Several policies have the pilot policy's name (their ids as Graph gives them).
    AmbiguousPolicy { name: String, ids: Vec<String> },
    /// A pilot member the directory does not know.
    NoSuchUser,
    /// The directory's answer about a pilot member has no valid id.
    UserWithoutId,
    /// Reading a pilot member failed (boxed: a [`GraphError`] is large).
    UserRead(Box<GraphError>),
    /// The rollout could not be assembled from the draft and the methods form.
    Assembly(AssemblyError),
    /// The passkey panel has no pilot group to target the method PATCHes at.
    NoPilotForMethods,
    /// A method setting the PATCH cannot carry.
    MethodSetting(SettingError),
    /// The pilot's passkey profile cannot be planned over the configuration read.
    ProfilePlan(PlanError),
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::NoSuchStep => f.write_str("there is no such step"),
            AppError::OwnStep => f.write_str("the rollout's own steps cannot be removed"),
            AppError::OnlyStep => f.write_str(
                "this is the draft's only step: a draft needs at least one, so it stays",
            ),
            AppError::PolicyId(e) => e.fmt(f),
            AppError::Script(e) => e.fmt(f),
            AppError::NotDeployable(e) => write!(f, "The draft cannot be deployed: {e}"),
            AppError::UpdateTarget(e) => write!(f, "The policy id to update is not valid: {e}"),
            AppError::AmbiguousGroup { name, ids } => write!(
                f,
                "{} security groups are named {name:?} (ids {}); pick one by id. Nothing was sent.",
                ids.len(),
                joined(ids)
            ),
            AppError::NotSecurityGroup { name, ids } => write!(
                f,
                "A group named {name:?} exists but is not a security group (ids {}); choose another name. Nothing was sent.",
                joined(ids)
            ),
            AppError::PolicyWithoutId { name } => write!(
                f,
                "The policy named {name:?} has no valid id. Nothing was sent."
            ),
            AppError::AmbiguousPolicy { name, ids } => write!(
                f,
                "{} policies already have the name {name:?} (ids {}); rename the draft. Nothing was sent.",
                ids.len(),
                ids.join(", ")
            ),
            AppError::NoSuchUser => f.write_str("no such user in this tenant"),
            AppError::UserWithoutId => f.write_str("the directory's answer has no valid id"),
            AppError::UserRead(e) => f.write_str(&e.user_message()),
            AppError::Assembly(e) => e.fmt(f),
            AppError::NoPilotForMethods => {
                f.write_str("Set the pilot group in the Pilot phase (or its object id in this panel) first.")
            }
            AppError::MethodSetting(e) => e.fmt(f),
            AppError::ProfilePlan(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for AppError {}

/// The page's status line takes text (`impl Into<String>`): an error goes there as its words.
impl From<AppError> for String {
    fn from(e: AppError) -> String {
        e.to_string()
    }
}

impl From<AssemblyError> for AppError {
    fn from(e: AssemblyError) -> AppError {
        AppError::Assembly(e)
    }
}

impl From<ScriptError> for AppError {
    fn from(e: ScriptError) -> AppError {
        AppError::Script(e)
    }
}

fn joined(ids: &[Guid]) -> String {
    ids.iter()
        .map(Guid::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guid::GuidKind;

    #[test]
    fn a_deploy_error_says_why_the_export_failed() {
        let e = Guid::parse("nope", GuidKind::Policy).unwrap_err();
        let inner = AppError::PolicyId(e.clone());
        assert_eq!(
            AppError::NotDeployable(Box::new(inner)).to_string(),
            format!("The draft cannot be deployed: {e}")
        );
    }
}
