//! One content file: split the front matter, deserialize it per kind, check it, and build
//! the typed [`Item`].

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::Spanned;

use super::front_matter::*;
use super::values::Date;
use super::*;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, nearest};
use crate::toml_errors::toml_diagnostic;

/// Where a content file is and what it is.
pub struct SourceFile<'a> {
    pub kind: Kind,
    pub slug: String,
    /// Relative to the site root, for messages.
    pub relative: PathBuf,
    /// The folder that attachments are relative to; `None` when the text comes from
    /// elsewhere than a file, and then no attachment exists.
    pub folder: Option<&'a Path>,
    /// Files beside `index.md` in a folder item.
    pub assets: Vec<Asset>,
}

/// The front matter and body of a file, with their byte offsets.
struct Parts<'t> {
    front_matter: &'t str,
    front_matter_start: usize,
    body: &'t str,
    body_start: usize,
}

/// Splits `+++` front matter from the body; `text` has no BOM.
fn split(text: &str) -> Result<Parts<'_>, (usize, &'static str, &'static str)> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() == "---" {
        return Err((
            0,
            "front matter between `---` lines (YAML) is not read",
            "quorum reads TOML between `+++` lines: write +++, then fields like title = \"...\" and date = 2021-12-14, then +++",
        ));
    }
    if first.trim_end() != "+++" {
        return Err((
            0,
            "missing front matter",
            "start the file with a line `+++`, then the fields (title = \"...\", date = 2021-12-14), then another `+++`",
        ));
    }
    let start = first.len();
    let mut offset = start;
    for line in lines {
        if line.trim_end() == "+++" {
            return Ok(Parts {
                front_matter: &text[start..offset],
                front_matter_start: start,
                body: &text[offset + line.len()..],
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err((
        0,
        "front matter is not closed",
        "add a line `+++` after the last front matter field",
    ))
}

/// Parses one content file into an item, or all the problems found in it.
pub fn parse_item(
    source: SourceFile<'_>,
    text: &str,
    config: &Config,
) -> Result<Item, Vec<Diagnostic>> {
    let file_len = text.len();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parts = split(text).map_err(|(offset, message, hint)| {
        vec![
            Diagnostic::error(&source.relative, message)
                .at(Location::line_of(
                    text,
                    Location::at_offset(text, offset, 1).line,
                ))
                .hint(hint),
        ]
    })?;
    let mut checker = Checker {
        source: &source,
        text,
        base: parts.front_matter_start,
        config,
        diagnostics: Vec::new(),
    };
    let item = checker.item(&parts);
    match item {
        Some(mut item) if checker.diagnostics.is_empty() => {
            // Where the body starts in the file, byte order mark included.
            item.body_start += file_len - text.len();
            Ok(item)
        }
        _ => Err(checker.diagnostics),
    }
}

/// Checks one file's front matter, collecting every problem instead of stopping at the first.
struct Checker<'a> {
    source: &'a SourceFile<'a>,
    text: &'a str,
    /// Byte offset of the front matter in `text`; spans are relative to it.
    base: usize,
    config: &'a Config,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn item(&mut self, parts: &Parts<'_>) -> Option<Item> {
        let (common, details) = match self.source.kind {
            Kind::Minutes => self.kind::<MinutesFrontMatter>(parts.front_matter, |c, mut f| {
                (f.split_common(), c.minutes(f))
            })?,
            Kind::Meeting => self.kind::<MeetingFrontMatter>(parts.front_matter, |c, mut f| {
                (f.split_common(), c.meeting(f))
            })?,
            Kind::News => self.kind::<NewsFrontMatter>(parts.front_matter, |c, mut f| {
                (f.split_common(), c.news(f))
            })?,
            Kind::Advice => self.kind::<AdviceFrontMatter>(parts.front_matter, |c, mut f| {
                let common = f.split_common();
                let advice = c.advice(f, common.date.as_ref());
                (common, advice)
            })?,
            Kind::AnnualReport => self
                .kind::<AnnualReportFrontMatter>(parts.front_matter, |c, mut f| {
                    (f.split_common(), c.annual_report(f))
                })?,
            Kind::Page => self.kind::<PageFrontMatter>(parts.front_matter, |_, mut f| {
                let page = Details::Page(Page {
                    weight: f.weight,
                    in_menu: f.in_menu,
                    in_footer: f.in_footer,
                });
                (f.split_common(), page)
            })?,
        };
        let body_line = self.text[..parts.body_start].matches('\n').count() + 1;
        let body = (parts.body.into(), body_line, parts.body_start);
        self.common(common, details, body)
    }

    fn kind<F: DeserializeOwned>(
        &mut self,
        front_matter: &str,
        build: impl FnOnce(&mut Self, F) -> (Common, Details),
    ) -> Option<(Common, Details)> {
        match toml::from_str::<F>(front_matter) {
            Ok(fields) => Some(build(self, fields)),
            Err(error) => {
                let diagnostic =
                    toml_diagnostic(&self.source.relative, self.text, self.base, &error);
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    fn at(&self, span: Range<usize>) -> Location {
        let mut location = Location::at_offset(self.text, self.base + span.start, span.len());
        let rest = location.source_line.chars().count() + 1 - location.column;
        location.len = location.len.min(rest).max(1);
        location
    }

    /// The first line of the front matter, for problems about a field that is absent.
    fn top(&self) -> Location {
        Location::line_of(self.text, 1)
    }

    fn error(&mut self, location: Location, message: impl Into<String>, hint: impl Into<String>) {
        self.diagnostics.push(
            Diagnostic::error(&self.source.relative, message)
                .at(location)
                .hint(hint),
        );
    }

    fn common(
        &mut self,
        common: Common,
        details: Details,
        (body, body_line, body_start): (std::sync::Arc<str>, usize, usize),
    ) -> Option<Item> {
        let kind = self.source.kind;
        let date = common.date.as_ref().map(|d| d.get_ref().0);
        if kind.is_dated() && date.is_none() {
            let example = self
                .source
                .slug
                .get(..10)
                .filter(|s| super::values::parse_date(s).is_ok());
            self.error(
                self.top(),
                format!("missing field `date`: {} a date", needs(kind)),
                format!(
                    "add `date = {}` to the front matter",
                    example.unwrap_or("2021-12-14")
                ),
            );
        }
        let title = match (&common.title, date) {
            (Some(title), _) if title.get_ref().trim().is_empty() => {
                self.error(
                    self.at(title.span()),
                    "the title is empty",
                    "write a title, or remove the line",
                );
                String::new()
            }
            (Some(title), _) => title.get_ref().trim().to_string(),
            (None, date) if matches!(kind, Kind::Minutes | Kind::Meeting) => date
                .map(|date| derived_title(self.config, date))
                .unwrap_or_default(),
            (None, _) => {
                self.error(
                    self.top(),
                    format!("missing field `title`: {} a title", needs(kind)),
                    "add `title = \"...\"` to the front matter",
                );
                String::new()
            }
        };
        let policy_areas = common
            .policy_areas
            .iter()
            .filter_map(|area| self.policy_area(area))
            .collect();
        let topics = self.topics(&common.topics);
        let attachments = common
            .attachments
            .iter()
            .filter_map(|a| self.attachment(a))
            .collect();
        let aliases = common
            .aliases
            .iter()
            .filter_map(|alias| self.alias(alias))
            .collect();
        Some(Item {
            kind,
            slug: self.source.slug.clone(),
            source: self.source.relative.clone(),
            title,
            date,
            summary: common.summary.filter(|s| !s.trim().is_empty()),
            topics,
            policy_areas,
            draft: common.draft,
            attachments,
            assets: self.source.assets.clone(),
            aliases,
            extra: common.extra,
            details,
            body,
            body_line,
            body_start,
        })
    }

    fn policy_area(&mut self, area: &Spanned<String>) -> Option<String> {
        let key = area.get_ref();
        if self.config.policy_areas.contains_key(key) {
            return Some(key.clone());
        }
        let keys = self.config.policy_areas.keys().map(String::as_str);
        let hint = match nearest(key, keys) {
            Some(best) => format!(
                "did you mean \"{best}\"? policy areas must be keys of [policy_areas] in quorum.toml"
            ),
            None if self.config.policy_areas.is_empty() => {
                format!("quorum.toml has no [policy_areas]; add `{key} = \"...\"` there")
            }
            None => format!(
                "use one of {}, or add `{key} = \"...\"` to [policy_areas] in quorum.toml",
                self.config
                    .policy_areas
                    .keys()
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.error(
            self.at(area.span()),
            format!("unknown policy area \"{key}\""),
            hint,
        );
        None
    }

    fn topics(&mut self, topics: &[Spanned<String>]) -> Vec<String> {
        let mut result: Vec<String> = Vec::new();
        for topic in topics {
            let name = topic.get_ref().trim();
            if crate::slug::slugify(name).is_empty() {
                self.error(
                    self.at(topic.span()),
                    format!("topic \"{name}\" has no letters or digits"),
                    "write the topic as a word, e.g. \"eenzaamheid\"",
                );
            } else if !result.iter().any(|t| t == name) {
                result.push(name.to_string());
            }
        }
        result
    }

    fn attachment(&mut self, attachment: &AttachmentRef) -> Option<Attachment> {
        let file = attachment.file.get_ref().trim();
        let location = self.at(attachment.file.span());
        let Some(name) = safe_relative(file) else {
            self.error(
                location,
                format!("attachment \"{file}\" must be a file name inside the item's folder"),
                "put the file beside index.md (content/<kind>/<name>/index.md) and write only its name",
            );
            return None;
        };
        match self.file_in_folder(&name) {
            Some((path, size)) => Some(Attachment {
                title: attachment.title.clone().unwrap_or_else(|| name.clone()),
                file: name,
                size,
                path,
            }),
            None => {
                let hint = if self.source.assets.is_empty()
                    && !self.source.relative.ends_with("index.md")
                {
                    format!(
                        "make the item a folder: move this file to {}/index.md and put {name} beside it",
                        self.source.relative.with_extension("").display()
                    )
                } else {
                    let names = self.source.assets.iter().map(|a| a.name.as_str());
                    match nearest(&name, names) {
                        Some(best) => format!("did you mean \"{best}\"?"),
                        None => format!(
                            "put {name} in {}",
                            self.source
                                .relative
                                .parent()
                                .unwrap_or(Path::new(""))
                                .display()
                        ),
                    }
                };
                self.error(
                    location,
                    format!("attachment \"{file}\" does not exist"),
                    hint,
                );
                None
            }
        }
    }

    /// The path and size of a file in the item's folder, if it is there.
    fn file_in_folder(&self, name: &str) -> Option<(PathBuf, u64)> {
        let path = self.source.folder?.join(name);
        let metadata = std::fs::metadata(&path).ok()?;
        metadata.is_file().then_some((path, metadata.len()))
    }

    fn alias(&mut self, alias: &Spanned<String>) -> Option<String> {
        let path = alias.get_ref().trim();
        let valid = path.starts_with('/')
            && !path.contains("://")
            && !path.split('/').any(|s| s == ".." || s == ".")
            && !path.contains(['\\', '?', '#', '\0']);
        if valid {
            Some(path.to_string())
        } else {
            self.error(
                self.at(alias.span()),
                format!("alias \"{path}\" is not a path on this site"),
                "write the old address as a path from the site root, e.g. \"/oude-site/verslag.html\"",
            );
            None
        }
    }

    fn minutes(&mut self, f: MinutesFrontMatter) -> Details {
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

    fn meeting(&mut self, f: MeetingFrontMatter) -> Details {
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

    fn news(&mut self, f: NewsFrontMatter) -> Details {
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

    fn advice(&mut self, f: AdviceFrontMatter, date: Option<&Spanned<Date>>) -> Details {
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

    fn annual_report(&mut self, f: AnnualReportFrontMatter) -> Details {
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

/// "minutes need", "a news item needs": the start of a message about a missing field.
fn needs(kind: Kind) -> &'static str {
    match kind {
        Kind::Minutes => "minutes need",
        Kind::Meeting => "a meeting needs",
        Kind::News => "a news item needs",
        Kind::Advice => "an advice needs",
        Kind::AnnualReport => "an annual report needs",
        Kind::Page => "a page needs",
    }
}

/// The title of minutes or a meeting that has none: "Vergadering 14 december 2021".
fn derived_title(config: &Config, date: chrono::NaiveDate) -> String {
    let word = match config.language {
        crate::i18n::Language::Nl => "Vergadering",
        crate::i18n::Language::En => "Meeting",
    };
    format!("{word} {}", config.language.long_date(date))
}

/// A path relative to an item folder that cannot leave it, with `/` separators.
fn safe_relative(file: &str) -> Option<String> {
    let ok = !file.is_empty()
        && !file.starts_with('/')
        && !file.contains('\\')
        && !file.contains(':')
        && file
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".");
    ok.then(|| file.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title = \"Raad\"\nbase_url = \"https://r.example\"\n[policy_areas]\nwmo = \"Wmo\"\njeugd = \"Jeugd\"\n",
            None,
        )
        .unwrap()
    }

    fn parse(kind: Kind, text: &str) -> Result<Item, Vec<Diagnostic>> {
        let source = SourceFile {
            kind,
            slug: "2021-12-14".into(),
            relative: PathBuf::from("content/x.md"),
            folder: None,
            assets: Vec::new(),
        };
        parse_item(source, text, &config())
    }

    #[test]
    fn minutes_get_a_title_from_the_date() {
        let item = parse(Kind::Minutes, "+++\ndate = 2021-12-14\n+++\nTekst\n").unwrap();
        assert_eq!(item.title, "Vergadering 14 december 2021");
        assert_eq!(&*item.body, "Tekst\n");
        assert_eq!(item.body_line, 4);
    }

    #[test]
    fn body_start_counts_the_byte_order_mark() {
        let text = "\u{feff}+++\ntitle = \"A\"\ndate = 2021-12-14\n+++\nTekst\n";
        let item = parse(Kind::News, text).expect("parses");
        assert_eq!(&text[item.body_start..], "Tekst\n");
    }

    #[test]
    fn crlf_and_bom_are_fine() {
        let item = parse(
            Kind::News,
            "\u{feff}+++\r\ntitle = \"A\"\r\ndate = 2021-12-14\r\n+++\r\nB\r\n",
        )
        .unwrap();
        assert_eq!(item.title, "A");
    }

    #[test]
    fn missing_front_matter_is_explained() {
        let errors = parse(Kind::News, "title = \"A\"\n").unwrap_err();
        assert_eq!(errors[0].message, "missing front matter");
        let errors = parse(Kind::News, "+++\ntitle = \"A\"\n").unwrap_err();
        assert_eq!(errors[0].message, "front matter is not closed");
    }

    #[test]
    fn unknown_policy_area_suggests_the_nearest() {
        let errors = parse(
            Kind::News,
            "+++\ntitle = \"A\"\ndate = 2021-12-14\npolicy_areas = [\"jeugt\"]\n+++\n",
        )
        .unwrap_err();
        assert_eq!(errors[0].message, "unknown policy area \"jeugt\"");
        assert!(
            errors[0]
                .hint
                .as_ref()
                .unwrap()
                .starts_with("did you mean \"jeugd\"?")
        );
        let location = errors[0].location.as_ref().unwrap();
        assert_eq!((location.line, location.column), (4, 17));
    }

    #[test]
    fn several_problems_are_reported_together() {
        let errors = parse(
            Kind::Advice,
            "+++\ntitle = \"A\"\ndate = 2021-12-14\npolicy_areas = [\"x\", \"y\"]\nresponse = { date = 2021-01-01 }\n+++\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn actions_need_an_id() {
        let errors = parse(
            Kind::Minutes,
            "+++\ndate = 2021-12-14\nactions = [{ what = \"Bellen\" }]\n+++\n",
        )
        .unwrap_err();
        assert_eq!(errors[0].message, "action without `id`");
    }

    #[test]
    fn moved_meeting_needs_a_new_date() {
        let errors = parse(
            Kind::Meeting,
            "+++\ndate = 2021-12-14\nstatus = \"moved\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!(errors[0].message, "a moved meeting needs `moved_to`");
    }

    #[test]
    fn news_image_needs_alt_text() {
        let errors = parse(
            Kind::News,
            "+++\ntitle = \"A\"\ndate = 2021-12-14\nimage = \"a.jpg\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!(errors[0].message, "image without `image_alt`");
    }
}
