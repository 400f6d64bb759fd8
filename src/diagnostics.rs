//! Errors that point at a place in the webmaster's files, rendered rustc-style.
//!
//! Every stage of the pipeline reports problems as [`Diagnostic`]s and collects them in
//! [`Diagnostics`], so one build shows all errors at once instead of one per run.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column, plus the length to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub len: usize,
    pub source_line: String,
}

impl Location {
    /// Finds the line and column of a byte offset in `text` (clamped to the text).
    pub fn at_offset(text: &str, offset: usize, len: usize) -> Location {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let source_line = text[line_start..line_end].trim_end_matches('\r');
        Location {
            line: text[..offset].matches('\n').count() + 1,
            column: text[line_start..offset].chars().count() + 1,
            len: len.max(1),
            source_line: source_line.to_string(),
        }
    }

    /// The location of a whole 1-based line of `text`.
    pub fn line_of(text: &str, line: usize) -> Location {
        let offset = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let mut location = Location::at_offset(text, offset, 1);
        location.len = location.source_line.chars().count().max(1);
        location
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One problem found in the site, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, e.g. `content/minutes/2021-12-14.md`.
    pub file: PathBuf,
    pub location: Option<Location>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error in `file` with no precise place.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning in `file` with no precise place.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Points the diagnostic at a place in the file.
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    /// Adds advice on how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:column`, or just the file when the place is unknown.
    pub fn position(&self) -> String {
        match &self.location {
            Some(l) => format!("{}:{}:{}", self.file.display(), l.line, l.column),
            None => self.file.display().to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// Renders the diagnostic like rustc: headline, arrow with position, the offending
    /// line with a caret underline, then the hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let Some(location) = &self.location else {
            writeln!(f, "  --> {}", self.position())?;
            if let Some(hint) = &self.hint {
                writeln!(f, "   = help: {hint}")?;
            }
            return Ok(());
        };
        let number = location.line.to_string();
        let pad = " ".repeat(number.len());
        writeln!(f, "{pad}--> {}", self.position())?;
        writeln!(f, "{pad} |")?;
        writeln!(f, "{number} | {}", location.source_line)?;
        let indent: String = location
            .source_line
            .chars()
            .take(location.column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        writeln!(f, "{pad} | {indent}{}", "^".repeat(location.len))?;
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = help: {hint}")?;
        }
        Ok(())
    }
}

/// All diagnostics of one build, kept in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds all diagnostics of another collection.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by file and position so reports are the same from run to run, whatever
    /// order parallel stages found them in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                let (line, column) = d.location.as_ref().map_or((0, 0), |l| (l.line, l.column));
                (d.file.clone(), line, column, d.severity, d.message.clone())
            };
            key(a).cmp(&key(b))
        });
        self.items.dedup();
    }

    /// Iterates over the diagnostics.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.items {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, c)| *distance <= (c.chars().count() / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

/// A path relative to `root` for messages, or the path itself when it is elsewhere.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_chars() {
        let text = "+++\ntitel = \"ë\"\n+++\n";
        let l = Location::at_offset(text, 4, 5);
        assert_eq!((l.line, l.column), (2, 1));
        assert_eq!(l.source_line, "titel = \"ë\"");
        let l = Location::at_offset(text, text.find('"').unwrap() + 1, 1);
        assert_eq!((l.line, l.column), (2, 10));
    }

    #[test]
    fn renders_like_rustc() {
        let text = "a\ntitel = 1\n";
        let d = Diagnostic::error("content/x.md", "unknown field `titel`")
            .at(Location::at_offset(text, 2, 5))
            .hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "error: unknown field `titel`\n \
             --> content/x.md:2:1\n  |\n2 | titel = 1\n  | ^^^^^\n  = help: did you mean `title`?\n"
        );
    }

    #[test]
    fn nearest_finds_typos_only() {
        let keys = ["title", "date", "summary", "policy_areas"];
        assert_eq!(nearest("titel", keys), Some("title"));
        assert_eq!(nearest("policy_area", keys), Some("policy_areas"));
        assert_eq!(nearest("zzzzzzzz", keys), None);
    }
}
