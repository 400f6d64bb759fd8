//! Open data under `/api/`: an index, one list per kind and one JSON file per item, with
//! English field names and a shape inspired by OParl (Meeting, AgendaItem, Paper, File).

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};

use super::OutputFile;
use super::json_string;
use super::pages::Memo;
use super::view::{Views, file_type};
use super::with_body::WithBody;
use crate::content::{Details, Kind, MeetingStatus, MinutesStatus};
use crate::i18n::iso_date;
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
        path: path.into(),
        contents: super::Contents::bytes(json_bytes(value)),
    }
}

fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The file of one item, whose body is `body` (see [`Site::body`]), as `quorum build`
/// writes it.
pub fn item_file(site: &Site, views: &Views<'_>, index: usize, body: &Rendered) -> OutputFile {
    let fields = item(site, views, index);
    OutputFile {
        path: item_path(&site.entries[index]).into(),
        contents: super::Contents::bytes(printed(&fields, &body.html, body.text.trim())),
    }
}

/// An item's file, its fields printed with its body's HTML and text.
fn printed(fields: &Fields<'_>, html: &str, text: &str) -> Vec<u8> {
    let (before, after) = split_at_body(fields);
    // Room for the body and the fields at once, rather than growing into it.
    let mut out = Vec::with_capacity(html.len() + text.len() + 4096);
    print_head(before, &mut out);
    print_body(html, text, &mut out);
    print_tail(after, &mut out);
    out
}

/// The file of one item as `quorum serve` keeps it: its fields printed around its body,
/// which the served site holds anyway (see [`WithBody`]). The body, the bulk of the
/// file, stands in the file's fingerprint for its own (see [`Rendered::print`]). With
/// `memo`, the file is not made again while what it is made of is unchanged.
pub fn served_item_file(
    site: &Site,
    views: &Views<'_>,
    index: usize,
    memo: Option<&Memo<'_>>,
    body: &Arc<Rendered>,
) -> OutputFile {
    let path = item_path(&site.entries[index]);
    let fields = item(site, views, index);
    let make = || super::Contents::WithBody(Arc::new(with_body(&fields, body.clone())));
    match memo {
        Some(memo) => memo.file(path, memo.key(&(&fields, body.print())), make),
        None => OutputFile {
            path: path.into(),
            contents: make(),
        },
    }
}

/// An item's file kept around its `body` (see [`WithBody`]).
fn with_body(fields: &Fields<'_>, body: Arc<Rendered>) -> WithBody {
    let (before, after) = split_at_body(fields);
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    print_head(before, &mut head);
    print_tail(after, &mut tail);
    WithBody::open_data(head, body, tail)
}

/// Some of an item's fields, in the order of their names.
type FieldRun<'f, 'a> = &'f [(&'static str, Field<'a>)];

/// The fields before "body" and those after it: the file is printed as serde_json would
/// print a map holding them and the body, without copying the body into one. The
/// body's two texts are escaped straight into the bytes between them (see
/// `json_string`).
fn split_at_body<'f, 'a>(fields: &'f Fields<'a>) -> (FieldRun<'f, 'a>, FieldRun<'f, 'a>) {
    debug_assert!(
        fields.windows(2).all(|pair| pair[0].0 < pair[1].0),
        "fields in the order of their names, once each"
    );
    debug_assert!(
        fields.iter().all(|(key, _)| *key != "body"),
        "the body is added here"
    );
    fields.split_at(fields.partition_point(|(key, _)| *key < "body"))
}

fn pretty(entries: FieldRun<'_, '_>) -> Vec<u8> {
    serde_json::to_vec_pretty(&Entries(entries)).expect("a map of JSON values prints")
}

/// The file up to its body's HTML: `{`, the fields before the body, and its key.
fn print_head(before: FieldRun<'_, '_>, out: &mut Vec<u8>) {
    if before.is_empty() {
        out.push(b'{');
    } else {
        // `{ … "key": value\n}` without the closing `\n}`, then the next entry.
        let printed = pretty(before);
        out.extend_from_slice(&printed[..printed.len() - 2]);
        out.push(b',');
    }
    out.extend_from_slice(b"\n  \"body\": {\n    \"html\": ");
}

/// The body's HTML and text, escaped.
pub(super) fn print_body(html: &str, text: &str, out: &mut Vec<u8>) {
    json_string::write(html, out);
    out.extend_from_slice(b",\n    \"text\": ");
    json_string::write(text, out);
}

/// The file after its body's text: the fields after the body, and `}`.
fn print_tail(after: FieldRun<'_, '_>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"\n  }");
    if after.is_empty() {
        out.extend_from_slice(b"\n}");
    } else {
        // `{\n  "key": value … }` without the opening `{`.
        out.push(b',');
        out.extend_from_slice(&pretty(after)[1..]);
    }
    out.push(b'\n');
}

/// Entries of a JSON object, printed as one in their order.
struct Entries<'f, 'a>(&'f [(&'static str, Field<'a>)]);

impl Serialize for Entries<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

/// The fields of an item's file but its body: each name with its value, in the order of
/// the names, as serde_json prints an object. Made straight from the item, with no map
/// of owned names and values to build first (building and printing that map took 1% of
/// a build's instructions more).
type Fields<'a> = Vec<(&'static str, Field<'a>)>;

/// The value of one field of an item's file.
#[derive(Debug)]
enum Field<'a> {
    Null,
    Flag(bool),
    Number(i64),
    Str(&'a str),
    Text(String),
    Strs(&'a [String]),
    Texts(Vec<String>),
    /// A nested object or list of them.
    Json(Value),
}

impl Serialize for Field<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Null => serializer.serialize_unit(),
            Field::Flag(flag) => serializer.serialize_bool(*flag),
            Field::Number(number) => serializer.serialize_i64(*number),
            Field::Str(text) => serializer.serialize_str(text),
            Field::Text(text) => serializer.serialize_str(text),
            Field::Strs(texts) => texts.serialize(serializer),
            Field::Texts(texts) => texts.serialize(serializer),
            Field::Json(value) => value.serialize(serializer),
        }
    }
}

impl<'a> From<&'a str> for Field<'a> {
    fn from(text: &'a str) -> Field<'a> {
        Field::Str(text)
    }
}

impl<'a> From<&'a String> for Field<'a> {
    fn from(text: &'a String) -> Field<'a> {
        Field::Str(text)
    }
}

impl From<String> for Field<'_> {
    fn from(text: String) -> Self {
        Field::Text(text)
    }
}

impl From<bool> for Field<'_> {
    fn from(flag: bool) -> Self {
        Field::Flag(flag)
    }
}

impl From<i64> for Field<'_> {
    fn from(number: i64) -> Self {
        Field::Number(number)
    }
}

impl<'a> From<&'a Vec<String>> for Field<'a> {
    fn from(texts: &'a Vec<String>) -> Field<'a> {
        Field::Strs(texts)
    }
}

impl From<Vec<String>> for Field<'_> {
    fn from(texts: Vec<String>) -> Self {
        Field::Texts(texts)
    }
}

impl From<Value> for Field<'_> {
    fn from(value: Value) -> Self {
        Field::Json(value)
    }
}

impl<'a, T: Into<Field<'a>>> From<Option<T>> for Field<'a> {
    fn from(value: Option<T>) -> Field<'a> {
        value.map_or(Field::Null, Into::into)
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
        path: format!("{API}/{}.json", kind_path(kind)).into(),
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
        date: entry.item.date.map(iso_date),
        id: site.absolute(&item_path(entry)),
        name: &entry.item.title,
        kind: item_type(entry.item.kind),
        web: site.absolute(&entry.path),
    }
}

/// Everything about one item but its body.
fn item<'a>(site: &'a Site, views: &'a Views<'_>, index: usize) -> Fields<'a> {
    let entry = &site.entries[index];
    let item = &entry.item;
    let Summary {
        date,
        id,
        name,
        kind,
        web,
    } = summary(site, index);
    let policy_areas = (item.policy_areas.iter())
        .map(|k| json!({ "key": k, "name": views.policy_area_name(k) }))
        .collect();
    let files = (item.attachments.iter())
        .map(|a| {
            json!({
                "type": "File",
                "name": a.title,
                "fileName": a.file,
                "fileType": file_type(&a.file),
                "size": a.size,
                "accessUrl": site.absolute(&format!("{}{}", entry.path, a.file)),
            })
        })
        .collect();
    let mentioned_in: Vec<String> = (site.mentioned_in[index].iter())
        .map(|&i| site.absolute(&item_path(&site.entries[i])))
        .collect();
    let mut fields: Fields<'a> = vec![
        ("date", date.into()),
        ("id", id.into()),
        ("name", name.into()),
        ("type", kind.into()),
        ("web", web.into()),
        ("kind", item.kind.id().into()),
        ("summary", views.card(index).summary().into()),
        ("keyword", (&item.topics).into()),
        ("policyArea", Value::Array(policy_areas).into()),
        ("auxiliaryFile", Value::Array(files).into()),
        ("mentionedIn", mentioned_in.into()),
    ];
    details(site, entry, &mut fields);
    fields.sort_unstable_by_key(|(key, _)| *key);
    fields
}

/// Adds the fields of `entry`'s kind to `fields`.
fn details<'a>(site: &'a Site, entry: &'a Entry, fields: &mut Fields<'a>) {
    let date_page =
        |date: Option<chrono::NaiveDate>,
         map: &std::collections::HashMap<chrono::NaiveDate, usize>| {
            date.and_then(|d| map.get(&d))
                .map(|&i| site.absolute(&item_path(&site.entries[i])))
        };
    let date_text = |date: Option<chrono::NaiveDate>| date.map(iso_date);
    match &entry.item.details {
        Details::Meeting(m) => {
            let at = |time: Option<chrono::NaiveTime>| {
                time.map(|t| {
                    super::jsonld::amsterdam_datetime(entry.item.date.unwrap_or_default(), Some(t))
                })
            };
            let location =
                (m.location.as_ref()).map(|l| json!({ "type": "Location", "description": l }));
            let agenda = (m.agenda.iter().enumerate())
                .map(|(n, a)| {
                    json!({
                        "type": "AgendaItem",
                        "number": (n + 1).to_string(),
                        "name": a.title,
                        "description": a.description,
                    })
                })
                .collect();
            let (status, moved_to) = match m.status {
                MeetingStatus::Scheduled => ("scheduled", None),
                MeetingStatus::Cancelled => ("cancelled", None),
                MeetingStatus::Moved { to } => ("moved", Some(to.to_string())),
            };
            fields.extend([
                ("start", at(m.start).into()),
                ("end", at(m.end).into()),
                ("location", location.into()),
                ("online", m.online.as_ref().into()),
                (
                    "cancelled",
                    (!matches!(m.status, MeetingStatus::Scheduled)).into(),
                ),
                ("status", status.into()),
                ("movedTo", moved_to.into()),
                ("agendaItem", Value::Array(agenda).into()),
                (
                    "minutes",
                    date_page(entry.item.date, &site.minutes_by_date).into(),
                ),
            ]);
        }
        Details::Minutes(m) => {
            let (status, approved_on) = match m.status {
                MinutesStatus::Concept => ("concept", None),
                MinutesStatus::Approved { on } => ("approved", date_text(on)),
            };
            let actions = (m.actions.iter())
                .map(|a| {
                    json!({
                        "id": a.id,
                        "what": a.what,
                        "who": a.who,
                        "due": date_text(a.due),
                        "done": a.done,
                    })
                })
                .collect();
            fields.extend([
                ("status", status.into()),
                ("approvedOn", approved_on.into()),
                (
                    "meeting",
                    date_page(entry.item.date, &site.meetings_by_date).into(),
                ),
                ("meetingType", m.meeting.as_ref().into()),
                ("location", m.location.as_ref().into()),
                ("online", m.online.into()),
                ("attendees", (&m.attendees).into()),
                ("absent", (&m.absent).into()),
                ("guests", (&m.guests).into()),
                ("actions", Value::Array(actions).into()),
            ]);
        }
        Details::Advice(a) => {
            let status = site.advice_status(entry);
            let response = a.response.as_ref().map(|r| {
                json!({
                    "date": iso_date(r.date),
                    "summary": r.summary,
                    "file": r.file.as_ref().map(|f| site.absolute(&format!("{}{}", entry.path, f))),
                })
            });
            let days = match status {
                Some(crate::site::AdviceStatus::Answered { days }) => Some(days),
                _ => None,
            };
            fields.extend([
                ("paperType", "advice".into()),
                ("solicited", a.solicited.into()),
                ("addressedTo", a.addressed_to.as_ref().into()),
                ("requestedOn", date_text(a.requested_on).into()),
                ("reference", a.reference.as_ref().into()),
                ("status", status.map(|s| s.id()).into()),
                ("response", response.into()),
                ("responseDays", days.into()),
            ]);
        }
        Details::AnnualReport(r) => fields.extend([
            ("paperType", "annual-report".into()),
            ("year", i64::from(r.year).into()),
        ]),
        Details::News(n) => {
            let image = n.image.as_ref().map(|i| {
                json!({ "url": site.absolute(&format!("{}{}", entry.path, i.file)), "alt": i.alt })
            });
            fields.push(("image", image.into()));
        }
        Details::Page(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json prints for the fields as a map of values, with the body in it.
    fn printed_whole(fields: &Fields<'_>, html: &str, text: &str) -> String {
        let mut whole: serde_json::Map<String, Value> = (fields.iter())
            .map(|(key, value)| (key.to_string(), serde_json::to_value(value).unwrap()))
            .collect();
        whole.insert("body".into(), json!({ "html": html, "text": text }));
        serde_json::to_string_pretty(&whole).unwrap() + "\n"
    }

    #[test]
    fn the_body_is_printed_where_serde_json_prints_it() {
        let html = "<p class=\"intro\">Cliënt \\ raad</p>\n\t\u{1}";
        let text = "Cliënt \"raad\"";
        let names = vec!["A".to_string(), "B \"b\"".to_string()];
        let field = |n: usize| -> Field<'_> {
            match n % 8 {
                0 => Field::Null,
                1 => true.into(),
                2 => (-12i64).into(),
                3 => "tekst \"x\"".into(),
                4 => Some(String::from("ë")).into(),
                5 => (&names).into(),
                6 => Vec::<String>::new().into(),
                _ => {
                    json!({ "attendees": ["A", "B"], "response": { "date": "2025-01-02" } }).into()
                }
            }
        };
        for keys in [
            &[][..],
            &["absent"],
            &["title"],
            &["absent", "date", "title"],
            &["a", "b", "bodies", "c", "d", "e", "f", "g", "h"],
        ] {
            let fields: Fields = keys
                .iter()
                .enumerate()
                .map(|(n, key)| (*key, field(n)))
                .collect();
            let whole = printed_whole(&fields, html, text);
            let made = String::from_utf8(printed(&fields, html, text)).unwrap();
            assert_eq!(made, whole, "{keys:?}");
            // As `quorum serve` keeps it, whose text is trimmed when printed.
            let mut body = Rendered::default();
            body.html = html.to_string();
            body.text = format!("\n {text}\n");
            let kept = with_body(&fields, Arc::new(body));
            assert_eq!(
                String::from_utf8(kept.to_bytes()).unwrap(),
                whole,
                "{keys:?}"
            );
        }
    }
}
