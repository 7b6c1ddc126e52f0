//! The answer to a request often made in passkey rollouts, "an Intune App Protection Policy for
//! Microsoft Authenticator": it cannot be done, and what protects passkeys in Authenticator
//! instead (`docs/graph.md#app-protection-and-authenticator`).

/// The statement, as a front end shows it: the verdict first, then why, then what to do.
pub struct AppProtectionAnswer {
    pub verdict: &'static str,
    pub why: &'static str,
    pub instead: [&'static str; 5],
    pub sources: &'static str,
}

pub const APP_PROTECTION_FOR_AUTHENTICATOR: AppProtectionAnswer = AppProtectionAnswer {
    verdict: "An Intune App Protection Policy cannot target Microsoft Authenticator: Authenticator is not an Intune \
              protected app, so no App Protection setting (PIN, jailbreak block, encryption, backup) applies to it, \
              and Authenticator cannot satisfy the Conditional Access grant \"Require app protection policy\".",
    why: "App Protection Policies apply only to apps on Microsoft's Intune protected apps list or built with the Intune \
          App SDK / App Wrapping Tool; Authenticator is on neither list. Worse, a Conditional Access policy on All \
          resources that grants only with \"Require approved client app\" or \"Require app protection policy\" stops \
          users from registering passkeys in Authenticator.",
    instead: [
        "Protect registration itself: the Conditional Access policy on the user action \"Register security \
         information\" (template protect-registration) requiring MFA, which a Temporary Access Pass satisfies.",
        "Enable passkeys (FIDO2) for the pilot group with attestation enforced and key restrictions allowing only \
         the Authenticator AAGUIDs, so only the genuine Authenticator app can hold the users' passkeys.",
        "Require the custom authentication strength \"Passkey in Microsoft Authenticator\" for sensitive apps.",
        "Where the phone is Intune-enrolled, add \"Require device to be marked as compliant\" as an alternative (OR) \
         grant; Authenticator satisfies it on a compliant device.",
        "The passkey itself is guarded by the phone's PIN or biometric (local user verification), and a \
         device-bound passkey never leaves the phone.",
    ],
    sources: "Microsoft Intune protected apps \
              (https://learn.microsoft.com/mem/intune/apps/apps-supported-intune-apps); \
              Enable passkeys in Microsoft Authenticator \
              (https://learn.microsoft.com/entra/identity/authentication/how-to-enable-authenticator-passkey)",
};

impl AppProtectionAnswer {
    /// The whole statement as plain text (CLI output, README).
    pub fn text(&self) -> String {
        let mut s = format!(
            "{}\n\nWhy: {}\n\nDo this instead:\n",
            self.verdict, self.why
        );
        for (i, step) in self.instead.iter().enumerate() {
            s.push_str(&format!("  {}. {step}\n", i + 1));
        }
        s.push_str(&format!("\nSources: {}\n", self.sources));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each source is a page an admin can open: a title with its Microsoft Learn address.
    #[test]
    fn every_source_is_a_learn_page() {
        let sources = APP_PROTECTION_FOR_AUTHENTICATOR.sources;
        for source in sources.split("; ") {
            let (title, url) = source.split_once(" (").expect("a title, then its address");
            assert!(!title.is_empty(), "{source}");
            assert!(
                url.starts_with("https://learn.microsoft.com/") && url.ends_with(')'),
                "{source}"
            );
        }
        let text = APP_PROTECTION_FOR_AUTHENTICATOR.text();
        assert!(text.ends_with(&format!("\nSources: {sources}\n")));
    }
}
