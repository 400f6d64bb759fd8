//! Recognising dates and years the way Dutch (and English) documents write them:
//! "14 december 2021", "dinsdag 30 mei 2023", "d.d. 18 maart 2021", "14-12-2021".

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

/// A date found in a text, and whether a word before it says it is the meeting's date
/// ("Vergadering", "d.d.", "datum", a weekday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    pub date: NaiveDate,
    pub cued: bool,
}

const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("april", 4),
    ("mei", 5),
    ("juni", 6),
    ("juli", 7),
    ("augustus", 8),
    ("september", 9),
    ("oktober", 10),
    ("november", 11),
    ("december", 12),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("october", 10),
    ("jan", 1),
    ("feb", 2),
    ("mrt", 3),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("okt", 10),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

const CUES: &[&str] = &[
    "vergadering",
    "vergaderdatum",
    "bijeenkomst",
    "d.d.",
    "dd",
    "d.d",
    "datum",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "meeting",
    "date",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Every date in `text`, in order.
pub fn dates_in(text: &str) -> Vec<FoundDate> {
    let words: Vec<String> = text.split_whitespace().map(clean).collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (date, used) = match numeric_date(&words[i]) {
            Some(date) => (Some(date), 1),
            None => match written_date(&words[i..]) {
                Some(date) => (Some(date), 3),
                None => (None, 1),
            },
        };
        if let Some(date) = date {
            let before = &words[i.saturating_sub(3)..i];
            let cued = before.iter().any(|w| CUES.contains(&w.as_str()));
            found.push(FoundDate { date, cued });
        }
        i += used;
    }
    found
}

/// The date in a file name such as `verslag-2021-12-14.txt` or `notulen 14 december 2021`.
pub fn date_in_file_name(stem: &str) -> Option<NaiveDate> {
    let spaced = stem.replace('_', "-");
    let digit_runs = spaced.split(|c: char| !(c.is_ascii_digit() || "-./".contains(c)));
    digit_runs
        .filter_map(|run| numeric_date(run.trim_matches(['-', '.', '/'])))
        .chain(
            dates_in(&stem.replace(['-', '_'], " "))
                .into_iter()
                .map(|f| f.date),
        )
        .next()
}

/// The year an annual report is about: the year after "jaarverslag" / "annual report",
/// else the year the text mentions most (the latest on a tie). The flag tells whether the
/// year was named explicitly.
pub fn report_year(text: &str) -> Option<(i32, bool)> {
    let words: Vec<String> = text.split_whitespace().map(clean).collect();
    let explicit = words.windows(2).find_map(|pair| {
        let names_report = pair[0] == "jaarverslag" || pair[0] == "report";
        names_report.then(|| year(&pair[1])).flatten()
    });
    if let Some(year) = explicit {
        return Some((year, true));
    }
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    for year in words.iter().filter_map(|w| year(w)) {
        *counts.entry(year).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(year, count)| (count, year))
        .map(|(year, _)| (year, false))
}

/// A year in a file name: `jaarverslag-2020.txt`.
pub fn year_in_file_name(stem: &str) -> Option<i32> {
    stem.split(|c: char| !c.is_ascii_digit()).find_map(year)
}

/// A plausible four-digit year.
fn year(word: &str) -> Option<i32> {
    let word = word.trim_end_matches('.');
    let year: i32 = word.parse().ok().filter(|_| word.len() == 4)?;
    (1950..=2100).contains(&year).then_some(year)
}

/// A word lowercased without the punctuation around it, keeping the dots of "d.d.".
fn clean(word: &str) -> String {
    word.trim_matches(|c: char| ",;:()[]\"'“”‘’«»".contains(c))
        .to_lowercase()
}

/// "14-12-2021", "14/12/2021", "14.12.2021" or "2021-12-14".
fn numeric_date(word: &str) -> Option<NaiveDate> {
    let word = word.trim_end_matches('.');
    if !word.starts_with(|c: char| c.is_ascii_digit()) || word.len() < 8 {
        return None;
    }
    ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(word, format).ok())
        .filter(|date| (1950..=2100).contains(&date.year()))
}

/// "14 december 2021" or "December 14 2021" from the first three words.
fn written_date(words: &[String]) -> Option<NaiveDate> {
    let [a, b, c, ..] = words else {
        return None;
    };
    let day_first = day(a).zip(month(b));
    let month_first = month(a).zip(day(b)).map(|(m, d)| (d, m));
    let (day, month) = day_first.or(month_first)?;
    let year = year(c)?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn day(word: &str) -> Option<u32> {
    let word = word.trim_end_matches(',');
    let digits = word
        .strip_suffix("e")
        .or_else(|| word.strip_suffix("ste"))
        .unwrap_or(word);
    let day: u32 = digits.parse().ok().filter(|_| digits.len() <= 2)?;
    (1..=31).contains(&day).then_some(day)
}

fn month(word: &str) -> Option<u32> {
    let word = word.trim_end_matches(['.', ',']);
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|&(_, number)| number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn first(text: &str) -> Option<FoundDate> {
        dates_in(text).into_iter().next()
    }

    #[test]
    fn written_dutch_dates_with_their_cues() {
        let found = first("Vergadering 14 december 2021").unwrap();
        assert_eq!(
            found,
            FoundDate {
                date: date(2021, 12, 14),
                cued: true
            }
        );
        let found = first("Verslag van de vergadering d.d. 18 maart 2021.").unwrap();
        assert_eq!(
            found,
            FoundDate {
                date: date(2021, 3, 18),
                cued: true
            }
        );
        let found = first("Op dinsdag 30 mei 2023 om 19.30 uur").unwrap();
        assert_eq!(
            found,
            FoundDate {
                date: date(2023, 5, 30),
                cued: true
            }
        );
        let found = first("het verslag van 12 oktober 2021 wordt").unwrap();
        assert_eq!(
            found,
            FoundDate {
                date: date(2021, 10, 12),
                cued: false
            }
        );
    }

    #[test]
    fn numeric_and_abbreviated_dates() {
        assert_eq!(first("Datum: 14-12-2021").unwrap().date, date(2021, 12, 14));
        assert_eq!(first("(2021-12-14)").unwrap().date, date(2021, 12, 14));
        assert_eq!(first("op 3 dec. 2022,").unwrap().date, date(2022, 12, 3));
        assert_eq!(first("December 14, 2021").unwrap().date, date(2021, 12, 14));
        assert_eq!(first("1 mei"), None, "no year, no date");
        assert_eq!(first("31 februari 2021"), None, "not a real date");
        assert_eq!(
            first("evaluatie 09.11.21"),
            None,
            "two-digit years are ambiguous"
        );
    }

    #[test]
    fn dates_in_file_names() {
        assert_eq!(
            date_in_file_name("minutes-2021-12-14"),
            Some(date(2021, 12, 14))
        );
        assert_eq!(
            date_in_file_name("Notulen_14-12-2021"),
            Some(date(2021, 12, 14))
        );
        assert_eq!(
            date_in_file_name("verslag-30-mei-2023"),
            Some(date(2023, 5, 30))
        );
        assert_eq!(date_in_file_name("annual-report-excerpt"), None);
    }

    #[test]
    fn years_of_reports() {
        assert_eq!(
            report_year("Jaarverslag 2020 van de raad"),
            Some((2020, true))
        );
        assert_eq!(
            report_year("activiteiten in 2020 en 2019, en weer 2020"),
            Some((2020, false))
        );
        assert_eq!(report_year("geen jaartal, 10-11 keer"), None);
        assert_eq!(year_in_file_name("jaarverslag-2020"), Some(2020));
    }
}
