//! The compact, ready-to-print data templates receive: dates already written out, links
//! already made, statuses already decided. Templates only lay it out.

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use smallvec::SmallVec;

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

/// What a [`Card`] shows. Its text is kept in one allocation, part after part: a list
/// page or an item's related items show cards from all over the site, and a card read
/// from a few neighbouring cache lines (asked for ahead, see [`CardFields::prefetch`])
/// instead of a dozen scattered strings took about 5% off a 10,000-item build
/// (docs/benchmarks.md, fifteenth session). Templates, JSON and fingerprints see the
/// fields a derived `Serialize` would give.
#[derive(Debug, Clone)]
pub struct CardFields {
    /// The parts, in the order of the `Part` constants, then each policy area's name
    /// and address.
    text: Box<str>,
    /// Where each part ends in `text`.
    ends: SmallVec<[u32; POLICY_AREAS + 4]>,
    pub kind: &'static str,
    has_date: bool,
    badge_tone: Option<&'static str>,
    advice: Option<AdviceFacts>,
}

/// Which part of a card's text: see [`CardFields::part`].
type Part = usize;
const TITLE: Part = 0;
const HREF: Part = 1;
const KIND_LABEL: Part = 2;
const SUMMARY: Part = 3;
const DATE_ISO: Part = 4;
const DATE_LONG: Part = 5;
const BADGE_TEXT: Part = 6;
const ADVICE_TYPE_LABEL: Part = 7;
const ADVICE_ADDRESSED_TO: Part = 8;
const ADVICE_REFERENCE: Part = 9;
const ADVICE_STATUS_TEXT: Part = 10;
/// The first policy area's name; its address follows, then the next area's.
const POLICY_AREAS: Part = 11;

/// What the advice register shows of an advice beyond its card, but for its text.
#[derive(Debug, Clone, Copy)]
struct AdviceFacts {
    solicited: bool,
    status: &'static str,
    addressed_to: bool,
    reference: bool,
}

/// What the advice register shows of an advice beyond its card.
#[derive(Debug, Clone)]
pub struct AdviceRow {
    pub solicited: bool,
    pub type_label: String,
    pub addressed_to: Option<String>,
    pub reference: Option<String>,
    pub status: &'static str,
    /// "Beantwoord na 35 dagen", "Wacht 12 dagen op reactie".
    pub status_text: String,
}

/// The parts of a card, to make it from.
struct CardParts<'a> {
    title: &'a str,
    href: &'a str,
    kind: &'static str,
    kind_label: &'a str,
    date: Option<&'a DateView>,
    summary: &'a str,
    badge: Option<&'a Badge>,
    policy_areas: &'a [Link],
    advice: Option<&'a AdviceRow>,
}

impl CardFields {
    fn new(parts: CardParts<'_>) -> CardFields {
        let (date, badge, advice) = (parts.date, parts.badge, parts.advice);
        let texts = [
            parts.title,
            parts.href,
            parts.kind_label,
            parts.summary,
            date.map_or("", |d| &d.iso),
            date.map_or("", |d| &d.long),
            badge.map_or("", |b| &b.text),
            advice.map_or("", |a| &a.type_label),
            advice.and_then(|a| a.addressed_to.as_deref()).unwrap_or(""),
            advice.and_then(|a| a.reference.as_deref()).unwrap_or(""),
            advice.map_or("", |a| &a.status_text),
        ];
        let areas = parts.policy_areas.iter();
        let all = texts
            .into_iter()
            .chain(areas.flat_map(|link| [link.title.as_str(), link.href.as_str()]));
        let mut text = String::with_capacity(all.clone().map(str::len).sum());
        let mut ends = SmallVec::new();
        for part in all {
            text.push_str(part);
            ends.push(u32::try_from(text.len()).expect("a card's text is under 4 GiB"));
        }
        CardFields {
            text: text.into_boxed_str(),
            ends,
            kind: parts.kind,
            has_date: date.is_some(),
            badge_tone: badge.map(|b| b.tone),
            advice: advice.map(|a| AdviceFacts {
                solicited: a.solicited,
                status: a.status,
                addressed_to: a.addressed_to.is_some(),
                reference: a.reference.is_some(),
            }),
        }
    }

    /// Asks the processor for this card's text ahead of use: the cards a page shows
    /// come from all over memory, and their misses overlap when asked for together.
    pub fn prefetch(&self) {
        #[cfg(target_arch = "x86_64")]
        for at in (0..self.text.len()).step_by(64) {
            // SAFETY: `at` is within the text; prefetching is only a hint and never faults.
            unsafe {
                use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
                _mm_prefetch::<_MM_HINT_T0>(self.text.as_ptr().add(at).cast());
            }
        }
    }

    fn part(&self, part: Part) -> &str {
        let start = part.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.text[start as usize..self.ends[part] as usize]
    }

    pub fn title(&self) -> &str {
        self.part(TITLE)
    }

    pub fn href(&self) -> &str {
        self.part(HREF)
    }

    pub fn kind_label(&self) -> &str {
        self.part(KIND_LABEL)
    }

    pub fn summary(&self) -> &str {
        self.part(SUMMARY)
    }

    pub fn date(&self) -> Option<DateRef<'_>> {
        self.has_date.then(|| DateRef {
            iso: self.part(DATE_ISO),
            long: self.part(DATE_LONG),
        })
    }

    pub fn badge(&self) -> Option<BadgeRef<'_>> {
        self.badge_tone.map(|tone| BadgeRef {
            text: self.part(BADGE_TEXT),
            tone,
        })
    }

    /// The item's policy areas, linked.
    pub fn policy_areas(&self) -> PolicyAreas<'_> {
        PolicyAreas(self)
    }

    fn advice(&self) -> Option<AdviceRef<'_>> {
        self.advice.map(|facts| AdviceRef {
            solicited: facts.solicited,
            type_label: self.part(ADVICE_TYPE_LABEL),
            addressed_to: facts.addressed_to.then(|| self.part(ADVICE_ADDRESSED_TO)),
            reference: facts.reference.then(|| self.part(ADVICE_REFERENCE)),
            status: facts.status,
            status_text: self.part(ADVICE_STATUS_TEXT),
        })
    }
}

impl Serialize for CardFields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// The fields of a card as they were when it kept a string for each.
        #[derive(Serialize)]
        struct Fields<'a> {
            title: &'a str,
            href: &'a str,
            kind: &'static str,
            kind_label: &'a str,
            date: Option<DateRef<'a>>,
            summary: &'a str,
            badge: Option<BadgeRef<'a>>,
            policy_areas: PolicyAreas<'a>,
            advice: Option<AdviceRef<'a>>,
        }
        Fields {
            title: self.title(),
            href: self.href(),
            kind: self.kind,
            kind_label: self.kind_label(),
            date: self.date(),
            summary: self.summary(),
            badge: self.badge(),
            policy_areas: self.policy_areas(),
            advice: self.advice(),
        }
        .serialize(serializer)
    }
}

/// A card's date: see [`DateView`].
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DateRef<'a> {
    pub iso: &'a str,
    pub long: &'a str,
}

/// A card's status label: see [`Badge`].
#[derive(Debug, Clone, Copy, Serialize)]
pub struct BadgeRef<'a> {
    pub text: &'a str,
    pub tone: &'static str,
}

/// A card's register columns: see [`AdviceRow`].
#[derive(Serialize)]
struct AdviceRef<'a> {
    solicited: bool,
    type_label: &'a str,
    addressed_to: Option<&'a str>,
    reference: Option<&'a str>,
    status: &'static str,
    status_text: &'a str,
}

/// A link whose text and address are borrowed: see [`Link`].
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LinkRef<'a> {
    pub title: &'a str,
    pub href: &'a str,
}

/// The policy areas of a card, serialised as a list of links.
#[derive(Debug, Clone, Copy)]
pub struct PolicyAreas<'a>(&'a CardFields);

impl<'a> PolicyAreas<'a> {
    pub fn iter(self) -> impl ExactSizeIterator<Item = LinkRef<'a>> {
        let card = self.0;
        (POLICY_AREAS..card.ends.len())
            .step_by(2)
            .map(|at| LinkRef {
                title: card.part(at),
                href: card.part(at + 1),
            })
    }
}

impl Serialize for PolicyAreas<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
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
    pub date: Option<DateRef<'a>>,
    pub summary: &'a str,
    pub topics: Vec<Link>,
    pub policy_areas: PolicyAreas<'a>,
    pub attachments: Vec<FileView>,
    pub body: BodyHtml<'a>,
    pub toc: &'a [Heading],
    pub badge: Option<BadgeRef<'a>>,
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
    /// [`Views::into_cards`]), whose entries must look the same on cards; with `added`,
    /// the entry that came new to the site since, which gets its card.
    pub fn with_cards(
        site: &'s Site,
        strings: &'s toml::Table,
        cards: Vec<Card>,
        added: Option<usize>,
    ) -> Views<'s> {
        let mut views = Views {
            site,
            strings,
            cards,
        };
        if let Some(index) = added {
            let card = views.make_card(&site.entries[index]);
            views.cards.insert(index, card);
        }
        debug_assert_eq!(views.cards.len(), site.entries.len());
        views
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
        let date = item.date.map(|d| self.date(d));
        let badge = self.badge(entry);
        let policy_areas: Vec<Link> = (item.policy_areas.iter())
            .map(|key| self.policy_area_link(key))
            .collect();
        let advice = self.advice_row(entry);
        Memoized::new(CardFields::new(CardParts {
            title: &item.title,
            href: &self.site.href(&entry.path),
            kind: item.kind.id(),
            kind_label: &self.kind_label(entry),
            date: date.as_ref(),
            summary: (item.summary.as_deref()).unwrap_or(&entry.body.first_paragraph),
            badge: badge.as_ref(),
            policy_areas: &policy_areas,
            advice: advice.as_ref(),
        }))
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

    /// Asks the processor ahead for the cards the page of entry `index` shows (see
    /// [`CardFields::prefetch`]), to have them at hand by the time the page is made.
    pub fn prefetch_for(&self, index: usize) {
        let site = self.site;
        for &i in site.related[index].iter().chain(&site.mentioned_in[index]) {
            self.cards[i].prefetch();
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
            href: card.href().to_string(),
            kind: item.kind.id(),
            kind_label: card.kind_label().to_string(),
            date: card.date(),
            summary: card.summary(),
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
            policy_areas: card.policy_areas(),
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
            badge: card.badge(),
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
            title: card.title().to_string(),
            href: card.href().to_string(),
        }
    }

    fn details(&self, entry: &Entry) -> DetailsView {
        let site = self.site;
        let asset = |file: &str| site.href(&format!("{}{}", entry.path, file));
        let page_on = |date: Option<NaiveDate>| {
            date.and_then(|d| site.minutes_by_date.get(&d))
                .map(|&i| self.cards[i].href().to_string())
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
                        .map(|i| self.cards[i].href().to_string()),
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
    use proptest::prelude::*;
    use serde::Serialize;

    use super::{AdviceRow, Badge, CardFields, CardParts, DateView, Link, file_type};

    /// A card as it was before its text went into one allocation: what templates,
    /// JSON and fingerprints must go on seeing.
    #[derive(Serialize)]
    struct Reference {
        title: String,
        href: String,
        kind: &'static str,
        kind_label: String,
        date: Option<DateView>,
        summary: String,
        badge: Option<Badge>,
        policy_areas: Vec<Link>,
        advice: Option<AdviceReference>,
    }

    #[derive(Serialize)]
    struct AdviceReference {
        solicited: bool,
        type_label: String,
        addressed_to: Option<String>,
        reference: Option<String>,
        status: &'static str,
        status_text: String,
    }

    fn text() -> impl Strategy<Value = String> {
        // Empty parts, multi-byte characters and a NUL, which a TOML escape can give.
        prop::string::string_regex("(|[a-zé€ \\x00]{1,12})").unwrap()
    }

    fn link() -> impl Strategy<Value = Link> {
        (text(), text()).prop_map(|(title, href)| Link { title, href })
    }

    proptest! {
        #[test]
        fn a_card_serialises_as_its_fields(
            (title, href, kind_label, summary) in (text(), text(), text(), text()),
            date in prop::option::of((text(), text())),
            badge in prop::option::of(text()),
            policy_areas in prop::collection::vec(link(), 0..4),
            advice in prop::option::of((
                any::<bool>(),
                text(),
                prop::option::of(text()),
                prop::option::of(text()),
                text(),
            )),
        ) {
            let date = date.map(|(iso, long)| DateView { iso, long });
            let badge = badge.map(|text| Badge { text, tone: "done" });
            let advice = advice.map(|(solicited, type_label, addressed_to, reference, status_text)| {
                AdviceRow { solicited, type_label, addressed_to, reference, status: "answered", status_text }
            });
            let card = CardFields::new(CardParts {
                title: &title,
                href: &href,
                kind: "advice",
                kind_label: &kind_label,
                date: date.as_ref(),
                summary: &summary,
                badge: badge.as_ref(),
                policy_areas: &policy_areas,
                advice: advice.as_ref(),
            });
            let reference = Reference {
                title,
                href,
                kind: "advice",
                kind_label,
                date,
                summary,
                badge,
                policy_areas,
                advice: advice.map(|a| AdviceReference {
                    solicited: a.solicited,
                    type_label: a.type_label,
                    addressed_to: a.addressed_to,
                    reference: a.reference,
                    status: a.status,
                    status_text: a.status_text,
                }),
            };
            prop_assert_eq!(
                serde_json::to_value(&card).unwrap(),
                serde_json::to_value(&reference).unwrap()
            );
            prop_assert_eq!(
                tera::Value::from_serializable(&card),
                tera::Value::from_serializable(&reference)
            );
        }
    }

    #[test]
    fn file_types_from_extensions() {
        assert_eq!(file_type("verslag.pdf"), "PDF");
        assert_eq!(file_type("map/brief.Docx"), "DOCX");
        assert_eq!(file_type("LEESMIJ"), "?");
    }
}
