//! A persona: who signs in, what they hold (Graph's `userRegistrationDetails.methodsRegistered`
//! vocabulary) and the sign-in conditions of their device (the evaluate API's
//! `signInConditions`), read strictly from PERSONAS.json with every error at its
//! file:line:column. What a persona holds may come from the registration report instead.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::read::{member_span, shape, text_and_value, typed_list, ListShape};
use super::registrations::Registration;
use crate::analysis::whatif::evaluate::{
    read_request, EvaluateRequest, SignInConditions, SignInContext,
};
use crate::located::{line_column_at, Located};
use crate::policy::import::locate_item;

/// One value of `methodsRegistered` (`userRegistrationDetails`, a free string collection in
/// v1.0: names are matched without case, and one this model does not know is kept as written).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MethodRegistered {
    Password,
    MicrosoftAuthenticatorPush,
    /// Phone sign-in (passwordless Authenticator): `deviceBasedPush` in strengths.
    MicrosoftAuthenticatorPasswordless,
    SoftwareOneTimePasscode,
    HardwareOneTimePasscode,
    MobilePhone,
    AlternateMobilePhone,
    OfficePhone,
    Email,
    /// A usable Temporary Access Pass has been issued.
    TemporaryAccessPass,
    PassKeyDeviceBound,
    /// A device-bound passkey in Microsoft Authenticator.
    PassKeyDeviceBoundAuthenticator,
    PassKeyDeviceBoundWindowsHello,
    PassKeySynced,
    Fido2SecurityKey,
    WindowsHelloForBusiness,
    MacOsSecureEnclaveKey,
    Other(String),
}

impl MethodRegistered {
    pub const KNOWN: [MethodRegistered; 17] = [
        MethodRegistered::Password,
        MethodRegistered::MicrosoftAuthenticatorPush,
        MethodRegistered::MicrosoftAuthenticatorPasswordless,
        MethodRegistered::SoftwareOneTimePasscode,
        MethodRegistered::HardwareOneTimePasscode,
        MethodRegistered::MobilePhone,
        MethodRegistered::AlternateMobilePhone,
        MethodRegistered::OfficePhone,
        MethodRegistered::Email,
        MethodRegistered::TemporaryAccessPass,
        MethodRegistered::PassKeyDeviceBound,
        MethodRegistered::PassKeyDeviceBoundAuthenticator,
        MethodRegistered::PassKeyDeviceBoundWindowsHello,
        MethodRegistered::PassKeySynced,
        MethodRegistered::Fido2SecurityKey,
        MethodRegistered::WindowsHelloForBusiness,
        MethodRegistered::MacOsSecureEnclaveKey,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            MethodRegistered::Password => "password",
            MethodRegistered::MicrosoftAuthenticatorPush => "microsoftAuthenticatorPush",
            MethodRegistered::MicrosoftAuthenticatorPasswordless => {
                "microsoftAuthenticatorPasswordless"
            }
            MethodRegistered::SoftwareOneTimePasscode => "softwareOneTimePasscode",
            MethodRegistered::HardwareOneTimePasscode => "hardwareOneTimePasscode",
            MethodRegistered::MobilePhone => "mobilePhone",
            MethodRegistered::AlternateMobilePhone => "alternateMobilePhone",
            MethodRegistered::OfficePhone => "officePhone",
            MethodRegistered::Email => "email",
            MethodRegistered::TemporaryAccessPass => "temporaryAccessPass",
            MethodRegistered::PassKeyDeviceBound => "passKeyDeviceBound",
            MethodRegistered::PassKeyDeviceBoundAuthenticator => "passKeyDeviceBoundAuthenticator",
            MethodRegistered::PassKeyDeviceBoundWindowsHello => "passKeyDeviceBoundWindowsHello",
            MethodRegistered::PassKeySynced => "passKeySynced",
            MethodRegistered::Fido2SecurityKey => "fido2SecurityKey",
            MethodRegistered::WindowsHelloForBusiness => "windowsHelloForBusiness",
            MethodRegistered::MacOsSecureEnclaveKey => "macOsSecureEnclaveKey",
            MethodRegistered::Other(s) => s,
        }
    }

    /// Case-insensitive; anything else is kept as [`MethodRegistered::Other`].
    pub fn parse(s: &str) -> MethodRegistered {
        MethodRegistered::KNOWN
            .iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
            .cloned()
            .unwrap_or_else(|| MethodRegistered::Other(s.to_string()))
    }

    /// A name the report uses for a passkey that this model does not list (the names have
    /// changed over time: `fido2` became `passKeyDeviceBound`), so any `passKey…` or
    /// `fido2…` counts as a passkey of a provider not known.
    pub fn is_passkey_name(&self) -> bool {
        let s = self.as_str().to_ascii_lowercase();
        s.starts_with("passkey") || s.starts_with("fido2")
    }
}

impl Serialize for MethodRegistered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MethodRegistered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(MethodRegistered::parse(&s))
    }
}

/// A persona: who signs in, what they hold, and their device's sign-in conditions.
#[derive(Debug, Clone, PartialEq)]
pub struct Persona {
    pub name: String,
    /// Object id; groups, roles and user type come from the directory.
    pub user_id: String,
    pub methods: Vec<MethodRegistered>,
    pub conditions: SignInConditions,
    /// The resource of the last step; `None`: Exchange Online.
    pub context: Option<SignInContext>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PersonaIn {
    name: String,
    user_id: String,
    /// Required unless the registration report gives the user's.
    #[serde(default)]
    methods_registered: Option<Vec<MethodRegistered>>,
    /// Required here; typed by the What-If's reader from the persona's text.
    #[allow(dead_code)]
    sign_in_conditions: Value,
    #[serde(default)]
    sign_in_context: Option<Value>,
}

/// The rest of an evaluate request around one member, so the What-If's own strict reader
/// reads it (one line: an error's line and column map back to the persona file).
const CONDITIONS_PREFIX: &str = r##"{"signInIdentity": {"@odata.type": "#microsoft.graph.userSignIn", "userId": "x"}, "signInContext": {"@odata.type": "#microsoft.graph.applicationContext", "includeApplications": ["x"]}, "signInConditions": "##;
const CONTEXT_PREFIX: &str = r##"{"signInIdentity": {"@odata.type": "#microsoft.graph.userSignIn", "userId": "x"}, "signInConditions": {}, "signInContext": "##;

/// Reads PERSONAS.json: an array of personas (a Graph list response or one persona too).
/// `signInConditions` and `signInContext` are read by the What-If's reader of evaluate
/// requests, so a persona's device is exactly what a request to Graph would carry.
pub fn read_personas(bytes: &[u8]) -> Result<Vec<Persona>, Located> {
    read_personas_with(bytes, None)
}

/// As [`read_personas`]; a persona without `methodsRegistered` takes its user's from the
/// registration report (`userRegistrationDetails`, matched by `userId`), a password included.
pub fn read_personas_with(
    bytes: &[u8],
    report: Option<&[Registration]>,
) -> Result<Vec<Persona>, Located> {
    let (text, v) = text_and_value(bytes)?;
    let list: Vec<PersonaIn> = typed_list(&text, &v)?;
    let key = match shape(&v) {
        ListShape::ListResponse => Some("value"),
        _ => None,
    };
    list.into_iter()
        .enumerate()
        .map(|(i, p)| {
            let object = match shape(&v) {
                ListShape::Single => text.find('{'),
                _ => locate_item(&text, key, i),
            }
            .unwrap_or(0);
            let label = format!("persona {i} ({:?})", p.name);
            let member = |name: &str, prefix: &str| -> Result<EvaluateRequest, Located> {
                let span = member_span(&text, object, name);
                let (start, end) = span.unwrap_or((object, object));
                let slice = &text[start..end];
                let synthetic = format!("{prefix}{slice}}}");
                read_request(synthetic.as_bytes()).map_err(|e| {
                    let (line, column) = back(&text, object, start, prefix, &e);
                    Located::new(line, column, format!("{label}: {}", e.message))
                })
            };
            let methods = match p.methods_registered {
                Some(m) => m,
                None => {
                    let entry = report
                        .unwrap_or_default()
                        .iter()
                        .find(|r| r.id.eq_ignore_ascii_case(&p.user_id));
                    let Some(entry) = entry else {
                        let why = match report {
                            Some(_) => "has no methodsRegistered, and the registration report has no entry for its userId",
                            None => "has no methodsRegistered (give them, or the registration report with --registrations)",
                        };
                        let (line, column) = line_column_at(&text, object);
                        return Err(Located::new(line, column, format!("{label} {why}")));
                    };
                    entry.methods_held()
                }
            };
            let conditions = member("signInConditions", CONDITIONS_PREFIX)?.sign_in_conditions;
            let context = match &p.sign_in_context {
                None | Some(Value::Null) => None,
                Some(_) => Some(member("signInContext", CONTEXT_PREFIX)?.sign_in_context),
            };
            Ok(Persona {
                name: p.name,
                user_id: p.user_id,
                methods,
                conditions,
                context,
            })
        })
        .collect()
}

/// Where an error the reader found in the synthetic request is in the persona file: inside
/// the member's text it maps line for line; anywhere else it is the persona's own position.
fn back(text: &str, object: usize, start: usize, prefix: &str, e: &Located) -> (usize, usize) {
    let (pl, pc) = line_column_at(text, object);
    let (sl, sc) = line_column_at(text, start);
    let prefix_chars = prefix.chars().count();
    match (e.line, e.column) {
        (0, _) => (pl, pc),
        (1, c) if c <= prefix_chars => (pl, pc),
        (1, c) => (sl, sc + c - prefix_chars - 1),
        (l, c) => (sl + l - 1, c),
    }
}
