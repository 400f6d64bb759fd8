//! Property tests of the front-matter parser and the Markdown pipeline (link resolution
//! and sanitising): a few thousand generated inputs per run, built from the pieces that
//! break parsers, checked against `invariants.rs`. `fuzz/` runs the same checks for
//! millions of inputs.

use proptest::prelude::*;

use crate::invariants::{check_front_matter, check_markdown, unsafe_markup};

/// Markdown and HTML pieces that meet at the edges of the grammar and the sanitiser.
const MARKDOWN_PIECES: &[&str] = &[
    "\n",
    "\n\n",
    "# ",
    "## Kop",
    " {#eigen}",
    "> ",
    "- ",
    "1. ",
    "    ",
    "\t",
    "* ",
    "_",
    "`",
    "```\n",
    "~~",
    "[^1]",
    "[^1]: noot\n",
    "- [x] ",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "[tekst](",
    ")",
    "](",
    "[",
    "]",
    "![beeld](",
    "<",
    ">",
    "&",
    "&amp;",
    "&#106;",
    "\"",
    "'",
    "@/minutes/2021-12-14.md",
    "@/minutes/2021-12-14.md#rondvraag",
    "@/news/weg.md",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:x",
    "vbscript:x",
    "data:text/html,<script>x</script>",
    "https://example.nl/",
    "mailto:a@b.nl",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:x\">a</a>",
    "<div onclick=\"x()\">",
    "</div>",
    "<iframe src=x>",
    "<style>*{}</style>",
    "<svg onload=x>",
    "<!--",
    "-->",
    "<b>",
    "</b>",
    "<p title=\"a>b\" onmouseover=x>",
    "<math>",
    "<object>",
    "é",
    "€",
    "\u{feff}",
    "\r\n",
    "\u{0}",
];

/// Front-matter lines and pieces, right and wrong.
const FRONT_MATTER_PIECES: &[&str] = &[
    "+++\n",
    "+++\r\n",
    "+++",
    "title = \"Titel\"\n",
    "title = \"\"\n",
    "title = 3\n",
    "date = 2021-12-14\n",
    "date = 2021-13-45\n",
    "date = \"14-12-2021\"\n",
    "date = 2021-12-14T10:00:00\n",
    "date = \"2021-02-30\"\n",
    "summary = \"S\"\n",
    "topics = [\"a\", \"!!\"]\n",
    "topics = \"a\"\n",
    "policy_areas = [\"wmo\"]\n",
    "policy_areas = [\"jeugt\"]\n",
    "draft = true\n",
    "draft = \"ja\"\n",
    "attachments = [{ file = \"../x.pdf\" }]\n",
    "attachments = [{ file = \"a.pdf\", title = \"A\" }]\n",
    "aliases = [\"/oud.html\", \"../x\", \"http://x\"]\n",
    "[extra]\n",
    "x = 1\n",
    "titel = \"typo\"\n",
    "status = \"approved\"\n",
    "status = \"moved\"\n",
    "status = \"aproved\"\n",
    "approved_on = 2022-01-11\n",
    "moved_to = 2021-12-15\n",
    "start = \"19:30\"\n",
    "end = \"18:00\"\n",
    "start = 25:00:00\n",
    "actions = [{ what = \"x\" }]\n",
    "actions = [{ id = \"A1\", what = \"x\", due = 2022-01-01 }]\n",
    "agenda = [{ title = \"Opening\" }]\n",
    "image = \"foto.jpg\"\n",
    "image_alt = \"Foto\"\n",
    "response = { date = 2021-01-01 }\n",
    "solicited = false\n",
    "requested_on = 2021-11-01\n",
    "year = 2021\n",
    "year = 99999999999\n",
    "weight = -3\n",
    "in_menu = true\n",
    "[[x]]\n",
    "\"\"\"\n",
    "'''",
    "= \n",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "\\",
    "\\u{0}",
    "é",
    "\r",
    "\u{feff}",
    "Tekst\n",
];

fn pieces(set: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(set).prop_map(str::to_string),
        1 => any::<String>(),
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn markdown_is_always_safe(markdown in pieces(MARKDOWN_PIECES, 24)) {
        check_markdown(&markdown);
    }

    #[test]
    fn any_text_renders(markdown in any::<String>()) {
        check_markdown(&markdown);
    }

    #[test]
    fn front_matter_never_panics_and_points_at_real_lines(text in pieces(FRONT_MATTER_PIECES, 16)) {
        check_front_matter(&text);
    }

    #[test]
    fn any_file_text_is_handled(text in any::<String>()) {
        check_front_matter(&text);
        check_front_matter(&format!("+++\n{text}\n+++\n"));
    }
}

#[test]
fn the_safety_check_recognises_unsafe_markup() {
    for html in [
        "<script>x</script>",
        "<a href=\"javascript:x\">",
        "<a href=\" JaVa\tScRiPt:x\">",
        "<img src=x onerror=alert(1)>",
        "<p title='a>b' onclick=x>",
        "<iframe src=\"https://x\">",
    ] {
        assert!(unsafe_markup(html).is_some(), "{html}");
    }
    for html in [
        "<p>&lt;script&gt; javascript:x onclick=x</p>",
        "<a href=\"/verslagen/\">",
        "<a href=\"https://x.nl/?a=javascript:x\">",
        "<img src=\"foto.jpg\" alt=\"a onclick=x\">",
    ] {
        assert_eq!(unsafe_markup(html), None, "{html}");
    }
}

#[test]
fn links_with_script_schemes_are_sanitised_without_raw_html() {
    for markdown in [
        "[x](javascript:alert(1))",
        "![x](javascript:alert(1))",
        "<javascript:alert(1)>",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](data:text/html,x)",
    ] {
        let html = check_markdown(markdown).html.to_ascii_lowercase();
        assert!(
            !html.contains("=\"javascript:") && !html.contains("=\"data:"),
            "{markdown}: {html}"
        );
    }
    let html = check_markdown("[x](https://example.nl/) [y](@/minutes/2021-12-14.md#a)").html;
    assert!(
        html.contains("href=\"https://example.nl/\"")
            && html.contains("href=\"/verslagen/2021-12-14/#a\""),
        "{html}"
    );
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    for markdown in [
        ">".repeat(10_000) + " x",
        "- ".repeat(10_000) + "x",
        "*".repeat(10_000) + "x" + &"*".repeat(10_000),
        "[".repeat(10_000) + "x" + &"](y)".repeat(10_000),
        "<b>".repeat(10_000),
        "> ".repeat(2_000) + "<b>x</b>",
    ] {
        check_markdown(&markdown);
    }
}
