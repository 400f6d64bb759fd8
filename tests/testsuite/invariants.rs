//! What must hold for any input to the front-matter parser and the Markdown pipeline.
//! Shared by the property tests (`properties.rs`) and the fuzz targets under `fuzz/`,
//! which include this file by path.

use quorum::config::Config;
use quorum::content::{Kind, parse_text};
use quorum::markdown::{MarkdownOptions, Rendered, render};

/// A small configuration with two policy areas, as a site would have; parsed once.
pub fn config() -> &'static Config {
    static CONFIG: std::sync::OnceLock<Config> = std::sync::OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(
            "title = \"Raad\"\nbase_url = \"https://raad.example.nl\"\n\
         [policy_areas]\nwmo = \"Wmo\"\narmoede = \"Armoede\"\n",
            None,
        )
        .expect("the test configuration is valid")
    })
}

/// The only content path that resolves, so `@/` links are exercised both ways.
fn resolve(path: &str) -> Option<String> {
    (path == "minutes/2021-12-14.md").then(|| "/verslagen/2021-12-14/".to_string())
}

/// Renders `markdown` safely (sanitised) and checks the result; panics on a violation.
pub fn check_markdown(markdown: &str) -> Rendered {
    let options = MarkdownOptions {
        unsafe_html: false,
        labels: quorum::markdown::MarkdownLabels {
            table: "Tabel".into(),
            ..Default::default()
        },
    };
    let rendered = render(markdown, &resolve, &options);
    if let Some(problem) = unsafe_markup(&rendered.html) {
        panic!(
            "unsafe output ({problem}) for {markdown:?}:\n{}",
            rendered.html
        );
    }
    let lines: Vec<&str> = markdown.split('\n').collect();
    for link in &rendered.links {
        assert_eq!(
            link.place.is_some(),
            !link.resolved || link.anchor.is_some(),
            "a link keeps its place exactly when it can break: {link:?}"
        );
    }
    let places =
        (rendered.links.iter().filter_map(|link| link.place.as_ref())).chain(&rendered.h1_places);
    for place in places {
        let line = lines.get(place.line - 1).map(|l| l.trim_end_matches('\r'));
        assert_eq!(
            line,
            Some(place.source_line.as_str()),
            "{place:?} is a line of {markdown:?}"
        );
        assert!(place.column <= place.source_line.chars().count() + 1);
    }
    let mut ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "heading ids are unique in {markdown:?}");
    assert!(rendered.first_paragraph.chars().count() <= 321);
    // A one-off build links with the outline and renders the body later: they agree.
    let outline = quorum::markdown::outline(markdown, &resolve, &options);
    assert_eq!(
        outline.headings, rendered.headings,
        "headings of {markdown:?}"
    );
    assert_eq!(outline.links, rendered.links, "links of {markdown:?}");
    assert_eq!(outline.h1_places, rendered.h1_places);
    assert_eq!(outline.first_paragraph, rendered.first_paragraph);
    rendered
}

/// Parses `text` as a content file of every kind and checks the diagnostics: each
/// points at a line that exists and renders without panicking.
pub fn check_front_matter(text: &str) {
    let config = config();
    for kind in Kind::ALL {
        match parse_text(kind, "2021-12-14", text, config) {
            Ok(item) => {
                assert!(text.ends_with(&*item.body), "the body is the file's end");
                assert_eq!(text.get(item.body_start..), Some(&*item.body), "body_start");
                assert!(item.body_line >= 2, "the body follows the front matter");
            }
            Err(diagnostics) => {
                assert!(!diagnostics.is_empty(), "a failure says why");
                for diagnostic in diagnostics {
                    if let Some(location) = &diagnostic.location {
                        let lines = text.split('\n').count();
                        assert!(
                            location.line >= 1 && location.line <= lines,
                            "{diagnostic:?} in {text:?}"
                        );
                        assert!(location.column >= 1 && location.len >= 1);
                        assert!(!location.source_line.contains('\n'));
                    }
                    assert!(diagnostic.to_string().starts_with("error: "));
                }
            }
        }
    }
}

/// Why `html` could run script in a browser, if it could: a `<script>`, `<iframe>`,
/// `<object>`, `<embed>`, `<style>`, `<svg>` or `<math>` tag, an event handler
/// attribute, or a link or source to a `javascript:`, `vbscript:` or `data:` URL.
pub fn unsafe_markup(html: &str) -> Option<String> {
    for tag in tags(html) {
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect::<String>()
            .to_ascii_lowercase();
        if [
            "script", "iframe", "object", "embed", "style", "svg", "math",
        ]
        .contains(&name.as_str())
        {
            return Some(format!("<{name}>"));
        }
        for (attribute, value) in attributes(tag) {
            if attribute.starts_with("on") {
                return Some(format!("{attribute}= on <{name}>"));
            }
            if ["href", "src", "action", "formaction", "xlink:href"].contains(&attribute.as_str()) {
                let compact: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let scheme = compact.split_once(':').map_or("", |(s, _)| s);
                if ["javascript", "vbscript", "data"].contains(&scheme) {
                    return Some(format!("{attribute}=\"{value}\""));
                }
            }
        }
    }
    None
}

/// The insides of the start tags of `html` (`a href="x"` of `<a href="x">`).
fn tags(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let mut quote = None;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                match (quote, c) {
                    (None, '"' | '\'') => quote = Some(c),
                    (Some(q), c) if c == q => quote = None,
                    (None, '>') => return true,
                    _ => {}
                }
                false
            })
            .map_or(rest.len(), |(i, _)| i);
        tags.push(&rest[..end]);
        rest = &rest[end..];
    }
    tags
}

/// The attributes of a tag's inside, lower-cased names with their unquoted values.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut result = Vec::new();
    let mut rest = tag.trim_start_matches(|c: char| !c.is_whitespace());
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return result;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (found, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = found.to_string();
            rest = remaining;
        }
        result.push((name, value));
    }
}
