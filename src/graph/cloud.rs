//! Where requests may go: the allow-list of Microsoft Graph hosts, and [`GraphUrl`], the only
//! URL type a request can carry.
//!
//! The admin's token goes wherever a request's URL points, so the URL is the security boundary.
//! A [`GraphUrl`] can only be made for an allow-listed host over https — from a cloud, an API
//! version and a path ([`GraphUrl::new`]), or from an `@odata.nextLink` that stays on the host
//! of the page that returned it ([`GraphUrl::follow`]). A hostile or compromised response cannot
//! steer the token to another host: such a link is refused with [`UrlError`].

use std::fmt;

/// A Microsoft cloud with its own Graph endpoint (national clouds are separate deployments with
/// separate tokens). Nothing outside this list is ever contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Cloud {
    #[default]
    Global,
    /// US Government L4 (GCC High).
    UsGov,
    /// US Government L5 (DoD).
    UsGovDod,
    /// China, operated by 21Vianet.
    China,
}

impl Cloud {
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::UsGov, Cloud::UsGovDod, Cloud::China];

    /// The Graph host name, lower case.
    pub fn host(self) -> &'static str {
        match self {
            Cloud::Global => "graph.microsoft.com",
            Cloud::UsGov => "graph.microsoft.us",
            Cloud::UsGovDod => "dod-graph.microsoft.us",
            Cloud::China => "microsoftgraph.chinacloudapi.cn",
        }
    }

    /// `https://<host>`, no trailing slash.
    pub fn origin(self) -> String {
        format!("https://{}", self.host())
    }

    /// A stable identifier for a `<select>` value (`global`, `usgov`, `usgovdod`, `china`).
    pub fn id(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGov => "usgov",
            Cloud::UsGovDod => "usgovdod",
            Cloud::China => "china",
        }
    }

    pub fn from_id(id: &str) -> Option<Cloud> {
        Cloud::ALL.into_iter().find(|c| c.id() == id)
    }

    /// What an admin calls it.
    pub fn label(self) -> &'static str {
        match self {
            Cloud::Global => "Global (graph.microsoft.com)",
            Cloud::UsGov => "US Government L4 (graph.microsoft.us)",
            Cloud::UsGovDod => "US Government L5 DoD (dod-graph.microsoft.us)",
            Cloud::China => "China 21Vianet (microsoftgraph.chinacloudapi.cn)",
        }
    }

    /// The allow-listed cloud whose Graph host is `host` (ASCII case-insensitive).
    pub fn from_host(host: &str) -> Option<Cloud> {
        Cloud::ALL
            .into_iter()
            .find(|c| c.host().eq_ignore_ascii_case(host))
    }
}

/// The Graph API version in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApiVersion {
    #[default]
    V1,
    Beta,
}

impl ApiVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }

    pub fn parse(s: &str) -> Option<ApiVersion> {
        match s {
            "v1.0" => Some(ApiVersion::V1),
            "beta" => Some(ApiVersion::Beta),
            _ => None,
        }
    }
}

/// Why a URL was refused. Messages name the offending host or character, never a token (URLs
/// built here never contain one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// The path does not start with `/`.
    NotAbsolutePath,
    /// A character that has no business in a Graph path or query (space, control character,
    /// `\`, `#`, quote, angle bracket, non-ASCII …); `index` is its byte offset in the path.
    BadCharacter { index: usize, ch: char },
    /// A `.` or `..` path segment (would let the browser rewrite the path).
    DotSegment,
    /// Not `https://`.
    NotHttps { scheme: String },
    /// The link names another host (or a port or user info, which Graph links never carry).
    ForeignHost {
        host: String,
        expected: &'static str,
    },
    /// The link's path does not start with `/v1.0/` or `/beta/`.
    UnknownVersion,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::NotAbsolutePath => f.write_str("a Graph path must start with '/'"),
            UrlError::BadCharacter { index, ch } => write!(
                f,
                "character {ch:?} at byte {index} is not allowed in a Graph URL (percent-encode values)"
            ),
            UrlError::DotSegment => f.write_str("'.' and '..' path segments are not allowed"),
            UrlError::NotHttps { scheme } => {
                write!(f, "refused a link with scheme {scheme:?}: only https is used")
            }
            UrlError::ForeignHost { host, expected } => write!(
                f,
                "refused a link to {host:?}: requests (and the token) only go to {expected}"
            ),
            UrlError::UnknownVersion => {
                f.write_str("refused a link whose path does not start with /v1.0/ or /beta/")
            }
        }
    }
}

impl std::error::Error for UrlError {}

/// An https URL on an allow-listed Graph host. Fields are private: the only ways to get one are
/// [`GraphUrl::new`] and [`GraphUrl::follow`], both of which check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GraphUrl {
    cloud: Cloud,
    version: ApiVersion,
    /// Path (from the `/` after the version) and query, already percent-encoded.
    path_and_query: String,
}

impl GraphUrl {
    /// `https://<cloud host>/<version><path_and_query>`. `path_and_query` starts with `/` and
    /// holds only URL-safe ASCII (callers percent-encode values; see `ops::encode_component`).
    pub fn new(
        cloud: Cloud,
        version: ApiVersion,
        path_and_query: &str,
    ) -> Result<GraphUrl, UrlError> {
        check_path_and_query(path_and_query)?;
        Ok(GraphUrl {
            cloud,
            version,
            path_and_query: path_and_query.to_string(),
        })
    }

    /// Validates an `@odata.nextLink` returned by a response to `self`: https, exactly the same
    /// host (no port, no user info), a known version, and a clean path.
    pub fn follow(&self, link: &str) -> Result<GraphUrl, UrlError> {
        let Some((scheme, rest)) = link.split_once("://") else {
            return Err(UrlError::NotHttps {
                scheme: String::new(),
            });
        };
        if !scheme.eq_ignore_ascii_case("https") {
            return Err(UrlError::NotHttps {
                scheme: scheme.chars().take(16).collect(),
            });
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        // `graph.microsoft.com@evil.example` or `graph.microsoft.com:444` both fail here: the
        // authority must be exactly the host.
        if !authority.eq_ignore_ascii_case(self.cloud.host()) {
            return Err(UrlError::ForeignHost {
                host: authority.chars().take(100).collect(),
                expected: self.cloud.host(),
            });
        }
        let after_slash = path.strip_prefix('/').ok_or(UrlError::UnknownVersion)?;
        let (version, tail) = after_slash
            .split_once('/')
            .ok_or(UrlError::UnknownVersion)?;
        let version = ApiVersion::parse(version).ok_or(UrlError::UnknownVersion)?;
        GraphUrl::new(self.cloud, version, &format!("/{tail}"))
    }

    pub fn cloud(&self) -> Cloud {
        self.cloud
    }

    pub fn version(&self) -> ApiVersion {
        self.version
    }

    pub fn host(&self) -> &'static str {
        self.cloud.host()
    }

    /// Path and query below the version, e.g. `/identity/conditionalAccess/policies?$top=5`.
    pub fn path_and_query(&self) -> &str {
        &self.path_and_query
    }

    /// `/v1.0/…`: what `Invoke-MgGraphRequest -Uri` takes and what a server sees.
    pub fn relative(&self) -> String {
        format!("/{}{}", self.version.as_str(), self.path_and_query)
    }

    /// The absolute URL.
    pub fn as_string(&self) -> String {
        format!("https://{}{}", self.cloud.host(), self.relative())
    }
}

impl fmt::Display for GraphUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

fn check_path_and_query(p: &str) -> Result<(), UrlError> {
    if !p.starts_with('/') {
        return Err(UrlError::NotAbsolutePath);
    }
    for (index, ch) in p.char_indices() {
        let ok = ch.is_ascii_graphic()
            && !matches!(
                ch,
                '\\' | '#' | '"' | '<' | '>' | '`' | '{' | '}' | '|' | '^'
            );
        if !ok {
            return Err(UrlError::BadCharacter { index, ch });
        }
    }
    let path = p.split('?').next().unwrap_or(p);
    // `//x` right after the version would read as a network-path reference to some parsers.
    if path.starts_with("//") {
        return Err(UrlError::BadCharacter { index: 1, ch: '/' });
    }
    if path.split('/').any(|seg| {
        let s = seg.to_ascii_lowercase();
        matches!(s.as_str(), "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e.")
    }) {
        return Err(UrlError::DotSegment);
    }
    Ok(())
}
