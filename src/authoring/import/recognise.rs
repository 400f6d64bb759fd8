//! Finding what a document says about itself: its title and date, who was there, the
//! action list, and the website text around a copied page that is not part of it.
//!
//! Recognition works on the document model, so text and Word files get the same
//! treatment. What it finds is taken out of the body and goes into the front matter.

use chrono::NaiveDate;

use super::dates::{dates_in, report_year};
use super::document::{Block, Document, Inline, Marker, is_heading_like, label_of, text_of};
use crate::content::Kind;

/// What recognition found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recognised {
    pub title: Option<String>,
    /// The date the document gives for itself, if any.
    pub date: Option<NaiveDate>,
    pub attendees: Vec<String>,
    pub absent: Vec<String>,
    pub guests: Vec<String>,
    pub actions: Vec<FoundAction>,
    /// The year of an annual report, and whether the text names it ("Jaarverslag 2020").
    pub year: Option<(i32, bool)>,
    /// Website text that was left out, as shown to the webmaster.
    pub dropped: Vec<String>,
}

/// An action from an action list, before it gets an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundAction {
    pub what: String,
    pub who: Option<String>,
    pub due: Option<NaiveDate>,
    pub done: bool,
}

/// Lines that belong to the website a text was copied from, not to the document.
const WEBSITE_LINES: [&str; 16] = [
    "lees meer",
    "lees verder",
    "deel dit bericht",
    "deel deze pagina",
    "delen",
    "terug",
    "terug naar overzicht",
    "print",
    "printen",
    "afdrukken",
    "naar boven",
    "read more",
    "share",
    "share this",
    "share this page",
    "back to overview",
];

/// Headings of the news lists and link blocks at the foot of a copied web page.
const WEBSITE_FOOTERS: [&str; 11] = [
    "nieuwsberichten",
    "nieuws",
    "meer nieuws",
    "ander nieuws",
    "laatste nieuws",
    "recente berichten",
    "gerelateerde berichten",
    "lees ook",
    "related posts",
    "recent posts",
    "more news",
];

const ACTION_LISTS: [&str; 9] = [
    "actiepunten",
    "actielijst",
    "actiepuntenlijst",
    "acties",
    "besluiten- en actielijst",
    "actie- en besluitenlijst",
    "action items",
    "actions",
    "action list",
];

/// Which front-matter list a "Label:" line fills.
fn role(label: &str) -> Option<Role> {
    match label {
        "aanwezig" | "aanwezigen" | "present" | "attendees" => Some(Role::Attendee),
        "afwezig"
        | "afwezig met kennisgeving"
        | "met kennisgeving afwezig"
        | "afgemeld"
        | "afmeldingen"
        | "absent"
        | "apologies" => Some(Role::Absent),
        "gast" | "gasten" | "te gast" | "genodigden" | "guest" | "guests" => Some(Role::Guest),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy)]
enum Role {
    Attendee,
    Absent,
    Guest,
}

/// Recognises what it can and returns the remaining body.
pub fn recognise(mut doc: Document, kind: Kind) -> (Document, Recognised) {
    let mut found = Recognised::default();
    drop_website_text(&mut doc.blocks, &mut found.dropped);
    found.title = take_title(&mut doc.blocks, kind);
    let dated_line = take_date_line(&mut doc.blocks);
    let in_title = found
        .title
        .as_deref()
        .and_then(|t| dates_in(t).first().map(|f| f.date));
    found.date = in_title.or(dated_line).or_else(|| document_date(&doc));
    take_people(&mut doc.blocks, &mut found);
    found.actions = take_actions(&mut doc.blocks);
    if kind == Kind::AnnualReport {
        let title = found.title.clone().unwrap_or_default();
        found.year = report_year(&title).or_else(|| report_year(&doc.full_text()));
    }
    (doc, found)
}

fn lowered(block: &Block) -> Option<String> {
    block.text().map(|t| {
        t.trim_matches(|c: char| c.is_whitespace() || ":»›>…".contains(c))
            .to_lowercase()
    })
}

/// Leaves out "Lees meer" lines, "Koppeling naar … pdf" links that lost their address, and
/// a trailing block of website news ("Nieuwsberichten" and the short lines after it).
fn drop_website_text(blocks: &mut Vec<Block>, dropped: &mut Vec<String>) {
    let footer = blocks
        .iter()
        .position(|block| lowered(block).is_some_and(|t| WEBSITE_FOOTERS.contains(&t.as_str())));
    if let Some(start) = footer {
        let tail_is_short = blocks[start + 1..].iter().all(|b| match b {
            Block::Table(_) => false,
            Block::List(items) => items.iter().all(|i| text_of(&i.content).len() <= 120),
            other => other.text().is_some_and(|t| t.len() <= 120),
        });
        if tail_is_short {
            let count = blocks.len() - start;
            let first = blocks[start].text().unwrap_or_default();
            dropped.push(match count {
                1 => format!("\"{first}\" at the end"),
                n => format!("\"{first}\" and the {} lines after it", n - 1),
            });
            blocks.truncate(start);
        }
    }
    blocks.retain(|block| {
        let Some(text) = lowered(block) else {
            return true;
        };
        let link_text = ["koppeling naar ", "link naar ", "download "]
            .iter()
            .any(|p| text.starts_with(p))
            && text.split_whitespace().count() <= 8;
        let website = WEBSITE_LINES.contains(&text.as_str()) || link_text;
        if website {
            dropped.push(format!("\"{}\"", block.text().unwrap_or_default()));
        }
        !website
    });
}

/// The first block, when it is a title. Minutes and meetings are titled by their date, so
/// for them only a line naming the meeting or a date counts ("Vergadering 14 december").
fn take_title(blocks: &mut Vec<Block>, kind: Kind) -> Option<String> {
    let first = blocks.first()?;
    let text = first.text()?;
    let is_title = match first {
        Block::Heading { level: 0, .. } => true,
        _ if matches!(kind, Kind::Minutes | Kind::Meeting) => {
            let lower = text.to_lowercase();
            is_heading_like(&text)
                && (!dates_in(&text).is_empty()
                    || ["vergadering", "verslag", "notulen", "meeting", "minutes"]
                        .iter()
                        .any(|w| lower.contains(w)))
        }
        Block::Heading { .. } => true,
        _ => is_heading_like(&text) || (text.ends_with('?') && text.len() <= 100),
    };
    is_title.then(|| {
        blocks.remove(0);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    })
}

/// A "Datum: 18 maart 2021" line near the top: letterhead, not text. Its date is taken
/// and the line left out.
fn take_date_line(blocks: &mut Vec<Block>) -> Option<NaiveDate> {
    let (at, date) = blocks.iter().take(5).enumerate().find_map(|(i, block)| {
        let text = block.text()?;
        let (label, rest) = label_of(&text)?;
        let is_date_label = ["datum", "date", "vergaderdatum"].contains(&label.as_str());
        let found = dates_in(rest);
        let only_a_date = rest.split_whitespace().count() <= 5;
        (is_date_label && only_a_date).then(|| found.first().map(|f| (i, f.date)))?
    })?;
    blocks.remove(at);
    Some(date)
}

/// The first date near the top, else a date the text calls the meeting's ("vergadering
/// van dinsdag 30 mei 2023").
fn document_date(doc: &Document) -> Option<NaiveDate> {
    let top = Document {
        blocks: doc.blocks.iter().take(5).cloned().collect(),
    };
    dates_in(&top.full_text())
        .first()
        .map(|f| f.date)
        .or_else(|| {
            dates_in(&doc.full_text())
                .into_iter()
                .find(|f| f.cued)
                .map(|f| f.date)
        })
}

/// Takes out "Aanwezig: …", "Afwezig met kennisgeving: …" and "Gasten: …" blocks; names
/// follow the colon, or stand on the lines or list below it.
fn take_people(blocks: &mut Vec<Block>, found: &mut Recognised) {
    let mut i = 0;
    while i < blocks.len() {
        let mut labelled = blocks[i]
            .text()
            .map(|text| labelled_names(&text))
            .unwrap_or_default();
        if labelled.is_empty() {
            i += 1;
            continue;
        }
        blocks.remove(i);
        if let Some((_, names)) = labelled.last_mut()
            && names.is_empty()
        {
            *names = names_below(blocks, i);
        }
        for (role, names) in labelled {
            let list = match role {
                Role::Attendee => &mut found.attendees,
                Role::Absent => &mut found.absent,
                Role::Guest => &mut found.guests,
            };
            list.extend(names);
        }
    }
}

/// The people lines of a block ("Aanwezig: An, Bas"), or nothing unless every line of
/// the block is one, so no other text is lost with it.
fn labelled_names(text: &str) -> Vec<(Role, Vec<String>)> {
    text.lines()
        .map(|line| {
            let (label, rest) = label_of(line)?;
            Some((role(&label)?, split_names(rest)))
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

/// The names under a label line: the list, or the short lines, that follow it.
fn names_below(blocks: &mut Vec<Block>, at: usize) -> Vec<String> {
    if let Some(Block::List(items)) = blocks.get(at) {
        let names = items.iter().map(|i| text_of(&i.content)).collect();
        blocks.remove(at);
        return names;
    }
    let mut names = Vec::new();
    while let Some(Block::Paragraph(content)) = blocks.get(at) {
        let text = text_of(content);
        let name_like = text.lines().all(|l| {
            l.split_whitespace().count() <= 8
                && !l.trim().ends_with(['.', '!', '?'])
                && label_of(l).is_none()
        });
        if !name_like {
            break;
        }
        names.extend(text.lines().flat_map(split_names));
        blocks.remove(at);
    }
    names
}

/// "An, Bas en Cees (voorzitter)." → three names.
fn split_names(text: &str) -> Vec<String> {
    let text = text.trim().trim_end_matches('.');
    text.split([',', ';'])
        .flat_map(|part| part.split(" en ").flat_map(|p| p.split(" & ")))
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(String::from)
        .collect()
}

/// Takes out an "Actiepunten" / "Actielijst" heading with the list or table under it.
fn take_actions(blocks: &mut Vec<Block>) -> Vec<FoundAction> {
    let Some(at) = blocks
        .iter()
        .position(|b| lowered(b).is_some_and(|t| ACTION_LISTS.contains(&t.as_str())))
    else {
        return Vec::new();
    };
    let actions = match blocks.get(at + 1) {
        Some(Block::List(items)) => items
            .iter()
            .map(|item| action_from_text(&text_of(&item.content)))
            .collect(),
        Some(Block::Table(rows)) => actions_from_table(rows),
        _ => return Vec::new(),
    };
    blocks.drain(at..at + 2);
    actions
}

fn action_from_text(text: &str) -> FoundAction {
    FoundAction {
        what: text.split_whitespace().collect::<Vec<_>>().join(" "),
        who: None,
        due: dates_in(text).first().map(|f| f.date),
        done: false,
    }
}

/// An action table: columns recognised by their header (Actie, Wie, Wanneer, Status).
fn actions_from_table(rows: &[Vec<Vec<Inline>>]) -> Vec<FoundAction> {
    let Some((header, body)) = rows.split_first() else {
        return Vec::new();
    };
    let header: Vec<String> = header.iter().map(|c| text_of(c).to_lowercase()).collect();
    let column = |words: &[&str]| {
        header
            .iter()
            .position(|h| words.iter().any(|w| h.contains(w)))
    };
    let what = column(&["actie", "wat", "omschrijving", "action", "what"]).unwrap_or(0);
    let who = column(&["wie", "actiehouder", "door", "who", "owner"]);
    let due = column(&["wanneer", "datum", "deadline", "gereed", "termijn", "due"]);
    let status = column(&["status", "stand", "afgerond", "done"]);
    let cell = |row: &[Vec<Inline>], i: Option<usize>| {
        i.and_then(|i| row.get(i))
            .map(|c| text_of(c).split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
    };
    body.iter()
        .filter_map(|row| {
            let what = cell(row, Some(what))?;
            let done = cell(row, status).is_some_and(|s| {
                let s = s.to_lowercase();
                [
                    "afgerond", "gereed", "afgedaan", "klaar", "done", "ja", "yes", "x", "✓",
                ]
                .contains(&s.as_str())
            });
            Some(FoundAction {
                what,
                who: cell(row, who),
                due: cell(row, due).and_then(|d| dates_in(&d).first().map(|f| f.date)),
                done,
            })
        })
        .collect()
}

/// How many headings and list items the body has, for the report.
pub fn count(doc: &Document) -> (usize, usize) {
    let headings = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Heading { .. }))
        .count();
    let items = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::List(items) => items.len(),
            _ => 0,
        })
        .sum();
    (headings, items)
}

/// Labels of numbered items that Markdown cannot number ("3a", "8 t/m 11").
pub fn labels(doc: &Document) -> Vec<String> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::List(items) => Some(items),
            _ => None,
        })
        .flatten()
        .filter_map(|item| match &item.marker {
            Marker::Label(label) => Some(label.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
