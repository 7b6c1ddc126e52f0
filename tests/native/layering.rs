//! The crate's layers, as `src/lib.rs` documents them, held by reading every `crate::…` path
//! in `src/`: a module may use only modules of a lower layer. A new import that points up or
//! sideways (and so could close a cycle) fails here, naming the file and line.

use std::fs;
use std::path::{Path, PathBuf};

/// Layer of each top-level module; lower layers never import higher ones, and modules of
/// one layer do not import each other.
const LAYERS: &[(&str, u8)] = &[
    ("guid", 0),
    ("located", 0),
    ("sort", 0),
    ("filter", 1),
    ("names", 1),
    ("policy", 2),
    ("builders", 3),
    ("export", 4),
    ("analysis", 4),
    ("graph", 5),
    ("app", 6),
    ("ui", 7),
    ("cli", 7),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|&(_, l)| l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/filter/lexer.rs` → `filter`); `None` for the
/// crate root and the binaries, which may use everything.
fn owner(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    match name {
        "lib" | "main" | "bin" => None,
        _ => Some(name.to_string()),
    }
}

/// Every `crate::name` in a line of code (comments stripped), also inside `use crate::{a, b}`.
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

#[test]
fn imports_point_down_the_layers_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut violations = Vec::new();
    let mut unknown = Vec::new();
    for file in &files {
        let Some(module) = owner(&src, file) else {
            continue;
        };
        let Some(own) = layer(&module) else {
            unknown.push(format!("{} (module `{module}`)", file.display()));
            continue;
        };
        let text = fs::read_to_string(file).expect("source is UTF-8");
        for (n, line) in text.lines().enumerate() {
            for used in crate_paths(line) {
                if used == module {
                    continue;
                }
                let ok = layer(&used).is_some_and(|l| l < own);
                if !ok {
                    violations.push(format!(
                        "{}:{}: `{module}` (layer {own}) uses `crate::{used}` ({})",
                        file.strip_prefix(&src).unwrap_or(file).display(),
                        n + 1,
                        layer(&used).map_or("not a layer".to_string(), |l| format!("layer {l}"))
                    ));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "top-level modules missing from LAYERS (add them where they belong):\n{}",
        unknown.join("\n")
    );
    assert!(
        violations.is_empty(),
        "imports that point up or sideways:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_reader_sees_grouped_and_nested_paths() {
    assert_eq!(
        crate_paths("use crate::{filter, policy::Policy};"),
        ["filter", "policy"]
    );
    assert_eq!(
        crate_paths("let x = crate::export::to_json(p); // crate::ui"),
        ["export"]
    );
    assert!(crate_paths("// use crate::ui;").is_empty());
}
