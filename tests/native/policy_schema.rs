//! Every template body uses only v1.0 properties, types and enum members; and the checker
//! itself catches what it is there to catch.

use crate::support::schema;

use ca_builder::policy::{RolloutState, Template, TemplateParams};
use schema::{assert_valid, Schema};
use serde_json::{json, Value};

const BREAK_GLASS: &str = "8a1c3b5e-2f4d-4e6a-9b7c-0d1e2f3a4b5c";
const BREAK_GLASS_GROUP: &str = "0f9e8d7c-6b5a-4948-8372-615f4e3d2c1b";
const PILOT: &str = "5d2e9c41-7a3b-4c8d-9e0f-1a2b3c4d5e6f";

fn params(state: RolloutState) -> TemplateParams {
    TemplateParams {
        display_name: None,
        exclude_users: vec![BREAK_GLASS.into()],
        exclude_groups: vec![BREAK_GLASS_GROUP.into()],
        pilot_group: Some(PILOT.into()),
        state,
        exclude_trusted_locations: false,
    }
}

#[test]
fn every_template_body_matches_the_v1_schema() {
    let schema = Schema::load();
    for t in Template::ALL {
        for state in [
            RolloutState::ReportOnly,
            RolloutState::Enabled,
            RolloutState::Disabled,
        ] {
            for trusted in [false, true] {
                let mut p = params(state);
                p.exclude_trusted_locations = trusted;
                let body = t.build(&p).unwrap().to_post_body();
                assert_valid(
                    &schema,
                    &body,
                    &format!("template {} ({state:?}, trusted={trusted})", t.name()),
                );
            }
        }
        // Without break-glass ids, too (the lists become [] — still arrays).
        let p = TemplateParams {
            pilot_group: Some(PILOT.into()),
            ..Default::default()
        };
        assert_valid(&schema, &t.build(&p).unwrap().to_post_body(), t.name());
    }
}

#[test]
fn the_reference_skeleton_passes() {
    // graph-ca-policy.md §16, "every writable property".
    let skeleton = json!({
      "displayName": "string", "description": "string", "state": "enabledForReportingButNotEnforced",
      "conditions": {
        "clientAppTypes": ["all"],
        "applications": { "includeApplications": ["All"], "excludeApplications": [], "includeUserActions": [],
          "includeAuthenticationContextClassReferences": [], "applicationFilter": null },
        "users": { "includeUsers": ["All"], "excludeUsers": ["x"], "includeGroups": [], "excludeGroups": [],
          "includeRoles": [], "excludeRoles": [], "includeGuestsOrExternalUsers": null,
          "excludeGuestsOrExternalUsers": { "guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest",
            "externalTenants": { "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", "membershipKind": "all" } } },
        "clientApplications": null,
        "platforms": { "includePlatforms": ["all"], "excludePlatforms": [] },
        "locations": { "includeLocations": ["All"], "excludeLocations": ["AllTrusted"] },
        "devices": { "deviceFilter": { "mode": "exclude", "rule": "device.trustType -eq \"ServerAD\"" } },
        "signInRiskLevels": [], "userRiskLevels": [], "servicePrincipalRiskLevels": [],
        "insiderRiskLevels": null, "authenticationFlows": null },
      "grantControls": { "operator": "OR", "builtInControls": ["mfa"], "customAuthenticationFactors": [], "termsOfUse": [],
        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } },
      "sessionControls": { "signInFrequency": { "isEnabled": true, "value": 4, "type": "hours",
        "authenticationType": "primaryAndSecondaryAuthentication", "frequencyInterval": "timeBased" } }
    });
    assert_valid(&Schema::load(), &skeleton, "the reference skeleton");
}

fn template_body() -> Value {
    Template::MfaCompensating
        .build(&params(RolloutState::ReportOnly))
        .unwrap()
        .to_post_body()
}

fn messages(schema: &Schema, body: &Value) -> Vec<String> {
    schema
        .check_policy(body)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn checker_catches_a_property_v1_does_not_have() {
    let schema = Schema::load();
    let mut body = template_body();
    // Seed erratum (a): `Devices.State` does not exist.
    body["conditions"]["devices"]["state"] = json!("requireCompliantDevice");
    // A beta-only property.
    body["conditions"]["deviceStates"] = json!({ "includeStates": ["All"] });
    let m = messages(&schema, &body);
    assert_eq!(m.len(), 2, "{m:#?}");
    assert!(
        m[0].starts_with("conditions.devices.state: ") && m[0].contains("no property"),
        "{m:#?}"
    );
    assert!(m[1].starts_with("conditions.deviceStates: "), "{m:#?}");
}

/// An edit that breaks a valid body in one place.
type Edit = Box<dyn Fn(&mut Value)>;

#[test]
fn checker_catches_bad_enum_members_and_shapes() {
    let schema = Schema::load();
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "wrong case",
            Box::new(|b| b["conditions"]["clientAppTypes"] = json!(["All"])),
            "conditions.clientAppTypes[0]",
        ),
        (
            "not a grant",
            Box::new(|b| {
                b["grantControls"]["builtInControls"] = json!(["mfa", "requireCompliantDevice"])
            }),
            "grantControls.builtInControls[1]",
        ),
        (
            "sentinel",
            Box::new(|b| b["state"] = json!("unknownFutureValue")),
            "state",
        ),
        (
            "scalar for a list (errata b.5)",
            Box::new(|b| b["conditions"]["applications"]["includeApplications"] = json!("All")),
            "conditions.applications.includeApplications",
        ),
        (
            "flags as array",
            Box::new(|b| b["conditions"]["insiderRiskLevels"] = json!(["minor"])),
            "conditions.insiderRiskLevels",
        ),
        (
            "bad flags member",
            Box::new(|b| b["conditions"]["insiderRiskLevels"] = json!("minor,huge")),
            "conditions.insiderRiskLevels",
        ),
        (
            "null collection",
            Box::new(|b| b["conditions"]["users"]["excludeUsers"] = json!(null)),
            "conditions.users.excludeUsers",
        ),
        (
            "bool as string",
            Box::new(|b| {
                b["sessionControls"] =
                    json!({"persistentBrowser": {"isEnabled": "true", "mode": "never"}})
            }),
            "sessionControls.persistentBrowser.isEnabled",
        ),
        (
            "abstract without @odata.type",
            Box::new(
                |b| b["conditions"]["users"]["includeGuestsOrExternalUsers"] = json!({"guestOrExternalUserTypes": "internalGuest", "externalTenants": {"membershipKind": "all"}}),
            ),
            "conditions.users.includeGuestsOrExternalUsers.externalTenants",
        ),
        (
            "@odata.type of another type",
            Box::new(
                |b| b["conditions"]["users"]["includeGuestsOrExternalUsers"] = json!({"guestOrExternalUserTypes": "internalGuest", "externalTenants": {"@odata.type": "#microsoft.graph.ipRange"}}),
            ),
            "conditions.users.includeGuestsOrExternalUsers.externalTenants.@odata.type",
        ),
        (
            "member of the wrong derived type",
            Box::new(
                |b| b["conditions"]["users"]["includeGuestsOrExternalUsers"] = json!({"guestOrExternalUserTypes": "internalGuest", "externalTenants": {"@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", "membershipKind": "all", "members": ["t"]}}),
            ),
            "conditions.users.includeGuestsOrExternalUsers.externalTenants.members",
        ),
        (
            "annotation",
            Box::new(|b| {
                b["@odata.context"] = json!("https://graph.microsoft.com/v1.0/$metadata#x")
            }),
            "@odata.context",
        ),
    ];
    for (what, edit, path) in cases {
        let mut body = template_body();
        edit(&mut body);
        let v = schema.check_policy(&body);
        assert_eq!(
            v.len(),
            1,
            "{what}: expected exactly one violation, got {v:#?}"
        );
        assert!(
            v[0].path.starts_with(path),
            "{what}: violation at {} expected at {path}",
            v[0].path
        );
    }
    // Derived type with its own member is fine.
    let mut body = template_body();
    body["conditions"]["users"]["includeGuestsOrExternalUsers"] = json!({"guestOrExternalUserTypes": "internalGuest,serviceProvider",
        "externalTenants": {"@odata.type": "#microsoft.graph.conditionalAccessEnumeratedExternalTenants", "membershipKind": "enumerated", "members": ["t"]}});
    assert_valid(&schema, &body, "enumerated external tenants");
}

#[test]
fn only_externaltenants_has_an_abstract_declared_type_under_a_policy() {
    // to_post_body keeps `@odata.type` only under `externalTenants` (src/policy/patch.rs); that is
    // right only while no other property reachable from a policy is declared with an abstract type.
    let schema = Schema::load();
    let mut seen = vec!["conditionalAccessPolicy".to_string()];
    let mut abstract_props = Vec::new();
    let mut i = 0;
    while i < seen.len() {
        for (name, ty) in schema.properties_of(&seen[i].clone()) {
            // Written as `{ "id": … }` only (to_post_body reduces it), so its own
            // navigation properties never appear in a body.
            if name == "authenticationStrength" || !schema.type_names().any(|t| *t == ty) {
                continue;
            }
            if schema.is_abstract(&ty) {
                abstract_props.push(name.clone());
            }
            if !seen.contains(&ty) {
                seen.push(ty);
            }
        }
        i += 1;
    }
    assert_eq!(abstract_props, vec!["externalTenants".to_string()]);
}
