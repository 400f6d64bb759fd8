//! `/agenda.ics`: the meetings as an iCalendar feed (RFC 5545) that calendar apps can
//! subscribe to. UIDs come from the meeting's file name and the site's host, so they
//! never change between builds; DTSTAMP comes from the meeting date for the same reason.

use chrono::{Days, NaiveDate, NaiveTime};

use super::OutputFile;
use super::view::Views;
use crate::content::{Details, Kind, MeetingStatus};
use crate::site::Site;

/// The Europe/Amsterdam time zone with its daylight saving rules since 1996.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n\
DTSTART:19810329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n\
DTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// The calendar of all meetings, oldest first.
pub fn agenda(site: &Site, views: &Views<'_>) -> OutputFile {
    let mut ics_body = String::new();
    let header = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!(
            "PRODID:-//quorum//{}//{}",
            escape(&site.config.title),
            site.config.language.code().to_uppercase()
        ),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape(&site.config.title)),
        "X-WR-TIMEZONE:Europe/Amsterdam".to_string(),
    ];
    for text in header {
        push_folded(&mut ics_body, &text);
    }
    ics_body.push_str(VTIMEZONE);
    let host = host(&site.config.base_url);
    for &i in site.of_kind(Kind::Meeting).iter().rev() {
        let entry = &site.entries[i];
        let (Details::Meeting(meeting), Some(day)) = (&entry.item.details, entry.item.date) else {
            continue;
        };
        let mut lines = vec![
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@{host}", entry.item.slug),
            format!("DTSTAMP:{}T000000Z", day.format("%Y%m%d")),
        ];
        lines.extend(times(day, meeting.start, meeting.end));
        lines.push(format!("SUMMARY:{}", escape(&entry.item.title)));
        let location = [meeting.location.as_deref(), meeting.online.as_deref()];
        let location: Vec<&str> = location.into_iter().flatten().collect();
        if !location.is_empty() {
            lines.push(format!("LOCATION:{}", escape(&location.join(" / "))));
        }
        let mut description: Vec<String> = meeting
            .agenda
            .iter()
            .enumerate()
            .map(|(n, a)| format!("{}. {}", n + 1, a.title))
            .collect();
        let (status, sequence) = match meeting.status {
            MeetingStatus::Scheduled => ("CONFIRMED", 0),
            MeetingStatus::Cancelled => ("CANCELLED", 1),
            MeetingStatus::Moved { to } => {
                description.insert(
                    0,
                    format!("{} {}", views.t("moved_to"), views.date(to).long),
                );
                ("CANCELLED", 1)
            }
        };
        if !description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape(&description.join("\n"))));
        }
        lines.push(format!("URL:{}", site.absolute(&entry.path)));
        lines.push(format!("STATUS:{status}"));
        lines.push(format!("SEQUENCE:{sequence}"));
        lines.push("END:VEVENT".into());
        for text in lines {
            push_folded(&mut ics_body, &text);
        }
    }
    push_folded(&mut ics_body, "END:VCALENDAR");
    OutputFile {
        path: "agenda.ics".into(),
        contents: super::Contents::bytes(ics_body),
    }
}

/// DTSTART and DTEND: local times in Europe/Amsterdam, or a whole day without a time.
fn times(day: NaiveDate, start: Option<NaiveTime>, end: Option<NaiveTime>) -> Vec<String> {
    let local = |t: NaiveTime| {
        format!(
            "TZID=Europe/Amsterdam:{}T{}",
            day.format("%Y%m%d"),
            t.format("%H%M%S")
        )
    };
    match (start, end) {
        (Some(start), Some(end)) => vec![
            format!("DTSTART;{}", local(start)),
            format!("DTEND;{}", local(end)),
        ],
        (Some(start), None) => {
            let end = start
                .overflowing_add_signed(chrono::TimeDelta::hours(2))
                .0
                .max(start);
            vec![
                format!("DTSTART;{}", local(start)),
                format!("DTEND;{}", local(end)),
            ]
        }
        _ => {
            let next = day.checked_add_days(Days::new(1)).unwrap_or(day);
            vec![
                format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")),
                format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
            ]
        }
    }
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Appends a content line, folded at 75 octets (never inside a UTF-8 character), with CRLF.
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The host of the base URL, for UIDs: `adviesraad.example.nl`.
fn host(base_url: &str) -> &str {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        push_folded(&mut out, &line);
        for part in out.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), line);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn hosts_for_uids() {
        assert_eq!(host("https://raad.example.nl"), "raad.example.nl");
        assert_eq!(host("https://user.github.io/raad"), "user.github.io");
    }
}
