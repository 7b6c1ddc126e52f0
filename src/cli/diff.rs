//! `ca-policy diff [--json] [--names FILE] BEFORE AFTER`
//!
//! Compares two policy sets. Each side is a file (any shape `ca-policy import` accepts), `-`
//! for standard input (one side at most), or a folder: every `.json` file in it and in its
//! subfolders, in path order. Policies are paired by id, then by display name
//! (`policy::diff::diff_sets`); the output lists the changed policies with each change in
//! words, then the removed and the added ones. `--names FILE` is a JSON object mapping ids to
//! display names, so `excludeUsers: + <id>` reads `excludeUsers: + Break Glass 2`.
//!
//! Exit codes, as diff(1) and `git diff --exit-code` give them, because 1 is the answer
//! "different": 0 equal, 1 different, 2 trouble (usage, a file that cannot be read or does
//! not import; located `FILE:LINE:COLUMN`).

use std::path::Path;

use serde_json::{json, Value};

use super::args::DiffArgs;
use super::error::{CliError, InputError};
use super::output;
use super::usage::Family;
use crate::policy::diff::{diff_sets, Change, Names, SetDiff};
use crate::policy::{import_bytes, Policy};

/// Where a policy came from: its file and its position there.
struct Origin {
    file: String,
    index: usize,
}

/// One side of the comparison.
#[derive(Default)]
struct Set {
    policies: Vec<Policy>,
    origins: Vec<Origin>,
}

pub(crate) fn run(args: DiffArgs) -> Result<i32, CliError> {
    compare(args).map_err(CliError::trouble)
}

fn compare(args: DiffArgs) -> Result<i32, CliError> {
    let (Some(before), Some(after)) = (args.before, args.after) else {
        return Err(CliError::usage(Family::Diff, "expected BEFORE and AFTER"));
    };
    if before == "-" && after == "-" {
        return Err(CliError::usage(
            Family::Diff,
            "BEFORE and AFTER cannot both be standard input",
        ));
    }
    let names = match &args.names {
        None => Names::default(),
        Some(file) => {
            let bytes = std::fs::read(file).map_err(|e| CliError::unreadable(file, e))?;
            Names::read(&bytes).map_err(|e| CliError::located(file, e))?
        }
    };
    let (before, after) = (read_side(&before)?, read_side(&after)?);
    let d = diff_sets(&before.policies, &after.policies);
    let written = if args.json {
        output::json(&as_json(&d, &before, &after, &names))
    } else {
        output::text(&as_text(&d, &before, &after, &names))
    };
    // A failed write is trouble (2), not the answer "different" (1).
    Ok(if written != 0 {
        2
    } else {
        i32::from(!d.is_equal())
    })
}

/// The policies of a file, of standard input, or of every `.json` file under a folder.
fn read_side(arg: &str) -> Result<Set, CliError> {
    let mut set = Set::default();
    let path = Path::new(arg);
    if arg != "-" && path.is_dir() {
        let mut files = vec![];
        json_files(path, &mut files).map_err(|e| CliError::unreadable(arg, e))?;
        if files.is_empty() {
            return Err(CliError::Input(InputError::NoPolicy {
                source: format!("{arg} (a folder without .json files)"),
            }));
        }
        for f in files {
            read_file(&f.to_string_lossy(), &mut set)?;
        }
    } else {
        read_file(arg, &mut set)?;
    }
    Ok(set)
}

/// `.json` files (any case) under `dir`, sorted by path; links to folders are not followed,
/// so a loop of links cannot make the walk endless.
fn json_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if e.file_type()?.is_dir() {
            json_files(&p, out)?;
        } else if p
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("json"))
        {
            out.push(p);
        }
    }
    Ok(())
}

fn read_file(file: &str, set: &mut Set) -> Result<(), CliError> {
    let source = super::source_name(Some(file));
    let bytes = super::file_or_stdin(Some(file)).map_err(|e| CliError::unreadable(&source, e))?;
    let policies = import_bytes(&bytes).map_err(|e| CliError::located(&source, e))?;
    for (index, p) in policies.into_iter().enumerate() {
        set.origins.push(Origin {
            file: source.clone(),
            index,
        });
        set.policies.push(p);
    }
    Ok(())
}

fn display_name(p: &Policy) -> String {
    match p.display_name.value() {
        Some(n) => format!("{n:?}"),
        None => "(no display name)".into(),
    }
}

fn id_part(p: &Policy) -> String {
    match p.id.value() {
        Some(id) => format!("id {id}; "),
        None => String::new(),
    }
}

fn as_text(d: &SetDiff, before: &Set, after: &Set, names: &Names) -> String {
    let mut out = String::new();
    for pair in d.changed() {
        let b = &before.policies[pair.before];
        let (bo, ao) = (&before.origins[pair.before], &after.origins[pair.after]);
        out.push_str(&format!(
            "changed: {} ({}{}#{} \u{2192} {}#{}, matched by {})\n",
            display_name(b),
            id_part(b),
            bo.file,
            bo.index,
            ao.file,
            ao.index,
            pair.matched_by.as_str()
        ));
        for c in &pair.changes {
            for line in c.words(names) {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    for (what, set, indices) in [("removed", before, &d.removed), ("added", after, &d.added)] {
        for &i in indices {
            let (p, o) = (&set.policies[i], &set.origins[i]);
            out.push_str(&format!(
                "{what}: {} ({}{}#{})\n",
                display_name(p),
                id_part(p),
                o.file,
                o.index
            ));
        }
    }
    let changed = d.changed().count();
    out.push_str(&format!(
        "{changed} changed, {} added, {} removed, {} equal\n",
        d.added.len(),
        d.removed.len(),
        d.pairs.len() - changed
    ));
    out
}

fn reference(set: &Set, i: usize) -> Value {
    let (p, o) = (&set.policies[i], &set.origins[i]);
    json!({
        "file": o.file,
        "index": o.index,
        "id": p.id.value(),
        "displayName": p.display_name.value(),
    })
}

fn change_json(c: &Change, names: &Names) -> Value {
    let mut v = json!({
        "path": c.path,
        "before": c.before,
        "after": c.after,
    });
    if let Some((added, removed)) = c.entries() {
        v["added"] = json!(added);
        v["removed"] = json!(removed);
    }
    v["words"] = json!(c.words(names));
    v
}

fn as_json(d: &SetDiff, before: &Set, after: &Set, names: &Names) -> String {
    let changed: Vec<Value> = d
        .changed()
        .map(|p| {
            json!({
                "matchedBy": p.matched_by.as_str(),
                "before": reference(before, p.before),
                "after": reference(after, p.after),
                "changes": p.changes.iter().map(|c| change_json(c, names)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let v = json!({
        "equal": d.is_equal(),
        "changed": changed,
        "removed": d.removed.iter().map(|&i| reference(before, i)).collect::<Vec<_>>(),
        "added": d.added.iter().map(|&i| reference(after, i)).collect::<Vec<_>>(),
        "unchanged": d.pairs.len() - d.changed().count(),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
