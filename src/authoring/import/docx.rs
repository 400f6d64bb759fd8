//! Word documents (.docx) read into the document model: headings, paragraphs, bullet and
//! numbered lists, bold, italic, links and tables.
//!
//! A .docx file is a zip archive. The text is in `word/document.xml`; link addresses are
//! in `word/_rels/document.xml.rels`, whether a list is bulleted or numbered in
//! `word/numbering.xml`, and the names of styles ("heading 1", whatever the language of
//! Word) in `word/styles.xml`.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::document::{Block, Document, Inline, ListItem, Marker, Span, is_heading_like, text_of};

/// The largest part of a document quorum unpacks, against zip bombs.
const MAX_PART: u64 = 64 * 1024 * 1024;

/// Elements whose content is not running text: deleted text, field codes, the fallback
/// copy of text boxes, drawings.
const SKIPPED: [&str; 9] = [
    "del",
    "moveFrom",
    "delText",
    "instrText",
    "Fallback",
    "drawing",
    "pict",
    "object",
    "txbxContent",
];

/// Why a file could not be read as a Word document.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("it is not a zip archive, so it cannot be a .docx file ({0})")]
    NotZip(String),
    #[error("it is a zip archive without word/document.xml, so it is not a Word document")]
    NoDocument,
    #[error("{part} in the archive is damaged: {message}")]
    Damaged { part: String, message: String },
}

/// Reads the bytes of a .docx file.
pub fn parse(bytes: &[u8]) -> Result<Document, DocxError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::NotZip(e.to_string()))?;
    let document = read_part(&mut archive, "word/document.xml")?.ok_or(DocxError::NoDocument)?;
    let links = read_part(&mut archive, "word/_rels/document.xml.rels")?
        .map(|xml| relationships(&xml))
        .transpose()?
        .unwrap_or_default();
    let lists = read_part(&mut archive, "word/numbering.xml")?
        .map(|xml| numbering(&xml))
        .transpose()?
        .unwrap_or_default();
    let styles = read_part(&mut archive, "word/styles.xml")?
        .map(|xml| style_names(&xml))
        .transpose()?
        .unwrap_or_default();
    let mut walker = Walker {
        links: &links,
        lists: &lists,
        styles: &styles,
        state: State::default(),
    };
    walker.walk(&document)?;
    Ok(Document {
        blocks: promote_bold_headings(walker.state.blocks),
    })
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, DocxError> {
    let damaged = |message: String| DocxError::Damaged {
        part: name.to_string(),
        message,
    };
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(damaged(e.to_string())),
    };
    let mut text = String::new();
    file.take(MAX_PART)
        .read_to_string(&mut text)
        .map_err(|e| damaged(e.to_string()))?;
    Ok(Some(text))
}

/// Calls `visit` with every start (or empty) element of an XML part.
fn each_element(
    part: &str,
    xml: &str,
    mut visit: impl FnMut(&BytesStart<'_>),
) -> Result<(), DocxError> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => visit(&e),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(xml_error(part, &e)),
        }
    }
}

fn xml_error(part: &str, error: &quick_xml::Error) -> DocxError {
    DocxError::Damaged {
        part: part.to_string(),
        message: error.to_string(),
    }
}

/// The value of the attribute with this local name (`w:val`, `r:id`).
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .with_checks(false)
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

/// Link ids and their external addresses.
fn relationships(xml: &str) -> Result<HashMap<String, String>, DocxError> {
    let mut links = HashMap::new();
    each_element("word/_rels/document.xml.rels", xml, |e| {
        if e.local_name().as_ref() == "Relationship"
            && attribute(e, "TargetMode").as_deref() == Some("External")
            && let (Some(id), Some(target)) = (attribute(e, "Id"), attribute(e, "Target"))
        {
            links.insert(id, target);
        }
    })?;
    Ok(links)
}

/// Which (list, level) pairs are bulleted rather than numbered.
#[derive(Debug, Default)]
struct Numbering {
    /// numId → abstractNumId.
    abstract_of: HashMap<String, String>,
    /// (abstractNumId, level) → whether the level shows bullets.
    bullets: HashMap<(String, String), bool>,
}

impl Numbering {
    fn is_bullet(&self, num_id: &str, level: &str) -> bool {
        self.abstract_of
            .get(num_id)
            .and_then(|abs| self.bullets.get(&(abs.clone(), level.to_string())))
            .copied()
            .unwrap_or(true)
    }
}

fn numbering(xml: &str) -> Result<Numbering, DocxError> {
    let mut result = Numbering::default();
    let (mut abstract_id, mut num_id, mut level) = (String::new(), String::new(), String::new());
    each_element("word/numbering.xml", xml, |e| {
        match e.local_name().as_ref() {
            "abstractNum" => abstract_id = attribute(e, "abstractNumId").unwrap_or_default(),
            "lvl" => level = attribute(e, "ilvl").unwrap_or_default(),
            "numFmt" => {
                let bullet = attribute(e, "val").as_deref() == Some("bullet");
                result
                    .bullets
                    .insert((abstract_id.clone(), level.clone()), bullet);
            }
            "num" => num_id = attribute(e, "numId").unwrap_or_default(),
            "abstractNumId" => {
                let target = attribute(e, "val").unwrap_or_default();
                result.abstract_of.insert(num_id.clone(), target);
            }
            _ => {}
        }
    })?;
    Ok(result)
}

/// Style ids and their built-in names, lowercased: "Kop1" → "heading 1".
fn style_names(xml: &str) -> Result<HashMap<String, String>, DocxError> {
    let mut names = HashMap::new();
    let mut id = String::new();
    each_element("word/styles.xml", xml, |e| match e.local_name().as_ref() {
        "style" => id = attribute(e, "styleId").unwrap_or_default(),
        "name" => {
            names.insert(
                id.clone(),
                attribute(e, "val").unwrap_or_default().to_lowercase(),
            );
        }
        _ => {}
    })?;
    Ok(names)
}

/// A paragraph being read.
#[derive(Debug, Default)]
struct Paragraph {
    style: Option<String>,
    num_id: Option<String>,
    level: Option<String>,
    outline: Option<u8>,
    content: Vec<Inline>,
}

/// A table being read; nested tables are flattened into the cell around them.
#[derive(Debug, Default)]
struct Table {
    rows: Vec<Vec<Vec<Inline>>>,
    row: Vec<Vec<Inline>>,
    cell: Vec<Inline>,
}

/// Where the walk through `document.xml` is.
#[derive(Debug, Default)]
struct State {
    blocks: Vec<Block>,
    paragraph: Option<Paragraph>,
    in_run: bool,
    in_text: bool,
    bold: bool,
    italic: bool,
    link: Option<String>,
    tables: Vec<Table>,
    /// Depth inside an element whose content is skipped.
    skip: usize,
}

struct Walker<'a> {
    links: &'a HashMap<String, String>,
    lists: &'a Numbering,
    styles: &'a HashMap<String, String>,
    state: State,
}

impl Walker<'_> {
    fn walk(&mut self, xml: &str) -> Result<(), DocxError> {
        let mut reader = Reader::from_str(xml);
        loop {
            let event = reader
                .read_event()
                .map_err(|e| xml_error("word/document.xml", &e))?;
            match event {
                Event::Start(e)
                    if self.state.skip > 0 || SKIPPED.contains(&e.local_name().as_ref()) =>
                {
                    self.state.skip += 1;
                }
                Event::End(_) if self.state.skip > 0 => self.state.skip -= 1,
                _ if self.state.skip > 0 => {}
                Event::Start(e) => self.start(&e),
                Event::Empty(e) => {
                    self.start(&e);
                    self.end(e.local_name().as_ref());
                }
                Event::End(e) => self.end(e.local_name().as_ref()),
                Event::Text(t) if self.state.in_text => self.text(&t.xml10_content()),
                Event::GeneralRef(r) if self.state.in_text => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        _ => quick_xml::escape::resolve_predefined_entity(&r).map(String::from),
                    };
                    if let Some(text) = resolved {
                        self.text(&text);
                    }
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    fn start(&mut self, e: &BytesStart<'_>) {
        let s = &mut self.state;
        let on = || {
            !matches!(
                attribute(e, "val").as_deref(),
                Some("0" | "false" | "off" | "none")
            )
        };
        match e.local_name().as_ref() {
            "p" => s.paragraph = Some(Paragraph::default()),
            "r" => (s.in_run, s.bold, s.italic) = (true, false, false),
            "t" => s.in_text = s.in_run,
            "b" if s.in_run => s.bold = on(),
            "i" if s.in_run => s.italic = on(),
            "tab" if s.in_run => self.text(" "),
            "br" | "cr" if s.in_run && attribute(e, "type").as_deref() != Some("page") => {
                if let Some(p) = &mut s.paragraph {
                    p.content.push(Inline::Break);
                }
            }
            "hyperlink" => s.link = attribute(e, "id").and_then(|id| self.links.get(&id).cloned()),
            "pStyle" | "numId" | "ilvl" | "outlineLvl" => {
                let value = attribute(e, "val");
                if let Some(p) = &mut s.paragraph {
                    match e.local_name().as_ref() {
                        "pStyle" => p.style = value,
                        "numId" => p.num_id = value,
                        "ilvl" => p.level = value,
                        _ => p.outline = value.and_then(|v| v.parse().ok()),
                    }
                }
            }
            "tbl" => s.tables.push(Table::default()),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        let s = &mut self.state;
        match name {
            "t" => s.in_text = false,
            "r" => s.in_run = false,
            "hyperlink" => s.link = None,
            "p" => {
                if let Some(paragraph) = s.paragraph.take() {
                    self.finish_paragraph(paragraph);
                }
            }
            "tc" => {
                if let Some(table) = s.tables.last_mut() {
                    let cell = std::mem::take(&mut table.cell);
                    table.row.push(cell);
                }
            }
            "tr" => {
                if let Some(table) = s.tables.last_mut() {
                    let row = std::mem::take(&mut table.row);
                    table.rows.push(row);
                }
            }
            "tbl" => {
                if let Some(table) = s.tables.pop() {
                    self.finish_table(table.rows);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        let s = &mut self.state;
        let Some(paragraph) = &mut s.paragraph else {
            return;
        };
        if let Some(Inline::Span(last)) = paragraph.content.last_mut()
            && (last.bold, last.italic, &last.link) == (s.bold, s.italic, &s.link)
        {
            last.text.push_str(text);
            return;
        }
        paragraph.content.push(Inline::Span(Span {
            text: text.to_string(),
            bold: s.bold,
            italic: s.italic,
            link: s.link.clone(),
        }));
    }

    fn finish_paragraph(&mut self, paragraph: Paragraph) {
        if text_of(&paragraph.content).trim().is_empty() {
            return;
        }
        if let Some(table) = self.state.tables.last_mut() {
            if !table.cell.is_empty() {
                table.cell.push(Inline::Break);
            }
            table.cell.extend(paragraph.content);
            return;
        }
        let style = paragraph
            .style
            .as_ref()
            .map(|id| {
                self.styles
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| id.to_lowercase())
            })
            .unwrap_or_default();
        let block = if let Some(level) = heading_level(&style, paragraph.outline) {
            Block::Heading {
                level,
                content: paragraph.content,
            }
        } else if let Some(marker) = self.list_marker(&paragraph, &style) {
            let level = paragraph.level.and_then(|l| l.parse().ok()).unwrap_or(0);
            let item = ListItem {
                marker,
                level,
                content: paragraph.content,
            };
            // Word numbers each list separately; consecutive items of one kind are one list.
            if let Some(Block::List(items)) = self.state.blocks.last_mut()
                && (level > 0 || items.last().is_some_and(|last| last.marker == item.marker))
            {
                items.push(item);
                return;
            }
            Block::List(vec![item])
        } else {
            Block::Paragraph(paragraph.content)
        };
        self.state.blocks.push(block);
    }

    fn list_marker(&self, paragraph: &Paragraph, style: &str) -> Option<Marker> {
        let numbered = |bullet: bool| {
            if bullet {
                Marker::Bullet
            } else {
                Marker::Number(None)
            }
        };
        match (&paragraph.num_id, &paragraph.level) {
            (Some(id), _) if id == "0" => None,
            (Some(id), level) => Some(numbered(
                self.lists.is_bullet(id, level.as_deref().unwrap_or("0")),
            )),
            (None, _) if style.starts_with("list bullet") => Some(Marker::Bullet),
            (None, _) if style.starts_with("list number") => Some(Marker::Number(None)),
            (None, _) => None,
        }
    }

    fn finish_table(&mut self, rows: Vec<Vec<Vec<Inline>>>) {
        let has_text = rows.iter().flatten().any(|c| !text_of(c).trim().is_empty());
        match self.state.tables.last_mut() {
            Some(outer) => {
                for cell in rows.into_iter().flatten() {
                    if !outer.cell.is_empty() {
                        outer.cell.push(Inline::Break);
                    }
                    outer.cell.extend(cell);
                }
            }
            None if has_text => self.state.blocks.push(Block::Table(rows)),
            None => {}
        }
    }
}

/// The heading level of a paragraph style name ("heading 2", "title") or outline level.
fn heading_level(style: &str, outline: Option<u8>) -> Option<u8> {
    if style == "title" || style == "titel" {
        return Some(0);
    }
    let from_style = ["heading", "kop"].iter().find_map(|prefix| {
        let rest = style.strip_prefix(prefix)?.trim();
        rest.parse::<u8>().ok()
    });
    from_style
        .or(outline.map(|o| o + 1))
        .map(|level| level.clamp(1, 6))
}

/// A short paragraph that is entirely bold, followed by more text, is a heading in all
/// but name: many writers make headings that way.
fn promote_bold_headings(blocks: Vec<Block>) -> Vec<Block> {
    let count = blocks.len();
    blocks
        .into_iter()
        .enumerate()
        .map(|(i, block)| match block {
            Block::Paragraph(content) if i + 1 < count && is_bold_heading(&content) => {
                let content = content
                    .into_iter()
                    .map(|inline| match inline {
                        Inline::Span(span) => Inline::Span(Span {
                            bold: false,
                            ..span
                        }),
                        other => other,
                    })
                    .collect();
                Block::Heading { level: 1, content }
            }
            other => other,
        })
        .collect()
}

fn is_bold_heading(content: &[Inline]) -> bool {
    let all_bold = content.iter().all(|inline| match inline {
        Inline::Span(span) => span.bold || span.text.trim().is_empty(),
        Inline::Break => false,
    });
    all_bold && is_heading_like(&text_of(content))
}

#[cfg(test)]
mod tests;
