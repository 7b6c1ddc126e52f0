//! The policy corpus under `../shared/corpus/policies`, for the tests that walk all of it.

use ca_builder::policy::{import_bytes, Policy};
use std::path::{Path, PathBuf};

/// The corpus root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/policies")
}

/// The one corpus file that is not JSON (corpus README, "Notes for test authors"), relative
/// to the root.
pub const BROKEN: &str =
    "denis-beuermann__ConditionalAccess/samples/graphapi/json/template-require-mam-android-ios.json";

/// The one corpus file with a key twice in one object (`sessionControls`: `null`, then an
/// object), relative to the root. Import refuses it, naming both keys.
pub const DUPLICATE_KEY: &str = "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/209 - RING - Base protection - All apps Require Token protection for EXO and SPO Desktop App(preview).json";

/// Every file of the corpus, sorted.
pub fn files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out)
            } else {
                out.push(p)
            }
        }
    }
    let mut out = Vec::new();
    walk(&root(), &mut out);
    out.sort();
    out
}

/// Every policy of the corpus files that import, labelled `FILE#INDEX` (the file relative to
/// the root), grouped by repository (the root's first folder) in file order.
pub fn policies_by_repo() -> Vec<(String, Vec<(String, Policy)>)> {
    let root = root();
    let mut repos: Vec<(String, Vec<(String, Policy)>)> = vec![];
    for path in files() {
        if path.ends_with(BROKEN) || path.ends_with(DUPLICATE_KEY) {
            continue;
        }
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let repo = rel.split('/').next().unwrap().to_string();
        let policies = import_bytes(&std::fs::read(&path).unwrap()).unwrap();
        if repos.last().is_none_or(|(r, _)| *r != repo) {
            repos.push((repo, vec![]));
        }
        let labelled = &mut repos.last_mut().unwrap().1;
        for (i, p) in policies.into_iter().enumerate() {
            labelled.push((format!("{rel}#{i}"), p));
        }
    }
    repos
}
