//! Small value types of front matter that carry their own validation: dates and times.

use std::fmt;

use chrono::{NaiveDate, NaiveTime};
use serde::de::{Deserializer, Error};
use serde::{Deserialize, Serialize, Serializer};

/// A calendar date written as a bare TOML date (`2021-12-14`) or a quoted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

/// A time of day, `"19:30"` or a bare TOML time (`19:30:00`), in Europe/Amsterdam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay(pub NaiveTime);

#[derive(Deserialize)]
#[serde(untagged)]
enum RawDateTime {
    Toml(toml::value::Datetime),
    Text(String),
    Other(toml::Value),
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match RawDateTime::deserialize(deserializer)? {
            RawDateTime::Toml(dt) => match (dt.date, dt.time) {
                (Some(d), None) => {
                    NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                        .map(Date)
                        .ok_or_else(|| D::Error::custom(format!("`{dt}` is not a real date; write a day that exists in that month, e.g. 2021-02-28")))
                }
                _ => Err(D::Error::custom(format!(
                    "`{dt}` is not a plain date; write only the day, e.g. 2021-12-14"
                ))),
            },
            RawDateTime::Text(text) => parse_date(&text).map(Date).map_err(D::Error::custom),
            RawDateTime::Other(value) => Err(D::Error::custom(format!(
                "expected a date like 2021-12-14, found {}",
                value.type_str()
            ))),
        }
    }
}

/// Parses `YYYY-MM-DD`, and recognises the Dutch `DD-MM-YYYY` habit to suggest the fix.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date);
    }
    for format in ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Err(format!(
                "`{text}` is written day-first; write dates as YYYY-MM-DD without quotes: {}",
                date.format("%Y-%m-%d")
            ));
        }
    }
    Err(format!(
        "`{text}` is not a date; write dates as YYYY-MM-DD without quotes, e.g. 2021-12-14"
    ))
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let invalid = |shown: String| {
            D::Error::custom(format!(
                "`{shown}` is not a time of day; write it as \"19:30\""
            ))
        };
        match RawDateTime::deserialize(deserializer)? {
            RawDateTime::Toml(dt) => match (dt.date, dt.time, dt.offset) {
                (None, Some(t), None) => NaiveTime::from_hms_opt(
                    t.hour.into(),
                    t.minute.into(),
                    t.second.unwrap_or(0).into(),
                )
                .map(TimeOfDay)
                .ok_or_else(|| invalid(dt.to_string())),
                _ => Err(invalid(dt.to_string())),
            },
            RawDateTime::Text(text) => NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(text.trim(), "%H.%M"))
                .map(TimeOfDay)
                .map_err(|_| invalid(text)),
            RawDateTime::Other(value) => Err(invalid(value.to_string())),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Sample {
        date: Date,
        time: Option<TimeOfDay>,
    }

    fn parse(text: &str) -> Result<Sample, String> {
        toml::from_str::<Sample>(text).map_err(|e| e.message().to_string())
    }

    #[test]
    fn accepts_bare_and_quoted_dates() {
        assert_eq!(
            parse("date = 2021-12-14").unwrap().date.to_string(),
            "2021-12-14"
        );
        assert_eq!(
            parse("date = \"2021-12-14\"").unwrap().date.to_string(),
            "2021-12-14"
        );
    }

    #[test]
    fn dutch_dates_get_the_right_spelling() {
        let message = parse("date = \"14-12-2021\"").unwrap_err();
        assert!(message.contains("2021-12-14"), "{message}");
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(parse("date = 2021-13-45").is_err());
        assert!(parse("date = \"2021-02-30\"").is_err());
        assert!(parse("date = 2021-12-14T10:00:00").is_err());
        assert!(parse("date = 3").unwrap_err().contains("expected a date"));
    }

    #[test]
    fn times_as_text_or_toml() {
        let s = parse("date = 2021-12-14\ntime = \"19:30\"").unwrap();
        assert_eq!(s.time.unwrap().to_string(), "19:30");
        let s = parse("date = 2021-12-14\ntime = 19:30:00").unwrap();
        assert_eq!(s.time.unwrap().to_string(), "19:30");
        assert!(parse("date = 2021-12-14\ntime = \"25:00\"").is_err());
    }
}
