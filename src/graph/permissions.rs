//! Which permissions each Graph operation needs, so a missing one is named *before* the call
//! (and again in a 403's message). Source: the permission tables of each API's page on Microsoft
//! Learn (<https://learn.microsoft.com/graph/permissions-reference>).
//!
//! A requirement is a list of alternatives; each alternative is a set of permissions that are
//! all needed. The same names serve delegated tokens (`scp`) and application tokens (`roles`).
//! Delegated calls also need a directory role, which a token does not show: [`Requirement::roles`]
//! names them for messages.

use super::token::Claims;

/// An operation the app performs against Graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GraphOp {
    ListPolicies,
    GetPolicy,
    CreatePolicy,
    UpdatePolicy,
    FindGroup,
    CreateGroup,
    AddGroupMember,
    GetUser,
    ReadDirectoryAudits,
    ReadSignIns,
    ReadNamedLocations,
    ReadAuthMethodsPolicy,
    UpdateAuthMethod,
    ListAuthStrengths,
    CreateAuthStrength,
    CreateTemporaryAccessPass,
    EvaluatePolicies,
    SearchUsers,
    SearchGroups,
    ListRoleDefinitions,
    SearchServicePrincipals,
    ReadRegistrationDetails,
    LookUpNames,
    LookUpAppNames,
}

/// What an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    /// Any one of these sets suffices; the first is the least privileged.
    pub any_of: &'static [&'static [&'static str]],
    /// Directory roles that a delegated caller needs one of (for messages only).
    pub roles: &'static [&'static str],
    /// A caveat worth showing next to the permission (older docs, licences, omitted data).
    pub note: Option<&'static str>,
}

const CA_READ_ROLES: &[&str] = &[
    "Conditional Access Administrator",
    "Security Administrator",
    "Security Reader",
    "Global Reader",
];
const CA_WRITE_ROLES: &[&str] = &["Conditional Access Administrator", "Security Administrator"];
const GROUP_WRITE_ROLES: &[&str] = &["Groups Administrator", "User Administrator"];
const REPORT_ROLES: &[&str] = &[
    "Reports Reader",
    "Security Reader",
    "Security Administrator",
    "Global Reader",
];

impl GraphOp {
    pub const ALL: [GraphOp; 24] = [
        GraphOp::ListPolicies,
        GraphOp::GetPolicy,
        GraphOp::CreatePolicy,
        GraphOp::UpdatePolicy,
        GraphOp::FindGroup,
        GraphOp::CreateGroup,
        GraphOp::AddGroupMember,
        GraphOp::GetUser,
        GraphOp::ReadDirectoryAudits,
        GraphOp::ReadSignIns,
        GraphOp::ReadNamedLocations,
        GraphOp::ReadAuthMethodsPolicy,
        GraphOp::UpdateAuthMethod,
        GraphOp::ListAuthStrengths,
        GraphOp::CreateAuthStrength,
        GraphOp::CreateTemporaryAccessPass,
        GraphOp::EvaluatePolicies,
        GraphOp::SearchUsers,
        GraphOp::SearchGroups,
        GraphOp::ListRoleDefinitions,
        GraphOp::SearchServicePrincipals,
        GraphOp::ReadRegistrationDetails,
        GraphOp::LookUpNames,
        GraphOp::LookUpAppNames,
    ];

    /// What the operation does, for "while …" in messages.
    pub fn describe(self) -> &'static str {
        match self {
            GraphOp::ListPolicies => "listing Conditional Access policies",
            GraphOp::GetPolicy => "reading a Conditional Access policy",
            GraphOp::CreatePolicy => "creating the Conditional Access policy",
            GraphOp::UpdatePolicy => "updating the Conditional Access policy",
            GraphOp::FindGroup => "looking up the group",
            GraphOp::CreateGroup => "creating the security group",
            GraphOp::AddGroupMember => "adding a member to the group",
            GraphOp::GetUser => "looking up a user",
            GraphOp::ReadDirectoryAudits => "reading the directory audit log",
            GraphOp::ReadSignIns => "reading the sign-in log",
            GraphOp::ReadNamedLocations => "reading named locations",
            GraphOp::ReadAuthMethodsPolicy => "reading the authentication methods policy",
            GraphOp::UpdateAuthMethod => "updating an authentication method configuration",
            GraphOp::ListAuthStrengths => "listing authentication strengths",
            GraphOp::CreateAuthStrength => "creating the authentication strength",
            GraphOp::CreateTemporaryAccessPass => "issuing a Temporary Access Pass",
            GraphOp::EvaluatePolicies => "running the What-If in the tenant",
            GraphOp::SearchUsers => "searching users by name",
            GraphOp::SearchGroups => "searching groups by name",
            GraphOp::ListRoleDefinitions => "listing the directory roles",
            GraphOp::SearchServicePrincipals => "searching applications by name",
            GraphOp::ReadRegistrationDetails => {
                "reading the users' registered methods (userRegistrationDetails)"
            }
            GraphOp::LookUpNames => "looking up the names of users and groups by id",
            GraphOp::LookUpAppNames => "looking up the names of applications by app id",
        }
    }

    pub fn requirement(self) -> Requirement {
        match self {
            GraphOp::ListPolicies | GraphOp::GetPolicy | GraphOp::ReadNamedLocations => Requirement {
                any_of: &[&["Policy.Read.All"]],
                roles: CA_READ_ROLES,
                note: None,
            },
            GraphOp::CreatePolicy | GraphOp::UpdatePolicy => Requirement {
                any_of: &[
                    &["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
                    &["Application.Read.All", "Policy.ReadWrite.ConditionalAccess"],
                ],
                roles: CA_WRITE_ROLES,
                note: Some(
                    "older documentation asks for Policy.Read.All, Policy.ReadWrite.ConditionalAccess \
                     and Application.Read.All together",
                ),
            },
            GraphOp::FindGroup => Requirement {
                any_of: &[
                    &["GroupMember.Read.All"],
                    &["Group.Read.All"],
                    &["Group.ReadWrite.All"],
                    &["Directory.Read.All"],
                    &["Directory.ReadWrite.All"],
                ],
                roles: &[],
                note: None,
            },
            GraphOp::CreateGroup => Requirement {
                any_of: &[&["Group.ReadWrite.All"], &["Directory.ReadWrite.All"]],
                roles: GROUP_WRITE_ROLES,
                note: Some("not covered by the Conditional Access permissions"),
            },
            GraphOp::AddGroupMember => Requirement {
                any_of: &[
                    &["GroupMember.ReadWrite.All"],
                    &["Group.ReadWrite.All"],
                    &["Directory.ReadWrite.All"],
                ],
                roles: GROUP_WRITE_ROLES,
                note: None,
            },
            GraphOp::GetUser => Requirement {
                any_of: &[
                    &["User.ReadBasic.All"],
                    &["User.Read.All"],
                    &["User.ReadWrite.All"],
                    &["Directory.Read.All"],
                    &["Directory.ReadWrite.All"],
                ],
                roles: &[],
                note: None,
            },
            GraphOp::ReadDirectoryAudits => Requirement {
                any_of: &[&["AuditLog.Read.All"]],
                roles: REPORT_ROLES,
                note: Some("some documentation revisions also ask for Directory.Read.All"),
            },
            GraphOp::ReadSignIns => Requirement {
                any_of: &[&["AuditLog.Read.All"]],
                roles: REPORT_ROLES,
                note: Some(
                    "sign-in logs need Entra ID P1/P2; appliedConditionalAccessPolicies is omitted \
                     unless the token also holds Policy.Read.All (or another Conditional Access read \
                     permission); older documentation also asks for Directory.Read.All",
                ),
            },
            // The method-specific read permission is the least privileged; Policy.Read.All
            // covers it too.
            GraphOp::ReadAuthMethodsPolicy => Requirement {
                any_of: &[
                    &["Policy.Read.AuthenticationMethod"],
                    &["Policy.ReadWrite.AuthenticationMethod"],
                    &["Policy.Read.All"],
                ],
                roles: &["Authentication Policy Administrator", "Global Reader"],
                note: None,
            },
            // One permission for both method configurations (passkey and Temporary Access Pass).
            GraphOp::UpdateAuthMethod => Requirement {
                any_of: &[&["Policy.ReadWrite.AuthenticationMethod"]],
                roles: &["Authentication Policy Administrator"],
                note: None,
            },
            GraphOp::ListAuthStrengths => Requirement {
                any_of: &[
                    &["Policy.Read.All"],
                    &["Policy.ReadWrite.ConditionalAccess"],
                    &["Policy.ReadWrite.AuthenticationMethod"],
                ],
                roles: CA_READ_ROLES,
                note: None,
            },
            // The strength and its combination configuration.
            GraphOp::CreateAuthStrength => Requirement {
                any_of: &[
                    &["Policy.ReadWrite.ConditionalAccess"],
                    &["Policy.ReadWrite.AuthenticationMethod"],
                ],
                roles: CA_WRITE_ROLES,
                note: None,
            },
            // The method-specific permission (generally available since October 2025) is the
            // least privileged; the older pages list only the all-methods one.
            GraphOp::CreateTemporaryAccessPass => Requirement {
                any_of: &[
                    &["UserAuthMethod-TAP.ReadWrite.All"],
                    &["UserAuthenticationMethod.ReadWrite.All"],
                ],
                roles: &[
                    "Authentication Administrator",
                    "Privileged Authentication Administrator",
                ],
                note: Some(
                    "a user who holds an admin role needs Privileged Authentication Administrator; \
                     nobody can issue a pass for themselves",
                ),
            },
            // The evaluate page's least privileged permission, then its higher ones. It names no
            // directory role: those that read Conditional Access policies are assumed.
            GraphOp::EvaluatePolicies => Requirement {
                any_of: &[
                    &["Policy.Read.ConditionalAccess"],
                    &["Policy.Read.All"],
                    &["Policy.ReadWrite.ConditionalAccess"],
                ],
                roles: CA_READ_ROLES,
                note: Some("the evaluate page names no directory role; those that read Conditional Access policies are assumed"),
            },
            // The pickers' searches: each list page's least privileged delegated permission
            // first. A member user can read basic profiles and groups without any admin role.
            GraphOp::SearchUsers => Requirement {
                any_of: &[
                    &["User.ReadBasic.All"],
                    &["User.Read.All"],
                    &["Directory.Read.All"],
                ],
                roles: &[],
                note: None,
            },
            GraphOp::SearchGroups => Requirement {
                any_of: &[
                    &["GroupMember.Read.All"],
                    &["Group.Read.All"],
                    &["Directory.Read.All"],
                ],
                roles: &[],
                note: None,
            },
            GraphOp::ListRoleDefinitions => Requirement {
                any_of: &[
                    &["RoleManagement.Read.Directory"],
                    &["Directory.Read.All"],
                    &["RoleManagement.ReadWrite.Directory"],
                ],
                roles: &[],
                note: None,
            },
            GraphOp::SearchServicePrincipals | GraphOp::LookUpAppNames => Requirement {
                any_of: &[&["Application.Read.All"], &["Directory.Read.All"]],
                roles: &[],
                note: Some("Microsoft applications with no service principal in the tenant are not found; type their appId"),
            },
            // The report's least privileged permission, then the higher one it lists.
            GraphOp::ReadRegistrationDetails => Requirement {
                any_of: &[&["AuditLog.Read.All"], &["UserAuthenticationMethod.Read.All"]],
                roles: &[
                    "Reports Reader",
                    "Security Reader",
                    "Global Reader",
                    "Security Operator",
                    "Security Administrator",
                    "Application Administrator",
                    "Cloud Application Administrator",
                ],
                note: Some("the report needs Entra ID P1/P2, and its data can lag by up to 36 hours"),
            },
            // getByIds lists Directory.Read.All alone, delegated and application.
            GraphOp::LookUpNames => Requirement {
                any_of: &[&["Directory.Read.All"]],
                roles: &[],
                note: None,
            },
        }
    }
}

/// The permissions the token lacks for `op`: `None` when one alternative is fully held,
/// otherwise the missing names of the alternative that lacks the fewest (ties: the least
/// privileged, i.e. first listed).
pub fn missing_for(op: GraphOp, claims: &Claims) -> Option<Vec<&'static str>> {
    let req = op.requirement();
    let mut best: Option<Vec<&'static str>> = None;
    for set in req.any_of {
        let missing: Vec<&'static str> = set
            .iter()
            .copied()
            .filter(|p| !claims.has_permission(p))
            .collect();
        if missing.is_empty() {
            return None;
        }
        if best.as_ref().is_none_or(|b| missing.len() < b.len()) {
            best = Some(missing);
        }
    }
    best
}

/// A sentence for the Connect panel or before a call; `None` when nothing is missing.
pub fn warning_for(op: GraphOp, claims: &Claims) -> Option<String> {
    let missing = missing_for(op, claims)?;
    let req = op.requirement();
    let kind = match claims.kind() {
        super::token::TokenKind::Delegated => "delegated scope",
        super::token::TokenKind::Application => "application permission",
    };
    let mut s = format!(
        "{}: the token lacks the {kind}{} {}",
        capitalise(op.describe()),
        if missing.len() > 1 { "s" } else { "" },
        missing.join(" and ")
    );
    if let Some(note) = req.note {
        s.push_str(&format!(" ({note})"));
    }
    Some(s)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
