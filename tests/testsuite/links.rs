//! Every internal link, anchor and image of the example site resolves, in Dutch and in
//! English: an offline link check over the built output.
//!
//! Pages are read with html5ever's tokenizer, the WHATWG HTML parser that browsers'
//! rules are written for (character references in attributes, unquoted values,
//! comments, script contents). It is already in the build through ammonia, so the check
//! adds no crate to compile, where `scraper` would add a CSS selector engine we do not
//! need; a hand-written attribute scan would miss exactly the cases a parser gets right.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, states::RawKind,
};

use crate::util::{copy_dir, quorum, repo_root};

/// What one HTML file links to, and the ids it has.
#[derive(Default)]
struct Page {
    /// `(attribute, value)` of every `href` and `src`, and the URL of a meta refresh.
    links: Vec<(String, String)>,
    ids: BTreeSet<String>,
}

/// Collects links and ids from tokens; switches to raw text inside script and style, as
/// the tree builder would, so that JSON-LD is not read as markup.
struct Collector(RefCell<Page>);

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let mut page = self.0.borrow_mut();
        let attr = |name: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == name)
                .map(|a| a.value.to_string())
        };
        for a in &tag.attrs {
            match &*a.name.local {
                "href" | "src" => page
                    .links
                    .push((a.name.local.to_string(), a.value.to_string())),
                "id" => {
                    page.ids.insert(a.value.to_string());
                }
                _ => {}
            }
        }
        let refresh = &*tag.name == "meta"
            && attr("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
        if refresh
            && let Some((_, url)) = attr("content")
                .as_deref()
                .and_then(|c| c.split_once("url="))
        {
            page.links.push(("refresh".into(), url.to_string()));
        }
        match &*tag.name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" => TokenSinkResult::RawData(RawKind::Rawtext),
            _ => TokenSinkResult::Continue,
        }
    }
}

fn parse(html: &str) -> Page {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Collector(RefCell::new(Page::default())), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// The result of checking one built site.
#[derive(Debug, Default)]
struct Report {
    pages: usize,
    links: usize,
    anchors: usize,
    broken: Vec<String>,
}

/// Checks every internal `href`/`src` (starting with `/` or relative) of every page in
/// `root`, and every `#anchor` against the ids of its target page.
fn check_site(root: &Path) -> Report {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    let pages: HashMap<PathBuf, Page> = files
        .iter()
        .map(|f| (f.clone(), parse(&fs::read_to_string(f).unwrap())))
        .collect();
    let mut report = Report {
        pages: files.len(),
        ..Report::default()
    };
    for file in &files {
        let from = file.strip_prefix(root).unwrap().display();
        for (attr, url) in &pages[file].links {
            let Some((target, anchor)) = resolve(root, file, url) else {
                continue;
            };
            report.links += 1;
            if !target.is_file() {
                report
                    .broken
                    .push(format!("{from}: {attr}=\"{url}\": no {}", target.display()));
                continue;
            }
            if let Some(anchor) = anchor {
                report.anchors += 1;
                let ids = pages.get(&target).map(|p| &p.ids);
                if !ids.is_some_and(|ids| ids.contains(&anchor)) {
                    report
                        .broken
                        .push(format!("{from}: {attr}=\"{url}\": no id=\"{anchor}\""));
                }
            }
        }
    }
    report
}

/// The file and anchor an internal URL points to; `None` for external URLs.
fn resolve(root: &Path, from: &Path, url: &str) -> Option<(PathBuf, Option<String>)> {
    let is_external = url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    if is_external {
        return None;
    }
    let (rest, anchor) = match url.split_once('#') {
        Some((rest, anchor)) => (rest, Some(decode(anchor))),
        None => (url, None),
    };
    let path = rest.split(['?']).next().unwrap_or_default();
    let mut target = if path.is_empty() {
        from.to_path_buf()
    } else if let Some(absolute) = path.strip_prefix('/') {
        root.join(decode(absolute))
    } else {
        from.parent().unwrap().join(decode(path))
    };
    if path.ends_with('/') || target.is_dir() {
        target.push("index.html");
    }
    Some((normalise(&target), anchor))
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Removes `.` and `..` from a path without touching the disk.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Builds the example site in `language` into a temporary folder.
fn build_example(language: &str, dir: &Path) -> PathBuf {
    let site = dir.join("site");
    fs::create_dir_all(&site).unwrap();
    let config = fs::read_to_string(repo_root().join("quorum.toml")).unwrap();
    let config = config.replace("language = \"nl\"", &format!("language = \"{language}\""));
    fs::write(site.join("quorum.toml"), config).unwrap();
    for folder in ["content", "static"] {
        copy_dir(&repo_root().join(folder), &site.join(folder));
    }
    let out = dir.join("public");
    quorum(&site, &["build", "--output", out.to_str().unwrap()]).success();
    out
}

#[test]
fn every_internal_link_anchor_and_image_resolves_in_both_languages() {
    let mut counts = BTreeMap::new();
    for language in ["nl", "en"] {
        let dir = tempfile::tempdir().unwrap();
        let report = check_site(&build_example(language, dir.path()));
        assert!(
            report.broken.is_empty(),
            "{language}: {} broken of {} links:\n{}",
            report.broken.len(),
            report.links,
            report.broken.join("\n")
        );
        assert!(
            report.pages > 100 && report.links > 4000 && report.anchors > 100,
            "{report:?}"
        );
        counts.insert(language, (report.pages, report.links, report.anchors));
    }
    for (language, (pages, links, anchors)) in counts {
        println!(
            "{language}: {pages} pages, {links} internal links and images, {anchors} anchors: all resolve"
        );
    }
}

#[test]
fn the_link_check_finds_what_is_broken() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("a")).unwrap();
    fs::write(root.join("index.html"), "<h1 id=top>x</h1>").unwrap();
    fs::write(
        root.join("a/index.html"),
        "<!-- <a href=/commented-out/> --><script type=application/ld+json>{\"x\": \"<a href='/in-json/'>\"}</script>\
         <a href='/'>ok</a><a href='../#top'>ok</a><a href=#here id=here>ok</a><a href='https://elders.example/'>ext</a>\
         <a href=/missing/>broken</a><a href='/#nope'>broken</a><img src='logo&#46;svg' alt=''>",
    )
    .unwrap();
    let report = check_site(root);
    assert_eq!(report.links, 6, "{report:?}");
    assert_eq!(report.anchors, 3, "{report:?}");
    assert_eq!(report.broken.len(), 3, "{report:?}");
    for needle in ["/missing/", "id=\"nope\"", "logo.svg"] {
        assert!(
            report.broken.iter().any(|b| b.contains(needle)),
            "{needle}: {report:?}"
        );
    }
}
