//! The inverted index: which documents hold which stem, and which word forms lead to
//! each stem. Each document is analysed in the item stage, from the plain text of its
//! body while that is at hand (never from rendered HTML); the index merges them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;

use super::words::{Stems, fold, tokens};
use crate::content::Details;
use crate::fingerprint::{self, Fingerprint};
use crate::markdown::shorten;
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
    /// Indexes every entry of the site from the analysis of each (`docs`, in entry
    /// order; see [`analyse`]).
    pub fn build(site: &Site, docs: &[SearchDoc]) -> Index {
        let order = newest_first(site);
        let analysed: Vec<&Words> = order.iter().map(|&i| &docs[i].words).collect();
        let docs = order;
        // Each distinct form is stemmed once, not once per document that has it.
        // Word forms come from the site's own text: a fast hash is safe here, and
        // hashing was a tenth of the search stage.
        let mut form_ids: AHashMap<&str, u32> = AHashMap::new();
        let doc_forms: Vec<Vec<(u32, bool)>> = analysed
            .iter()
            .map(|words| {
                words
                    .iter()
                    .map(|(form, in_title)| {
                        let next = form_ids.len() as u32;
                        (*form_ids.entry(form).or_insert(next), in_title)
                    })
                    .collect()
            })
            .collect();
        let mut forms: Vec<(&str, u32)> = form_ids.into_iter().collect();
        forms.par_sort_unstable();
        let stemmer = Stems::new(site.config.language);
        let form_stems: Vec<String> = forms.par_iter().map(|(f, _)| stemmer.stem(f)).collect();
        let mut stem_texts: Vec<&str> = form_stems.iter().map(String::as_str).collect();
        stem_texts.par_sort_unstable();
        stem_texts.dedup();
        let stem_id = |text: &str| {
            let found = stem_texts.binary_search(&text);
            found.expect("every stem of a form is listed") as u32
        };
        // By form id (first-seen order), the stem id of that form.
        let mut stem_of_form = vec![0u32; forms.len()];
        for ((_, form_id), stem) in forms.iter().zip(&form_stems) {
            stem_of_form[*form_id as usize] = stem_id(stem);
        }
        // Documents in order, so every posting list comes out sorted.
        let mut postings: Vec<Vec<Posting>> = vec![Vec::new(); stem_texts.len()];
        for (doc, words) in doc_forms.iter().enumerate() {
            let doc = doc as DocId;
            for &(form, in_title) in words {
                let list = &mut postings[stem_of_form[form as usize] as usize];
                match list.last_mut() {
                    Some(last) if last.doc == doc => last.in_title |= in_title,
                    _ => list.push(Posting { doc, in_title }),
                }
            }
        }
        let stems = stem_texts
            .iter()
            .zip(postings)
            .map(|(text, postings)| Stem {
                text: text.to_string(),
                postings,
            })
            .collect();
        let forms = forms
            .iter()
            .map(|(form, id)| (form.to_string(), stem_of_form[*id as usize]))
            .collect();
        Index { docs, forms, stems }
    }
}

/// The distinct folded word forms of a document, those of its title first, in one
/// string (a `String` per form would take ~250 MB for 10,000 documents).
#[derive(Debug)]
pub struct DocWords {
    /// The forms, each followed by a space (which no form contains).
    joined: String,
    /// How many of the forms, from the first, are in the title.
    in_title: usize,
}

impl DocWords {
    /// Each form and whether it is in the title.
    fn iter(&self) -> impl Iterator<Item = (&str, bool)> {
        self.joined
            .split_terminator(' ')
            .enumerate()
            .map(|(i, form)| (form, i < self.in_title))
    }
}

type Words = Arc<DocWords>;

/// The words of documents by the fingerprint of their title and text, kept by `quorum
/// serve` between rebuilds.
pub type WordsCache = HashMap<Fingerprint, Words>;

/// What the index needs of one document, taken while its body is at hand: its word
/// forms, and the start of the text its result's snippet is cut from.
#[derive(Debug)]
pub struct SearchDoc {
    words: Words,
    pub snippet: String,
}

/// Analyses entry `index` of the site, whose body text is `text`. With `cache` (the
/// previous build's words and a map to fill for the next), a document with unchanged
/// text is not analysed again.
pub fn analyse(
    site: &Site,
    index: usize,
    text: &str,
    cache: Option<&(&WordsCache, Mutex<WordsCache>)>,
) -> SearchDoc {
    let entry = &site.entries[index];
    let source = snippet_source(entry, text);
    let snippet = shorten(&squeeze(&source), SNIPPET_SOURCE_CHARS);
    let text = searchable_text(site, entry, source);
    let title = &entry.item.title;
    let words = match cache {
        None => words_of(title, &text),
        Some((previous, fresh)) => {
            let key = fingerprint::of(&(title, &text));
            let words = match previous.get(&key) {
                Some(words) => words.clone(),
                None => words_of(title, &text),
            };
            let mut fresh = fresh.lock().unwrap_or_else(|e| e.into_inner());
            fresh.insert(key, words.clone());
            words
        }
    };
    SearchDoc { words, snippet }
}

/// How many characters of a document's text the browser may cut its snippet from.
const SNIPPET_SOURCE_CHARS: usize = 600;

/// The start of `text` with every run of white space made one space, long enough to be
/// shortened to [`SNIPPET_SOURCE_CHARS`] as the whole text would be: past four bytes a
/// character, it surely holds more characters than that.
fn squeeze(text: &str) -> String {
    let mut squeezed = String::new();
    for word in text.split_whitespace() {
        if squeezed.len() > 4 * SNIPPET_SOURCE_CHARS {
            break;
        }
        if !squeezed.is_empty() {
            squeezed.push(' ');
        }
        squeezed.push_str(word);
    }
    squeezed
}

/// The distinct folded word forms of a title and text, those in the title marked.
fn words_of(title: &str, text: &str) -> Words {
    let title = fold(title);
    let rest = fold(text);
    let mut seen: AHashSet<&str> = AHashSet::new();
    let mut joined = String::new();
    let mut in_title = 0;
    for (token, is_title) in tokens(&title)
        .map(|t| (t, true))
        .chain(tokens(&rest).map(|t| (t, false)))
    {
        if seen.insert(token) {
            joined.push_str(token);
            joined.push(' ');
            in_title += usize::from(is_title);
        }
    }
    joined.shrink_to_fit();
    Arc::new(DocWords { joined, in_title })
}

/// Everything of an entry a resident may search for besides its title: the text shown
/// as a snippet first, then the labels around it.
fn searchable_text(site: &Site, entry: &Entry, snippet_source: String) -> String {
    let mut text = snippet_source;
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

/// The text a result's snippet is cut from: summary, body text and the kind's own
/// fields.
fn snippet_source(entry: &Entry, text: &str) -> String {
    let item = &entry.item;
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(item.summary.as_deref());
    parts.push(text);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeezed_text_shortens_as_the_whole_text_would() {
        let long = "een  twee\n drie ".repeat(400);
        let whole: Vec<&str> = long.split_whitespace().collect();
        assert_eq!(
            shorten(&squeeze(&long), SNIPPET_SOURCE_CHARS),
            shorten(&whole.join(" "), SNIPPET_SOURCE_CHARS)
        );
        assert_eq!(squeeze(" kort\t stuk "), "kort stuk");
    }
}
