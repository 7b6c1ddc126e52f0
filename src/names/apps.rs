//! Microsoft first-party applications an admin meets in Conditional Access, by `appId` (the id
//! `includeApplications` / `excludeApplications` take, not the service principal's object id).
//!
//! Source: "Application IDs of commonly used Microsoft applications" in Verify first-party
//! Microsoft applications in sign-in reports,
//! <https://learn.microsoft.com/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in>
//! (the subset a policy targets or excludes; the page's two tenant-owned tools included). Entries
//! with a trailing comment come from elsewhere:
//! - `passkey page`: Microsoft Authenticator Credential Registration, the one app id Microsoft
//!   documents as an exclusion so Authenticator can register a passkey,
//!   <https://learn.microsoft.com/entra/identity/authentication/how-to-enable-authenticator-passkey>;
//! - `catalogue`: ids found only in third-party catalogues of first-party app ids, not on a
//!   Microsoft page (Intune and Intune Enrollment, My Sign-ins, the Authenticator client).
//!
//! Kept sorted by id (lowercase) for binary search; `tests/native/names.rs` holds the order.

// One row a line, so the table reads and diffs as a table.
#[rustfmt::skip]
pub(super) static APPS: &[(&str, &str)] = &[
    ("00000002-0000-0000-c000-000000000000", "Windows Azure Active Directory"),
    ("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"),
    ("00000003-0000-0000-c000-000000000000", "Microsoft Graph"),
    ("00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"),
    ("00000004-0000-0ff1-ce00-000000000000", "Skype for Business Online"),
    ("00000005-0000-0ff1-ce00-000000000000", "Viva Engage (formerly Yammer)"),
    ("00000006-0000-0ff1-ce00-000000000000", "Microsoft Office 365 Portal"),
    ("00000007-0000-0000-c000-000000000000", "Dataverse"),
    ("00000007-0000-0ff1-ce00-000000000000", "Microsoft Exchange Online Protection"),
    ("00000009-0000-0000-c000-000000000000", "Power BI Service"),
    ("0000000a-0000-0000-c000-000000000000", "Microsoft Intune"), // catalogue
    ("0000000c-0000-0000-c000-000000000000", "Microsoft App Access Panel"),
    ("00000015-0000-0000-c000-000000000000", "Microsoft Dynamics ERP"),
    ("00b41c95-dab0-4487-9791-b9d2c32c80f2", "Office 365 Management"),
    ("04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Microsoft Azure CLI"),
    ("14d82eec-204b-4c2f-b7e8-296a70dab67e", "Microsoft Graph Command Line Tools"),
    ("1950a258-227b-4e31-a9cf-717495945fc2", "Microsoft Azure PowerShell"),
    ("19db86c3-b2b9-44cc-b339-36da233a3be2", "My Sign-ins"), // catalogue
    ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"),
    ("27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile"),
    ("29d9ed98-a469-4536-ade2-f981bc1d605e", "Microsoft Authentication Broker"),
    ("2d4d3d8e-2be3-4bef-9f87-7875a61c29de", "OneNote"),
    ("3090ab82-f1c1-4cdf-af2c-5d7a6f3e2cc7", "Microsoft Defender for Cloud Apps"),
    ("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome"),
    ("4813382a-8fa7-425e-ab75-3b753aab3abb", "Microsoft Authenticator App"), // catalogue
    ("497effe9-df71-4043-a8bb-14cf78c4b63b", "Exchange Admin Center"),
    ("4b233688-031c-404b-9a80-a4f3f2351f90", "Office.com"),
    ("5d661950-3475-41cd-a2c3-d671a3162bc1", "Microsoft Outlook"),
    ("5e3ce6c0-2b1f-4285-8d4b-75ee78787346", "Microsoft Teams Web Client"),
    ("6aa00308-ea33-4caa-90d6-ae905d8cb51b", "Microsoft Authenticator Credential Registration"), // passkey page
    ("74bcdadc-2fdc-4bb3-8459-76d06952a0e9", "Microsoft Intune Web Company Portal"),
    ("797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API"),
    ("7b7531ad-5926-4f2d-8a1d-38495ad33e17", "Azure Advanced Threat Protection"),
    ("80ccca67-54bd-44ab-8625-4b79c4dc7775", "Microsoft 365 Security and Compliance Center"),
    ("871c010f-5e61-4fb1-83ac-98610a7e9110", "Microsoft Power BI"),
    ("905fcf26-4eb7-48a0-9ff0-8dcc7194b5ba", "Sway"),
    ("95de633a-083e-42f5-b444-a4295d8e9314", "Microsoft Whiteboard Services"),
    ("9ea1ad79-fdb6-4f9a-8bc3-2b70f96e34c7", "Bing"),
    ("a3b79187-70b2-4139-83f9-6016c58cd27b", "WindowsDefenderATP Portal"),
    ("c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal"),
    ("c9a559d2-7aab-4f13-a6ed-e7e9c52aec87", "Microsoft Forms"),
    ("cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Microsoft Teams Services"),
    ("cf53fce8-def6-4aeb-8d30-b158e7b1cf83", "Microsoft Stream Portal"),
    ("d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office"),
    ("d4ebce55-015a-49b5-a083-c84d1797ae8c", "Microsoft Intune Enrollment"), // catalogue
    ("de8bc8b5-d9f9-48b1-a8ad-b748da725064", "Graph Explorer"),
    ("fc0f3af4-6835-4174-b806-f7db311fd2f3", "Microsoft Intune Windows Agent"),
];
