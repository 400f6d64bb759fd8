//! The compact, ready-to-print data templates receive: dates already written out, links
//! already made, statuses already decided. Templates only lay it out.

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Details, MeetingStatus, MinutesStatus};
use crate::fingerprint::Memoized;
use crate::i18n::{UrlWord, iso_date};
use crate::markdown::{BodyHtml, Heading, Rendered};
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

/// An item as shown in lists: enough to recognise it and follow the link. Lists show
/// each card many times, so in their fingerprints it stands for its own.
pub type Card = Memoized<CardFields>;

/// What a [`Card`] shows.
#[derive(Debug, Clone, Serialize)]
pub struct CardFields {
    pub title: String,
    pub href: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub date: Option<DateView>,
    pub summary: String,
    pub badge: Option<Badge>,
    pub policy_areas: Vec<Link>,
    /// Register columns, for advice only.
    pub advice: Option<AdviceRow>,
}

/// What the advice register shows of an advice beyond its card.
#[derive(Debug, Clone, Serialize)]
pub struct AdviceRow {
    pub solicited: bool,
    pub type_label: String,
    pub addressed_to: Option<String>,
    pub reference: Option<String>,
    pub status: &'static str,
    /// "Beantwoord na 35 dagen", "Wacht 12 dagen op reactie".
    pub status_text: String,
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
    pub summary: &'a str,
    pub topics: Vec<Link>,
    pub policy_areas: &'a [Link],
    pub attachments: Vec<FileView>,
    pub body: BodyHtml<'a>,
    pub toc: &'a [Heading],
    pub badge: Option<&'a Badge>,
    pub details: DetailsView,
    /// Items whose text links here ("genoemd in").
    pub mentioned_in: Vec<&'a Card>,
    /// Items that share topics or policy areas.
    pub related: Vec<&'a Card>,
    pub extra: &'a toml::Table,
}

/// The fields only one kind has.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DetailsView {
    Minutes {
        approved_on: Option<DateView>,
        /// The minutes of the meeting that approved these.
        approved_in: Option<String>,
        meeting_page: Option<String>,
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
        minutes: Option<String>,
        upcoming: bool,
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
        status: &'static str,
        status_text: String,
        timeline: Vec<Step>,
    },
    AnnualReport {
        year: i32,
        figures: Figures,
    },
    Page,
}

/// One action of the action list on a minutes page.
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

/// A step of an advice's timeline: request, advice, response.
#[derive(Debug, Serialize)]
pub struct Step {
    pub date: Option<DateView>,
    pub label: String,
    pub text: Option<String>,
    pub done: bool,
}

/// What an annual report adds to its text: counts computed from the year's content.
#[derive(Debug, Serialize)]
pub struct Figures {
    pub meetings: Vec<Link>,
    pub advice_solicited: usize,
    pub advice_unsolicited: usize,
    pub advice: Vec<Link>,
    /// Average days the municipality took to respond to the year's answered advice.
    pub average_response_days: Option<i64>,
    pub news: Vec<Link>,
}

/// Makes views of entries for one site; holds what every view needs.
pub struct Views<'s> {
    pub site: &'s Site,
    strings: &'s toml::Table,
    /// One card per entry, made once: lists show the same cards many times.
    cards: Vec<Card>,
}

impl<'s> Views<'s> {
    /// Views for `site`, labelled with the theme's interface `strings`.
    pub fn new(site: &'s Site, strings: &'s toml::Table) -> Views<'s> {
        let mut views = Views {
            site,
            strings,
            cards: Vec::new(),
        };
        let cards = site
            .entries
            .par_iter()
            .map(|entry| views.make_card(entry))
            .collect();
        views.cards = cards;
        views
    }

    /// Views of `site` with the cards of a previous `Views` of it (see
    /// [`Views::into_cards`]), whose entries must look the same on cards.
    pub fn with_cards(site: &'s Site, strings: &'s toml::Table, cards: Vec<Card>) -> Views<'s> {
        debug_assert_eq!(cards.len(), site.entries.len());
        Views {
            site,
            strings,
            cards,
        }
    }

    /// The card of every entry, to make the next `Views` of the same site with.
    pub fn into_cards(self) -> Vec<Card> {
        self.cards
    }

    /// An interface string, or its key when the theme lacks it.
    pub fn t(&self, key: &str) -> String {
        self.strings
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(key)
            .to_string()
    }

    /// An interface string with `{days}` (and `{term}`) filled in.
    fn t_days(&self, key: &str, days: i64) -> String {
        self.t(key).replace("{days}", &days.to_string()).replace(
            "{term}",
            &self.site.config.advice.response_term_days.to_string(),
        )
    }

    /// A date for templates.
    pub fn date(&self, date: NaiveDate) -> DateView {
        DateView {
            iso: iso_date(date),
            long: self.site.config.language.long_date(date),
        }
    }

    /// The label of an item's kind, e.g. "Verslag".
    pub fn kind_label(&self, entry: &Entry) -> String {
        self.t(&format!("kind_{}", entry.item.kind.id().replace('-', "_")))
    }

    /// The card of entry `index`.
    pub fn card(&self, index: usize) -> &Card {
        &self.cards[index]
    }

    /// Makes the card of entry `index` again, after an edit to what it shows.
    pub fn refresh_card(&mut self, index: usize) {
        self.cards[index] = self.make_card(&self.site.entries[index]);
    }

    fn make_card(&self, entry: &Entry) -> Card {
        let item = &entry.item;
        Memoized::new(CardFields {
            title: item.title.clone(),
            href: self.site.href(&entry.path),
            kind: item.kind.id(),
            kind_label: self.kind_label(entry),
            date: item.date.map(|d| self.date(d)),
            summary: item
                .summary
                .clone()
                .unwrap_or_else(|| entry.body.first_paragraph.clone()),
            badge: self.badge(entry),
            policy_areas: item
                .policy_areas
                .iter()
                .map(|key| self.policy_area_link(key))
                .collect(),
            advice: self.advice_row(entry),
        })
    }

    fn advice_row(&self, entry: &Entry) -> Option<AdviceRow> {
        let Details::Advice(advice) = &entry.item.details else {
            return None;
        };
        let status = self.site.advice_status(entry)?;
        Some(AdviceRow {
            solicited: advice.solicited,
            type_label: self.t(if advice.solicited {
                "solicited"
            } else {
                "unsolicited"
            }),
            addressed_to: advice.addressed_to.clone(),
            reference: advice.reference.clone(),
            status: status.id(),
            status_text: self.status_text(status),
        })
    }

    /// The status of an advice in a sentence, with its number of days.
    pub fn status_text(&self, status: AdviceStatus) -> String {
        match status {
            AdviceStatus::Answered { days } => self.t_days("answered_after", days),
            AdviceStatus::Awaiting { days } => self.t_days("awaiting_for", days),
            AdviceStatus::Overdue { days } => self.t_days("overdue_by", days),
        }
    }

    /// The status shown beside minutes, meetings and advice.
    fn badge(&self, entry: &Entry) -> Option<Badge> {
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
                AdviceStatus::Answered { .. } => badge("status_answered", "done"),
                AdviceStatus::Awaiting { .. } => badge("status_awaiting", "pending"),
                AdviceStatus::Overdue { .. } => badge("status_overdue", "warning"),
            },
            _ => None,
        }
    }

    /// The full view of the page of entry `index`, whose body is `body` (see
    /// [`Site::body`]).
    pub fn item<'v>(&'v self, index: usize, body: &'v Rendered) -> ItemView<'v> {
        let site = self.site;
        let entry = &site.entries[index];
        let card = &self.cards[index];
        let item = &entry.item;
        ItemView {
            title: &item.title,
            href: card.href.clone(),
            kind: item.kind.id(),
            kind_label: card.kind_label.clone(),
            date: card.date.clone(),
            summary: &card.summary,
            topics: item
                .topics
                .iter()
                .map(|name| Link {
                    title: name.clone(),
                    href: site.href(&format!(
                        "{}{}/",
                        site.section_path(UrlWord::Topics),
                        slugify(name)
                    )),
                })
                .collect(),
            policy_areas: &card.policy_areas,
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
            body: body.html_for_page(),
            toc: &body.headings,
            badge: card.badge.as_ref(),
            details: self.details(entry),
            mentioned_in: site.mentioned_in[index]
                .iter()
                .map(|&i| &self.cards[i])
                .collect(),
            related: site.related[index]
                .iter()
                .map(|&i| &self.cards[i])
                .collect(),
            extra: &item.extra,
        }
    }

    /// The configured name of a policy area, or its key if it has none.
    pub fn policy_area_name<'k>(&self, key: &'k str) -> &'k str
    where
        's: 'k,
    {
        (self.site.config.policy_areas.get(key)).map_or(key, |a| a.name())
    }

    /// A link to a policy area's page, with its configured name.
    pub fn policy_area_link(&self, key: &str) -> Link {
        let site = self.site;
        Link {
            title: self.policy_area_name(key).to_string(),
            href: site.href(&format!(
                "{}{}/",
                site.section_path(UrlWord::PolicyAreas),
                key
            )),
        }
    }

    /// A link to the entry at `index`.
    pub fn link(&self, index: usize) -> Link {
        let card = &self.cards[index];
        Link {
            title: card.title.clone(),
            href: card.href.clone(),
        }
    }

    fn details(&self, entry: &Entry) -> DetailsView {
        let site = self.site;
        let asset = |file: &str| site.href(&format!("{}{}", entry.path, file));
        let page_on = |date: Option<NaiveDate>| {
            date.and_then(|d| site.minutes_by_date.get(&d))
                .map(|&i| self.cards[i].href.clone())
        };
        match &entry.item.details {
            Details::Minutes(m) => {
                let approved_on = match m.status {
                    MinutesStatus::Approved { on } => on,
                    MinutesStatus::Concept => None,
                };
                DetailsView::Minutes {
                    approved_on: approved_on.map(|d| self.date(d)),
                    approved_in: page_on(approved_on),
                    meeting_page: site
                        .meeting_on(entry.item.date)
                        .map(|i| self.cards[i].href.clone()),
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
                }
            }
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
                minutes: page_on(entry.item.date),
                upcoming: entry.item.date.is_some_and(|d| d >= site.today),
            },
            Details::News(n) => DetailsView::News {
                image: n.image.as_ref().map(|i| ImageView {
                    src: asset(&i.file),
                    alt: i.alt.clone(),
                }),
            },
            Details::Advice(a) => {
                let status = site.advice_status(entry);
                let response = a.response.as_ref().map(|r| ResponseView {
                    date: self.date(r.date),
                    summary: r.summary.clone(),
                    file: r.file.as_deref().map(asset),
                });
                DetailsView::Advice {
                    solicited: a.solicited,
                    addressed_to: a.addressed_to.clone(),
                    requested_on: a.requested_on.map(|d| self.date(d)),
                    reference: a.reference.clone(),
                    timeline: self.timeline(entry.item.date, a),
                    response,
                    status: status.map_or("", AdviceStatus::id),
                    status_text: status.map(|s| self.status_text(s)).unwrap_or_default(),
                }
            }
            Details::AnnualReport(r) => DetailsView::AnnualReport {
                year: r.year,
                figures: self.figures(r.year),
            },
            Details::Page(_) => DetailsView::Page,
        }
    }

    /// Request → advice → response, with the response still to come when there is none.
    fn timeline(&self, sent: Option<NaiveDate>, advice: &crate::content::Advice) -> Vec<Step> {
        let mut steps = Vec::new();
        if let Some(requested) = advice.requested_on {
            steps.push(Step {
                date: Some(self.date(requested)),
                label: self.t("step_requested"),
                text: None,
                done: true,
            });
        }
        steps.push(Step {
            date: sent.map(|d| self.date(d)),
            label: self.t("step_sent"),
            text: advice.addressed_to.clone(),
            done: true,
        });
        match &advice.response {
            Some(response) => steps.push(Step {
                date: Some(self.date(response.date)),
                label: self.t("step_response"),
                text: response.summary.clone(),
                done: true,
            }),
            None => {
                let due = sent.map(|d| {
                    d + chrono::Days::new(u64::from(self.site.config.advice.response_term_days))
                });
                steps.push(Step {
                    date: due.map(|d| self.date(d)),
                    label: self.t("step_response_due"),
                    text: None,
                    done: false,
                });
            }
        }
        steps
    }

    /// Counts and links computed from everything dated in `year`.
    fn figures(&self, year: i32) -> Figures {
        let site = self.site;
        let of_year: &[usize] = site.years.get(&year).map_or(&[], Vec::as_slice);
        let of_kind = |kind| {
            of_year
                .iter()
                .copied()
                .filter(move |&i| site.entries[i].item.kind == kind)
        };
        let advice: Vec<usize> = of_kind(crate::content::Kind::Advice).collect();
        let solicited = advice
            .iter()
            .filter(
                |&&i| matches!(&site.entries[i].item.details, Details::Advice(a) if a.solicited),
            )
            .count();
        let response_days: Vec<i64> = advice
            .iter()
            .filter_map(|&i| match site.advice_status(&site.entries[i]) {
                Some(AdviceStatus::Answered { days }) => Some(days),
                _ => None,
            })
            .collect();
        let average = (!response_days.is_empty()).then(|| {
            (response_days.iter().sum::<i64>() as f64 / response_days.len() as f64).round() as i64
        });
        Figures {
            meetings: of_kind(crate::content::Kind::Minutes)
                .rev()
                .map(|i| self.link(i))
                .collect(),
            advice_solicited: solicited,
            advice_unsolicited: advice.len() - solicited,
            advice: advice.iter().rev().map(|&i| self.link(i)).collect(),
            average_response_days: average,
            news: of_kind(crate::content::Kind::News)
                .rev()
                .map(|i| self.link(i))
                .collect(),
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
