//! Shared helpers for the analysis tests: policies from JSON, templates, personas, the corpus.

use std::path::{Path, PathBuf};

use ca_builder::analysis::whatif::personas;
use ca_builder::analysis::Scenario;
use ca_builder::policy::{import_bytes, Policy, RolloutState, Template, TemplateParams};
use serde_json::Value;

/// A declared break-glass account used across the tests.
pub const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";

pub fn policy(v: Value) -> Policy {
    import_bytes(v.to_string().as_bytes())
        .expect("test policy imports")
        .remove(0)
}

pub fn template(t: Template, state: RolloutState) -> Policy {
    t.build(&TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        state,
        ..Default::default()
    })
    .expect("template builds")
}

pub fn persona(name: &str) -> Scenario {
    personas()
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no persona {name}"))
        .1
}

pub fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/policies")
}

/// The policies of one corpus file (path relative to `corpus/policies`).
pub fn corpus(rel: &str) -> Vec<Policy> {
    let bytes = std::fs::read(corpus_root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    import_bytes(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every corpus file that imports, with its policies.
pub fn all_corpus() -> Vec<(String, Vec<Policy>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&corpus_root(), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let ps = import_bytes(&std::fs::read(&p).unwrap()).ok()?;
            Some((
                p.strip_prefix(corpus_root()).unwrap().display().to_string(),
                ps,
            ))
        })
        .collect()
}
