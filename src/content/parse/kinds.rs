//! What only one kind of item has: the checks of minutes, meetings, news, advice and
//! annual reports, each turning its front matter into the kind's [`Details`].

use toml::Spanned;

use super::{Checker, safe_relative};
use crate::content::front_matter::*;
use crate::content::values::Date;
use crate::content::*;

impl Checker<'_> {
    pub(super) fn minutes(&mut self, f: MinutesFrontMatter) -> Details {
        let status = match (f.status.as_ref().map(|s| *s.get_ref()), &f.approved_on) {
            (Some(MinutesStatusField::Approved), on) => MinutesStatus::Approved {
                on: on.as_ref().map(|d| d.get_ref().0),
            },
            (Some(MinutesStatusField::Concept) | None, Some(on)) => {
                self.error(
                    self.at(on.span()),
                    "`approved_on` is set but the minutes are not approved",
                    "add `status = \"approved\"`, or remove `approved_on`",
                );
                MinutesStatus::Concept
            }
            (_, None) => MinutesStatus::Concept,
        };
        let actions = f.actions.iter().filter_map(|a| self.action(a)).collect();
        Details::Minutes(Minutes {
            status,
            meeting: f.meeting,
            location: f.location,
            online: f.online,
            attendees: f.attendees,
            absent: f.absent,
            guests: f.guests,
            actions,
        })
    }

    fn action(&mut self, action: &Spanned<ActionField>) -> Option<ActionItem> {
        let field = action.get_ref();
        let Some(id) = field
            .id
            .as_ref()
            .filter(|id| !id.get_ref().trim().is_empty())
        else {
            self.error(
                self.at(action.span()),
                "action without `id`",
                "give every action a stable id, e.g. id = \"A-2021-12-1\", and keep it when the action returns in later minutes",
            );
            return None;
        };
        Some(ActionItem {
            id: id.get_ref().trim().to_string(),
            what: field.what.clone(),
            who: field.who.clone(),
            due: field.due.map(|d| d.0),
            done: field.done,
        })
    }

    pub(super) fn meeting(&mut self, f: MeetingFrontMatter) -> Details {
        let status = match (f.status.as_ref().map(|s| *s.get_ref()), &f.moved_to) {
            (Some(MeetingStatusField::Moved), Some(to)) => {
                MeetingStatus::Moved { to: to.get_ref().0 }
            }
            (Some(MeetingStatusField::Moved), None) => {
                let span = f.status.as_ref().map_or(0..0, |s| s.span());
                self.error(
                    self.at(span),
                    "a moved meeting needs `moved_to`",
                    "add `moved_to = YYYY-MM-DD`, the new date of the meeting",
                );
                MeetingStatus::Scheduled
            }
            (_, Some(to)) => {
                self.error(
                    self.at(to.span()),
                    "`moved_to` is set but the meeting is not moved",
                    "add `status = \"moved\"`, or remove `moved_to`",
                );
                MeetingStatus::Scheduled
            }
            (Some(MeetingStatusField::Cancelled), None) => MeetingStatus::Cancelled,
            (Some(MeetingStatusField::Scheduled) | None, None) => MeetingStatus::Scheduled,
        };
        if let (Some(start), Some(end)) = (f.start, f.end)
            && end.0 <= start.0
        {
            self.error(
                self.top(),
                format!("the meeting ends ({end}) before it starts ({start})"),
                "check `start` and `end`",
            );
        }
        Details::Meeting(Meeting {
            start: f.start.map(|t| t.0),
            end: f.end.map(|t| t.0),
            location: f.location,
            online: f.online,
            status,
            agenda: f.agenda,
        })
    }

    pub(super) fn news(&mut self, f: NewsFrontMatter) -> Details {
        let image = match (f.image, f.image_alt) {
            (Some(image), Some(alt)) if !alt.trim().is_empty() => {
                let file = image.get_ref().trim().to_string();
                let exists =
                    safe_relative(&file).is_some_and(|name| self.file_in_folder(&name).is_some());
                if !exists {
                    self.error(
                        self.at(image.span()),
                        format!("image \"{file}\" does not exist"),
                        "put the image beside index.md in the item's folder and write only its name",
                    );
                }
                Some(Image {
                    file,
                    alt: alt.trim().to_string(),
                })
            }
            (Some(image), _) => {
                self.error(
                    self.at(image.span()),
                    "image without `image_alt`",
                    "describe the image for readers who cannot see it: image_alt = \"...\"",
                );
                None
            }
            (None, Some(_)) => {
                self.error(
                    self.top(),
                    "`image_alt` without `image`",
                    "add `image = \"...\"`, or remove `image_alt`",
                );
                None
            }
            (None, None) => None,
        };
        Details::News(News { image })
    }

    pub(super) fn advice(&mut self, f: AdviceFrontMatter, date: Option<&Spanned<Date>>) -> Details {
        let response = f.response.map(|spanned| {
            let response = spanned.into_inner();
            if let Some(date) = date
                && response.date.get_ref() < date.get_ref()
            {
                self.error(
                    self.at(response.date.span()),
                    format!(
                        "the response ({}) is dated before the advice ({})",
                        response.date.get_ref(),
                        date.get_ref()
                    ),
                    "check the response date; it is the date of the municipality's letter",
                );
            }
            let file = response.file.map(|file| {
                let name = file.get_ref().trim().to_string();
                let exists =
                    safe_relative(&name).is_some_and(|n| self.file_in_folder(&n).is_some());
                if !exists {
                    self.error(
                        self.at(file.span()),
                        format!("response file \"{name}\" does not exist"),
                        "put the municipality's letter beside index.md in the item's folder",
                    );
                }
                name
            });
            Response {
                date: response.date.get_ref().0,
                summary: response.summary,
                file,
            }
        });
        if let (Some(false), Some(requested)) = (f.solicited, &f.requested_on) {
            self.error(
                self.at(requested.span()),
                "`requested_on` is set on an unsolicited advice",
                "set `solicited = true`, or remove `requested_on`",
            );
        }
        Details::Advice(Advice {
            solicited: f.solicited.unwrap_or(f.requested_on.is_some()),
            addressed_to: f.addressed_to,
            requested_on: f.requested_on.map(|d| d.get_ref().0),
            reference: f.reference,
            response,
        })
    }

    pub(super) fn annual_report(&mut self, f: AnnualReportFrontMatter) -> Details {
        let year = match f.year {
            Some(year) if (1800..=9999).contains(year.get_ref()) => *year.get_ref(),
            Some(year) => {
                self.error(
                    self.at(year.span()),
                    format!("{} is not a year", year.get_ref()),
                    "write the year as four digits, e.g. year = 2021",
                );
                0
            }
            None => {
                let guess = self.source.slug.parse::<i32>().ok();
                match guess {
                    Some(year) => year,
                    None => {
                        self.error(
                            self.top(),
                            "missing field `year`",
                            "add `year = 2021`: the year the report is about",
                        );
                        0
                    }
                }
            }
        };
        Details::AnnualReport(AnnualReport { year })
    }
}
