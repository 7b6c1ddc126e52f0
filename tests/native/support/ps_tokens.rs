//! How PowerShell reads a script's bytes and where its strings and comments start and end,
//! written from PowerShell's own rules (the tokenizer's `CharTraits` quote classes), not from
//! the exporter, so the tests do not trust the code they check.
//!
//! - Bytes: Windows PowerShell 5.1 reads a `.ps1` with a UTF-8 BOM as UTF-8 and one without in
//!   the ANSI code page (Windows-1252 here); PowerShell 7 reads UTF-8. A script pasted from the
//!   clipboard or re-saved by an editor may lose its BOM, so the text is read as 1252 too.
//! - Tokens: single-quoted strings end at any of `' ‘ ’ ‚ ‛` (two in a row stand for the
//!   second); double-quoted strings at any of `" “ ” „`, with backtick escapes and `$(…)`
//!   subexpressions; comments `#…` and `<#…#>`; here-strings `@'…'@` and `@"…"@`.
//!   tree-sitter's grammar knows only the ASCII quotes, so this is what says where PowerShell
//!   ends a literal.

/// PowerShell's single quotes (`IsSingleQuote`).
fn is_sq(c: char) -> bool {
    matches!(
        c,
        '\u{27}' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}'
    )
}

/// PowerShell's double quotes (`IsDoubleQuote`); U+201F is not one.
fn is_dq(c: char) -> bool {
    matches!(c, '\u{22}' | '\u{201C}' | '\u{201D}' | '\u{201E}')
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '{'
            | '}'
            | '['
            | ']'
            | ';'
            | ','
            | '='
            | '+'
            | '|'
            | '&'
            | '@'
            | '.'
            | '!'
            | '<'
            | '>'
            | '*'
            | '/'
            | '%'
    )
}

/// Windows-1252, as .NET decodes it: 0x80–0x9F per the code page (the five bytes it leaves
/// undefined, 0x81 0x8D 0x8F 0x90 0x9D, map to the same code point), every other byte to the
/// code point of the same value.
pub fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => char::from_u32(HIGH[usize::from(b - 0x80)]).unwrap(),
            _ => char::from(b),
        })
        .collect()
}

const BOM: &[u8] = b"\xef\xbb\xbf";

/// The ways a script's bytes get read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Windows PowerShell 5.1 opening the file: UTF-8 after a BOM, Windows-1252 without one.
    WindowsPowerShell,
    /// PowerShell 7: UTF-8 (a BOM is skipped).
    PowerShell7,
    /// The text without its BOM (copied, or re-saved by an editor), read by 5.1: Windows-1252.
    BomLost,
}

pub const READINGS: [Reading; 3] = [
    Reading::WindowsPowerShell,
    Reading::PowerShell7,
    Reading::BomLost,
];

pub fn read(bytes: &[u8], reading: Reading) -> String {
    let without_bom = bytes.strip_prefix(BOM);
    match (reading, without_bom) {
        (Reading::WindowsPowerShell, Some(rest)) | (Reading::PowerShell7, Some(rest)) => {
            String::from_utf8_lossy(rest).into_owned()
        }
        (Reading::PowerShell7, None) => String::from_utf8_lossy(bytes).into_owned(),
        (Reading::WindowsPowerShell, None) | (Reading::BomLost, None) => windows_1252(bytes),
        (Reading::BomLost, Some(rest)) => windows_1252(rest),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// A string value, decoded: a single-quoted literal, or (after [`tokens`]) a
    /// `(-join (…))` of single-quoted literals and `[char]0xHHHH` codes.
    Str(String),
    /// A double-quoted string or here-string, as written: it expands `$…` and `$(…)`.
    Expandable(String),
    /// A verbatim here-string, decoded.
    HereString(String),
    /// A comment, as written.
    Comment(String),
    NewLine,
    /// Anything else: a word, a variable, a number, an operator or punctuation (dashes read
    /// as `-`).
    Code(String),
}

/// The tokens of `src` by PowerShell's quote and comment rules. Errors on a string or comment
/// that never ends.
pub fn raw_tokens(src: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied();
    while let Some(c) = at(i) {
        match c {
            '\r' | '\n' => {
                if c == '\r' && at(i + 1) == Some('\n') {
                    i += 1;
                }
                out.push(Token::NewLine);
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            '`' => {
                // A backtick escapes the next character; before a line break it continues the line.
                match at(i + 1) {
                    Some('\r') | Some('\n') => {
                        i += if at(i + 1) == Some('\r') && at(i + 2) == Some('\n') {
                            3
                        } else {
                            2
                        }
                    }
                    Some(n) => {
                        out.push(Token::Code(format!("`{n}")));
                        i += 2;
                    }
                    None => i += 1,
                }
            }
            '#' => {
                let end = (i..chars.len())
                    .find(|&j| matches!(chars[j], '\r' | '\n'))
                    .unwrap_or(chars.len());
                out.push(Token::Comment(chars[i..end].iter().collect()));
                i = end;
            }
            '<' if at(i + 1) == Some('#') => {
                let end = (i + 2..chars.len().saturating_sub(1))
                    .find(|&j| chars[j] == '#' && chars[j + 1] == '>')
                    .ok_or_else(|| format!("block comment at {i} never ends"))?;
                out.push(Token::Comment(chars[i..end + 2].iter().collect()));
                i = end + 2;
            }
            '@' if at(i + 1).is_some_and(|q| is_sq(q) || is_dq(q)) && here_start(&chars, i + 2) => {
                let single = at(i + 1).is_some_and(is_sq);
                let body_start = line_end(&chars, i + 2) + 1;
                // Ends at a line that starts with a quote of the same class and `@`.
                let mut j = body_start;
                let end = loop {
                    if j >= chars.len() {
                        return Err(format!("here-string at {i} never ends"));
                    }
                    let starts_line = j == body_start || matches!(chars[j - 1], '\n' | '\r');
                    let quote = if single {
                        is_sq(chars[j])
                    } else {
                        is_dq(chars[j])
                    };
                    if starts_line && quote && at(j + 1) == Some('@') {
                        break j;
                    }
                    j += 1;
                };
                let body: String = chars[body_start..end.max(body_start)].iter().collect();
                let body = body
                    .strip_suffix("\r\n")
                    .or_else(|| body.strip_suffix('\n'))
                    .unwrap_or(&body)
                    .to_string();
                out.push(if single {
                    Token::HereString(body)
                } else {
                    Token::Expandable(body)
                });
                i = end + 2;
            }
            c if is_sq(c) => {
                let mut value = String::new();
                let mut j = i + 1;
                loop {
                    match at(j) {
                        None => return Err(format!("single-quoted string at {i} never ends")),
                        Some(q) if is_sq(q) => {
                            if let Some(next) = at(j + 1).filter(|n| is_sq(*n)) {
                                value.push(next);
                                j += 2;
                            } else {
                                break;
                            }
                        }
                        Some(other) => {
                            value.push(other);
                            j += 1;
                        }
                    }
                }
                out.push(Token::Str(value));
                i = j + 1;
            }
            c if is_dq(c) => {
                let end = double_quoted_end(&chars, i + 1)
                    .ok_or_else(|| format!("double-quoted string at {i} never ends"))?;
                out.push(Token::Expandable(chars[i..=end].iter().collect()));
                i = end + 1;
            }
            '$' => {
                let mut j = i + 1;
                if at(j) == Some('{') {
                    while at(j).is_some_and(|c| c != '}') {
                        j += 1;
                    }
                    j += 1;
                } else {
                    while at(j).is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '?'))
                    {
                        j += 1;
                    }
                }
                out.push(Token::Code(chars[i..j.min(chars.len())].iter().collect()));
                i = j;
            }
            c if is_punct(c) => {
                out.push(Token::Code(c.to_string()));
                i += 1;
            }
            _ => {
                let mut word = String::new();
                while let Some(c) = at(i) {
                    if c.is_whitespace()
                        || is_punct(c)
                        || is_sq(c)
                        || is_dq(c)
                        || matches!(c, '`' | '$' | '#')
                    {
                        break;
                    }
                    word.push(if matches!(c, '\u{2013}' | '\u{2014}' | '\u{2015}') {
                        '-'
                    } else {
                        c
                    });
                    i += 1;
                }
                out.push(Token::Code(word));
            }
        }
    }
    Ok(out)
}

/// Whether a here-string header ends its line (only blanks may follow the quote).
fn here_start(chars: &[char], from: usize) -> bool {
    let end = line_end(chars, from);
    end < chars.len() && chars[from..end].iter().all(|c| *c == ' ' || *c == '\t')
}

fn line_end(chars: &[char], from: usize) -> usize {
    let mut j = from;
    while j < chars.len() && chars[j] != '\n' {
        j += 1;
    }
    j
}

/// The index of the quote that ends a double-quoted string whose text starts at `from`.
fn double_quoted_end(chars: &[char], from: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        let c = chars[j];
        if c == '`' {
            j += 2;
        } else if is_dq(c) {
            if chars.get(j + 1).is_some_and(|n| is_dq(*n)) {
                j += 2;
            } else {
                return Some(j);
            }
        } else if c == '$' && chars.get(j + 1) == Some(&'(') {
            j = subexpression_end(chars, j + 2)? + 1;
        } else {
            j += 1;
        }
    }
    None
}

/// The index of the `)` closing a `$(` whose body starts at `from`; strings inside count.
fn subexpression_end(chars: &[char], from: usize) -> Option<usize> {
    let mut depth = 1;
    let mut j = from;
    while j < chars.len() {
        let c = chars[j];
        if is_sq(c) {
            j += 1;
            while j < chars.len() {
                if is_sq(chars[j]) {
                    if chars.get(j + 1).is_some_and(|n| is_sq(*n)) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
        } else if is_dq(c) {
            j = double_quoted_end(chars, j + 1)?;
        } else if c == '(' {
            depth += 1;
        } else if c == ')' {
            depth -= 1;
            if depth == 0 {
                return Some(j);
            }
        }
        j += 1;
    }
    None
}

/// [`raw_tokens`] with every `(-join (e, …))` whose elements are only strings and
/// `[char]0xHHHH` codes folded into the one string it evaluates to.
pub fn tokens(src: &str) -> Result<Vec<Token>, String> {
    let raw = raw_tokens(src)?;
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match join_at(&raw, i) {
            Some((value, next)) => {
                out.push(Token::Str(value?));
                i = next;
            }
            None => {
                out.push(raw[i].clone());
                i += 1;
            }
        }
    }
    Ok(out)
}

fn code_is(t: Option<&Token>, s: &str) -> bool {
    matches!(t, Some(Token::Code(c)) if c.eq_ignore_ascii_case(s))
}

/// `( -join ( e , e … ) )` at `i`: the joined value and the index after it.
fn join_at(t: &[Token], i: usize) -> Option<(Result<String, String>, usize)> {
    if !(code_is(t.get(i), "(") && code_is(t.get(i + 1), "-join") && code_is(t.get(i + 2), "(")) {
        return None;
    }
    let mut units: Vec<u16> = Vec::new();
    let mut j = i + 3;
    loop {
        match t.get(j) {
            Some(Token::Str(s)) => {
                units.extend(s.encode_utf16());
                j += 1;
            }
            Some(Token::Code(c)) if c == "[" => {
                if !(code_is(t.get(j + 1), "char") && code_is(t.get(j + 2), "]")) {
                    return None;
                }
                let Some(Token::Code(hex)) = t.get(j + 3) else {
                    return None;
                };
                let unit = hex
                    .strip_prefix("0x")
                    .and_then(|h| u16::from_str_radix(h, 16).ok())?;
                units.push(unit);
                j += 4;
            }
            _ => return None,
        }
        if code_is(t.get(j), ",") {
            j += 1;
            continue;
        }
        if code_is(t.get(j), ")") && code_is(t.get(j + 1), ")") {
            let value = String::from_utf16(&units)
                .map_err(|_| format!("[char] codes at token {i} are not valid UTF-16"));
            return Some((value, j + 2));
        }
        return None;
    }
}

/// Checks that `got` is `plain` with only data changed: the same tokens outside strings and
/// comments, and each string of `got` equal to the string of `plain` at the same place, or
/// to it with `plain_name` replaced by one of `encodings` (the name as the script must carry
/// it there: itself, OData-quoted, JSON-escaped…). `derived` lists other `(plain, hostile)`
/// values computed from the name (a mail nickname), replaced in strings the same way.
pub fn same_code(
    plain: &[Token],
    got: &[Token],
    plain_name: &str,
    encodings: &[String],
    derived: &[(String, String)],
) -> Result<(), String> {
    for (k, t) in got.iter().enumerate() {
        if matches!(t, Token::Expandable(_) | Token::HereString(_)) {
            return Err(format!("token {k}: {t:?} is never generated"));
        }
    }
    if plain.len() != got.len() {
        let first = plain
            .iter()
            .zip(got)
            .position(|(p, g)| {
                std::mem::discriminant(p) != std::mem::discriminant(g)
                    || matches!((p, g), (Token::Code(a), Token::Code(b)) if a != b)
            })
            .unwrap_or(plain.len().min(got.len()));
        return Err(format!(
            "{} tokens instead of {}; first difference at token {first}: {:?} instead of {:?}",
            got.len(),
            plain.len(),
            got.get(first..(first + 6).min(got.len())),
            plain.get(first..(first + 6).min(plain.len()))
        ));
    }
    for (k, (p, g)) in plain.iter().zip(got).enumerate() {
        let ok = match (p, g) {
            (Token::Code(a), Token::Code(b)) => a == b,
            (Token::NewLine, Token::NewLine) | (Token::Comment(_), Token::Comment(_)) => true,
            (Token::Str(a), Token::Str(b)) => {
                let mut a = a.clone();
                for (dp, dh) in derived {
                    a = a.replace(dp.as_str(), dh);
                }
                a == *b
                    || (a.contains(plain_name)
                        && encodings.iter().any(|e| a.replace(plain_name, e) == *b))
            }
            _ => false,
        };
        if !ok {
            return Err(format!("token {k}: {g:?} where the plain script has {p:?}"));
        }
    }
    Ok(())
}
