//! One content file: split the front matter, deserialize it per kind, check it, and build
//! the typed [`Item`].

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::Spanned;

use super::front_matter::*;
use super::*;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, nearest};
use crate::toml_errors::toml_diagnostic;

mod kinds;

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
            item.source_len = file_len;
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
            body_print: crate::fingerprint::of_text(&body),
            source_len: body_start + body.len(),
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
