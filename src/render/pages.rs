//! The HTML pages: items, paginated lists, years, topics, policy areas, home, 404 and
//! redirects for aliases. Council-specific pages are in `register.rs`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ahash::AHashMap;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::jsonld;
use super::search::SearchDocCache;
use super::templates::Templates;
use super::view::{Card, Link, Views};
use super::with_body::WithBody;
use super::{Contents, OutputFile};
use crate::content::{Details, Kind, MeetingStatus};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::{self, Fingerprint};
use crate::i18n::UrlWord;
use crate::markdown::Rendered;
use crate::site::{Site, alias_key, section_word};

/// Items per page of a list.
pub const PER_PAGE: usize = 20;

/// What every page tells its template about itself.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub href: String,
    pub canonical: String,
    /// The navigation key of the section the page belongs to.
    pub section: String,
    pub breadcrumbs: Vec<Link>,
    pub description: String,
    /// An RSS feed of what the page lists, for `<link rel="alternate">`.
    pub feed: Option<String>,
    /// schema.org data, already serialised and safe inside `<script>`.
    pub jsonld: String,
}

/// One page of a paginated list.
#[derive(Debug, Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    /// Links to the first, last and nearby pages (every page of a short list).
    pages: Vec<PageLink>,
}

/// A numbered link in the pagination.
#[derive(Debug, Serialize)]
struct PageLink {
    title: String,
    href: String,
    current: bool,
    /// Pages are left out before this one: show an ellipsis.
    gap: bool,
}

/// Lists this long link every page; longer ones only the first two, the last two and two
/// either side of the current one, so each page stays small however long the list is.
const ALL_PAGES_UP_TO: usize = 9;

/// The page numbers the pagination of page `current` of `total` links to.
fn page_numbers(current: usize, total: usize) -> Vec<usize> {
    if total <= ALL_PAGES_UP_TO {
        return (1..=total).collect();
    }
    let near = current.saturating_sub(2).max(1)..=(current + 2).min(total);
    let mut numbers: Vec<usize> = [1, 2, total - 1, total].into_iter().chain(near).collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// A list of items split over pages, newest first.
#[derive(Debug, Default)]
pub struct List {
    pub template: &'static str,
    pub title: String,
    /// Path of the first page, e.g. `nieuws/`.
    pub base: String,
    pub section: String,
    pub breadcrumbs: Vec<Link>,
    pub items: Vec<usize>,
    pub intro: Option<String>,
    pub feed: Option<String>,
    pub per_page: usize,
    /// Extra template data shared by every page of the list, e.g. register filters.
    pub extra: Option<Arc<serde_json::Value>>,
}

impl List {
    /// The pages of this list, to render in parallel.
    pub fn pages(self) -> Vec<ListPage> {
        let list = Arc::new(self);
        let count = list.items.len().div_ceil(list.per_page.max(1)).max(1);
        (1..=count)
            .map(|number| ListPage {
                list: list.clone(),
                number,
            })
            .collect()
    }
}

/// One page of a [`List`].
pub struct ListPage {
    list: Arc<List>,
    number: usize,
}

impl ListPage {
    /// The entries this page shows.
    fn items(&self) -> &[usize] {
        let items = &self.list.items;
        let per_page = self.list.per_page.max(1);
        let start = (self.number - 1) * per_page;
        &items[start..(start + per_page).min(items.len())]
    }

    /// Whether this page shows one of the entries `indices`.
    pub fn shows_any(&self, indices: &[usize]) -> bool {
        self.items().iter().any(|i| indices.contains(i))
    }

    /// Renders this page of the list.
    pub fn run(&self, r: &Renderer<'_>) -> Result<OutputFile, Diagnostic> {
        let list = &self.list;
        let per_page = list.per_page.max(1);
        let total = list.items.len().div_ceil(per_page).max(1);
        let page_word = r.site.config.language.url_word(UrlWord::Page);
        let page_path = |n: usize| match n {
            1 => list.base.clone(),
            n => format!("{}{page_word}/{n}/", list.base),
        };
        let path = page_path(self.number);
        let cards: Vec<&Card> = self
            .items()
            .iter()
            .map(|&i| r.views.card(i))
            .inspect(|c| c.prefetch())
            .collect();
        let pagination = Pagination {
            current: self.number,
            total,
            previous: (self.number > 1).then(|| r.site.href(&page_path(self.number - 1))),
            next: (self.number < total).then(|| r.site.href(&page_path(self.number + 1))),
            pages: page_numbers(self.number, total)
                .into_iter()
                .scan(0, |last, n| {
                    let gap = n > *last + 1;
                    *last = n;
                    Some(PageLink {
                        title: n.to_string(),
                        href: r.site.href(&page_path(n)),
                        current: n == self.number,
                        gap,
                    })
                })
                .collect(),
        };
        let mut title = list.title.clone();
        if self.number > 1 {
            title = format!("{title} ({} {})", r.views.t("page"), self.number);
        }
        let mut meta = r.meta(&path, &title, &list.section, list.breadcrumbs.clone());
        meta.description = list.intro.clone().unwrap_or_default();
        meta.feed = list.feed.clone();
        let inputs = (meta, cards, pagination, &list.intro, list.extra.as_deref());
        r.page_from(list.template, &path, &inputs, |inputs| {
            let (meta, cards, pagination, intro, extra) = inputs;
            let mut context = r.context(meta);
            context.insert("items", cards);
            context.insert("pagination", pagination);
            context.insert("intro", intro);
            if let Some(extra) = extra {
                context.insert("list", extra);
            }
            context
        })
    }
}

/// Room for a page at once: most of the theme's pages take 8 to 24 kB, and growing
/// the buffer as Tera writes copied each page several times over. An item page takes
/// half this besides its body.
const PAGE_BYTES: usize = 24 * 1024;

/// The file of the page at `path`: a folder path gets `index.html`.
fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Page path → the fingerprint of what the page was made from, and the page.
type CachedPages = AHashMap<String, (Fingerprint, Contents)>;

/// What the render stage of `quorum serve` keeps between rebuilds: pages and open data
/// files by path, with the fingerprint of what each was made from (see
/// [`Renderer::page_from`] and [`Memo::file`]), and the search data of each document.
#[derive(Debug, Default)]
pub struct RenderCache {
    pages: CachedPages,
    /// How many files the last render took from the cache.
    pub reused: usize,
    pub(super) search_docs: SearchDocCache,
    /// The search index of the last build, to patch (see `search::render`).
    pub(crate) index: Option<super::search::LiveIndex>,
}

/// A page cache in use during one render: the previous pages, and this render's.
pub struct Memo<'a> {
    previous: &'a CachedPages,
    fresh: Mutex<CachedPages>,
    /// The search data of the previous render, and of this one.
    pub search_docs: (&'a SearchDocCache, Mutex<SearchDocCache>),
    /// The fingerprint of the templates and the globals every page sees.
    globals: Fingerprint,
    reused: AtomicUsize,
}

impl<'a> Memo<'a> {
    /// Starts a render with `cache`; `globals` fingerprints the templates and globals.
    pub fn new(cache: &'a RenderCache, globals: Fingerprint) -> Memo<'a> {
        Memo {
            previous: &cache.pages,
            fresh: Mutex::new(AHashMap::with_capacity(cache.pages.len())),
            search_docs: (&cache.search_docs, Mutex::default()),
            globals,
            reused: AtomicUsize::new(0),
        }
    }

    /// The fingerprint of `inputs` with the globals, for [`Memo::file`].
    pub fn key(&self, inputs: &impl Serialize) -> Fingerprint {
        fingerprint::of(&(self.globals, inputs))
    }

    /// The file at `path` made from inputs with the fingerprint `key` (see
    /// [`Memo::key`]), from the previous render when it is unchanged, else made by
    /// `make` and remembered.
    pub fn file(
        &self,
        path: String,
        key: Fingerprint,
        make: impl FnOnce() -> Contents,
    ) -> OutputFile {
        let contents = self.reuse(&path, key).unwrap_or_else(|| {
            let contents = make();
            self.remember(&path, key, contents.clone());
            contents
        });
        OutputFile {
            path: path.into(),
            contents,
        }
    }

    /// The previous file at `path` if it was made from `key`; remembered again.
    fn reuse(&self, path: &str, key: Fingerprint) -> Option<Contents> {
        let (_, contents) = self.previous.get(path).filter(|(k, _)| *k == key)?;
        self.reused.fetch_add(1, Ordering::Relaxed);
        self.remember(path, key, contents.clone());
        Some(contents.clone())
    }

    fn remember(&self, path: &str, key: Fingerprint, contents: Contents) {
        let mut fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
        fresh.insert(path.to_string(), (key, contents));
    }

    /// The cache for the next render: the pages of this one.
    pub fn finish(self) -> RenderCache {
        RenderCache {
            pages: self.fresh.into_inner().unwrap_or_else(|e| e.into_inner()),
            reused: self.reused.into_inner(),
            search_docs: self
                .search_docs
                .1
                .into_inner()
                .unwrap_or_else(|e| e.into_inner()),
            index: None,
        }
    }
}

/// Renders pages of one site with one set of templates.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub views: &'a Views<'a>,
    templates: &'a Templates,
    /// The page cache of `quorum serve`, if any.
    pub memo: Option<Memo<'a>>,
    /// Whether the pages are for `quorum serve`, which keeps item pages apart from the
    /// bodies they show (see [`WithBody`]).
    pub served: bool,
    /// The council's JSON-LD node, which every item page's data ends with.
    council_jsonld: Box<serde_json::value::RawValue>,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site`.
    pub fn new(site: &'a Site, views: &'a Views<'a>, templates: &'a Templates) -> Renderer<'a> {
        Renderer {
            site,
            views,
            templates,
            memo: None,
            served: false,
            council_jsonld: jsonld::council_node(&site.config),
        }
    }

    /// The description of a page at `path`, to complete before making its context.
    pub fn meta(&self, path: &str, title: &str, section: &str, breadcrumbs: Vec<Link>) -> PageMeta {
        let jsonld = jsonld::breadcrumbs(self.site, &breadcrumbs, title, path);
        PageMeta {
            jsonld,
            ..self.meta_without_data(path, title, section, breadcrumbs)
        }
    }

    /// [`Renderer::meta`] without its JSON-LD, for a page that makes its own.
    fn meta_without_data(
        &self,
        path: &str,
        title: &str,
        section: &str,
        breadcrumbs: Vec<Link>,
    ) -> PageMeta {
        PageMeta {
            title: title.to_string(),
            href: self.site.href(path),
            canonical: self.site.absolute(path),
            section: section.to_string(),
            breadcrumbs,
            description: String::new(),
            feed: None,
            jsonld: String::new(),
        }
    }

    /// A template context holding `page`.
    pub fn context(&self, meta: &PageMeta) -> Context {
        let mut context = Context::new();
        context.insert("page", meta);
        context
    }

    /// Renders `template` as the page at `path` from `inputs`, everything its context is
    /// made of besides the site-wide globals. With a page cache, a page whose inputs,
    /// globals and templates are unchanged is taken from the previous build instead.
    pub fn page_from<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        inputs: &T,
        context: impl FnOnce(&T) -> Context,
    ) -> Result<OutputFile, Diagnostic> {
        self.page_showing(template, path, inputs, context, None)
    }

    /// [`Renderer::page_from`] for a page that shows `body`, if any.
    fn page_showing<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        inputs: &T,
        context: impl FnOnce(&T) -> Context,
        body: Option<&Arc<Rendered>>,
    ) -> Result<OutputFile, Diagnostic> {
        let Some(memo) = &self.memo else {
            return self.render(template, path, &context(inputs), body);
        };
        let key = fingerprint::of(&(memo.globals, template, inputs));
        if let Some(contents) = memo.reuse(path, key) {
            return Ok(OutputFile {
                path: output_file(path).into(),
                contents,
            });
        }
        let file = self.render(template, path, &context(inputs), body)?;
        memo.remember(path, key, file.contents.clone());
        Ok(file)
    }

    /// Renders `template` as the page at `path` (a folder path gets `index.html`).
    pub fn page(
        &self,
        template: &str,
        path: &str,
        context: &Context,
    ) -> Result<OutputFile, Diagnostic> {
        self.render(template, path, context, None)
    }

    /// [`Renderer::page`] for a page that shows `body`, if any: for `quorum serve`, the
    /// page is kept around it (see [`WithBody`]).
    fn render(
        &self,
        template: &str,
        path: &str,
        context: &Context,
        body: Option<&Arc<Rendered>>,
    ) -> Result<OutputFile, Diagnostic> {
        let size = body.map_or(PAGE_BYTES, |body| PAGE_BYTES / 2 + body.html.len());
        let html = self.templates.render(template, context, path, size)?;
        let contents = match body.filter(|_| self.served) {
            Some(body) => WithBody::page(html, body),
            None => Contents::bytes(html),
        };
        Ok(OutputFile {
            path: output_file(path).into(),
            contents,
        })
    }

    /// The first breadcrumb: home.
    pub fn home_crumb(&self) -> Link {
        Link {
            title: self.views.t("nav_home"),
            href: self.site.href(""),
        }
    }

    /// A breadcrumb to a fixed section.
    pub fn section_crumb(&self, word: UrlWord, label_key: &str) -> Link {
        Link {
            title: self.views.t(label_key),
            href: self.site.href(&self.site.section_path(word)),
        }
    }

    /// The page of entry `index`, rendered with the template named after its kind.
    pub fn item_page(&self, index: usize, body: &Arc<Rendered>) -> Result<OutputFile, Diagnostic> {
        self.views.prefetch_for(index);
        let entry = &self.site.entries[index];
        let kind = entry.item.kind;
        let mut crumbs = vec![self.home_crumb()];
        if let Some(word) = section_word(kind) {
            crumbs.push(self.section_crumb(word, &nav_key(kind)));
        }
        let section = match kind {
            Kind::Page => entry.item.slug.clone(),
            _ => kind.id().to_string(),
        };
        let view = self.views.item(index, body);
        let mut meta = self.meta_without_data(&entry.path, &entry.item.title, &section, crumbs);
        meta.description = view.summary.to_string();
        // The page's data is made only when the page is: the facts it is made from
        // stand in for it in the page's fingerprint.
        let facts = jsonld::facts(self.site, self.views, index);
        let template = format!("{}.html", kind.id());
        let inputs = (meta, view, facts);
        let page = |(meta, view, facts): &(PageMeta, _, _)| {
            let meta = PageMeta {
                jsonld: jsonld::item(
                    &self.site.config,
                    &self.council_jsonld,
                    facts,
                    &meta.breadcrumbs,
                ),
                ..meta.clone()
            };
            let mut context = self.context(&meta);
            context.insert("item", view);
            context
        };
        self.page_showing(&template, &entry.path, &inputs, page, Some(body))
    }

    /// The paginated lists: news, minutes and annual reports, topics and policy areas.
    /// Meetings and advice have pages of their own (see `register.rs`).
    pub fn lists(&self) -> Vec<List> {
        let site = self.site;
        let mut lists = Vec::new();
        for kind in [Kind::Minutes, Kind::News, Kind::AnnualReport] {
            let Some(word) = section_word(kind) else {
                continue;
            };
            lists.push(List {
                template: "list.html",
                title: self.views.t(&nav_key(kind)),
                base: site.section_path(word),
                section: kind.id().to_string(),
                breadcrumbs: vec![self.home_crumb()],
                items: site.of_kind(kind).to_vec(),
                feed: (kind == Kind::News).then(|| site.href("feed.xml")),
                per_page: PER_PAGE,
                ..List::default()
            });
        }
        let topics_crumbs = vec![
            self.home_crumb(),
            self.section_crumb(UrlWord::Topics, "topics"),
        ];
        for (slug, topic) in &site.topics {
            lists.push(List {
                template: "topic.html",
                title: topic.name.clone(),
                base: format!("{}{slug}/", site.section_path(UrlWord::Topics)),
                section: "topics".into(),
                breadcrumbs: topics_crumbs.clone(),
                items: topic.items.clone(),
                per_page: PER_PAGE,
                ..List::default()
            });
        }
        let area_crumbs = vec![
            self.home_crumb(),
            self.section_crumb(UrlWord::PolicyAreas, "policy_areas"),
        ];
        for (key, items) in &site.policy_areas {
            let definition = &site.config.policy_areas[key];
            let base = format!("{}{key}/", site.section_path(UrlWord::PolicyAreas));
            lists.push(List {
                template: "policy-area.html",
                title: definition.name().to_string(),
                feed: Some(site.href(&format!("{base}feed.xml"))),
                base,
                section: "policy-areas".into(),
                breadcrumbs: area_crumbs.clone(),
                items: items.clone(),
                intro: definition.description().map(str::to_string),
                per_page: PER_PAGE,
                ..List::default()
            });
        }
        lists
    }

    /// Home, the index pages of years, topics and policy areas, and each year's page.
    pub fn overview_pages(&self) -> Vec<Result<OutputFile, Diagnostic>> {
        let mut pages = vec![
            self.home(),
            self.years(),
            self.topics(),
            self.policy_areas(),
        ];
        let years: Vec<i32> = self.site.years.keys().copied().collect();
        pages.par_extend(years.par_iter().map(|&year| self.year(year)));
        pages
    }

    /// The cards of the first `limit` entries of `indices`.
    pub fn cards(&self, indices: &[usize], limit: usize) -> Vec<&Card> {
        indices
            .iter()
            .take(limit)
            .map(|&i| self.views.card(i))
            .collect()
    }

    /// The next meeting that takes place, if one is planned.
    pub fn next_meeting(&self) -> Option<usize> {
        let site = self.site;
        site.of_kind(Kind::Meeting).iter().rev().copied().find(|&i| {
            let item = &site.entries[i].item;
            item.date.is_some_and(|d| d >= site.today)
                && matches!(&item.details, Details::Meeting(m) if m.status == MeetingStatus::Scheduled)
        })
    }

    /// The home page.
    pub fn home(&self) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let next_meeting_body = match self.next_meeting() {
            Some(i) => Some((i, self.site.body(i)?)),
            None => None,
        };
        let next_meeting = (next_meeting_body.as_ref()).map(|(i, body)| self.views.item(*i, body));
        let mut meta = self.meta("", &site.config.title, "home", Vec::new());
        meta.description = site.config.description.clone().unwrap_or_default();
        meta.feed = Some(site.href("feed.xml"));
        meta.jsonld = jsonld::organisation(site);
        let mut context = self.context(&meta);
        context.insert("news", &self.cards(site.of_kind(Kind::News), 4));
        context.insert("advice", &self.cards(site.of_kind(Kind::Advice), 5));
        context.insert("minutes", &self.cards(site.of_kind(Kind::Minutes), 5));
        context.insert("next_meeting", &next_meeting);
        self.page("home.html", "", &context)
    }

    pub fn years(&self) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let path = site.section_path(UrlWord::Year);
        let years: Vec<Term> = site
            .years
            .iter()
            .rev()
            .map(|(&year, items)| Term {
                title: year.to_string(),
                href: site.href(&format!("{path}{year}/")),
                count: items.len(),
                description: None,
            })
            .collect();
        let mut context = self.context(&self.meta(
            &path,
            &self.views.t("years"),
            "years",
            vec![self.home_crumb()],
        ));
        context.insert("years", &years);
        self.page("years.html", &path, &context)
    }

    pub fn year(&self, year: i32) -> Result<OutputFile, Diagnostic> {
        #[derive(Serialize)]
        struct Group<'c> {
            kind: &'static str,
            title: String,
            items: Vec<&'c Card>,
        }
        let site = self.site;
        let items = &site.years[&year];
        let groups: Vec<Group> = Kind::ALL
            .iter()
            .filter_map(|&kind| {
                let of_kind: Vec<usize> = items
                    .iter()
                    .copied()
                    .filter(|&i| site.entries[i].item.kind == kind)
                    .collect();
                (!of_kind.is_empty()).then(|| Group {
                    kind: kind.id(),
                    title: self.views.t(&nav_key(kind)),
                    items: self.cards(&of_kind, usize::MAX),
                })
            })
            .collect();
        let path = format!("{}{year}/", site.section_path(UrlWord::Year));
        let crumbs = vec![
            self.home_crumb(),
            self.section_crumb(UrlWord::Year, "years"),
        ];
        let meta = self.meta(&path, &year.to_string(), "years", crumbs);
        // A year shows every item of it: rendered again only when one of them changed.
        self.page_from(
            "year.html",
            &path,
            &(meta, year, groups),
            |(meta, year, groups)| {
                let mut context = self.context(meta);
                context.insert("year", year);
                context.insert("groups", groups);
                context
            },
        )
    }

    pub fn topics(&self) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let path = site.section_path(UrlWord::Topics);
        let terms: Vec<Term> = site
            .topics
            .iter()
            .map(|(slug, topic)| Term {
                title: topic.name.clone(),
                href: site.href(&format!("{path}{slug}/")),
                count: topic.items.len(),
                description: None,
            })
            .collect();
        let mut context = self.context(&self.meta(
            &path,
            &self.views.t("topics"),
            "topics",
            vec![self.home_crumb()],
        ));
        context.insert("terms", &terms);
        self.page("topics.html", &path, &context)
    }

    pub fn policy_areas(&self) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let path = site.section_path(UrlWord::PolicyAreas);
        let mut terms: Vec<Term> = site
            .policy_areas
            .iter()
            .map(|(key, items)| {
                let definition = &site.config.policy_areas[key];
                Term {
                    title: definition.name().to_string(),
                    href: site.href(&format!("{path}{key}/")),
                    count: items.len(),
                    description: definition.description().map(str::to_string),
                }
            })
            .collect();
        terms.sort_by(|a, b| a.title.cmp(&b.title));
        let meta = self.meta(
            &path,
            &self.views.t("policy_areas"),
            "policy-areas",
            vec![self.home_crumb()],
        );
        let mut context = self.context(&meta);
        context.insert("terms", &terms);
        self.page("policy-areas.html", &path, &context)
    }

    /// A page with no data of its own, such as the 404 page.
    pub fn single_page(
        &self,
        template: &str,
        path: &str,
        title_key: &str,
    ) -> Result<OutputFile, Diagnostic> {
        let context =
            self.context(&self.meta(path, &self.views.t(title_key), "", vec![self.home_crumb()]));
        self.page(template, path, &context)
    }

    /// A redirect page at every alias, so old addresses keep working.
    pub fn alias_pages(&self) -> Vec<Result<OutputFile, Diagnostic>> {
        (0..self.site.entries.len())
            .flat_map(|index| self.aliases_of(index))
            .collect()
    }

    /// The pages that send each old address of entry `index` to its page.
    pub fn aliases_of(&self, index: usize) -> Vec<Result<OutputFile, Diagnostic>> {
        let entry = &self.site.entries[index];
        (entry.item.aliases.iter())
            .map(|alias| {
                let mut context =
                    self.context(&self.meta(&entry.path, &entry.item.title, "", Vec::new()));
                context.insert("target", &self.site.href(&entry.path));
                self.page("alias.html", &alias_key(alias), &context)
            })
            .collect()
    }
}

/// The interface string key of a kind's section name, e.g. `nav_annual_report`.
pub fn nav_key(kind: Kind) -> String {
    format!("nav_{}", kind.id().replace('-', "_"))
}

/// A year, topic or policy area in an index, with how many items it has.
#[derive(Debug, Serialize)]
pub struct Term {
    pub title: String,
    pub href: String,
    pub count: usize,
    pub description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::page_numbers;

    #[test]
    fn short_lists_link_every_page() {
        assert_eq!(page_numbers(3, 9), (1..=9).collect::<Vec<_>>());
    }

    #[test]
    fn long_lists_link_the_ends_and_the_neighbours() {
        assert_eq!(page_numbers(1, 100), [1, 2, 3, 99, 100]);
        assert_eq!(page_numbers(50, 100), [1, 2, 48, 49, 50, 51, 52, 99, 100]);
        assert_eq!(page_numbers(99, 100), [1, 2, 97, 98, 99, 100]);
    }
}
