//! `ca-policy report`: golden Markdown for every template and for the corpus (one document per
//! corpus repository); hostile names (and display names) shown as text in the HTML and the
//! Markdown, never as markup; the HTML page self-contained (a CSP forbidding every fetch, no
//! URL it would load); the CLI's formats and exit codes.
//! `INSTA_UPDATE=always cargo test --test native report::` rewrites the snapshots.

use crate::support::cli;
use crate::support::corpus;
use crate::support::hostile::{random_text, Rng, FLOOD, NON_ASCII};

use ca_builder::analysis::bootstrap::MethodsPolicy;
use ca_builder::app::report::{document, ReportRequest};
use ca_builder::export::report::{escape, html, markdown};
use ca_builder::names::Labels;
use ca_builder::policy::templates::{Template, TemplateParams};
use ca_builder::policy::Policy;
use serde_json::json;

const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";

fn labels() -> Labels {
    let mut l = Labels::new();
    l.insert(BREAK_GLASS, "Break Glass 1").unwrap();
    l.insert(PILOT, "Passkey pilot").unwrap();
    l
}

fn template(t: Template) -> Policy {
    let p = TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        pilot_group: (t == Template::Pilot).then(|| PILOT.to_string()),
        ..Default::default()
    };
    t.build(&p).unwrap()
}

#[test]
fn every_template_as_markdown() {
    for t in Template::ALL {
        let r = ReportRequest {
            policies: vec![template(t)],
            labels: labels(),
            methods: Some(MethodsPolicy::default()),
            pilot_group: PILOT.into(),
            tenant: None,
        };
        insta::assert_snapshot!(
            format!("report_template_{}", t.name()),
            markdown(&document(&r))
        );
    }
}

#[test]
fn the_corpus_as_markdown() {
    let repos: Vec<(String, Vec<Policy>)> = corpus::policies_by_repo()
        .into_iter()
        .map(|(repo, labelled)| (repo, labelled.into_iter().map(|(_, p)| p).collect()))
        .collect();
    assert!(repos.len() >= 4, "{}", repos.len());
    for (repo, policies) in repos {
        let n = policies.len();
        let r = ReportRequest {
            policies,
            labels: Labels::new(),
            ..Default::default()
        };
        let md = markdown(&document(&r));
        // Every policy has its section, numbered in order.
        assert!(md.contains(&format!("\n### {n}. ")), "{repo}");
        insta::assert_snapshot!(format!("report_corpus_{repo}"), md);
    }
}

/// The tags the writer emits; anything else starting with `<` would be markup from data.
const TAGS: &[&str] = &[
    "!DOCTYPE",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "section",
    "p",
    "dl",
    "dt",
    "dd",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "pre",
    "figure",
    "figcaption",
    "svg",
    "text",
    "g",
    "rect",
];

fn assert_only_our_tags(html: &str) {
    for (i, _) in html.match_indices('<') {
        let rest = html[i + 1..].trim_start_matches('/');
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == 'D')
            .collect();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected markup at {i}: {:?}",
            &html[i..(i + 40).min(html.len())]
        );
    }
    assert_eq!(html.matches("<style>").count(), 1);
    assert_eq!(html.matches("</style>").count(), 1);
    assert_eq!(html.matches("<script").count(), 0);
}

const HTML_PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "</style><style>*{display:none}",
    "&amp;",
    "&#x3c;",
    "<!--",
    "]]>",
    "' onmouseover='x",
    "<svg onload=alert(1)>",
    "`",
    "*bold*",
    "| cell |",
    "\n# heading",
    "[link](https://example.com)",
];

#[test]
fn hostile_names_are_text_in_html_and_markdown() {
    let mut rng = Rng::new("report-hostile");
    for round in 0..40 {
        let mut pieces: Vec<&str> = HTML_PIECES.to_vec();
        pieces.extend(FLOOD);
        pieces.extend(NON_ASCII);
        let display = random_text(&mut rng, &pieces, 60, round % 2 == 0);
        // A label may not hold control characters (the labels refuse them); the rest may.
        let label: String = random_text(&mut rng, HTML_PIECES, 40, false)
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        let mut labels = Labels::new();
        labels.insert(BREAK_GLASS, &label).unwrap();
        let mut p = template(Template::ProtectRegistration);
        p.display_name = ca_builder::policy::Field::Value(display.clone());
        let r = ReportRequest {
            policies: vec![p.clone()],
            labels: labels.clone(),
            methods: Some(MethodsPolicy::default()),
            pilot_group: PILOT.into(),
            tenant: Some(vec![template(Template::ProtectRegistration)]),
        };
        let d = document(&r);
        let page = html(&d);
        assert_only_our_tags(&page);
        let shown = escape(labels.get(BREAK_GLASS).unwrap());
        assert!(page.contains(&shown), "round {round}: {shown}");
        let md = markdown(&d);
        // Outside code blocks (JSON bodies, shown as written) no line starts a heading from
        // the data, and no markup from it survives unescaped.
        let mut in_code = false;
        for line in md.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if in_code {
                continue;
            }
            if line.starts_with('#') {
                assert!(
                    line.starts_with("# Change document")
                        || line.starts_with("## ")
                        || line.starts_with("### "),
                    "round {round}: {line:?}"
                );
            }
            for bad in ["[link](", "| cell |", "*bold*"] {
                assert!(!line.contains(bad), "round {round}: {bad} in {line:?}");
            }
            for (k, _) in line.match_indices('<') {
                assert!(
                    line[..k].ends_with('\\'),
                    "round {round}: an unescaped < in {line:?}"
                );
            }
        }
        assert!(!in_code, "round {round}: a code block left open");
    }
}

#[test]
fn the_page_loads_nothing() {
    let r = ReportRequest {
        policies: Template::ALL.iter().map(|&t| template(t)).collect(),
        labels: labels(),
        methods: Some(MethodsPolicy::default()),
        pilot_group: PILOT.into(),
        tenant: None,
    };
    let page = html(&document(&r));
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'"
    ));
    for bad in [
        "src=", "href=", "url(", "@import", "<link", "<script", "<iframe",
    ] {
        assert!(!page.contains(bad), "{bad}");
    }
    assert!(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"grid\""));
    assert!(page.contains("@page"), "print rules");
    assert!(page.contains("break-inside: avoid"), "no cut rows");
}

#[test]
fn the_cli_writes_both_formats_and_says_what_is_wrong() {
    let policy = serde_json::to_vec(&template(Template::Pilot).to_post_body()).unwrap();
    let file = cli::temp_file("report", "pilot.json", &policy);
    let file = file.to_str().unwrap();
    let names = cli::temp_file(
        "report",
        "names.json",
        json!({ BREAK_GLASS: "Break Glass 1" })
            .to_string()
            .as_bytes(),
    );
    let names = names.to_str().unwrap();

    let md = cli::ca_policy(&["report", "--names", names, file], b"");
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(md.stdout.starts_with("# Change document"));
    assert!(md
        .stdout
        .contains(&format!("Break Glass 1 ({BREAK_GLASS})")));

    let page = cli::ca_policy(&["report", "--format", "html", file], b"");
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert!(page.stdout.starts_with("<!DOCTYPE html>"));

    let tenant = cli::ca_policy(&["report", "--tenant", file, file], b"");
    assert_eq!(tenant.code, 0, "{}", tenant.stderr);
    assert!(tenant
        .stdout
        .contains("0 changed, 0 added, 0 only in the tenant (left as they are), 1 equal."));

    let bad_names = cli::temp_file("report", "bad-names.json", b"{\"not-an-id\": \"x\"}");
    let r = cli::ca_policy(
        &["report", "--names", bad_names.to_str().unwrap(), file],
        b"",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("is not a GUID"), "{}", r.stderr);

    let broken = cli::temp_file("report", "broken.json", b"{\n  \"displayName\": \n");
    let r = cli::ca_policy(&["report", broken.to_str().unwrap()], b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("broken.json:"), "{}", r.stderr);

    assert_eq!(cli::ca_policy(&["report"], b"").code, 2);
    assert_eq!(
        cli::ca_policy(&["report", "--format", "pdf", file], b"").code,
        2
    );
}

#[test]
fn against_the_tenant_a_changed_policy_is_updated_and_its_rollback_restores_the_tenants_body() {
    const ID: &str = "4d2c7a9e-1b3f-4e5d-8c6b-7a9f0e1d2c3b";
    const BG2: &str = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e";
    let mut in_tenant = template(Template::Pilot);
    in_tenant.id = ca_builder::policy::Field::Value(ID.into());
    let mut file = in_tenant.clone();
    ca_builder::policy::edit::IdList::ExcludeUsers
        .set(&mut file, vec![BREAK_GLASS.into(), BG2.into()]);
    let mut only_in_tenant = template(Template::Hardening);
    only_in_tenant.display_name = ca_builder::policy::Field::Value("Legacy block".into());
    let mut l = labels();
    l.insert(BG2, "Break Glass 2").unwrap();
    let r = ReportRequest {
        policies: vec![file, template(Template::ProtectRegistration)],
        labels: l,
        methods: None,
        pilot_group: PILOT.into(),
        tenant: Some(vec![in_tenant, only_in_tenant]),
    };
    let md = markdown(&document(&r));
    assert!(
        md.contains("1 changed, 1 added, 1 only in the tenant (left as they are), 0 equal."),
        "{md}"
    );
    assert!(
        md.contains(&format!(
            "conditions.users.excludeUsers: + Break Glass 2 ({BG2})"
        )),
        "{md}"
    );
    assert!(
        md.contains(&format!(
            "| PATCH /identity/conditionalAccess/policies/{ID} |"
        )),
        "{md}"
    );
    assert!(md.contains("\n- Legacy block\n"), "{md}");
    // The rollback of the update sends the tenant's exclusions back: without Break Glass 2.
    let at = md
        .find("Restore the previous body")
        .expect("an update's rollback");
    let body = &md[at..];
    let body = &body[body.find("```json\n").unwrap()..];
    let body = &body[..body[3..].find("```").unwrap() + 3];
    assert!(body.contains(BREAK_GLASS) && !body.contains(BG2), "{body}");
    // The new policy is created, and its rollback switches it off.
    assert!(
        md.contains("Create \"Require MFA to register security info\" in Report-only"),
        "{md}"
    );
}
