//! The evaluator against the documented semantics (reference §5).

use ca_builder::filter::{applies_to_device, check, evaluate, Device, Mode, Value};

fn s(v: &str) -> Value {
    Value::Str(v.to_string())
}

fn list(v: &[&str]) -> Value {
    Value::List(v.iter().map(|x| x.to_string()).collect())
}

fn eval(rule: &str, d: &Device) -> bool {
    evaluate(rule, d).unwrap_or_else(|e| panic!("`{rule}` invalid: {e:?}"))
}

#[test]
fn unregistered_devices_match_negative_operators_only() {
    let none = Device::unregistered();
    let positive = [
        r#"device.trustType -eq "ServerAD""#,
        r#"device.displayName -startsWith "PAW""#,
        r#"device.displayName -endsWith "PAW""#,
        r#"device.displayName -contains "PAW""#,
        r#"device.operatingSystem -in ["Windows"]"#,
        r#"device.physicalIds -contains "[ZTDId]:x""#,
        "device.isCompliant -eq True",
        "device.isCompliant -eq False",
    ];
    let negative = [
        r#"device.trustType -ne "ServerAD""#,
        r#"device.displayName -notStartsWith "PAW""#,
        r#"device.displayName -notEndsWith "PAW""#,
        r#"device.displayName -notContains "PAW""#,
        r#"device.operatingSystem -notIn ["Windows"]"#,
        r#"device.systemLabels -notContains "M365Managed""#,
        "device.isCompliant -ne True",
        "device.isCompliant -ne False",
    ];
    for r in positive {
        assert!(
            !eval(r, &none),
            "positive `{r}` must not match an unregistered device"
        );
    }
    for r in negative {
        assert!(
            eval(r, &none),
            "negative `{r}` must match an unregistered device"
        );
    }
}

#[test]
fn modes_turn_a_match_into_policy_scope() {
    let none = Device::unregistered();
    // exclude + positive: unregistered devices are not excluded → policy applies.
    let m = eval(r#"device.trustType -eq "ServerAD""#, &none);
    assert!(applies_to_device(Mode::Exclude, m));
    // include + positive: not included → policy does not apply.
    assert!(!applies_to_device(Mode::Include, m));
    // include + negative: unregistered devices are caught.
    let m = eval(
        r#"device.isCompliant -ne True -and device.trustType -ne "ServerAD""#,
        &none,
    );
    assert!(applies_to_device(Mode::Include, m));
    // exclude + negative: unregistered devices are excluded.
    assert!(!applies_to_device(Mode::Exclude, m));
}

#[test]
fn registered_devices_match_on_their_properties() {
    let hybrid = Device::default()
        .with("trustType", s("ServerAD"))
        .with("isCompliant", Value::Bool(false));
    let joined = Device::default()
        .with("trustType", s("AzureAD"))
        .with("isCompliant", Value::Bool(true));
    let rule = r#"(device.trustType -eq "AzureAD" -or device.trustType -eq "ServerAD") -and device.isCompliant -eq True"#;
    assert!(!eval(rule, &hybrid));
    assert!(eval(rule, &joined));
    let unmanaged = r#"device.isCompliant -ne True -and device.trustType -ne "ServerAD""#;
    assert!(!eval(unmanaged, &hybrid));
    assert!(!eval(unmanaged, &joined));
    assert!(eval(
        unmanaged,
        &Device::default().with("trustType", s("Workplace"))
    ));
}

#[test]
fn string_comparisons_ignore_case() {
    let d = Device::default()
        .with("displayName", s("CPAWT0-Desk"))
        .with("operatingSystem", s("Windows"));
    assert!(eval(r#"device.displayName -startsWith "cpawt0""#, &d));
    assert!(eval(r#"device.displayName -endsWith "DESK""#, &d));
    assert!(eval(r#"device.displayName -contains "wt0-d""#, &d));
    assert!(eval(r#"device.displayName -eq "cpawt0-desk""#, &d));
    assert!(eval(r#"device.operatingSystem -in ["iOS", "WINDOWS"]"#, &d));
    assert!(!eval(
        r#"device.operatingSystem -notIn ["iOS", "WINDOWS"]"#,
        &d
    ));
    assert!(eval(r#"device.displayName -notStartsWith "SAZ""#, &d));
}

#[test]
fn contains_is_substring_on_strings_and_whole_element_on_collections() {
    let d = Device::default()
        .with("model", s("Surface Laptop 5"))
        .with("physicalIds", list(&["[ZTDId]:abc", "[OrderId]:x"]))
        .with("systemLabels", list(&["M365Managed"]));
    assert!(eval(r#"device.model -contains "Laptop""#, &d));
    assert!(eval(r#"device.physicalIds -contains "[ZTDId]:abc""#, &d));
    assert!(
        !eval(r#"device.physicalIds -contains "[ZTDId]""#, &d),
        "a prefix of an element is not an element"
    );
    assert!(eval(r#"device.physicalIds -notContains "[ZTDId]""#, &d));
    assert!(eval(r#"device.systemLabels -contains "m365managed""#, &d));
    assert!(!eval(r#"device.systemLabels -contains "M365""#, &d));
}

#[test]
fn booleans_compare_however_they_were_written() {
    let compliant = Device::default().with("isCompliant", Value::Bool(true));
    for rule in [
        "device.isCompliant -eq True",
        r#"device.isCompliant -eq "True""#,
        "device.isCompliant -eq true",
    ] {
        assert!(eval(rule, &compliant), "{rule}");
        assert!(!eval(&rule.replace("-eq", "-ne"), &compliant));
    }
    assert!(!eval("device.isCompliant -eq False", &compliant));
}

#[test]
fn empty_values_count_as_null() {
    let d = Device::default()
        .with("extensionAttribute1", s(""))
        .with("physicalIds", list(&[]));
    assert!(!eval(r#"device.extensionAttribute1 -contains "S""#, &d));
    assert!(eval(r#"device.extensionAttribute1 -ne "SAW""#, &d));
    assert!(!eval(r#"device.extensionAttribute1 -eq "SAW""#, &d));
    assert!(eval(r#"device.physicalIds -notContains "[ZTDId]:x""#, &d));
    assert!(!eval(r#"device.physicalIds -contains "[ZTDId]:x""#, &d));
}

#[test]
fn device_json_names_are_case_insensitive_and_null_is_absent() {
    let d: Device =
        serde_json::from_str(r#"{"TrustType":"AzureAD","isCompliant":true,"physicalIds":["[ZTDId]:x"],"extensionAttribute1":null}"#)
            .unwrap();
    assert_eq!(d.get("trustType"), Some(&Value::Str("AzureAD".into())));
    assert_eq!(d.get("ISCOMPLIANT"), Some(&Value::Bool(true)));
    assert_eq!(d.get("extensionAttribute1"), None);
    assert!(eval(
        r#"device.trustType -eq "AzureAD" -and device.physicalIds -contains "[ZTDId]:x""#,
        &d
    ));
    assert!(eval(r#"device.extensionAttribute1 -ne "SAW""#, &d));

    let empty: Device = serde_json::from_str("{}").unwrap();
    assert!(empty.is_unregistered());

    let err = serde_json::from_str::<Device>("{\n  \"isCompliant\": 1\n}").unwrap_err();
    assert_eq!((err.line(), err.column()), (2, 18));
    assert!(
        err.to_string()
            .contains("a string, a boolean, a list of strings or null"),
        "{err}"
    );
}

#[test]
fn evaluate_refuses_invalid_rules() {
    let errs = evaluate(r#"device.trustType -eq "Hybrid""#, &Device::default()).unwrap_err();
    assert!(errs.iter().all(|d| d.is_error()));
    assert_eq!(errs[0].code, "value-not-allowed");
    assert!(check(r#"device.trustType -eq "Hybrid""#, None)
        .ast
        .is_none());
}

/// Microsoft Learn, "Filter for devices"
/// (https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices):
/// extension attributes are only available at evaluation time when the device is Intune-managed,
/// compliant or Microsoft Entra hybrid joined. On any other device the service sees them as null,
/// so a positive operator never matches and a negative one always does, whatever the device says.
#[test]
fn extension_attributes_are_null_unless_the_device_is_intune_managed_compliant_or_hybrid_joined() {
    use ca_builder::filter::eval::{hidden_extension_attributes, INTUNE_MDM_APP_ID};
    let saw = |d: Device| d.with("extensionAttribute1", s("SAW"));
    let registered = saw(Device::default()
        .with("trustType", s("AzureAD"))
        .with("isCompliant", Value::Bool(false)));
    assert!(!eval(
        r#"device.extensionAttribute1 -eq "SAW""#,
        &registered
    ));
    assert!(eval(r#"device.extensionAttribute1 -ne "SAW""#, &registered));
    assert!(eval(
        r#"device.extensionAttribute1 -notIn ["SAW"]"#,
        &registered
    ));
    // A Workplace-registered phone with nothing else known: the same.
    let phone = saw(Device::default().with("trustType", s("Workplace")));
    assert!(!eval(
        r#"device.extensionAttribute1 -startsWith "S""#,
        &phone
    ));
    // Other properties of the same device are still seen.
    assert!(eval(
        r#"device.trustType -eq "Workplace" -and device.extensionAttribute1 -ne "SAW""#,
        &phone
    ));

    for available in [
        saw(Device::default().with("isCompliant", Value::Bool(true))),
        saw(Device::default().with("isCompliant", s("True"))),
        saw(Device::default().with("trustType", s("ServerAD"))),
        saw(Device::default()
            .with("trustType", s("AzureAD"))
            .with("mdmAppId", s(INTUNE_MDM_APP_ID))),
    ] {
        assert!(available.extension_attributes_available(), "{available:?}");
        assert!(eval(r#"device.extensionAttribute1 -eq "SAW""#, &available));
        assert!(!eval(r#"device.extensionAttribute1 -ne "SAW""#, &available));
    }
    // Another MDM's app id is not Intune.
    let other_mdm =
        saw(Device::default().with("mdmAppId", s("00001111-aaaa-2222-bbbb-3333cccc4444")));
    assert!(!eval(r#"device.extensionAttribute1 -eq "SAW""#, &other_mdm));

    // What an explanation names: the attributes the rule reads that the device gave in vain.
    let rule = check(
        r#"device.extensionAttribute2 -eq "x" -or device.extensionAttribute1 -eq "SAW" -or device.extensionAttribute1 -eq "PAW""#,
        None,
    )
    .ast
    .unwrap();
    assert_eq!(
        hidden_extension_attributes(&rule, &registered),
        ["extensionAttribute1"]
    );
    assert!(hidden_extension_attributes(
        &rule,
        &saw(Device::default().with("isCompliant", Value::Bool(true)))
    )
    .is_empty());
}
