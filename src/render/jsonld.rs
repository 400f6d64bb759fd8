//! schema.org JSON-LD for search engines and other machines: Event for meetings, Report
//! for minutes, advice and annual reports, NewsArticle for news, GovernmentOrganization
//! for the council, and a BreadcrumbList on every page.
//!
//! The nodes are typed structs serialised straight to text: every page carries some,
//! and building `serde_json::Value` maps for them first cost more than writing them.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::Serialize;

use super::view::{Link, Views};
use crate::content::{Details, MeetingStatus};
use crate::site::Site;

/// Serialises JSON so it is safe inside `<script>`: no `<`, `>` or `&` can end the
/// element or start a comment, whatever the content says.
pub fn script_safe(value: &impl Serialize) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    if !text.contains(['<', '>', '&']) {
        return text;
    }
    let mut safe = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            c => safe.push(c),
        }
    }
    safe
}

/// A JSON-LD document: its nodes in a `@graph`.
#[derive(Serialize)]
struct Graph<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: &'a [Node<'a>],
}

fn graph(nodes: &[Node<'_>]) -> String {
    script_safe(&Graph {
        context: "https://schema.org",
        graph: nodes,
    })
}

/// One node of a graph.
#[derive(Serialize)]
#[serde(untagged)]
enum Node<'a> {
    Council(Council<'a>),
    Breadcrumbs(BreadcrumbList<'a>),
    Item(Box<ItemNode<'a>>),
}

/// A reference to the council node, as publisher, author or organiser.
#[derive(Serialize)]
struct Reference {
    #[serde(rename = "@id")]
    id: String,
}

#[derive(Serialize)]
struct Council<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
    #[serde(rename = "areaServed", skip_serializing_if = "Option::is_none")]
    area_served: Option<City<'a>>,
}

#[derive(Serialize)]
struct City<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct BreadcrumbList<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    elements: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: usize,
    name: &'a str,
    item: String,
}

/// An item's own node; which fields it has depends on its `@type`.
#[derive(Serialize, Default)]
struct ItemNode<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<&'a str>,
    #[serde(rename = "eventStatus", skip_serializing_if = "Option::is_none")]
    event_status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organizer: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Reference>,
    #[serde(rename = "startDate", skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(rename = "endDate", skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(
        rename = "eventAttendanceMode",
        skip_serializing_if = "Option::is_none"
    )]
    attendance_mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    location: Vec<Place<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    url: String,
    #[serde(rename = "inLanguage")]
    in_language: &'static str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
}

/// Where a meeting takes place: a place (its name doubling as the address) or online.
#[derive(Serialize)]
#[serde(tag = "@type")]
enum Place<'a> {
    Place { name: &'a str, address: &'a str },
    VirtualLocation { url: &'a str },
}

/// The council as a GovernmentOrganization.
fn council(site: &Site) -> Council<'_> {
    let council = &site.config.council;
    Council {
        kind: "GovernmentOrganization",
        id: council_id(site),
        name: site.config.council_name(),
        url: site.absolute(""),
        email: council.email.as_deref(),
        telephone: council.phone.as_deref(),
        address: council.address.as_deref(),
        area_served: council
            .municipality
            .as_deref()
            .map(|name| City { kind: "City", name }),
    }
}

fn council_id(site: &Site) -> String {
    format!("{}/#council", site.config.base_url)
}

/// The home page's data: the council itself.
pub fn organisation(site: &Site) -> String {
    graph(&[Node::Council(council(site))])
}

fn breadcrumb_list<'a>(
    site: &Site,
    crumbs: &'a [Link],
    title: &'a str,
    path: &str,
) -> BreadcrumbList<'a> {
    let base = site.config.base_path();
    let elements = crumbs
        .iter()
        .map(|c| {
            let path = c.href.strip_prefix(base).unwrap_or(&c.href);
            (
                c.title.as_str(),
                site.absolute(path.trim_start_matches('/')),
            )
        })
        .chain(std::iter::once((title, site.absolute(path))))
        .enumerate()
        .map(|(n, (name, item))| ListItem {
            kind: "ListItem",
            position: n + 1,
            name,
            item,
        })
        .collect();
    BreadcrumbList {
        kind: "BreadcrumbList",
        elements,
    }
}

/// A page's breadcrumbs as a BreadcrumbList.
pub fn breadcrumbs(site: &Site, crumbs: &[Link], title: &str, path: &str) -> String {
    if crumbs.is_empty() {
        return String::new();
    }
    graph(&[Node::Breadcrumbs(breadcrumb_list(
        site, crumbs, title, path,
    ))])
}

/// The data of an item page: the item itself and its breadcrumbs.
pub fn item(site: &Site, views: &Views<'_>, index: usize, crumbs: &[Link]) -> String {
    let entry = &site.entries[index];
    let item = &entry.item;
    let publisher = || {
        Some(Reference {
            id: council_id(site),
        })
    };
    let about: Vec<String> = item
        .policy_areas
        .iter()
        .map(|k| views.policy_area_link(k).title)
        .collect();
    let mut node = match &item.details {
        Details::Meeting(m) => {
            let status = match m.status {
                MeetingStatus::Scheduled => "https://schema.org/EventScheduled",
                MeetingStatus::Cancelled => "https://schema.org/EventCancelled",
                MeetingStatus::Moved { .. } => "https://schema.org/EventRescheduled",
            };
            let mode = match (&m.location, &m.online) {
                (Some(_), Some(_)) => "https://schema.org/MixedEventAttendanceMode",
                (None, Some(_)) => "https://schema.org/OnlineEventAttendanceMode",
                _ => "https://schema.org/OfflineEventAttendanceMode",
            };
            let location = (m.location.as_deref())
                .map(|place| Place::Place {
                    name: place,
                    address: place,
                })
                .into_iter()
                .chain(
                    m.online
                        .as_deref()
                        .map(|url| Place::VirtualLocation { url }),
                )
                .collect();
            ItemNode {
                kind: "Event",
                name: Some(&item.title),
                event_status: Some(status),
                organizer: publisher(),
                start_date: item.date.map(|day| amsterdam_datetime(day, m.start)),
                end_date: item
                    .date
                    .zip(m.end)
                    .map(|(day, end)| amsterdam_datetime(day, Some(end))),
                attendance_mode: Some(mode),
                location,
                ..ItemNode::default()
            }
        }
        Details::News(n) => ItemNode {
            kind: "NewsArticle",
            headline: Some(&item.title),
            publisher: publisher(),
            author: publisher(),
            image: (n.image.as_ref())
                .map(|image| site.absolute(&format!("{}{}", entry.path, image.file))),
            ..ItemNode::default()
        },
        Details::Advice(_) | Details::AnnualReport(_) | Details::Minutes(_) => ItemNode {
            kind: "Report",
            name: Some(&item.title),
            author: publisher(),
            publisher: publisher(),
            ..ItemNode::default()
        },
        Details::Page(_) => ItemNode {
            kind: "WebPage",
            name: Some(&item.title),
            publisher: publisher(),
            ..ItemNode::default()
        },
    };
    node.url = site.absolute(&entry.path);
    node.in_language = site.config.language.code();
    if !matches!(item.details, Details::Meeting(_)) {
        node.date_published = item.date.map(|d| d.format("%Y-%m-%d").to_string());
    }
    node.description = &views.card(index).summary;
    node.about = about.iter().map(String::as_str).collect();
    if !item.topics.is_empty() {
        node.keywords = Some(item.topics.join(", "));
    }
    graph(&[
        Node::Item(Box::new(node)),
        Node::Breadcrumbs(breadcrumb_list(site, crumbs, &item.title, &entry.path)),
        Node::Council(council(site)),
    ])
}

/// A local date and time in Europe/Amsterdam with its UTC offset, e.g.
/// `2026-12-08T19:30:00+01:00`; only the date when there is no time.
pub fn amsterdam_datetime(day: NaiveDate, time: Option<NaiveTime>) -> String {
    match time {
        None => day.format("%Y-%m-%d").to_string(),
        Some(time) => {
            let offset = if is_summer_time(day) {
                "+02:00"
            } else {
                "+01:00"
            };
            format!(
                "{}T{}{offset}",
                day.format("%Y-%m-%d"),
                time.format("%H:%M:%S")
            )
        }
    }
}

/// Central European Summer Time runs from the last Sunday of March to the last Sunday
/// of October (the switch days count by their evening, when councils meet).
fn is_summer_time(day: NaiveDate) -> bool {
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(day.year(), month, 31).unwrap_or(day);
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().unwrap_or(d);
        }
        d
    };
    day >= last_sunday(3) && day < last_sunday(10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn script_safe_escapes_closing_tags() {
        let value = json!({ "name": "</script><script>alert(1)</script> & co" });
        let text = script_safe(&value);
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn amsterdam_offsets_follow_summer_time() {
        let time = NaiveTime::from_hms_opt(19, 30, 0);
        let winter = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let summer = NaiveDate::from_ymd_opt(2026, 6, 9).unwrap();
        assert_eq!(
            amsterdam_datetime(winter, time),
            "2026-12-08T19:30:00+01:00"
        );
        assert_eq!(
            amsterdam_datetime(summer, time),
            "2026-06-09T19:30:00+02:00"
        );
        assert_eq!(amsterdam_datetime(winter, None), "2026-12-08");
        // 2026: summer time from 29 March to 25 October.
        assert!(is_summer_time(
            NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
        ));
        assert!(!is_summer_time(
            NaiveDate::from_ymd_opt(2026, 10, 25).unwrap()
        ));
    }
}
