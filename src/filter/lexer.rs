//! Splits a rule into tokens. Pasted-text damage (typographic quotes and
//! dashes, `\"` from PowerShell, odd spaces, control characters) is reported
//! here, where the characters are seen, and lexed as what was meant so that
//! the parser can keep checking the rest of the rule.

use super::ast::Span;
use super::diagnostics::{Collector, Diagnostic, DiagnosticKind};
use super::display::needs_escape;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Quote {
    /// `"…"`: the only documented form.
    Double,
    /// `'…'`, also `‘…’`.
    Single,
    /// `“…”`.
    Curly,
    /// `\"…\"` or `` `"…`" ``.
    Escaped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    /// A quoted string; `content` excludes the quotes.
    Str {
        content: Span,
        quote: Quote,
    },
    /// `-word` (also with a typographic dash); the word starts at `name`.
    Dashed {
        name: usize,
    },
    /// A bare word: `device.trustType`, `True`, `eq`, `and`, `null`, `ServerAD`.
    Word,
    /// A run of `= ! & | < >`.
    Symbol,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Logic {
    And,
    Or,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub kind: Tok,
    pub span: Span,
    /// Set when the token is some spelling of `-and`/`-or` (`and`, `&&`,
    /// `–or`…); computed once because the parser asks at every step.
    pub logic: Option<Logic>,
}

fn logic_of(src: &str, kind: Tok, span: Span) -> Option<Logic> {
    match kind {
        Tok::Dashed { name } => logic_word(&src.as_bytes()[name..span.end]),
        Tok::Word => logic_word(&src.as_bytes()[span.start..span.end]),
        Tok::Symbol => match &src[span.start..span.end] {
            "&&" | "&" => Some(Logic::And),
            "||" | "|" => Some(Logic::Or),
            _ => None,
        },
        _ => None,
    }
}

/// `and`/`or` in any case. ASCII case folding by hand: this runs for every word.
#[inline(always)]
fn logic_word(word: &[u8]) -> Option<Logic> {
    match *word {
        [a, n, d] if [a | 0x20, n | 0x20, d | 0x20] == *b"and" => Some(Logic::And),
        [o, r] if [o | 0x20, r | 0x20] == *b"or" => Some(Logic::Or),
        _ => None,
    }
}

/// Byte classes for the hot loops (one table lookup per byte).
/// ASCII bytes for which `is_word_char` holds.
const WORD: u8 = 1;
/// Printable ASCII that cannot end or escape a string.
const PLAIN: u8 = 2;
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0x20;
    while b < 0x7f {
        if !matches!(b, b'"' | b'\'' | b'\\' | b'`') {
            t[b as usize] |= PLAIN;
        }
        if (b as char).is_ascii_alphanumeric()
            || matches!(
                b,
                b'.' | b'_' | b':' | b'-' | b'$' | b'@' | b'#' | b'/' | b'+' | b'*' | b'^'
            )
        {
            t[b as usize] |= WORD;
        }
        b += 1;
    }
    t
};

/// The end of the run of bytes of `class` (one of the bits above) that
/// starts at `i`. Strings and property names are long runs, so eight bytes
/// are tested per step (their classes ANDed, one branch instead of eight),
/// then the rest one at a time.
#[inline(always)]
fn run_end(bytes: &[u8], mut i: usize, class: u8) -> usize {
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let all = chunk
            .iter()
            .fold(class, |acc, &b| acc & BYTE_CLASS[b as usize]);
        if all == 0 {
            break;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if BYTE_CLASS[b as usize] & class == 0 {
            break;
        }
        i += 1;
    }
    i
}

#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '.' | '_' | ':' | '-' | '$' | '@' | '#' | '/' | '+' | '*' | '^'
        )
}

#[inline]
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

#[inline]
fn is_delimiter(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, ')' | ']' | ',' | '(' | '['),
    }
}

#[inline]
fn is_double_family(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}')
}

#[inline]
fn is_single_family(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    tokens: Vec<Token>,
    diags: &'a mut Collector,
}

thread_local! {
    /// The token buffer of the last check on this thread. The editor checks
    /// on every keystroke, and for a long rule a fresh buffer is the largest
    /// allocation of a check (and makes the allocator consolidate its bins).
    static TOKENS: std::cell::Cell<Vec<Token>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Buffers above this many tokens (a pasted megabyte) are not kept.
const KEEP_TOKENS: usize = 4096;

/// Lexes `src` and hands the tokens to `f`, reusing this thread's buffer.
pub(crate) fn with_tokens<R>(
    src: &str,
    diags: &mut Collector,
    f: impl FnOnce(&[Token], &mut Collector) -> R,
) -> R {
    // Taken out of the cell, so a nested call (there is none) would just
    // start with an empty buffer.
    let mut tokens = TOKENS.with(|t| t.take());
    tokens.clear();
    tokens.reserve(src.len() / 6 + 4);
    let mut lx = Lexer {
        src,
        pos: 0,
        tokens,
        diags,
    };
    lx.run();
    let tokens = lx.tokens;
    let r = f(&tokens, diags);
    if tokens.capacity() <= KEEP_TOKENS {
        TOKENS.with(|t| t.set(tokens));
    }
    r
}

impl Lexer<'_> {
    /// The char at byte `i`; ASCII (nearly every byte of a rule) without decoding.
    #[inline(always)]
    fn peek_at(&self, i: usize) -> Option<char> {
        let b = *self.src.as_bytes().get(i)?;
        if b < 0x80 {
            Some(b as char)
        } else {
            self.src.get(i..).and_then(|s| s.chars().next())
        }
    }

    /// Pushes a bare or dashed word whose letters are `name..end`.
    #[inline(always)]
    fn push_word(&mut self, kind: Tok, name: usize, start: usize, end: usize) {
        let logic = logic_word(&self.src.as_bytes()[name..end]);
        self.tokens.push(Token {
            kind,
            span: Span::new(start, end),
            logic,
        });
        self.pos = end;
    }

    #[inline]
    fn push(&mut self, kind: Tok, start: usize, end: usize) {
        let span = Span::new(start, end);
        let logic = logic_of(self.src, kind, span);
        self.tokens.push(Token { kind, span, logic });
        self.pos = end;
    }

    fn run(&mut self) {
        let bytes = self.src.as_bytes();
        loop {
            // Tokens are nearly always separated by one space: skipping it
            // here saves a trip through the dispatch below (a hard-to-predict
            // indirect jump).
            if bytes.get(self.pos) == Some(&b' ') {
                self.pos += 1;
            }
            let Some(&b) = bytes.get(self.pos) else { break };
            let start = self.pos;
            // ASCII fast paths for what nearly every rule is made of; each
            // does exactly what `other` does for the same input.
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.pos += 1,
                b'(' => self.push(Tok::LParen, start, start + 1),
                b')' => self.push(Tok::RParen, start, start + 1),
                b'[' => self.push(Tok::LBracket, start, start + 1),
                b']' => self.push(Tok::RBracket, start, start + 1),
                b',' => self.push(Tok::Comma, start, start + 1),
                b'"' => {
                    if !self.plain_string(start) {
                        self.string(start, 1, Quote::Double);
                    }
                }
                b'-' if bytes.get(start + 1).is_some_and(u8::is_ascii_alphanumeric) => {
                    let e = self.word_end(start + 1);
                    self.push_word(Tok::Dashed { name: start + 1 }, start + 1, start, e);
                }
                b if b.is_ascii_alphanumeric() => {
                    let e = self.word_end(start);
                    self.push_word(Tok::Word, start, start, e);
                }
                _ => self.other(start),
            }
        }
    }

    /// `"…"` made only of printable ASCII and closed before a delimiter: no
    /// diagnostic to report. Returns false (having done nothing) otherwise.
    #[inline]
    fn plain_string(&mut self, start: usize) -> bool {
        let bytes = self.src.as_bytes();
        let content_start = start + 1;
        let i = run_end(bytes, content_start, PLAIN);
        if bytes.get(i) != Some(&b'"') || !is_delimiter(self.peek_at(i + 1)) {
            return false;
        }
        self.tokens.push(Token {
            kind: Tok::Str {
                content: Span::new(content_start, i),
                quote: Quote::Double,
            },
            span: Span::new(start, i + 1),
            logic: None,
        });
        self.pos = i + 1;
        true
    }

    /// Lexes one token (or reports one character) starting at `start`.
    fn other(&mut self, start: usize) {
        let Some(c) = self.peek_at(start) else {
            return;
        };
        let end = start + c.len_utf8();
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                let bytes = self.src.as_bytes();
                self.pos = end
                    + bytes[end..]
                        .iter()
                        .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                        .count();
            }
            '(' => self.push(Tok::LParen, start, end),
            ')' => self.push(Tok::RParen, start, end),
            '[' => self.push(Tok::LBracket, start, end),
            ']' => self.push(Tok::RBracket, start, end),
            ',' => self.push(Tok::Comma, start, end),
            '\\' | '`' if self.peek_at(end) == Some('"') => self.string(start, 2, Quote::Escaped),
            '"' => self.string(start, 1, Quote::Double),
            c if is_double_family(c) => self.string(start, c.len_utf8(), Quote::Curly),
            c if is_single_family(c) => self.string(start, c.len_utf8(), Quote::Single),
            c if is_dash(c) && self.peek_at(end).is_some_and(char::is_alphanumeric) => {
                if c != '-' {
                    let span = Span::new(start, end);
                    self.diags.push(
                        Diagnostic::new(DiagnosticKind::TypographicDash { dash: c }, span)
                            .with_fix(span, "-", "replace with `-`"),
                    );
                }
                let word_end = self.word_end(end);
                self.push(Tok::Dashed { name: end }, start, word_end);
            }
            '=' | '!' | '&' | '|' | '<' | '>' | '~' => {
                let mut e = end;
                while let Some(n @ ('=' | '!' | '&' | '|' | '<' | '>' | '~')) = self.peek_at(e) {
                    e += n.len_utf8();
                }
                self.push(Tok::Symbol, start, e);
            }
            c if is_word_char(c) && !is_dash(c) => {
                let e = self.word_end(start);
                self.push(Tok::Word, start, e);
            }
            c if c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}') => {
                // Non-breaking and zero-width spaces come with text copied from web pages.
                let replacement = if c.is_whitespace() { " " } else { "" };
                let span = Span::new(start, end);
                self.diags.push(
                    Diagnostic::new(DiagnosticKind::UnusualWhitespace { space: c }, span).with_fix(
                        span,
                        replacement,
                        "replace with a plain space",
                    ),
                );
                self.pos = end;
            }
            c => {
                self.diags.push(Diagnostic::new(
                    DiagnosticKind::UnexpectedCharacter { found: c },
                    Span::new(start, end),
                ));
                self.pos = end;
            }
        }
    }

    /// Inlined into the lexer loop: a call per word was a tenth of a check.
    #[inline(always)]
    fn word_end(&self, mut i: usize) -> usize {
        let bytes = self.src.as_bytes();
        loop {
            i = run_end(bytes, i, WORD);
            // Past the ASCII run: a non-ASCII letter continues the word.
            match self.peek_at(i) {
                Some(c) if !c.is_ascii() && is_word_char(c) => i += c.len_utf8(),
                _ => return i,
            }
        }
    }

    /// Lexes a quoted string whose opening quote is `open_len` bytes at `start`.
    fn string(&mut self, start: usize, open_len: usize, mut quote: Quote) {
        let open = self.peek_at(start).unwrap_or('"');
        let double = quote == Quote::Escaped || is_double_family(open);
        let content_start = start + open_len;
        let mut i = content_start;
        let mut closing: Option<(usize, usize)> = None; // (content end, token end)
        let mut closing_char = '"';
        let bytes = self.src.as_bytes();
        loop {
            // Plain printable ASCII other than quotes and escapes needs no decision.
            i = run_end(bytes, i, PLAIN);
            let Some(c) = self.peek_at(i) else { break };
            let w = c.len_utf8();
            let candidate_len = if quote == Quote::Escaped
                && matches!(c, '\\' | '`')
                && self.peek_at(i + 1) == Some('"')
            {
                Some(2)
            } else if (double && is_double_family(c)) || (!double && is_single_family(c)) {
                Some(w)
            } else {
                None
            };
            if let Some(len) = candidate_len {
                if is_delimiter(self.peek_at(i + len)) {
                    closing = Some((i, i + len));
                    closing_char = c;
                    break;
                }
                if c == '"' && quote != Quote::Escaped {
                    // A straight quote followed by more text: the value contains `"`.
                    self.diags.push(Diagnostic::new(
                        DiagnosticKind::EmbeddedQuote,
                        Span::new(i, i + 1),
                    ));
                }
                i += len;
                continue;
            }
            if c.is_control() {
                self.diags.push(Diagnostic::new(
                    DiagnosticKind::ControlCharacter { found: c },
                    Span::new(i, i + w),
                ));
            } else if needs_escape(c) {
                // Bidi controls and zero-width characters make a value look like
                // another one; they come with text pasted from web pages and chats.
                let span = Span::new(i, i + w);
                self.diags.push(
                    Diagnostic::new(DiagnosticKind::InvisibleCharacter { found: c }, span)
                        .with_fix(span, "", "remove it"),
                );
            }
            i += w;
        }
        let (content_end, end) = match closing {
            Some(c) => c,
            None => {
                let len = self.src.len();
                let mut d =
                    Diagnostic::new(DiagnosticKind::UnterminatedString, Span::new(start, len));
                if !self.src[content_start..].contains(char::is_whitespace) {
                    d = d.with_fix(Span::at(len), "\"", "add the closing `\"`");
                }
                self.diags.push(d);
                (len, len)
            }
        };
        if quote == Quote::Double && closing.is_some() && closing_char != '"' {
            quote = Quote::Curly;
        }
        let content = &self.src[content_start..content_end];
        let span = Span::new(start, end);
        let problem = match quote {
            Quote::Double => None,
            Quote::Curly => Some(DiagnosticKind::TypographicQuote { single: false }),
            Quote::Single if open == '\'' && (closing.is_none() || closing_char == '\'') => {
                Some(DiagnosticKind::SingleQuotedString)
            }
            Quote::Single => Some(DiagnosticKind::TypographicQuote { single: true }),
            Quote::Escaped => Some(DiagnosticKind::EscapedQuote),
        };
        if let Some(kind) = problem {
            let mut d = Diagnostic::new(kind, span);
            if closing.is_some() && !content.contains('"') {
                d = d.with_fix(span, format!("\"{content}\""), "use straight double quotes");
            }
            self.diags.push(d);
        }
        self.push(
            Tok::Str {
                content: Span::new(content_start, content_end),
                quote,
            },
            start,
            end,
        );
    }
}
