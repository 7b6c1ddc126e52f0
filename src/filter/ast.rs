//! The syntax tree of a valid rule. Every node carries the byte span it came
//! from, so the editor can point at it; `eq_ignoring_spans` compares meaning.
//!
//! A tree only exists for a rule without errors, and its properties are
//! catalogue entries (`Prop`), so an unknown property cannot be represented.

use serde::Serialize;

use super::catalogue::Prop;
use super::text::Text;

/// A half-open byte range `start..end` into the rule text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// An empty span at `at`: the place where something should be inserted.
    pub const fn at(at: usize) -> Self {
        Span { start: at, end: at }
    }
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn len(self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// The ten comparison operators Conditional Access supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Eq,
    Ne,
    StartsWith,
    NotStartsWith,
    EndsWith,
    NotEndsWith,
    Contains,
    NotContains,
    In,
    NotIn,
}

impl Op {
    pub const ALL: [Op; 10] = [
        Op::Eq,
        Op::Ne,
        Op::StartsWith,
        Op::NotStartsWith,
        Op::EndsWith,
        Op::NotEndsWith,
        Op::Contains,
        Op::NotContains,
        Op::In,
        Op::NotIn,
    ];

    /// The canonical spelling without the hyphen (`startsWith`).
    pub const fn name(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::StartsWith => "startsWith",
            Op::NotStartsWith => "notStartsWith",
            Op::EndsWith => "endsWith",
            Op::NotEndsWith => "notEndsWith",
            Op::Contains => "contains",
            Op::NotContains => "notContains",
            Op::In => "in",
            Op::NotIn => "notIn",
        }
    }

    /// The canonical spelling the formatter emits (`-startsWith`).
    pub const fn canonical(self) -> &'static str {
        match self {
            Op::Eq => "-eq",
            Op::Ne => "-ne",
            Op::StartsWith => "-startsWith",
            Op::NotStartsWith => "-notStartsWith",
            Op::EndsWith => "-endsWith",
            Op::NotEndsWith => "-notEndsWith",
            Op::Contains => "-contains",
            Op::NotContains => "-notContains",
            Op::In => "-in",
            Op::NotIn => "-notIn",
        }
    }

    /// Looks an operator up by name without hyphen, in any case.
    pub fn from_name(name: &str) -> Option<Op> {
        // The exact spellings first (a match compiles to a length switch):
        // they are what nearly every rule uses.
        let exact = match name {
            "eq" => Some(Op::Eq),
            "ne" => Some(Op::Ne),
            "startsWith" => Some(Op::StartsWith),
            "notStartsWith" => Some(Op::NotStartsWith),
            "endsWith" => Some(Op::EndsWith),
            "notEndsWith" => Some(Op::NotEndsWith),
            "contains" => Some(Op::Contains),
            "notContains" => Some(Op::NotContains),
            "in" => Some(Op::In),
            "notIn" => Some(Op::NotIn),
            _ => None,
        };
        debug_assert!(exact.is_none_or(|op| op.name() == name));
        exact.or_else(|| {
            Op::ALL
                .into_iter()
                .find(|op| op.name().eq_ignore_ascii_case(name))
        })
    }

    /// Negative operators match a null (absent) property: this is what
    /// makes a rule apply to unregistered devices.
    pub const fn is_negative(self) -> bool {
        matches!(
            self,
            Op::Ne | Op::NotStartsWith | Op::NotEndsWith | Op::NotContains | Op::NotIn
        )
    }

    /// `-in` and `-notIn` take a bracketed list; no other operator does.
    pub const fn takes_list(self) -> bool {
        matches!(self, Op::In | Op::NotIn)
    }

    /// The operator with the opposite meaning (`-eq` ↔ `-ne`).
    pub const fn negated(self) -> Op {
        match self {
            Op::Eq => Op::Ne,
            Op::Ne => Op::Eq,
            Op::StartsWith => Op::NotStartsWith,
            Op::NotStartsWith => Op::StartsWith,
            Op::EndsWith => Op::NotEndsWith,
            Op::NotEndsWith => Op::EndsWith,
            Op::Contains => Op::NotContains,
            Op::NotContains => Op::Contains,
            Op::In => Op::NotIn,
            Op::NotIn => Op::In,
        }
    }
}

/// The right-hand side of a comparison, already normalised: enum values in
/// their documented casing, booleans as `Bool` however they were written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    Str(Text),
    Bool(bool),
    List(Vec<Text>),
}

/// `device.<property> <operator> <value>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    pub property: Prop,
    pub property_span: Span,
    pub op: Op,
    pub op_span: Span,
    pub value: Literal,
    pub value_span: Span,
    /// From the start of `device.` to the end of the value.
    pub span: Span,
}

/// A rule. `And`/`Or` are n-ary and flattened: `a -and (b -and c)` is one
/// `And` of three, which is what keeps `parse(format(x)) == x` exact.
/// A node's span covers its operands, not parentheses around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    And(Vec<Expr>, Span),
    Or(Vec<Expr>, Span),
    Compare(Comparison),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::And(_, s) | Expr::Or(_, s) => *s,
            Expr::Compare(c) => c.span,
        }
    }

    /// Structural equality that ignores where the nodes came from.
    pub fn eq_ignoring_spans(&self, other: &Expr) -> bool {
        match (self, other) {
            (Expr::And(a, _), Expr::And(b, _)) | (Expr::Or(a, _), Expr::Or(b, _)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignoring_spans(y))
            }
            (Expr::Compare(a), Expr::Compare(b)) => {
                a.property == b.property && a.op == b.op && a.value == b.value
            }
            _ => false,
        }
    }

    /// The first comparison (left to right) that satisfies `pred`.
    pub fn find(&self, pred: &impl Fn(&Comparison) -> bool) -> Option<&Comparison> {
        match self {
            Expr::And(xs, _) | Expr::Or(xs, _) => xs.iter().find_map(|x| x.find(pred)),
            Expr::Compare(c) => Some(c).filter(|c| pred(c)),
        }
    }

    /// Every comparison, left to right.
    pub fn comparisons(&self) -> Vec<&Comparison> {
        let mut out = Vec::new();
        self.walk(&mut |c| out.push(c));
        out
    }

    fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Comparison)) {
        match self {
            Expr::And(xs, _) | Expr::Or(xs, _) => xs.iter().for_each(|x| x.walk(f)),
            Expr::Compare(c) => f(c),
        }
    }
}
