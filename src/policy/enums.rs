//! Graph enum types with their exact wire spelling.
//!
//! Every enum has an `Unknown(String)` variant: Graph adds members over time (evolvable enums,
//! e.g. `linux` and `riskRemediation` arrived after `unknownFutureValue`), and real files carry
//! misspellings (`"All"` for `clientAppTypes`). Either must survive import→export unchanged
//! rather than fail the import; the schema check is where they are reported.

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

use super::field::Json;

/// Declares a string enum with exact Graph spellings and an `Unknown(String)` fallback.
macro_rules! graph_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A member this model does not know (a newer Graph value or a misspelling), as written.
            Unknown(String),
        }

        impl $name {
            /// Every member this model knows, in CSDL order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The exact wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown(s) => s,
                }
            }

            /// Case-sensitive, like the service: `"All"` is not `all`.
            pub fn parse(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)+
                    other => $name::Unknown(other.to_string()),
                }
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl Json for $name {
            fn from_json(v: Value) -> Result<Self, Value> {
                match v {
                    Value::String(s) => Ok($name::parse(&s)),
                    other => Err(other),
                }
            }
            fn to_json(&self) -> Value {
                Value::String(self.as_str().to_string())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)
                    .map_err(|e| D::Error::custom(format!("{} must be a string: {e}", stringify!($name))))?;
                Ok($name::parse(&s))
            }
        }
    };
}

graph_enum!(
    /// `conditionalAccessPolicyState`.
    PolicyState {
        Enabled = "enabled",
        Disabled = "disabled",
        /// "Report-only" in the portal.
        EnabledForReportingButNotEnforced = "enabledForReportingButNotEnforced",
    }
);

graph_enum!(
    /// `conditionalAccessClientApp` (`clientAppTypes`).
    ClientAppType {
        All = "all",
        Browser = "browser",
        MobileAppsAndDesktopClients = "mobileAppsAndDesktopClients",
        ExchangeActiveSync = "exchangeActiveSync",
        EasSupported = "easSupported",
        Other = "other",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `conditionalAccessDevicePlatform`. `linux` sits after `unknownFutureValue` in the CSDL.
    DevicePlatform {
        Android = "android",
        IOS = "iOS",
        Windows = "windows",
        WindowsPhone = "windowsPhone",
        MacOS = "macOS",
        All = "all",
        UnknownFutureValue = "unknownFutureValue",
        Linux = "linux",
    }
);

graph_enum!(
    /// `riskLevel` (sign-in, user and service-principal risk).
    RiskLevel {
        Low = "low",
        Medium = "medium",
        High = "high",
        Hidden = "hidden",
        None = "none",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `conditionalAccessGrantControl` (`builtInControls`).
    GrantControl {
        Block = "block",
        Mfa = "mfa",
        CompliantDevice = "compliantDevice",
        DomainJoinedDevice = "domainJoinedDevice",
        ApprovedApplication = "approvedApplication",
        CompliantApplication = "compliantApplication",
        PasswordChange = "passwordChange",
        UnknownFutureValue = "unknownFutureValue",
        RiskRemediation = "riskRemediation",
    }
);

graph_enum!(
    /// `grantControls.operator`: a plain string in the CSDL, `AND`/`OR` in every official example.
    GrantOperator {
        And = "AND",
        Or = "OR",
    }
);

graph_enum!(
    /// `filterMode` of a device / application / service-principal filter.
    FilterMode {
        Include = "include",
        Exclude = "exclude",
    }
);

graph_enum!(
    /// `conditionalAccessExternalTenantsMembershipKind`.
    MembershipKind {
        All = "all",
        Enumerated = "enumerated",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `conditionalAccessGuestOrExternalUserTypes` (flags member).
    GuestOrExternalUserType {
        None = "none",
        InternalGuest = "internalGuest",
        B2bCollaborationGuest = "b2bCollaborationGuest",
        B2bCollaborationMember = "b2bCollaborationMember",
        B2bDirectConnectUser = "b2bDirectConnectUser",
        OtherExternalUser = "otherExternalUser",
        ServiceProvider = "serviceProvider",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `conditionalAccessInsiderRiskLevels` (flags member).
    InsiderRiskLevel {
        Minor = "minor",
        Moderate = "moderate",
        Elevated = "elevated",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `conditionalAccessTransferMethods` (flags member).
    TransferMethod {
        None = "none",
        DeviceCodeFlow = "deviceCodeFlow",
        AuthenticationTransfer = "authenticationTransfer",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `cloudAppSecuritySessionControlType`.
    CloudAppSecurityType {
        McasConfigured = "mcasConfigured",
        MonitorOnly = "monitorOnly",
        BlockDownloads = "blockDownloads",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `persistentBrowserSessionMode`.
    PersistentBrowserMode {
        Always = "always",
        Never = "never",
    }
);

graph_enum!(
    /// `signinFrequencyType`.
    SignInFrequencyType {
        Days = "days",
        Hours = "hours",
    }
);

graph_enum!(
    /// `signInFrequencyAuthenticationType`.
    SignInFrequencyAuthenticationType {
        PrimaryAndSecondaryAuthentication = "primaryAndSecondaryAuthentication",
        SecondaryAuthentication = "secondaryAuthentication",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `signInFrequencyInterval`.
    SignInFrequencyInterval {
        TimeBased = "timeBased",
        EveryTime = "everyTime",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `authenticationStrengthPolicyType`.
    AuthenticationStrengthPolicyType {
        BuiltIn = "builtIn",
        Custom = "custom",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `authenticationStrengthRequirements` (flags member).
    AuthenticationStrengthRequirement {
        None = "none",
        Mfa = "mfa",
        UnknownFutureValue = "unknownFutureValue",
    }
);

graph_enum!(
    /// `authenticationMethodModes` (flags member; one string per allowed combination).
    AuthenticationMethodMode {
        Password = "password",
        Voice = "voice",
        HardwareOath = "hardwareOath",
        SoftwareOath = "softwareOath",
        Sms = "sms",
        Fido2 = "fido2",
        WindowsHelloForBusiness = "windowsHelloForBusiness",
        MicrosoftAuthenticatorPush = "microsoftAuthenticatorPush",
        DeviceBasedPush = "deviceBasedPush",
        TemporaryAccessPassOneTime = "temporaryAccessPassOneTime",
        TemporaryAccessPassMultiUse = "temporaryAccessPassMultiUse",
        Email = "email",
        X509CertificateSingleFactor = "x509CertificateSingleFactor",
        X509CertificateMultiFactor = "x509CertificateMultiFactor",
        FederatedSingleFactor = "federatedSingleFactor",
        FederatedMultiFactor = "federatedMultiFactor",
        UnknownFutureValue = "unknownFutureValue",
        QrCodePin = "qrCodePin",
    }
);

/// A Graph flags value: ONE JSON string of comma-separated members
/// (`"internalGuest,b2bCollaborationGuest"`), never an array.
///
/// Members are split on `,` without trimming, so whatever was written (`"a, b"`, `""`) comes
/// back byte for byte: a piece with stray spaces is an `Unknown` member, which the schema
/// check reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flags<T>(pub Vec<T>);

/// Shared by every flags member type so [`Flags`] can parse and print them.
pub trait FlagMember: Sized {
    fn parse_member(s: &str) -> Self;
    fn member_str(&self) -> &str;
}

macro_rules! flag_member {
    ($($t:ty),+) => {$(
        impl FlagMember for $t {
            fn parse_member(s: &str) -> Self { <$t>::parse(s) }
            fn member_str(&self) -> &str { self.as_str() }
        }
    )+};
}
flag_member!(
    GuestOrExternalUserType,
    InsiderRiskLevel,
    TransferMethod,
    AuthenticationStrengthRequirement,
    AuthenticationMethodMode
);

impl<T: FlagMember> Flags<T> {
    pub fn parse(s: &str) -> Self {
        Flags(s.split(',').map(T::parse_member).collect())
    }

    pub fn to_wire(&self) -> String {
        self.0
            .iter()
            .map(T::member_str)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl<T: FlagMember> Json for Flags<T> {
    fn from_json(v: Value) -> Result<Self, Value> {
        match v {
            Value::String(s) => Ok(Flags::parse(&s)),
            other => Err(other),
        }
    }
    fn to_json(&self) -> Value {
        Value::String(self.to_wire())
    }
}

impl<T: FlagMember> Serialize for Flags<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_wire())
    }
}

impl<'de, T: FlagMember> Deserialize<'de> for Flags<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d).map_err(|e| {
            D::Error::custom(format!("a flags value is one comma-separated string: {e}"))
        })?;
        Ok(Flags::parse(&s))
    }
}

impl FilterMode {
    /// The filter language's mode, for `crate::filter::check`; `None` for an unknown mode.
    pub fn as_filter_mode(&self) -> Option<crate::filter::Mode> {
        match self {
            FilterMode::Include => Some(crate::filter::Mode::Include),
            FilterMode::Exclude => Some(crate::filter::Mode::Exclude),
            FilterMode::Unknown(_) => None,
        }
    }
}
