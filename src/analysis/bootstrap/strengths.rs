//! Authentication strengths: the three built-ins (known without input) and the tenant's custom
//! ones, read from the body of `GET /identity/conditionalAccess/authenticationStrength/policies`,
//! and whether what a persona holds meets one.

use serde::Deserialize;

use super::held::{combination, wire, Held, FIDO2, TAP_MULTI_USE, TAP_ONE_TIME};
use super::read::{text_and_value, typed_list};
use crate::builders::strength::{PASSWORDLESS_STRENGTH, PHISHING_RESISTANT_STRENGTH};
use crate::located::Located;
use crate::policy::model::AuthenticationStrength;
use crate::policy::templates::MFA_STRENGTH;

/// One authentication strength.
#[derive(Debug, Clone, PartialEq)]
pub struct Strength {
    pub id: String,
    pub name: String,
    /// Each allowed combination as mode bits.
    combinations: Vec<u32>,
    /// `fido2CombinationConfiguration.allowedAAGUIDs`: when set, `fido2` counts only for a
    /// passkey of one of these providers.
    fido2_aaguids: Option<Vec<String>>,
}

/// The built-in Multifactor authentication strength's combinations, as Graph returns them
/// (`conditionalAccessRoot: evaluate` v1.0, Example 2). Learn: the same set that satisfies
/// *Require multifactor authentication*.
const MFA_COMBINATIONS: [&str; 19] = [
    "windowsHelloForBusiness",
    "fido2",
    "x509CertificateMultiFactor",
    "deviceBasedPush",
    "temporaryAccessPassOneTime",
    "temporaryAccessPassMultiUse",
    "password,microsoftAuthenticatorPush",
    "password,softwareOath",
    "password,hardwareOath",
    "password,x509CertificateSingleFactor",
    "password,x509CertificateMultiFactor",
    "password,sms",
    "password,voice",
    "federatedMultiFactor",
    "microsoftAuthenticatorPush,federatedSingleFactor",
    "softwareOath,federatedSingleFactor",
    "hardwareOath,federatedSingleFactor",
    "sms,federatedSingleFactor",
    "voice,federatedSingleFactor",
];

/// Passwordless MFA (Learn "Authentication strengths", built-in strengths table).
const PASSWORDLESS_COMBINATIONS: [&str; 4] = [
    "windowsHelloForBusiness",
    "fido2",
    "x509CertificateMultiFactor",
    "deviceBasedPush",
];

/// Phishing-resistant MFA (same table).
const PHISHING_RESISTANT_COMBINATIONS: [&str; 3] = [
    "windowsHelloForBusiness",
    "fido2",
    "x509CertificateMultiFactor",
];

impl Strength {
    fn new(id: &str, name: &str, combinations: &[&str]) -> Strength {
        Strength {
            id: id.to_string(),
            name: name.to_string(),
            combinations: combinations.iter().map(|c| combination(c)).collect(),
            fido2_aaguids: None,
        }
    }

    /// The built-in Multifactor authentication strength; `mfa` is judged by it too.
    pub fn mfa() -> Strength {
        Strength::new(
            MFA_STRENGTH,
            "Multifactor authentication",
            &MFA_COMBINATIONS,
        )
    }

    pub fn builtins() -> [Strength; 3] {
        [
            Strength::mfa(),
            Strength::new(
                PASSWORDLESS_STRENGTH,
                "Passwordless MFA",
                &PASSWORDLESS_COMBINATIONS,
            ),
            Strength::new(
                PHISHING_RESISTANT_STRENGTH,
                "Phishing-resistant MFA",
                &PHISHING_RESISTANT_COMBINATIONS,
            ),
        ]
    }

    /// The first allowed combination `held` meets, in wire form.
    pub fn met_by(&self, held: &Held) -> Option<String> {
        self.combinations
            .iter()
            .find(|&&c| {
                c & !held.modes == 0
                    && (c & FIDO2 == 0 || held.passkey_admitted(self.fido2_aaguids.as_deref()))
            })
            .map(|&c| {
                // Which mode the TAP was issued in is not known: name it as issued.
                if c & !(TAP_ONE_TIME | TAP_MULTI_USE) == 0 {
                    "temporaryAccessPass".to_string()
                } else {
                    wire(c)
                }
            })
    }

    /// Whether some combination is a Temporary Access Pass.
    pub fn accepts_tap(&self) -> bool {
        let tap =
            combination("temporaryAccessPassOneTime") | combination("temporaryAccessPassMultiUse");
        self.combinations
            .iter()
            .any(|&c| c & tap != 0 && c & !tap == 0)
    }

    /// The AAGUIDs `fido2` is restricted to, if it is.
    pub fn fido2_aaguids(&self) -> Option<&[String]> {
        self.fido2_aaguids.as_deref()
    }

    /// A strength expanded inside a policy's grant (`$expand` or the evaluate response), when
    /// it carries its combinations.
    pub(super) fn from_grant(s: &AuthenticationStrength) -> Option<Strength> {
        let combos = s.allowed_combinations.value()?;
        let wire: Vec<String> = combos
            .iter()
            .map(|f| f.0.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(","))
            .collect();
        let configs: Vec<CombinationIn> = s
            .extra
            .get("combinationConfigurations")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        Some(
            StrengthIn {
                id: s.id.value().cloned().unwrap_or_default(),
                display_name: s.display_name.value().cloned(),
                allowed_combinations: wire,
                combination_configurations: configs,
            }
            .into(),
        )
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StrengthIn {
    id: String,
    #[serde(default)]
    display_name: Option<String>,
    allowed_combinations: Vec<String>,
    #[serde(default)]
    combination_configurations: Vec<CombinationIn>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CombinationIn {
    #[serde(default, rename = "@odata.type")]
    odata_type: Option<String>,
    #[serde(default)]
    applies_to_combinations: Vec<String>,
    #[serde(default, rename = "allowedAAGUIDs")]
    allowed_aaguids: Option<Vec<String>>,
}

impl From<StrengthIn> for Strength {
    fn from(s: StrengthIn) -> Strength {
        // Only fido2 combination configurations restrict AAGUIDs (they apply to `fido2`, the
        // only value `appliesToCombinations` takes for them).
        let fido2_aaguids = s
            .combination_configurations
            .into_iter()
            .filter(|c| {
                c.odata_type
                    .as_deref()
                    .is_none_or(|t| t.ends_with("fido2CombinationConfiguration"))
                    && c.applies_to_combinations.iter().any(|a| a == "fido2")
            })
            .filter_map(|c| c.allowed_aaguids)
            .reduce(|mut a, b| {
                // Several configurations on fido2: a passkey must pass each.
                a.retain(|x| b.iter().any(|y| y.eq_ignore_ascii_case(x)));
                a
            });
        Strength {
            name: s.display_name.unwrap_or_else(|| s.id.clone()),
            combinations: s
                .allowed_combinations
                .iter()
                .map(|c| combination(c))
                .collect(),
            id: s.id,
            fido2_aaguids,
        }
    }
}

/// The strengths a proof knows: the built-ins, then the tenant's.
#[derive(Debug, Clone, PartialEq)]
pub struct Strengths {
    list: Vec<Strength>,
}

impl Default for Strengths {
    fn default() -> Strengths {
        Strengths {
            list: Strength::builtins().to_vec(),
        }
    }
}

impl Strengths {
    /// Reads the list response of the tenant's strengths (built-ins in it are taken as given).
    pub fn parse(bytes: &[u8]) -> Result<Strengths, Located> {
        let (text, v) = text_and_value(bytes)?;
        let read: Vec<StrengthIn> = typed_list(&text, &v)?;
        let mut out = Strengths::default();
        for s in read {
            let s = Strength::from(s);
            out.list.retain(|x| !x.id.eq_ignore_ascii_case(&s.id));
            out.list.push(s);
        }
        Ok(out)
    }

    pub fn get(&self, id: &str) -> Option<&Strength> {
        self.list.iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }
}
