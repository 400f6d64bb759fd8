//! Markdown to HTML: CommonMark plus tables, footnotes, strikethrough and task lists, with
//! heading anchors, `@/` links to other content, and sanitising of raw HTML.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::diagnostics::Location;
use crate::fingerprint::{self, Fingerprint};
use crate::slug::slugify;

mod footnotes;
mod tables;

use footnotes::Footnotes;
use tables::Tables;

/// How long a summary taken from the first paragraph may be, in characters.
const SUMMARY_CHARS: usize = 320;

/// A heading of the body, for anchors and tables of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link to other content written as `@/kind/file.md#anchor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLink {
    /// The source path after `@/`, e.g. `minutes/2021-12-14.md`.
    pub target: String,
    pub anchor: Option<String>,
    /// Where the link is in the Markdown body, for error messages; only for a link that
    /// can turn out broken (its target is missing, or it names an anchor), so the
    /// source need not be kept for the others.
    pub place: Option<Location>,
    /// Whether the target exists (its URL was found).
    pub resolved: bool,
}

/// A body rendered to HTML, with what later stages need to know about it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Plain text of the first paragraph, shortened.
    pub first_paragraph: String,
    /// The whole body as plain text, for search and open data.
    pub text: String,
    pub headings: Vec<Heading>,
    pub links: Vec<ContentLink>,
    /// Where the level-1 headings are in the body: they compete with the page title.
    pub h1_places: Vec<Location>,
    /// The fingerprint of `html` and `text`, worked out when first asked for (see
    /// [`Rendered::print`]).
    print: OnceLock<Fingerprint>,
}

impl Rendered {
    /// The fingerprint of the HTML and the text, for the caches of `quorum serve`:
    /// worked out once, as every rebuild fingerprints each page and open-data file.
    /// A body is not changed once rendered, so it stays true.
    pub fn print(&self) -> Fingerprint {
        *(self.print).get_or_init(|| fingerprint::of(&(&self.html, &self.text)))
    }

    /// Takes the HTML and the text out, leaving the outline that [`outline`] would
    /// have made.
    pub fn split_off_whole(&mut self) -> Whole {
        Whole {
            html: std::mem::take(&mut self.html),
            text: std::mem::take(&mut self.text),
        }
    }

    /// This outline with the HTML and the text split off it by
    /// [`Rendered::split_off_whole`].
    pub fn joined(&self, whole: Whole) -> Rendered {
        Rendered {
            html: whole.html,
            text: whole.text,
            first_paragraph: self.first_paragraph.clone(),
            headings: self.headings.clone(),
            links: self.links.clone(),
            h1_places: self.h1_places.clone(),
            print: OnceLock::new(),
        }
    }

    /// The HTML, for a template context: see [`BodyHtml`].
    pub fn html_for_page(&self) -> BodyHtml<'_> {
        BodyHtml(self)
    }
}

/// The HTML and the text of a rendered body, apart from its outline (see
/// [`Rendered::split_off_whole`]).
#[derive(Debug)]
pub struct Whole {
    html: String,
    text: String,
}

impl Whole {
    /// The bytes of the HTML and the text.
    pub fn bytes(&self) -> usize {
        self.html.len() + self.text.len()
    }
}

/// The HTML of a rendered body as templates see it; in a fingerprint it stands for the
/// body's own (see [`Rendered::print`] and `fingerprint::Memoized`).
#[derive(Debug, Clone, Copy)]
pub struct BodyHtml<'a>(&'a Rendered);

impl Serialize for BodyHtml<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fingerprint::value_or_print(serializer, self.0.html.as_str(), || self.0.print())
    }
}

/// How to render the Markdown of one site.
#[derive(Debug, Clone, Default)]
pub struct MarkdownOptions {
    /// Pass raw HTML through instead of sanitising it.
    pub unsafe_html: bool,
    /// Words that rendering adds for screen readers, in the site's language.
    pub labels: MarkdownLabels,
}

/// Words that rendering adds to the body, in the site's language.
#[derive(Debug, Clone, Default)]
pub struct MarkdownLabels {
    /// A table without a caption or heading above it is named "Tabel 1", "Tabel 2".
    pub table: String,
    /// The (hidden) heading of the list of footnotes, e.g. "Voetnoten".
    pub footnotes: String,
    /// A reference is read as "Voetnoot 1".
    pub footnote: String,
    /// The name of the link from a note back to its reference; `{n}` is its number.
    pub back_to_reference: String,
    /// Read before a ticked task list item, e.g. "Gedaan".
    pub task_done: String,
    /// Read before an open task list item, e.g. "Nog te doen".
    pub task_open: String,
}

/// The `key=value` attributes a heading may set (`## Summary {lang=en}`) unless the
/// site allows raw HTML; ids and classes are always allowed.
const HEADING_ATTRIBUTES: [&str; 2] = ["lang", "dir"];

/// Renders Markdown. `resolve` turns a content path (`minutes/2021-12-14.md`) into its URL.
pub fn render(
    markdown: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    options: &MarkdownOptions,
) -> Rendered {
    render_as(markdown, resolve, options, Output::Whole)
}

/// What [`render`] would return without the HTML and the text: headings, links and
/// first paragraph, for a third less work.
pub fn outline(
    markdown: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    options: &MarkdownOptions,
) -> Rendered {
    render_as(markdown, resolve, options, Output::Outline)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Whole,
    Outline,
}

fn render_as(
    markdown: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    options: &MarkdownOptions,
    output: Output,
) -> Rendered {
    let extensions = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let labels = &options.labels;
    // Room for the events at once (prose has one for every 10 to 20 bytes): growing the
    // lists step by step copied them over and over.
    let mut parsed: Vec<Event<'_>> = Vec::with_capacity(markdown.len() / 12);
    let mut ranges = Vec::with_capacity(markdown.len() / 12);
    for (event, range) in Parser::new_ext(markdown, extensions).into_offset_iter() {
        parsed.push(event);
        ranges.push(range);
    }
    let mut notes = Footnotes::numbered(parsed.iter());
    let mut tables = Tables::new(&parsed);
    let mut out = Rendered::default();
    if output == Output::Whole {
        out.text.reserve(markdown.len());
    }
    // Tables and footnotes add events of their own: room for them too, as growing the
    // list once copies all of it.
    let mut events: Vec<Event<'_>> = Vec::with_capacity(parsed.len() + parsed.len() / 4 + 16);
    // A footnote definition is collected apart, to be placed at the end.
    let mut note: Option<(CowStr<'_>, Vec<Event<'_>>)> = None;
    let mut heading: Option<(usize, Vec<Event<'_>>)> = None;
    let mut used_ids: HashSet<String> = ["footnote-label".to_string()].into();
    // Raw HTML, or a link or image to a scheme like `javascript:`, must be sanitised.
    let mut needs_sanitising = false;
    let mut paragraph_depth = None::<usize>;
    let mut depth = 0usize;

    for (event, range) in parsed.into_iter().zip(ranges) {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url =
                    content_link(&dest_url, markdown, range.clone(), resolve, &mut out.links)
                        .unwrap_or(dest_url);
                needs_sanitising |= !is_plain_url(&dest_url);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                needs_sanitising |= !is_plain_url(dest_url);
                event
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                needs_sanitising = true;
                event
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                mut attrs,
            }) => {
                // `## Kop {onclick=…}` would otherwise pass any attribute through.
                if !options.unsafe_html {
                    attrs.retain(|(key, _)| HEADING_ATTRIBUTES.contains(&key.as_ref()));
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                })
            }
            other => other,
        };
        track_text(&event, &mut out, output, &mut paragraph_depth, &mut depth);
        let event = match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                note = Some((name, Vec::new()));
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((name, body)) = note.take() {
                    notes.define(&name, body);
                }
                continue;
            }
            Event::FootnoteReference(name) => notes.reference(&name, labels),
            Event::TaskListMarker(done) => task_marker(done, labels),
            other => other,
        };
        let sink = match note.as_mut() {
            Some((_, body)) => body,
            None => &mut events,
        };
        if let Event::Start(Tag::Heading { level, .. }) = &event {
            if *level == HeadingLevel::H1 {
                out.h1_places
                    .push(Location::at_offset(markdown, range.start, 1));
            }
            heading = Some((sink.len(), Vec::new()));
        }
        if let Some((_, text)) = heading.as_mut() {
            text.push(event.clone());
        }
        let is_heading_end = matches!(event, Event::End(TagEnd::Heading(_)));
        tables.push(event, sink, &out.headings, &mut used_ids, labels);
        if is_heading_end && let Some((start, inner)) = heading.take() {
            out.headings
                .push(assign_heading_id(&mut sink[start], &inner, &mut used_ids));
        }
    }

    out.first_paragraph = shorten(out.first_paragraph.trim(), SUMMARY_CHARS);
    if output == Output::Outline {
        return out;
    }
    out.html.reserve(markdown.len() * 3 / 2);
    html::push_html(&mut out.html, events.into_iter());
    out.html.push_str(&notes.into_html(labels));
    if needs_sanitising && !options.unsafe_html {
        out.html = sanitise(&out.html);
    }
    // Bodies are kept until the site is written: without the room left by growing,
    // 10,000 of them take a third less memory.
    out.html.shrink_to_fit();
    out.text.shrink_to_fit();
    out
}

/// A task list marker as text and shape instead of a disabled form control, which
/// screen readers would announce as a checkbox the reader cannot use.
fn task_marker(done: bool, labels: &MarkdownLabels) -> Event<'static> {
    let (class, label) = match done {
        true => ("task task-done", &labels.task_done),
        false => ("task task-open", &labels.task_open),
    };
    let label = escape_attr(label);
    Event::InlineHtml(CowStr::from(format!(
        "<span class=\"{class}\"><span class=\"visually-hidden\">{label}: </span></span>"
    )))
}

/// Escapes text for a double-quoted HTML attribute.
fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// `base`, or `base-1`, `base-2`… if that id is taken; the id is then taken.
fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut unique = base.to_string();
    let mut n = 1;
    while !used.insert(unique.clone()) {
        unique = format!("{base}-{n}");
        n += 1;
    }
    unique
}

/// Whether a link destination is relative or uses a scheme that cannot run code, so
/// it needs no sanitising: `https:`, `http:`, `mailto:`, `tel:`.
fn is_plain_url(url: &str) -> bool {
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url.as_bytes()[i] == b':' => {
            let scheme = url[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "https" | "http" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// Resolves an `@/` destination, recording the link; `None` leaves other links alone.
fn content_link(
    dest: &str,
    markdown: &str,
    range: std::ops::Range<usize>,
    resolve: &dyn Fn(&str) -> Option<String>,
    links: &mut Vec<ContentLink>,
) -> Option<CowStr<'static>> {
    let rest = dest.strip_prefix("@/")?;
    let (target, anchor) = match rest.split_once('#') {
        Some((target, anchor)) => (target, Some(anchor.to_string())),
        None => (rest, None),
    };
    let url = resolve(target);
    let place = (url.is_none() || anchor.is_some())
        .then(|| Location::at_offset(markdown, range.start, range.len()));
    links.push(ContentLink {
        target: target.to_string(),
        anchor: anchor.clone(),
        place,
        resolved: url.is_some(),
    });
    let url = url.unwrap_or_default();
    Some(match anchor {
        Some(anchor) => format!("{url}#{anchor}").into(),
        None => url.into(),
    })
}

/// Keeps the plain text of the first top-level paragraph and, for a whole render, of
/// the body.
fn track_text(
    event: &Event<'_>,
    out: &mut Rendered,
    output: Output,
    paragraph: &mut Option<usize>,
    depth: &mut usize,
) {
    let whole = output == Output::Whole;
    match event {
        Event::Start(tag) => {
            if matches!(tag, Tag::Paragraph) && *depth == 0 && out.first_paragraph.is_empty() {
                *paragraph = Some(*depth);
            }
            *depth += 1;
        }
        Event::End(end) => {
            *depth = depth.saturating_sub(1);
            if matches!(end, TagEnd::Paragraph) && *paragraph == Some(*depth) {
                *paragraph = None;
            }
            if !whole {
                return;
            }
            if matches!(
                end,
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow
            ) {
                out.text.push('\n');
            } else if matches!(end, TagEnd::TableCell) {
                out.text.push(' ');
            }
        }
        Event::Text(text) | Event::Code(text) => {
            if whole {
                out.text.push_str(text);
            }
            if paragraph.is_some() {
                out.first_paragraph.push_str(text);
            }
        }
        Event::SoftBreak | Event::HardBreak => {
            if whole {
                out.text.push(' ');
            }
            if paragraph.is_some() {
                out.first_paragraph.push(' ');
            }
        }
        _ => {}
    }
}

/// Gives a heading its id: the one written with `{#id}`, or one made from its text,
/// made unique within the document.
fn assign_heading_id(
    start: &mut Event<'_>,
    inner: &[Event<'_>],
    used: &mut HashSet<String>,
) -> Heading {
    let text: String = inner
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let Event::Start(Tag::Heading { level, id, .. }) = start else {
        unreachable!("a heading buffer starts with its heading tag");
    };
    let base = match id {
        Some(explicit) => explicit.to_string(),
        None => {
            let slug = slugify(&text);
            if slug.is_empty() {
                "section".to_string()
            } else {
                slug
            }
        }
    };
    let unique = unique_id(&base, used);
    *id = Some(unique.clone().into());
    Heading {
        level: *level as u8,
        id: unique,
        text: text.trim().to_string(),
    }
}

/// Removes scripts, event handlers and anything else unsafe from rendered HTML, keeping
/// what quorum's own Markdown rendering produces.
fn sanitise(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    let ids: HashSet<&str> = ["id"].into();
    let with_ids = ["h1", "h2", "h3", "h4", "h5", "h6", "sup", "li", "caption"];
    let mut tag_attributes: HashMap<&str, HashSet<&str>> =
        with_ids.iter().map(|h| (*h, ids.clone())).collect();
    tag_attributes.insert(
        "div",
        ["id", "role", "tabindex", "aria-labelledby", "aria-label"].into(),
    );
    tag_attributes.insert("section", ["aria-labelledby"].into());
    tag_attributes.insert("td", ["style", "align"].into());
    tag_attributes.insert("th", ["style", "align", "scope"].into());
    tag_attributes.insert("a", ["href", "title", "id", "aria-label"].into());
    tag_attributes.insert("img", ["src", "alt", "title", "width", "height"].into());
    builder
        .add_tags(["section"])
        .tag_attributes(tag_attributes)
        .add_generic_attributes(["class", "dir"])
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None);
    builder.clean(html).to_string()
}

/// Cuts `text` at a word boundary to at most `max` characters, adding an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let Some(cut_at) = char_start(text, max) else {
        return text.to_string();
    };
    let cut = &text[..cut_at];
    let end = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    let kept = cut[..end].trim_end_matches([',', ';', ':', ' ']);
    let mut short = String::with_capacity(kept.len() + '…'.len_utf8());
    short.push_str(kept);
    short.push('…');
    short
}

/// Where character `n` (from 0) of `text` starts, if `text` has that many and one more.
/// Characters are counted by the bytes that start one, sixteen bytes at a time:
/// decoding each character up to the cut was 1% of a build's instructions (every
/// search snippet and summary is cut from a body's text).
fn char_start(text: &str, n: usize) -> Option<usize> {
    const CHUNK: usize = 16;
    let bytes = text.as_bytes();
    // No text has more characters than bytes.
    if bytes.len() <= n {
        return None;
    }
    // A byte starts a character unless it is 0b10xx_xxxx.
    let starts = |b: &u8| (*b as i8) >= -0x40;
    let mut seen = 0;
    let mut at = 0;
    for chunk in bytes.chunks_exact(CHUNK) {
        let here = chunk.iter().filter(|b| starts(b)).count();
        if seen + here > n {
            break;
        }
        seen += here;
        at += CHUNK;
    }
    for (i, b) in bytes[at..].iter().enumerate() {
        if starts(b) {
            if seen == n {
                return Some(at + i);
            }
            seen += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(path: &str) -> Option<String> {
        (path == "minutes/2021-12-14.md").then(|| "/verslagen/2021-12-14/".to_string())
    }

    fn options(unsafe_html: bool) -> MarkdownOptions {
        MarkdownOptions {
            unsafe_html,
            labels: MarkdownLabels {
                table: "Tabel".into(),
                footnotes: "Voetnoten".into(),
                footnote: "Voetnoot".into(),
                back_to_reference: "Terug naar verwijzing {n}".into(),
                task_done: "Gedaan".into(),
                task_open: "Nog te doen".into(),
            },
        }
    }

    fn md(text: &str) -> Rendered {
        render(text, &resolve, &options(false))
    }

    #[test]
    fn outline_is_the_render_without_html_and_text() {
        let text = "Eerste alinea met [link](@/minutes/2021-12-14.md#rondvraag).\n\n\
                    # Kop\n\n## Rondvraag\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\
                    Noot[^1] en [weg](@/news/x.md).\n\n[^1]: Uitleg.\n";
        let whole = md(text);
        let outline = outline(text, &resolve, &options(false));
        assert!(outline.html.is_empty() && outline.text.is_empty());
        assert_eq!(outline.headings, whole.headings);
        assert_eq!(outline.links, whole.links);
        assert_eq!(outline.h1_places, whole.h1_places);
        assert_eq!(outline.first_paragraph, whole.first_paragraph);
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = md("## Rondvraag\n\n## Rondvraag\n\n### Één {#eigen}\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["rondvraag", "rondvraag-1", "eigen"]);
        assert!(
            r.html.contains("<h2 id=\"rondvraag\">Rondvraag</h2>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn content_links_resolve_with_anchor() {
        let r = md("Zie [verslag](@/minutes/2021-12-14.md#rondvraag) en [weg](@/news/x.md).");
        assert!(
            r.html.contains("href=\"/verslagen/2021-12-14/#rondvraag\""),
            "{}",
            r.html
        );
        assert_eq!(r.links.len(), 2);
        assert!(r.links[0].resolved);
        assert_eq!(r.links[0].anchor.as_deref(), Some("rondvraag"));
        assert!(!r.links[1].resolved);
        let place = r.links[1]
            .place
            .as_ref()
            .expect("a broken link has a place");
        assert_eq!((place.line, place.column), (1, 53));
        // A resolved link without an anchor cannot break: no place is kept for it.
        let r = md("Zie [verslag](@/minutes/2021-12-14.md).");
        assert_eq!(r.links[0].place, None);
    }

    #[test]
    fn extensions_are_enabled() {
        let r = md("~~weg~~\n\n- [x] klaar\n- [ ] open\n");
        for needle in [
            "<del>weg</del>",
            "<span class=\"task task-done\"><span class=\"visually-hidden\">Gedaan: </span></span>klaar",
            "<span class=\"task task-open\"><span class=\"visually-hidden\">Nog te doen: </span></span>open",
        ] {
            assert!(r.html.contains(needle), "{needle} in {}", r.html);
        }
        assert!(!r.html.contains("<input"), "{}", r.html);
    }

    #[test]
    fn tables_get_a_caption_header_scopes_and_a_scroll_region() {
        let r = md("## Cijfers\n\n| | 2024 |\n|---|---:|\n| Meldingen | 12 |\n");
        let expected = "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"caption-1\">\
            <table><caption id=\"caption-1\" class=\"visually-hidden\">Cijfers</caption>\
            <thead><tr><td></td><th scope=\"col\" style=\"text-align: right\">2024</th></tr></thead><tbody>\n\
            <tr><th scope=\"row\">Meldingen</th><td style=\"text-align: right\">12</td></tr>\n\
            </tbody></table>\n</div>";
        assert!(r.html.contains(expected), "{}", r.html);

        // Every alignment, in the head row, as row headers and in plain cells.
        let r = md("| | a | b | c |\n|:--|:--|:-:|--:|\n| x | 1 | 2 | 3 |\n");
        let expected = "<thead><tr><td></td>\
            <th scope=\"col\" style=\"text-align: left\">a</th>\
            <th scope=\"col\" style=\"text-align: center\">b</th>\
            <th scope=\"col\" style=\"text-align: right\">c</th></tr></thead><tbody>\n\
            <tr><th scope=\"row\" style=\"text-align: left\">x</th>\
            <td style=\"text-align: left\">1</td>\
            <td style=\"text-align: center\">2</td>\
            <td style=\"text-align: right\">3</td></tr>";
        assert!(r.html.contains(expected), "{}", r.html);

        let r = md(
            "Tabel: Wachttijden *per perceel*\n\n| Perceel | Weken |\n|---|---|\n| GGZ | 14 |\n",
        );
        assert!(
            r.html.contains("<table><caption id=\"caption-1\">Wachttijden <em>per perceel</em></caption><thead><tr><th scope=\"col\">Perceel</th>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<td>GGZ</td>") && !r.html.contains("<p>"),
            "{}",
            r.html
        );

        let r = md("| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |\n");
        assert!(
            r.html.contains("visually-hidden\">Tabel 1</caption>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("aria-labelledby=\"caption-2\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn footnotes_get_prefixed_ids_and_move_to_the_end_with_a_back_link() {
        let r =
            md("Tekst[^1] en meer[^b].\n\n[^b]: Tweede noot.\n\n[^1]: Eerste noot.\n\nSlot[^1].\n");
        let html = &r.html;
        assert!(
            html.contains("<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\" aria-label=\"Voetnoot 1\">1</a></sup>"),
            "{html}"
        );
        assert!(html.contains("id=\"fnref-2\"><a href=\"#fn-2\""), "{html}");
        assert!(
            html.contains("id=\"fnref-1-2\"><a href=\"#fn-1\""),
            "{html}"
        );
        assert!(
            !html.contains("id=\"1\"") && !html.contains("footnote-definition"),
            "{html}"
        );
        let section = html
            .find("<section class=\"footnotes\"")
            .expect("a footnotes section");
        assert!(
            section > html.find("Slot").unwrap(),
            "notes come last: {html}"
        );
        let notes = &html[section..];
        let first = notes.find("<li id=\"fn-1\"><p>Eerste noot. <a href=\"#fnref-1\" class=\"footnote-backref\" aria-label=\"Terug naar verwijzing 1\">");
        let second = notes.find("<li id=\"fn-2\"><p>Tweede noot. <a href=\"#fnref-2\"");
        assert!(
            first.is_some() && second.is_some() && first < second,
            "{notes}"
        );
        assert!(
            notes.contains("<h2 id=\"footnote-label\" class=\"visually-hidden\">Voetnoten</h2>"),
            "{notes}"
        );
    }

    #[test]
    fn footnotes_and_tables_survive_sanitising() {
        let r = md("<b>x</b>[^1]\n\n| a |\n|---|\n| 1 |\n\n[^1]: Noot.\n");
        for needle in [
            "id=\"fnref-1\"",
            "aria-label=\"Voetnoot 1\"",
            "<section class=\"footnotes\" aria-labelledby=\"footnote-label\">",
            "<li id=\"fn-1\">",
            "role=\"region\"",
            "tabindex=\"0\"",
            "aria-labelledby=\"caption-1\"",
            "<caption id=\"caption-1\"",
            "<th scope=\"col\">",
        ] {
            assert!(r.html.contains(needle), "{needle} in {}", r.html);
        }
    }

    #[test]
    fn raw_html_is_sanitised_unless_allowed() {
        let text = "Hallo <script>alert(1)</script><b onclick=\"x()\">vet</b>\n\n<iframe src=\"x\"></iframe>\n";
        let safe = md(text).html;
        assert!(
            !safe.contains("<script") && !safe.contains("onclick") && !safe.contains("iframe"),
            "{safe}"
        );
        assert!(safe.contains("<b>vet</b>"), "{safe}");
        let other_language = md("Het motto <span lang=\"en\">Nothing about us</span>.").html;
        assert!(
            other_language.contains("<span lang=\"en\">Nothing about us</span>"),
            "a passage in another language keeps its lang: {other_language}"
        );
        let raw = render(text, &resolve, &options(true)).html;
        assert!(raw.contains("<script>"));
    }

    #[test]
    fn heading_attributes_are_limited_to_language_unless_allowed() {
        let text =
            "## Samenvatting {#kort .breed lang=en onclick=\"x()\" style=x}\n\nTekst <b>vet</b>\n";
        let safe = md(text).html;
        assert!(
            safe.contains("<h2 id=\"kort\" class=\"breed\" lang=\"en\">"),
            "{safe}"
        );
        assert!(
            !safe.contains("onclick") && !safe.contains("style"),
            "{safe}"
        );
        let without_html = md("## Kop {onclick=x() lang=en}\n").html;
        assert_eq!(without_html, "<h2 id=\"kop\" lang=\"en\">Kop</h2>\n");
        let raw = render(text, &resolve, &options(true)).html;
        assert!(raw.contains("onclick"), "{raw}");
    }

    #[test]
    fn first_paragraph_and_text() {
        let r = md("## Kop\n\nEerste *alinea*\nloopt door.\n\nTweede.\n");
        assert_eq!(r.first_paragraph, "Eerste alinea loopt door.");
        assert!(r.text.contains("Kop\n") && r.text.contains("Tweede."));
    }

    #[test]
    fn shorten_cuts_at_words() {
        assert_eq!(shorten("een twee drie", 9), "een twee…");
        assert_eq!(shorten("kort", 9), "kort");
        // Characters are counted, not bytes.
        assert_eq!(shorten("ëëë", 3), "ëëë");
        assert_eq!(shorten("ëë ëë", 3), "ëë…");
    }

    proptest::proptest! {
        #[test]
        fn char_start_is_where_char_indices_puts_it(text in "(?s).{0,80}|[aë€𝄞 ]{0,80}", n in 0usize..90) {
            let expected = text.char_indices().nth(n).map(|(at, _)| at);
            proptest::prop_assert_eq!(char_start(&text, n), expected);
        }
    }
}
