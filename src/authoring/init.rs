//! `quorum init DIR`: a new site with an example of every kind, ready to build.
//!
//! The example texts live as files under `scaffold/{nl,en}/`, built into the binary.
//! Their names and texts hold `{{placeholders}}` for dates, filled in relative to today
//! so the example looks alive: minutes of last month, a meeting next month.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use include_dir::{Dir, include_dir};

use super::write_new;
use crate::diagnostics::Diagnostic;
use crate::i18n::Language;

static SCAFFOLD: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/authoring/scaffold");

/// Files every new site gets, whatever its language.
const COMMON: [(&str, &str); 2] = [
    (".gitignore", include_str!("scaffold/gitignore")),
    (
        ".github/workflows/deploy.yml",
        include_str!("../../examples/github-pages.yml"),
    ),
];

/// How to create the site.
#[derive(Debug, Clone, Copy)]
pub struct InitOptions {
    pub language: Language,
    /// Write into a folder that is not empty, keeping the files already there.
    pub force: bool,
}

/// The files of a new site.
#[derive(Debug)]
pub struct Created {
    pub dir: PathBuf,
    /// Relative to `dir`.
    pub written: Vec<PathBuf>,
    /// Files that were already there and were kept (with `--force`).
    pub kept: Vec<PathBuf>,
}

/// Creates a site in `dir`, with example dates around `today`.
pub fn init(dir: &Path, options: &InitOptions, today: NaiveDate) -> Result<Created, Diagnostic> {
    if !options.force && !is_empty_or_missing(dir) {
        return Err(Diagnostic::error(dir, "the folder is not empty").hint(
            "choose a new folder, or pass --force to add the example site to it (files already there are kept)",
        ));
    }
    let mut created = Created {
        dir: dir.to_path_buf(),
        written: Vec::new(),
        kept: Vec::new(),
    };
    for (name, text) in files(options.language, today) {
        let path = dir.join(&name);
        if path.exists() {
            created.kept.push(name);
            continue;
        }
        write_new(&path, &path, &text)?;
        created.written.push(name);
    }
    Ok(created)
}

fn is_empty_or_missing(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(_) => !dir.exists(),
    }
}

/// Every file of the new site, with its path relative to the site folder, sorted.
fn files(language: Language, today: NaiveDate) -> Vec<(PathBuf, String)> {
    let values = placeholders(today, language);
    let fill = |text: &str| {
        values.iter().fold(text.to_string(), |text, (key, value)| {
            text.replace(&format!("{{{{{key}}}}}"), value)
        })
    };
    let root = SCAFFOLD
        .get_dir(language.code())
        .map_or(&[][..], |dir| dir.entries());
    let mut files: Vec<(PathBuf, String)> = COMMON
        .iter()
        .map(|(name, text)| (PathBuf::from(name), text.to_string()))
        .collect();
    let mut stack: Vec<&include_dir::DirEntry<'_>> = root.iter().collect();
    while let Some(entry) = stack.pop() {
        match entry {
            include_dir::DirEntry::Dir(dir) => stack.extend(dir.entries()),
            include_dir::DirEntry::File(file) => {
                let relative = file
                    .path()
                    .strip_prefix(language.code())
                    .unwrap_or(file.path());
                let name = fill(&relative.to_string_lossy());
                let text = fill(&String::from_utf8_lossy(file.contents()));
                files.push((PathBuf::from(name), text));
            }
        }
    }
    files.sort();
    files
}

/// The dates of the example items, relative to today: meetings on the second Tuesday,
/// minutes of last month's meeting, a meeting next month, and an advice adopted at last
/// month's meeting that the municipality has already answered.
fn placeholders(today: NaiveDate, language: Language) -> Vec<(&'static str, String)> {
    let minutes = second_tuesday(today - Months::new(1));
    let meeting = second_tuesday(today + Months::new(1));
    let advice = minutes + Days::new(1);
    let report_year = today.year() - 1;
    let report_date = NaiveDate::from_ymd_opt(today.year(), 3, 15)
        .filter(|d| *d <= today)
        .unwrap_or(today);
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    vec![
        ("minutes_date", day(minutes)),
        ("minutes_year", minutes.year().to_string()),
        ("minutes_date_long", language.long_date(minutes)),
        ("meeting_date", day(meeting)),
        ("news_date", day(minutes + Days::new(2))),
        ("advice_date", day(advice)),
        ("advice_year", advice.year().to_string()),
        ("requested_date", day(minutes - Days::new(42))),
        ("response_date", day(advice + Days::new(14))),
        ("report_year", report_year.to_string()),
        ("report_date", day(report_date)),
    ]
}

/// The second Tuesday of the month of `date`, when many councils meet.
fn second_tuesday(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(date.year(), date.month(), Weekday::Tue, 2).unwrap_or(date)
}

impl fmt::Display for Created {
    /// The files written and what to do next.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self.dir.display();
        writeln!(f, "created a new site in {dir}:")?;
        for name in &self.written {
            writeln!(f, "  {}", name.display())?;
        }
        for name in &self.kept {
            writeln!(f, "  {} (already there, kept)", name.display())?;
        }
        writeln!(
            f,
            "next: set title, base_url and [council] in {dir}/quorum.toml, then"
        )?;
        writeln!(f, "  quorum build --root {dir}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_filled() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        for language in [Language::Nl, Language::En] {
            let files = files(language, today);
            assert!(files.len() >= 11, "{files:?}");
            for (name, text) in &files {
                let name = name.to_string_lossy();
                assert!(!has_placeholder(&name) && !has_placeholder(text), "{name}");
            }
        }
    }

    /// `{{name}}`; the deploy workflow's `${{ expressions }}` have spaces.
    fn has_placeholder(text: &str) -> bool {
        text.split("{{").skip(1).any(|rest| {
            rest.split_once("}}")
                .is_some_and(|(name, _)| name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        })
    }

    #[test]
    fn dates_are_around_today() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let values: std::collections::HashMap<_, _> =
            placeholders(today, Language::Nl).into_iter().collect();
        assert_eq!(values["minutes_date"], "2025-12-09");
        assert_eq!(values["meeting_date"], "2026-02-10");
        assert_eq!(values["report_year"], "2025");
        assert_eq!(values["report_date"], "2026-01-05", "not after today");
        assert_eq!(values["response_date"], "2025-12-24");
    }
}
