//! schema.org JSON-LD for search engines and other machines: Event for meetings, Report
//! for minutes, advice and annual reports, NewsArticle for news, GovernmentOrganization
//! for the council, and a BreadcrumbList on every page.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde_json::{Value, json};

use super::view::{Link, Views};
use crate::content::{Details, MeetingStatus};
use crate::site::Site;

/// Serialises JSON so it is safe inside `<script>`: no `<`, `>` or `&` can end the
/// element or start a comment, whatever the content says.
pub fn script_safe(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn graph(nodes: Vec<Value>) -> String {
    script_safe(&json!({ "@context": "https://schema.org", "@graph": nodes }))
}

/// The council as a GovernmentOrganization.
fn council(site: &Site) -> Value {
    let council = &site.config.council;
    let mut org = json!({
        "@type": "GovernmentOrganization",
        "@id": format!("{}/#council", site.config.base_url),
        "name": site.config.council_name(),
        "url": site.absolute(""),
    });
    if let Some(email) = &council.email {
        org["email"] = json!(email);
    }
    if let Some(phone) = &council.phone {
        org["telephone"] = json!(phone);
    }
    if let Some(address) = &council.address {
        org["address"] = json!(address);
    }
    if let Some(municipality) = &council.municipality {
        org["areaServed"] = json!({ "@type": "City", "name": municipality });
    }
    org
}

/// The home page's data: the council itself.
pub fn organisation(site: &Site) -> String {
    graph(vec![council(site)])
}

fn breadcrumb_list(site: &Site, crumbs: &[Link], title: &str, path: &str) -> Value {
    let base = site.config.base_path();
    let elements: Vec<Value> = crumbs
        .iter()
        .map(|c| (c.title.as_str(), site.absolute(c.href.strip_prefix(base).unwrap_or(&c.href).trim_start_matches('/'))))
        .chain(std::iter::once((title, site.absolute(path))))
        .enumerate()
        .map(|(n, (name, url))| json!({ "@type": "ListItem", "position": n + 1, "name": name, "item": url }))
        .collect();
    json!({ "@type": "BreadcrumbList", "itemListElement": elements })
}

/// A page's breadcrumbs as a BreadcrumbList.
pub fn breadcrumbs(site: &Site, crumbs: &[Link], title: &str, path: &str) -> String {
    if crumbs.is_empty() {
        return String::new();
    }
    graph(vec![breadcrumb_list(site, crumbs, title, path)])
}

/// The data of an item page: the item itself and its breadcrumbs.
pub fn item(site: &Site, views: &Views<'_>, index: usize, crumbs: &[Link]) -> String {
    let entry = &site.entries[index];
    let item = &entry.item;
    let url = site.absolute(&entry.path);
    let date = item.date.map(|d| d.format("%Y-%m-%d").to_string());
    let about: Vec<String> = item
        .policy_areas
        .iter()
        .map(|k| views.policy_area_link(k).title)
        .collect();
    let publisher = json!({ "@id": format!("{}/#council", site.config.base_url) });
    let mut node = match &item.details {
        Details::Meeting(m) => {
            let status = match m.status {
                MeetingStatus::Scheduled => "https://schema.org/EventScheduled",
                MeetingStatus::Cancelled => "https://schema.org/EventCancelled",
                MeetingStatus::Moved { .. } => "https://schema.org/EventRescheduled",
            };
            let mut event = json!({
                "@type": "Event",
                "name": item.title,
                "eventStatus": status,
                "organizer": publisher,
            });
            if let Some(day) = item.date {
                event["startDate"] = json!(amsterdam_datetime(day, m.start));
                if let Some(end) = m.end {
                    event["endDate"] = json!(amsterdam_datetime(day, Some(end)));
                }
            }
            event["eventAttendanceMode"] = json!(match (&m.location, &m.online) {
                (Some(_), Some(_)) => "https://schema.org/MixedEventAttendanceMode",
                (None, Some(_)) => "https://schema.org/OnlineEventAttendanceMode",
                _ => "https://schema.org/OfflineEventAttendanceMode",
            });
            let mut places = Vec::new();
            if let Some(location) = &m.location {
                places.push(json!({ "@type": "Place", "name": location, "address": location }));
            }
            if let Some(online) = &m.online {
                places.push(json!({ "@type": "VirtualLocation", "url": online }));
            }
            if !places.is_empty() {
                event["location"] = json!(places);
            }
            event
        }
        Details::News(n) => {
            let mut article = json!({ "@type": "NewsArticle", "headline": item.title, "publisher": publisher, "author": publisher });
            if let Some(image) = &n.image {
                article["image"] = json!(site.absolute(&format!("{}{}", entry.path, image.file)));
            }
            article
        }
        Details::Advice(_) | Details::AnnualReport(_) | Details::Minutes(_) => {
            json!({ "@type": "Report", "name": item.title, "author": publisher, "publisher": publisher })
        }
        Details::Page(_) => {
            json!({ "@type": "WebPage", "name": item.title, "publisher": publisher })
        }
    };
    node["url"] = json!(url);
    node["inLanguage"] = json!(site.config.language.code());
    if let Some(date) = &date
        && !matches!(item.details, Details::Meeting(_))
    {
        node["datePublished"] = json!(date);
    }
    let description = views.card(index).summary.clone();
    if !description.is_empty() {
        node["description"] = json!(description);
    }
    if !about.is_empty() {
        node["about"] = json!(about);
    }
    if !item.topics.is_empty() {
        node["keywords"] = json!(item.topics.join(", "));
    }
    graph(vec![
        node,
        breadcrumb_list(site, crumbs, &item.title, &entry.path),
        council(site),
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
