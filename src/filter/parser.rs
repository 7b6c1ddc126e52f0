//! Recursive descent over the tokens (reference §4 grammar), collecting every
//! error: a broken comparison is reported, the parser skips to the next
//! `-and`/`-or`/`)` and carries on. `-and` binds tighter than `-or`.
//!
//! The tree returned may stand on recovered guesses; the caller discards it
//! when any error was reported.

use std::borrow::Cow;

use super::ast::{Comparison, Expr, Literal, Op, Span};
use super::catalogue::{self, Prop};
use super::diagnostics::{Collector, Diagnostic};
use super::display::excerpt;
use super::format;
use super::lexer::{Logic, Quote, Tok, Token};
use super::validate::{self, RawValue};

/// How deep parentheses and `-not` may nest, together. Deeper nesting is
/// certainly a mistake, and bounding it bounds the parser's recursion (each
/// level is one `parse_primary` → `parse_or` → `parse_and` round) and, since
/// no deeper tree can be built, every later walk of the tree: validation,
/// lint, format, eval, and dropping, cloning or comparing it.
pub const MAX_DEPTH: u32 = 32;

pub(crate) fn parse(src: &str, toks: &[Token], diags: &mut Collector) -> Option<Expr> {
    if toks.is_empty() {
        return None;
    }
    let mut stack = STACK.with(|s| s.take());
    stack.clear();
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        depth: 0,
        diags,
        stack,
        list_buffer: Vec::new(),
    };
    let tree = if p.parse_or() { p.stack.pop() } else { None };
    p.stack.clear();
    if p.stack.capacity() <= KEEP_STACK {
        STACK.with(|s| s.set(p.stack));
    }
    tree
}

thread_local! {
    /// The operand stack of the last parse on this thread, kept (empty) for
    /// the next: the editor parses on every keystroke, and for a long rule
    /// the stack is the largest allocation of a parse.
    static STACK: std::cell::Cell<Vec<Expr>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Stacks above this many operands (a pasted megabyte) are not kept.
const KEEP_STACK: usize = 1024;

struct Parser<'a> {
    src: &'a str,
    toks: &'a [Token],
    pos: usize,
    depth: u32,
    diags: &'a mut Collector,
    /// The nodes parsed so far that are not yet in a tree, innermost last.
    /// Each `parse_*` method that succeeds pushes exactly one node here
    /// (and on failure leaves the stack as it found it): a comparison is
    /// built in its slot once, not returned and moved up level by level,
    /// and an `-and`/`-or` takes its operands off the top in one copy.
    stack: Vec<Expr>,
    /// The items of the last `[…]` list, whose allocation the next list
    /// reuses: items only live until they are copied into the literal.
    list_buffer: Vec<(&'a str, Span)>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Token> {
        self.toks.get(self.pos).copied()
    }

    /// The operands above `base`, moved off the stack (in one copy) into a
    /// vector of exactly their number; the stack keeps its buffer.
    fn take_operands(&mut self, base: usize) -> Vec<Expr> {
        if base > 0 {
            return self.stack.split_off(base);
        }
        // `split_off(0)` would hand the node the whole stack buffer.
        let mut items = Vec::with_capacity(self.stack.len());
        items.append(&mut self.stack);
        items
    }

    /// Replaces the node on top of the stack (above `base`) by its operands
    /// when it is an `-or` (`or`) or an `-and` (`!or`): `a -and (b -and c)`
    /// is one `-and` of three.
    fn flatten_top(&mut self, base: usize, or: bool) {
        if self.stack.len() <= base {
            return;
        }
        let same_kind = matches!(
            (self.stack.last(), or),
            (Some(Expr::Or(..)), true) | (Some(Expr::And(..)), false)
        );
        if same_kind {
            if let Some(Expr::Or(xs, _) | Expr::And(xs, _)) = self.stack.pop() {
                self.stack.extend(xs);
            }
        }
    }

    /// Replaces the operands above `base` by the `-and`/`-or` node of them.
    fn reduce(&mut self, base: usize, or: bool) {
        let items = self.take_operands(base);
        let span = items[0].span().to(items[items.len() - 1].span());
        self.stack.push(if or {
            Expr::Or(items, span)
        } else {
            Expr::And(items, span)
        });
    }

    fn text(&self, span: Span) -> &'a str {
        &self.src[span.start..span.end]
    }

    /// The text of `span` as a message quotes it.
    fn shown(&self, span: Span) -> Cow<'a, str> {
        excerpt(self.text(span))
    }

    /// End of the last consumed token: where a missing piece belongs.
    fn prev_end(&self) -> usize {
        self.pos.checked_sub(1).map_or(0, |i| self.toks[i].span.end)
    }

    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn logic_of(&self, t: Token) -> Option<Logic> {
        t.logic
    }

    fn peek_logic(&self) -> Option<Logic> {
        self.peek().and_then(|t| self.logic_of(t))
    }

    /// Consumes a logical operator, reporting forms that are not `-and`/`-or`.
    /// Returns true when nothing follows it (already reported).
    fn take_logic(&mut self) -> bool {
        let t = self.toks[self.pos];
        let logic = self.logic_of(t).unwrap_or(Logic::And);
        let canonical = if logic == Logic::And { "-and" } else { "-or" };
        self.pos += 1;
        match t.kind {
            Tok::Symbol => self.err(
                Diagnostic::error(
                    "symbolic-operator",
                    t.span,
                    format!(
                        "`{}` is not an operator here; Conditional Access writes `{canonical}`",
                        self.shown(t.span)
                    ),
                )
                .with_fix(t.span, canonical, format!("use `{canonical}`")),
            ),
            Tok::Word => self.err(
                Diagnostic::error(
                    "bare-logical-operator",
                    t.span,
                    format!("logical operators take a hyphen: `{canonical}`"),
                )
                .with_fix(t.span, canonical, format!("use `{canonical}`")),
            ),
            _ => {}
        }
        match self.peek() {
            None => true,
            Some(n) if n.kind == Tok::RParen => true,
            _ => false,
        }
        .then(|| {
            let removal = Span::new(
                self.toks
                    .get(self.pos.wrapping_sub(2))
                    .map_or(t.span.start, |p| p.span.end),
                t.span.end,
            );
            self.err(
                Diagnostic::error(
                    "dangling-operator",
                    t.span,
                    format!("`{canonical}` must be followed by a comparison"),
                )
                .with_fix(
                    removal,
                    "",
                    format!("remove the trailing `{canonical}`"),
                ),
            );
        })
        .is_some()
    }

    /// Pushes the rule (or group) at the current position.
    fn parse_or(&mut self) -> bool {
        let base = self.stack.len();
        let mut ok = self.parse_and();
        if self.peek_logic() != Some(Logic::Or) {
            return ok;
        }
        self.flatten_top(base, true);
        while self.peek_logic() == Some(Logic::Or) {
            if self.take_logic() {
                ok = false;
                break;
            }
            if self.parse_and() {
                self.flatten_top(base, true);
            } else {
                ok = false;
            }
        }
        if !ok {
            self.stack.truncate(base);
            return false;
        }
        self.reduce(base, true);
        true
    }

    /// Pushes the `-and` of primaries (or the lone primary) at the current position.
    fn parse_and(&mut self) -> bool {
        let base = self.stack.len();
        let mut ok = self.parse_primary();
        // A lone primary stays as it is; the first `-and` flattens it.
        let mut joined = false;
        loop {
            match self.peek_logic() {
                Some(Logic::Or) => break,
                Some(Logic::And) => {
                    if !joined {
                        joined = true;
                        self.flatten_top(base, false);
                    }
                    if self.take_logic() {
                        ok = false;
                        break;
                    }
                    if self.parse_primary() {
                        self.flatten_top(base, false);
                    } else {
                        ok = false;
                    }
                }
                None => match self.peek() {
                    None => break,
                    Some(t) if t.kind == Tok::RParen => {
                        if self.depth > 0 {
                            break;
                        }
                        let removal = Span::new(self.prev_end(), t.span.end);
                        self.err(
                            Diagnostic::error(
                                "unmatched-paren",
                                t.span,
                                "this `)` has no matching `(`",
                            )
                            .with_fix(removal, "", "remove the `)`"),
                        );
                        self.pos += 1;
                        ok = false;
                    }
                    Some(t) => {
                        self.err(Diagnostic::error(
                            "expected-logical-operator",
                            t.span,
                            format!(
                                "expected `-and`, `-or` or the end of the rule, found `{}`",
                                self.shown(t.span)
                            ),
                        ));
                        ok = false;
                        // Check what follows anyway, as if it were joined by
                        // `-and` (whatever it pushes goes with `ok`).
                        self.parse_primary();
                    }
                },
            }
        }
        if !ok {
            self.stack.truncate(base);
            return false;
        }
        if self.stack.len() - base > 1 {
            self.reduce(base, false);
        }
        self.stack.len() > base
    }

    /// Consumes at least one token unless at the end, at `)` or at a
    /// logical operator (callers rely on this to make progress). Pushes
    /// the comparison or group.
    fn parse_primary(&mut self) -> bool {
        let Some(t) = self.peek() else {
            let at = Span::at(self.src.len());
            self.err(Diagnostic::error(
                "expected-comparison",
                at,
                "expected a comparison such as `device.trustType -eq \"AzureAD\"`",
            ));
            return false;
        };
        match t.kind {
            Tok::LParen | Tok::Dashed { .. } if self.depth >= MAX_DEPTH && self.nests(t) => {
                self.diags.push_pinned(Diagnostic::error(
                    "nesting-too-deep",
                    t.span,
                    format!("parentheses and `-not` nest more than {MAX_DEPTH} deep here; the rest of the rule is not checked"),
                ));
                self.pos = self.toks.len();
                false
            }
            Tok::LParen => {
                self.pos += 1;
                self.depth += 1;
                let inner = self.parse_or();
                self.depth -= 1;
                match self.peek() {
                    Some(c) if c.kind == Tok::RParen => {
                        self.pos += 1;
                        inner
                    }
                    _ => {
                        if inner {
                            self.stack.pop();
                        }
                        let at = Span::at(self.prev_end());
                        self.err(
                            Diagnostic::error("unclosed-paren", t.span, "this `(` is never closed")
                                .with_fix(at, ")", "add the closing `)`"),
                        );
                        false
                    }
                }
            }
            Tok::RParen => {
                self.err(Diagnostic::error(
                    "expected-comparison",
                    t.span,
                    "expected a comparison before `)`",
                ));
                false
            }
            Tok::Dashed { .. } if self.nests(t) => {
                self.pos += 1;
                let mut d = Diagnostic::error(
                    "not-operator",
                    t.span,
                    "`-not` is documented only for dynamic-group rules; negate with a negative operator such as `-ne` (which also matches unregistered devices)",
                );
                let base = self.stack.len();
                self.depth += 1;
                let negated = self.parse_primary();
                self.depth -= 1;
                if negated {
                    let span = Span::new(t.span.start, self.prev_end());
                    if let Some(Expr::Compare(c)) = self.stack.last() {
                        let negated = Comparison {
                            op: c.op.negated(),
                            ..c.clone()
                        };
                        d = d.with_fix(
                            span,
                            format::comparison(&negated),
                            format!("use `{}`", negated.op.canonical()),
                        );
                    }
                    self.stack.truncate(base);
                }
                self.err(d);
                false
            }
            _ if self.logic_of(t).is_some() => {
                self.err(Diagnostic::error(
                    "expected-comparison",
                    t.span,
                    format!("expected a comparison before `{}`", self.shown(t.span)),
                ));
                false
            }
            _ => self.parse_comparison(),
        }
    }

    /// Whether `t` opens a level of nesting: `(` or `-not`.
    fn nests(&self, t: Token) -> bool {
        match t.kind {
            Tok::LParen => true,
            Tok::Dashed { name } => self.src[name..t.span.end].eq_ignore_ascii_case("not"),
            _ => false,
        }
    }

    /// Skips to the next `-and`/`-or`, the `)` closing the current group, or the end.
    fn sync(&mut self) {
        let mut depth = 0u32;
        while let Some(t) = self.peek() {
            match t.kind {
                Tok::LParen => depth += 1,
                Tok::RParen if depth == 0 => return,
                Tok::RParen => depth -= 1,
                _ if depth == 0 && self.logic_of(t).is_some() => return,
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// Pushes the comparison at the current position.
    fn parse_comparison(&mut self) -> bool {
        let t = self.toks[self.pos];
        self.pos += 1;
        if t.kind != Tok::Word {
            let found = self.shown(t.span);
            let msg = match t.kind {
                Tok::Str { .. } => {
                    "a comparison starts with `device.<property>`, not with a value".to_string()
                }
                _ => format!("expected `device.<property>`, found `{found}`"),
            };
            self.err(Diagnostic::error("expected-property", t.span, msg));
            self.sync();
            return false;
        }
        let prop = self.property(t.span);
        let Some((op, op_span)) = self.operator() else {
            self.sync();
            return false;
        };
        let value = self.value(op, op_span);
        let (Some(prop), Some((value, value_span))) = (prop, value) else {
            self.sync();
            return false;
        };
        let span = t.span.to(value_span);
        let literal: Literal =
            validate::comparison(self.diags, prop, op, op_span, &value, value_span);
        if let RawValue::List(buffer) = value {
            self.list_buffer = buffer;
        }
        self.stack.push(Expr::Compare(Comparison {
            property: prop,
            property_span: t.span,
            op,
            op_span,
            value: literal,
            value_span,
            span,
        }));
        true
    }

    /// `device.<name>`: resolves the name, reporting a missing or foreign prefix.
    fn property(&mut self, span: Span) -> Option<Prop> {
        let text = self.text(span);
        // What nearly every rule writes, without searching for the dot.
        if let Some(name) = text.strip_prefix("device.") {
            let name_span = Span::new(span.start + "device.".len(), span.end);
            return validate::property(self.diags, name, name_span);
        }
        match text.split_once('.') {
            Some((prefix, name)) if prefix == "device" || prefix.eq_ignore_ascii_case("device") => {
                let name_span = Span::new(span.start + prefix.len() + 1, span.end);
                validate::property(self.diags, name, name_span)
            }
            Some((prefix, _)) => {
                let shown = excerpt(text);
                let msg = if prefix.eq_ignore_ascii_case("user") {
                    format!("`{shown}` is a user property; a device filter can only test `device.` properties")
                } else {
                    format!("`{shown}` is not a device property; properties are written `device.<property>`")
                };
                self.err(Diagnostic::error("non-device-property", span, msg));
                None
            }
            None => {
                let shown = excerpt(text);
                let mut d = Diagnostic::error(
                    "missing-device-prefix",
                    span,
                    format!("properties are written `device.<property>`, found `{shown}`"),
                );
                let known = Prop::lookup(text);
                if known.is_some() {
                    d = d.with_fix(Span::at(span.start), "device.", "add `device.`");
                }
                self.err(d);
                known
            }
        }
    }

    fn operator(&mut self) -> Option<(Op, Span)> {
        let Some(t) = self.peek() else {
            let at = Span::at(self.prev_end());
            self.err(Diagnostic::error(
                "expected-operator",
                at,
                "expected an operator such as `-eq` after the property",
            ));
            return None;
        };
        let allowed = "Conditional Access supports -eq, -ne, -startsWith, -notStartsWith, -endsWith, -notEndsWith, -contains, -notContains, -in, -notIn";
        match t.kind {
            Tok::Dashed { name } => {
                let word = &self.src[name..t.span.end];
                if let Some(op) = Op::from_name(word) {
                    self.pos += 1;
                    return Some((op, t.span));
                }
                if self.logic_of(t).is_some() {
                    let at = Span::at(self.prev_end());
                    self.err(Diagnostic::error(
                        "expected-operator",
                        at,
                        "expected a comparison operator such as `-eq` and a value here",
                    ));
                    return None;
                }
                self.pos += 1;
                if let Some(dg) = catalogue::DYNAMIC_GROUP_OPERATORS
                    .iter()
                    .find(|o| o.eq_ignore_ascii_case(word))
                {
                    self.err(Diagnostic::error(
                        "dynamic-group-operator",
                        t.span,
                        format!("`-{dg}` exists only in dynamic-group rules; {allowed}"),
                    ));
                    return None;
                }
                let suggestion = catalogue::OPERATOR_ALIASES
                    .iter()
                    .find(|(a, _)| a.eq_ignore_ascii_case(word))
                    .map(|&(_, op)| op)
                    .or_else(|| {
                        crate::filter::suggest::closest(word, Op::ALL.iter().map(|o| o.name()))
                            .and_then(Op::from_name)
                    });
                let mut d = Diagnostic::error(
                    "unknown-operator",
                    t.span,
                    format!("unknown operator `{}`; {allowed}", self.shown(t.span)),
                );
                if let Some(op) = suggestion {
                    d.message = format!(
                        "unknown operator `{}`; did you mean `{}`?",
                        self.shown(t.span),
                        op.canonical()
                    );
                    d = d.with_fix(t.span, op.canonical(), format!("use `{}`", op.canonical()));
                }
                self.err(d);
                None
            }
            Tok::Word => {
                let word = self.text(t.span);
                if let Some(op) = Op::from_name(word) {
                    self.pos += 1;
                    self.err(
                        Diagnostic::warning(
                            "hyphenless-operator",
                            t.span,
                            format!(
                                "operators are written with a hyphen: `{}` (the service also takes `{word}`)",
                                op.canonical()
                            ),
                        )
                        .with_fix(Span::at(t.span.start), "-", format!("write `{}`", op.canonical())),
                    );
                    return Some((op, t.span));
                }
                if let Some(dg) = catalogue::DYNAMIC_GROUP_OPERATORS
                    .iter()
                    .find(|o| o.eq_ignore_ascii_case(word))
                {
                    self.pos += 1;
                    self.err(Diagnostic::error(
                        "dynamic-group-operator",
                        t.span,
                        format!("`{dg}` exists only in dynamic-group rules; {allowed}"),
                    ));
                    return None;
                }
                self.err(Diagnostic::error(
                    "expected-operator",
                    t.span,
                    format!(
                        "expected an operator such as `-eq`, found `{}`",
                        excerpt(word)
                    ),
                ));
                None
            }
            Tok::Symbol => {
                let sym = self.text(t.span);
                let op = match sym {
                    "=" | "==" | "===" => Some(Op::Eq),
                    "!=" | "<>" | "!==" => Some(Op::Ne),
                    _ => None,
                };
                self.pos += 1;
                match op {
                    Some(op) => {
                        self.err(
                            Diagnostic::error(
                                "symbolic-operator",
                                t.span,
                                format!(
                                    "`{sym}` is not an operator; Conditional Access writes `{}`",
                                    op.canonical()
                                ),
                            )
                            .with_fix(
                                t.span,
                                op.canonical(),
                                format!("use `{}`", op.canonical()),
                            ),
                        );
                        Some((op, t.span))
                    }
                    None => {
                        self.err(Diagnostic::error(
                            "unknown-operator",
                            t.span,
                            format!("`{}` is not an operator; {allowed}", excerpt(sym)),
                        ));
                        None
                    }
                }
            }
            _ => {
                let at = Span::at(self.prev_end());
                self.err(Diagnostic::error(
                    "expected-operator",
                    at,
                    "expected an operator such as `-eq` after the property",
                ));
                None
            }
        }
    }

    fn value(&mut self, op: Op, op_span: Span) -> Option<(RawValue<'a>, Span)> {
        let Some(t) = self.peek() else {
            self.err(Diagnostic::error(
                "expected-value",
                Span::at(self.prev_end()),
                format!("expected a value after `{}`", op.canonical()),
            ));
            return None;
        };
        match t.kind {
            Tok::Str { content, quote } => {
                self.pos += 1;
                let text = self.text(content);
                if !op.takes_list() {
                    return Some((RawValue::Str(text), t.span));
                }
                // `-in "a", "b"` or `-in 'a, b'`: keep the items, suggest the list.
                let mut items = vec![(text, content)];
                let mut end = t.span.end;
                while let (Some(c), Some(s)) = (self.peek(), self.toks.get(self.pos + 1).copied()) {
                    match (c.kind, s.kind) {
                        (Tok::Comma, Tok::Str { content, .. }) => {
                            items.push((self.text(content), content));
                            end = s.span.end;
                            self.pos += 2;
                        }
                        _ => break,
                    }
                }
                let span = Span::new(t.span.start, end);
                if items.len() == 1 && quote == Quote::Single && text.contains(',') {
                    // `'ServerAD, Workplace'`: one quoted string meant as a list.
                    let mut at = content.start;
                    items = text
                        .split(',')
                        .map(|part| {
                            let lead = part.len() - part.trim_start().len();
                            let item = part.trim();
                            let span = Span::new(at + lead, at + lead + item.len());
                            at += part.len() + 1;
                            (item, span)
                        })
                        .collect();
                }
                let parts: Vec<&str> = items.iter().map(|i| i.0).collect();
                let mut d = Diagnostic::error(
                    "expected-list",
                    span,
                    format!(
                        "`{}` takes a bracketed list such as `[\"a\", \"b\"]`",
                        op.canonical()
                    ),
                );
                if parts.iter().all(|p| !p.contains('"')) {
                    d = d.with_fix(span, format::list(parts.iter().copied()), "make it a list");
                }
                self.err(d);
                Some((RawValue::List(items), span))
            }
            Tok::LBracket => {
                let (items, span) = self.list();
                if !op.takes_list() {
                    let mut d = Diagnostic::error(
                        "unexpected-list",
                        span,
                        format!(
                            "a list is only allowed after `-in` or `-notIn`, not after `{}`",
                            op.canonical()
                        ),
                    );
                    let replacement = match op {
                        Op::Eq => Some(Op::In),
                        Op::Ne => Some(Op::NotIn),
                        _ => None,
                    };
                    if let Some(r) = replacement {
                        d = d.with_fix(op_span, r.canonical(), format!("use `{}`", r.canonical()));
                    }
                    self.err(d);
                }
                Some((RawValue::List(items), span))
            }
            Tok::Word => {
                self.pos += 1;
                let word = self.text(t.span);
                if word.eq_ignore_ascii_case("true") || word.eq_ignore_ascii_case("false") {
                    let value = word.eq_ignore_ascii_case("true");
                    let canonical = word == "True" || word == "False";
                    return Some((RawValue::Bool(value, canonical), t.span));
                }
                if word.eq_ignore_ascii_case("null") {
                    self.err(Diagnostic::error(
                        "null-value",
                        t.span,
                        "`null` is not a value in Conditional Access device filters; properties of unregistered devices are null, and a negative operator (such as `-ne`) already matches them",
                    ));
                    return None;
                }
                if let Some(var) = word.strip_prefix('$') {
                    // `$true` / `$variable` pasted from a PowerShell script.
                    let mut d = Diagnostic::error(
                        "powershell-variable",
                        t.span,
                        format!("`{}` is PowerShell; a rule holds literal values (`True`/`False` or a double-quoted string)", excerpt(word)),
                    );
                    for (ps, b) in [("true", "True"), ("false", "False")] {
                        if var.eq_ignore_ascii_case(ps) {
                            d = d.with_fix(t.span, b, format!("write `{b}`"));
                        }
                    }
                    self.err(d);
                    return None;
                }
                self.err(
                    Diagnostic::error(
                        "unquoted-value",
                        t.span,
                        format!(
                            "string values are written in double quotes: `\"{}\"`",
                            excerpt(word)
                        ),
                    )
                    .with_fix(
                        t.span,
                        format!("\"{word}\""),
                        "add double quotes",
                    ),
                );
                if op.takes_list() {
                    return Some((RawValue::List(vec![(word, t.span)]), t.span));
                }
                Some((RawValue::Str(word), t.span))
            }
            _ => {
                self.err(Diagnostic::error(
                    "expected-value",
                    Span::at(self.prev_end()),
                    format!("expected a value after `{}`", op.canonical()),
                ));
                None
            }
        }
    }

    /// `[ "a", "b" ]`, reporting missing commas, bare words and a missing `]`.
    fn list(&mut self) -> (Vec<(&'a str, Span)>, Span) {
        let open = self.toks[self.pos];
        self.pos += 1;
        let mut items = std::mem::take(&mut self.list_buffer);
        items.clear();
        let mut expect_item = true;
        let mut last_comma: Option<Span> = None;
        loop {
            let Some(t) = self.peek() else {
                self.unclosed_list(open.span);
                break;
            };
            match t.kind {
                Tok::RBracket => {
                    self.pos += 1;
                    if let (true, Some(comma)) = (expect_item && !items.is_empty(), last_comma) {
                        self.err(
                            Diagnostic::error(
                                "trailing-comma",
                                comma,
                                "a list cannot end with a comma",
                            )
                            .with_fix(comma, "", "remove the comma"),
                        );
                    }
                    if items.is_empty() {
                        self.err(Diagnostic::error(
                            "empty-list",
                            open.span.to(t.span),
                            "an empty list matches nothing",
                        ));
                    }
                    break;
                }
                Tok::Comma => {
                    self.pos += 1;
                    if expect_item {
                        self.err(
                            Diagnostic::error(
                                "expected-value",
                                t.span,
                                "expected a list item before this comma",
                            )
                            .with_fix(t.span, "", "remove the comma"),
                        );
                    }
                    expect_item = true;
                    last_comma = Some(t.span);
                }
                Tok::Str { .. } | Tok::Word => {
                    self.pos += 1;
                    let content = match t.kind {
                        Tok::Str { content, .. } => content,
                        _ => {
                            let w = self.text(t.span);
                            self.err(
                                Diagnostic::error(
                                    "unquoted-value",
                                    t.span,
                                    format!(
                                        "list items are written in double quotes: `\"{}\"`",
                                        excerpt(w)
                                    ),
                                )
                                .with_fix(
                                    t.span,
                                    format!("\"{w}\""),
                                    "add double quotes",
                                ),
                            );
                            t.span
                        }
                    };
                    if !expect_item {
                        let at = Span::at(self.toks[self.pos - 2].span.end);
                        self.err(
                            Diagnostic::error(
                                "missing-comma",
                                t.span,
                                "list items must be separated by commas",
                            )
                            .with_fix(at, ",", "add a comma"),
                        );
                    }
                    items.push((self.text(content), content));
                    expect_item = false;
                }
                _ => {
                    self.unclosed_list(open.span);
                    break;
                }
            }
        }
        let end = self.prev_end().max(open.span.end);
        (items, Span::new(open.span.start, end))
    }

    fn unclosed_list(&mut self, open: Span) {
        let at = Span::at(self.prev_end());
        self.err(
            Diagnostic::error("unclosed-bracket", open, "this `[` is never closed").with_fix(
                at,
                "]",
                "add the closing `]`",
            ),
        );
    }
}
