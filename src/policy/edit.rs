//! Typed access to the parts of a policy the builder's forms edit. Each
//! accessor reads the current value and writes a new one without touching
//! anything else, so a policy imported with fields the forms don't know keeps
//! them. Writing an empty list into a property that was absent leaves it
//! absent: opening a form must not change the JSON.

use super::model::*;

/// A list of ids or tokens (`All`, `AllTrusted`, `urn:user:registersecurityinfo`, GUIDs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdList {
    IncludeUsers,
    ExcludeUsers,
    IncludeGroups,
    ExcludeGroups,
    IncludeRoles,
    ExcludeRoles,
    IncludeApplications,
    ExcludeApplications,
    IncludeUserActions,
    IncludeLocations,
    ExcludeLocations,
}

impl IdList {
    pub const ALL: [IdList; 11] = [
        IdList::IncludeUsers,
        IdList::ExcludeUsers,
        IdList::IncludeGroups,
        IdList::ExcludeGroups,
        IdList::IncludeRoles,
        IdList::ExcludeRoles,
        IdList::IncludeApplications,
        IdList::ExcludeApplications,
        IdList::IncludeUserActions,
        IdList::IncludeLocations,
        IdList::ExcludeLocations,
    ];

    /// The property's JSON path, for messages and element ids.
    pub fn path(self) -> &'static str {
        match self {
            IdList::IncludeUsers => "conditions.users.includeUsers",
            IdList::ExcludeUsers => "conditions.users.excludeUsers",
            IdList::IncludeGroups => "conditions.users.includeGroups",
            IdList::ExcludeGroups => "conditions.users.excludeGroups",
            IdList::IncludeRoles => "conditions.users.includeRoles",
            IdList::ExcludeRoles => "conditions.users.excludeRoles",
            IdList::IncludeApplications => "conditions.applications.includeApplications",
            IdList::ExcludeApplications => "conditions.applications.excludeApplications",
            IdList::IncludeUserActions => "conditions.applications.includeUserActions",
            IdList::IncludeLocations => "conditions.locations.includeLocations",
            IdList::ExcludeLocations => "conditions.locations.excludeLocations",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdList::IncludeUsers => {
                "Include users (object ids, or All / None / GuestsOrExternalUsers)"
            }
            IdList::ExcludeUsers => "Exclude users (object ids)",
            IdList::IncludeGroups => "Include groups (object ids)",
            IdList::ExcludeGroups => "Exclude groups (object ids)",
            IdList::IncludeRoles => "Include directory roles (role template ids)",
            IdList::ExcludeRoles => "Exclude directory roles (role template ids)",
            IdList::IncludeApplications => {
                "Include resources (app ids, or All / Office365 / MicrosoftAdminPortals)"
            }
            IdList::ExcludeApplications => "Exclude resources (app ids)",
            IdList::IncludeUserActions => {
                "User actions (urn:user:registersecurityinfo, urn:user:registerdevice)"
            }
            IdList::IncludeLocations => {
                "Include locations (named-location ids, or All / AllTrusted)"
            }
            IdList::ExcludeLocations => "Exclude locations (named-location ids, or AllTrusted)",
        }
    }

    pub fn get(self, p: &Policy) -> Vec<String> {
        let c = p.conditions.value();
        let users = c.and_then(|c| c.users.value());
        let apps = c.and_then(|c| c.applications.value());
        let locs = c.and_then(|c| c.locations.value());
        let field = match self {
            IdList::IncludeUsers => users.map(|u| &u.include_users),
            IdList::ExcludeUsers => users.map(|u| &u.exclude_users),
            IdList::IncludeGroups => users.map(|u| &u.include_groups),
            IdList::ExcludeGroups => users.map(|u| &u.exclude_groups),
            IdList::IncludeRoles => users.map(|u| &u.include_roles),
            IdList::ExcludeRoles => users.map(|u| &u.exclude_roles),
            IdList::IncludeApplications => apps.map(|a| &a.include_applications),
            IdList::ExcludeApplications => apps.map(|a| &a.exclude_applications),
            IdList::IncludeUserActions => apps.map(|a| &a.include_user_actions),
            IdList::IncludeLocations => locs.map(|l| &l.include_locations),
            IdList::ExcludeLocations => locs.map(|l| &l.exclude_locations),
        };
        field.and_then(|f| f.value().cloned()).unwrap_or_default()
    }

    pub fn set(self, p: &mut Policy, values: Vec<String>) {
        if values.is_empty() && self.get(p).is_empty() {
            return; // nothing to say; keep absent/null/[] exactly as it was
        }
        let c = p.conditions.get_or_default();
        let field = match self {
            IdList::IncludeUsers => &mut c.users.get_or_default().include_users,
            IdList::ExcludeUsers => &mut c.users.get_or_default().exclude_users,
            IdList::IncludeGroups => &mut c.users.get_or_default().include_groups,
            IdList::ExcludeGroups => &mut c.users.get_or_default().exclude_groups,
            IdList::IncludeRoles => &mut c.users.get_or_default().include_roles,
            IdList::ExcludeRoles => &mut c.users.get_or_default().exclude_roles,
            IdList::IncludeApplications => {
                &mut c.applications.get_or_default().include_applications
            }
            IdList::ExcludeApplications => {
                &mut c.applications.get_or_default().exclude_applications
            }
            IdList::IncludeUserActions => &mut c.applications.get_or_default().include_user_actions,
            IdList::IncludeLocations => &mut c.locations.get_or_default().include_locations,
            IdList::ExcludeLocations => &mut c.locations.get_or_default().exclude_locations,
        };
        *field = Field::Value(values);
    }
}

/// Adds `ids` to a list that don't already appear in it (ids compare case-insensitively, as
/// Graph's GUIDs do), keeping the existing order first.
pub fn union_ids(list: &[String], ids: &[String]) -> Vec<String> {
    let mut out = list.to_vec();
    for id in ids {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(id)) {
            out.push(id.clone());
        }
    }
    out
}

/// Enum-valued lists the forms edit with checkboxes.
pub fn client_app_types(p: &Policy) -> Vec<ClientAppType> {
    p.conditions
        .value()
        .and_then(|c| c.client_app_types.value().cloned())
        .unwrap_or_default()
}

pub fn set_client_app_types(p: &mut Policy, v: Vec<ClientAppType>) {
    if v.is_empty() && client_app_types(p).is_empty() {
        return;
    }
    p.conditions.get_or_default().client_app_types = Field::Value(v);
}

/// `include` true: `includePlatforms`, else `excludePlatforms`.
pub fn platforms(p: &Policy, include: bool) -> Vec<DevicePlatform> {
    let pl = p.conditions.value().and_then(|c| c.platforms.value());
    let f = pl.map(|pl| {
        if include {
            &pl.include_platforms
        } else {
            &pl.exclude_platforms
        }
    });
    f.and_then(|f| f.value().cloned()).unwrap_or_default()
}

pub fn set_platforms(p: &mut Policy, include: bool, v: Vec<DevicePlatform>) {
    if v.is_empty() && platforms(p, include).is_empty() {
        return;
    }
    let pl = p.conditions.get_or_default().platforms.get_or_default();
    let f = if include {
        &mut pl.include_platforms
    } else {
        &mut pl.exclude_platforms
    };
    *f = Field::Value(v);
}

pub fn grant_controls(p: &Policy) -> Vec<GrantControl> {
    p.grant_controls
        .value()
        .and_then(|g| g.built_in_controls.value().cloned())
        .unwrap_or_default()
}

pub fn set_grant_controls(p: &mut Policy, v: Vec<GrantControl>) {
    if v.is_empty() && grant_controls(p).is_empty() {
        return;
    }
    p.grant_controls.get_or_default().built_in_controls = Field::Value(v);
}

/// The authentication strength the policy requires (`grantControls.authenticationStrength.id`),
/// empty when none.
pub fn authentication_strength(p: &Policy) -> String {
    p.grant_controls
        .value()
        .and_then(|g| g.authentication_strength.value())
        .and_then(|s| s.id.value().cloned())
        .unwrap_or_default()
}

/// Requires the strength `id`, written as `{ "id": … }` (`docs/graph.md#grant-controls`); an
/// empty id removes it (an update then sends `null`: the PATCH is a diff against the live
/// policy). The built-in controls are left as they are: the form check says what cannot go
/// with a strength rather than changing it.
pub fn set_authentication_strength(p: &mut Policy, id: &str) {
    let id = id.trim();
    if id.is_empty() {
        if let Some(g) = p.grant_controls.value_mut() {
            g.authentication_strength = Field::Absent;
        }
        return;
    }
    p.grant_controls.get_or_default().authentication_strength =
        Field::Value(AuthenticationStrength {
            id: Field::Value(id.to_string()),
            ..Default::default()
        });
}

pub fn grant_operator(p: &Policy) -> Option<GrantOperator> {
    p.grant_controls
        .value()
        .and_then(|g| g.operator.value().cloned())
}

pub fn set_grant_operator(p: &mut Policy, op: GrantOperator) {
    p.grant_controls.get_or_default().operator = Field::Value(op);
}

pub fn display_name(p: &Policy) -> String {
    p.display_name.value().cloned().unwrap_or_default()
}

pub fn set_display_name(p: &mut Policy, name: String) {
    p.display_name = Field::Value(name);
}

pub fn state(p: &Policy) -> Option<PolicyState> {
    p.state.value().cloned()
}

pub fn set_state(p: &mut Policy, s: PolicyState) {
    p.state = Field::Value(s);
}

/// The device filter's mode and rule (`None` when the policy has no device filter).
pub fn device_filter(p: &Policy) -> Option<(FilterMode, String)> {
    let f = p
        .conditions
        .value()?
        .devices
        .value()?
        .device_filter
        .value()?;
    Some((
        f.mode.value().cloned().unwrap_or(FilterMode::Exclude),
        f.rule.value().cloned().unwrap_or_default(),
    ))
}

/// Sets the device filter; `None` removes it (an empty rule is not a filter Graph accepts).
pub fn set_device_filter(p: &mut Policy, filter: Option<(FilterMode, String)>) {
    match filter {
        Some((mode, rule)) => {
            let f = p
                .conditions
                .get_or_default()
                .devices
                .get_or_default()
                .device_filter
                .get_or_default();
            f.mode = Field::Value(mode);
            f.rule = Field::Value(rule);
        }
        None => {
            if let Some(d) = p.conditions.value_mut().and_then(|c| c.devices.value_mut()) {
                d.device_filter = Field::Absent;
                if d.extra.is_empty() {
                    p.conditions.value_mut().expect("checked above").devices = Field::Absent;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::import_bytes;

    fn policy(json: &str) -> Policy {
        import_bytes(json.as_bytes()).unwrap().remove(0)
    }

    #[test]
    fn setting_an_empty_list_on_an_absent_property_changes_nothing() {
        let mut p = policy(
            r#"{"displayName":"x","conditions":{"users":{"includeUsers":["All"]}},"futureField":{"a":1}}"#,
        );
        let before = p.to_value();
        for l in IdList::ALL {
            let v = l.get(&p);
            l.set(&mut p, v);
        }
        let (apps, plats, grants) = (
            client_app_types(&p),
            platforms(&p, true),
            grant_controls(&p),
        );
        set_client_app_types(&mut p, apps);
        set_platforms(&mut p, true, plats);
        set_grant_controls(&mut p, grants);
        assert_eq!(p.to_value(), before);
    }

    #[test]
    fn lists_are_written_where_graph_expects_them() {
        let mut p = Policy::default();
        IdList::IncludeGroups.set(&mut p, vec!["g".into()]);
        IdList::IncludeUserActions.set(&mut p, vec!["urn:user:registersecurityinfo".into()]);
        let v = p.to_value();
        assert_eq!(
            v["conditions"]["users"]["includeGroups"],
            serde_json::json!(["g"])
        );
        assert_eq!(
            v["conditions"]["applications"]["includeUserActions"],
            serde_json::json!(["urn:user:registersecurityinfo"])
        );
        assert_eq!(IdList::IncludeGroups.get(&p), vec!["g".to_string()]);
    }

    #[test]
    fn union_keeps_order_and_ignores_case() {
        let a = vec!["A".to_string(), "b".to_string()];
        assert_eq!(
            union_ids(&a, &["a".into(), "c".into()]),
            vec!["A", "b", "c"]
        );
    }

    #[test]
    fn removing_the_device_filter_keeps_other_device_properties() {
        let mut p = policy(
            r#"{"conditions":{"devices":{"deviceFilter":{"mode":"exclude","rule":"x"},"includeDeviceStates":["All"]}}}"#,
        );
        set_device_filter(&mut p, None);
        assert_eq!(
            p.to_value()["conditions"]["devices"],
            serde_json::json!({"includeDeviceStates":["All"]})
        );
        let mut q =
            policy(r#"{"conditions":{"devices":{"deviceFilter":{"mode":"exclude","rule":"x"}}}}"#);
        set_device_filter(&mut q, None);
        assert!(q.to_value()["conditions"].get("devices").is_none());
    }
}
