//! The help texts of `ca-policy` and its command families, and the usage messages that name
//! what is wrong in each family's words. `--help` prints a family's text on stdout; a usage
//! error prints it on stderr after the message.

use crate::policy::Template;

pub const USAGE: &str = "\
usage: ca-policy <command> [options]

commands:
  filter check [--json] [--mode include|exclude] [RULE]   validate a device-filter rule
  filter eval --device DEVICE.json [RULE]                  evaluate a rule against a device
  filter fmt [RULE]                                        print the canonical form
  template NAME [options]                                  print a rollout template's Graph JSON
  export --format json|powershell|powershell-invoke|terraform|terraform-azuread|maester [options] FILE|-
  import FILE|-                                            print policies as the model holds them
  diff [--json] [--names FILE] BEFORE AFTER                compare two policy sets (files or folders)
  lint [--json] [options] FILE...                          lint a policy set (see `ca-policy lint --help`)
  whatif [--json] --policies FILE... [options] [REQUEST]   offline What-If of a Graph evaluate request
  passkey-policy | tap-policy | auth-strength | rollout    passkey builders (see `ca-policy rollout --help`)
  bootstrap [--json] --policies FILE... PERSONAS.json      can each persona get a passkey and use it (see `ca-policy bootstrap --help`)
  report [--format markdown|html] [options] FILE...        the change document for an approval board (see `ca-policy report --help`)

RULE is read from standard input when absent.";

pub(crate) const FILTER_USAGE: &str = "\
usage: ca-policy filter check [--json] [--mode include|exclude] [RULE]
       ca-policy filter eval --device DEVICE.json [RULE]
       ca-policy filter fmt [RULE]

check: validate a device-filter rule (exit 1 if it has errors; warnings are fine). --json prints
  {\"valid\", \"diagnostics\"}; --mode checks the rule as an include or exclude filter.
eval: evaluate the rule against a device (a JSON object such as {\"trustType\": \"AzureAD\"}).
fmt: print the canonical form of the rule.
RULE is read from standard input when absent or `-`; `--` ends the options.";

pub(crate) const TEMPLATE_USAGE: &str = "\
usage: ca-policy template NAME [--display-name S] [--exclude-user ID]... [--exclude-group ID]...
                               [--pilot-group ID] [--state enabled|disabled|report-only]
                               [--outside-trusted-locations]

Prints the Graph JSON body for POST /identity/conditionalAccess/policies.
The state defaults to report-only. IDs are object ids (GUIDs); --exclude-user/--exclude-group
declare break-glass accounts and may be repeated. --pilot-group is required by `pilot`.
--outside-trusted-locations (protect-registration only) requires MFA only outside trusted locations.

templates:";

pub(crate) const IMPORT_USAGE: &str =
    "usage: ca-policy import FILE|-   (print the policies as the model holds them)";

pub(crate) const EXPORT_USAGE: &str = "\
usage: ca-policy export --format json|powershell|powershell-invoke|terraform|terraform-azuread|maester
                        [--update POLICY_ID] [--break-glass-user ID]... [--break-glass-group ID]...
                        [--pilot-group ID] FILE|-

  --format json               the Graph Explorer request line and the JSON body
  --format powershell         a script using the Graph PowerShell SDK cmdlets
  --format powershell-invoke  a script using Invoke-MgGraphRequest with the JSON body
  --format terraform          Terraform for Microsoft's msgraph provider: one msgraph_resource
                              per policy, the Graph body as an HCL object (every property kept)
  --format terraform-azuread  Terraform for the azuread provider (azuread_conditional_access_policy);
                              a property it has no argument for (e.g. authenticationFlows) is
                              refused, named, with exit 1
  --format maester            Pester tests for Maester that check the deployed rollout against the
                              tenant: each policy exists (by id) in its state, each --break-glass-user
                              and --break-glass-group is excluded from every policy that is not off,
                              registering security info is protected, and the policies that include
                              --pilot-group include nothing else
  --update POLICY_ID          update (PATCH) that policy instead of creating one (json and
                              powershell formats); the file must then hold exactly one policy

FILE may hold one policy, an array, or a Graph list response; `-` or no FILE reads stdin.
Without --update every policy in the file is exported, in order.";

pub(crate) const DIFF_USAGE: &str = "\
usage: ca-policy diff [--json] [--names FILE] BEFORE AFTER

Compares two policy sets. BEFORE and AFTER are each a file (one policy, an array, or a Graph
list response), `-` for standard input (one of the two), or a folder (every .json file in it
and its subfolders). Policies are paired by id, then by display name; for each pair that
differs, every changed property is shown as its path with before and after (lists as
+ and \u{2212} entries); then the policies removed and added. Service-owned properties (id,
createdDateTime, modifiedDateTime) are not compared; absent, null and empty are the same.
  --json        the comparison as JSON: {equal, changed, removed, added, unchanged}
  --names FILE  a JSON object mapping ids to display names, shown in place of the ids
Exit status: 0 equal, 1 different, 2 trouble (usage, a file that cannot be read or imported).";

pub(crate) const REPORT_USAGE: &str = "\
usage: ca-policy report [--format markdown|html] [--names FILE] [--methods FILE] [--tenant FILE]
                        [--pilot-group ID] FILE...

The change document for a change-approval board: the rollout's phases and order, every policy
in plain words (names beside ids), the passkey and Temporary Access Pass settings and what each
PATCH changes, the bootstrap proof's persona x device grid (an SVG picture in HTML), the
permission each step needs, the rollback of each step and, with --tenant, the diff against the
tenant. FILE holds policies as `ca-policy import` reads them (`-`: standard input).
  --format FORMAT   markdown (default) or html: one self-contained page (inline CSS and SVG,
                    no request), printable on A4 and Letter
  --names FILE      a JSON object mapping ids to display names (as for `ca-policy diff`)
  --methods FILE    GET /policies/authenticationMethodsPolicy (or method configurations)
  --tenant FILE     the tenant's policies (GET /identity/conditionalAccess/policies)
  --pilot-group ID  the pilot group the method PATCHes target (default: the first group a
                    policy not for all users includes)
Exit status: 0 written, 1 an input has an error (file:line:column), 2 usage.";

pub(crate) const LINT_USAGE: &str = "\
usage: ca-policy lint [--json] [--break-glass-user ID]... [--break-glass-group ID]... [--naming PATTERN] FILE...

Lints the policies in every FILE (one policy, an array, or a Graph list response; `-` reads
standard input) as one set. --break-glass-user/--break-glass-group declare the emergency-access
accounts every policy should exclude (never guessed). --naming checks display names against a
pattern where `*` is any text and `?` one character (e.g. 'CA??? - *').
Exit status: 1 if any finding is an error, 0 otherwise, 2 on usage errors.";

pub(crate) const WHATIF_USAGE: &str = "\
usage: ca-policy whatif [--json] [--report-only-as-on] --policies FILE [--policies FILE]...
                        [--directory FILE] [--locations FILE] [REQUEST|-]

Evaluates the policies offline for REQUEST, the JSON body of Graph's
POST /identity/conditionalAccess/evaluate (signInIdentity, signInContext, signInConditions,
appliedPoliciesOnly), read from standard input when absent or `-`.
  --policies FILE      Conditional Access policies (one policy, an array, or a Graph list response)
  --directory FILE     {\"users\": {\"<userId>\": {\"groups\": [...], \"roles\": [...], \"userType\": \"member\"|\"guest\"}}};
                       a user not listed is in no group and holds no role
  --locations FILE     the tenant's named locations (GET /identity/conditionalAccess/namedLocations),
                       so ipAddress and country resolve to location ids
  --report-only-as-on  enforce Report-only policies in the verdict (a preview of switching them On)
  --json               the evaluate response: {\"value\": [each policy with policyApplies and
                       analysisReasons, and the tool's explanation], \"verdict\": {...}}
Report-only policies are always evaluated; conditions the request does not supply do not match.
Exit status: 0 it ran (whatever the verdict), 1 an input has an error, 2 usage.";

pub(crate) const BUILDERS_USAGE: &str = "\
usage:
  ca-policy passkey-policy --pilot-group ID [--aaguid AAGUID]... [--no-attestation] [--no-self-service]
                           [--allow-synced] [--block-authenticator-in-default]
                           [--current FILE] [--format json|effect|requests|powershell|powershell-invoke]
  ca-policy passkey-policy --app-protection
  ca-policy tap-policy --pilot-group ID [--lifetime MIN] [--min-lifetime MIN] [--max-lifetime MIN]
                       [--length N] [--multi-use] [--current FILE] [--format json|effect|powershell|powershell-invoke]
  ca-policy auth-strength [--display-name S] [--description S] [--aaguid AAGUID]...
                          [--format json|powershell|powershell-invoke]
  ca-policy rollout (--out DIR | --script | --switch-on-script) [--flavour sdk|invoke]
                    (--pilot-group ID | --new-group NAME) [--template NAME]... [--strength-for NAME]...
                    [--exclude-user ID]... [--exclude-group ID]... [--aaguid AAGUID]...
                    [--current-fido2 FILE] [--current-tap FILE] [--member ID|UPN]...
  ca-policy rollout --pilot-script --new-group NAME [--issue-tap] [--flavour sdk|invoke]
                    [--template NAME] [--exclude-user ID]... [--exclude-group ID]...

passkey-policy: passkeys in Microsoft Authenticator for the pilot group. --current FILE is the GET
  response of the tenant's passkey (FIDO2) configuration. On passkey profiles (every migrated
  tenant) it builds a profile \"Passkeys in Microsoft Authenticator\" for the pilot: --format
  requests (the default with --current) prints the ordered PATCHes as a JSON array (add the
  profile, read its id back into {{profile-id:NAME}}, then target it), --format effect the
  profiles, targets and plan in words. Without --current, Microsoft's default migrated
  configuration is assumed (one Default profile targeting all users; said in the output) and the
  plan is given in words only: the requests echo every profile, so they need the real one.
  --allow-synced lets the profile allow synced passkeys too (needs --no-attestation);
  --block-authenticator-in-default blocks the Authenticator AAGUIDs in the Default profile.
  A --current configuration without passkeyProfiles (not migrated) gets the single PATCH body
  with attestation and an allow list of the Authenticator AAGUIDs (plus --aaguid), its lists
  merged with the ones read; --format effect shows what is added, removed and kept.
  --app-protection explains why an Intune App Protection Policy cannot protect Authenticator,
  and what to do instead.
tap-policy: PATCH body enabling Temporary Access Pass (one-time unless --multi-use, 60 minutes).
auth-strength: custom authentication strength accepting only passkeys from the AAGUIDs.
rollout: the whole rollout in order (pilot group, passkey and TAP methods, strength, CA policies in
  Report-only). --out DIR writes a bundle of JSON files with manifest.json and README.md; --script
  prints it as one PowerShell script (--member adds each user, by object id or user principal
  name, to the pilot group, every one looked up before any is added; one already in it is left;
  needs User.ReadBasic.All); --switch-on-script prints the later step that switches the
  policies On. --pilot-script prints the pilot alone as one script: find or create the group named
  NAME, then one policy (--template, default pilot) in Report-only narrowed to exactly that group;
  --issue-tap adds the opt-in step that issues a Temporary Access Pass to each user in the group
  (lifetime and one-time use from the tenant's TAP policy; needs UserAuthMethod-TAP.ReadWrite.All)
  and writes each code only to the console that runs the script (Write-Host).
  --current-fido2 FILE and --current-tap FILE are the GET responses of the two configurations;
  without --current-fido2, Microsoft's default migrated configuration on passkey profiles is
  assumed (said on stderr), and the script stops, changing nothing, unless the tenant holds it.
  Templates (default: pilot protect-registration user-risk sign-in-risk):";

pub(crate) const BOOTSTRAP_USAGE: &str = "\
usage: ca-policy bootstrap [--json] [--report-only-as-on] --policies FILE [--policies FILE]...
                           [--methods FILE] [--strengths FILE] [--directory FILE] [--locations FILE]
                           [--registrations FILE] PERSONAS.json

For each persona (an array of {\"name\", \"userId\", \"methodsRegistered\", \"signInConditions\"[, \"signInContext\"]}),
walks the passkey journey: reach-registration (the Conditional Access policies on Register security
information and on Microsoft Authenticator's registration sign-in, with the methods held, and MFA
within the last five minutes), register-passkey (the passkey (FIDO2) method policy and its passkey
profiles), sign-in-with-passkey (the policies on the persona's resource, Exchange Online by default).
Each step says ok, what blocks it, why, and the fix.
  --methods FILE     GET /policies/authenticationMethodsPolicy (or method configurations);
                     without it, Microsoft's defaults for a new tenant
  --strengths FILE   GET /identity/conditionalAccess/authenticationStrength/policies
  --directory FILE   {\"users\": {\"<userId>\": {\"groups\": [...], \"roles\": [...], \"userType\": \"member\"|\"guest\"}}}
  --locations FILE   GET /identity/conditionalAccess/namedLocations
  --registrations FILE  GET /reports/authenticationMethods/userRegistrationDetails: a persona
                     without methodsRegistered takes its user's (a password included)
  --report-only-as-on  enforce report-only policies as if On
Exit status: 0 whatever the verdicts, 1 an input error (FILE:LINE:COLUMN), 2 usage.";

/// The rollout's policy choices: the six templates.
pub(crate) const ROLLOUT_TEMPLATES: [&str; 6] = [
    "mfa-compensating",
    "pilot",
    "hardening",
    "protect-registration",
    "user-risk",
    "sign-in-risk",
];

/// A group of commands that share a usage text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Top,
    Filter,
    Template,
    Import,
    Export,
    Diff,
    Lint,
    Whatif,
    /// `passkey-policy`, `tap-policy`, `auth-strength`, `rollout`.
    Builders,
    Bootstrap,
    Report,
}

impl Family {
    /// The family the arguments name by their first word (every command is one word, and
    /// `ca-policy` itself takes no option but `--help`/`--version`).
    pub(crate) fn of(args: &[String]) -> Family {
        match args.first().map(String::as_str) {
            Some("filter") => Family::Filter,
            Some("template") => Family::Template,
            Some("import") => Family::Import,
            Some("export") => Family::Export,
            Some("diff") => Family::Diff,
            Some("lint") => Family::Lint,
            Some("whatif") => Family::Whatif,
            Some("passkey-policy" | "tap-policy" | "auth-strength" | "rollout") => Family::Builders,
            Some("bootstrap") => Family::Bootstrap,
            Some("report") => Family::Report,
            _ => Family::Top,
        }
    }

    /// The usage shown after a usage error (the help text, for a family that has its own).
    pub(crate) fn usage(self) -> String {
        match self {
            // A filter usage error shows every command, as it always has.
            Family::Top | Family::Filter => USAGE.to_string(),
            Family::Import => format!("{IMPORT_USAGE}\n\n{USAGE}"),
            other => other.help(),
        }
    }

    /// What `--help` prints.
    pub(crate) fn help(self) -> String {
        match self {
            Family::Top => USAGE.to_string(),
            Family::Filter => FILTER_USAGE.to_string(),
            Family::Template => {
                let mut text = TEMPLATE_USAGE.to_string();
                for t in Template::ALL {
                    text.push_str(&format!("\n  {:<22} {}", t.name(), t.summary()));
                }
                text
            }
            Family::Import => IMPORT_USAGE.to_string(),
            Family::Export => EXPORT_USAGE.to_string(),
            Family::Diff => DIFF_USAGE.to_string(),
            Family::Lint => LINT_USAGE.to_string(),
            Family::Whatif => WHATIF_USAGE.to_string(),
            Family::Builders => format!("{BUILDERS_USAGE} {}", ROLLOUT_TEMPLATES.join(", ")),
            Family::Bootstrap => BOOTSTRAP_USAGE.to_string(),
            Family::Report => REPORT_USAGE.to_string(),
        }
    }

    pub(crate) fn missing_command(self) -> &'static str {
        match self {
            Family::Filter => "expected `filter check`, `filter eval` or `filter fmt`",
            _ => "expected a command",
        }
    }

    pub(crate) fn unknown_command(self, name: &str) -> String {
        match self {
            Family::Filter => format!("unknown filter command `{name}`"),
            _ => format!("unknown command `{name}`"),
        }
    }

    pub(crate) fn unknown_option(self, option: &str) -> String {
        match self {
            Family::Filter => format!("unknown option `{option}`"),
            _ => format!("unknown option {option}"),
        }
    }

    /// A positional argument past the last one the command takes.
    pub(crate) fn extra_argument(self, arg: &str) -> String {
        match self {
            Family::Filter => "expected one RULE argument (quote the rule)".to_string(),
            Family::Export => format!("unexpected argument {arg:?}; export takes one FILE"),
            Family::Import => "import takes one FILE or -".to_string(),
            Family::Diff => format!("unexpected argument {arg:?}; diff takes BEFORE and AFTER"),
            Family::Whatif => format!("unexpected argument {arg:?}; whatif takes one REQUEST"),
            Family::Top => format!("unknown command `{arg}`"),
            _ => format!("unexpected argument {arg:?}"),
        }
    }
}
