//! The HTML pages: items, paginated lists, years, topics, policy areas, home, 404 and
//! redirects for aliases.

use serde::Serialize;
use tera::Context;

use super::OutputFile;
use super::templates::Templates;
use super::view::{Card, Link, Views};
use crate::content::{Details, Kind, MeetingStatus};
use crate::diagnostics::Diagnostic;
use crate::i18n::UrlWord;
use crate::site::{Entry, Site, alias_key, section_word};

/// Items per page of a list.
pub const PER_PAGE: usize = 20;

/// What every page tells its template about itself.
#[derive(Debug, Serialize)]
struct PageMeta {
    title: String,
    href: String,
    canonical: String,
    /// The navigation key of the section the page belongs to.
    section: String,
    breadcrumbs: Vec<Link>,
    description: String,
}

/// One page of a paginated list.
#[derive(Debug, Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<Link>,
}

/// A list page to render; lists are many and cheap, so they are made in parallel.
pub struct ListJob {
    template: &'static str,
    title: String,
    /// Path of the list's first page.
    base: String,
    section: String,
    breadcrumbs: Vec<Link>,
    items: Vec<usize>,
    number: usize,
    intro: Option<String>,
}

impl ListJob {
    /// Renders this page of the list.
    pub fn run(&self, r: &Renderer<'_>) -> Result<OutputFile, Diagnostic> {
        let total = self.items.len().div_ceil(PER_PAGE).max(1);
        let page_path = |n: usize| match n {
            1 => self.base.clone(),
            n => format!(
                "{}{}/{n}/",
                self.base,
                r.site.config.language.url_word(UrlWord::Page)
            ),
        };
        let path = page_path(self.number);
        let start = (self.number - 1) * PER_PAGE;
        let cards: Vec<Card> = self.items[start..(start + PER_PAGE).min(self.items.len())]
            .iter()
            .map(|&i| r.views.card(&r.site.entries[i]))
            .collect();
        let pagination = Pagination {
            current: self.number,
            total,
            previous: (self.number > 1).then(|| r.site.href(&page_path(self.number - 1))),
            next: (self.number < total).then(|| r.site.href(&page_path(self.number + 1))),
            pages: (1..=total)
                .map(|n| Link {
                    title: n.to_string(),
                    href: r.site.href(&page_path(n)),
                })
                .collect(),
        };
        let mut title = self.title.clone();
        if self.number > 1 {
            title = format!("{title} ({} {})", r.views.t("page"), self.number);
        }
        let mut context = r.context(
            &path,
            &title,
            &self.section,
            self.breadcrumbs.clone(),
            self.intro.clone().unwrap_or_default(),
        );
        context.insert("items", &cards);
        context.insert("pagination", &pagination);
        context.insert("intro", &self.intro);
        r.page(self.template, &path, &context)
    }
}

/// Renders pages of one site with one set of templates.
pub struct Renderer<'a> {
    pub site: &'a Site,
    pub views: &'a Views<'a>,
    templates: &'a Templates,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site`.
    pub fn new(site: &'a Site, views: &'a Views<'a>, templates: &'a Templates) -> Renderer<'a> {
        Renderer {
            site,
            views,
            templates,
        }
    }

    pub(super) fn context(
        &self,
        path: &str,
        title: &str,
        section: &str,
        breadcrumbs: Vec<Link>,
        description: String,
    ) -> Context {
        let mut context = Context::new();
        context.insert(
            "page",
            &PageMeta {
                title: title.to_string(),
                href: self.site.href(path),
                canonical: self.site.absolute(path),
                section: section.to_string(),
                breadcrumbs,
                description,
            },
        );
        context
    }

    pub(super) fn page(
        &self,
        template: &str,
        path: &str,
        context: &Context,
    ) -> Result<OutputFile, Diagnostic> {
        let html = self.templates.render(template, context, path)?;
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        Ok(OutputFile::rendered(file, html))
    }

    pub(super) fn home_crumb(&self) -> Link {
        Link {
            title: self.views.t("nav_home"),
            href: self.site.href(""),
        }
    }

    fn section_crumb(&self, word: UrlWord, label_key: &str) -> Link {
        Link {
            title: self.views.t(label_key),
            href: self.site.href(&self.site.section_path(word)),
        }
    }

    /// The page of one item, rendered with the template named after its kind.
    pub fn item_page(&self, entry: &Entry) -> Result<OutputFile, Diagnostic> {
        let kind = entry.item.kind;
        let mut crumbs = vec![self.home_crumb()];
        if let Some(word) = section_word(kind) {
            crumbs.push(self.section_crumb(word, &format!("nav_{}", kind.id().replace('-', "_"))));
        }
        let section = match kind {
            Kind::Page => entry.item.slug.clone(),
            _ => kind.id().to_string(),
        };
        let view = self.views.item(entry);
        let mut context = self.context(
            &entry.path,
            &entry.item.title,
            &section,
            crumbs,
            view.summary.clone(),
        );
        context.insert("item", &view);
        if let Details::Meeting(_) = entry.item.details {
            context.insert("minutes_href", &self.minutes_of(entry));
        }
        self.page(&format!("{}.html", kind.id()), &entry.path, &context)
    }

    /// The minutes held on the same date as a meeting, once published.
    fn minutes_of(&self, meeting: &Entry) -> Option<String> {
        self.site
            .of_kind(Kind::Minutes)
            .iter()
            .map(|&i| &self.site.entries[i])
            .find(|m| m.item.date == meeting.item.date)
            .map(|m| self.site.href(&m.path))
    }

    /// Every list page: one list per kind, years, topics and policy areas, and home.
    pub fn list_pages(&self) -> Vec<ListJob> {
        let site = self.site;
        let mut lists = Vec::new();
        for kind in [
            Kind::Minutes,
            Kind::Meeting,
            Kind::News,
            Kind::Advice,
            Kind::AnnualReport,
        ] {
            let Some(word) = section_word(kind) else {
                continue;
            };
            let key = format!("nav_{}", kind.id().replace('-', "_"));
            lists.push(self.list(
                "list.html",
                self.views.t(&key),
                site.section_path(word),
                kind.id(),
                vec![self.home_crumb()],
                site.of_kind(kind).to_vec(),
                None,
            ));
        }
        let topics_crumbs = vec![
            self.home_crumb(),
            self.section_crumb(UrlWord::Topics, "topics"),
        ];
        for (slug, topic) in &site.topics {
            let path = format!("{}{slug}/", site.section_path(UrlWord::Topics));
            lists.push(self.list(
                "topic.html",
                topic.name.clone(),
                path,
                "topics",
                topics_crumbs.clone(),
                topic.items.clone(),
                None,
            ));
        }
        let area_crumbs = vec![
            self.home_crumb(),
            self.section_crumb(UrlWord::PolicyAreas, "policy_areas"),
        ];
        for (key, items) in &site.policy_areas {
            let definition = &site.config.policy_areas[key];
            let path = format!("{}{key}/", site.section_path(UrlWord::PolicyAreas));
            let intro = definition.description().map(str::to_string);
            lists.push(self.list(
                "policy-area.html",
                definition.name().to_string(),
                path,
                "policy-areas",
                area_crumbs.clone(),
                items.clone(),
                intro,
            ));
        }
        lists.into_iter().flatten().collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn list(
        &self,
        template: &'static str,
        title: String,
        base: String,
        section: &str,
        breadcrumbs: Vec<Link>,
        items: Vec<usize>,
        intro: Option<String>,
    ) -> Vec<ListJob> {
        let pages = items.len().div_ceil(PER_PAGE).max(1);
        (1..=pages)
            .map(|number| ListJob {
                template,
                title: title.clone(),
                base: base.clone(),
                section: section.to_string(),
                breadcrumbs: breadcrumbs.clone(),
                items: items.clone(),
                number,
                intro: intro.clone(),
            })
            .collect()
    }

    /// Home, the index pages of years, topics and policy areas, and each year's page.
    pub fn overview_pages(&self) -> Vec<Result<OutputFile, Diagnostic>> {
        let mut pages = vec![
            self.home(),
            self.years(),
            self.topics(),
            self.policy_areas(),
        ];
        pages.extend(self.site.years.keys().map(|&year| self.year(year)));
        pages
    }

    fn cards(&self, indices: &[usize], limit: usize) -> Vec<Card> {
        indices
            .iter()
            .take(limit)
            .map(|&i| self.views.card(&self.site.entries[i]))
            .collect()
    }

    fn home(&self) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let next_meeting = site
            .of_kind(Kind::Meeting)
            .iter()
            .rev()
            .map(|&i| &site.entries[i])
            .find(|e| {
                e.item.date.is_some_and(|d| d >= site.today)
                    && matches!(&e.item.details, Details::Meeting(m) if m.status == MeetingStatus::Scheduled)
            })
            .map(|e| self.views.item(e));
        let mut context = self.context(
            "",
            &site.config.title,
            "home",
            Vec::new(),
            site.config.description.clone().unwrap_or_default(),
        );
        context.insert("news", &self.cards(site.of_kind(Kind::News), 4));
        context.insert("advice", &self.cards(site.of_kind(Kind::Advice), 5));
        context.insert("minutes", &self.cards(site.of_kind(Kind::Minutes), 5));
        context.insert("next_meeting", &next_meeting);
        self.page("home.html", "", &context)
    }

    fn years(&self) -> Result<OutputFile, Diagnostic> {
        #[derive(Serialize)]
        struct YearLink {
            year: i32,
            href: String,
            count: usize,
        }
        let site = self.site;
        let path = site.section_path(UrlWord::Year);
        let years: Vec<YearLink> = site
            .years
            .iter()
            .rev()
            .map(|(&year, items)| YearLink {
                year,
                href: site.href(&format!("{path}{year}/")),
                count: items.len(),
            })
            .collect();
        let mut context = self.context(
            &path,
            &self.views.t("years"),
            "years",
            vec![self.home_crumb()],
            String::new(),
        );
        context.insert("years", &years);
        self.page("years.html", &path, &context)
    }

    fn year(&self, year: i32) -> Result<OutputFile, Diagnostic> {
        #[derive(Serialize)]
        struct Group {
            kind: &'static str,
            title: String,
            items: Vec<Card>,
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
                    title: self
                        .views
                        .t(&format!("nav_{}", kind.id().replace('-', "_"))),
                    items: self.cards(&of_kind, usize::MAX),
                })
            })
            .collect();
        let path = format!("{}{year}/", site.section_path(UrlWord::Year));
        let crumbs = vec![
            self.home_crumb(),
            self.section_crumb(UrlWord::Year, "years"),
        ];
        let mut context = self.context(&path, &year.to_string(), "years", crumbs, String::new());
        context.insert("year", &year);
        context.insert("groups", &groups);
        self.page("year.html", &path, &context)
    }

    fn topics(&self) -> Result<OutputFile, Diagnostic> {
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
        let mut context = self.context(
            &path,
            &self.views.t("topics"),
            "topics",
            vec![self.home_crumb()],
            String::new(),
        );
        context.insert("terms", &terms);
        self.page("topics.html", &path, &context)
    }

    fn policy_areas(&self) -> Result<OutputFile, Diagnostic> {
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
        let mut context = self.context(
            &path,
            &self.views.t("policy_areas"),
            "policy-areas",
            vec![self.home_crumb()],
            String::new(),
        );
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
        let context = self.context(
            path,
            &self.views.t(title_key),
            "",
            vec![self.home_crumb()],
            String::new(),
        );
        self.page(template, path, &context)
    }

    /// A redirect page at every alias, so old addresses keep working.
    pub fn alias_pages(&self) -> Vec<Result<OutputFile, Diagnostic>> {
        let mut pages = Vec::new();
        for entry in &self.site.entries {
            for alias in &entry.item.aliases {
                let key = alias_key(alias);
                let mut context = self.context(
                    &entry.path,
                    &entry.item.title,
                    "",
                    Vec::new(),
                    String::new(),
                );
                context.insert("target", &self.site.href(&entry.path));
                pages.push(self.page("alias.html", &key, &context));
            }
        }
        pages
    }
}

/// A topic or policy area in an index, with how many items it has.
#[derive(Debug, Serialize)]
struct Term {
    title: String,
    href: String,
    count: usize,
    description: Option<String>,
}
