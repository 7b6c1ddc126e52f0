//! The change document as data: sections of paragraphs, term lists, lists, tables, code and
//! the grid picture. `markdown` and `html` write the same document, so the two versions never
//! say different things; every text here is plain text, escaped only by the writer.

use super::svg::GridPicture;

/// One piece of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    /// Terms with their description ("Users included" → "All users").
    Facts(Vec<(String, String)>),
    List(Vec<String>),
    /// Ordered steps.
    Steps(Vec<String>),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A JSON body (or other literal text), shown as written.
    Code(String),
    /// The bootstrap proof's persona × device grid.
    Grid(GridPicture),
}

/// A heading (level 2 for a part of the document, 3 inside one) and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub level: u8,
    pub heading: String,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn new(level: u8, heading: impl Into<String>) -> Section {
        Section {
            level,
            heading: heading.into(),
            blocks: vec![],
        }
    }

    pub fn push(&mut self, block: Block) -> &mut Section {
        self.blocks.push(block);
        self
    }
}

/// The whole document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub sections: Vec<Section>,
}
