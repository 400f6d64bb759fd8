//! `quorum new <kind>`: one item with its front matter filled in, written as a draft.
//!
//! New minutes get the standard agenda as headings, with the points of the meeting of
//! that day, and carry over the actions that are still open from earlier minutes.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::front_matter::FrontMatter;
use super::{already_exists, write_new};
use crate::config::Config;
use crate::content::{self, ActionItem, Details, Item, Kind, LoadOptions};
use crate::diagnostics::Diagnostic;
use crate::i18n::Language;
use crate::slug::slugify;

/// What to create.
#[derive(Debug, Clone)]
pub struct NewOptions {
    pub kind: Kind,
    pub date: NaiveDate,
    pub title: Option<String>,
    /// The year of an annual report, or of an advice's file name.
    pub year: Option<i32>,
}

/// The file written and what went into it.
#[derive(Debug)]
pub struct Created {
    /// Where the file is, as the webmaster can open it.
    pub path: PathBuf,
    pub notes: Vec<String>,
}

/// The fixed texts of a new item in the site's language.
struct Words {
    /// The agenda points every meeting opens with, and those it closes with.
    agenda_start: [&'static str; 4],
    agenda_end: [&'static str; 2],
    annual_report: &'static str,
    addressed_to: &'static str,
    placeholder: &'static str,
    meeting_text: &'static str,
}

const DUTCH: Words = Words {
    agenda_start: [
        "Opening en mededelingen",
        "Vaststellen agenda",
        "Verslag vorige vergadering en actielijst",
        "Mededelingen en ingekomen stukken",
    ],
    agenda_end: ["Rondvraag", "Sluiting"],
    annual_report: "Jaarverslag",
    addressed_to: "College van burgemeester en wethouders",
    placeholder: "Schrijf hier de tekst.",
    meeting_text: "De vergadering is openbaar en iedereen is welkom.",
};

const ENGLISH: Words = Words {
    agenda_start: [
        "Opening and announcements",
        "Adoption of the agenda",
        "Minutes of the previous meeting and action list",
        "Announcements and incoming documents",
    ],
    agenda_end: ["Any other business", "Closing"],
    annual_report: "Annual report",
    addressed_to: "The municipal executive",
    placeholder: "Write the text here.",
    meeting_text: "The meeting is public and everyone is welcome.",
};

fn words(language: Language) -> &'static Words {
    match language {
        Language::Nl => &DUTCH,
        Language::En => &ENGLISH,
    }
}

/// Writes a new item into the site at `root`.
pub fn new_item(root: &Path, config: &Config, options: &NewOptions) -> Result<Created, Diagnostic> {
    let kind = options.kind;
    let relative = file_name(options)?;
    let shown = if root == Path::new(".") {
        relative.clone()
    } else {
        root.join(&relative)
    };
    let as_folder = root.join(relative.with_extension("")).join("index.md");
    if root.join(&relative).exists() || as_folder.exists() {
        return Err(already_exists(&shown).hint(format!(
            "edit the existing {} item, or give another --date or --title",
            kind.id()
        )));
    }
    let mut notes = Vec::new();
    let mut fm = FrontMatter::default();
    let w = words(config.language);
    let title = match (&options.title, kind) {
        (None, Kind::AnnualReport) => Some(format!("{} {}", w.annual_report, report_year(options))),
        (title, _) => title.clone(),
    };
    if let Some(title) = &title {
        fm.string("title", title);
    }
    if kind.is_dated() {
        fm.date("date", options.date);
    }
    fm.bare("draft", true);
    let body = match kind {
        Kind::Minutes => minutes(root, config, options.date, &mut fm, &mut notes),
        Kind::Meeting => {
            meeting(config, &mut fm);
            w.meeting_text.to_string()
        }
        Kind::Advice => {
            advice(config, &mut fm);
            w.placeholder.to_string()
        }
        Kind::AnnualReport => {
            let year = report_year(options);
            fm.bare("year", year);
            w.placeholder.to_string()
        }
        Kind::Page => {
            fm.bare("in_menu", false);
            w.placeholder.to_string()
        }
        Kind::News => w.placeholder.to_string(),
    };
    if kind != Kind::Page {
        policy_area_hint(config, &mut fm);
    }
    let text = fm.with_body(&body);
    write_new(&root.join(&relative), &shown, &text)?;
    Ok(Created { path: shown, notes })
}

/// The file under the site root, named the way the content format names each kind.
fn file_name(options: &NewOptions) -> Result<PathBuf, Diagnostic> {
    let kind = options.kind;
    if options.year.is_some() && !matches!(kind, Kind::AnnualReport | Kind::Advice) {
        return Err(Diagnostic::error(
            Path::new("content").join(kind.folder()),
            format!("--year does not apply to {}", kind.id()),
        )
        .hint("use --date YYYY-MM-DD to choose the date"));
    }
    let slug = options.title.as_deref().map(slugify).unwrap_or_default();
    let day = options.date.format("%Y-%m-%d");
    let needs_title = matches!(kind, Kind::News | Kind::Advice | Kind::Page);
    if needs_title && slug.is_empty() {
        return Err(Diagnostic::error(
            Path::new("content").join(kind.folder()),
            format!("{} needs a title to name its file after", kind.id()),
        )
        .hint(format!("quorum new {} --title \"...\"", kind.id())));
    }
    let name = match kind {
        Kind::Minutes | Kind::Meeting => format!("{day}.md"),
        Kind::News => format!("{day}-{slug}.md"),
        Kind::Advice => format!("{}-{slug}.md", options.year.unwrap_or(options.date.year())),
        Kind::AnnualReport => format!("{}.md", report_year(options)),
        Kind::Page => format!("{slug}.md"),
    };
    Ok(Path::new("content").join(kind.folder()).join(name))
}

/// An annual report is written early in the year about the year before.
fn report_year(options: &NewOptions) -> i32 {
    options.year.unwrap_or(options.date.year() - 1)
}

/// Front matter and agenda headings of new minutes.
fn minutes(
    root: &Path,
    config: &Config,
    date: NaiveDate,
    fm: &mut FrontMatter,
    notes: &mut Vec<String>,
) -> String {
    let loaded = content::load(
        root,
        config,
        LoadOptions {
            drafts: true,
            ..LoadOptions::default()
        },
        None,
    );
    if !loaded.failed.is_empty() {
        notes.push(format!(
            "{} content files have errors (run `quorum check`); actions in them were not carried over",
            loaded.failed.len()
        ));
    }
    let meeting = loaded.items.iter().find_map(|item| match &item.details {
        Details::Meeting(m) if item.date == Some(date) => Some(m),
        _ => None,
    });
    fm.string("status", "concept");
    let location = meeting
        .and_then(|m| m.location.clone())
        .or_else(|| config.council.meeting_place.clone());
    if let Some(location) = location {
        fm.string("location", &location);
    }
    for key in ["attendees", "absent", "guests"] {
        fm.strings(key, &[]);
    }
    let actions = open_actions(&loaded.items, date);
    if actions.is_empty() {
        fm.comment("actions = [{ id = \"A-1\", what = \"...\", who = \"...\", due = YYYY-MM-DD }]");
    } else {
        let ids: Vec<&str> = actions.iter().map(|a| a.id.as_str()).collect();
        let count = match actions.len() {
            1 => "1 open action".to_string(),
            n => format!("{n} open actions"),
        };
        notes.push(format!(
            "carried over {count} from earlier minutes: {}",
            ids.join(", ")
        ));
        fm.actions(&actions);
    }
    let agenda: Vec<&str> = meeting.map_or_else(Vec::new, |m| {
        m.agenda.iter().map(|point| point.title.as_str()).collect()
    });
    if meeting.is_some() {
        notes.push(format!(
            "took the agenda of the meeting of {}",
            date.format("%Y-%m-%d")
        ));
    }
    agenda_headings(words(config.language), &agenda)
}

/// The standard agenda with the meeting's own points in the middle, numbered headings.
fn agenda_headings(w: &Words, meeting_points: &[&str]) -> String {
    let standard: Vec<String> = w
        .agenda_start
        .iter()
        .chain(&w.agenda_end)
        .map(|t| slugify(t))
        .collect();
    let is_standard = |point: &str| {
        let slug = slugify(point);
        standard.iter().any(|s| s.contains(&slug))
    };
    let own = meeting_points.iter().copied().filter(|p| !is_standard(p));
    w.agenda_start
        .iter()
        .copied()
        .chain(own)
        .chain(w.agenda_end.iter().copied())
        .enumerate()
        .map(|(i, title)| format!("## {}. {title}\n", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The actions whose latest state, in minutes before `date`, is open.
pub fn open_actions(items: &[Item], date: NaiveDate) -> Vec<ActionItem> {
    let mut minutes: Vec<(NaiveDate, &[ActionItem])> = items
        .iter()
        .filter_map(|item| match (&item.details, item.date) {
            (Details::Minutes(m), Some(d)) if d < date => Some((d, m.actions.as_slice())),
            _ => None,
        })
        .collect();
    minutes.sort_by_key(|(d, _)| *d);
    let mut latest: Vec<ActionItem> = Vec::new();
    for action in minutes.iter().flat_map(|(_, actions)| actions.iter()) {
        match latest.iter_mut().find(|a| a.id == action.id) {
            Some(known) => *known = action.clone(),
            None => latest.push(action.clone()),
        }
    }
    latest.retain(|a| !a.done);
    latest
}

fn meeting(config: &Config, fm: &mut FrontMatter) {
    fm.string("start", "19:30").string("end", "21:30");
    if let Some(place) = &config.council.meeting_place {
        fm.string("location", place);
    }
    fm.string("status", "scheduled");
    let w = words(config.language);
    let agenda: Vec<content::AgendaItem> = w
        .agenda_start
        .iter()
        .chain(&w.agenda_end)
        .map(|title| content::AgendaItem {
            title: title.to_string(),
            description: None,
        })
        .collect();
    fm.agenda(&agenda);
}

fn advice(config: &Config, fm: &mut FrontMatter) {
    let w = words(config.language);
    let addressed_to = match &config.council.municipality {
        Some(place) if config.language == Language::Nl => format!("{} van {place}", w.addressed_to),
        Some(place) => format!("{} of {place}", w.addressed_to),
        None => w.addressed_to.to_string(),
    };
    fm.bare("solicited", true)
        .string("addressed_to", &addressed_to)
        .comment("requested_on = YYYY-MM-DD")
        .comment("reference = \"...\"")
        .comment("response = { date = YYYY-MM-DD, summary = \"...\" }");
}

/// A commented line listing the configured policy areas, so the keys are at hand.
fn policy_area_hint(config: &Config, fm: &mut FrontMatter) {
    fm.comment("topics = [\"...\"]");
    if !config.policy_areas.is_empty() {
        let keys: Vec<String> = config
            .policy_areas
            .keys()
            .map(|k| format!("\"{k}\""))
            .collect();
        fm.comment(&format!("policy_areas = [{}]", keys.join(", ")));
    }
}

impl fmt::Display for Created {
    /// The path written, what went into it, and how to publish it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.path.display())?;
        for note in &self.notes {
            writeln!(f, "  {note}")?;
        }
        writeln!(
            f,
            "  written as a draft: preview with `quorum build --drafts`, remove `draft = true` to publish"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(id: &str, done: bool) -> ActionItem {
        ActionItem {
            id: id.to_string(),
            what: format!("actie {id}"),
            who: None,
            due: None,
            done,
        }
    }

    #[test]
    fn agenda_points_of_the_meeting_go_between_the_standard_ones() {
        let text = agenda_headings(
            &DUTCH,
            &["Opening", "Armoedebeleid", "Ingekomen stukken", "Rondvraag"],
        );
        let headings: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            headings,
            [
                "## 1. Opening en mededelingen",
                "## 2. Vaststellen agenda",
                "## 3. Verslag vorige vergadering en actielijst",
                "## 4. Mededelingen en ingekomen stukken",
                "## 5. Armoedebeleid",
                "## 6. Rondvraag",
                "## 7. Sluiting",
            ]
        );
    }

    #[test]
    fn the_latest_minutes_decide_whether_an_action_is_open() {
        let minutes = |date: &str, actions: Vec<ActionItem>| Item {
            kind: Kind::Minutes,
            slug: date.to_string(),
            source: PathBuf::new(),
            title: String::new(),
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
            summary: None,
            topics: Vec::new(),
            policy_areas: Vec::new(),
            draft: false,
            attachments: Vec::new(),
            assets: Vec::new(),
            aliases: Vec::new(),
            extra: toml::Table::new(),
            details: Details::Minutes(content::Minutes {
                status: content::MinutesStatus::Concept,
                meeting: None,
                location: None,
                online: false,
                attendees: Vec::new(),
                absent: Vec::new(),
                guests: Vec::new(),
                actions,
            }),
            body: "".into(),
            body_line: 1,
            body_start: 0,
            source_len: 0,
            body_print: crate::fingerprint::of_text(""),
        };
        let items = [
            minutes("2021-11-09", vec![action("A1", false), action("A2", false)]),
            minutes("2021-12-14", vec![action("A1", true), action("A3", false)]),
            minutes("2022-01-11", vec![action("A3", true)]),
        ];
        let date = NaiveDate::from_ymd_opt(2022, 1, 11).unwrap();
        let open: Vec<String> = open_actions(&items, date)
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(open, ["A2", "A3"], "minutes of the day itself do not count");
    }
}
