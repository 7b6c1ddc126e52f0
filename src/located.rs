//! [`Located`]: an error in a text the admin gave (a policy file, a pasted configuration, a
//! typed list), with where it is. Import, the builders, the CLI and the page all report input
//! errors in this one type, so a file error reads the same everywhere: the CLI prefixes the
//! file name (`FILE:LINE:COLUMN: message`), the page shows `LINE:COLUMN: message`.

use std::fmt;

/// Why a text cannot be used, and where: 1-based line and column, counted in characters, so the
/// position is where an editor shows it. Line and column are 0 when the problem is the
/// document as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Located {
    pub fn new(line: usize, column: usize, message: impl Into<String>) -> Located {
        Located {
            line,
            column,
            message: message.into(),
        }
    }

    /// An error at byte `offset` of `text`, located in characters.
    pub fn at_offset(text: &str, offset: usize, message: impl Into<String>) -> Located {
        let (line, column) = line_column_at(text, offset);
        Located::new(line, column, message)
    }

    /// An error about the document as a whole (`0:0`).
    pub fn whole(message: impl Into<String>) -> Located {
        Located::new(0, 0, message)
    }

    /// The error as printed for the file `source`: `FILE:LINE:COLUMN: message`.
    pub fn in_file<'a>(&'a self, source: &'a str) -> impl fmt::Display + 'a {
        InFile {
            source,
            error: self,
        }
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for Located {}

struct InFile<'a> {
    source: &'a str,
    error: &'a Located,
}

impl fmt::Display for InFile<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.source, self.error)
    }
}

/// 1-based line and character column of a byte offset (clamped to the text, and moved back to
/// the start of the character it falls in).
pub fn line_column_at(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_files_prefix_the_name() {
        let text = "{\n  \"displayName\": \"Zoë\", x";
        let at = text.find('x').unwrap();
        let e = Located::at_offset(text, at, "invalid JSON");
        assert_eq!((e.line, e.column), (2, 25));
        assert_eq!(e.to_string(), "2:25: invalid JSON");
        assert_eq!(e.in_file("p.json").to_string(), "p.json:2:25: invalid JSON");
        assert_eq!(Located::whole("empty").to_string(), "0:0: empty");
        // Inside a multi-byte character: the character's own column.
        assert_eq!(line_column_at("ë", 1), (1, 1));
    }
}
