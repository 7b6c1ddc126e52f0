//! The connection as the token describes it: host, tenant, user, expiry, permissions.

use yew::prelude::*;

use super::session::{now_unix, Conn};
use crate::graph::time::format_utc;
use crate::graph::token::TokenKind;
use crate::graph::{warning_for, ExpiryStatus, GraphOp};

#[derive(Properties, PartialEq)]
pub struct ConnectionProps {
    pub conn: Conn,
}

/// Who the token is for, when it expires (re-rendered every 30 s so the warning stays
/// current) and what it cannot do.
#[function_component(Connection)]
pub fn connection(p: &ConnectionProps) -> Html {
    let tick = use_state(|| 0u32);
    {
        let tick = tick.clone();
        use_effect_with((), move |_| {
            let interval = gloo::timers::callback::Interval::new(30_000, move || {
                tick.set(tick.wrapping_add(1))
            });
            move || drop(interval)
        });
    }
    let c = &p.conn;
    let claims = c.token.claims();
    let now = now_unix();
    let (expiry_class, expiry_note) = match claims.expiry_status(now) {
        ExpiryStatus::Valid => ("", None),
        ExpiryStatus::ExpiresSoon { minutes } => (
            "field-warning",
            Some(format!("Expires in {minutes} minute{}: get a new token soon.", if minutes == 1 { "" } else { "s" })),
        ),
        ExpiryStatus::Expired => (
            "field-error",
            Some("This token has expired: Graph will refuse it (401). Get a new one and connect again.".to_string()),
        ),
    };
    let (perm_label, perms) = match claims.kind() {
        TokenKind::Delegated => ("Delegated scopes (scp)", claims.scopes.clone()),
        TokenKind::Application => ("Application permissions (roles)", claims.roles.clone()),
    };
    let missing: Vec<String> = GraphOp::ALL
        .iter()
        .filter_map(|op| warning_for(*op, claims))
        .collect();
    html! {
        <div id="graph-connection" class="graph-connection" data-cloud={c.cloud.id()}>
            <dl>
                <dt>{"Graph host"}</dt><dd>{c.cloud.host()}</dd>
                <dt>{"Tenant"}</dt><dd id="graph-tenant">{claims.tenant_id.clone().unwrap_or_else(|| "(not in the token)".into())}</dd>
                <dt>{"User"}</dt><dd id="graph-user">{claims.user.clone().unwrap_or_else(|| "(an application token: no user)".into())}</dd>
                <dt>{"Expires"}</dt><dd id="graph-expiry" class={expiry_class}>{format_utc(claims.expires_at)}</dd>
                <dt>{perm_label}</dt><dd id="graph-scopes">{if perms.is_empty() { "(none)".to_string() } else { perms.join(" ") }}</dd>
            </dl>
            if let Some(n) = expiry_note { <p class={expiry_class} role="alert" id="graph-expiry-warning">{n}</p> }
            if let Some(w) = claims.audience_warning(c.cloud) { <p class="field-error" role="alert">{format!("Audience: {w}.")}</p> }
            if !missing.is_empty() {
                <details class="graph-missing">
                    <summary>{format!("{} operation{} this token cannot perform", missing.len(), if missing.len() == 1 { "" } else { "s" })}</summary>
                    <ul>{ for missing.iter().map(|m| html! { <li>{m}</li> }) }</ul>
                </details>
            }
        </div>
    }
}
