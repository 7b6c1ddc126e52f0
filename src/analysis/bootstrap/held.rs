//! What a persona can present at a sign-in, as authentication method modes (the vocabulary of
//! authentication strengths), and which grant requirements that satisfies: `mfa`, the three
//! built-in strengths and custom ones (allowed combinations, and the AAGUIDs a
//! `fido2CombinationConfiguration` admits).
//!
//! Sources: Graph `conditionalAccessRoot: evaluate` v1.0, Example 2 (the built-in Multifactor
//! authentication strength and its `allowedCombinations`, Temporary Access Pass included);
//! Learn "Authentication strengths" (Passwordless MFA: Windows Hello for Business, passkeys,
//! certificate-based MFA, phone sign-in; Phishing-resistant MFA: the same without phone
//! sign-in; the built-in MFA strength is the set that satisfies *Require multifactor
//! authentication*), <https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths>.

use super::persona::MethodRegistered;
use crate::builders::aaguid::{AUTHENTICATOR_ANDROID, AUTHENTICATOR_IOS};
use crate::policy::model::{AuthenticationMethodMode as Mode, DevicePlatform};

/// The bit of a mode in a combination or a held set; a mode this model does not know gets a
/// bit nobody holds, so a combination naming it is never met.
pub(super) fn bit(m: &Mode) -> u32 {
    match m {
        Mode::Password => 1,
        Mode::Voice => 1 << 1,
        Mode::HardwareOath => 1 << 2,
        Mode::SoftwareOath => 1 << 3,
        Mode::Sms => 1 << 4,
        Mode::Fido2 => FIDO2,
        Mode::WindowsHelloForBusiness => 1 << 6,
        Mode::MicrosoftAuthenticatorPush => 1 << 7,
        Mode::DeviceBasedPush => 1 << 8,
        Mode::TemporaryAccessPassOneTime => TAP_ONE_TIME,
        Mode::TemporaryAccessPassMultiUse => TAP_MULTI_USE,
        Mode::Email => 1 << 11,
        Mode::X509CertificateSingleFactor => 1 << 12,
        Mode::X509CertificateMultiFactor => 1 << 13,
        Mode::FederatedSingleFactor => 1 << 14,
        Mode::FederatedMultiFactor => 1 << 15,
        Mode::QrCodePin => 1 << 16,
        Mode::UnknownFutureValue | Mode::Unknown(_) => NOBODY,
    }
}

pub(super) const FIDO2: u32 = 1 << 5;
pub(super) const TAP_ONE_TIME: u32 = 1 << 9;
pub(super) const TAP_MULTI_USE: u32 = 1 << 10;
const NOBODY: u32 = 1 << 31;

/// A combination in wire form (`"password,sms"`) as bits.
pub(super) fn combination(wire: &str) -> u32 {
    wire.split(',')
        .map(|m| bit(&Mode::parse(m.trim())))
        .fold(0, |a, b| a | b)
}

/// The modes of `bits`, in wire form (`"password,microsoftAuthenticatorPush"`).
pub(super) fn wire(bits: u32) -> String {
    Mode::KNOWN
        .iter()
        .filter(|m| bit(m) != NOBODY && bits & bit(m) != 0)
        .map(Mode::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// Where the passkey a persona holds comes from, for strengths that admit some AAGUIDs only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PasskeyProvider {
    /// Microsoft Authenticator: the AAGUIDs it may carry (the app of the phone's platform, or
    /// either app when the phone is not the device signing in).
    Authenticator(&'static [&'static str]),
    /// Another provider (a security key, Windows Hello, a synced passkey): its AAGUID is not
    /// known, so no AAGUID list is known to admit it.
    Unknown,
}

/// The Authenticator AAGUIDs a passkey on `platform` may carry. On a phone, the app of that
/// platform; elsewhere the passkey sits on a phone this input does not describe, so it may be
/// either, and a list must admit both to admit it for sure.
pub(super) fn authenticator_aaguids(platform: Option<&DevicePlatform>) -> &'static [&'static str] {
    match platform {
        Some(DevicePlatform::IOS) => &[AUTHENTICATOR_IOS],
        Some(DevicePlatform::Android) => &[AUTHENTICATOR_ANDROID],
        _ => &[AUTHENTICATOR_IOS, AUTHENTICATOR_ANDROID],
    }
}

/// What a persona can present at one sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub(super) modes: u32,
    pub(super) passkeys: Vec<PasskeyProvider>,
    /// A Temporary Access Pass was issued but cannot be used (the method is off for the user,
    /// or the user is an external guest): said in the why.
    pub(super) unusable_tap: Option<String>,
}

impl Held {
    /// The modes `methods` give on `platform`. Every account is taken to have a password (the
    /// registration report may not list it). A Temporary Access Pass counts only when
    /// `tap_usable` is `Ok` (it says why not otherwise). Windows Hello for Business signs in
    /// only on Windows; any `passKey…`/`fido2…` value is a passkey (the report's names vary).
    pub(crate) fn new(
        methods: &[MethodRegistered],
        platform: Option<&DevicePlatform>,
        tap_usable: Result<(), String>,
    ) -> Held {
        let mut h = Held {
            modes: bit(&Mode::Password),
            passkeys: Vec::new(),
            unusable_tap: None,
        };
        for m in methods {
            use MethodRegistered as M;
            h.modes |= match m {
                M::Password => bit(&Mode::Password),
                M::MicrosoftAuthenticatorPush => bit(&Mode::MicrosoftAuthenticatorPush),
                M::MicrosoftAuthenticatorPasswordless => bit(&Mode::DeviceBasedPush),
                M::SoftwareOneTimePasscode => bit(&Mode::SoftwareOath),
                M::HardwareOneTimePasscode => bit(&Mode::HardwareOath),
                M::MobilePhone => bit(&Mode::Sms) | bit(&Mode::Voice),
                M::AlternateMobilePhone | M::OfficePhone => bit(&Mode::Voice),
                M::Email => bit(&Mode::Email),
                M::TemporaryAccessPass => match &tap_usable {
                    // Whether it was issued one-time or multi-use is not in the report: either
                    // mode of a strength accepts it.
                    Ok(()) => TAP_ONE_TIME | TAP_MULTI_USE,
                    Err(why) => {
                        h.unusable_tap = Some(why.clone());
                        0
                    }
                },
                M::WindowsHelloForBusiness => {
                    if matches!(platform, Some(DevicePlatform::Windows)) {
                        bit(&Mode::WindowsHelloForBusiness)
                    } else {
                        0
                    }
                }
                M::PassKeyDeviceBoundAuthenticator => {
                    h.passkeys
                        .push(PasskeyProvider::Authenticator(authenticator_aaguids(
                            platform,
                        )));
                    FIDO2
                }
                M::PassKeyDeviceBound
                | M::PassKeyDeviceBoundWindowsHello
                | M::PassKeySynced
                | M::Fido2SecurityKey => {
                    h.passkeys.push(PasskeyProvider::Unknown);
                    FIDO2
                }
                M::MacOsSecureEnclaveKey => 0,
                M::Other(_) if m.is_passkey_name() => {
                    h.passkeys.push(PasskeyProvider::Unknown);
                    FIDO2
                }
                M::Other(_) => 0,
            };
        }
        h
    }

    /// Signing in with a device-bound passkey in Microsoft Authenticator, and nothing else.
    pub(crate) fn authenticator_passkey(platform: Option<&DevicePlatform>) -> Held {
        Held {
            modes: FIDO2,
            passkeys: vec![PasskeyProvider::Authenticator(authenticator_aaguids(
                platform,
            ))],
            unusable_tap: None,
        }
    }

    /// Whether a passkey held is admitted by an AAGUID list (`None`: no list, any passkey).
    pub(super) fn passkey_admitted(&self, aaguids: Option<&[String]>) -> bool {
        let Some(list) = aaguids else {
            return self.modes & FIDO2 != 0;
        };
        let listed = |a: &str| list.iter().any(|x| x.eq_ignore_ascii_case(a));
        self.passkeys.iter().any(|p| match p {
            PasskeyProvider::Authenticator(candidates) => candidates.iter().all(|a| listed(a)),
            PasskeyProvider::Unknown => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_round_trip_and_unknown_modes_are_never_met() {
        let c = combination("password,microsoftAuthenticatorPush");
        assert_eq!(wire(c), "password,microsoftAuthenticatorPush");
        assert_eq!(combination("password,somethingNew") & NOBODY, NOBODY);
    }
}
