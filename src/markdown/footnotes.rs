//! Footnotes as a list at the end of the body, with ids that cannot clash with the page
//! (`fn-1`, references `fnref-1`) and a way back from each note to where it was cited.
//!
//! pulldown-cmark leaves definitions where they were written and gives them the bare
//! name as id (`id="1"`), which is not unique on a page and not a valid HTML selector.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, TagEnd, html};

use super::{MarkdownLabels, escape_attr};

/// The footnotes of one body: numbered in the order they are first cited.
#[derive(Default)]
pub(super) struct Footnotes<'a> {
    numbers: HashMap<String, usize>,
    citations: HashMap<usize, usize>,
    definitions: Vec<(usize, Vec<Event<'a>>)>,
}

impl<'a> Footnotes<'a> {
    /// Numbers the notes in the order their references appear in `events`.
    pub fn numbered<'e>(events: impl Iterator<Item = &'e Event<'e>>) -> Self {
        let mut notes = Footnotes::default();
        for event in events {
            if let Event::FootnoteReference(name) = event {
                notes.number(name);
            }
        }
        notes
    }

    fn number(&mut self, name: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(name.to_string()).or_insert(next)
    }

    /// The reference in the text, as HTML: `<sup id="fnref-1"><a href="#fn-1">1</a></sup>`.
    /// A note cited twice gets `fnref-1-2` for its second reference.
    pub fn reference(&mut self, name: &str, labels: &MarkdownLabels) -> Event<'static> {
        let n = self.number(name);
        let count = self.citations.entry(n).or_insert(0);
        *count += 1;
        let id = match *count {
            1 => format!("fnref-{n}"),
            k => format!("fnref-{n}-{k}"),
        };
        let label = escape_attr(&labels.footnote);
        Event::InlineHtml(CowStr::from(format!(
            "<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#fn-{n}\" aria-label=\"{label} {n}\">{n}</a></sup>"
        )))
    }

    /// Keeps a definition (its events without the definition tags) for the end.
    pub fn define(&mut self, name: &str, events: Vec<Event<'a>>) {
        let n = self.number(name);
        self.definitions.push((n, events));
    }

    /// The notes as `<section class="footnotes">`, or nothing if there are none.
    pub fn into_html(mut self, labels: &MarkdownLabels) -> String {
        if self.definitions.is_empty() {
            return String::new();
        }
        self.definitions.sort_by_key(|(n, _)| *n);
        let title = escape_html(&labels.footnotes);
        let mut html = format!(
            "<section class=\"footnotes\" aria-labelledby=\"footnote-label\">\n<h2 id=\"footnote-label\" class=\"visually-hidden\">{title}</h2>\n<ol>\n"
        );
        for (n, mut events) in self.definitions {
            if self.citations.contains_key(&n) {
                let back = escape_attr(&labels.back_to_reference.replace("{n}", &n.to_string()));
                let link = Event::InlineHtml(CowStr::from(format!(
                    " <a href=\"#fnref-{n}\" class=\"footnote-backref\" aria-label=\"{back}\">↩\u{fe0e}</a>"
                )));
                match events.last() {
                    Some(Event::End(TagEnd::Paragraph)) => events.insert(events.len() - 1, link),
                    _ => events.push(link),
                }
            }
            html.push_str(&format!("<li id=\"fn-{n}\">"));
            html::push_html(&mut html, events.into_iter());
            html.push_str("</li>\n");
        }
        html.push_str("</ol>\n</section>\n");
        html
    }
}

fn escape_html(text: &str) -> String {
    escape_attr(text).replace('>', "&gt;")
}
