//! The admin's pasted access token: held in memory only, never printed, decoded locally.
//!
//! A Graph access token is a JWT (`header.payload.signature`, base64url). Its signature cannot be
//! checked in the browser (no key, and no need: Graph checks it), so the claims shown here are
//! what the token *says* — good enough to show tenant, user, expiry and permissions and to warn
//! before a call, never a security decision.
//!
//! [`Token`] has no `Serialize`, no `Clone`, and `Debug`/`Display` print `Token(…redacted…)`, so
//! it cannot reach storage, a share link, the console or an error message by accident. The only
//! way to read the secret is [`Token::authorization_value`], which the transport calls when it
//! sets the `Authorization` header. Every error here describes the input without quoting it.

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

use super::cloud::Cloud;

/// Microsoft Graph's application id: the `aud` of Graph tokens issued for it by id.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// Minutes before expiry from which [`ExpiryStatus::ExpiresSoon`] is reported.
pub const EXPIRES_SOON_MINUTES: i64 = 10;

/// An access token and its decoded claims.
pub struct Token {
    secret: Vec<u8>,
    claims: Claims,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…redacted…)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…redacted…)")
    }
}

impl Drop for Token {
    /// Best effort: overwrite the bytes this value owns. Copies the browser made (the header
    /// string handed to `fetch`) are out of reach; Disconnect drops the last reference.
    fn drop(&mut self) {
        for b in self.secret.iter_mut() {
            *b = 0;
        }
        std::hint::black_box(&self.secret);
    }
}

/// Which JWT part an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Header,
    Payload,
    Signature,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Header => "header (part 1)",
            Part::Payload => "payload (part 2)",
            Part::Signature => "signature (part 3)",
        })
    }
}

/// Why a pasted text is not a usable access token. Never contains the text itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    Empty,
    /// Not `header.payload.signature`. `parts` is how many dot-separated parts there were.
    NotThreeParts {
        parts: usize,
    },
    /// A character outside the base64url alphabet; `index` is its 0-based character offset in
    /// the trimmed token.
    BadBase64 {
        part: Part,
        index: usize,
    },
    /// The decoded part is not JSON (or not UTF-8).
    BadJson {
        part: Part,
        detail: String,
    },
    /// The decoded part is JSON but not an object.
    NotAnObject {
        part: Part,
    },
    /// No numeric `exp` claim.
    MissingExp,
    /// A claim has the wrong JSON type (e.g. `scp` not a string).
    BadClaim {
        claim: &'static str,
        expected: &'static str,
    },
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Empty => f.write_str("no token: paste an access token for Microsoft Graph"),
            TokenError::NotThreeParts { parts: 1 } => f.write_str(
                "this is not a JWT (it has no '.'): paste the access token itself, e.g. the output of \
                 `az account get-access-token --resource https://graph.microsoft.com --query accessToken -o tsv`; \
                 tokens for personal Microsoft accounts are opaque and not supported",
            ),
            TokenError::NotThreeParts { parts: 5 } => f.write_str(
                "this token has 5 parts: it is encrypted (JWE), so it is not a Graph access token",
            ),
            TokenError::NotThreeParts { parts } => write!(
                f,
                "a JWT has 3 parts separated by '.', this text has {parts}: part of the token may be missing"
            ),
            TokenError::BadBase64 { part, index } => write!(
                f,
                "the token's {part} has a character that is not base64url at character {}: \
                 the token may have been cut or wrapped when copied",
                index + 1
            ),
            TokenError::BadJson { part, detail } => {
                write!(f, "the token's {part} does not decode to JSON ({detail})")
            }
            TokenError::NotAnObject { part } => {
                write!(f, "the token's {part} decodes to JSON that is not an object")
            }
            TokenError::MissingExp => f.write_str(
                "the token has no expiry (`exp` claim): it is not an Entra ID access token",
            ),
            TokenError::BadClaim { claim, expected } => {
                write!(f, "the token's `{claim}` claim should be {expected}")
            }
        }
    }
}

impl std::error::Error for TokenError {}

/// What the token says about itself (unverified).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Claims {
    /// `tid`: the tenant id.
    pub tenant_id: Option<String>,
    /// The signed-in user (`upn`, else `unique_name`, else `preferred_username`) or, for an app
    /// token, the app's name (`app_displayname`).
    pub user: Option<String>,
    /// `aud`: one value, or several when the claim is an array.
    pub audience: Vec<String>,
    /// `iss`.
    pub issuer: Option<String>,
    /// `appid` or `azp`: the client application.
    pub app_id: Option<String>,
    /// `exp`, seconds since the Unix epoch.
    pub expires_at: i64,
    /// `iat`.
    pub issued_at: Option<i64>,
    /// `scp`, split on spaces: delegated permissions.
    pub scopes: Vec<String>,
    /// `roles`: application permissions (or, in some tokens, app roles).
    pub roles: Vec<String>,
}

/// Whether the token acts for a signed-in user or as the application itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Has `scp`: permissions are delegated, and the user's directory roles also apply.
    Delegated,
    /// No `scp`: permissions are the application roles in `roles`.
    Application,
}

/// Where the token stands relative to its `exp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryStatus {
    Valid,
    /// Expires within [`EXPIRES_SOON_MINUTES`]; `minutes` is rounded up (0 < minutes ≤ 10).
    ExpiresSoon {
        minutes: i64,
    },
    Expired,
}

impl Claims {
    pub fn kind(&self) -> TokenKind {
        if self.scopes.is_empty() && !self.roles.is_empty() {
            TokenKind::Application
        } else {
            TokenKind::Delegated
        }
    }

    /// The permissions the token grants: `scp` for delegated tokens, `roles` for app tokens.
    pub fn permissions(&self) -> &[String] {
        match self.kind() {
            TokenKind::Delegated => &self.scopes,
            TokenKind::Application => &self.roles,
        }
    }

    /// Whether `name` is among [`Claims::permissions`] (permission names are case-insensitive).
    pub fn has_permission(&self, name: &str) -> bool {
        self.permissions()
            .iter()
            .any(|p| p.eq_ignore_ascii_case(name))
    }

    pub fn expiry_status(&self, now_unix: i64) -> ExpiryStatus {
        let left = self.expires_at - now_unix;
        if left <= 0 {
            ExpiryStatus::Expired
        } else if left <= EXPIRES_SOON_MINUTES * 60 {
            ExpiryStatus::ExpiresSoon {
                minutes: (left + 59) / 60,
            }
        } else {
            ExpiryStatus::Valid
        }
    }

    /// Whether `aud` names Graph for `cloud`: its resource URL (with or without a trailing
    /// slash) or Graph's application id, which is the same in every cloud.
    pub fn audience_is_graph(&self, cloud: Cloud) -> bool {
        let origin = cloud.origin();
        self.audience.iter().any(|a| {
            let a = a.trim_end_matches('/');
            a.eq_ignore_ascii_case(&origin) || a.eq_ignore_ascii_case(GRAPH_APP_ID)
        })
    }

    /// A warning when the token is not for Graph in `cloud` (Graph would answer 401).
    pub fn audience_warning(&self, cloud: Cloud) -> Option<String> {
        if self.audience_is_graph(cloud) {
            return None;
        }
        let other = Cloud::ALL
            .into_iter()
            .find(|c| *c != cloud && self.audience_is_graph(*c));
        Some(match (other, self.audience.as_slice()) {
            (Some(c), _) => format!(
                "this token is for Graph in another cloud ({}); choose that cloud or get a token for {}",
                c.label(),
                cloud.origin()
            ),
            (None, []) => format!(
                "this token names no audience (`aud`); Graph in this cloud expects {}",
                cloud.origin()
            ),
            (None, auds) => format!(
                "this token is for {} (its `aud`), not for Microsoft Graph ({}); Graph will refuse it. \
                 Get one with `--resource {}`",
                auds.join(", "),
                cloud.origin(),
                cloud.origin()
            ),
        })
    }
}

impl Token {
    /// Accepts what an admin pastes: surrounding whitespace and quotes, an `Authorization:` or
    /// `Bearer ` prefix, and line breaks inside (terminals wrap long tokens) are removed.
    pub fn parse(pasted: &str) -> Result<Token, TokenError> {
        let compact = normalise(pasted);
        if compact.is_empty() {
            return Err(TokenError::Empty);
        }
        let parts: Vec<&str> = compact.split('.').collect();
        if parts.len() != 3 {
            return Err(TokenError::NotThreeParts { parts: parts.len() });
        }
        let mut offset = 0;
        let mut decoded = Vec::with_capacity(2);
        for (i, (text, part)) in parts
            .iter()
            .zip([Part::Header, Part::Payload, Part::Signature])
            .enumerate()
        {
            let bytes = base64url_decode(text).map_err(|at| TokenError::BadBase64 {
                part,
                index: offset + at,
            })?;
            offset += text.chars().count() + 1;
            if i < 2 {
                decoded.push((part, bytes));
            }
        }
        let mut objects = decoded.into_iter().map(|(part, bytes)| {
            let v: Value = serde_json::from_slice(&bytes).map_err(|e| TokenError::BadJson {
                part,
                detail: format!("{} at column {}", category(&e), e.column()),
            })?;
            match v {
                Value::Object(o) => Ok(o),
                _ => Err(TokenError::NotAnObject { part }),
            }
        });
        let _header = objects.next().expect("two parts decoded")?;
        let payload = objects.next().expect("two parts decoded")?;
        let claims = claims_from(&payload)?;
        Ok(Token {
            secret: compact.into_bytes(),
            claims,
        })
    }

    pub fn claims(&self) -> &Claims {
        &self.claims
    }

    /// `Bearer <token>`: the `Authorization` header value. The only accessor of the secret.
    pub fn authorization_value(&self) -> String {
        format!("Bearer {}", self.secret_str())
    }

    /// `text` with every occurrence of this token, and of its payload and signature parts,
    /// replaced by `…redacted…`. Applied to anything a server sends back before it is shown,
    /// in case a server echoes the `Authorization` header.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let secret = self.secret_str();
        let mut needles: Vec<&str> = vec![secret];
        needles.extend(secret.split('.').skip(1).filter(|p| p.len() >= 16));
        if !needles.iter().any(|n| text.contains(n)) {
            return Cow::Borrowed(text);
        }
        let mut out = text.to_string();
        for n in needles {
            out = out.replace(n, "…redacted…");
        }
        Cow::Owned(out)
    }

    fn secret_str(&self) -> &str {
        // Built from a `String` in `parse` and never modified until drop.
        std::str::from_utf8(&self.secret).unwrap_or("")
    }
}

/// Trims whitespace and quotes, drops an `Authorization:` / `Bearer` prefix, removes inner
/// whitespace (wrapped lines).
fn normalise(pasted: &str) -> String {
    let mut s = pasted.trim();
    loop {
        let before = s;
        s = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`'));
        for prefix in ["authorization:", "bearer "] {
            if s.get(..prefix.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
            {
                s = &s[prefix.len()..];
            }
        }
        if s == before {
            break;
        }
    }
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Decodes unpadded (or padded) base64url. `Err(i)`: character index of the first bad character.
fn base64url_decode(text: &str) -> Result<Vec<u8>, usize> {
    let body = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in body.chars().enumerate() {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '-' => 62,
            '_' => 63,
            _ => return Err(i),
        };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // One leftover character (6 bits) cannot encode a byte: the text was cut.
    if body.chars().count() % 4 == 1 {
        return Err(body.chars().count() - 1);
    }
    Ok(out)
}

fn category(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => "I/O error",
        Category::Syntax => "syntax error",
        Category::Data => "unexpected data",
        Category::Eof => "it ends too early",
    }
}

fn claims_from(p: &Map<String, Value>) -> Result<Claims, TokenError> {
    let string = |name: &'static str| -> Result<Option<String>, TokenError> {
        match p.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(TokenError::BadClaim {
                claim: name,
                expected: "a string",
            }),
        }
    };
    let number = |name: &'static str| -> Result<Option<i64>, TokenError> {
        match p.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().map(|f| f as i64))
                .map(Some)
                .ok_or(TokenError::BadClaim {
                    claim: name,
                    expected: "a number of seconds",
                }),
            Some(_) => Err(TokenError::BadClaim {
                claim: name,
                expected: "a number of seconds",
            }),
        }
    };
    let expires_at = number("exp")?.ok_or(TokenError::MissingExp)?;
    let audience = match p.get("aud") {
        None | Some(Value::Null) => vec![],
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or(TokenError::BadClaim {
                claim: "aud",
                expected: "a string or an array of strings",
            })?,
        Some(_) => {
            return Err(TokenError::BadClaim {
                claim: "aud",
                expected: "a string or an array of strings",
            })
        }
    };
    let scopes = string("scp")?
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let roles = match p.get("roles") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or(TokenError::BadClaim {
                claim: "roles",
                expected: "an array of strings",
            })?,
        Some(_) => {
            return Err(TokenError::BadClaim {
                claim: "roles",
                expected: "an array of strings",
            })
        }
    };
    let mut user = None;
    for name in [
        "upn",
        "unique_name",
        "preferred_username",
        "app_displayname",
    ] {
        if let Some(u) = string(name)? {
            user = Some(u);
            break;
        }
    }
    Ok(Claims {
        tenant_id: string("tid")?,
        user,
        audience,
        issuer: string("iss")?,
        app_id: match string("appid")? {
            Some(a) => Some(a),
            None => string("azp")?,
        },
        expires_at,
        issued_at: number("iat")?,
        scopes,
        roles,
    })
}
