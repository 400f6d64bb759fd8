//! The document model written as a content file: front matter, then Markdown.
//!
//! Text is escaped so it reads back as the same text, and lists keep the numbers the
//! document gave them: CommonMark renumbers an ordered list from its first number, so a
//! gap (1, 4) starts a new list, and labels it cannot number ("3a") become a paragraph
//! that starts with the label in bold.

use chrono::NaiveDate;

use super::document::{Block, Document, Inline, ListItem, Marker, Span};
use crate::authoring::front_matter::FrontMatter;
use crate::content::{ActionItem, Kind};

/// The front matter of an imported item.
#[derive(Debug)]
pub struct Fields {
    pub kind: Kind,
    /// Left out for minutes and meetings, which are titled by their date.
    pub title: Option<String>,
    pub date: NaiveDate,
    pub year: Option<i32>,
    pub attendees: Vec<String>,
    pub absent: Vec<String>,
    pub guests: Vec<String>,
    pub actions: Vec<ActionItem>,
}

/// The whole content file.
pub fn content_file(fields: &Fields, doc: &Document) -> String {
    let mut fm = FrontMatter::default();
    if let Some(title) = &fields.title {
        fm.string("title", title);
    }
    if fields.kind.is_dated() {
        fm.date("date", fields.date);
    }
    match fields.kind {
        Kind::Minutes => {
            fm.string("status", "concept");
            for (key, names) in [
                ("attendees", &fields.attendees),
                ("absent", &fields.absent),
                ("guests", &fields.guests),
            ] {
                if !names.is_empty() {
                    fm.strings(key, names);
                }
            }
            if !fields.actions.is_empty() {
                fm.actions(&fields.actions);
            }
        }
        Kind::AnnualReport => {
            if let Some(year) = fields.year {
                fm.bare("year", year);
            }
        }
        Kind::Advice => {
            fm.comment("solicited = true")
                .comment("addressed_to = \"College van burgemeester en wethouders\"")
                .comment("response = { date = YYYY-MM-DD, summary = \"...\" }");
        }
        Kind::Meeting | Kind::News | Kind::Page => {}
    }
    fm.with_body(&body(doc))
}

/// The Markdown of the blocks.
pub fn body(doc: &Document) -> String {
    let mut writer = Writer::default();
    for block in &doc.blocks {
        match block {
            Block::Heading { level, content } => {
                let hashes = "#".repeat(usize::from(*level).clamp(1, 5) + 1);
                let text = inline_unescaped(content, "").replace('{', "\\{");
                writer.chunk(format!("{hashes} {}", text.replace("\\\n", " ")));
            }
            Block::Paragraph(content) => writer.chunk(inline(content, "")),
            Block::List(items) => writer.list(items),
            Block::Table(rows) => writer.chunk(table(rows)),
        }
    }
    writer.chunks.retain(|c| !c.trim().is_empty());
    writer.chunks.join("\n\n")
}

/// Markdown blocks in order, remembering the list just written: a list of the same type
/// right after it would merge with it, unless it uses the other markers.
#[derive(Default)]
struct Writer {
    chunks: Vec<String>,
    /// (ordered, alternate markers) of the list that ends the output, if one does.
    last_list: Option<(bool, bool)>,
}

/// A list being written.
struct OpenList {
    ordered: bool,
    alternate: bool,
    lines: Vec<String>,
}

impl Writer {
    fn chunk(&mut self, text: String) {
        self.chunks.push(text);
        self.last_list = None;
    }

    fn list(&mut self, items: &[ListItem]) {
        let mut open: Option<OpenList> = None;
        // Content indents of the open levels, and the counters of numbered levels.
        let mut indents: Vec<usize> = Vec::new();
        let mut counters: Vec<u32> = Vec::new();
        for item in items {
            let level = usize::from(item.level).min(indents.len());
            indents.truncate(level);
            counters.resize(level + 1, 0);
            let number = match &item.marker {
                Marker::Label(label) => {
                    self.close(open.take());
                    indents.clear();
                    counters.clear();
                    let text = format!("**{}** {}", escape(label), inline(&item.content, ""));
                    self.chunk(text);
                    continue;
                }
                Marker::Bullet => None,
                Marker::Number(number) => Some(number.unwrap_or(counters[level] + 1)),
            };
            let ordered = number.is_some();
            if level == 0 {
                let gap = number.is_some_and(|n| counters[0] != 0 && n != counters[0] + 1);
                if gap || open.as_ref().is_some_and(|o| o.ordered != ordered) {
                    self.close(open.take());
                }
            }
            let list = open.get_or_insert_with(|| OpenList {
                ordered,
                alternate: self.last_list == Some((ordered, false)),
                lines: Vec::new(),
            });
            let alternate = level == 0 && list.alternate;
            let marker = match number {
                Some(n) => {
                    counters[level] = n;
                    format!("{n}{}", if alternate { ")" } else { "." })
                }
                None => if alternate { "*" } else { "-" }.to_string(),
            };
            let indent = indents.last().copied().unwrap_or(0);
            let text = inline(&item.content, &" ".repeat(indent + marker.len() + 1));
            list.lines
                .push(format!("{}{marker} {text}", " ".repeat(indent)));
            indents.push(indent + marker.len() + 1);
        }
        self.close(open);
    }

    fn close(&mut self, list: Option<OpenList>) {
        if let Some(list) = list.filter(|l| !l.lines.is_empty()) {
            self.chunks.push(list.lines.join("\n"));
            self.last_list = Some((list.ordered, list.alternate));
        }
    }
}

fn table(rows: &[Vec<Vec<Inline>>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let mut cells: Vec<String> = row
            .iter()
            .map(|cell| inline(cell, "").replace("\\\n", " ").replace('|', "\\|"))
            .collect();
        cells.resize(width, String::new());
        out.push(line(cells));
        if i == 0 {
            out.push(line(vec!["---".to_string(); width]));
        }
    }
    out.join("\n")
}

/// Inline content as Markdown; `indent` starts the lines after a line break.
fn inline(content: &[Inline], indent: &str) -> String {
    inline_unescaped(content, indent)
        .split('\n')
        .map(escape_line_start)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Inline content as Markdown, without escaping what starts a line: for headings.
fn inline_unescaped(content: &[Inline], indent: &str) -> String {
    let mut out = String::new();
    let mut i = 0;
    while let Some(current) = content.get(i) {
        match current {
            Inline::Break => {
                out.push_str("\\\n");
                out.push_str(indent);
                i += 1;
            }
            Inline::Span(span) => match &span.link {
                Some(link) => {
                    let mut text = String::new();
                    while let Some(Inline::Span(s)) = content.get(i)
                        && s.link.as_ref() == Some(link)
                    {
                        text.push_str(&emphasis(s));
                        i += 1;
                    }
                    out.push_str(&format!("[{}]({})", text.trim(), destination(link)));
                }
                None => {
                    out.push_str(&emphasis(span));
                    i += 1;
                }
            },
        }
    }
    out.trim().trim_end_matches('\\').trim_end().to_string()
}

/// A span with `*` emphasis; spaces stay outside the markers, where CommonMark needs them.
fn emphasis(span: &Span) -> String {
    let text = escape(&span.text.replace('\n', " "));
    let marker = match (span.bold, span.italic) {
        (true, true) => "***",
        (true, false) => "**",
        (false, true) => "*",
        (false, false) => return text,
    };
    let core = text.trim();
    if core.is_empty() {
        return text;
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    format!("{lead}{marker}{core}{marker}{trail}")
}

/// Backslash-escapes the characters that would start Markdown syntax inside a line.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let entity = c == '&' && looks_like_entity(&text[i..]);
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~') || entity {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn looks_like_entity(text: &str) -> bool {
    let name: String = text[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    !name.is_empty() && text[1 + name.len()..].starts_with(';')
}

/// Escapes what would make a line a heading, quote, list item or rule.
fn escape_line_start(line: &str) -> String {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after_digits = &body[digits..];
    let numbered = digits > 0
        && (after_digits.starts_with(". ")
            || after_digits.starts_with(") ")
            || after_digits == "."
            || after_digits == ")");
    if numbered {
        return format!("{indent}{}\\{}", &body[..digits], after_digits);
    }
    let starts_block = body.starts_with(['#', '>', '=', '|'])
        || ["- ", "+ ", "* "].iter().any(|p| body.starts_with(p))
        || body == "-"
        || body.starts_with("---");
    if starts_block {
        format!("{indent}\\{body}")
    } else {
        line.to_string()
    }
}

/// A link address that cannot break out of the Markdown link.
fn destination(link: &str) -> String {
    link.trim()
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

#[cfg(test)]
mod tests {
    use super::super::document::plain;
    use super::*;

    fn item(marker: Marker, text: &str) -> ListItem {
        ListItem {
            marker,
            level: 0,
            content: plain(text),
        }
    }

    #[test]
    fn numbered_lists_keep_their_numbers() {
        let doc = Document {
            blocks: vec![
                Block::List(vec![
                    item(Marker::Number(Some(1)), "een"),
                    item(Marker::Number(Some(2)), "twee"),
                    item(Marker::Label("8 t/m 11".to_string()), "Stukken"),
                    item(Marker::Number(Some(12)), "twaalf"),
                    item(Marker::Number(Some(14)), "veertien"),
                ]),
                Block::List(vec![item(Marker::Bullet, "los")]),
            ],
        };
        assert_eq!(
            body(&doc),
            "1. een\n2. twee\n\n**8 t/m 11** Stukken\n\n12. twaalf\n\n14) veertien\n\n- los"
        );
    }

    #[test]
    fn formatting_links_and_escapes() {
        let spans = vec![
            Inline::Span(Span {
                text: "Let op: ".into(),
                ..Span::default()
            }),
            Inline::Span(Span {
                text: "vet ".into(),
                bold: true,
                ..Span::default()
            }),
            Inline::Span(Span {
                text: "het plan".into(),
                link: Some("https://example.nl/a b".into()),
                ..Span::default()
            }),
            Inline::Span(Span {
                text: " *niet* <b> &amp;".into(),
                ..Span::default()
            }),
        ];
        let doc = Document {
            blocks: vec![
                Block::Paragraph(spans),
                Block::Paragraph(plain("2020. Een jaar")),
            ],
        };
        assert_eq!(
            body(&doc),
            "Let op: **vet** [het plan](https://example.nl/a%20b) \\*niet\\* \\<b> \\&amp;\n\n2020\\. Een jaar"
        );
    }

    #[test]
    fn continuation_lines_are_indented_under_their_item() {
        let mut first = item(Marker::Number(Some(1)), "verslag");
        first.content.push(Inline::Break);
        first.content.extend(plain("De secretaris plant overleg"));
        let doc = Document {
            blocks: vec![Block::List(vec![first])],
        };
        assert_eq!(body(&doc), "1. verslag\\\n   De secretaris plant overleg");
    }

    #[test]
    fn headings_keep_their_number_unescaped() {
        let doc = Document {
            blocks: vec![
                Block::Heading {
                    level: 1,
                    content: plain("3. Ingekomen stukken"),
                },
                Block::Paragraph(plain("3. Geen kop")),
            ],
        };
        assert_eq!(body(&doc), "## 3. Ingekomen stukken\n\n3\\. Geen kop");
    }

    #[test]
    fn tables_have_a_header_row() {
        let doc = Document {
            blocks: vec![Block::Table(vec![
                vec![plain("Actie"), plain("Wie")],
                vec![plain("Bellen | mailen")],
            ])],
        };
        assert_eq!(
            body(&doc),
            "| Actie | Wie |\n| --- | --- |\n| Bellen \\| mailen |  |"
        );
    }
}
