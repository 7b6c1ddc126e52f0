//! A checker for generated PowerShell: parse with the tree-sitter PowerShell grammar, then
//! apply PowerShell's own tokenizer rules where the grammar is looser than PowerShell.
//!
//! The grammar knows only ASCII quotes, but PowerShell's tokenizer (`CharTraits.cs`) also
//! treats `‘ ’ ‚ ‛` as single quotes and `“ ” „` as double quotes, and dashes `– — ―` as `-`.
//! So a naive `'it’s'` parses as one literal in tree-sitter while PowerShell ends the literal
//! at `’`. The checker closes that gap in two ways:
//! - every single-quoted literal is decoded by PowerShell's rule (any quote-class char pairs
//!   with any other; a lone one ends the literal), and a literal that PowerShell would end
//!   somewhere else than the grammar did is a violation;
//! - outside literals and comments the script must be pure ASCII, so no Unicode quote or dash
//!   can change how PowerShell tokenizes code.
//!
//! A string value is either one single-quoted literal or, for text outside printable ASCII,
//! `(-join (…))` of literals and `[char]0xHHHH` casts (UTF-16 code units); both are decoded to
//! the string PowerShell builds.
//!
//! The quote sets below are written from the reference (powershell-graph.md §B.1), not taken
//! from the exporter, so the checker does not trust the code it checks.

use serde_json::{Map, Number, Value};
use tree_sitter::{Node, Parser, Tree};

const SINGLE_QUOTES: [char; 5] = ['\u{27}', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

fn is_single_quote(c: char) -> bool {
    SINGLE_QUOTES.contains(&c)
}

/// Decodes the source text of a single-quoted literal by PowerShell's rules
/// (`tokenizer.cs` `ScanStringLiteral`): inside, two quote-class characters in a row give the
/// second one; a lone quote-class character ends the literal. Errors when PowerShell would end
/// the literal before the end of `raw` (the rest would be parsed as code) or not at all.
pub fn decode_single_quoted(raw: &str) -> Result<String, String> {
    let mut chars = raw.chars().peekable();
    match chars.next() {
        Some(c) if is_single_quote(c) => {}
        _ => return Err(format!("not a single-quoted literal: {raw:?}")),
    }
    let mut out = String::new();
    while let Some(c) = chars.next() {
        if !is_single_quote(c) {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some(&next) if is_single_quote(next) => {
                out.push(next);
                chars.next();
            }
            _ => {
                let rest: String = chars.collect();
                return if rest.is_empty() {
                    Ok(out)
                } else {
                    Err(format!(
                        "PowerShell ends this literal early at {c:?}; it would run {rest:?} as code"
                    ))
                };
            }
        }
    }
    Err(format!(
        "PowerShell would not end this literal where the grammar does: {raw:?}"
    ))
}

/// A parsed script that passed the structural checks.
pub struct Checked {
    pub source: String,
    pub tree: Tree,
    /// Names of the commands invoked, in source order.
    pub commands: Vec<String>,
    /// Every string value (a literal, or a `-join` of literals and `[char]` codes as one value),
    /// decoded, in source order.
    pub literals: Vec<String>,
}

fn position(node: Node) -> String {
    let p = node.start_position();
    format!("{}:{}", p.row + 1, p.column + 1)
}

fn text<'s>(node: Node, source: &'s str) -> &'s str {
    &source[node.byte_range()]
}

/// Parses `source` and checks it: no ERROR or MISSING node; every string literal is
/// single-quoted and decodes by PowerShell's rules exactly where the grammar put it; code
/// outside literals and comments is ASCII; every command is invoked by name and is one of
/// `allowed_commands`; every method call is one of `allowed_methods`. Returns all violations.
pub fn check(
    source: &str,
    allowed_commands: &[&str],
    allowed_methods: &[&str],
) -> Result<Checked, Vec<String>> {
    check_with(source, allowed_commands, allowed_methods, false)
}

/// As [`check`], with script blocks (`{ … }` as a value) allowed: Pester tests are made of
/// them (`Describe`, `It`, `Where-Object { … }`). Sub-expressions and `&` stay refused.
pub fn check_pester(source: &str, allowed_commands: &[&str]) -> Result<Checked, Vec<String>> {
    check_with(source, allowed_commands, &[], true)
}

fn check_with(
    source: &str,
    allowed_commands: &[&str],
    allowed_methods: &[&str],
    script_blocks: bool,
) -> Result<Checked, Vec<String>> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .expect("grammar loads");
    let tree = parser.parse(source, None).expect("parser returns a tree");
    let mut violations = Vec::new();
    let mut commands = Vec::new();
    let mut literals = Vec::new();
    // Byte ranges where non-ASCII text is allowed (literal bodies and comments).
    let mut data_ranges = Vec::new();
    // Literals that are pieces of a `-join` value already recorded as one value.
    let mut in_chain = std::collections::HashSet::new();

    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() {
            violations.push(format!(
                "{}: ERROR node: {:?}",
                position(node),
                text(node, source)
            ));
        }
        if node.is_missing() {
            violations.push(format!("{}: MISSING {}", position(node), node.kind()));
        }
        match node.kind() {
            "string_literal" => {
                let inner = node.named_child(0);
                match inner.map(|n| n.kind()) {
                    Some("verbatim_string_characters") => {}
                    other => violations.push(format!(
                        "{}: {} literal (only single-quoted literals may carry data): {:?}",
                        position(node),
                        other.unwrap_or("unknown"),
                        text(node, source)
                    )),
                }
            }
            "parenthesized_expression" => {
                if let Some(value) = char_chain(node, source) {
                    match value {
                        Ok(s) => {
                            literals.push((node.start_byte(), s));
                            let mut pieces = vec![node];
                            while let Some(n) = pieces.pop() {
                                if n.kind() == "verbatim_string_characters" {
                                    in_chain.insert(n.start_byte());
                                }
                                pieces
                                    .extend((0..n.child_count()).filter_map(|i| n.child(i as u32)));
                            }
                        }
                        Err(e) => violations.push(format!("{}: {e}", position(node))),
                    }
                }
            }
            "verbatim_string_characters" => {
                data_ranges.push(node.byte_range());
                match decode_single_quoted(text(node, source)) {
                    Ok(s) if !in_chain.contains(&node.start_byte()) => {
                        literals.push((node.start_byte(), s))
                    }
                    Ok(_) => {}
                    Err(e) => violations.push(format!("{}: {e}", position(node))),
                }
            }
            "verbatim_here_string_characters"
            | "expandable_here_string_literal"
            | "expandable_string_literal" => {
                violations.push(format!(
                    "{}: {} is not allowed: {:?}",
                    position(node),
                    node.kind(),
                    text(node, source)
                ));
            }
            "comment" => data_ranges.push(node.byte_range()),
            "command" => match node.child_by_field_name("command_name") {
                Some(name) => {
                    let name = text(name, source).to_string();
                    if !allowed_commands
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case(&name))
                    {
                        violations.push(format!("{}: unexpected command {name:?}", position(node)));
                    }
                    commands.push((node.start_byte(), name));
                }
                None => violations.push(format!(
                    "{}: command invoked without a plain name: {:?}",
                    position(node),
                    text(node, source)
                )),
            },
            "invokation_expression" => {
                let full = text(node, source);
                let callee = full.split('(').next().unwrap_or(full).trim().to_string();
                if !allowed_methods.contains(&callee.as_str()) {
                    violations.push(format!(
                        "{}: unexpected method call {callee:?}",
                        position(node)
                    ));
                }
            }
            "script_block_expression" if script_blocks => {}
            "sub_expression" | "script_block_expression" | "command_invokation_operator" => {
                violations.push(format!(
                    "{}: {} is never generated: {:?}",
                    position(node),
                    node.kind(),
                    text(node, source)
                ));
            }
            _ => {}
        }
        for i in (0..node.child_count()).rev() {
            stack.push(node.child(i as u32).expect("child index in range"));
        }
    }

    // Outside literals and comments, only ASCII: a Unicode quote or dash there would make
    // PowerShell tokenize differently from the grammar.
    data_ranges.sort_by_key(|r| r.start);
    let mut at = 0;
    let mut code_ranges = Vec::new();
    for r in &data_ranges {
        if r.start > at {
            code_ranges.push(at..r.start);
        }
        at = at.max(r.end);
    }
    code_ranges.push(at..source.len());
    for r in code_ranges {
        if let Some((i, c)) = source[r.clone()]
            .char_indices()
            .find(|(_, c)| !c.is_ascii())
        {
            let offset = r.start + i;
            let line = source[..offset].matches('\n').count() + 1;
            violations.push(format!(
                "line {line}: non-ASCII {c:?} outside a literal or comment"
            ));
        }
    }

    if !violations.is_empty() {
        return Err(violations);
    }
    commands.sort_by_key(|(at, _)| *at);
    literals.sort_by_key(|(at, _)| *at);
    Ok(Checked {
        source: source.to_string(),
        tree,
        commands: commands.into_iter().map(|(_, c)| c).collect(),
        literals: literals.into_iter().map(|(_, l)| l).collect(),
    })
}

/// One part of a `+` chain: a decoded literal or a piece of code (`$group.id`).
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Literal(String),
    Code(String),
}

impl Checked {
    /// The right-hand sides of the assignments to `target` (e.g. `$params`), in source order.
    pub fn assignments(&self, target: &str) -> Vec<Node<'_>> {
        let mut found = Vec::new();
        let mut stack = vec![self.tree.root_node()];
        while let Some(node) = stack.pop() {
            if node.kind() == "assignment_expression" {
                let lhs = node.named_child(0).map(|n| text(n, &self.source).trim());
                if lhs == Some(target) {
                    if let Some(v) = node.child_by_field_name("value") {
                        found.push(v);
                    }
                }
            }
            for i in (0..node.child_count()).rev() {
                stack.push(node.child(i as u32).expect("child index in range"));
            }
        }
        found.sort_by_key(|n| n.start_byte());
        found
    }

    /// The value of the `nth` assignment to `target`, evaluated as PowerShell would build it.
    pub fn value_of(&self, target: &str, nth: usize) -> Result<Value, String> {
        let nodes = self.assignments(target);
        let node = nodes
            .get(nth)
            .ok_or_else(|| format!("no assignment #{nth} to {target}"))?;
        eval(*node, &self.source)
    }

    /// The `+` chain assigned (`nth`) to `target`, as literal and code parts.
    pub fn concat_of(&self, target: &str, nth: usize) -> Result<Vec<Part>, String> {
        let nodes = self.assignments(target);
        let node = nodes
            .get(nth)
            .ok_or_else(|| format!("no assignment #{nth} to {target}"))?;
        let mut parts = Vec::new();
        concat(*node, &self.source, &mut parts)?;
        Ok(parts)
    }
}

/// Node kinds that only wrap one operand when no operator is present.
const WRAPPERS: &[&str] = &[
    "pipeline",
    "pipeline_chain",
    "logical_expression",
    "bitwise_expression",
    "comparison_expression",
    "additive_expression",
    "multiplicative_expression",
    "format_expression",
    "range_expression",
    "string_literal",
    "integer_literal",
    "parenthesized_expression",
];

fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    (0..node.named_child_count())
        .filter_map(|i| node.named_child(i as u32))
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// Evaluates a literal expression the exporter writes: hashtables, `@(…)` arrays (with
/// PowerShell's one-level unrolling of statement output), comma lists, unary comma,
/// `$true`/`$false`/`$null`, numbers and single-quoted strings. Anything else is an error.
pub fn eval(node: Node, source: &str) -> Result<Value, String> {
    if let Some(value) = char_chain(node, source) {
        return value.map(Value::String);
    }
    let kids = named_children(node);
    let kind = node.kind();
    if WRAPPERS.contains(&kind) {
        return match kids.as_slice() {
            [only] => eval(*only, source),
            _ => Err(format!(
                "{}: {kind} with an operator is not a literal: {:?}",
                position(node),
                text(node, source)
            )),
        };
    }
    match kind {
        "array_literal_expression" => match kids.as_slice() {
            [only] => eval(*only, source),
            many => many
                .iter()
                .map(|k| eval(*k, source))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
        },
        "unary_expression" => {
            let first = node.child(0).map(|c| text(c, source));
            match (first, kids.as_slice()) {
                (Some(","), [only]) => Ok(Value::Array(vec![eval(*only, source)?])),
                (_, [only]) if node.child_count() == 1 => eval(*only, source),
                _ => Err(format!(
                    "{}: unsupported unary expression {:?}",
                    position(node),
                    text(node, source)
                )),
            }
        }
        "verbatim_string_characters" => decode_single_quoted(text(node, source)).map(Value::String),
        "variable" => match text(node, source).to_ascii_lowercase().as_str() {
            "$true" => Ok(Value::Bool(true)),
            "$false" => Ok(Value::Bool(false)),
            "$null" => Ok(Value::Null),
            other => Err(format!(
                "{}: variable {other} is not a literal",
                position(node)
            )),
        },
        "expression_with_unary_operator" if node.child(0).map(|c| text(c, source)) == Some(",") => {
            // Unary comma: a one-element array around the operand (kept whole by `@(…)`).
            match kids.as_slice() {
                [only] => Ok(Value::Array(vec![eval(*only, source)?])),
                _ => Err(format!(
                    "{}: odd unary comma {:?}",
                    position(node),
                    text(node, source)
                )),
            }
        }
        "decimal_integer_literal" | "real_literal" | "expression_with_unary_operator" => {
            let t = text(node, source);
            serde_json::from_str::<Number>(t)
                .map(Value::Number)
                .map_err(|_| format!("{}: not a number literal: {t:?}", position(node)))
        }
        "hash_literal_expression" => {
            let mut map = Map::new();
            for body in kids {
                for entry in named_children(body) {
                    let parts = named_children(entry);
                    let [key, value] = parts.as_slice() else {
                        return Err(format!(
                            "{}: odd hash entry {:?}",
                            position(entry),
                            text(entry, source)
                        ));
                    };
                    let key = match named_children(*key).as_slice() {
                        [k] if k.kind() == "simple_name" => text(*k, source).to_string(),
                        [k] => match eval(*k, source)? {
                            Value::String(s) => s,
                            other => {
                                return Err(format!("{}: non-string key {other}", position(*k)))
                            }
                        },
                        _ => {
                            return Err(format!(
                                "{}: odd key {:?}",
                                position(*key),
                                text(*key, source)
                            ))
                        }
                    };
                    if map.insert(key.clone(), eval(*value, source)?).is_some() {
                        return Err(format!("{}: duplicate key {key:?}", position(entry)));
                    }
                }
            }
            Ok(Value::Object(map))
        }
        "array_expression" => {
            let mut items = Vec::new();
            for list in kids {
                for statement in named_children(list) {
                    // A statement's output is enumerated into the array: one level of unrolling.
                    match eval(statement, source)? {
                        Value::Array(inner) => items.extend(inner),
                        v => items.push(v),
                    }
                }
            }
            Ok(Value::Array(items))
        }
        _ => Err(format!(
            "{}: {kind} is not a literal: {:?}",
            position(node),
            text(node, source)
        )),
    }
}

/// One operand of a `+` chain as written: literal text or code.
enum Piece {
    Text(String),
    Code(String),
}

/// The UTF-16 code unit of a `[char]0xHHHH` cast, if `node` is one.
fn char_unit(node: Node, source: &str) -> Option<Result<u16, String>> {
    let mut node = node;
    loop {
        let kids = named_children(node);
        match (node.kind(), kids.as_slice()) {
            ("cast_expression", [ty, operand]) => {
                let ty = text(*ty, source);
                let hex = text(*operand, source).trim();
                if !ty.eq_ignore_ascii_case("[char]") {
                    return None;
                }
                return Some(
                    hex.strip_prefix("0x")
                        .and_then(|h| u16::from_str_radix(h, 16).ok())
                        .ok_or_else(|| format!("{}: [char] of {hex:?}", position(node))),
                );
            }
            (_, [only]) => node = *only,
            _ => return None,
        }
    }
}

/// Descends through nodes that only wrap one child.
fn unwrap_single(node: Node) -> Node {
    let mut node = node;
    while let [only] = named_children(node).as_slice() {
        if node.kind() == "expression_with_unary_operator" {
            break;
        }
        node = *only;
    }
    node
}

/// `(-join (e1, e2, …))` where each element is a single-quoted literal or a `[char]` code,
/// decoded; `None` when `node` is not such an expression.
fn char_chain(node: Node, source: &str) -> Option<Result<String, String>> {
    if node.kind() != "parenthesized_expression" {
        return None;
    }
    let join = unwrap_single(node);
    let op = join.child(0).map(|c| text(c, source).to_ascii_lowercase());
    if join.kind() != "expression_with_unary_operator" || op.as_deref() != Some("-join") {
        return None;
    }
    let operands = named_children(join);
    let [operand] = operands.as_slice() else {
        return None;
    };
    // The elements, in order; comma lists may nest, so walk them with a stack.
    let mut elements = Vec::new();
    let mut stack = vec![unwrap_single(*operand)];
    while let Some(n) = stack.pop() {
        let n = unwrap_single(n);
        if n.kind() == "array_literal_expression" {
            stack.extend(named_children(n).into_iter().rev());
        } else {
            elements.push(n);
        }
    }
    let mut units: Vec<u16> = Vec::new();
    for e in elements {
        if let Some(unit) = char_unit(e, source) {
            match unit {
                Ok(u) => units.push(u),
                Err(err) => return Some(Err(err)),
            }
        } else if e.kind() == "verbatim_string_characters" {
            match decode_single_quoted(text(e, source)) {
                Ok(s) => units.extend(s.encode_utf16()),
                Err(err) => return Some(Err(err)),
            }
        } else {
            return None;
        }
    }
    Some(
        String::from_utf16(&units)
            .map_err(|_| format!("{}: [char] codes that are not valid UTF-16", position(node))),
    )
}

fn pieces(node: Node, source: &str, out: &mut Vec<Piece>) -> Result<(), String> {
    if let Some(value) = char_chain(node, source) {
        out.push(Piece::Text(value?));
        return Ok(());
    }
    let kids = named_children(node);
    match (node.kind(), kids.as_slice()) {
        ("additive_expression", [left, right]) => {
            let op = node.child(1).map(|c| text(c, source).trim().to_string());
            if op.as_deref() != Some("+") {
                return Err(format!(
                    "{}: operator {op:?} in a string concatenation",
                    position(node)
                ));
            }
            pieces(*left, source, out)?;
            pieces(*right, source, out)
        }
        ("verbatim_string_characters", _) => {
            out.push(Piece::Text(decode_single_quoted(text(node, source))?));
            Ok(())
        }
        ("member_access", _) | ("variable", _) => {
            out.push(Piece::Code(text(node, source).to_string()));
            Ok(())
        }
        (_, [only]) => pieces(*only, source, out),
        _ => Err(format!(
            "{}: {} in a string concatenation: {:?}",
            position(node),
            node.kind(),
            text(node, source)
        )),
    }
}

/// The `+` chain at `node` as parts; adjacent literal texts are one literal, as PowerShell
/// concatenates them.
fn concat(node: Node, source: &str, parts: &mut Vec<Part>) -> Result<(), String> {
    let mut ps = Vec::new();
    pieces(node, source, &mut ps)?;
    for p in ps {
        match (p, parts.last_mut()) {
            (Piece::Text(t), Some(Part::Literal(prev))) => prev.push_str(&t),
            (Piece::Text(t), _) => parts.push(Part::Literal(t)),
            (Piece::Code(c), _) => parts.push(Part::Code(c)),
        }
    }
    Ok(())
}
