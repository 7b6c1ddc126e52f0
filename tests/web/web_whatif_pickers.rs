//! What-If's persona fields as pickers (issue 14): connected, the user is found by name through
//! Graph's `$search` (here a stand-in for `fetch` that answers as Graph does), choosing it puts
//! the id into the persona and the name beside it and into the draft's labels, and the result
//! follows; offline, a built-in role and a well-known Microsoft application are found by name in
//! the catalogue, and a pasted id nothing names stays an id with "connect to look it up".

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_sys::Element;

use ca_builder::app::draft::Draft;

use crate::support::{
    click, connect_graph, mount, mouse_down, press, set_select, storage, text_of, tick, type_into,
    value_of,
};

const ALICE: &str = "a11ce000-0000-4000-8000-000000000001";
const CA_ADMIN: &str = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";
const CA_ADMIN_NAME: &str = "Conditional Access Administrator";
const TEAMS: &str = "1fec8e78-bce4-4aaf-ab1b-5451cc387264";
const UNKNOWN: &str = "8a1c3b5e-2f4d-4e6a-9b7c-0d1e2f3a4b5c";

/// The autosaved draft.
fn saved() -> Draft {
    let text = storage()
        .get_item("ca-builder.draft")
        .unwrap()
        .expect("the draft is autosaved");
    Draft::from_json(&text).unwrap().draft
}

fn js(code: &str) -> JsValue {
    js_sys::Function::new_no_args(code)
        .call0(&JsValue::NULL)
        .unwrap()
}

/// Replaces `fetch` with a stand-in for graph.microsoft.com: `GET /v1.0/users?$search=…`
/// answers Alice Doe when a `displayName` or `userPrincipalName` clause's term starts her name,
/// and refuses a `$search` without `ConsistencyLevel: eventual` as Graph does; anything else on
/// Graph is a 404; other hosts go to the real `fetch`. Every Graph request is recorded in
/// `window.__graphRequests` (its URL and whether it carried the header and a bearer token).
fn fake_graph() {
    js(r#"
        window.__realFetch = window.__realFetch || window.fetch;
        window.__graphRequests = [];
        const json = (status, body) => Promise.resolve(new Response(JSON.stringify(body),
            { status, headers: { 'Content-Type': 'application/json' } }));
        window.fetch = function (input, init) {
            const request = new Request(input, init);
            if (!request.url.startsWith('https://graph.microsoft.com/')) {
                return window.__realFetch.call(window, input, init);
            }
            const consistency = request.headers.get('ConsistencyLevel');
            window.__graphRequests.push({ url: request.url, consistency,
                bearer: (request.headers.get('Authorization') || '').startsWith('Bearer ') });
            const url = new URL(request.url);
            const search = url.searchParams.get('$search');
            if (url.pathname === '/v1.0/users' && search !== null) {
                if (consistency !== 'eventual') {
                    return json(400, { error: { code: 'Request_UnsupportedQuery', message: 'ConsistencyLevel: eventual is required' } });
                }
                const terms = [...search.matchAll(/"(displayName|userPrincipalName):([^"]*)"/g)].map(m => m[2].toLowerCase());
                const alice = { id: 'a11ce000-0000-4000-8000-000000000001', displayName: 'Alice Doe', userPrincipalName: 'alice@contoso.com' };
                const hit = terms.some(t => t && ('alice doe'.startsWith(t) || 'doe'.startsWith(t) || alice.userPrincipalName.startsWith(t)));
                return json(200, { '@odata.count': hit ? 1 : 0, value: hit ? [alice] : [] });
            }
            return json(404, { error: { code: 'Request_ResourceNotFound', message: 'not in this test' } });
        };
        return null;
    "#);
}

fn real_fetch() {
    js("if (window.__realFetch) { window.fetch = window.__realFetch; } return null;");
}

/// The Graph requests the stand-in saw, as JSON text.
fn graph_requests() -> String {
    js("return JSON.stringify(window.__graphRequests || [])")
        .as_string()
        .unwrap()
}

/// Opens the first phase whose screen holds `css` (the page without phases shows it at once).
async fn open_screen_with(root: &Element, css: &str) {
    if root.query_selector(css).unwrap().is_some() {
        return;
    }
    for phase in ["pilot", "everyone", "harden", "prepare", "watch"] {
        let nav = format!("#phase-nav [data-phase={phase}]");
        if root.query_selector(&nav).unwrap().is_some() {
            click(root, &nav).await;
            if root.query_selector(css).unwrap().is_some() {
                return;
            }
        }
    }
    panic!("{css} on no screen")
}

/// Imports one enabled policy that blocks every app for the users `users` names
/// (`"includeUsers": [...]` or `"includeRoles": [...]`).
async fn import_block(root: &Element, name: &str, users: &str) {
    let policy = format!(
        r#"{{"displayName": "{name}", "state": "enabled",
            "conditions": {{"users": {{{users}}}, "applications": {{"includeApplications": ["All"]}}, "clientAppTypes": ["all"]}},
            "grantControls": {{"operator": "OR", "builtInControls": ["block"]}}}}"#
    );
    open_screen_with(root, "#import-text").await;
    type_into(root, "#import-text", &policy).await;
    click(root, "#import-apply").await;
}

fn outcome(root: &Element) -> String {
    root.query_selector("#whatif-result")
        .unwrap()
        .expect("the What-If result")
        .get_attribute("data-outcome")
        .unwrap()
}

/// The text of `css` once it is there (a search waits for its debounce, then for `fetch`).
async fn eventually(root: &Element, css: &str) -> String {
    for _ in 0..100 {
        if let Some(t) = text_of(root, css) {
            return t;
        }
        tick().await;
    }
    panic!("{css} never appeared")
}

fn count(root: &Element, css: &str) -> u32 {
    root.query_selector_all(css).unwrap().length()
}

/// Types `text` into the picker `picker` (its element id) and chooses the suggestion `id` with
/// the mouse, as an admin would; the other What-If tests choose their ids with it.
pub async fn choose(root: &Element, picker: &str, text: &str, id: &str) {
    type_into(root, &format!("#{picker}-input"), text).await;
    let option = format!("#{picker}-list li[data-id=\"{id}\"]");
    eventually(root, &option).await;
    mouse_down(root, &option).await;
    tick().await;
}

#[wasm_bindgen_test]
async fn connected_the_what_if_user_is_found_by_name_and_the_result_follows_the_choice() {
    let (root, handle) = mount().await;
    import_block(
        &root,
        "Block Alice",
        &format!(r#""includeUsers": ["{ALICE}"]"#),
    )
    .await;
    fake_graph();
    connect_graph(&root).await;
    open_screen_with(&root, "#whatif-user-input").await;
    // The token may search users (User.Read.All) but not list the directory roles: each picker
    // says what it lacks before anything is typed.
    assert!(text_of(&root, "#whatif-user .graph-permission-warning").is_none());
    let lacks = text_of(&root, "#whatif-roles .graph-permission-warning")
        .expect("the roles picker names the permission it lacks");
    assert!(lacks.contains("RoleManagement.Read.Directory"), "{lacks}");
    set_select(&root, "#whatif-resource", "app").await;
    assert_ne!(
        outcome(&root),
        "blocked",
        "the default persona is not Alice"
    );
    assert_eq!(
        root.query_selector("#whatif-user-input")
            .unwrap()
            .unwrap()
            .get_attribute("data-picker")
            .as_deref(),
        Some("user")
    );

    type_into(&root, "#whatif-user-input", "ali").await;
    let option = format!("#whatif-user-list li[data-id=\"{ALICE}\"]");
    let suggested = eventually(&root, &option).await;
    assert!(suggested.contains("Alice Doe"), "{suggested}");
    assert!(suggested.contains("alice@contoso.com"), "{suggested}");
    let requests = graph_requests();
    real_fetch();
    assert!(
        requests.contains("/v1.0/users?$search=")
            && requests.contains(r#""consistency":"eventual""#)
            && requests.contains(r#""bearer":true"#),
        "{requests}"
    );

    mouse_down(&root, &option).await;
    tick().await;
    let chip = text_of(&root, &format!("#whatif-user li.chip[data-id=\"{ALICE}\"]"))
        .expect("Alice is the persona's user");
    assert!(chip.contains(&format!("Alice Doe ({ALICE})")), "{chip}");
    assert_eq!(
        count(&root, "#whatif-user li.chip"),
        1,
        "one user: replaced"
    );
    assert_eq!(value_of(&root, "#whatif-user-input"), "");
    assert_eq!(outcome(&root), "blocked", "the block on Alice now applies");
    let result = text_of(&root, "#whatif-result").unwrap();
    assert!(result.contains("Block Alice"), "{result}");
    // The policy-by-policy reasons name her too (the label the choice kept).
    let breakdown = text_of(&root, "#whatif-policies").unwrap();
    assert!(
        breakdown.contains(&format!("Alice Doe ({ALICE})")),
        "{breakdown}"
    );
    let request = text_of(&root, "#whatif-request").expect("the evaluate request");
    assert!(
        request.contains(&format!("\"userId\": \"{ALICE}\"")),
        "{request}"
    );
    // The name is kept as the draft's label; the persona is not the draft.
    let d = saved();
    assert_eq!(d.labels.get(ALICE), Some("Alice Doe"));
    assert!(!d.break_glass.users.contains(&ALICE.to_string()));
    handle.destroy();
}

#[wasm_bindgen_test]
async fn offline_a_built_in_role_and_a_microsoft_app_are_found_by_name_and_removing_undoes_the_result(
) {
    let (root, handle) = mount().await;
    import_block(
        &root,
        "Block CA admins",
        &format!(r#""includeRoles": ["{CA_ADMIN}"]"#),
    )
    .await;
    open_screen_with(&root, "#whatif-roles-input").await;
    set_select(&root, "#whatif-resource", "app").await;
    assert_ne!(outcome(&root), "blocked");

    type_into(&root, "#whatif-roles-input", "conditional acc").await;
    let option = format!("#whatif-roles-list li[data-id=\"{CA_ADMIN}\"]");
    let suggested = text_of(&root, &option).expect("the catalogue's role by name");
    assert!(suggested.contains(CA_ADMIN_NAME), "{suggested}");
    assert_eq!(count(&root, "#whatif-roles-list li[data-id]"), 1);
    press(&root, "#whatif-roles-input", "Enter").await;
    tick().await;
    let chip = format!("#whatif-roles li.chip[data-id=\"{CA_ADMIN}\"]");
    let shown = text_of(&root, &chip).expect("the role is the persona's");
    assert!(
        shown.contains(&format!("{CA_ADMIN_NAME} ({CA_ADMIN})")),
        "{shown}"
    );
    assert_eq!(outcome(&root), "blocked");
    let breakdown = text_of(&root, "#whatif-policies").unwrap();
    assert!(breakdown.contains(CA_ADMIN_NAME), "{breakdown}");
    assert_eq!(saved().labels.get(CA_ADMIN), Some(CA_ADMIN_NAME));

    click(&root, &format!("{chip} button")).await;
    assert!(text_of(&root, &chip).is_none());
    assert_ne!(
        outcome(&root),
        "blocked",
        "the role is gone from the persona"
    );

    // A well-known Microsoft application, by name from the catalogue, replaces the default one.
    type_into(&root, "#whatif-app-input", "microsoft tea").await;
    assert!(
        count(&root, "#whatif-app-list li[data-id]") >= 2,
        "Teams and its kin"
    );
    choose(&root, "whatif-app", "microsoft tea", TEAMS).await;
    let app = text_of(&root, "#whatif-app .chips").unwrap();
    assert_eq!(app, format!("Microsoft Teams ({TEAMS})×"));
    let request = text_of(&root, "#whatif-request").unwrap();
    assert!(request.contains(TEAMS), "{request}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn offline_a_pasted_group_id_nothing_names_stays_an_id_that_says_to_connect() {
    let (root, handle) = mount().await;
    open_screen_with(&root, "#whatif-groups-input").await;
    let input = "#whatif-groups-input";
    type_into(&root, input, "pilot").await;
    let note = text_of(&root, "#whatif-groups [role=status]").expect("a note");
    assert!(note.contains("connect"), "{note}");
    type_into(&root, input, UNKNOWN).await;
    let option = format!("#whatif-groups-list li[data-id=\"{UNKNOWN}\"]");
    assert!(text_of(&root, &option)
        .unwrap()
        .contains("connect to look it up"));
    choose(&root, "whatif-groups", UNKNOWN, UNKNOWN).await;
    let chip = text_of(
        &root,
        &format!("#whatif-groups li.chip[data-id=\"{UNKNOWN}\"]"),
    )
    .expect("chosen");
    assert_eq!(
        chip.trim_end_matches('×'),
        format!("{UNKNOWN} (connect to look it up)")
    );
    assert!(saved().labels.get(UNKNOWN).is_none(), "no name is made up");
    handle.destroy();
}
