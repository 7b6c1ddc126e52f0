//! The `--locations` file: the tenant's named locations, as `GET
//! /identity/conditionalAccess/namedLocations` returns them (a list response, an array or one
//! location), and which of them a sign-in's `ipAddress` and `country` fall in.
//!
//! Reference: <https://learn.microsoft.com/graph/api/resources/ipnamedlocation?view=graph-rest-1.0>,
//! <https://learn.microsoft.com/graph/api/resources/countrynamedlocation?view=graph-rest-1.0>.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json::{self, index, key, Doc, Seg};
use crate::located::Located;

/// The tenant's named locations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedLocations {
    pub locations: Vec<NamedLocation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedLocation {
    pub id: String,
    pub display_name: String,
    pub kind: LocationKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum LocationKind {
    Ip {
        ranges: Vec<IpRange>,
        trusted: bool,
    },
    Country {
        /// Two-letter codes, upper-case.
        countries: Vec<String>,
        /// `countryLookupMethod` is `authenticatorAppGps`: the country comes from the
        /// Authenticator app's GPS, which a request cannot give.
        by_gps: bool,
        include_unknown: bool,
    },
}

/// An address range, both ends included, as numbers (IPv4 addresses mapped into IPv6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpRange {
    pub low: u128,
    pub high: u128,
}

/// Where a sign-in is, by the named locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Ids of the named locations it falls in, in file order.
    pub ids: Vec<String>,
    pub trusted: bool,
}

fn number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(a) => u128::from(a.to_ipv6_mapped()),
        IpAddr::V6(a) => u128::from(a),
    }
}

/// Parses `a.b.c.d/n` or `x::/n` into a range; `None` if it is not one.
pub(super) fn cidr(s: &str) -> Option<IpRange> {
    let (addr, bits) = s.trim().split_once('/')?;
    let ip: IpAddr = addr.parse().ok()?;
    let bits: u32 = bits.parse().ok()?;
    let width = if ip.is_ipv4() { 32 } else { 128 };
    if bits > width {
        return None;
    }
    let host_bits = width - bits;
    let mask: u128 = if host_bits == 0 {
        0
    } else {
        (1u128 << host_bits) - 1
    };
    let n = number(ip);
    let low = n & !mask;
    Some(IpRange {
        low,
        high: low | mask,
    })
}

impl NamedLocations {
    /// The named locations an IP address and a country fall in. `ip` must be an address
    /// (checked by the caller); `country` is compared ignoring case.
    pub fn resolve(&self, ip: Option<IpAddr>, country: Option<&str>) -> Resolved {
        let mut ids = Vec::new();
        let mut trusted = false;
        for l in &self.locations {
            let inside = match &l.kind {
                LocationKind::Ip { ranges, trusted: t } => {
                    let hit = ip.is_some_and(|ip| {
                        let n = number(ip);
                        ranges.iter().any(|r| r.low <= n && n <= r.high)
                    });
                    if hit && *t {
                        trusted = true;
                    }
                    hit
                }
                LocationKind::Country {
                    countries,
                    by_gps,
                    include_unknown,
                } => {
                    if *by_gps {
                        false
                    } else {
                        match country {
                            Some(c) => countries.iter().any(|x| x.eq_ignore_ascii_case(c.trim())),
                            // Offline, an address's country is not known: it counts as an
                            // unknown country.
                            None => *include_unknown && ip.is_some(),
                        }
                    }
                }
            };
            if inside {
                ids.push(l.id.clone());
            }
        }
        Resolved { ids, trusted }
    }

    /// Whether a country location looks up the country by GPS (never matched offline).
    pub fn has_gps_locations(&self) -> bool {
        self.locations
            .iter()
            .any(|l| matches!(l.kind, LocationKind::Country { by_gps: true, .. }))
    }
}

const IP_LOCATION: &str = "#microsoft.graph.ipNamedLocation";
const COUNTRY_LOCATION: &str = "#microsoft.graph.countryNamedLocation";
const COMMON: [&str; 5] = [
    "id",
    "displayName",
    "createdDateTime",
    "modifiedDateTime",
    "deletedDateTime",
];

/// Reads a named-locations file (bytes: it may be UTF-16), strictly.
pub fn read_locations(bytes: &[u8]) -> Result<NamedLocations, Located> {
    let (doc, v) = Doc::read(bytes)?;
    let root: Vec<Seg> = Vec::new();
    let (items, base): (Vec<&Value>, Vec<Seg>) = match &v {
        Value::Array(a) => (a.iter().collect(), root.clone()),
        Value::Object(o) if o.get("value").is_some_and(Value::is_array) => {
            for k in o.keys() {
                if !matches!(
                    k.as_str(),
                    "value" | "@odata.context" | "@odata.nextLink" | "@odata.count"
                ) {
                    return Err(doc.at(
                        &key(&root, k),
                        format!(
                            "unknown property {} in the list response; expected value",
                            json::visible(k)
                        ),
                    ));
                }
            }
            if o.contains_key("@odata.nextLink") {
                return Err(doc.at(
                    &key(&root, "@odata.nextLink"),
                    "the list response has more pages (@odata.nextLink); give every page's locations in one file",
                ));
            }
            let Some(Value::Array(a)) = o.get("value") else {
                return Ok(NamedLocations::default());
            };
            (a.iter().collect(), key(&root, "value"))
        }
        Value::Object(_) => (vec![&v], root.clone()),
        other => {
            return Err(doc.at_value(
                &root,
                format!(
                "expected named locations (a list response, an array or one location), found {}",
                json::kind(other)
            ),
            ))
        }
    };
    let single = base.is_empty() && v.is_object();
    let mut locations = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let p = if single {
            root.clone()
        } else {
            index(&base, i)
        };
        locations.push(location(&doc, item, &p)?);
    }
    Ok(NamedLocations { locations })
}

fn location(doc: &Doc, v: &Value, p: &[Seg]) -> Result<NamedLocation, Located> {
    let Value::Object(o) = v else {
        return Err(doc.at_value(
            p,
            format!(
                "{} must be a named location object, found {}",
                json::show(p),
                json::kind(v)
            ),
        ));
    };
    let t = json::odata_type(doc, o, p, &[IP_LOCATION, COUNTRY_LOCATION])?;
    let mut known: Vec<&str> = COMMON.to_vec();
    if t == IP_LOCATION {
        known.extend(["ipRanges", "isTrusted"]);
    } else {
        known.extend([
            "countriesAndRegions",
            "countryLookupMethod",
            "includeUnknownCountriesAndRegions",
        ]);
    }
    let o = json::object(doc, v, p, &known)?;
    let id = match json::string(doc, o, p, "id")? {
        Some(id) if !id.trim().is_empty() => id,
        _ => {
            return Err(doc.at_value(
                p,
                format!(
                    "{} needs an id (policies name locations by id)",
                    json::show(p)
                ),
            ))
        }
    };
    let display_name = json::string(doc, o, p, "displayName")?.unwrap_or_default();
    let kind = if t == IP_LOCATION {
        let rp = key(p, "ipRanges");
        let ranges = match o.get("ipRanges") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(rs)) => rs
                .iter()
                .enumerate()
                .map(|(j, r)| ip_range(doc, r, &index(&rp, j)))
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(doc.at_value(
                    &rp,
                    format!(
                        "{} must be a list, found {}",
                        json::show(&rp),
                        json::kind(other)
                    ),
                ))
            }
        };
        LocationKind::Ip {
            ranges,
            trusted: json::boolean(doc, o, p, "isTrusted")?.unwrap_or(false),
        }
    } else {
        let by_gps = match json::string(doc, o, p, "countryLookupMethod")?.as_deref() {
            None | Some("clientIpAddress") => false,
            Some("authenticatorAppGps") => true,
            Some(other) => {
                return Err(doc.at_value(
                    &key(p, "countryLookupMethod"),
                    format!(
                        "{} is {}; expected clientIpAddress or authenticatorAppGps",
                        json::show(&key(p, "countryLookupMethod")),
                        json::visible(other)
                    ),
                ))
            }
        };
        LocationKind::Country {
            countries: json::strings(doc, o, p, "countriesAndRegions")?
                .into_iter()
                .map(|c| c.trim().to_ascii_uppercase())
                .collect(),
            by_gps,
            include_unknown: json::boolean(doc, o, p, "includeUnknownCountriesAndRegions")?
                .unwrap_or(false),
        }
    };
    Ok(NamedLocation {
        id,
        display_name,
        kind,
    })
}

fn ip_range(doc: &Doc, v: &Value, p: &[Seg]) -> Result<IpRange, Located> {
    const V4_CIDR: &str = "#microsoft.graph.iPv4CidrRange";
    const V6_CIDR: &str = "#microsoft.graph.iPv6CidrRange";
    const V4_RANGE: &str = "#microsoft.graph.iPv4Range";
    const V6_RANGE: &str = "#microsoft.graph.iPv6Range";
    let Value::Object(o) = v else {
        return Err(doc.at_value(
            p,
            format!(
                "{} must be an object, found {}",
                json::show(p),
                json::kind(v)
            ),
        ));
    };
    let t = json::odata_type(doc, o, p, &[V4_CIDR, V6_CIDR, V4_RANGE, V6_RANGE])?;
    let v6 = t == V6_CIDR || t == V6_RANGE;
    let family_ok = |ip: &IpAddr| ip.is_ipv6() == v6;
    if t == V4_CIDR || t == V6_CIDR {
        let o = json::object(doc, v, p, &["cidrAddress"])?;
        let text = json::string(doc, o, p, "cidrAddress")?.unwrap_or_default();
        let ok = text
            .split_once('/')
            .and_then(|(a, _)| a.parse::<IpAddr>().ok())
            .is_some_and(|ip| family_ok(&ip));
        return cidr(&text).filter(|_| ok).ok_or_else(|| {
            doc.at_value(
                &key(p, "cidrAddress"),
                format!(
                    "{} is {}, not an {} CIDR range",
                    json::show(&key(p, "cidrAddress")),
                    json::visible(&text),
                    if v6 { "IPv6" } else { "IPv4" }
                ),
            )
        });
    }
    let o = json::object(doc, v, p, &["lowerAddress", "upperAddress"])?;
    let end = |name: &str| -> Result<u128, Located> {
        let text = json::string(doc, o, p, name)?.unwrap_or_default();
        match text.trim().parse::<IpAddr>() {
            Ok(ip) if family_ok(&ip) => Ok(number(ip)),
            _ => Err(doc.at_value(
                &key(p, name),
                format!(
                    "{} is {}, not an {} address",
                    json::show(&key(p, name)),
                    json::visible(&text),
                    if v6 { "IPv6" } else { "IPv4" }
                ),
            )),
        }
    };
    let (low, high) = (end("lowerAddress")?, end("upperAddress")?);
    if low > high {
        return Err(doc.at(
            &key(p, "upperAddress"),
            format!(
                "{}: the upper address is below the lower one",
                json::show(p)
            ),
        ));
    }
    Ok(IpRange { low, high })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_ranges_cover_their_addresses_only() {
        let r = cidr("203.0.113.0/24").unwrap();
        let inside = number("203.0.113.10".parse().unwrap());
        let outside = number("203.0.114.1".parse().unwrap());
        assert!(r.low <= inside && inside <= r.high);
        assert!(!(r.low <= outside && outside <= r.high));
        assert_eq!(cidr("10.0.0.1/32").map(|r| r.high - r.low), Some(0));
        assert!(cidr("10.0.0.0/33").is_none());
        let v6 = cidr("2001:db8::/32").unwrap();
        let a = number("2001:db8::1".parse().unwrap());
        assert!(v6.low <= a && a <= v6.high);
    }
}
