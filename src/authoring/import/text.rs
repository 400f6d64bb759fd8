//! Plain text, as copied from a website or saved from Word, read into the document model.
//!
//! Blank lines separate blocks. Inside a block each line is classified: a list item
//! ("•", "-", "1.", "1)", "3a", "8 t/m 11"), a heading (a short line followed by text), or
//! running text. Copied web text puts every paragraph on its own line; a line that starts
//! in lowercase after one without closing punctuation continues the previous one.

use super::document::{Block, Document, ListItem, Marker, is_heading_like, plain};

const BULLETS: [char; 7] = ['•', '·', '▪', '◦', '-', '–', '*'];

/// Reads a plain text into blocks.
pub fn parse(text: &str) -> Document {
    let text = normalise(text);
    let groups: Vec<Vec<&str>> = text
        .split("\n\n")
        .map(|group| {
            group
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|group| !group.is_empty())
        .collect();
    let mut blocks = Vec::new();
    for (index, lines) in groups.iter().enumerate() {
        let next = groups
            .get(index + 1)
            .and_then(|group| group.first().copied());
        for block in group_blocks(lines, next) {
            push_merging_lists(&mut blocks, block);
        }
    }
    Document { blocks }
}

/// Line endings, odd spaces and invisible characters made plain; blank lines collapsed.
fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let cleaned: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}'
            )
        })
        .map(|c| match c {
            '\u{a0}' | '\t' | '\u{2007}' | '\u{202f}' => ' ',
            '\u{2028}' | '\u{2029}' | '\u{c}' => '\n',
            c => c,
        })
        .collect();
    let lines: Vec<&str> = cleaned.lines().map(str::trim_end).collect();
    let mut out = String::with_capacity(cleaned.len());
    for line in lines {
        if line.is_empty() && (out.is_empty() || out.ends_with("\n\n")) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The blocks of one group of lines between blank lines.
fn group_blocks(lines: &[&str], next: Option<&str>) -> Vec<Block> {
    if let ([line], Some(next)) = (lines, next)
        && is_standalone_heading(line, next)
    {
        return vec![Block::Heading {
            level: 1,
            content: plain(line),
        }];
    }
    let mut builder = Builder::default();
    for (i, line) in lines.iter().enumerate() {
        match list_marker(line) {
            Some((marker, text)) => builder.item(marker, text),
            None if is_inner_heading(lines, i) => builder.heading(line),
            None => builder.text(line),
        }
    }
    builder.finish()
}

/// A line on its own before more text is a heading: "Rondvraag", or a numbered agenda
/// point ("3. Ingekomen stukken") unless the next block goes on with the list.
fn is_standalone_heading(line: &str, next: &str) -> bool {
    match list_marker(line) {
        None => is_heading_like(line),
        Some((Marker::Number(_), text)) => {
            is_heading_like(text) && !text.ends_with('?') && list_marker(next).is_none()
        }
        Some(_) => false,
    }
}

/// A heading inside a block: a heading-like line after a finished sentence (or at the
/// start), followed by a longer sentence or a list.
fn is_inner_heading(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    let after_sentence = i == 0 || lines[i - 1].ends_with(['.', '!', '?']);
    let followed_by_text = lines.get(i + 1).is_some_and(|next| {
        list_marker(next).is_some()
            || (next.len() > line.len() && next.ends_with(['.', '!', '?', ':']))
    });
    is_heading_like(line) && !line.ends_with('?') && after_sentence && followed_by_text
}

/// Collects the blocks of one group, line by line.
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    paragraph: Option<String>,
    list: Vec<ListItem>,
    /// Whether text lines after the last item belong to it: true when the item is a short
    /// label ("1. verslag workshop") that the next lines explain.
    item_takes_text: bool,
}

impl Builder {
    fn item(&mut self, marker: Marker, text: &str) {
        self.flush_paragraph();
        for (marker, text) in split_inline_enumeration(marker, text) {
            self.item_takes_text = text.chars().count() <= 60 && !text.ends_with(['.', '!']);
            self.list.push(ListItem {
                marker,
                level: 0,
                content: plain(&text),
            });
        }
    }

    fn heading(&mut self, line: &str) {
        self.flush_list();
        self.flush_paragraph();
        self.blocks.push(Block::Heading {
            level: 1,
            content: plain(line),
        });
    }

    fn text(&mut self, line: &str) {
        if self.item_takes_text
            && let Some(item) = self.list.last_mut()
        {
            item.content.push(super::document::Inline::Break);
            item.content.extend(plain(line));
            return;
        }
        self.flush_list();
        match &mut self.paragraph {
            Some(paragraph) if continues(paragraph, line) => {
                paragraph.push(' ');
                paragraph.push_str(line);
            }
            _ => {
                self.flush_paragraph();
                self.paragraph = Some(line.to_string());
            }
        }
    }

    fn flush_paragraph(&mut self) {
        if let Some(text) = self.paragraph.take() {
            self.blocks.push(Block::Paragraph(plain(&text)));
        }
    }

    fn flush_list(&mut self) {
        if !self.list.is_empty() {
            self.blocks
                .push(Block::List(std::mem::take(&mut self.list)));
        }
        self.item_takes_text = false;
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush_paragraph();
        self.flush_list();
        self.blocks
    }
}

/// Whether `next` continues the sentence of `previous` (a line wrapped by an editor).
fn continues(previous: &str, next: &str) -> bool {
    !previous.ends_with(['.', '!', '?', ':', ';'])
        && next.chars().next().is_some_and(char::is_lowercase)
}

/// The list marker at the start of a line and the text after it: "•", "-", "1.", "1)",
/// "3a", "8 t/m 11".
pub fn list_marker(line: &str) -> Option<(Marker, &str)> {
    let line = line.trim_start();
    if let Some(rest) = line.strip_prefix(BULLETS) {
        let bullet_without_space = line.starts_with(['•', '▪']);
        let text = rest.trim_start();
        let spaced = rest.len() > text.len();
        return ((spaced || bullet_without_space) && !text.is_empty())
            .then_some((Marker::Bullet, text));
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let (number, rest) = line.split_at(digits);
    let number: u32 = number.parse().ok()?;
    let (marker, text) = if let Some(text) = rest.strip_prefix(['.', ')']) {
        (Marker::Number(Some(number)), text)
    } else if let Some(text) = rest.strip_prefix(" t/m ") {
        let end = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (last, text) = text.split_at(end);
        if last.is_empty() {
            return None;
        }
        (Marker::Label(format!("{number} t/m {last}")), text)
    } else {
        let letter = rest.chars().next().filter(char::is_ascii_lowercase)?;
        let text = rest[1..].strip_prefix(['.', ')']).unwrap_or(&rest[1..]);
        (Marker::Label(format!("{number}{letter}")), text)
    };
    let trimmed = text.trim_start();
    (trimmed.len() < text.len() && !trimmed.is_empty()).then_some((marker, trimmed))
}

/// "1) campagne 2) workshops 3) conferentie" on one line becomes three items.
fn split_inline_enumeration(marker: Marker, text: &str) -> Vec<(Marker, String)> {
    let Marker::Number(Some(mut number)) = marker else {
        return vec![(marker, text.to_string())];
    };
    let mut items = vec![(Marker::Number(Some(number)), String::new())];
    let mut rest = text;
    loop {
        let next = format!(" {}) ", number + 1);
        let Some(at) = rest.find(&next) else { break };
        if let Some(last) = items.last_mut() {
            last.1 = rest[..at].trim().to_string();
        }
        number += 1;
        items.push((Marker::Number(Some(number)), String::new()));
        rest = &rest[at + next.len()..];
    }
    if let Some(last) = items.last_mut() {
        last.1 = rest.trim().to_string();
    }
    items
}

/// Adds a block, joining a list to the list before it when it continues its numbering.
fn push_merging_lists(blocks: &mut Vec<Block>, block: Block) {
    if let (Some(Block::List(previous)), Block::List(items)) = (blocks.last_mut(), &block)
        && let (Some(last), Some(first)) = (previous.last(), items.first())
    {
        let continues = match (&last.marker, &first.marker) {
            (Marker::Bullet, Marker::Bullet) => true,
            (Marker::Number(Some(a)), Marker::Number(Some(b))) => *b == a + 1,
            _ => false,
        };
        if continues {
            previous.extend(items.iter().cloned());
            return;
        }
    }
    blocks.push(block);
}

#[cfg(test)]
mod tests {
    use super::super::document::text_of;
    use super::*;

    #[test]
    fn list_markers() {
        assert_eq!(
            list_marker("• Armoedebeleid"),
            Some((Marker::Bullet, "Armoedebeleid"))
        );
        assert_eq!(
            list_marker(" • Monitoring"),
            Some((Marker::Bullet, "Monitoring"))
        );
        assert_eq!(list_marker("- punt"), Some((Marker::Bullet, "punt")));
        assert_eq!(
            list_marker("1. verslag"),
            Some((Marker::Number(Some(1)), "verslag"))
        );
        assert_eq!(
            list_marker("12) rapport"),
            Some((Marker::Number(Some(12)), "rapport"))
        );
        assert_eq!(
            list_marker("3a Financiën"),
            Some((Marker::Label("3a".to_string()), "Financiën"))
        );
        assert_eq!(
            list_marker("8 t/m 11 Stukken"),
            Some((Marker::Label("8 t/m 11".to_string()), "Stukken"))
        );
        assert_eq!(list_marker("2020 was een jaar"), None);
        assert_eq!(list_marker("3 december vergaderden wij"), None);
        assert_eq!(list_marker("1.5 miljoen"), None);
        assert_eq!(list_marker("-5 graden"), None);
        assert_eq!(list_marker("75+ bezoeken"), None);
    }

    #[test]
    fn standalone_short_lines_followed_by_text_are_headings() {
        let doc = parse(
            "Opening en Welkom\n\nDe voorzitter opent.\nHij heet iedereen welkom.\n\nRondvraag\n",
        );
        assert_eq!(doc.blocks.len(), 4);
        assert!(matches!(&doc.blocks[0], Block::Heading { level: 1, .. }));
        assert_eq!(
            doc.blocks[1],
            Block::Paragraph(plain("De voorzitter opent."))
        );
        assert_eq!(
            doc.blocks[3],
            Block::Paragraph(plain("Rondvraag")),
            "nothing follows: not a heading"
        );
    }

    #[test]
    fn numbered_agenda_points_on_their_own_are_headings() {
        let doc = parse(
            "1. Opening\n\nDe voorzitter opent.\n\n2. Mededelingen\n\nGeen.\n\n3. Eerste punt\n\n4. Tweede punt\n",
        );
        assert_eq!(doc.blocks[0].text().as_deref(), Some("1. Opening"));
        assert!(matches!(&doc.blocks[0], Block::Heading { level: 1, .. }));
        assert!(matches!(&doc.blocks[2], Block::Heading { .. }));
        assert!(
            matches!(&doc.blocks[4], Block::List(items) if items.len() == 2),
            "items of one list separated by blank lines: {doc:?}"
        );
    }

    #[test]
    fn headings_inside_a_block() {
        let doc = parse(
            "Opening\nDe voorzitter opent de vergadering.\nMededelingen\nEr zijn geen mededelingen vandaag.\n",
        );
        let kinds: Vec<bool> = doc
            .blocks
            .iter()
            .map(|b| matches!(b, Block::Heading { .. }))
            .collect();
        assert_eq!(kinds, [true, false, true, false]);
    }

    #[test]
    fn numbered_items_take_their_explanation_lines() {
        let doc = parse(
            "1. verslag workshop TR\nDe secretaris plant een overleg\n2. Wat is SD?\n8 t/m 11 Stukken\n12. Rapportage\n",
        );
        let Block::List(items) = &doc.blocks[0] else {
            panic!("{doc:?}")
        };
        assert_eq!(items.len(), 4);
        assert_eq!(
            text_of(&items[0].content),
            "verslag workshop TR\nDe secretaris plant een overleg"
        );
        assert_eq!(items[2].marker, Marker::Label("8 t/m 11".to_string()));
    }

    #[test]
    fn inline_enumerations_are_split_and_long_items_end_the_list() {
        let doc = parse(
            "Het project kent vier onderdelen:\n1) campagne 2) workshops 3) conferentie\n4) festival. Dit loopt vertraging op.\nMarianne vertelt over de lijst.\n",
        );
        assert_eq!(doc.blocks.len(), 3, "{doc:?}");
        let Block::List(items) = &doc.blocks[1] else {
            panic!("{doc:?}")
        };
        let texts: Vec<String> = items.iter().map(|i| text_of(&i.content)).collect();
        assert_eq!(
            texts,
            [
                "campagne",
                "workshops",
                "conferentie",
                "festival. Dit loopt vertraging op."
            ]
        );
    }

    #[test]
    fn wrapped_lines_are_joined() {
        let doc = parse("De raad vraagt het college om\nde regeling te verlengen.\nDat gebeurt.\n");
        assert_eq!(
            doc.blocks,
            [
                Block::Paragraph(plain(
                    "De raad vraagt het college om de regeling te verlengen."
                )),
                Block::Paragraph(plain("Dat gebeurt.")),
            ]
        );
    }

    #[test]
    fn windows_line_endings_and_odd_spaces() {
        let doc = parse("\u{feff}Kop\u{a0}een\r\n\r\nTekst met\u{ad} een zin.\r\n");
        assert_eq!(doc.blocks[0].text().as_deref(), Some("Kop een"));
        assert_eq!(doc.blocks[1].text().as_deref(), Some("Tekst met een zin."));
    }
}
