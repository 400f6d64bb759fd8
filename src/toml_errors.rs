//! Turns TOML parse and type errors into diagnostics with a place and a hint.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Location, nearest};

/// A diagnostic for a TOML error in `text`, which starts at byte `base` of the file
/// `full` (front matter sits a few bytes into its Markdown file).
pub fn toml_diagnostic(
    file: impl AsRef<Path>,
    full: &str,
    base: usize,
    error: &toml::de::Error,
) -> Diagnostic {
    let message = error.message().trim().to_string();
    let (start, len) = error.span().map_or((0, 1), |span| {
        (span.start, span.end.saturating_sub(span.start))
    });
    let mut location = Location::at_offset(full, base + start, len);
    // A span over several lines (a whole table) underlines its first line only.
    location.len = location
        .len
        .min(
            location
                .source_line
                .chars()
                .count()
                .saturating_sub(location.column - 1),
        )
        .max(1);
    let written = full
        .get(base + start..base + start + len)
        .unwrap_or_default()
        .trim();
    let mut headline = plain_words(&headline(&message));
    let mut hint = hint_for(&message, written);
    // quorum's own value errors say what is wrong, then `; write ...` how to fix it.
    if hint.is_none()
        && let Some((what, how)) = headline.split_once("; write ")
    {
        hint = Some(format!("write {how}"));
        headline = what.to_string();
    }
    let mut diagnostic = Diagnostic::error(file.as_ref(), headline).at(location);
    if let Some(hint) = hint {
        diagnostic = diagnostic.hint(hint);
    }
    diagnostic
}

/// The first line of serde's message; the list of expected fields goes into the hint.
fn headline(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    match first.split_once(", expected") {
        Some((head, _)) if first.starts_with("unknown field") => head.to_string(),
        _ => first.to_string(),
    }
}

/// How to fix the error of `message`, given the `written` text it points at.
fn hint_for(message: &str, written: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`')?;
        let candidates = backticked(expected);
        return Some(match nearest(field, candidates.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if candidates.is_empty() => "remove this field".to_string(),
            None => format!(
                "remove it, or use one of the allowed fields: {}; free fields go in an [extra] table",
                candidates.join(", ")
            ),
        });
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`')?;
        let candidates = backticked(expected);
        return Some(match nearest(value, candidates.iter().copied()) {
            Some(best) => format!("did you mean \"{best}\"?"),
            None => format!("use one of: {}", candidates.join(", ")),
        });
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next()?;
        return Some(format!("add `{field} = ...` to this table"));
    }
    if message.starts_with("invalid date")
        && let Ok(date) = chrono::NaiveDate::parse_from_str(written, "%d-%m-%Y")
    {
        return Some(format!(
            "write dates year first, as YYYY-MM-DD: date = {}",
            date.format("%Y-%m-%d")
        ));
    }
    if message.starts_with("invalid date") {
        return Some(
            "write dates as YYYY-MM-DD with a real month (01-12) and day, e.g. date = 2021-12-14"
                .to_string(),
        );
    }
    if message.contains("invalid type: string") && message.contains("date") {
        return Some(
            "write dates without quotes as YYYY-MM-DD, e.g. date = 2021-12-14".to_string(),
        );
    }
    if message.contains("invalid type") {
        return Some("check the value's type: text needs \"quotes\", lists need [brackets], dates are YYYY-MM-DD without quotes".to_string());
    }
    syntax_hint(message).map(str::to_string)
}

/// How to fix a TOML syntax error.
fn syntax_hint(message: &str) -> Option<&'static str> {
    let hint = if message.contains("string") {
        "close the text with a \" on the same line; for text over several lines, use \"\"\"three quotes\"\"\""
    } else if message.starts_with("duplicate key") {
        "a field may appear only once; remove one of the two lines"
    } else if message.contains("expected `=`") {
        "write each field as name = value, e.g. title = \"Vergadering\""
    } else if message.contains("array") {
        "close the list with ] and separate its values with commas: [\"a\", \"b\"]"
    } else if message.contains("inline table") {
        "close the table with } and keep it on one line: { file = \"a.pdf\", title = \"A\" }"
    } else if message.starts_with("invalid") || message.starts_with("unexpected") {
        "check the TOML syntax: one field per line as name = value, text in \"quotes\", lists in [brackets]"
    } else {
        return None;
    };
    Some(hint)
}

/// serde's words for TOML's: a "sequence" is a list, a "map" a table.
fn plain_words(message: &str) -> String {
    message
        .replace("expected i32", "expected a whole number")
        .replace("expected a boolean", "expected true or false")
        .replace("expected a sequence", "expected a list like [\"a\", \"b\"]")
        .replace(
            "expected a map",
            "expected a table like { key = \"value\" }",
        )
}

/// The words between backticks in `text`.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        summary: Option<String>,
    }

    fn diagnose(text: &str) -> Diagnostic {
        let error = toml::from_str::<Sample>(text).unwrap_err();
        toml_diagnostic("x.toml", text, 0, &error)
    }

    #[test]
    fn unknown_field_names_the_nearest() {
        let d = diagnose("title = \"a\"\nsumary = \"b\"\n");
        assert_eq!(d.message, "unknown field `sumary`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `summary`?"));
        assert_eq!(d.location.unwrap().line, 2);
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let d = diagnose("title = 3\n");
        let location = d.location.clone().unwrap();
        assert_eq!((location.line, location.column), (1, 9));
        assert!(d.hint.is_some());
    }

    #[test]
    fn syntax_error_has_a_place() {
        let d = diagnose("title = \"a\"\nsummary = \"unclosed\n");
        assert_eq!(d.location.unwrap().line, 2);
    }
}
