//! The site language: URL words, month names and date formats.
//!
//! Interface strings of the theme live in the theme's `i18n/<lang>.toml`; what is here
//! is what the Rust side itself puts into URLs and metadata.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// A language the site can be published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Nl,
    En,
}

/// A fixed part of a URL, translated per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlWord {
    Minutes,
    News,
    Advice,
    AnnualReports,
    Meetings,
    Topics,
    PolicyAreas,
    Year,
    Page,
    Actions,
    Search,
}

impl Language {
    /// The BCP 47 code used in `lang` attributes and feeds.
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    /// The URL segment for a fixed part of the site.
    pub fn url_word(self, word: UrlWord) -> &'static str {
        use UrlWord::*;
        match (self, word) {
            (Language::Nl, Minutes) => "verslagen",
            (Language::Nl, News) => "nieuws",
            (Language::Nl, Advice) => "adviezen",
            (Language::Nl, AnnualReports) => "jaarverslagen",
            (Language::Nl, Meetings) => "vergaderingen",
            (Language::Nl, Topics) => "onderwerpen",
            (Language::Nl, PolicyAreas) => "beleidsterreinen",
            (Language::Nl, Year) => "jaar",
            (Language::Nl, Page) => "pagina",
            (Language::Nl, Actions) => "actielijst",
            (Language::Nl, Search) => "zoeken",
            (Language::En, Minutes) => "minutes",
            (Language::En, News) => "news",
            (Language::En, Advice) => "advice",
            (Language::En, AnnualReports) => "annual-reports",
            (Language::En, Meetings) => "meetings",
            (Language::En, Topics) => "topics",
            (Language::En, PolicyAreas) => "policy-areas",
            (Language::En, Year) => "year",
            (Language::En, Page) => "page",
            (Language::En, Search) => "search",
            (Language::En, Actions) => "actions",
        }
    }

    /// The URL segment of an advice status in the register (`answered`, `awaiting`,
    /// `overdue`).
    pub fn advice_status_slug(self, status: &str) -> &'static str {
        match (self, status) {
            (Language::Nl, "answered") => "beantwoord",
            (Language::Nl, "overdue") => "te-laat",
            (Language::Nl, _) => "wacht-op-reactie",
            (Language::En, "answered") => "answered",
            (Language::En, "overdue") => "overdue",
            (Language::En, _) => "awaiting",
        }
    }

    /// A date written out for readers: "14 december 2021" or "14 December 2021".
    /// Joined from its parts: pages show thousands of dates, and `format!` took several
    /// times the instructions.
    pub fn long_date(self, date: NaiveDate) -> String {
        let month = self.month_name(date.month());
        let (mut day, mut year) = (itoa::Buffer::new(), itoa::Buffer::new());
        [
            day.format(date.day()),
            " ",
            month,
            " ",
            year.format(date.year()),
        ]
        .concat()
    }

    /// The name of a month (1-12) as written in running text.
    pub fn month_name(self, month: u32) -> &'static str {
        const NL: [&str; 12] = [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let index = (month.clamp(1, 12) - 1) as usize;
        match self {
            Language::Nl => NL[index],
            Language::En => EN[index],
        }
    }
}

/// A date as `%Y-%m-%d` writes it (2021-12-14), for machines: `<time datetime>`, open
/// data and structured data. Written digit by digit: chrono reads its pattern again for
/// every date, about a thousand instructions each, for the dates of every page.
pub fn iso_date(date: NaiveDate) -> String {
    let year = date.year();
    if !(1000..=9999).contains(&year) {
        return date.format("%Y-%m-%d").to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let (year, month, day) = (year as u32, date.month(), date.day());
    [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        '-',
        digit(month / 10),
        digit(month),
        '-',
        digit(day / 10),
        digit(day),
    ]
    .into_iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2021, 12, 14),
            (1999, 1, 1),
            (9999, 12, 31),
            (999, 3, 4),
            (10000, 1, 2),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
            assert_eq!(iso_date(date), date.to_string());
        }
    }

    #[test]
    fn long_dates_follow_the_language() {
        let date = NaiveDate::from_ymd_opt(2021, 12, 14).unwrap();
        assert_eq!(Language::Nl.long_date(date), "14 december 2021");
        assert_eq!(Language::En.long_date(date), "14 December 2021");
    }

    #[test]
    fn url_words_follow_the_language() {
        assert_eq!(
            Language::Nl.url_word(UrlWord::PolicyAreas),
            "beleidsterreinen"
        );
        assert_eq!(
            Language::En.url_word(UrlWord::AnnualReports),
            "annual-reports"
        );
    }
}
