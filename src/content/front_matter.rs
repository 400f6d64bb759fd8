//! The front matter of each content kind, exactly as the webmaster writes it.
//!
//! Every kind has its own struct with `deny_unknown_fields`, so a typo is an error with a
//! hint instead of a field that silently vanishes. The fields every kind shares are added
//! by one macro so the structs cannot drift apart.

use serde::Deserialize;
use toml::Spanned;

use super::values::{Date, TimeOfDay};

/// A file attached to an item, relative to the item's folder.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    pub file: Spanned<String>,
    pub title: Option<String>,
}

macro_rules! front_matter {
    ($(#[$doc:meta])* $name:ident { $($(#[$attr:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub title: Option<Spanned<String>>,
            pub date: Option<Spanned<Date>>,
            pub summary: Option<String>,
            #[serde(default)]
            pub topics: Vec<Spanned<String>>,
            #[serde(default)]
            pub policy_areas: Vec<Spanned<String>>,
            #[serde(default)]
            pub draft: bool,
            #[serde(default)]
            pub attachments: Vec<AttachmentRef>,
            #[serde(default)]
            pub aliases: Vec<Spanned<String>>,
            #[serde(default)]
            pub extra: toml::Table,
            $($(#[$attr])* pub $field: $ty,)*
        }

        impl $name {
            /// Moves the fields every kind shares out of the kind-specific ones.
            pub fn split_common(&mut self) -> Common {
                Common {
                    title: self.title.take(),
                    date: self.date.take(),
                    summary: self.summary.take(),
                    topics: std::mem::take(&mut self.topics),
                    policy_areas: std::mem::take(&mut self.policy_areas),
                    draft: self.draft,
                    attachments: std::mem::take(&mut self.attachments),
                    aliases: std::mem::take(&mut self.aliases),
                    extra: std::mem::take(&mut self.extra),
                }
            }
        }
    };
}

/// The fields every kind shares.
#[derive(Debug, Default)]
pub struct Common {
    pub title: Option<Spanned<String>>,
    pub date: Option<Spanned<Date>>,
    pub summary: Option<String>,
    pub topics: Vec<Spanned<String>>,
    pub policy_areas: Vec<Spanned<String>>,
    pub draft: bool,
    pub attachments: Vec<AttachmentRef>,
    pub aliases: Vec<Spanned<String>>,
    pub extra: toml::Table,
}

/// Whether minutes are still a draft text or approved by a later meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MinutesStatusField {
    Concept,
    Approved,
}

/// One entry of the action list carried from meeting to meeting.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionField {
    pub id: Option<Spanned<String>>,
    pub what: String,
    pub who: Option<String>,
    pub due: Option<Date>,
    #[serde(default)]
    pub done: bool,
}

front_matter! {
    /// Front matter of `content/minutes/*.md`.
    MinutesFrontMatter {
        status: Option<Spanned<MinutesStatusField>>,
        approved_on: Option<Spanned<Date>>,
        meeting: Option<String>,
        location: Option<String>,
        #[serde(default)]
        online: bool,
        #[serde(default)]
        attendees: Vec<String>,
        #[serde(default)]
        absent: Vec<String>,
        #[serde(default)]
        guests: Vec<String>,
        #[serde(default)]
        actions: Vec<Spanned<ActionField>>,
    }
}

/// The municipality's answer to an advice.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseField {
    pub date: Spanned<Date>,
    pub summary: Option<String>,
    pub file: Option<Spanned<String>>,
}

front_matter! {
    /// Front matter of `content/advice/*.md`.
    AdviceFrontMatter {
        solicited: Option<bool>,
        addressed_to: Option<String>,
        requested_on: Option<Spanned<Date>>,
        reference: Option<String>,
        response: Option<Spanned<ResponseField>>,
    }
}

front_matter! {
    /// Front matter of `content/news/*.md`.
    NewsFrontMatter {
        image: Option<Spanned<String>>,
        image_alt: Option<String>,
    }
}

front_matter! {
    /// Front matter of `content/annual-reports/*.md`.
    AnnualReportFrontMatter {
        year: Option<Spanned<i32>>,
    }
}

front_matter! {
    /// Front matter of `content/pages/*.md`.
    PageFrontMatter {
        #[serde(default)]
        weight: i32,
        #[serde(default)]
        in_menu: bool,
        #[serde(default)]
        in_footer: bool,
    }
}

/// Whether a scheduled meeting takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MeetingStatusField {
    Scheduled,
    Cancelled,
    Moved,
}

/// One point on a meeting's agenda.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    pub title: String,
    pub description: Option<String>,
}

front_matter! {
    /// Front matter of `content/meetings/*.md`.
    MeetingFrontMatter {
        start: Option<TimeOfDay>,
        end: Option<TimeOfDay>,
        location: Option<String>,
        online: Option<String>,
        status: Option<Spanned<MeetingStatusField>>,
        moved_to: Option<Spanned<Date>>,
        #[serde(default)]
        agenda: Vec<AgendaItem>,
    }
}
