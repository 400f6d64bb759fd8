//! The small document model every import goes through: text and Word files are read into
//! it, recognition works on it, and Markdown is written from it.

/// A run of text with one formatting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// The address of a link around the text.
    pub link: Option<String>,
}

/// Text inside a block: formatted spans and forced line breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Span(Span),
    Break,
}

/// A block of the document, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Level 0 is the document title, 1 the top section heading.
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    List(Vec<ListItem>),
    /// Rows of cells; the first row is shown as the header.
    Table(Vec<Vec<Vec<Inline>>>),
}

/// One item of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub marker: Marker,
    /// Nesting depth, 0 for a top-level item.
    pub level: u8,
    pub content: Vec<Inline>,
}

/// How a list item is marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    Bullet,
    /// A numbered item; `None` when the number is counted, as in Word's numbering.
    Number(Option<u32>),
    /// A label Markdown cannot number: "3a", "8 t/m 11".
    Label(String),
}

/// A whole document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
}

/// Unformatted inline text.
pub fn plain(text: &str) -> Vec<Inline> {
    vec![Inline::Span(Span {
        text: text.to_string(),
        ..Span::default()
    })]
}

/// The text of inline content without formatting; breaks become newlines.
pub fn text_of(content: &[Inline]) -> String {
    content
        .iter()
        .map(|inline| match inline {
            Inline::Span(span) => span.text.as_str(),
            Inline::Break => "\n",
        })
        .collect()
}

impl Block {
    /// The text of a heading or paragraph, or `None` for lists and tables.
    pub fn text(&self) -> Option<String> {
        match self {
            Block::Heading { content, .. } | Block::Paragraph(content) => {
                Some(text_of(content).trim().to_string())
            }
            Block::List(_) | Block::Table(_) => None,
        }
    }
}

impl Document {
    /// Every piece of text, blocks separated by newlines, for searching dates and years.
    pub fn full_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Heading { content, .. } | Block::Paragraph(content) => {
                    out.push_str(&text_of(content));
                }
                Block::List(items) => {
                    for item in items {
                        out.push_str(&text_of(&item.content));
                        out.push('\n');
                    }
                }
                Block::Table(rows) => {
                    for cell in rows.iter().flatten() {
                        out.push_str(&text_of(cell));
                        out.push('\n');
                    }
                }
            }
            out.push('\n');
        }
        out
    }
}

/// Whether a line reads like a heading or title: short, capitalised, no closing
/// punctuation, and not a "Label: value" line.
pub fn is_heading_like(line: &str) -> bool {
    let line = line.trim();
    let words = line.split_whitespace().count();
    let starts_well = line
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let ends_open = !line.ends_with(['.', ',', ';', ':', '!']);
    (2..=80).contains(&line.chars().count())
        && words <= 10
        && starts_well
        && ends_open
        && label_of(line).is_none()
        && !line.contains('\n')
}

/// The label of a "Label: value" line ("Aanwezig: …"), lowercased, if it has one.
pub fn label_of(line: &str) -> Option<(String, &str)> {
    let (label, rest) = line.split_once(':')?;
    let label = label.trim();
    let words = label.split_whitespace().count();
    let is_label = (1..=5).contains(&words)
        && label
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-')
        && !rest.starts_with("//");
    is_label.then(|| (label.to_lowercase(), rest.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_like_lines() {
        assert!(is_heading_like("Opening en Welkom"));
        assert!(is_heading_like("Coronaherstelplan 2022"));
        assert!(is_heading_like("Vergadering 14 december 2021"));
        assert!(!is_heading_like("De voorzitter opent de vergadering."));
        assert!(!is_heading_like("Aanwezig: An, Bas"));
        assert!(!is_heading_like("kleine letter aan het begin"));
        assert!(!is_heading_like(
            "Een regel met veel te veel woorden om nog een kop te kunnen zijn hier"
        ));
    }

    #[test]
    fn labels() {
        assert_eq!(
            label_of("Afwezig met kennisgeving: Cees"),
            Some(("afwezig met kennisgeving".to_string(), "Cees"))
        );
        assert_eq!(label_of("Tijd: 19.30"), Some(("tijd".to_string(), "19.30")));
        assert_eq!(label_of("https://example.nl"), None);
    }
}
