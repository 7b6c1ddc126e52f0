//! A large, realistic policy set for the lint benchmark and tests: the five templates with
//! varied names, states, exclusion and pilot groups and device filters, plus the set-level
//! cases a tenant really has (renamed copies, exact duplicates, a block next to a grant).

use ca_builder::policy::model::*;
use ca_builder::policy::{Policy, RolloutState, Template, TemplateParams};

/// A small deterministic generator (xorshift), so every run builds the same set.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A GUID-shaped object id derived from `n`.
pub fn guid(n: u64) -> String {
    let h = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5bd1_e995;
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (h >> 32) as u32,
        (h >> 16) as u16,
        (h >> 4) as u16 & 0xfff,
        h as u16 & 0xfff,
        n & 0xffff_ffff_ffff
    )
}

const DEPARTMENTS: &[&str] = &[
    "Finance",
    "HR",
    "Sales",
    "Engineering",
    "Legal",
    "Support",
    "Ops",
    "Marketing",
];

const RULES: &[&str] = &[
    r#"device.trustType -eq "ServerAD" -or device.trustType -eq "AzureAD""#,
    r#"device.isCompliant -eq True -or device.trustType -eq "ServerAD""#,
    r#"device.extensionAttribute1 -eq "kiosk""#,
    r#"device.model -startsWith "Surface" -and device.operatingSystem -eq "Windows""#,
    r#"device.displayName -contains "LAB" -or device.deviceOwnership -eq "Company""#,
];

/// `n` policies. About 1 in 40 repeats an earlier policy's name with other case and spaces,
/// 1 in 50 is an exact copy of an earlier one, 1 in 60 blocks what an earlier one grants.
pub fn policy_set(n: usize, seed: u64) -> Vec<Policy> {
    let mut rng = Rng(seed);
    let mut out: Vec<Policy> = Vec::with_capacity(n);
    for i in 0..n {
        let roll = rng.below(600);
        if i > 0 && roll < 12 {
            // An exact copy (a policy imported twice).
            let j = rng.below(i);
            let copy = out[j].clone();
            out.push(copy);
            continue;
        }
        let template = Template::ALL[rng.below(Template::ALL.len())];
        let dept = DEPARTMENTS[rng.below(DEPARTMENTS.len())];
        let state = match rng.below(3) {
            0 => RolloutState::Enabled,
            1 => RolloutState::Disabled,
            _ => RolloutState::ReportOnly,
        };
        let params = TemplateParams {
            display_name: Some(format!(
                "CA{i:04} - {dept} - {}",
                template.default_display_name()
            )),
            exclude_users: vec![guid(1)],
            exclude_groups: vec![guid(1000 + rng.below(n / 4 + 1) as u64)],
            pilot_group: Some(guid(500_000 + i as u64)),
            state,
            exclude_trusted_locations: rng.below(2) == 0,
        };
        let mut p = template.build(&params).expect("template builds");
        if let Some(c) = p.conditions.value_mut() {
            if let Some(Field::Value(d)) = c.devices.value_mut().map(|d| &mut d.device_filter) {
                let rule = RULES[rng.below(RULES.len())];
                d.rule = Field::Value(format!(
                    r#"{rule} -or device.extensionAttribute2 -eq "{dept}-{i}""#
                ));
            }
        }
        if i > 0 && roll < 27 {
            // The name of an earlier policy, cased and spaced differently.
            let j = rng.below(i);
            if let Some(name) = out[j].display_name.value() {
                p.display_name = Field::Value(format!(" {} ", name.to_uppercase()));
            }
        } else if i > 0 && roll < 37 {
            // A block with the conditions of an earlier policy.
            let j = rng.below(i);
            p = out[j].clone();
            p.display_name = Field::Value(format!("CA{i:04} - Block - {dept}"));
            p.state = Field::Value(PolicyState::Enabled);
            p.grant_controls = Field::Value(GrantControls {
                operator: Field::Value(GrantOperator::Or),
                built_in_controls: Field::Value(vec![GrantControl::Block]),
                ..Default::default()
            });
        }
        out.push(p);
    }
    out
}
