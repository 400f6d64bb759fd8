//! The render stage: turns the linked [`Site`] into output files in memory.
//!
//! Renderers never read `content/`; they get everything from the site and the theme.

mod api;
mod calendar;
mod feeds;
mod files;
mod json_string;
mod jsonld;
mod pages;
mod patch;
mod register;
mod search;
mod sitemap;
mod templates;
pub mod view;
mod with_body;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;

use crate::build::Timings;
use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint;
use crate::i18n::UrlWord;
use crate::site::{Site, section_word};
use crate::theme::{StaticFile, Theme};
pub use files::Files;
pub use pages::RenderCache;
pub use patch::{Edit, Patched, patch};
pub use register::AdviceGroups;
pub use sitemap::Live as LiveSitemap;
pub use templates::Templates;
use view::{Link, Views};
pub use with_body::WithBody;

/// One file of the finished site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: Arc<str>,
    pub contents: Contents,
}

/// What goes into an output file.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Rendered in memory; shared with the page cache of `quorum serve`.
    Bytes(Arc<Vec<u8>>),
    /// Built into the binary.
    Embedded(&'static [u8]),
    /// Copied from a file on disk.
    Copy(PathBuf),
    /// An item's page or open data in `quorum serve`, kept around the item's body.
    WithBody(Arc<WithBody>),
}

impl Contents {
    /// Bytes made in memory.
    pub fn bytes(bytes: impl Into<Vec<u8>>) -> Contents {
        Contents::Bytes(Arc::new(bytes.into()))
    }
}

impl OutputFile {
    fn rendered(path: impl Into<Arc<str>>, text: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::bytes(text),
        }
    }
}

/// What the site tells every template: name, language, navigation.
#[derive(Debug, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    lang: &'static str,
    base_url: &'a str,
    home_href: String,
    feed_href: String,
    stylesheet_href: String,
    /// The site's own stylesheets (`stylesheets` in quorum.toml), after the theme's.
    stylesheets: Vec<String>,
    /// Scheme and host of the site, which print styles write before internal links.
    origin: &'a str,
    years_href: String,
    actions_href: String,
    calendar_href: String,
    api_href: String,
    topics_href: String,
    policy_areas_href: String,
    search_href: String,
    council: &'a crate::config::Council,
    council_name: &'a str,
    nav: Vec<NavLink>,
    /// The list page of each kind, by kind id (`minutes`, `meeting`, …).
    sections: BTreeMap<&'static str, String>,
    footer: Vec<Link>,
    extra: &'a toml::Table,
}

/// A link in the main navigation; `key` matches the `section` of the pages under it.
#[derive(Debug, Serialize)]
struct NavLink {
    key: String,
    title: String,
    href: String,
}

/// Where rendered files go. `build` writes them to a staging folder, `serve` keeps them
/// in memory, `check` drops them: files are handed over one at a time from many threads,
/// so `quorum build` never holds the whole site in memory.
pub trait Sink: Sync {
    /// Takes one finished file; paths are unique within a build.
    fn put(&self, file: OutputFile) -> std::io::Result<()>;
}

/// Keeps every file in memory, for `serve`.
#[derive(Debug, Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path so that every build lists them alike.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// Drops every file: `check` renders everything to find errors, and writes nothing.
#[derive(Debug, Default)]
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> std::io::Result<()> {
        Ok(())
    }
}

/// How much a render produced.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    /// HTML pages.
    pub pages: usize,
    /// Every file, pages included.
    pub files: usize,
}

/// What `quorum serve` keeps of a render besides its files, to patch them after an edit
/// to the body of an item (see [`patch`]).
pub struct Kept {
    templates: Templates,
    cards: Vec<view::Card>,
    search: search::LiveIndex,
}

impl Kept {
    /// The search index, for the next render to patch.
    pub fn into_search(self) -> search::LiveIndex {
        self.search
    }

    /// Makes room for the card of a new entry (see [`crate::site::make_room`]).
    pub fn make_room(&mut self) {
        crate::site::make_room(&mut self.cards);
    }
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("cards", &self.cards.len())
            .finish_non_exhaustive()
    }
}

/// Renders every page, feed and copy of the site into `sink`.
/// With a page `cache` (`quorum serve`), pages whose inputs are unchanged are taken from
/// it, and it is refilled with this render's pages; what is needed to [`patch`] the
/// files later is returned then too.
pub fn render(
    site: &Site,
    theme: &Theme,
    timings: &mut Timings,
    cache: Option<&mut RenderCache>,
    sink: &dyn Sink,
) -> Result<(Tally, Option<Kept>), Diagnostics> {
    missing_stylesheets(site)?;
    let views = Views::new(site, &theme.strings);
    let site_view = site_view(site, &views);
    let globals = || {
        let mut globals = tera::Context::new();
        globals.insert("site", &site_view);
        globals.insert("t", &theme.strings);
        globals
    };
    let templates = Templates::new(theme, globals)?;
    let mut renderer = pages::Renderer::new(site, &views, &templates);
    renderer.served = cache.is_some();
    let mut cache = cache;
    let mut previous = cache.as_mut().map(|cache| std::mem::take(&mut **cache));
    let old_index = previous.as_mut().and_then(|previous| previous.index.take());
    if let Some(previous) = &previous {
        let sources: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()))
            .collect();
        let globals = fingerprint::of(&(&site_view, &theme.strings, sources));
        renderer.memo = Some(pages::Memo::new(previous, globals));
    }
    let put = |result: Result<OutputFile, Diagnostic>| put(sink, result);
    timings.lap("prepare views and templates");

    // Each body is at hand once (see `Site::body`): for its page, its open-data file
    // and the search index.
    let memo = renderer.memo.as_ref();
    let cached_docs = memo.map(|memo| &memo.search_docs);
    let (written, search_docs): (Vec<_>, Vec<_>) = (0..site.entries.len())
        .into_par_iter()
        // Pieces of at most sixteen items: rayon otherwise leaves pieces of hundreds,
        // and one thread finished the last alone while the other waited (about 40 ms
        // of a 10,000-item build in `perf`'s timeline).
        .with_max_len(16)
        .map(|i| match site.body(i) {
            Ok(body) => {
                let page = put(renderer.item_page(i, &body));
                let data = if renderer.served {
                    api::served_item_file(site, &views, i, memo, &body)
                } else {
                    api::item_file(site, &views, i, &body)
                };
                let data = put(Ok(data));
                (
                    vec![page, data],
                    search::analyse(site, i, &body.text, cached_docs),
                )
            }
            Err(changed) => (
                vec![Err(changed)],
                search::analyse(site, i, "", cached_docs),
            ),
        })
        .unzip();
    let mut written: Vec<Result<Arc<str>, Diagnostic>> = written.into_iter().flatten().collect();
    timings.lap("render item pages and their open data");
    // Merging the search index takes one thread; the lists, overviews and feeds, which
    // do not need it, are rendered on the others meanwhile.
    let keep = renderer.memo.is_some();
    let ((search_written, live_index), others_written) = rayon::join(
        || {
            let (files, live) = search::render(&renderer, search_docs, keep, old_index);
            let written: Vec<_> = files.into_par_iter().map(put).collect();
            (written, live)
        },
        || {
            let lists = renderer.lists().into_iter().chain(renderer.advice_lists());
            let list_pages: Vec<pages::ListPage> = lists.flat_map(pages::List::pages).collect();
            let mut written: Vec<_> = (list_pages.par_iter())
                .map(|page| put(page.run(&renderer)))
                .collect();
            let mut others = renderer.overview_pages();
            others.push(renderer.actions_page());
            others.push(renderer.meetings_page());
            others.extend(renderer.alias_pages());
            others.push(renderer.single_page("404.html", "404.html", "not_found_title"));
            others.extend(feeds::all(site, &views));
            others.push(Ok(feeds::robots(site)));
            others.push(Ok(calendar::agenda(site, &views)));
            others.extend(api::lists(site).into_iter().map(Ok));
            written.par_extend(others.into_par_iter().map(put));
            written
        },
    );
    written.extend(search_written);
    written.extend(others_written);
    timings.lap("lists, overviews, feeds and the search index (side by side)");
    if let (Some(cache), Some(memo)) = (cache, renderer.memo.take()) {
        *cache = memo.finish();
    }
    drop(renderer);

    let mut diagnostics = Diagnostics::new();
    let mut paths = Vec::with_capacity(written.len());
    for result in written {
        match result {
            Ok(path) => paths.push(path),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    paths.sort_unstable();
    for pair in paths.windows(2).filter(|pair| pair[0] == pair[1]) {
        diagnostics.push(Diagnostic::error(
            &*pair[0],
            "two pages would be written to this path",
        ));
    }
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    let pages: Vec<&str> = paths
        .iter()
        .map(|path| &**path)
        .filter(|p| is_page(p))
        .collect();
    let mut tally = Tally {
        pages: pages.len(),
        files: paths.len() + 1,
    };
    put(Ok(sitemap::sitemap(site, &pages))).map_err(one)?;
    // Rendered files win a path over copies, and among copies the site's static/ wins
    // over the theme's, and an item's own files over both.
    let mut copied: BTreeMap<Arc<str>, OutputFile> = BTreeMap::new();
    for file in copies(site, theme) {
        if paths.binary_search(&file.path).is_err() && &*file.path != sitemap::SITEMAP {
            copied.insert(file.path.clone(), file);
        }
    }
    tally.files += copied.len();
    tally.pages += copied.keys().filter(|p| is_page(p)).count();
    let failed: Vec<Diagnostic> = copied
        .into_values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter_map(|file| put(Ok(file)).err())
        .collect();
    timings.lap("feeds, calendar, open data, sitemap, copies");
    if !failed.is_empty() {
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(failed);
        diagnostics.sort();
        return Err(diagnostics);
    }
    let kept = live_index.map(|search| Kept {
        templates,
        cards: views.into_cards(),
        search,
    });
    Ok((tally, kept))
}

/// Hands one rendered file to the sink, returning its path.
fn put(sink: &dyn Sink, result: Result<OutputFile, Diagnostic>) -> Result<Arc<str>, Diagnostic> {
    let file = result?;
    let path = file.path.clone();
    sink.put(file).map_err(|e| {
        Diagnostic::error(&*path, format!("cannot write the output: {e}"))
            .hint("check that the output folder is writable and the disk is not full; the previous output is unchanged")
    })?;
    Ok(path)
}

fn one(diagnostic: Diagnostic) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    diagnostics.push(diagnostic);
    diagnostics
}

/// Whether an output path is an HTML page.
pub fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

fn site_view<'a>(site: &'a Site, views: &Views<'_>) -> SiteView<'a> {
    let config = &site.config;
    let mut nav = vec![NavLink {
        key: "home".into(),
        title: views.t("nav_home"),
        href: site.href(""),
    }];
    let mut sections = BTreeMap::new();
    for kind in [
        Kind::Minutes,
        Kind::Meeting,
        Kind::Advice,
        Kind::News,
        Kind::AnnualReport,
    ] {
        if let Some(word) = section_word(kind) {
            let href = site.href(&site.section_path(word));
            sections.insert(kind.id(), href.clone());
            nav.push(NavLink {
                key: kind.id().into(),
                title: views.t(&format!("nav_{}", kind.id().replace('-', "_"))),
                href,
            });
        }
    }
    nav.extend(pages_where(site, |p| p.in_menu).map(|e| NavLink {
        key: e.item.slug.clone(),
        title: e.item.title.clone(),
        href: site.href(&e.path),
    }));
    let footer = pages_where(site, |p| p.in_footer)
        .map(|e| Link {
            title: e.item.title.clone(),
            href: site.href(&e.path),
        })
        .collect();
    SiteView {
        title: &config.title,
        description: config.description.as_deref(),
        lang: config.language.code(),
        base_url: &config.base_url,
        home_href: site.href(""),
        feed_href: site.href("feed.xml"),
        stylesheet_href: site.href("style.css"),
        stylesheets: config.stylesheets.iter().map(|s| site.href(s)).collect(),
        origin: config.origin(),
        years_href: site.href(&site.section_path(UrlWord::Year)),
        actions_href: site.href(&site.section_path(UrlWord::Actions)),
        calendar_href: site.href("agenda.ics"),
        api_href: site.href("api/index.json"),
        topics_href: site.href(&site.section_path(UrlWord::Topics)),
        policy_areas_href: site.href(&site.section_path(UrlWord::PolicyAreas)),
        search_href: site.href(&site.section_path(UrlWord::Search)),
        council: &config.council,
        council_name: config.council_name(),
        nav,
        sections,
        footer,
        extra: &config.extra,
    }
}

/// The free pages that `wanted` picks, by weight, then title.
fn pages_where(
    site: &Site,
    wanted: impl Fn(&crate::content::Page) -> bool,
) -> impl Iterator<Item = &crate::site::Entry> {
    let mut pages: Vec<(i32, &crate::site::Entry)> = site
        .of_kind(Kind::Page)
        .iter()
        .map(|&i| &site.entries[i])
        .filter_map(|e| match &e.item.details {
            crate::content::Details::Page(p) if wanted(p) => Some((p.weight, e)),
            _ => None,
        })
        .collect();
    pages.sort_by(|a, b| (a.0, &a.1.item.title).cmp(&(b.0, &b.1.item.title)));
    pages.into_iter().map(|(_, e)| e)
}

/// Every configured stylesheet must be a file in `static/`: a missing one would leave the
/// house style out without a word.
fn missing_stylesheets(site: &Site) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    for sheet in &site.config.stylesheets {
        if !site.root.join("static").join(sheet).is_file() {
            diagnostics.push(
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    format!("stylesheet `{sheet}` does not exist: there is no static/{sheet}"),
                )
                .hint("add the file to static/, or remove it from `stylesheets` in quorum.toml"),
            );
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(())
    }
}

/// Theme assets, then the site's `static/`, then every item's attachments and assets.
fn copies(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let root_static = crate::theme::static_files_in(&site.root.join("static"));
    let mut files: Vec<OutputFile> = theme
        .static_files
        .iter()
        .chain(root_static.iter())
        .map(|f| OutputFile {
            path: f.path().into(),
            contents: match f {
                StaticFile::Embedded { bytes, .. } => Contents::Embedded(bytes),
                StaticFile::Disk { source, .. } => Contents::Copy(source.clone()),
            },
        })
        .collect();
    for entry in &site.entries {
        files.extend(assets(entry));
    }
    files
}

/// The paths of the files an entry has of its own: its page, open-data file, the
/// pages at its old addresses and the copies of its files.
pub fn own_files(entry: &crate::site::Entry) -> Vec<String> {
    let mut paths = vec![format!("{}index.html", entry.path), api::item_path(entry)];
    paths.extend(alias_files(entry));
    paths.extend(assets(entry).map(|file| file.path.to_string()));
    paths
}

/// The paths of the pages at an entry's old addresses (its aliases).
pub fn alias_files(entry: &crate::site::Entry) -> impl Iterator<Item = String> + '_ {
    entry.item.aliases.iter().map(|alias| {
        let key = crate::site::alias_key(alias);
        match key.ends_with('/') {
            true => format!("{key}index.html"),
            false => key,
        }
    })
}

/// The copies of an entry's attachments and other files, beside its page.
pub fn assets(entry: &crate::site::Entry) -> impl Iterator<Item = OutputFile> + '_ {
    (entry.item.assets.iter()).map(|asset| OutputFile {
        path: format!("{}{}", entry.path, asset.name).into(),
        contents: Contents::Copy(asset.path.clone()),
    })
}
