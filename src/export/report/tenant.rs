//! The change against the tenant's policies, when they were read: `policy::diff`'s pairing
//! (by id, then by display name) and its words, the same the page previews before each write.

use super::document::{Block, Section};
use super::words::policy_name;
use crate::names::Labels;
use crate::policy::diff::{Names, SetDiff};
use crate::policy::Policy;

/// The diff's names: the admin's labels (the catalogue's names are added by the policy words).
pub fn diff_names(labels: &Labels) -> Names {
    let mut names = Names::default();
    for (id, name) in labels.iter() {
        names.insert(id, format!("{name} ({id})"));
    }
    names
}

pub fn tenant_section(
    tenant: &[Policy],
    files: &[Policy],
    d: &SetDiff,
    labels: &Labels,
) -> Section {
    let names = diff_names(labels);
    let mut s = Section::new(2, "Against the tenant");
    let changed = d.changed().count();
    s.push(Block::Paragraph(format!(
        "{changed} changed, {} added, {} only in the tenant (left as they are), {} equal.",
        d.added.len(),
        d.removed.len(),
        d.pairs.len() - changed
    )));
    for pair in d.changed() {
        let name = policy_name(&files[pair.after].to_post_body());
        s.push(Block::Paragraph(format!(
            "Changed: {name} (matched by {})",
            pair.matched_by.as_str()
        )));
        s.push(Block::List(
            pair.changes.iter().flat_map(|c| c.words(&names)).collect(),
        ));
    }
    let list = |set: &[Policy], idx: &[usize]| -> Vec<String> {
        idx.iter()
            .map(|&i| policy_name(&set[i].to_post_body()))
            .collect()
    };
    if !d.added.is_empty() {
        s.push(Block::Paragraph("Added (not in the tenant):".into()));
        s.push(Block::List(list(files, &d.added)));
    }
    if !d.removed.is_empty() {
        s.push(Block::Paragraph(
            "Only in the tenant (this change leaves them):".into(),
        ));
        s.push(Block::List(list(tenant, &d.removed)));
    }
    s
}
