//! The inverted index: which documents hold which stem, and which word forms lead to
//! each stem. Built in parallel from the parsed content, never from rendered HTML.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::words::{Stems, fold, tokens};
use crate::content::Details;
use crate::site::{Entry, Site};

/// A document's place in the index: its position in [`Index::docs`].
pub type DocId = u32;

/// One document holding a stem, and whether the stem is in its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: DocId,
    pub in_title: bool,
}

/// A stem with the documents that hold it, in document order.
#[derive(Debug)]
pub struct Stem {
    pub text: String,
    pub postings: Vec<Posting>,
}

/// The whole index of a site.
#[derive(Debug)]
pub struct Index {
    /// Indices into `site.entries`, newest first: a lower id is a more recent item, so
    /// the browser ranks by recency by comparing ids.
    pub docs: Vec<usize>,
    /// Every folded word form of the content, sorted, with the id of its stem.
    pub forms: Vec<(String, u32)>,
    /// Sorted by text; a stem's id is its position here.
    pub stems: Vec<Stem>,
}

impl Index {
    /// Indexes every entry of the site.
    pub fn build(site: &Site) -> Index {
        let docs = newest_first(site);
        let stems = Stems::new(site.config.language);
        let analysed: Vec<Vec<Word>> = docs
            .par_iter()
            .map(|&i| analyse(&stems, site, &site.entries[i]))
            .collect();
        // Merging is sequential so postings come out in document order without sorting.
        let mut forms: BTreeMap<String, String> = BTreeMap::new();
        let mut postings: HashMap<String, Vec<Posting>> = HashMap::new();
        for (doc, words) in analysed.into_iter().enumerate() {
            let doc = doc as DocId;
            for word in words {
                let list = postings.entry(word.stem.clone()).or_default();
                match list.last_mut() {
                    Some(last) if last.doc == doc => last.in_title |= word.in_title,
                    _ => list.push(Posting {
                        doc,
                        in_title: word.in_title,
                    }),
                }
                forms.entry(word.form).or_insert(word.stem);
            }
        }
        let mut stems: Vec<Stem> = postings
            .into_iter()
            .map(|(text, postings)| Stem { text, postings })
            .collect();
        stems.par_sort_unstable_by(|a, b| a.text.cmp(&b.text));
        let ids: HashMap<&str, u32> = stems
            .iter()
            .enumerate()
            .map(|(id, stem)| (stem.text.as_str(), id as u32))
            .collect();
        let forms = forms
            .iter()
            .map(|(form, stem)| (form.clone(), ids[stem.as_str()]))
            .collect();
        Index { docs, forms, stems }
    }
}

/// A distinct word form of one document.
struct Word {
    form: String,
    stem: String,
    in_title: bool,
}

/// The distinct word forms of an entry, title words marked.
fn analyse(stems: &Stems, site: &Site, entry: &Entry) -> Vec<Word> {
    let mut words: HashMap<String, Word> = HashMap::new();
    let title = fold(&entry.item.title);
    let rest = fold(&searchable_text(site, entry));
    for (text, in_title) in [(&title, true), (&rest, false)] {
        for token in tokens(text) {
            if let Some(word) = words.get_mut(token) {
                word.in_title |= in_title;
                continue;
            }
            let word = Word {
                form: token.to_string(),
                stem: stems.stem(token),
                in_title,
            };
            words.insert(word.form.clone(), word);
        }
    }
    let mut words: Vec<Word> = words.into_values().collect();
    // Sorted so that the first form of a stem, and so the index, never depends on hashing.
    words.sort_unstable_by(|a, b| a.form.cmp(&b.form));
    words
}

/// Everything of an entry a resident may search for besides its title: the text shown
/// as a snippet first, then the labels around it.
fn searchable_text(site: &Site, entry: &Entry) -> String {
    let mut text = snippet_source(entry);
    let item = &entry.item;
    let areas = item
        .policy_areas
        .iter()
        .filter_map(|key| site.config.policy_areas.get(key).map(|a| a.name()));
    let labels = item
        .attachments
        .iter()
        .map(|a| a.title.as_str())
        .chain(item.topics.iter().map(String::as_str))
        .chain(areas);
    for label in labels {
        text.push('\n');
        text.push_str(label);
    }
    text
}

/// The text a result's snippet is cut from: summary, body and the kind's own fields.
pub fn snippet_source(entry: &Entry) -> String {
    let item = &entry.item;
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(item.summary.as_deref());
    parts.push(&entry.body.text);
    match &item.details {
        Details::Minutes(m) => {
            parts.extend(m.meeting.as_deref());
            parts.extend(m.actions.iter().map(|a| a.what.as_str()));
        }
        Details::Meeting(m) => {
            parts.extend(m.location.as_deref());
            for point in &m.agenda {
                parts.push(&point.title);
                parts.extend(point.description.as_deref());
            }
        }
        Details::Advice(a) => {
            parts.extend(a.addressed_to.as_deref());
            parts.extend(a.reference.as_deref());
            parts.extend(a.response.as_ref().and_then(|r| r.summary.as_deref()));
        }
        Details::News(_) | Details::AnnualReport(_) | Details::Page(_) => {}
    }
    parts.retain(|p| !p.trim().is_empty());
    parts.join("\n")
}

/// Entries newest first; undated pages last, by title; ties by source for stable ids.
fn newest_first(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.entries.len()).collect();
    let key = |i: &usize| {
        let item = &site.entries[*i].item;
        (
            std::cmp::Reverse(item.date),
            item.date.is_none().then(|| item.title.clone()),
            item.source.clone(),
        )
    };
    order.sort_by_cached_key(key);
    order
}
