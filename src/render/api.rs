//! Open data under `/api/`: an index, one list per kind and one JSON file per item, with
//! English field names and a shape inspired by OParl (Meeting, AgendaItem, Paper, File).

use serde::Serialize;
use serde_json::{Value, json};

use super::OutputFile;
use super::json_string;
use super::pages::Memo;
use super::view::{Views, file_type};
use crate::content::{Details, Kind, MeetingStatus, MinutesStatus};
use crate::markdown::Rendered;
use crate::site::{Entry, Site};

/// The folder of the open data.
const API: &str = "api";

/// The URL word of a kind in the API: its content folder name, in English.
fn kind_path(kind: Kind) -> &'static str {
    kind.folder()
}

/// The OParl-like type of an item.
fn item_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Meeting => "Meeting",
        Kind::Minutes => "Minutes",
        Kind::Advice | Kind::AnnualReport => "Paper",
        Kind::News => "News",
        Kind::Page => "Page",
    }
}

/// Path of the JSON file of an entry, e.g. `api/minutes/2021-12-14.json`.
pub fn item_path(entry: &Entry) -> String {
    format!(
        "{API}/{}/{}.json",
        kind_path(entry.item.kind),
        entry.item.slug
    )
}

/// The index of the open data and its list per kind.
pub fn lists(site: &Site) -> Vec<OutputFile> {
    let mut files = Vec::new();
    let mut kinds = serde_json::Map::new();
    for kind in Kind::ALL {
        let file = list(site, kind);
        kinds.insert(
            kind_path(kind).to_string(),
            json!(site.absolute(&file.path)),
        );
        files.push(file);
    }
    let index = json!({
        "type": "System",
        "name": site.config.title,
        "body": {
            "type": "Body",
            "name": site.config.council_name(),
            "municipality": site.config.council.municipality,
            "email": site.config.council.email,
            "website": site.absolute(""),
        },
        "language": site.config.language.code(),
        "lists": kinds,
        "policyAreas": site.config.policy_areas.iter().map(|(k, a)| json!({ "key": k, "name": a.name(), "description": a.description() })).collect::<Vec<_>>(),
        "calendar": site.absolute("agenda.ics"),
        "feed": site.absolute("feed.xml"),
    });
    files.push(json_file(format!("{API}/index.json"), &index));
    files
}

fn json_file(path: String, value: &Value) -> OutputFile {
    OutputFile {
        path,
        contents: super::Contents::bytes(json_bytes(value)),
    }
}

fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The file of one item, whose body is `body` (see [`Site::body`]). The body, the bulk
/// of it, stands in the file's fingerprint for its own (see [`Rendered::print`]), and is
/// copied into the JSON only when the file is made. With `memo` (`quorum serve`), the
/// file is not made again while what it is made of is unchanged.
pub fn item_file(
    site: &Site,
    views: &Views<'_>,
    index: usize,
    memo: Option<&Memo<'_>>,
    body: &Rendered,
) -> OutputFile {
    let entry = &site.entries[index];
    let path = item_path(entry);
    let value = item(site, views, index);
    let (html, text) = (body.html.as_str(), body.text.trim());
    let key = memo.map(|memo| memo.key(&(&value, body.print())));
    let make = move || {
        let Value::Object(fields) = &value else {
            unreachable!("an item is a JSON object")
        };
        with_body(fields, html, text)
    };
    match (memo, key) {
        (Some(memo), Some(key)) => memo.file(path, key, make),
        _ => OutputFile {
            path,
            contents: super::Contents::bytes(make()),
        },
    }
}

/// An item's fields with its body, pretty-printed as one object in key order, as
/// serde_json would print a `Value` holding the body, without copying the body into one.
/// serde_json prints the fields before "body" and those after it; the body's two texts
/// are escaped straight into the bytes between them (see `json_string`).
fn with_body(fields: &serde_json::Map<String, Value>, html: &str, text: &str) -> Vec<u8> {
    debug_assert!(!fields.contains_key("body"), "the body is added here");
    let (before, after): (Vec<_>, Vec<_>) =
        fields.iter().partition(|(key, _)| key.as_str() < "body");
    let pretty = |entries: Vec<(&String, &Value)>| {
        let map = Entries(entries);
        serde_json::to_vec_pretty(&map).expect("a map of JSON values prints")
    };
    // Room for the body and the fields at once, rather than growing into it.
    let mut out = Vec::with_capacity(html.len() + text.len() + 4096);
    if before.is_empty() {
        out.push(b'{');
    } else {
        // `{ … "key": value\n}` without the closing `\n}`, then the next entry.
        let printed = pretty(before);
        out.extend_from_slice(&printed[..printed.len() - 2]);
        out.push(b',');
    }
    out.extend_from_slice(b"\n  \"body\": {\n    \"html\": ");
    json_string::write(html, &mut out);
    out.extend_from_slice(b",\n    \"text\": ");
    json_string::write(text, &mut out);
    out.extend_from_slice(b"\n  }");
    if after.is_empty() {
        out.extend_from_slice(b"\n}");
    } else {
        // `{\n  "key": value … }` without the opening `{`.
        out.push(b',');
        out.extend_from_slice(&pretty(after)[1..]);
    }
    out.push(b'\n');
    out
}

/// Entries of a JSON object, printed as one in their order.
struct Entries<'a>(Vec<(&'a String, &'a Value)>);

impl Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().copied())
    }
}

/// The list of the items of `kind`.
pub fn list(site: &Site, kind: Kind) -> OutputFile {
    // Fields in the order of their names, as in the files made through `Value`.
    #[derive(Serialize)]
    struct List<'a> {
        count: usize,
        data: Vec<Summary<'a>>,
        #[serde(rename = "type")]
        kind: String,
    }
    let data: Vec<Summary> = (site.of_kind(kind).iter())
        .map(|&i| summary(site, i))
        .collect();
    let list = List {
        count: data.len(),
        data,
        kind: format!("{}List", item_type(kind)),
    };
    OutputFile {
        path: format!("{API}/{}.json", kind_path(kind)),
        contents: super::Contents::bytes(json_bytes(&list)),
    }
}

/// What a list shows of an item; its fields in the order of their names, as in the
/// files made through `Value`.
#[derive(Serialize)]
struct Summary<'a> {
    date: Option<String>,
    id: String,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    web: String,
}

fn summary(site: &Site, index: usize) -> Summary<'_> {
    let entry = &site.entries[index];
    Summary {
        date: entry.item.date.map(|d| d.to_string()),
        id: site.absolute(&item_path(entry)),
        name: &entry.item.title,
        kind: item_type(entry.item.kind),
        web: site.absolute(&entry.path),
    }
}

/// Everything about one item.
fn item(site: &Site, views: &Views<'_>, index: usize) -> Value {
    let entry = &site.entries[index];
    let item = &entry.item;
    let mut value = json!(summary(site, index));
    value["kind"] = json!(item.kind.id());
    value["summary"] = json!(views.card(index).summary);
    value["keyword"] = json!(item.topics);
    value["policyArea"] = json!(
        item.policy_areas
            .iter()
            .map(|k| json!({ "key": k, "name": views.policy_area_link(k).title }))
            .collect::<Vec<_>>()
    );
    value["auxiliaryFile"] = json!(
        item.attachments
            .iter()
            .map(|a| json!({
                "type": "File",
                "name": a.title,
                "fileName": a.file,
                "fileType": file_type(&a.file),
                "size": a.size,
                "accessUrl": site.absolute(&format!("{}{}", entry.path, a.file)),
            }))
            .collect::<Vec<_>>()
    );
    value["mentionedIn"] = json!(
        site.mentioned_in[index]
            .iter()
            .map(|&i| site.absolute(&item_path(&site.entries[i])))
            .collect::<Vec<_>>()
    );
    let details = details(site, entry);
    if let (Value::Object(target), Value::Object(extra)) = (&mut value, details) {
        target.extend(extra);
    }
    value
}

fn details(site: &Site, entry: &Entry) -> Value {
    let date_page =
        |date: Option<chrono::NaiveDate>,
         map: &std::collections::HashMap<chrono::NaiveDate, usize>| {
            date.and_then(|d| map.get(&d))
                .map(|&i| site.absolute(&item_path(&site.entries[i])))
        };
    match &entry.item.details {
        Details::Meeting(m) => json!({
            "start": m.start.map(|t| super::jsonld::amsterdam_datetime(entry.item.date.unwrap_or_default(), Some(t))),
            "end": m.end.map(|t| super::jsonld::amsterdam_datetime(entry.item.date.unwrap_or_default(), Some(t))),
            "location": m.location.as_ref().map(|l| json!({ "type": "Location", "description": l })),
            "online": m.online,
            "cancelled": !matches!(m.status, MeetingStatus::Scheduled),
            "status": match m.status { MeetingStatus::Scheduled => "scheduled", MeetingStatus::Cancelled => "cancelled", MeetingStatus::Moved { .. } => "moved" },
            "movedTo": match m.status { MeetingStatus::Moved { to } => Some(to.to_string()), _ => None },
            "agendaItem": m.agenda.iter().enumerate().map(|(n, a)| json!({ "type": "AgendaItem", "number": (n + 1).to_string(), "name": a.title, "description": a.description })).collect::<Vec<_>>(),
            "minutes": date_page(entry.item.date, &site.minutes_by_date),
        }),
        Details::Minutes(m) => json!({
            "status": match m.status { MinutesStatus::Concept => "concept", MinutesStatus::Approved { .. } => "approved" },
            "approvedOn": match m.status { MinutesStatus::Approved { on } => on.map(|d| d.to_string()), MinutesStatus::Concept => None },
            "meeting": date_page(entry.item.date, &site.meetings_by_date),
            "meetingType": m.meeting,
            "location": m.location,
            "online": m.online,
            "attendees": m.attendees,
            "absent": m.absent,
            "guests": m.guests,
            "actions": m.actions.iter().map(|a| json!({ "id": a.id, "what": a.what, "who": a.who, "due": a.due.map(|d| d.to_string()), "done": a.done })).collect::<Vec<_>>(),
        }),
        Details::Advice(a) => {
            let status = site.advice_status(entry);
            json!({
                "paperType": "advice",
                "solicited": a.solicited,
                "addressedTo": a.addressed_to,
                "requestedOn": a.requested_on.map(|d| d.to_string()),
                "reference": a.reference,
                "status": status.map(|s| s.id()),
                "response": a.response.as_ref().map(|r| json!({
                    "date": r.date.to_string(),
                    "summary": r.summary,
                    "file": r.file.as_ref().map(|f| site.absolute(&format!("{}{}", entry.path, f))),
                })),
                "responseDays": match status { Some(crate::site::AdviceStatus::Answered { days }) => Some(days), _ => None },
            })
        }
        Details::AnnualReport(r) => json!({ "paperType": "annual-report", "year": r.year }),
        Details::News(n) => json!({
            "image": n.image.as_ref().map(|i| json!({ "url": site.absolute(&format!("{}{}", entry.path, i.file)), "alt": i.alt })),
        }),
        Details::Page(_) => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json prints for the fields with the body in them.
    fn printed_whole(fields: &serde_json::Map<String, Value>, html: &str, text: &str) -> String {
        let mut whole = fields.clone();
        whole.insert("body".into(), json!({ "html": html, "text": text }));
        serde_json::to_string_pretty(&whole).unwrap() + "\n"
    }

    #[test]
    fn the_body_is_printed_where_serde_json_prints_it() {
        let html = "<p class=\"intro\">Cliënt \\ raad</p>\n\t\u{1}";
        let text = "Cliënt \"raad\"";
        let nested = json!({ "attendees": ["A", "B"], "response": { "date": "2025-01-02" } });
        for keys in [
            &[][..],
            &["absent"],
            &["title"],
            &["absent", "date", "title"],
        ] {
            let mut fields = serde_json::Map::new();
            for key in keys {
                fields.insert(key.to_string(), nested.clone());
            }
            let printed = String::from_utf8(with_body(&fields, html, text)).unwrap();
            assert_eq!(printed, printed_whole(&fields, html, text), "{keys:?}");
        }
    }
}
