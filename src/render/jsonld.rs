//! schema.org JSON-LD for search engines and other machines: Event for meetings, Report
//! for minutes, advice and annual reports, NewsArticle for news, GovernmentOrganization
//! for the council, and a BreadcrumbList on every page.
//!
//! The nodes are typed structs serialised straight to text: every page carries some,
//! and building `serde_json::Value` maps for them first cost more than writing them.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use serde::Serialize;
use serde_json::value::RawValue;

use super::view::{Link, Views};
use crate::config::Config;
use crate::content::{Details, MeetingStatus};
use crate::i18n::iso_date;
use crate::site::Site;

/// Serialises JSON so it is safe inside `<script>`: no `<`, `>` or `&` can end the
/// element or start a comment, whatever the content says.
pub fn script_safe(value: &impl Serialize) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    // Looked for byte by byte: the three are ASCII, and a search for `char`s decoded
    // every character of every page's JSON-LD (0.6% of a build's instructions).
    let special = |b: u8| matches!(b, b'<' | b'>' | b'&');
    if !text.bytes().any(special) {
        return text;
    }
    let mut safe = String::with_capacity(text.len() + 16);
    let mut rest = text.as_str();
    while let Some(at) = rest.bytes().position(special) {
        safe.push_str(&rest[..at]);
        safe.push_str(match rest.as_bytes()[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        rest = &rest[at + 1..];
    }
    safe.push_str(rest);
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
    /// A node serialised before, written as it is: the council's is the same on every
    /// item page, and serialising it for each was a quarter of the work of their data.
    Made(&'a RawValue),
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
fn council(config: &Config) -> Council<'_> {
    let council = &config.council;
    Council {
        kind: "GovernmentOrganization",
        id: council_id(config),
        name: config.council_name(),
        url: config.absolute(""),
        email: council.email.as_deref(),
        telephone: council.phone.as_deref(),
        address: council.address.as_deref(),
        area_served: council
            .municipality
            .as_deref()
            .map(|name| City { kind: "City", name }),
    }
}

fn council_id(config: &Config) -> String {
    format!("{}/#council", config.base_url)
}

/// The home page's data: the council itself.
pub fn organisation(site: &Site) -> String {
    graph(&[Node::Council(council(&site.config))])
}

/// The council's node alone, as [`item`] takes it.
pub fn council_node(config: &Config) -> Box<RawValue> {
    RawValue::from_string(script_safe(&council(config))).expect("serialised JSON is JSON")
}

fn breadcrumb_list<'a>(
    config: &Config,
    crumbs: &'a [Link],
    title: &'a str,
    path: &str,
) -> BreadcrumbList<'a> {
    let base = config.base_path();
    let elements = crumbs
        .iter()
        .map(|c| {
            let path = c.href.strip_prefix(base).unwrap_or(&c.href);
            (
                c.title.as_str(),
                config.absolute(path.trim_start_matches('/')),
            )
        })
        .chain(std::iter::once((title, config.absolute(path))))
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
        &site.config,
        crumbs,
        title,
        path,
    ))])
}

/// Everything the data of an item page says of the item; with the site's configuration
/// and the page's breadcrumbs, all that [`item`] is made from. The page cache of
/// `quorum serve` fingerprints these instead of making the data for every page.
#[derive(Serialize)]
pub struct ItemFacts<'a> {
    title: &'a str,
    path: &'a str,
    #[serde(serialize_with = "days")]
    date: Option<NaiveDate>,
    summary: &'a str,
    topics: &'a [String],
    /// The names of its policy areas.
    about: Vec<&'a str>,
    kind: KindFacts<'a>,
}

/// What [`ItemFacts`] holds of one kind.
#[derive(Serialize)]
enum KindFacts<'a> {
    Meeting {
        status: &'static str,
        location: Option<&'a str>,
        online: Option<&'a str>,
        #[serde(serialize_with = "seconds")]
        start: Option<NaiveTime>,
        #[serde(serialize_with = "seconds")]
        end: Option<NaiveTime>,
    },
    News {
        image: Option<&'a str>,
    },
    Report,
    Page,
}

/// A date as its day number, for fingerprints (chrono is built without serde).
fn days<S: serde::Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(date.map(|d| d.num_days_from_ce()))
}

/// A time as seconds after midnight, for fingerprints.
fn seconds<S: serde::Serializer>(time: &Option<NaiveTime>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(time.map(|t| t.num_seconds_from_midnight()))
}

/// The facts of entry `index` that its page's data states (see [`item`]).
pub fn facts<'a>(site: &'a Site, views: &'a Views<'_>, index: usize) -> ItemFacts<'a> {
    let entry = &site.entries[index];
    let item = &entry.item;
    let kind = match &item.details {
        Details::Meeting(m) => KindFacts::Meeting {
            status: match m.status {
                MeetingStatus::Scheduled => "https://schema.org/EventScheduled",
                MeetingStatus::Cancelled => "https://schema.org/EventCancelled",
                MeetingStatus::Moved { .. } => "https://schema.org/EventRescheduled",
            },
            location: m.location.as_deref(),
            online: m.online.as_deref(),
            start: m.start,
            end: m.end,
        },
        Details::News(n) => KindFacts::News {
            image: n.image.as_ref().map(|image| image.file.as_str()),
        },
        Details::Advice(_) | Details::AnnualReport(_) | Details::Minutes(_) => KindFacts::Report,
        Details::Page(_) => KindFacts::Page,
    };
    ItemFacts {
        title: &item.title,
        path: &entry.path,
        date: item.date,
        summary: views.card(index).summary(),
        topics: &item.topics,
        about: (item.policy_areas.iter())
            .map(|k| views.policy_area_name(k))
            .collect(),
        kind,
    }
}

/// The data of an item page: the item itself, its breadcrumbs and the council (its
/// node made by [`council_node`]). Made from `facts` and the configuration alone, so
/// that what fingerprints the facts fingerprints this.
pub fn item(config: &Config, council: &RawValue, facts: &ItemFacts<'_>, crumbs: &[Link]) -> String {
    let publisher = || {
        Some(Reference {
            id: council_id(config),
        })
    };
    let title = facts.title;
    let mut node = match &facts.kind {
        KindFacts::Meeting {
            status,
            location,
            online,
            start,
            end,
        } => {
            let mode = match (location, online) {
                (Some(_), Some(_)) => "https://schema.org/MixedEventAttendanceMode",
                (None, Some(_)) => "https://schema.org/OnlineEventAttendanceMode",
                _ => "https://schema.org/OfflineEventAttendanceMode",
            };
            let location = (location.map(|place| Place::Place {
                name: place,
                address: place,
            }))
            .into_iter()
            .chain(online.map(|url| Place::VirtualLocation { url }))
            .collect();
            ItemNode {
                kind: "Event",
                name: Some(title),
                event_status: Some(status),
                organizer: publisher(),
                start_date: facts.date.map(|day| amsterdam_datetime(day, *start)),
                end_date: (facts.date.zip(*end))
                    .map(|(day, end)| amsterdam_datetime(day, Some(end))),
                attendance_mode: Some(mode),
                location,
                ..ItemNode::default()
            }
        }
        KindFacts::News { image } => ItemNode {
            kind: "NewsArticle",
            headline: Some(title),
            publisher: publisher(),
            author: publisher(),
            image: image.map(|file| config.absolute(&format!("{}{file}", facts.path))),
            ..ItemNode::default()
        },
        KindFacts::Report => ItemNode {
            kind: "Report",
            name: Some(title),
            author: publisher(),
            publisher: publisher(),
            ..ItemNode::default()
        },
        KindFacts::Page => ItemNode {
            kind: "WebPage",
            name: Some(title),
            publisher: publisher(),
            ..ItemNode::default()
        },
    };
    node.url = config.absolute(facts.path);
    node.in_language = config.language.code();
    if !matches!(facts.kind, KindFacts::Meeting { .. }) {
        node.date_published = facts.date.map(iso_date);
    }
    node.description = facts.summary;
    node.about = facts.about.clone();
    if !facts.topics.is_empty() {
        node.keywords = Some(facts.topics.join(", "));
    }
    graph(&[
        Node::Item(Box::new(node)),
        Node::Breadcrumbs(breadcrumb_list(config, crumbs, title, facts.path)),
        Node::Made(council),
    ])
}

/// A local date and time in Europe/Amsterdam with its UTC offset, e.g.
/// `2026-12-08T19:30:00+01:00`; only the date when there is no time.
pub fn amsterdam_datetime(day: NaiveDate, time: Option<NaiveTime>) -> String {
    match time {
        None => iso_date(day),
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

    proptest::proptest! {
        #[test]
        fn script_safe_escapes_as_a_char_by_char_pass_would(text in "(?s).{0,40}|[<>&a-zë]{0,40}") {
            let json = serde_json::to_string(&text).unwrap();
            let mut by_char = String::new();
            for c in json.chars() {
                match c {
                    '<' => by_char.push_str("\\u003c"),
                    '>' => by_char.push_str("\\u003e"),
                    '&' => by_char.push_str("\\u0026"),
                    c => by_char.push(c),
                }
            }
            proptest::prop_assert_eq!(script_safe(&text), by_char);
        }
    }

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
    fn the_council_node_made_once_is_the_one_a_graph_would_hold() {
        let config = Config::parse(
            "title = \"Raad <&>\"\nbase_url = \"https://r.example\"\n\
             [council]\nemail = \"raad@r.example\"\nmunicipality = \"Stad\"\n",
            None,
        )
        .unwrap();
        let crumbs = [Link {
            href: "/nieuws/".into(),
            title: "Nieuws".into(),
        }];
        let crumbs_node =
            || Node::Breadcrumbs(breadcrumb_list(&config, &crumbs, "Titel", "nieuws/a/"));
        let whole = graph(&[crumbs_node(), Node::Council(council(&config))]);
        let made = council_node(&config);
        assert_eq!(graph(&[crumbs_node(), Node::Made(&made)]), whole);
        assert!(whole.contains("\\u003c\\u0026\\u003e"), "{whole}");
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
