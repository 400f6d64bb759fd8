//! Markdown tables as accessible tables: a caption, header cells with a scope, row
//! headers when the header row starts with an empty cell, and a keyboard-scrollable
//! region around each table so that wide tables never widen the page.
//!
//! The caption is a paragraph written directly above the table that starts with
//! `Tabel:` or `Table:` (shown); else the text of the heading above it (for screen
//! readers only, as sighted readers see that heading).

use std::collections::HashSet;

use pulldown_cmark::{Alignment, CowStr, Event, Tag, TagEnd, html};

use super::{Heading, MarkdownLabels, escape_attr, unique_id};

/// Words that turn the paragraph above a table into its caption.
const CAPTION_PREFIXES: [&str; 2] = ["Tabel:", "Table:"];

/// Rewrites the table events of one body as they come.
#[derive(Default)]
pub(super) struct Tables {
    /// For each table of the body in order: whether its first column holds row headers.
    row_headers: Vec<bool>,
    count: usize,
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

impl Tables {
    /// Looks ahead at all events once: a table whose first header cell is empty has row
    /// headers in its first column.
    pub fn new(events: &[Event<'_>]) -> Tables {
        let mut row_headers = Vec::new();
        for (i, event) in events.iter().enumerate() {
            if let Event::Start(Tag::Table(_)) = event {
                let empty_corner = matches!(
                    events.get(i + 2..i + 4),
                    Some([Event::Start(Tag::TableCell), Event::End(TagEnd::TableCell)])
                );
                row_headers.push(empty_corner);
            }
        }
        Tables {
            row_headers,
            ..Tables::default()
        }
    }

    /// Pushes `event` onto `sink`, rewritten if it is part of a table.
    pub fn push<'a>(
        &mut self,
        event: Event<'a>,
        sink: &mut Vec<Event<'a>>,
        headings: &[Heading],
        used_ids: &mut HashSet<String>,
        labels: &MarkdownLabels,
    ) {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                self.count += 1;
                self.alignments = alignments.clone();
                let id = unique_id(&format!("caption-{}", self.count), used_ids);
                let caption = match explicit_caption(sink) {
                    Some(html) => format!("<caption id=\"{id}\">{html}</caption>"),
                    None => {
                        let text = match headings.last() {
                            Some(heading) => heading.text.clone(),
                            None => format!("{} {}", labels.table, self.count),
                        };
                        let text = escape_attr(&text).replace('>', "&gt;");
                        format!("<caption id=\"{id}\" class=\"visually-hidden\">{text}</caption>")
                    }
                };
                sink.push(html(format!(
                    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"{id}\">"
                )));
                sink.push(Event::Start(Tag::Table(alignments)));
                sink.push(html(caption));
            }
            Event::Start(Tag::TableHead) => {
                self.in_head = true;
                self.cell = 0;
                sink.push(event);
            }
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                sink.push(event);
            }
            Event::Start(Tag::TableRow) => {
                self.cell = 0;
                sink.push(event);
            }
            Event::Start(Tag::TableCell) => sink.push(html(self.open_cell())),
            Event::End(TagEnd::TableCell) => {
                sink.push(html(self.close_cell()));
                self.cell += 1;
            }
            Event::End(TagEnd::Table) => {
                sink.push(event);
                sink.push(html("</div>\n"));
            }
            other => sink.push(other),
        }
    }

    fn row_headers(&self) -> bool {
        self.row_headers
            .get(self.count.wrapping_sub(1))
            .copied()
            .unwrap_or(false)
    }

    /// The start tag of the current cell, written out in full for each kind of cell and
    /// alignment: a table's every cell made its tag with `format!` and a new string.
    fn open_cell(&self) -> &'static str {
        /// A start tag by the column's alignment: none, left, center, right.
        macro_rules! aligned {
            ($start:literal) => {
                [
                    concat!($start, ">"),
                    concat!($start, " style=\"text-align: left\">"),
                    concat!($start, " style=\"text-align: center\">"),
                    concat!($start, " style=\"text-align: right\">"),
                ]
            };
        }
        const COLUMN_HEADER: [&str; 4] = aligned!("<th scope=\"col\"");
        const ROW_HEADER: [&str; 4] = aligned!("<th scope=\"row\"");
        const CELL: [&str; 4] = aligned!("<td");
        let alignment = match self.alignments.get(self.cell) {
            Some(Alignment::Left) => 1,
            Some(Alignment::Center) => 2,
            Some(Alignment::Right) => 3,
            _ => 0,
        };
        match (self.in_head, self.cell == 0 && self.row_headers()) {
            (true, true) => "<td>",
            (true, false) => COLUMN_HEADER[alignment],
            (false, true) => ROW_HEADER[alignment],
            (false, false) => CELL[alignment],
        }
    }

    fn close_cell(&self) -> &'static str {
        match (self.in_head, self.cell == 0 && self.row_headers()) {
            (true, false) | (false, true) => "</th>",
            _ => "</td>",
        }
    }
}

fn html(text: impl Into<CowStr<'static>>) -> Event<'static> {
    Event::Html(text.into())
}

/// Takes a `Tabel: …` paragraph off the end of `sink` and returns its content as HTML.
fn explicit_caption(sink: &mut Vec<Event<'_>>) -> Option<String> {
    if !matches!(sink.last(), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    let start = sink
        .iter()
        .rposition(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
    let Some(Event::Text(first)) = sink.get(start + 1) else {
        return None;
    };
    let rest = CAPTION_PREFIXES
        .iter()
        .find_map(|prefix| first.strip_prefix(prefix))?
        .trim_start()
        .to_string();
    let mut inner: Vec<Event<'_>> = sink.drain(start..).collect();
    inner.pop();
    inner.remove(0);
    inner[0] = Event::Text(rest.into());
    let mut out = String::new();
    html::push_html(&mut out, inner.into_iter());
    Some(out)
}
