//! The one table of Conditional Access device-filter properties (as Microsoft
//! Learn lists them, `docs/filter-language.md#properties`), and the names
//! people bring from dynamic groups and Intune filters.
//! Every check that depends on a property reads this table; nothing else in
//! the module matches on property names.

use super::ast::Op;

/// The value a property holds, which decides which literals are allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Any string.
    Text,
    /// A GUID string (`aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb`).
    Guid,
    /// One of the listed strings, in their documented casing.
    Enum(&'static [&'static str]),
    /// `True` / `False`.
    Bool,
    /// A collection of strings; `-contains` tests whole elements.
    Collection,
}

/// A set of operators, as a bit mask over `Op::ALL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpSet(u16);

impl OpSet {
    pub const fn of(ops: &[Op]) -> OpSet {
        let mut bits = 0u16;
        let mut i = 0;
        while i < ops.len() {
            bits |= 1 << ops[i] as u16;
            i += 1;
        }
        OpSet(bits)
    }
    pub const fn contains(self, op: Op) -> bool {
        self.0 & (1 << op as u16) != 0
    }
    pub fn iter(self) -> impl Iterator<Item = Op> {
        Op::ALL.into_iter().filter(move |op| self.contains(*op))
    }
    /// `-eq, -ne`, for messages.
    pub fn describe(self) -> String {
        self.iter()
            .map(Op::canonical)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

const EQ: OpSet = OpSet::of(&[Op::Eq, Op::Ne]);
const EQ_SET: OpSet = OpSet::of(&[Op::Eq, Op::Ne, Op::In, Op::NotIn]);
const STR: OpSet = OpSet::of(&Op::ALL);
const COLL: OpSet = OpSet::of(&[Op::Contains, Op::NotContains]);

/// One row of the property table.
#[derive(Debug)]
pub struct PropertySpec {
    /// Canonical camelCase spelling.
    pub name: &'static str,
    /// "System defined or admin configured": the end user cannot change it.
    pub system: bool,
    pub ops: OpSet,
    pub kind: ValueKind,
    /// Only populated for Intune-managed, compliant or hybrid-joined devices.
    pub extension_attribute: bool,
    /// One line for tooltips and messages.
    pub about: &'static str,
}

const fn p(
    name: &'static str,
    system: bool,
    ops: OpSet,
    kind: ValueKind,
    about: &'static str,
) -> PropertySpec {
    PropertySpec {
        name,
        system,
        ops,
        kind,
        extension_attribute: false,
        about,
    }
}

const fn ext(name: &'static str) -> PropertySpec {
    PropertySpec {
        name,
        system: true,
        ops: STR,
        kind: ValueKind::Text,
        extension_attribute: true,
        about: "admin-set string (Graph extensionAttributes); only available for Intune-managed, compliant or hybrid-joined devices",
    }
}

pub const TRUST_TYPES: &[&str] = &["AzureAD", "ServerAD", "Workplace"];
pub const OWNERSHIPS: &[&str] = &["Personal", "Company"];
pub const PROFILE_TYPES: &[&str] = &["RegisteredDevice", "SecureVM", "Printer", "Shared", "IoT"];

/// All 29 property tokens a CA device filter accepts.
pub static PROPERTIES: [PropertySpec; 29] = [
    p(
        "deviceId",
        true,
        EQ_SET,
        ValueKind::Guid,
        "the Entra device ID",
    ),
    p(
        "displayName",
        false,
        STR,
        ValueKind::Text,
        "device name; the user can change it",
    ),
    p(
        "deviceOwnership",
        true,
        EQ,
        ValueKind::Enum(OWNERSHIPS),
        "Personal (BYOD) or Company",
    ),
    p(
        "enrollmentProfileName",
        true,
        STR,
        ValueKind::Text,
        "Intune / Autopilot / ADE enrollment profile name",
    ),
    p(
        "isCompliant",
        true,
        EQ,
        ValueKind::Bool,
        "Intune compliance state, True or False",
    ),
    p(
        "manufacturer",
        false,
        STR,
        ValueKind::Text,
        "manufacturer reported by the device; the user can change it",
    ),
    p(
        "mdmAppId",
        true,
        EQ_SET,
        ValueKind::Guid,
        "application ID of the MDM that manages the device",
    ),
    p(
        "model",
        false,
        STR,
        ValueKind::Text,
        "model reported by the device; the user can change it",
    ),
    p(
        "operatingSystem",
        true,
        STR,
        ValueKind::Text,
        "e.g. Windows, iOS, Android",
    ),
    p(
        "operatingSystemVersion",
        true,
        STR,
        ValueKind::Text,
        "e.g. 10.0.19041",
    ),
    p(
        "physicalIds",
        true,
        COLL,
        ValueKind::Collection,
        "collection such as [ZTDId]:<value> (Autopilot)",
    ),
    p(
        "profileType",
        true,
        EQ,
        ValueKind::Enum(PROFILE_TYPES),
        "RegisteredDevice, SecureVM, Printer, Shared or IoT",
    ),
    p(
        "systemLabels",
        true,
        COLL,
        ValueKind::Collection,
        "system-applied labels such as M365Managed",
    ),
    p(
        "trustType",
        true,
        EQ,
        ValueKind::Enum(TRUST_TYPES),
        "AzureAD (joined), ServerAD (hybrid joined), Workplace (registered)",
    ),
    ext("extensionAttribute1"),
    ext("extensionAttribute2"),
    ext("extensionAttribute3"),
    ext("extensionAttribute4"),
    ext("extensionAttribute5"),
    ext("extensionAttribute6"),
    ext("extensionAttribute7"),
    ext("extensionAttribute8"),
    ext("extensionAttribute9"),
    ext("extensionAttribute10"),
    ext("extensionAttribute11"),
    ext("extensionAttribute12"),
    ext("extensionAttribute13"),
    ext("extensionAttribute14"),
    ext("extensionAttribute15"),
];

/// A CA device property: an index into `PROPERTIES`, so only catalogue
/// entries can exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Prop(u8);

impl Prop {
    /// Finds a property by name, ignoring case (the CA page itself writes
    /// `device.deviceid`).
    pub fn lookup(name: &str) -> Option<Prop> {
        // extensionAttributeN by its number rather than 15 string compares.
        const EXT: &str = "extensionAttribute";
        const FIRST_EXT: usize = 14;
        if name.len() > EXT.len()
            && name.as_bytes()[0] | 0x20 == b'e'
            && (name.starts_with(EXT)
                || name.as_bytes()[..EXT.len()].eq_ignore_ascii_case(EXT.as_bytes()))
        {
            return match name[EXT.len()..].parse::<usize>() {
                Ok(n @ 1..=15) if !name[EXT.len()..].starts_with(['0', '+']) => {
                    Some(Prop((FIRST_EXT + n - 1) as u8))
                }
                _ => None,
            };
        }
        // Exact spelling first: it is what nearly every rule uses.
        let named = &PROPERTIES[..FIRST_EXT];
        // Length and first byte rule out nearly every row before comparing.
        let first = name.as_bytes().first().copied();
        named
            .iter()
            .position(|s| {
                s.name.len() == name.len()
                    && s.name.as_bytes().first().copied() == first
                    && s.name == name
            })
            .or_else(|| named.iter().position(|s| s.name.eq_ignore_ascii_case(name)))
            .map(|i| Prop(i as u8))
    }
    pub fn all() -> impl Iterator<Item = Prop> {
        (0..PROPERTIES.len() as u8).map(Prop)
    }
    pub fn spec(self) -> &'static PropertySpec {
        &PROPERTIES[self.0 as usize]
    }
    pub fn name(self) -> &'static str {
        self.spec().name
    }
}

/// Where a name that is not a CA property comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    DynamicGroup,
    Intune,
}

impl Origin {
    pub fn describe(self) -> &'static str {
        match self {
            Origin::DynamicGroup => "a dynamic-group rule property",
            Origin::Intune => "an Intune assignment-filter property",
        }
    }
}

/// Device property names from neighbouring rule languages, with the CA
/// property that means the same thing where one exists.
pub static FOREIGN_PROPERTIES: &[(&str, Option<&str>, Origin)] = &[
    ("deviceTrustType", Some("trustType"), Origin::DynamicGroup),
    (
        "deviceOSType",
        Some("operatingSystem"),
        Origin::DynamicGroup,
    ),
    (
        "deviceOSVersion",
        Some("operatingSystemVersion"),
        Origin::DynamicGroup,
    ),
    (
        "deviceManufacturer",
        Some("manufacturer"),
        Origin::DynamicGroup,
    ),
    ("deviceModel", Some("model"), Origin::DynamicGroup),
    (
        "devicePhysicalIds",
        Some("physicalIds"),
        Origin::DynamicGroup,
    ),
    (
        "deviceManagementAppId",
        Some("mdmAppId"),
        Origin::DynamicGroup,
    ),
    ("accountEnabled", None, Origin::DynamicGroup),
    ("deviceCategory", None, Origin::DynamicGroup),
    ("isRooted", None, Origin::DynamicGroup),
    ("managementType", None, Origin::DynamicGroup),
    ("memberOf", None, Origin::DynamicGroup),
    ("objectId", None, Origin::DynamicGroup),
    ("organizationalUnit", None, Origin::DynamicGroup),
    ("deviceName", Some("displayName"), Origin::Intune),
    ("osVersion", Some("operatingSystemVersion"), Origin::Intune),
    ("cpuArchitecture", None, Origin::Intune),
    ("operatingSystemSKU", None, Origin::Intune),
];

/// Looks a non-CA property name up, ignoring case.
pub fn foreign_property(name: &str) -> Option<(&'static str, Option<Prop>, Origin)> {
    FOREIGN_PROPERTIES
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        .map(|&(n, to, origin)| (n, to.and_then(Prop::lookup), origin))
}

/// Enum values from other products (Intune's "Corporate", the portal's
/// "Hybrid joined"…) and the CA value they mean, per enum.
pub static VALUE_ALIASES: &[(&str, &str)] = &[
    ("Corporate", "Company"),
    ("CorporateOwned", "Company"),
    ("Organization", "Company"),
    ("BYOD", "Personal"),
    ("HybridJoined", "ServerAD"),
    ("Hybrid", "ServerAD"),
    ("HybridAzureADJoined", "ServerAD"),
    ("EntraHybridJoined", "ServerAD"),
    ("AzureADJoined", "AzureAD"),
    ("EntraJoined", "AzureAD"),
    ("EntraID", "AzureAD"),
    ("Joined", "AzureAD"),
    ("Registered", "Workplace"),
    ("AzureADRegistered", "Workplace"),
    ("EntraRegistered", "Workplace"),
    ("WorkplaceJoined", "Workplace"),
];

/// Operators from dynamic-group rules that CA does not have.
pub static DYNAMIC_GROUP_OPERATORS: &[&str] = &[
    "match", "notMatch", "any", "all", "le", "ge", "lt", "gt", "not",
];

/// Operator spellings from PowerShell and elsewhere, mapped to a CA operator.
pub static OPERATOR_ALIASES: &[(&str, Op)] = &[
    ("equals", Op::Eq),
    ("is", Op::Eq),
    ("notEquals", Op::Ne),
    ("neq", Op::Ne),
    ("isNot", Op::Ne),
    ("like", Op::Contains),
    ("notLike", Op::NotContains),
    ("startWith", Op::StartsWith),
    ("endWith", Op::EndsWith),
    ("notStartWith", Op::NotStartsWith),
    ("notEndWith", Op::NotEndsWith),
    ("contain", Op::Contains),
    ("notContain", Op::NotContains),
    ("nin", Op::NotIn),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_property_is_found_by_its_name_in_any_case() {
        for spec in &PROPERTIES {
            assert_eq!(Prop::lookup(spec.name).map(Prop::name), Some(spec.name));
            assert_eq!(
                Prop::lookup(&spec.name.to_lowercase()).map(Prop::name),
                Some(spec.name)
            );
            assert_eq!(
                Prop::lookup(&spec.name.to_uppercase()).map(Prop::name),
                Some(spec.name)
            );
        }
        for missing in [
            "extensionAttribute0",
            "extensionAttribute16",
            "extensionAttribute01",
            "extensionAttribute+1",
            "extensionAttribute",
            "trust",
        ] {
            assert_eq!(Prop::lookup(missing), None, "{missing}");
        }
    }

    #[test]
    fn foreign_names_map_to_ca_properties() {
        for (name, to, _) in FOREIGN_PROPERTIES {
            let found = foreign_property(name).unwrap();
            assert_eq!(found.1.map(Prop::name), *to, "{name}");
            assert!(
                Prop::lookup(name).is_none(),
                "{name} must not be a CA property"
            );
        }
    }
}
