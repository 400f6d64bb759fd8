//! The error overlay: while the last rebuild failed, every served page shows what is
//! wrong and where, so the webmaster sees it in the browser they are looking at.

use std::fmt::Write;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// An overlay listing every diagnostic of a failed build, to insert before `</body>`.
pub fn overlay(diagnostics: &Diagnostics) -> String {
    let count = diagnostics.error_count();
    let plural = if count == 1 { "error" } else { "errors" };
    let mut html = String::new();
    // Inline styles only: the theme's stylesheet must neither hide nor restyle it.
    html.push_str(
        r#"<div id="quorum-errors" role="alert" lang="en" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);color:#fff;font:16px/1.5 system-ui,sans-serif;padding:2rem">"#,
    );
    let _ = write!(
        html,
        r#"<h1 style="font-size:1.5rem;margin:0 0 1rem;color:#ff8a80">The site could not be rebuilt: {count} {plural}</h1>"#
    );
    html.push_str(r#"<p style="margin:0 0 1rem">This page shows the last good build. Fix the file and save it; this message goes away by itself.</p><ol style="padding-left:1.5rem">"#);
    for diagnostic in diagnostics.iter() {
        html.push_str(&item(diagnostic));
    }
    html.push_str("</ol></div>\n");
    html
}

fn item(diagnostic: &Diagnostic) -> String {
    let label = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut html = format!(
        r#"<li style="margin:0 0 1.25rem"><code style="color:#ffd180">{}</code> <strong>{label}:</strong> {}"#,
        escape(&diagnostic.position()),
        escape(&diagnostic.message)
    );
    if let Some(location) = &diagnostic.location {
        let _ = write!(
            html,
            r#"<pre style="background:#000;color:#eee;padding:.5rem;margin:.5rem 0;overflow:auto">{:>4} | {}</pre>"#,
            location.line,
            escape(&location.source_line)
        );
    }
    if let Some(hint) = &diagnostic.hint {
        let _ = write!(
            html,
            r#"<div style="color:#b9f6ca">help: {}</div>"#,
            escape(hint)
        );
    }
    html.push_str("</li>");
    html
}

/// A whole page for when no build has succeeded yet: there is no page to show it on.
pub fn error_page(diagnostics: &Diagnostics) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>quorum: the site could not be built</title></head>\n<body>\n{}</body></html>\n",
        overlay(diagnostics)
    )
    .into_bytes()
}

/// Escapes text for use in HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;

    fn broken() -> Diagnostics {
        let text = "+++\ntitle = \"<script>alert(1)</script>\n+++\n";
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(
            Diagnostic::error("content/news/x.md", "unterminated string")
                .at(Location::at_offset(text, 12, 1))
                .hint("close the string with `\"`"),
        );
        diagnostics.push(Diagnostic::error(
            "quorum.toml",
            "unknown field `titel` & more",
        ));
        diagnostics
    }

    #[test]
    fn lists_position_message_line_and_hint() {
        let html = overlay(&broken());
        assert!(html.contains("could not be rebuilt: 2 errors"));
        assert!(html.contains("<code style=\"color:#ffd180\">content/news/x.md:2:9</code>"));
        assert!(html.contains("unterminated string"));
        assert!(html.contains("help: close the string with `&quot;`"));
        assert!(html.contains("<code style=\"color:#ffd180\">quorum.toml</code>"));
    }

    #[test]
    fn escapes_everything_from_the_site() {
        let html = overlay(&broken());
        assert!(!html.contains("<script>"));
        assert!(html.contains("title = &quot;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("`titel` &amp; more"));
    }

    #[test]
    fn error_page_is_a_whole_document() {
        let page = String::from_utf8(error_page(&broken())).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("id=\"quorum-errors\""));
        assert!(page.ends_with("</body></html>\n"));
    }
}
