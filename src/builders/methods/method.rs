//! The two method configurations this builder writes (path, id, type) and the permission and
//! role a write needs.

/// Write permission for both method configurations, delegated or application.
pub const METHODS_PERMISSION: &str = "Policy.ReadWrite.AuthenticationMethod";
/// Least-privileged Entra role for the write.
pub const METHODS_ROLE: &str = "Authentication Policy Administrator";

/// The two method configurations this module writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Passkeys (FIDO2).
    Fido2,
    /// Temporary Access Pass.
    TemporaryAccessPass,
}

impl Method {
    /// Path below the API version. `fido2` as the Graph API reference writes it (the Entra
    /// how-tos' `/authenticationMethodsPolicy/…/FIDO2` lacks `/policies`); `TemporaryAccessPass`
    /// as the API reference's table of configurations.
    pub fn path(self) -> &'static str {
        match self {
            Method::Fido2 => "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2",
            Method::TemporaryAccessPass => {
                "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass"
            }
        }
    }

    /// The configuration's `id` in responses, which the SDK cmdlet takes as
    /// `-AuthenticationMethodConfigurationId`.
    pub fn config_id(self) -> &'static str {
        match self {
            Method::Fido2 => "Fido2",
            Method::TemporaryAccessPass => "TemporaryAccessPass",
        }
    }

    /// The Graph v1.0 schema type.
    pub fn schema_type(self) -> &'static str {
        match self {
            Method::Fido2 => "fido2AuthenticationMethodConfiguration",
            Method::TemporaryAccessPass => "temporaryAccessPassAuthenticationMethodConfiguration",
        }
    }

    /// Required in every PATCH body.
    pub fn odata_type(self) -> String {
        format!("#microsoft.graph.{}", self.schema_type())
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Fido2 => "Passkey (FIDO2)",
            Method::TemporaryAccessPass => "Temporary Access Pass",
        }
    }
}
