//! The change document a change-approval board reads: the rollout's phases and order, every
//! policy in plain words with names beside ids, the passkey and Temporary Access Pass settings
//! and what each PATCH changes, the bootstrap proof's persona × device grid as a picture, the
//! permissions each step needs, the rollback for each step and, when the tenant's policies
//! were read, the diff against them. Written as Markdown or as one self-contained HTML page
//! (inline CSS and SVG, no request of its own, printable on A4 and Letter).
//!
//! Pure: the application layer runs the proof and hands over the grid as data, and hands down
//! the permission names (the graph layer's table), so this module imports neither.
//!
//! Layout: `document` the document as data; `words` a policy in words; `methods` the method
//! settings; `plan` phases, permissions and rollback; `tenant` the diff; `svg` the grid
//! picture; `markdown` and `html` the two writers.

mod document;
mod html;
mod markdown;
mod methods;
mod plan;
mod svg;
mod tenant;
mod words;

pub use document::{Block, Document, Section};
pub use html::{escape, html};
pub use markdown::markdown;
pub use methods::{restore_body, MethodChange, MethodsPart};
pub use plan::{Action, Permission, Permissions};
pub use svg::{grid_svg, GridCell, GridPicture};
pub use words::{policy_section, state_words};

use crate::names::Labels;
use crate::policy::diff::diff_sets;
use crate::policy::Policy;

/// Everything the document says.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub policies: &'a [Policy],
    pub labels: &'a Labels,
    pub methods: Option<&'a MethodsPart>,
    pub grid: Option<&'a GridPicture>,
    pub permissions: &'a Permissions,
    /// The tenant's policies, when they were read.
    pub tenant: Option<&'a [Policy]>,
}

/// The document in the order a reviewer reads it.
pub fn document(input: &ReportInput) -> Document {
    let diff = input.tenant.map(|t| diff_sets(t, input.policies));
    let tenant = input.tenant.zip(diff.as_ref());
    let (order, permissions, rollback) =
        plan::plan_sections(input.policies, input.methods, tenant, input.permissions);
    let mut summary = Section::new(2, "Summary");
    let on = input
        .policies
        .iter()
        .filter(|p| p.to_post_body().get("state").and_then(|s| s.as_str()) != Some("disabled"))
        .count();
    summary.push(Block::Paragraph(format!(
        "{} Conditional Access {}, {on} to be switched On after a Report-only review{}.",
        input.policies.len(),
        if input.policies.len() == 1 {
            "policy"
        } else {
            "policies"
        },
        match input.methods {
            Some(m) => format!(", and {} authentication method settings", m.changes.len()),
            None => String::new(),
        }
    )));
    let mut sections = vec![summary, order];
    sections.push(Section::new(2, "The policies in words"));
    sections.extend(
        input
            .policies
            .iter()
            .enumerate()
            .map(|(i, p)| words::policy_section(i + 1, p, input.labels)),
    );
    if let Some(m) = input.methods {
        sections.extend(methods::methods_sections(m));
    }
    if let Some(g) = input.grid {
        let mut s = Section::new(2, "Bootstrap proof: personas × devices");
        s.push(Block::Paragraph(
            "Can each persona register a passkey in Microsoft Authenticator and sign in with it, on each device? Ready or Blocked, with the blocking policy.".into(),
        ));
        s.push(Block::Grid(g.clone()));
        if !g.notes.is_empty() {
            s.push(Block::List(g.notes.clone()));
        }
        sections.push(s);
    }
    sections.push(permissions);
    sections.push(rollback);
    if let (Some(t), Some(d)) = (input.tenant, &diff) {
        sections.push(tenant::tenant_section(t, input.policies, d, input.labels));
    }
    Document {
        title: "Change document: Conditional Access passkey rollout".into(),
        sections,
    }
}
