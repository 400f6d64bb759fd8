//! The council's own pages: the advice register (by status, year and policy area), the
//! action list, and upcoming and past meetings.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::OutputFile;
use super::pages::{List, Renderer, nav_key};
use super::view::{Card, Link};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::i18n::UrlWord;
use crate::site::{AdviceStatus, Site};

/// Rows per page of the advice register: a table reads well longer than a card list.
const REGISTER_PER_PAGE: usize = 50;

/// One way to narrow the register, e.g. "Beantwoord (4)".
#[derive(Debug, Serialize)]
struct Filter {
    key: String,
    title: String,
    href: String,
    count: usize,
}

/// The filters shown on every register page, and which one the page is.
#[derive(Debug, Serialize)]
struct Filters<'f> {
    all_href: String,
    current: String,
    statuses: &'f [Filter],
    years: &'f [Filter],
    areas: &'f [Filter],
}

/// A row of the action list page.
#[derive(Debug, Serialize)]
struct ActionRow<'c> {
    id: &'c str,
    what: &'c str,
    who: Option<&'c str>,
    due: Option<super::view::DateView>,
    overdue: bool,
    raised_in: Link,
    closed_in: Option<Link>,
}

/// The advice of a site by status, year and policy area: the filtered views of the
/// register, whose counts every page of the register shows.
#[derive(Debug, PartialEq)]
pub struct AdviceGroups {
    by_status: BTreeMap<&'static str, Vec<usize>>,
    by_year: BTreeMap<i32, Vec<usize>>,
    by_area: BTreeMap<String, Vec<usize>>,
}

impl AdviceGroups {
    pub fn of(site: &Site) -> AdviceGroups {
        let mut groups = AdviceGroups {
            by_status: BTreeMap::new(),
            by_year: BTreeMap::new(),
            by_area: BTreeMap::new(),
        };
        for &i in site.of_kind(Kind::Advice) {
            let entry = &site.entries[i];
            if let Some(status) = site.advice_status(entry) {
                groups.by_status.entry(status.id()).or_default().push(i);
            }
            if let Some(year) = entry.year() {
                groups.by_year.entry(year).or_default().push(i);
            }
            for area in &entry.item.policy_areas {
                groups.by_area.entry(area.clone()).or_default().push(i);
            }
        }
        groups
    }

    /// The path of the filtered view of each group (see [`Renderer::advice_lists`]).
    pub fn paths(&self, site: &Site) -> Vec<String> {
        let statuses = (self.by_status.keys()).map(|id| status_path(site, id));
        let years = (self.by_year.keys()).map(|year| year_path(site, *year));
        let areas = (self.by_area.keys()).map(|key| area_path(site, key));
        statuses.chain(years).chain(areas).collect()
    }
}

/// The filtered view of the register of advice with status `id`.
fn status_path(site: &Site, id: &str) -> String {
    let base = site.section_path(UrlWord::Advice);
    format!(
        "{base}status/{}/",
        site.config.language.advice_status_slug(id)
    )
}

/// The filtered view of the register of advice of `year`.
fn year_path(site: &Site, year: i32) -> String {
    let base = site.section_path(UrlWord::Advice);
    format!(
        "{base}{}/{year}/",
        site.config.language.url_word(UrlWord::Year)
    )
}

/// The filtered view of the register of advice in policy area `key`.
fn area_path(site: &Site, key: &str) -> String {
    let base = site.section_path(UrlWord::Advice);
    let areas = site.config.language.url_word(UrlWord::PolicyAreas);
    format!("{base}{areas}/{key}/")
}

impl Renderer<'_> {
    /// The advice register and its filtered views, as paginated lists.
    pub fn advice_lists(&self) -> Vec<List> {
        let site = self.site;
        let base = site.section_path(UrlWord::Advice);
        let all: &[usize] = site.of_kind(Kind::Advice);
        let mut groups: Vec<(String, String, String, Vec<usize>)> = Vec::new();

        let AdviceGroups {
            mut by_status,
            by_year,
            by_area,
        } = AdviceGroups::of(site);
        let mut filter = |key: String, title: String, path: String, items: Vec<usize>| {
            let f = Filter {
                key: key.clone(),
                title: title.clone(),
                href: site.href(&path),
                count: items.len(),
            };
            groups.push((key, title, path, items));
            f
        };
        let statuses: Vec<Filter> = AdviceStatus::IDS
            .iter()
            .filter_map(|id| {
                let items = by_status.remove(id)?;
                let path = status_path(site, id);
                Some(filter(
                    format!("status-{id}"),
                    self.views.t(&format!("status_{id}")),
                    path,
                    items,
                ))
            })
            .collect();
        let years: Vec<Filter> = by_year
            .into_iter()
            .rev()
            .map(|(year, items)| {
                let path = year_path(site, year);
                filter(format!("year-{year}"), year.to_string(), path, items)
            })
            .collect();
        let areas: Vec<Filter> = by_area
            .into_iter()
            .map(|(key, items)| {
                let path = area_path(site, &key);
                filter(
                    format!("area-{key}"),
                    self.views.policy_area_name(&key).to_string(),
                    path,
                    items,
                )
            })
            .collect();

        let title = self.views.t(&nav_key(Kind::Advice));
        let feed = Some(site.href(&format!("{base}feed.xml")));
        let register = |current: &str| {
            let filters = Filters {
                all_href: site.href(&base),
                current: current.to_string(),
                statuses: &statuses,
                years: &years,
                areas: &areas,
            };
            Some(Arc::new(serde_json::to_value(filters).unwrap_or_default()))
        };
        let mut lists = vec![List {
            template: "advice-register.html",
            title: title.clone(),
            base: base.clone(),
            section: Kind::Advice.id().into(),
            breadcrumbs: vec![self.home_crumb()],
            items: all.to_vec(),
            feed: feed.clone(),
            per_page: REGISTER_PER_PAGE,
            extra: register("all"),
            ..List::default()
        }];
        let crumbs = vec![
            self.home_crumb(),
            self.section_crumb(UrlWord::Advice, &nav_key(Kind::Advice)),
        ];
        for (key, name, path, items) in groups {
            lists.push(List {
                template: "advice-register.html",
                title: format!("{title}: {name}"),
                base: path,
                section: Kind::Advice.id().into(),
                breadcrumbs: crumbs.clone(),
                items,
                feed: feed.clone(),
                per_page: REGISTER_PER_PAGE,
                extra: register(&key),
                ..List::default()
            });
        }
        lists
    }

    /// `/actielijst/`: open actions across all minutes, then the ones closed.
    pub fn actions_page(&self) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let rows: Vec<ActionRow> = site
            .actions
            .iter()
            .map(|a| ActionRow {
                id: &a.id,
                what: &a.what,
                who: a.who.as_deref(),
                due: a.due.map(|d| self.views.date(d)),
                overdue: a.closed_in.is_none() && a.due.is_some_and(|d| d < site.today),
                raised_in: self.views.link(a.raised_in),
                closed_in: a.closed_in.map(|i| self.views.link(i)),
            })
            .collect();
        let (open, closed): (Vec<&ActionRow>, Vec<&ActionRow>) =
            rows.iter().partition(|r| r.closed_in.is_none());
        let path = site.section_path(UrlWord::Actions);
        let crumbs = vec![
            self.home_crumb(),
            self.section_crumb(UrlWord::Minutes, &nav_key(Kind::Minutes)),
        ];
        let meta = self.meta(&path, &self.views.t("actions"), Kind::Minutes.id(), crumbs);
        self.page_from(
            "actions.html",
            &path,
            &(meta, open, closed),
            |(meta, open, closed)| {
                let mut context = self.context(meta);
                context.insert("open", open);
                context.insert("closed", closed);
                context
            },
        )
    }

    /// `/vergaderingen/`: upcoming meetings (soonest first) and past ones (latest first).
    pub fn meetings_page(&self) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let (upcoming, past): (Vec<usize>, Vec<usize>) = site
            .of_kind(Kind::Meeting)
            .iter()
            .partition(|&&i| site.entries[i].item.date.is_some_and(|d| d >= site.today));
        let upcoming: Vec<&Card> = upcoming.iter().rev().map(|&i| self.views.card(i)).collect();
        let past: Vec<&Card> = past.iter().map(|&i| self.views.card(i)).collect();
        let path = site.section_path(UrlWord::Meetings);
        let meta = self.meta(
            &path,
            &self.views.t(&nav_key(Kind::Meeting)),
            Kind::Meeting.id(),
            vec![self.home_crumb()],
        );
        let inputs = (meta, upcoming, past, site.href("agenda.ics"));
        self.page_from(
            "meetings.html",
            &path,
            &inputs,
            |(meta, upcoming, past, calendar)| {
                let mut context = self.context(meta);
                context.insert("upcoming", upcoming);
                context.insert("past", past);
                context.insert("calendar_href", calendar);
                context
            },
        )
    }
}
