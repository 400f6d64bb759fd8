//! Content: the webmaster's Markdown files, loaded into typed, validated items.
//!
//! The loader knows files and front matter; it knows nothing of templates or URLs
//! beyond each item's slug.

mod front_matter;
mod load;
mod parse;
pub mod values;

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};

pub use front_matter::AgendaItem;
pub use load::{
    ItemCache, LoadOptions, Loaded, Stamp, is_ignored, load, load_file, read_text, reread, stamp,
};

/// Parses the text of one content file of `kind` as if it were
/// `content/<folder>/<slug>.md`, without touching the disk (so no attachment exists);
/// for tools and fuzzing.
pub fn parse_text(
    kind: Kind,
    slug: &str,
    text: &str,
    config: &crate::config::Config,
) -> Result<Item, Vec<crate::diagnostics::Diagnostic>> {
    let source = parse::SourceFile {
        kind,
        slug: slug.to_string(),
        relative: PathBuf::from("content")
            .join(kind.folder())
            .join(format!("{slug}.md")),
        folder: None,
        assets: Vec::new(),
    };
    parse::parse_item(source, text, config)
}

/// What kind of document an item is; the folder under `content/` decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Minutes,
    Meeting,
    News,
    Advice,
    AnnualReport,
    Page,
}

impl Kind {
    /// Every kind, in the order sections are shown.
    pub const ALL: [Kind; 6] = [
        Kind::Minutes,
        Kind::Meeting,
        Kind::News,
        Kind::Advice,
        Kind::AnnualReport,
        Kind::Page,
    ];

    /// The folder under `content/` that holds this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Minutes => "minutes",
            Kind::Meeting => "meetings",
            Kind::News => "news",
            Kind::Advice => "advice",
            Kind::AnnualReport => "annual-reports",
            Kind::Page => "pages",
        }
    }

    /// The kind stored in a folder of `content/`.
    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    /// A stable English identifier used in templates, CSS classes and open data.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Minutes => "minutes",
            Kind::Meeting => "meeting",
            Kind::News => "news",
            Kind::Advice => "advice",
            Kind::AnnualReport => "annual-report",
            Kind::Page => "page",
        }
    }

    /// Whether items of this kind must have a date.
    pub fn is_dated(self) -> bool {
        self != Kind::Page
    }
}

/// One content file (or folder with `index.md`), parsed and validated.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: Kind,
    /// The last part of the URL, from the file or folder name.
    pub slug: String,
    /// The Markdown file, relative to the site root.
    pub source: PathBuf,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub summary: Option<String>,
    pub topics: Vec<String>,
    /// Keys of `[policy_areas]`, checked against the configuration.
    pub policy_areas: Vec<String>,
    pub draft: bool,
    pub attachments: Vec<Attachment>,
    /// Other files of a folder item, copied beside its page.
    pub assets: Vec<Asset>,
    pub aliases: Vec<String>,
    pub extra: toml::Table,
    pub details: Details,
    /// The Markdown text after the front matter.
    /// Shared, so the loader cache of `quorum serve` hands it out without copying.
    pub body: std::sync::Arc<str>,
    /// 1-based line of the source file where `body` starts, for error messages.
    pub body_line: usize,
    /// Byte offset of `body` in the source file, to read it again (see `Site::body`).
    pub body_start: usize,
    /// The length of the source file, which `body` ends.
    pub source_len: usize,
    /// The fingerprint of `body`, which stays with an item kept without it (see
    /// [`Item::without_body`]).
    pub body_print: crate::fingerprint::Fingerprint,
}

impl Item {
    /// The actions of minutes; none for other kinds.
    pub fn actions(&self) -> &[ActionItem] {
        match &self.details {
            Details::Minutes(minutes) => &minutes.actions,
            _ => &[],
        }
    }

    /// This item without its body's text, which [`Item::holds_body`] then tells, to be
    /// read again from its file if needed: the item cache of `quorum serve` keeps items
    /// so, as `serve` keeps every body rendered.
    pub fn without_body(&self) -> Item {
        Item {
            body: std::sync::Arc::from(""),
            ..self.clone()
        }
    }

    /// Whether `body` holds the body's text (see [`Item::without_body`]).
    pub fn holds_body(&self) -> bool {
        self.body_start + self.body.len() == self.source_len
    }
}

/// A file offered for download with an item.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// File name as published, relative to the item's page.
    pub file: String,
    pub title: String,
    pub size: u64,
    /// Absolute path of the file to copy.
    pub path: PathBuf,
}

/// A file that sits in a folder item (an image, a PDF) and is copied beside its page.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the item's folder, with `/` separators.
    pub name: String,
    pub path: PathBuf,
}

/// What only one kind has.
#[derive(Debug, Clone)]
pub enum Details {
    Minutes(Minutes),
    Meeting(Meeting),
    News(News),
    Advice(Advice),
    AnnualReport(AnnualReport),
    Page(Page),
}

/// Meeting minutes ("verslag", "notulen").
#[derive(Debug, Clone)]
pub struct Minutes {
    pub status: MinutesStatus,
    pub meeting: Option<String>,
    pub location: Option<String>,
    pub online: bool,
    pub attendees: Vec<String>,
    pub absent: Vec<String>,
    pub guests: Vec<String>,
    pub actions: Vec<ActionItem>,
}

/// Draft minutes, or minutes approved at a later meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesStatus {
    Concept,
    Approved { on: Option<NaiveDate> },
}

/// One action on the action list ("actielijst"), identified by `id` across minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub id: String,
    pub what: String,
    pub who: Option<String>,
    pub due: Option<NaiveDate>,
    pub done: bool,
}

/// A scheduled meeting with its agenda.
#[derive(Debug, Clone)]
pub struct Meeting {
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub location: Option<String>,
    pub online: Option<String>,
    pub status: MeetingStatus,
    pub agenda: Vec<AgendaItem>,
}

/// Whether a meeting takes place as planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingStatus {
    Scheduled,
    Cancelled,
    Moved { to: NaiveDate },
}

/// A news item.
#[derive(Debug, Clone)]
pub struct News {
    pub image: Option<Image>,
}

/// An image with its required text alternative.
#[derive(Debug, Clone)]
pub struct Image {
    pub file: String,
    pub alt: String,
}

/// An advice to the municipality, requested or unsolicited.
#[derive(Debug, Clone)]
pub struct Advice {
    pub solicited: bool,
    pub addressed_to: Option<String>,
    pub requested_on: Option<NaiveDate>,
    pub reference: Option<String>,
    pub response: Option<Response>,
}

/// The municipality's response to an advice.
#[derive(Debug, Clone)]
pub struct Response {
    pub date: NaiveDate,
    pub summary: Option<String>,
    /// An attachment of the advice holding the response letter.
    pub file: Option<String>,
}

/// A yearly report.
#[derive(Debug, Clone)]
pub struct AnnualReport {
    pub year: i32,
}

/// A free page: about, members, contact.
#[derive(Debug, Clone)]
pub struct Page {
    /// Order in the menu and footer, lowest first.
    pub weight: i32,
    pub in_menu: bool,
    pub in_footer: bool,
}
