//! Every device-filter rule a template emits is valid in the filter language.

use ca_builder::filter::check;
use ca_builder::policy::{Template, TemplateParams};

#[test]
fn template_rules_pass_the_filter_checker() {
    let p = TemplateParams {
        pilot_group: Some("5d2e9c41-7a3b-4c8d-9e0f-1a2b3c4d5e6f".into()),
        ..Default::default()
    };
    let mut n = 0;
    for t in Template::ALL {
        let policy = t.build(&p).unwrap();
        let Some(filter) = policy
            .conditions
            .value()
            .and_then(|c| c.devices.value())
            .and_then(|d| d.device_filter.value())
        else {
            continue;
        };
        let rule = filter.rule.value().unwrap();
        let mode = filter.mode.value().and_then(|m| m.as_filter_mode());
        assert!(mode.is_some(), "{}: a known mode", t.name());
        let checked = check(rule, mode);
        assert!(
            checked.is_valid(),
            "{}: {rule}: {:#?}",
            t.name(),
            checked.diagnostics
        );
        n += 1;
    }
    assert_eq!(
        n, 3,
        "mfa-compensating, pilot and hardening carry a device filter"
    );
}
