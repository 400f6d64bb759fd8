//! The compact, ready-to-print data templates receive: dates already written out, links
//! already made, statuses already decided. Templates only lay it out.

use chrono::NaiveDate;
use serde::Serialize;

use crate::content::{Details, MeetingStatus, MinutesStatus};
use crate::markdown::Heading;
use crate::site::{AdviceStatus, Entry, Site};
use crate::slug::slugify;

/// A link with its text.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub href: String,
}

/// A date both machine-readable (for `<time datetime>`) and written out.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub long: String,
}

/// A status label; `tone` is for styling, the text carries the meaning.
#[derive(Debug, Clone, Serialize)]
pub struct Badge {
    pub text: String,
    pub tone: &'static str,
}

/// An item as shown in lists: enough to recognise it and follow the link.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub href: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub date: Option<DateView>,
    pub summary: String,
    pub badge: Option<Badge>,
}

/// A downloadable file with its type and size.
#[derive(Debug, Clone, Serialize)]
pub struct FileView {
    pub title: String,
    pub href: String,
    pub file_type: String,
    pub size: String,
}

/// Everything an item page shows.
#[derive(Debug, Serialize)]
pub struct ItemView<'a> {
    pub title: &'a str,
    pub href: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub date: Option<DateView>,
    pub summary: String,
    pub topics: Vec<Link>,
    pub policy_areas: Vec<Link>,
    pub attachments: Vec<FileView>,
    pub body: &'a str,
    pub toc: &'a [Heading],
    pub badge: Option<Badge>,
    pub details: DetailsView,
    pub extra: &'a toml::Table,
}

/// The fields only one kind has.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DetailsView {
    Minutes {
        approved_on: Option<DateView>,
        meeting: Option<String>,
        location: Option<String>,
        online: bool,
        attendees: Vec<String>,
        absent: Vec<String>,
        guests: Vec<String>,
        actions: Vec<ActionView>,
    },
    Meeting {
        start: Option<String>,
        end: Option<String>,
        location: Option<String>,
        online: Option<String>,
        moved_to: Option<DateView>,
        agenda: Vec<crate::content::AgendaItem>,
    },
    News {
        image: Option<ImageView>,
    },
    Advice {
        solicited: bool,
        addressed_to: Option<String>,
        requested_on: Option<DateView>,
        reference: Option<String>,
        response: Option<ResponseView>,
    },
    AnnualReport {
        year: i32,
    },
    Page,
}

/// One action of the action list.
#[derive(Debug, Serialize)]
pub struct ActionView {
    pub id: String,
    pub what: String,
    pub who: Option<String>,
    pub due: Option<DateView>,
    pub done: bool,
}

/// A news image.
#[derive(Debug, Serialize)]
pub struct ImageView {
    pub src: String,
    pub alt: String,
}

/// The municipality's response to an advice.
#[derive(Debug, Serialize)]
pub struct ResponseView {
    pub date: DateView,
    pub summary: Option<String>,
    pub file: Option<String>,
}

/// Makes views of entries for one site; holds what every view needs.
pub struct Views<'s> {
    pub site: &'s Site,
    strings: &'s toml::Table,
}

impl<'s> Views<'s> {
    /// Views for `site`, labelled with the theme's interface `strings`.
    pub fn new(site: &'s Site, strings: &'s toml::Table) -> Views<'s> {
        Views { site, strings }
    }

    /// An interface string, or its key when the theme lacks it.
    pub fn t(&self, key: &str) -> String {
        self.strings
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(key)
            .to_string()
    }

    /// A date for templates.
    pub fn date(&self, date: NaiveDate) -> DateView {
        DateView {
            iso: date.format("%Y-%m-%d").to_string(),
            long: self.site.config.language.long_date(date),
        }
    }

    /// The label of an item's kind, e.g. "Verslag".
    pub fn kind_label(&self, entry: &Entry) -> String {
        self.t(&format!("kind_{}", entry.item.kind.id().replace('-', "_")))
    }

    /// The item as a card in a list.
    pub fn card(&self, entry: &Entry) -> Card {
        let item = &entry.item;
        Card {
            title: item.title.clone(),
            href: self.site.href(&entry.path),
            kind: item.kind.id(),
            kind_label: self.kind_label(entry),
            date: item.date.map(|d| self.date(d)),
            summary: self.summary(entry),
            badge: self.badge(entry),
        }
    }

    fn summary(&self, entry: &Entry) -> String {
        entry
            .item
            .summary
            .clone()
            .unwrap_or_else(|| entry.body.first_paragraph.clone())
    }

    /// The status shown beside minutes, meetings and advice.
    pub fn badge(&self, entry: &Entry) -> Option<Badge> {
        let badge = |key: &str, tone| {
            Some(Badge {
                text: self.t(key),
                tone,
            })
        };
        match &entry.item.details {
            Details::Minutes(m) => match m.status {
                MinutesStatus::Concept => badge("status_concept", "pending"),
                MinutesStatus::Approved { .. } => badge("status_approved", "done"),
            },
            Details::Meeting(m) => match m.status {
                MeetingStatus::Cancelled => badge("status_cancelled", "warning"),
                MeetingStatus::Moved { .. } => badge("status_moved", "warning"),
                MeetingStatus::Scheduled => None,
            },
            Details::Advice(_) => match self.site.advice_status(entry)? {
                AdviceStatus::Answered => badge("status_answered", "done"),
                AdviceStatus::Overdue => badge("status_overdue", "warning"),
                AdviceStatus::Awaiting => badge("status_awaiting", "pending"),
            },
            _ => None,
        }
    }

    /// The full view of an item page.
    pub fn item(&self, entry: &'s Entry) -> ItemView<'s> {
        let item = &entry.item;
        let site = self.site;
        ItemView {
            title: &item.title,
            href: site.href(&entry.path),
            kind: item.kind.id(),
            kind_label: self.kind_label(entry),
            date: item.date.map(|d| self.date(d)),
            summary: self.summary(entry),
            topics: item
                .topics
                .iter()
                .map(|name| Link {
                    title: name.clone(),
                    href: site.href(&format!(
                        "{}{}/",
                        site.section_path(crate::i18n::UrlWord::Topics),
                        slugify(name)
                    )),
                })
                .collect(),
            policy_areas: item
                .policy_areas
                .iter()
                .map(|key| self.policy_area_link(key))
                .collect(),
            attachments: item
                .attachments
                .iter()
                .map(|a| FileView {
                    title: a.title.clone(),
                    href: site.href(&format!("{}{}", entry.path, a.file)),
                    file_type: file_type(&a.file),
                    size: self.size(a.size),
                })
                .collect(),
            body: &entry.body.html,
            toc: &entry.body.headings,
            badge: self.badge(entry),
            details: self.details(entry),
            extra: &item.extra,
        }
    }

    /// A link to a policy area's page, with its configured name.
    pub fn policy_area_link(&self, key: &str) -> Link {
        let site = self.site;
        Link {
            title: site
                .config
                .policy_areas
                .get(key)
                .map_or(key, |a| a.name())
                .to_string(),
            href: site.href(&format!(
                "{}{}/",
                site.section_path(crate::i18n::UrlWord::PolicyAreas),
                key
            )),
        }
    }

    fn details(&self, entry: &Entry) -> DetailsView {
        let asset = |file: &str| self.site.href(&format!("{}{}", entry.path, file));
        match &entry.item.details {
            Details::Minutes(m) => DetailsView::Minutes {
                approved_on: match m.status {
                    MinutesStatus::Approved { on } => on.map(|d| self.date(d)),
                    MinutesStatus::Concept => None,
                },
                meeting: m.meeting.clone(),
                location: m.location.clone(),
                online: m.online,
                attendees: m.attendees.clone(),
                absent: m.absent.clone(),
                guests: m.guests.clone(),
                actions: m
                    .actions
                    .iter()
                    .map(|a| ActionView {
                        id: a.id.clone(),
                        what: a.what.clone(),
                        who: a.who.clone(),
                        due: a.due.map(|d| self.date(d)),
                        done: a.done,
                    })
                    .collect(),
            },
            Details::Meeting(m) => DetailsView::Meeting {
                start: m.start.map(|t| t.format("%H:%M").to_string()),
                end: m.end.map(|t| t.format("%H:%M").to_string()),
                location: m.location.clone(),
                online: m.online.clone(),
                moved_to: match m.status {
                    MeetingStatus::Moved { to } => Some(self.date(to)),
                    _ => None,
                },
                agenda: m.agenda.clone(),
            },
            Details::News(n) => DetailsView::News {
                image: n.image.as_ref().map(|i| ImageView {
                    src: asset(&i.file),
                    alt: i.alt.clone(),
                }),
            },
            Details::Advice(a) => DetailsView::Advice {
                solicited: a.solicited,
                addressed_to: a.addressed_to.clone(),
                requested_on: a.requested_on.map(|d| self.date(d)),
                reference: a.reference.clone(),
                response: a.response.as_ref().map(|r| ResponseView {
                    date: self.date(r.date),
                    summary: r.summary.clone(),
                    file: r.file.as_deref().map(asset),
                }),
            },
            Details::AnnualReport(r) => DetailsView::AnnualReport { year: r.year },
            Details::Page(_) => DetailsView::Page,
        }
    }

    /// A file size for readers: "245 kB", "1,2 MB" (decimal comma in Dutch).
    pub fn size(&self, bytes: u64) -> String {
        let text = if bytes < 1000 {
            format!("{bytes} B")
        } else if bytes < 1_000_000 {
            format!("{} kB", (bytes + 500) / 1000)
        } else {
            format!("{:.1} MB", bytes as f64 / 1_000_000.0)
        };
        match self.site.config.language {
            crate::i18n::Language::Nl => text.replace('.', ","),
            crate::i18n::Language::En => text,
        }
    }
}

/// The file type readers recognise, from the extension: "PDF", "DOCX".
pub fn file_type(file: &str) -> String {
    match file.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() && !ext.contains('/') => ext.to_uppercase(),
        _ => "?".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::file_type;

    #[test]
    fn file_types_from_extensions() {
        assert_eq!(file_type("verslag.pdf"), "PDF");
        assert_eq!(file_type("map/brief.Docx"), "DOCX");
        assert_eq!(file_type("LEESMIJ"), "?");
    }
}
