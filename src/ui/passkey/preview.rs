//! What the passkey panel shows for its form and the draft: the method PATCHes (Graph JSON,
//! PowerShell and their effect on the stored lists) and the whole rollout as one script.
//! Computed from the form and the draft alone.

use crate::app::draft::Draft;
use crate::app::passkey_profiles::{self as profiles, ProfilesPreview};
use crate::app::rollout::{self, MethodsForm, MethodsSettings};
use crate::app::AppError;
use crate::builders::methods::{
    tap_patch, MethodPatch, ProfileSettings, ProfilesConfig, METHODS_PERMISSION, METHODS_ROLE,
};
use crate::export::graph_json::{pretty_body, API_VERSION, GRAPH_ROOT};
use crate::export::powershell::{self, Flavour};

pub struct Preview {
    pub settings: MethodsSettings,
    /// The passkey and TAP PATCHes, or why they cannot be made yet.
    pub patches: Result<(MethodPatch, MethodPatch), AppError>,
    /// On passkey profiles (where the passkey method is the profile steps): the TAP PATCH alone.
    pub tap_alone: Option<MethodPatch>,
    pub json: String,
    pub powershell: String,
    pub effect: String,
    /// The rollout as one script, or why it cannot be written.
    pub script: Result<String, AppError>,
    /// The configuration pasted or read is on passkey profiles: its words and the plan.
    pub profiles: Option<Profiles>,
}

/// A profiles configuration, the pilot profile's settings, and what they give.
#[derive(Clone, PartialEq)]
pub struct Profiles {
    pub read: ProfilesConfig,
    pub settings: ProfileSettings,
    pub shown: ProfilesPreview,
}

pub fn preview(form: &MethodsForm, draft: &Draft) -> Preview {
    let settings = form.settings(draft);
    let patches = settings.patches();
    // The form's reading: the pasted configuration on profiles, or (nothing usable pasted) the
    // assumed default migrated one.
    let profiles = settings.rollout.fido2_profiles.clone().map(|read| {
        let ps = profiles::profile_settings(&settings);
        Profiles {
            shown: profiles::preview(&read, &ps),
            read,
            settings: ps,
        }
    });
    let r = &settings.rollout;
    let tap_alone = match (&patches, &profiles) {
        (Err(_), Some(_)) if !settings.pilot.is_empty() => tap_patch(&r.tap, &r.tap_current).ok(),
        _ => None,
    };
    let (json, ps, effect) = match (&patches, &tap_alone) {
        (Err(_), Some(t)) => {
            let on_profiles = "On passkey profiles the passkey (FIDO2) method is not one PATCH: its steps are under \
                               \"Passkey profiles\" above.";
            let json = format!(
                "# {on_profiles}\n\n# permission: {METHODS_PERMISSION} (role: {METHODS_ROLE})\nPATCH {GRAPH_ROOT}/{API_VERSION}{}\n\n{}\n",
                t.method.path(),
                pretty_body(&t.body)
            );
            let ps = format!(
                "{on_profiles} `ca-policy passkey-policy --current FILE --pilot-group ID` gives them as requests."
            );
            (json, ps, format!("{on_profiles}\n{}", t.effect))
        }
        (Ok((f, t)), _) => {
            let json = format!(
                "# permission: {METHODS_PERMISSION} (role: {METHODS_ROLE})\nPATCH {GRAPH_ROOT}/{API_VERSION}{}\n\n{}\n\n# permission: {METHODS_PERMISSION}\nPATCH {GRAPH_ROOT}/{API_VERSION}{}\n\n{}\n",
                f.method.path(), pretty_body(&f.body), t.method.path(), pretty_body(&t.body)
            );
            let ps =
                powershell::method_patch_script(Flavour::Sdk, f).unwrap_or_else(|e| e.to_string());
            (json, ps, format!("{}\n{}", f.effect, t.effect))
        }
        (Err(e), _) => {
            let m = e.to_string();
            (m.clone(), m.clone(), m)
        }
    };
    // The rollout as one script to save. The policies-as-code bundle (one JSON file per
    // request, a manifest) is the CLI's `ca-policy rollout --out DIR`: a browser cannot write a
    // directory, and its code would cost the page ~5 KB of its size budget.
    let script = rollout::from_draft(draft, &settings.rollout)
        .map_err(AppError::from)
        .and_then(|plan| Ok(powershell::rollout_script(Flavour::Invoke, &plan)?));
    Preview {
        profiles,
        tap_alone,
        settings,
        patches,
        json,
        powershell: ps,
        effect,
        script,
    }
}
