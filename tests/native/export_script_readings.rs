//! Every PowerShell script the project writes, read from its BYTES the way each PowerShell
//! reads them (Windows PowerShell 5.1: UTF-8 after a BOM, Windows-1252 without one; PowerShell
//! 7: UTF-8; and the text with its BOM lost, as a clipboard copy or an editor's re-save leaves
//! it, read as Windows-1252), tokenized by PowerShell's own quote rules.
//!
//! The property, for a set of hostile names (every quote PowerShell knows, `$(…)`, backticks,
//! comment and here-string delimiters, line breaks, and every character whose UTF-8 bytes read
//! as a quote in Windows-1252): under every reading, the script's tokens outside strings and
//! comments are those of the same script made with a plain ASCII name, and each string is the
//! plain script's string with the name in it, exactly (as itself, OData-quoted or
//! JSON-escaped). Covered: the exporters (create, update, group, pilot; SDK and Invoke) over
//! every template and over corpus policies, the method PATCH, strength, rollout and switch-on
//! scripts, and the CLI's output of `export`, `auth-strength`, `passkey-policy`, `tap-policy`
//! and `rollout --script / --switch-on-script / --out`.

use crate::support::cli;
use crate::support::corpus;
use crate::support::ps_tokens;

use ca_builder::builders::methods::{
    self, CurrentConfig, Method, PasskeySettings, TapSettings, PILOT_GROUP_PLACEHOLDER,
};
use ca_builder::builders::risk;
use ca_builder::builders::rollout::{PasskeyChange, PilotGroup, Rollout};
use ca_builder::builders::strength::StrengthSettings;
use ca_builder::export::powershell::{self, script_file_bytes, Flavour};
use ca_builder::export::{render, Format, Operation};
use ca_builder::guid::{Guid, GuidKind};
use ca_builder::policy::import_bytes;
use ca_builder::policy::templates::{group_body, mail_nickname, Template, TemplateParams};
use ps_tokens::{read, same_code, tokens, Reading, Token, READINGS};
use serde_json::{json, Value};

/// The name every comparison script is made with: ASCII, and unlike anything else in a script.
const PLAIN: &str = "PlainName0";
const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";
const POLICY_ID: &str = "4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5d";
const FLAVOURS: [Flavour; 2] = [Flavour::Sdk, Flavour::Invoke];

/// Breaks out of a literal that ends early: the attack from the issue, after each character.
const BREAKOUT: &str = "}; Start-Process calc; $x=@{ #";

/// Windows-1252 bytes that read as a PowerShell quote: ‚ „ ‘ ’ “ ”.
const QUOTE_BYTES_1252: [u8; 6] = [0x82, 0x84, 0x91, 0x92, 0x93, 0x94];

fn utf8_holds_a_quote_byte(c: char) -> bool {
    let mut b = [0u8; 4];
    c.encode_utf8(&mut b)
        .bytes()
        .any(|x| QUOTE_BYTES_1252.contains(&x))
}

/// Names written by hand to break quoting, plus every code point U+0080–U+07FF (the two-byte
/// UTF-8 sequences), every 7th three-byte code point whose UTF-8 holds a byte that reads as a
/// quote in Windows-1252, and four-byte ones; generated characters go 128 to a name, then
/// [`BREAKOUT`] (a literal ended early anywhere turns the rest of the name into code).
fn hostile_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "Passkeys \u{d2}}; Start-Process calc; $x=@{ #",
        "'",
        "\u{2018}",
        "\u{2019}",
        "\u{201A}",
        "\u{201B}",
        "\"",
        "\u{201C}",
        "\u{201D}",
        "\u{201E}",
        "\u{201F}",
        "''",
        "'\u{2019}\u{2018}\u{201A}\u{201B}",
        "O'Brien\u{2019}s \u{201C}Pilot\u{201D} policy",
        "' + (Start-Process calc) + '",
        "\u{2019}; Start-Process calc; \u{2019}",
        "$(calc)",
        "@(calc)",
        "${env:X}",
        "$env:USERNAME",
        "`n`r`$x `' `\u{201D} ``",
        "# comment",
        "#> calc <#",
        "<# calc",
        "\n'@\nStart-Process calc\n'@\n",
        "\n\"@\nStart-Process calc\n\"@",
        "x\n@'\ny",
        "line1\nline2",
        "cr\rhere",
        "crlf\r\nafter",
        "nel\u{85}after",
        "ls\u{2028}ps\u{2029}",
        "tab\there",
        "esc \u{1b}[31m del \u{7f}",
        "bidi \u{202e}desrever\u{202c} \u{2066}x\u{2069}",
        "\u{feff}bom",
        "a; calc",
        "a | calc",
        "a && b || c",
        "--% stop parsing",
        "\u{2013}WhatIf \u{2014}Confirm \u{2015}Force",
        "\u{1f510} Passkeys \u{1f469}\u{200d}\u{1f4bb}",
        "displayName eq 'x' or true",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    names.push("\u{2019}'".repeat(300));

    let two_byte = (0x80u32..=0x7FF).filter_map(char::from_u32);
    let three_byte = (0x800u32..=0xFFFF)
        .filter_map(char::from_u32)
        .filter(|c| utf8_holds_a_quote_byte(*c))
        .step_by(7);
    let four_byte = [0x1F510, 0x10000, 0x10FFFF, 0xE0041, 0x1D11E]
        .into_iter()
        .filter_map(char::from_u32);
    let generated: Vec<char> = two_byte.chain(three_byte).chain(four_byte).collect();
    for chunk in generated.chunks(128) {
        let mut name: String = chunk.iter().collect();
        name.push_str(BREAKOUT);
        names.push(name);
    }
    names
}

/// How a script carries the name inside a string: itself, in an OData filter literal, or
/// inside a JSON string.
fn encodings(name: &str) -> Vec<String> {
    let json = serde_json::to_string(name).unwrap();
    vec![
        name.to_string(),
        name.replace('\'', "''"),
        json[1..json.len() - 1].to_string(),
    ]
}

/// Makes a script's bytes for a name.
type Make<'a> = Box<dyn Fn(&str) -> Vec<u8> + 'a>;

/// One script producer.
struct Case<'a> {
    what: String,
    make: Make<'a>,
    /// Values computed from the name that the script carries (a group's mail nickname).
    derives_nickname: bool,
}

impl Case<'_> {
    fn plain_tokens(&self) -> Vec<Token> {
        let bytes = (self.make)(PLAIN);
        assert!(bytes.is_ascii(), "{}: the plain script is ASCII", self.what);
        let t = tokens(&read(&bytes, Reading::PowerShell7))
            .unwrap_or_else(|e| panic!("{}: plain script: {e}", self.what));
        assert!(
            t.iter()
                .any(|x| matches!(x, Token::Str(s) if s.contains(PLAIN))),
            "{}: the name reaches a string of the script",
            self.what
        );
        t
    }

    /// Panics unless the script for `name`, under every reading, differs from the plain
    /// script only in the data.
    fn check(&self, plain: &[Token], name: &str) {
        let bytes = (self.make)(name);
        let encs = encodings(name);
        let derived = if self.derives_nickname {
            vec![(mail_nickname(PLAIN), mail_nickname(name))]
        } else {
            vec![]
        };
        for reading in READINGS {
            let text = read(&bytes, reading);
            let got = tokens(&text)
                .unwrap_or_else(|e| panic!("{} {name:?} read by {reading:?}: {e}", self.what));
            if let Err(e) = same_code(plain, &got, PLAIN, &encs, &derived) {
                panic!("{} {name:?} read by {reading:?}: {e}", self.what);
            }
        }
    }
}

fn lib_script(s: Result<String, powershell::ScriptError>) -> Vec<u8> {
    script_file_bytes(&s.expect("script"))
}

/// A template's POST body carrying `name` as display name and in a device rule.
fn with_name(mut body: Value, name: &str) -> Value {
    body["displayName"] = json!(name);
    body["conditions"]["devices"] = json!({
        "deviceFilter": {"mode": "exclude", "rule": format!("device.displayName -eq \"{name}\"")}
    });
    body
}

fn template_bodies() -> Vec<(String, Value)> {
    let params = TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        pilot_group: Some(PILOT.into()),
        ..Default::default()
    };
    let mut out: Vec<(String, Value)> = Template::ALL
        .iter()
        .map(|t| {
            (
                t.name().to_string(),
                t.build(&params).unwrap().to_post_body(),
            )
        })
        .collect();
    out.push((
        "sign-in-risk".into(),
        risk::sign_in_risk_policy(&params).unwrap().to_post_body(),
    ));
    out
}

/// A pasted method configuration whose stored ids and AAGUIDs are `name`.
fn current_json(method: Method, name: &str) -> String {
    match method {
        Method::Fido2 => json!({
            "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
            "state": "enabled",
            "keyRestrictions": {"isEnforced": true, "enforcementType": "allow", "aaGuids": [name]},
            "includeTargets": [{"targetType": "group", "id": name, "isRegistrationRequired": false}],
            "excludeTargets": [{"targetType": "group", "id": name}]
        }),
        Method::TemporaryAccessPass => json!({
            "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
            "state": "enabled",
            "includeTargets": [{"targetType": "group", "id": name, "isRegistrationRequired": false}],
            "excludeTargets": [{"targetType": "group", "id": name}]
        }),
    }
    .to_string()
}

fn current(method: Method, name: &str) -> CurrentConfig {
    CurrentConfig::parse(method, &current_json(method, name)).unwrap()
}

fn rollout_plan(name: &str) -> Rollout {
    let params = TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        pilot_group: Some(PILOT.into()),
        ..Default::default()
    };
    let policies = vec![
        ("pilot".to_string(), Template::Pilot.build(&params).unwrap()),
        (
            "sign-in-risk".to_string(),
            risk::sign_in_risk_policy(&params).unwrap(),
        ),
    ];
    let gid = PILOT_GROUP_PLACEHOLDER;
    let fido2 =
        methods::fido2_patch(&PasskeySettings::new(gid), &current(Method::Fido2, name)).unwrap();
    let tap = methods::tap_patch(
        &TapSettings::new(gid),
        &current(Method::TemporaryAccessPass, name),
    )
    .unwrap();
    let strength = StrengthSettings {
        display_name: format!("St {name}"),
        description: name.to_string(),
        ..Default::default()
    };
    Rollout::build(
        PilotGroup::Create(group_body(name)),
        PasskeyChange::Patch(fido2),
        tap,
        strength,
        policies,
        &["pilot".into()],
    )
    .unwrap()
}

/// Every library function that writes a script, for every template and both flavours.
fn library_cases<'a>(corpus: &'a [(String, Value)]) -> Vec<Case<'a>> {
    let mut cases = Vec::new();
    let update = Operation::Update {
        policy_id: Guid::parse(POLICY_ID, GuidKind::Policy).unwrap(),
    };
    for fl in FLAVOURS {
        let all_templates = template_bodies();
        let bodies = all_templates.clone();
        cases.push(Case {
            what: format!("export {fl:?} create, every template in one script"),
            make: Box::new(move |n| {
                let named: Vec<Value> = bodies
                    .iter()
                    .map(|(_, b)| with_name(b.clone(), n))
                    .collect();
                lib_script(render(Format::PowerShell(fl), &Operation::Create, &named))
            }),
            derives_nickname: false,
        });
        // Every template is in the create script above; update and pilot take one each.
        for (t, body) in all_templates.into_iter().take(2) {
            let op = update.clone();
            let b = body.clone();
            cases.push(Case {
                what: format!("export {fl:?} update {t}"),
                make: Box::new(move |n| {
                    lib_script(render(
                        Format::PowerShell(fl),
                        &op,
                        &[with_name(b.clone(), n)],
                    ))
                }),
                derives_nickname: false,
            });
            cases.push(Case {
                what: format!("pilot script {fl:?} {t}"),
                make: Box::new(move |n| {
                    lib_script(powershell::pilot_script(
                        fl,
                        &group_body(n),
                        &with_name(body.clone(), n),
                    ))
                }),
                derives_nickname: true,
            });
        }
        cases.push(Case {
            what: format!("group script {fl:?}"),
            make: Box::new(move |n| {
                lib_script(powershell::script(
                    fl,
                    &Operation::CreateGroup,
                    &group_body(n),
                ))
            }),
            derives_nickname: true,
        });
        for (what, body) in corpus {
            cases.push(Case {
                what: format!("export {fl:?} corpus {what}"),
                make: Box::new(move |n| {
                    let mut b = body.clone();
                    b["displayName"] = json!(n);
                    lib_script(powershell::script(fl, &Operation::Create, &b))
                }),
                derives_nickname: false,
            });
        }
        for method in [Method::Fido2, Method::TemporaryAccessPass] {
            cases.push(Case {
                what: format!("method patch {fl:?} {method:?}"),
                make: Box::new(move |n| {
                    let patch = match method {
                        Method::Fido2 => {
                            methods::fido2_patch(&PasskeySettings::new(PILOT), &current(method, n))
                        }
                        Method::TemporaryAccessPass => {
                            methods::tap_patch(&TapSettings::new(PILOT), &current(method, n))
                        }
                    }
                    .unwrap();
                    lib_script(powershell::method_patch_script(fl, &patch))
                }),
                derives_nickname: false,
            });
        }
        cases.push(Case {
            what: format!("strength {fl:?}"),
            make: Box::new(move |n| {
                let s = StrengthSettings {
                    display_name: n.to_string(),
                    description: n.to_string(),
                    ..Default::default()
                };
                lib_script(powershell::strength_script(fl, &s))
            }),
            derives_nickname: false,
        });
        cases.push(Case {
            what: format!("rollout {fl:?}"),
            make: Box::new(move |n| lib_script(powershell::rollout_script(fl, &rollout_plan(n)))),
            derives_nickname: true,
        });
        cases.push(Case {
            what: format!("switch-on {fl:?}"),
            make: Box::new(move |n| {
                lib_script(powershell::switch_on_script(
                    fl,
                    &[n.to_string(), "Fixed".into()],
                ))
            }),
            derives_nickname: false,
        });
    }
    cases
}

/// A few real policies: the first of each of the first corpus files.
fn corpus_sample() -> Vec<(String, Value)> {
    corpus::files()
        .into_iter()
        .filter(|p| !p.ends_with(corpus::BROKEN))
        .filter_map(|p| {
            let policies = import_bytes(&std::fs::read(&p).ok()?).ok()?;
            let first = policies.first()?.to_post_body();
            Some((p.file_name()?.to_string_lossy().into_owned(), first))
        })
        .take(3)
        .collect()
}

#[test]
fn every_library_script_carries_hostile_names_as_data_under_every_reading() {
    let corpus = corpus_sample();
    assert_eq!(corpus.len(), 3, "corpus sample");
    let names = hostile_names();
    for case in library_cases(&corpus) {
        let plain = case.plain_tokens();
        for name in &names {
            case.check(&plain, name);
        }
    }
}

// ---- the CLI: what it writes to standard output and into a bundle ----

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("export_script_readings")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `ca-policy ARGS` (where `{name}` is replaced by the name, and `{fido2}`, `{tap}`,
/// `{policies}` by files holding it) and returns its standard output's bytes.
fn cli_script(args: &[&str], name: &str, tmp: &std::path::Path) -> Vec<u8> {
    let tag: String = format!("{:016x}", fxhash(name));
    let fido2 = tmp.join(format!("fido2-{tag}.json"));
    let tap = tmp.join(format!("tap-{tag}.json"));
    let policies = tmp.join(format!("policies-{tag}.json"));
    std::fs::write(&fido2, current_json(Method::Fido2, name)).unwrap();
    std::fs::write(&tap, current_json(Method::TemporaryAccessPass, name)).unwrap();
    let bodies: Vec<Value> = template_bodies()
        .into_iter()
        .map(|(_, b)| with_name(b, name))
        .collect();
    std::fs::write(&policies, Value::Array(bodies).to_string()).unwrap();
    let files = [
        ("{fido2}", fido2.to_str().unwrap().to_string()),
        ("{tap}", tap.to_str().unwrap().to_string()),
        ("{policies}", policies.to_str().unwrap().to_string()),
        ("{name}", name.to_string()),
    ];
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            files
                .iter()
                .find(|(k, _)| a == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| a.to_string())
        })
        .collect();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = cli::output(&refs, b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{refs:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A small stable hash for temp-file names.
fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

#[test]
fn every_cli_script_carries_hostile_names_as_data_under_every_reading() {
    let tmp = dir("cli");
    let mut commands: Vec<(Vec<&str>, bool)> = Vec::new();
    for (format, flavour) in [("powershell", "sdk"), ("powershell-invoke", "invoke")] {
        let named = ["--display-name", "{name}", "--description", "{name}"];
        let current = |method, file| vec![method, "--pilot-group", PILOT, "--current", file];
        commands.extend([
            (vec!["export", "--format", format, "{policies}"], false),
            (
                [&["auth-strength"][..], &named, &["--format", format]].concat(),
                false,
            ),
            (
                [
                    current("passkey-policy", "{fido2}"),
                    vec!["--format", format],
                ]
                .concat(),
                false,
            ),
            (
                [current("tap-policy", "{tap}"), vec!["--format", format]].concat(),
                false,
            ),
            (
                vec![
                    "rollout",
                    "--script",
                    "--flavour",
                    flavour,
                    "--new-group",
                    "{name}",
                    "--current-fido2",
                    "{fido2}",
                    "--current-tap",
                    "{tap}",
                ],
                true,
            ),
        ]);
    }
    // The hand-written names and a few of the generated ones: each run is a process.
    let all = hostile_names();
    let names: Vec<&String> = all
        .iter()
        .take(50)
        .chain(all.iter().skip(50).step_by(16))
        .collect();
    for (args, derives_nickname) in &commands {
        let case = Case {
            what: format!("ca-policy {}", args.join(" ")),
            make: Box::new(|n| cli_script(args, n, &tmp)),
            derives_nickname: *derives_nickname,
        };
        let plain = case.plain_tokens();
        for name in &names {
            // The rollout trims the group name; a name that is only blanks is refused.
            if args[0] == "rollout" && name.trim() != name.as_str() {
                continue;
            }
            case.check(&plain, name);
        }
    }
}

#[test]
fn scripts_without_a_name_read_the_same_everywhere_and_the_bundle_holds_none() {
    for flavour in ["sdk", "invoke"] {
        let out = cli_script(
            &[
                "rollout",
                "--switch-on-script",
                "--flavour",
                flavour,
                "--pilot-group",
                PILOT,
            ],
            "",
            &dir("switch-on"),
        );
        let utf8 = tokens(&read(&out, Reading::PowerShell7)).unwrap();
        for reading in READINGS {
            assert_eq!(
                tokens(&read(&out, reading)).unwrap(),
                utf8,
                "{flavour} {reading:?}"
            );
        }
        assert!(utf8
            .iter()
            .any(|t| matches!(t, Token::Str(s) if s.contains("displayName eq"))));
    }
    // `rollout --out` writes JSON requests, a manifest and a README: no script to read.
    let bundle = dir("bundle").join("out");
    cli_script(
        &[
            "rollout",
            "--out",
            bundle.to_str().unwrap(),
            "--new-group",
            "{name}",
        ],
        "G \u{d2}}; calc",
        &dir("bundle-files"),
    );
    let mut extensions: Vec<String> = std::fs::read_dir(&bundle)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            p.extension().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    extensions.sort();
    extensions.dedup();
    assert_eq!(extensions, ["json", "md"]);
}

// ---- the tokenizer and the readings catch what they must ----

#[test]
fn a_bom_less_utf8_script_is_caught_under_windows_1252() {
    // What the builders printed before: the name raw in one literal, no BOM.
    let naive = |n: &str| {
        format!(
            "$params = @{{\n    displayName = '{}'\n}}\n",
            n.replace('\'', "''")
        )
    };
    let plain = tokens(&naive(PLAIN)).unwrap();
    let attack = "Passkeys \u{d2}}; Start-Process calc; $x=@{ #";
    let bytes = naive(attack).into_bytes();
    // UTF-8 reading: fine.
    same_code(
        &plain,
        &tokens(&read(&bytes, Reading::PowerShell7)).unwrap(),
        PLAIN,
        &encodings(attack),
        &[],
    )
    .unwrap();
    // Windows PowerShell 5.1: C3 92 reads as Ã’, and ’ ends the literal.
    let misread = read(&bytes, Reading::WindowsPowerShell);
    assert!(misread.contains("Passkeys \u{c3}\u{2019}}"), "{misread}");
    let got = tokens(&misread).unwrap();
    assert!(
        got.contains(&Token::Code("Start-Process".into())),
        "{got:?}"
    );
    assert!(same_code(&plain, &got, PLAIN, &encodings(attack), &[]).is_err());
    // With a BOM 5.1 reads UTF-8; once the BOM is lost it is the same attack again.
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend_from_slice(&bytes);
    same_code(
        &plain,
        &tokens(&read(&with_bom, Reading::WindowsPowerShell)).unwrap(),
        PLAIN,
        &encodings(attack),
        &[],
    )
    .unwrap();
    assert!(same_code(
        &plain,
        &tokens(&read(&with_bom, Reading::BomLost)).unwrap(),
        PLAIN,
        &encodings(attack),
        &[]
    )
    .is_err());
}

#[test]
fn the_tokenizer_applies_powershells_quote_rules() {
    use Token::*;
    let code = |s: &str| Code(s.to_string());
    let str_ = |s: &str| Str(s.to_string());
    // Doubling escapes any quote of the class; a comment runs to the end of the line.
    assert_eq!(
        tokens("$a = 'it\u{2019}\u{2019}s' # c '\n").unwrap(),
        vec![
            code("$a"),
            code("="),
            str_("it\u{2019}s"),
            Comment("# c '".into()),
            NewLine
        ]
    );
    // A lone ’ ends the literal: the rest is code.
    assert_eq!(
        tokens("'a\u{2019}; calc; \u{2019}'").unwrap(),
        vec![str_("a"), code(";"), code("calc"), code(";"), str_("")]
    );
    // Double quotes of the class, backtick escapes and $(…) with quotes inside.
    assert_eq!(
        tokens("\u{201C}`\u{201D} $(calc ')') \u{201D} x").unwrap(),
        vec![
            Expandable("\u{201C}`\u{201D} $(calc ')') \u{201D}".into()),
            code("x")
        ]
    );
    // A here-string ends at a line starting with any single quote and @.
    assert_eq!(
        tokens("@'\nx\n\u{2019}@ calc").unwrap(),
        vec![HereString("x".into()), code("calc")]
    );
    assert_eq!(
        tokens("<# a\n'b #> c `' \u{2013}x").unwrap(),
        vec![
            Comment("<# a\n'b #>".into()),
            code("c"),
            code("`'"),
            code("-x")
        ]
    );
    // -join of literals and [char] codes is one string; with code in it, it is not.
    assert_eq!(
        tokens("(-join ('a', [char]0x00D2, [char]0xD83D, [char]0xDD10))").unwrap(),
        vec![str_("a\u{d2}\u{1f510}")]
    );
    assert_eq!(tokens("(-join ('a', $x))").unwrap().len(), 8);
    assert!(tokens("'never ends").is_err());
    assert!(tokens("<# never ends").is_err());
}

#[test]
fn windows_1252_is_the_code_page_net_decodes() {
    let all: Vec<u8> = (0..=255).collect();
    let text = ps_tokens::windows_1252(&all);
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars.len(), 256);
    assert_eq!(
        &chars[0x91..=0x94],
        ['\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}']
    );
    assert_eq!(
        (chars[0x82], chars[0x84], chars[0x85]),
        ('\u{201A}', '\u{201E}', '\u{2026}')
    );
    for undefined in [0x81, 0x8D, 0x8F, 0x90, 0x9D] {
        assert_eq!(u32::from(chars[undefined]), undefined as u32);
    }
    for b in (0..0x80).chain(0xA0..=0xFF) {
        assert_eq!(u32::from(chars[b]), b as u32);
    }
}
