//! `whatIfAnalysisReasons`: why a policy does not apply. The CSDL declares the enum
//! `IsFlags="true"`, so a value may name several members, comma-separated
//! (`"users,application"`); `notSet` (0) when the policy applies.
//! Reference: <https://learn.microsoft.com/graph/api/resources/whatifanalysisresult?view=graph-rest-1.0>.

use std::fmt;

use serde::{Serialize, Serializer};

/// A set of `whatIfAnalysisReasons` members.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AnalysisReasons(pub u32);

/// Every member with its value, in the CSDL's order.
const MEMBERS: [(&str, u32); 21] = [
    ("notSet", 0),
    ("notEnoughInformation", 1),
    ("invalidCondition", 2),
    ("users", 4),
    ("workloadIdentities", 8),
    ("application", 16),
    ("userActions", 32),
    ("authenticationContext", 64),
    ("devicePlatform", 128),
    ("devices", 256),
    ("clientApps", 512),
    ("location", 1024),
    ("signInRisk", 2048),
    ("emptyPolicy", 4096),
    ("invalidPolicy", 8192),
    ("policyNotEnabled", 16384),
    ("userRisk", 32768),
    ("time", 65536),
    ("insiderRisk", 131072),
    ("authenticationFlow", 262144),
    ("unknownFutureValue", 524288),
];

impl AnalysisReasons {
    pub const NOT_SET: AnalysisReasons = AnalysisReasons(0);
    pub const INVALID_CONDITION: AnalysisReasons = AnalysisReasons(2);
    pub const USERS: AnalysisReasons = AnalysisReasons(4);
    pub const WORKLOAD_IDENTITIES: AnalysisReasons = AnalysisReasons(8);
    pub const APPLICATION: AnalysisReasons = AnalysisReasons(16);
    pub const USER_ACTIONS: AnalysisReasons = AnalysisReasons(32);
    pub const AUTHENTICATION_CONTEXT: AnalysisReasons = AnalysisReasons(64);
    pub const DEVICE_PLATFORM: AnalysisReasons = AnalysisReasons(128);
    pub const DEVICES: AnalysisReasons = AnalysisReasons(256);
    pub const CLIENT_APPS: AnalysisReasons = AnalysisReasons(512);
    pub const LOCATION: AnalysisReasons = AnalysisReasons(1024);
    pub const SIGN_IN_RISK: AnalysisReasons = AnalysisReasons(2048);
    pub const INVALID_POLICY: AnalysisReasons = AnalysisReasons(8192);
    pub const POLICY_NOT_ENABLED: AnalysisReasons = AnalysisReasons(16384);
    pub const USER_RISK: AnalysisReasons = AnalysisReasons(32768);
    pub const INSIDER_RISK: AnalysisReasons = AnalysisReasons(131072);
    pub const AUTHENTICATION_FLOW: AnalysisReasons = AnalysisReasons(262144);

    pub fn is_not_set(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, other: AnalysisReasons) -> bool {
        other.0 != 0 && self.0 & other.0 == other.0
    }

    pub fn insert(&mut self, other: AnalysisReasons) {
        self.0 |= other.0;
    }

    /// Parses Graph's value: member names, comma-separated (spaces around them allowed). Names
    /// this model does not know (newer, or beta's agent members) are returned apart, to be
    /// shown as "other".
    pub fn parse(s: &str) -> (AnalysisReasons, Vec<String>) {
        let mut bits = 0;
        let mut unknown = Vec::new();
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match MEMBERS.iter().find(|(m, _)| *m == name) {
                Some((_, v)) => bits |= v,
                None => unknown.push(name.to_string()),
            }
        }
        (AnalysisReasons(bits), unknown)
    }

    /// The member names, in value order.
    pub fn names(self) -> Vec<&'static str> {
        if self.0 == 0 {
            return vec!["notSet"];
        }
        MEMBERS
            .iter()
            .filter(|(_, v)| *v != 0 && self.0 & v == *v)
            .map(|(m, _)| *m)
            .collect()
    }
}

impl fmt::Display for AnalysisReasons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(","))
    }
}

impl Serialize for AnalysisReasons {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_and_print_in_value_order() {
        let (r, unknown) = AnalysisReasons::parse("application, users");
        assert_eq!(r, AnalysisReasons(4 | 16));
        assert!(unknown.is_empty());
        assert_eq!(r.to_string(), "users,application");
        assert_eq!(AnalysisReasons::parse("notSet").0, AnalysisReasons::NOT_SET);
        assert_eq!(AnalysisReasons::NOT_SET.to_string(), "notSet");
        let (r, unknown) = AnalysisReasons::parse("agentIdRisk,location");
        assert_eq!(r, AnalysisReasons::LOCATION);
        assert_eq!(unknown, ["agentIdRisk"]);
        // Every member's name comes back from its value.
        for (name, v) in MEMBERS {
            assert_eq!(AnalysisReasons(v).to_string(), name);
        }
    }
}
