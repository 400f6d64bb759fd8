//! `quorum import`: existing documents (plain text, Word .docx) as content files.
//!
//! Each file goes through the same steps: [`source`] reads it, [`text`] or [`docx`] turn
//! it into the [`document`] model, [`recognise`] finds its date, title, attendees and
//! actions, and [`markdown`] writes the content file. All files are converted before any
//! is written, so a batch with one bad file writes nothing.

mod dates;
mod document;
mod docx;
mod markdown;
mod recognise;
mod source;
mod text;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use self::document::Document;
use self::markdown::Fields;
use self::recognise::Recognised;
use self::source::Source;
use super::{already_exists, write_new};
use crate::config::Config;
use crate::content::{ActionItem, Kind};
use crate::diagnostics::Diagnostic;
use crate::i18n::Language;
use crate::slug::slugify;

/// What to import the files as, with values that override what the documents say.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub kind: Kind,
    pub date: Option<NaiveDate>,
    pub year: Option<i32>,
    pub title: Option<String>,
}

/// One imported file and what was recognised in it.
#[derive(Debug)]
pub struct Imported {
    pub source: PathBuf,
    /// The content file written, relative to the site root.
    pub written: PathBuf,
    /// "date 2021-12-14 (from the document)".
    pub date: Option<String>,
    pub headings: usize,
    pub list_items: usize,
    pub attendees: usize,
    pub absent: usize,
    pub guests: usize,
    pub actions: usize,
    /// Text that was left out because it belongs to a website, not to the document.
    pub dropped: Vec<String>,
    /// What the webmaster should look at before publishing.
    pub checks: Vec<String>,
}

/// A file converted in memory, not yet written.
struct Converted {
    imported: Imported,
    text: String,
}

/// Imports `files` into the site at `root`; writes nothing unless every file converts.
pub fn import(
    root: &Path,
    config: &Config,
    files: &[PathBuf],
    options: &ImportOptions,
) -> Result<Vec<Imported>, Vec<Diagnostic>> {
    let overrides = options.date.is_some() || options.year.is_some() || options.title.is_some();
    if files.len() > 1 && overrides {
        return Err(vec![
            Diagnostic::error(&files[0], "--date, --year and --title apply to one file")
                .hint("import the files one at a time when you give a date, year or title"),
        ]);
    }
    let mut errors = Vec::new();
    let mut converted = Vec::new();
    let mut targets = BTreeSet::new();
    for file in files {
        match convert(file, config, options) {
            Ok(c)
                if root.join(&c.imported.written).exists()
                    || !targets.insert(c.imported.written.clone()) =>
            {
                errors.push(already_exists(&c.imported.written).hint(format!(
                    "{} would become {}, which already exists; remove or rename it, or import with another --date or --title",
                    file.display(),
                    c.imported.written.display()
                )));
            }
            Ok(c) => converted.push(c),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut imported = Vec::new();
    for c in converted {
        write_new(
            &root.join(&c.imported.written),
            &c.imported.written,
            &c.text,
        )
        .map_err(|e| vec![e])?;
        imported.push(c.imported);
    }
    Ok(imported)
}

fn convert(file: &Path, config: &Config, options: &ImportOptions) -> Result<Converted, Diagnostic> {
    let (doc, note) = match source::read(file)? {
        Source::Text { text, note } => (text::parse(&text), note),
        Source::Docx(bytes) => (
            docx::parse(&bytes).map_err(|e| docx_error(file, &bytes, &e))?,
            None,
        ),
    };
    if doc.blocks.is_empty() {
        return Err(Diagnostic::error(file, "the document has no text")
            .hint("check that this is the right file; a scanned document holds only images"));
    }
    let kind = options.kind;
    let (doc, found) = recognise::recognise(doc, kind);
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut checks: Vec<String> = note.into_iter().collect();
    let (date, date_note) = date(file, &stem, &found, options)?;
    let year = year(file, &stem, &found, date, options, &mut checks)?;
    let title = title(&stem, &found, year, config.language, options, &mut checks);
    let written = target(file, kind, date, year, title.as_deref())?;
    let actions = action_ids(&found, date);
    checks.extend(advice(kind, &found, &doc, &actions));
    let (headings, list_items) = recognise::count(&doc);
    let fields = Fields {
        kind,
        title: title.filter(|_| !matches!(kind, Kind::Minutes | Kind::Meeting)),
        date,
        year,
        attendees: found.attendees.clone(),
        absent: found.absent.clone(),
        guests: found.guests.clone(),
        actions,
    };
    let text = markdown::content_file(&fields, &doc);
    let imported = Imported {
        source: file.to_path_buf(),
        written,
        date: kind.is_dated().then_some(date_note),
        headings,
        list_items,
        attendees: found.attendees.len(),
        absent: found.absent.len(),
        guests: found.guests.len(),
        actions: fields.actions.len(),
        dropped: found.dropped,
        checks,
    };
    Ok(Converted { imported, text })
}

/// The item's date and where it came from: `--date`, the document, or the file name.
fn date(
    file: &Path,
    stem: &str,
    found: &Recognised,
    options: &ImportOptions,
) -> Result<(NaiveDate, String), Diagnostic> {
    let show = |d: NaiveDate, from: &str| (d, format!("date {} ({from})", d.format("%Y-%m-%d")));
    if let Some(d) = options.date {
        return Ok(show(d, "from --date"));
    }
    if let Some(d) = found.date {
        return Ok(show(d, "from the document"));
    }
    if let Some(d) = dates::date_in_file_name(stem) {
        return Ok(show(d, "from the file name"));
    }
    if !options.kind.is_dated() {
        return Ok((NaiveDate::default(), String::new()));
    }
    Err(
        Diagnostic::error(file, "no date found in the document or its file name").hint(format!(
            "give the date: quorum import {} {} --date YYYY-MM-DD",
            options.kind.id(),
            file.display()
        )),
    )
}

/// The year of an annual report: `--year`, "Jaarverslag 2020", the file name, or the
/// year the text mentions most.
fn year(
    file: &Path,
    stem: &str,
    found: &Recognised,
    date: NaiveDate,
    options: &ImportOptions,
    checks: &mut Vec<String>,
) -> Result<Option<i32>, Diagnostic> {
    if options.kind != Kind::AnnualReport {
        return Ok(options.year.or(Some(date.year())));
    }
    let explicit = found.year.filter(|(_, named)| *named).map(|(y, _)| y);
    let year = options
        .year
        .or(explicit)
        .or_else(|| dates::year_in_file_name(stem));
    if year.is_some() {
        return Ok(year);
    }
    match found.year {
        Some((guess, _)) => {
            checks.push(format!(
                "year {guess} is the year the text mentions most; pass --year if the report is about another year"
            ));
            Ok(Some(guess))
        }
        None => Err(
            Diagnostic::error(file, "no year found for the annual report").hint(format!(
                "give the year the report is about: quorum import annual-report {} --year YYYY",
                file.display()
            )),
        ),
    }
}

fn title(
    stem: &str,
    found: &Recognised,
    year: Option<i32>,
    language: Language,
    options: &ImportOptions,
    checks: &mut Vec<String>,
) -> Option<String> {
    if let Some(title) = options.title.clone().or_else(|| found.title.clone()) {
        return Some(title);
    }
    match options.kind {
        Kind::Minutes | Kind::Meeting => None,
        Kind::AnnualReport => {
            let word = match language {
                Language::Nl => "Jaarverslag",
                Language::En => "Annual report",
            };
            year.map(|y| format!("{word} {y}"))
        }
        Kind::News | Kind::Advice | Kind::Page => {
            let words = stem.replace(['-', '_'], " ");
            let mut chars = words.trim().chars();
            let title = chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())?;
            checks.push(format!(
                "the title \"{title}\" comes from the file name: improve it in the front matter"
            ));
            Some(title)
        }
    }
}

/// `content/<kind>/…md`, named the way the content format names each kind.
fn target(
    file: &Path,
    kind: Kind,
    date: NaiveDate,
    year: Option<i32>,
    title: Option<&str>,
) -> Result<PathBuf, Diagnostic> {
    let slug = slugify(title.unwrap_or_default());
    let day = date.format("%Y-%m-%d");
    let year = year.unwrap_or(date.year());
    let name = match kind {
        Kind::Minutes | Kind::Meeting => format!("{day}.md"),
        Kind::AnnualReport => format!("{year}.md"),
        Kind::News if !slug.is_empty() => format!("{day}-{slug}.md"),
        Kind::Advice if !slug.is_empty() => format!("{year}-{slug}.md"),
        Kind::Page if !slug.is_empty() => format!("{slug}.md"),
        Kind::News | Kind::Advice | Kind::Page => {
            return Err(Diagnostic::error(
                file,
                "the title has no letters or digits to name the file after",
            )
            .hint("give a title: --title \"...\""));
        }
    };
    Ok(Path::new("content").join(kind.folder()).join(name))
}

/// Actions get ids from the meeting date, so they stay unique across minutes.
fn action_ids(found: &Recognised, date: NaiveDate) -> Vec<ActionItem> {
    found
        .actions
        .iter()
        .enumerate()
        .map(|(i, action)| ActionItem {
            id: format!("A-{}-{}", date.format("%Y-%m-%d"), i + 1),
            what: action.what.clone(),
            who: action.who.clone(),
            due: action.due,
            done: action.done,
        })
        .collect()
}

/// What the webmaster should look at, given what was (not) recognised.
fn advice(kind: Kind, found: &Recognised, doc: &Document, actions: &[ActionItem]) -> Vec<String> {
    let mut checks = Vec::new();
    if kind == Kind::Minutes {
        checks.push("status = \"concept\": set status = \"approved\" and approved_on once the minutes are approved".to_string());
        if found.attendees.is_empty() {
            checks.push(
                "no attendees found: add attendees = [...] if the minutes name them".to_string(),
            );
        }
    }
    if let (Some(first), Some(last)) = (actions.first(), actions.last()) {
        checks.push(format!(
            "actions got new ids {} … {}: give an action the id it had in earlier minutes if it continues one",
            first.id, last.id
        ));
    }
    let labels = recognise::labels(doc);
    if !labels.is_empty() {
        checks.push(format!(
            "numbered items {} are written as paragraphs starting with their number in bold: Markdown lists only count 1, 2, 3",
            labels.join(", ")
        ));
    }
    if found
        .dropped
        .iter()
        .any(|d| d.to_lowercase().contains("pdf"))
    {
        checks.push("the original linked to a PDF: attach it (make the item a folder with index.md and attachments = [...])".to_string());
    }
    if doc
        .blocks
        .iter()
        .any(|b| matches!(b, document::Block::Table(_)))
    {
        checks.push("tables: check that the first row is the header row".to_string());
    }
    checks.push(
        "add topics and policy_areas to the front matter so readers find the item".to_string(),
    );
    checks
}

/// The message for a file that is not a readable .docx, naming what it is instead.
fn docx_error(file: &Path, bytes: &[u8], error: &docx::DocxError) -> Diagnostic {
    let what = source::binary_kind(bytes).filter(|(what, _)| *what != "a zip archive");
    match (error, what) {
        (docx::DocxError::NotZip(_), Some((what, hint))) => {
            Diagnostic::error(file, format!("this is not a Word document: it is {what}")).hint(hint)
        }
        (docx::DocxError::NotZip(_), None) => Diagnostic::error(file, format!("this is not a Word document: {error}"))
            .hint("the file may be damaged or only partly downloaded; open it in Word and save it again as .docx"),
        (docx::DocxError::NoDocument, _) => Diagnostic::error(file, format!("this is not a Word document: {error}"))
            .hint("if it is an OpenDocument (.odt) file, open it and save it as .docx"),
        (docx::DocxError::Damaged { .. }, _) => Diagnostic::error(file, format!("the Word document is damaged: {error}"))
            .hint("open it in Word and save it again as .docx, or copy its text into a .txt file"),
    }
}

impl fmt::Display for Imported {
    /// What was written and recognised, then what to check, for the terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} → {}", self.source.display(), self.written.display())?;
        let mut found: Vec<String> = self.date.iter().cloned().collect();
        found.push(plural(self.headings, "heading", "headings"));
        found.push(plural(self.list_items, "list item", "list items"));
        found.push(plural(self.attendees, "attendee", "attendees"));
        if self.absent > 0 {
            found.push(format!("{} absent", self.absent));
        }
        if self.guests > 0 {
            found.push(plural(self.guests, "guest", "guests"));
        }
        found.push(plural(self.actions, "action", "actions"));
        writeln!(f, "  recognised: {}", found.join(", "))?;
        for dropped in &self.dropped {
            writeln!(
                f,
                "  left out (website text, not part of the document): {dropped}"
            )?;
        }
        for check in &self.checks {
            writeln!(f, "  check: {check}")?;
        }
        Ok(())
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
