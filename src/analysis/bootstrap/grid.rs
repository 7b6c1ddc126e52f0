//! The built-in personas (who and what they hold, by row; the device, by column) and the
//! persona × device grid of verdicts the page shows: each cell ready or blocked, with the step
//! and the policy that blocks it, and the journey behind it.

use serde::Serialize;
use serde_json::json;

use super::persona::{MethodRegistered, Persona};
use super::steps::Step;
use super::{PersonaVerdict, Proof};
use crate::analysis::whatif::evaluate::{
    Directory, DirectoryUser, EvaluateError, SignInConditions, UserType,
};

/// A row: who signs in and what they hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub name: String,
    pub user_id: String,
    /// Listed in the grid's directory with these groups (a pilot group, say).
    pub groups: Vec<String>,
    pub guest: bool,
    pub methods: Vec<MethodRegistered>,
}

/// A column: the device, as the evaluate API's `signInConditions`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceColumn {
    pub name: String,
    pub conditions: SignInConditions,
}

/// The built-in rows and columns.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltinPersonas {
    pub holders: Vec<Holder>,
    pub devices: Vec<DeviceColumn>,
}

/// Object ids of the built-in personas: a member and a guest for each set of methods.
const MEMBER_IDS: [&str; 4] = [
    "6c2a1f10-0000-4000-8000-000000000001",
    "6c2a1f10-0000-4000-8000-000000000002",
    "6c2a1f10-0000-4000-8000-000000000003",
    "6c2a1f10-0000-4000-8000-000000000004",
];
const GUEST_IDS: [&str; 4] = [
    "6c2a1f10-0000-4000-8000-000000000011",
    "6c2a1f10-0000-4000-8000-000000000012",
    "6c2a1f10-0000-4000-8000-000000000013",
    "6c2a1f10-0000-4000-8000-000000000014",
];

fn conditions(v: serde_json::Value) -> SignInConditions {
    serde_json::from_value(v).expect("the built-in conditions are evaluate's signInConditions")
}

/// Member and guest, each with a password only, Authenticator push, a Temporary Access Pass
/// issued, or a passkey already; on an unregistered personal iPhone or Android phone, a
/// registered phone, a Microsoft Entra joined compliant laptop, a hybrid joined PC, or a
/// non-compliant device.
pub fn builtin_personas() -> BuiltinPersonas {
    use MethodRegistered as M;
    let held: [(&str, Vec<M>); 4] = [
        ("password only", vec![M::Password]),
        (
            "Authenticator push",
            vec![M::Password, M::MicrosoftAuthenticatorPush],
        ),
        ("TAP issued", vec![M::Password, M::TemporaryAccessPass]),
        (
            "passkey already",
            vec![M::Password, M::PassKeyDeviceBoundAuthenticator],
        ),
    ];
    let mut holders = Vec::new();
    for (guest, ids) in [(false, MEMBER_IDS), (true, GUEST_IDS)] {
        for ((what, methods), id) in held.iter().zip(ids) {
            holders.push(Holder {
                name: format!("{}, {what}", if guest { "guest" } else { "member" }),
                user_id: id.to_string(),
                groups: vec![],
                guest,
                methods: methods.clone(),
            });
        }
    }
    let phone = |platform: &str, info: serde_json::Value| {
        conditions(
            json!({"devicePlatform": platform, "clientAppType": "mobileAppsAndDesktopClients", "deviceInfo": info}),
        )
    };
    let windows = |info: serde_json::Value| {
        conditions(
            json!({"devicePlatform": "windows", "clientAppType": "browser", "deviceInfo": info}),
        )
    };
    let devices = vec![
        DeviceColumn {
            name: "unregistered personal iPhone".into(),
            conditions: phone("iOS", json!({})),
        },
        DeviceColumn {
            name: "unregistered personal Android".into(),
            conditions: phone("android", json!({})),
        },
        DeviceColumn {
            name: "registered phone".into(),
            conditions: phone(
                "iOS",
                json!({"trustType": "Workplace", "isCompliant": false, "ownership": "personal", "operatingSystem": "iOS"}),
            ),
        },
        DeviceColumn {
            name: "Entra-joined compliant laptop".into(),
            conditions: windows(
                json!({"trustType": "AzureAD", "isCompliant": true, "ownership": "company", "operatingSystem": "Windows"}),
            ),
        },
        DeviceColumn {
            name: "hybrid-joined PC".into(),
            conditions: windows(
                json!({"trustType": "ServerAD", "isCompliant": false, "ownership": "company", "operatingSystem": "Windows"}),
            ),
        },
        DeviceColumn {
            name: "non-compliant device".into(),
            conditions: windows(
                json!({"trustType": "AzureAD", "isCompliant": false, "ownership": "company", "operatingSystem": "Windows"}),
            ),
        },
    ];
    BuiltinPersonas { holders, devices }
}

impl Holder {
    /// This holder on `device`.
    pub fn on(&self, device: &DeviceColumn) -> Persona {
        Persona {
            name: format!("{}, {}", self.name, device.name),
            user_id: self.user_id.clone(),
            methods: self.methods.clone(),
            conditions: device.conditions.clone(),
            context: None,
        }
    }
}

/// One cell of the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    pub ready: bool,
    /// The step that failed.
    pub step: Option<Step>,
    /// The first policy id (or `authenticationMethodsPolicy`) that blocks it.
    pub blocked_by: Option<String>,
    /// The step-by-step journey.
    pub journey: PersonaVerdict,
}

/// Rows × columns of cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<Cell>>,
}

/// Every holder on every device. Holders are added to the proof's directory (as members of
/// their groups, guests as guests) for the grid only.
pub fn grid(
    proof: &Proof,
    holders: &[Holder],
    devices: &[DeviceColumn],
) -> Result<Grid, EvaluateError> {
    let mut directory: Directory = proof.directory.clone();
    for h in holders {
        directory.users.insert(
            h.user_id.to_ascii_lowercase(),
            DirectoryUser {
                groups: h.groups.clone(),
                roles: vec![],
                user_type: if h.guest {
                    UserType::Guest
                } else {
                    UserType::Member
                },
            },
        );
    }
    let mut cells = Vec::with_capacity(holders.len());
    for h in holders {
        let mut row = Vec::with_capacity(devices.len());
        for d in devices {
            let journey = proof.prove_in(&h.on(d), &directory)?;
            let failed = journey.failed();
            row.push(Cell {
                ready: journey.ready,
                step: failed.map(|s| s.step),
                blocked_by: failed.and_then(|s| s.blocked_by.first().cloned()),
                journey,
            });
        }
        cells.push(row);
    }
    Ok(Grid {
        rows: holders.iter().map(|h| h.name.clone()).collect(),
        columns: devices.iter().map(|d| d.name.clone()).collect(),
        cells,
    })
}
