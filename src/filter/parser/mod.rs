//! Recursive descent over the tokens, collecting every error: a broken
//! comparison is reported, the parser skips to the next `-and`/`-or`/`)` and
//! carries on. The grammar, `-and` binding tighter than `-or`:
//!
//! ```text
//! rule       = and { "-or" and }
//! and        = primary { "-and" primary }
//! primary    = "(" rule ")" | comparison
//! comparison = "device." property operator value
//! value      = string | "True" | "False" | "[" string { "," string } "]"
//! ```
//!
//! Where it stands: `logic.rs` (how comparisons are joined), `primary.rs`
//! (groups and `-not`), `comparison.rs` (a comparison and its property),
//! `operator.rs`, `value.rs` (values and lists). The tree returned may stand
//! on recovered guesses; the caller discards it when any error was reported.

mod comparison;
mod logic;
mod operator;
mod primary;
mod value;

use std::borrow::Cow;

use super::ast::{Expr, Span};
use super::diagnostics::{Collector, Diagnostic};
use super::display::excerpt;
use super::lexer::{Logic, Tok, Token};

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
}
