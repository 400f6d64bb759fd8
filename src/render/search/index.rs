//! The inverted index: which documents hold which stem, and which word forms lead to
//! each stem. Each document is analysed in the item stage, from the plain text of its
//! body while that is at hand (never from rendered HTML); the index merges them.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;

use super::ascii::printable_len;
use super::form_set::FormSet;
use super::words::{Stems, fold_into, token_spans};
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
#[derive(Debug, PartialEq, Eq)]
pub struct Stem {
    pub text: String,
    pub postings: Vec<Posting>,
    /// `postings` as the term buckets write them (see [`encode_postings`]).
    pub encoded: String,
}

impl Stem {
    fn new(text: String, postings: Vec<Posting>) -> Stem {
        let encoded = encode_postings(&postings);
        Stem {
            text,
            postings,
            encoded,
        }
    }
}

/// The whole index of a site.
#[derive(Debug, PartialEq, Eq)]
pub struct Index {
    /// Indices into `site.entries`, oldest first: a higher id is a more recent item, so
    /// the browser ranks by recency by comparing ids (see [`order_key`]).
    pub docs: Vec<usize>,
    /// Every folded word form of the content, sorted, with the id of its stem.
    pub forms: Vec<(String, u32)>,
    /// Sorted by text; a stem's id is its position here.
    pub stems: Vec<Stem>,
    /// By position in `forms`: how many documents have the form, to know when the last
    /// one lost it (see [`Index::patch`]).
    form_docs: Vec<u32>,
}

impl Index {
    /// Indexes every entry of the site from the analysis of each (`docs`, in entry
    /// order; see [`analyse`]). With `previous`, the index of the site before a change
    /// and the documents it was made from, and the documents in the same order, only
    /// those whose words changed are indexed again: that is most rebuilds of `quorum
    /// serve` (an edit to the front matter, say).
    pub fn build(
        previous: Option<(Index, &[SearchDoc])>,
        site: &Site,
        docs: &[SearchDoc],
    ) -> Index {
        let order = oldest_first(site);
        let Some((mut index, old)) =
            previous.filter(|(index, old)| index.docs == order && old.len() == docs.len())
        else {
            let words: Vec<&DocWords> = order.iter().map(|&i| &*docs[i].words).collect();
            return Index::of(order, &words, &Stems::new(site.config.language));
        };
        let stemmer = Stems::new(site.config.language);
        for (doc, &entry) in order.iter().enumerate() {
            let (before, after) = (&old[entry].words, &docs[entry].words);
            let same = Arc::ptr_eq(before, after)
                || (before.joined == after.joined && before.in_title == after.in_title);
            if !same {
                index.patch(doc as DocId, before, after, &stemmer);
            }
        }
        index
    }

    /// Indexes documents with the words `analysed`, which are the entries `docs` in
    /// index order.
    fn of(docs: Vec<usize>, analysed: &[&DocWords], stemmer: &Stems) -> Index {
        // Each distinct form is stemmed once, not once per document that has it.
        let mut form_ids = FormIds::default();
        let doc_forms: Vec<Vec<(u32, bool)>> = analysed
            .iter()
            .map(|words| {
                words
                    .iter()
                    .map(|(form, in_title)| (form_ids.id(form), in_title))
                    .collect()
            })
            .collect();
        let mut forms: Vec<(&str, u32)> = form_ids.forms.into_iter().zip(0..).collect();
        forms.par_sort_unstable();
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
        // How many documents have each form, and at most how many each stem: each posting
        // list is made at its size at once (growing them step by step copied them over
        // and over, a fifth of the merge).
        let mut docs_of_form = vec![0u32; forms.len()];
        for &(form, _) in doc_forms.iter().flatten() {
            docs_of_form[form as usize] += 1;
        }
        let mut room = vec![0usize; stem_texts.len()];
        for (form, &docs) in docs_of_form.iter().enumerate() {
            room[stem_of_form[form] as usize] += docs as usize;
        }
        // Documents in order, so every posting list comes out sorted.
        let mut postings: Vec<Vec<Posting>> = room.into_iter().map(Vec::with_capacity).collect();
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
            .par_iter()
            .zip(postings)
            .map(|(text, postings)| Stem::new(text.to_string(), postings))
            .collect();
        let form_docs = forms
            .iter()
            .map(|(_, id)| docs_of_form[*id as usize])
            .collect();
        let forms = forms
            .iter()
            .map(|(form, id)| (form.to_string(), stem_of_form[*id as usize]))
            .collect();
        Index {
            docs,
            forms,
            stems,
            form_docs,
        }
    }

    /// Makes the index what [`Index::build`] makes when document `doc` has the words
    /// `new` instead of `old`, touching only the stems and forms of that document:
    /// `quorum serve` patches the index after an edit instead of indexing every
    /// document again. Documents keep their ids, so the edit must not move the document
    /// in [`oldest_first`] order (its date, title and source are unchanged).
    pub fn patch(&mut self, doc: DocId, old: &DocWords, new: &DocWords, stemmer: &Stems) {
        let old_forms: AHashMap<&str, bool> = old.iter().collect();
        let new_forms: AHashMap<&str, bool> = new.iter().collect();
        let position = |forms: &[(String, u32)], form: &str| {
            forms.binary_search_by(|(f, _)| f.as_str().cmp(form))
        };
        let stem_of = |form: &str| match position(&self.forms, form) {
            Ok(at) => self.stems[self.forms[at].1 as usize].text.clone(),
            Err(_) => stemmer.stem(form),
        };
        // The stems the document had and has, each in its title or not.
        let mut before: BTreeMap<String, bool> = BTreeMap::new();
        for (form, in_title) in &old_forms {
            *before.entry(stem_of(form)).or_default() |= *in_title;
        }
        let mut after: BTreeMap<String, bool> = BTreeMap::new();
        let mut unknown: Vec<(String, String)> = Vec::new();
        for (form, in_title) in &new_forms {
            let stem = stem_of(form);
            *after.entry(stem.clone()).or_default() |= *in_title;
            if !old_forms.contains_key(form) {
                match position(&self.forms, form) {
                    Ok(at) => self.form_docs[at] += 1,
                    Err(_) => unknown.push((form.to_string(), stem)),
                }
            }
        }
        for form in old_forms.keys().filter(|f| !new_forms.contains_key(*f)) {
            let at = position(&self.forms, form).expect("an indexed document's form is listed");
            self.form_docs[at] -= 1;
        }

        // Postings of the stems the document had or has; stems new to the index apart.
        let mut fresh: Vec<Stem> = Vec::new();
        let touched: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for stem in touched {
            let now = after.get(stem).copied();
            let Ok(id) = self.stems.binary_search_by(|s| s.text.cmp(stem)) else {
                let in_title = now.expect("a stem not yet indexed comes from the new words");
                fresh.push(Stem::new(stem.clone(), vec![Posting { doc, in_title }]));
                continue;
            };
            let entry = &mut self.stems[id];
            let postings = &mut entry.postings;
            // The numbers of the encoding from `at` that change: how many there were and
            // are (the gap after a posting added or removed changes too).
            let (at, was, is) = match (postings.binary_search_by_key(&doc, |p| p.doc), now) {
                (Ok(at), Some(in_title)) if postings[at].in_title == in_title => continue,
                (Ok(at), Some(in_title)) => {
                    postings[at].in_title = in_title;
                    (at, 1, 1)
                }
                (Ok(at), None) => {
                    postings.remove(at);
                    (at, 2, 1)
                }
                (Err(at), Some(in_title)) => {
                    postings.insert(at, Posting { doc, in_title });
                    (at, 1, 2)
                }
                (Err(_), None) => continue,
            };
            respell_postings(&mut entry.encoded, postings, at, was, is);
        }

        // Stems without documents go, new ones come in, in text order; then the ids of
        // the forms follow their stems.
        let old_stems = std::mem::take(&mut self.stems);
        let mut new_id = vec![u32::MAX; old_stems.len()];
        let mut fresh = fresh.into_iter().peekable();
        for (id, stem) in old_stems.into_iter().enumerate() {
            self.stems
                .extend(std::iter::from_fn(|| fresh.next_if(|f| f.text < stem.text)));
            if !stem.postings.is_empty() {
                new_id[id] = self.stems.len() as u32;
                self.stems.push(stem);
            }
        }
        self.stems.extend(fresh);
        let stem_id = |text: &str| {
            let found = self.stems.binary_search_by(|s| s.text.as_str().cmp(text));
            found.expect("the stem of a new form was added") as u32
        };
        unknown.sort_unstable();
        let mut unknown = unknown
            .into_iter()
            .map(|(form, stem)| {
                let id = stem_id(&stem);
                (form, id)
            })
            .peekable();
        let old_forms = std::mem::take(&mut self.forms);
        let old_counts = std::mem::take(&mut self.form_docs);
        for ((form, stem), count) in old_forms.into_iter().zip(old_counts) {
            for (new_form, id) in std::iter::from_fn(|| unknown.next_if(|(f, _)| *f < form)) {
                self.forms.push((new_form, id));
                self.form_docs.push(1);
            }
            if count > 0 {
                self.forms.push((form, new_id[stem as usize]));
                self.form_docs.push(count);
            }
        }
        for (form, id) in unknown {
            self.forms.push((form, id));
            self.form_docs.push(1);
        }
    }

    /// Makes room for a new document: entry `entry` of `site`, new to it (the entries
    /// from it on moved up by one), becomes a document without words yet (see
    /// [`Index::patch`]) in its place among the others (see [`order_key`]); the
    /// documents after it move up by one: none when it is the newest. Returns the new document's id.
    pub fn insert(&mut self, site: &Site, entry: usize) -> DocId {
        for i in &mut self.docs {
            *i += usize::from(*i >= entry);
        }
        let key = |i: usize| order_key(&site.entries[i].item);
        let new = key(entry);
        let at = self.docs.partition_point(|&i| key(i) < new);
        self.docs.insert(at, entry);
        let doc = at as DocId;
        self.move_postings(doc, |d| d + 1);
        doc
    }

    /// Takes document `doc`, which has no words any more (see [`Index::patch`]), out of
    /// the index, with its entry: the documents after it move down by one, and so do
    /// the entries after its entry (see [`Index::insert`]).
    pub fn remove(&mut self, doc: DocId) {
        let entry = self.docs.remove(doc as usize);
        for i in &mut self.docs {
            *i -= usize::from(*i > entry);
        }
        self.move_postings(doc, |d| d - 1);
    }

    /// Gives the postings of documents from `doc` on the id `moved(id)`, one up or down.
    fn move_postings(&mut self, doc: DocId, moved: impl Fn(DocId) -> DocId + Sync) {
        self.stems.par_iter_mut().for_each(|stem| {
            let from = stem.postings.partition_point(|p| p.doc < doc);
            if from < stem.postings.len() {
                stem.postings[from..]
                    .iter_mut()
                    .for_each(|p| p.doc = moved(p.doc));
                // Only the gap to the first document moved changes.
                respell_postings(&mut stem.encoded, &stem.postings, from, 1, 1);
            }
        });
    }

    /// The id of the document of entry `entry`.
    pub fn doc_of(&self, entry: usize) -> Option<DocId> {
        self.docs
            .iter()
            .position(|&i| i == entry)
            .map(|d| d as DocId)
    }
}

/// Makes `encoded`, the [`encode_postings`] of postings of which those from `at` on
/// changed, that of `postings` now: its `was` numbers from the `at`-th (fewer where
/// the list ended) are written again as the `is` numbers of `postings` from `at`
/// (fewer where it ends), the rest being unchanged. A stem of a common word is in
/// thousands of documents; an edit to one changes a gap or two of it.
fn respell_postings(encoded: &mut String, postings: &[Posting], at: usize, was: usize, is: usize) {
    let bytes = encoded.as_bytes();
    let count = postings.len() + was - is;
    let close = bytes.len() - 1;
    // The byte where number `n` of the encoding starts, or the closing bracket past the
    // last; the commas before it are counted from the nearer end.
    let start_of = |n: usize| -> usize {
        let mut commas = (bytes.iter().enumerate()).filter_map(|(i, b)| (*b == b',').then_some(i));
        match n {
            0 if count > 0 => 1,
            n if n >= count => close,
            n if n <= count / 2 => commas.nth(n - 1).map_or(close, |i| i + 1),
            n => commas.nth_back(count - 1 - n).map_or(close, |i| i + 1),
        }
    };
    let at_old = at.min(count);
    let mut start = start_of(at_old);
    let end = start_of((at + was).min(count));
    let written = at.min(postings.len())..(at + is).min(postings.len());
    let mut spelled = String::new();
    let mut number = itoa::Buffer::new();
    let mut spell = |spelled: &mut String, i: usize| {
        let previous = if i == 0 {
            -1
        } else {
            i64::from(postings[i - 1].doc)
        };
        let gap = i64::from(postings[i].doc) - previous;
        spelled.push_str(number.format(if postings[i].in_title { -gap } else { gap }));
    };
    if end < close {
        // Numbers are kept after those written: each is followed by a comma.
        for i in written {
            spell(&mut spelled, i);
            spelled.push(',');
        }
    } else if written.is_empty() {
        // The list ends earlier: the comma before what went, goes too.
        if at_old > 0 && start < end {
            start -= 1;
        }
    } else {
        // The list ends with the numbers written, after a comma when it had more.
        if at_old > 0 && start == end {
            spelled.push(',');
        }
        for (k, i) in written.enumerate() {
            if k > 0 {
                spelled.push(',');
            }
            spell(&mut spelled, i);
        }
    }
    encoded.replace_range(start..end, &spelled);
    debug_assert_eq!(*encoded, encode_postings(postings));
}

/// Postings as a JSON array of gaps from the previous document (the first from -1, so
/// never 0), negative where the stem is in the title.
pub fn encode_postings(postings: &[Posting]) -> String {
    let mut out = String::with_capacity(postings.len() * 3 + 2);
    out.push('[');
    let mut previous: i64 = -1;
    let mut number = itoa::Buffer::new();
    for (i, posting) in postings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let gap = i64::from(posting.doc) - previous;
        previous = i64::from(posting.doc);
        out.push_str(number.format(if posting.in_title { -gap } else { gap }));
    }
    out.push(']');
    out
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
    /// The words of a document without any.
    pub fn none() -> DocWords {
        DocWords {
            joined: String::new(),
            in_title: 0,
        }
    }

    /// Each form and whether it is in the title.
    fn iter(&self) -> impl Iterator<Item = (&str, bool)> {
        // Forms are a few bytes long: looking for the space a byte at a time is
        // cheaper than starting `memchr` (`split_terminator`) for each.
        let mut start = 0;
        let forms = std::iter::from_fn(move || {
            let rest = &self.joined.as_bytes()[start..];
            let len = rest.iter().position(|&b| b == b' ')?;
            let form = &self.joined[start..start + len];
            start += len + 1;
            Some(form)
        });
        forms.enumerate().map(|(i, form)| (form, i < self.in_title))
    }
}

type Words = Arc<DocWords>;

/// The ids of the word forms of the site, in the order they are first seen. A form of
/// up to [`FORM_BYTES`] bytes (most) is looked up by its bytes as one number (see
/// [`short_form`]): hashed and compared at once, where hashing and comparing strings
/// was two fifths of merging the index.
#[derive(Default)]
struct FormIds<'a> {
    short: AHashMap<u128, u32>,
    long: AHashMap<&'a str, u32>,
    /// By id.
    forms: Vec<&'a str>,
}

impl<'a> FormIds<'a> {
    fn id(&mut self, form: &'a str) -> u32 {
        let next = self.forms.len() as u32;
        let id = match form.len() <= FORM_BYTES {
            true => {
                let mut bytes = [0u8; FORM_BYTES];
                bytes[..form.len()].copy_from_slice(form.as_bytes());
                *self.short.entry(u128::from_le_bytes(bytes)).or_insert(next)
            }
            false => *self.long.entry(form).or_insert(next),
        };
        if id == next {
            self.forms.push(form);
        }
        id
    }
}

/// The search data of documents by the fingerprint of what it is made from, kept by
/// `quorum serve` between rebuilds.
pub type SearchDocCache = AHashMap<Fingerprint, SearchDoc>;

/// What the index needs of one document, taken while its body is at hand: its word
/// forms, and the start of the text its result's snippet is cut from.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub(super) words: Words,
    pub snippet: String,
}

/// Analyses entry `index` of the site, whose body text is `text`. With `cache` (the
/// previous build's documents and a map to fill for the next), a document made from
/// the same title and text as before is taken from the previous build.
pub fn analyse(
    site: &Site,
    index: usize,
    text: &str,
    cache: Option<&(&SearchDocCache, Mutex<SearchDocCache>)>,
) -> SearchDoc {
    let entry = &site.entries[index];
    let (text, source_len) = searchable_text(site, entry, &snippet_source(entry, text));
    let title = &entry.item.title;
    let make = || SearchDoc {
        words: words_of(title, &text),
        snippet: shorten(&squeeze(&text[..source_len]), SNIPPET_SOURCE_CHARS),
    };
    let Some((previous, fresh)) = cache else {
        return make();
    };
    // The snippet is cut from the first `source_len` bytes of the text.
    let key = fingerprint::of(&(title, &text, source_len));
    let doc = previous.get(&key).cloned().unwrap_or_else(make);
    let mut fresh = fresh.lock().unwrap_or_else(|e| e.into_inner());
    fresh.insert(key, doc.clone());
    doc
}

/// How many characters of a document's text the browser may cut its snippet from.
const SNIPPET_SOURCE_CHARS: usize = 600;

/// The start of `text` with every run of white space made one space, long enough to be
/// shortened to [`SNIPPET_SOURCE_CHARS`] as the whole text would be: past four bytes a
/// character, it surely holds more characters than that.
fn squeeze(text: &str) -> String {
    let mut squeezed = String::with_capacity(text.len().min(4 * SNIPPET_SOURCE_CHARS + 64));
    let mut at = 0;
    while at < text.len() && squeezed.len() <= 4 * SNIPPET_SOURCE_CHARS {
        let end = at + word_len(&text[at..]);
        if end > at {
            if !squeezed.is_empty() {
                squeezed.push(' ');
            }
            squeezed.push_str(&text[at..end]);
        }
        // Past the white space that ended the word.
        at = end + text[end..].chars().next().map_or(0, char::len_utf8);
    }
    squeezed
}

/// The length in bytes of the word at the start of `text`, up to the first white space
/// as `str::split_whitespace` sees it. Bytes that can be no white space are skipped
/// eight at a time; only other characters are decoded (decoding every one was a
/// percent of a build, testing every byte another).
fn word_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        at += printable_len(&bytes[at..]);
        let Some(&byte) = bytes.get(at) else {
            return at;
        };
        if byte.is_ascii() {
            if matches!(byte, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
                return at;
            }
            at += 1;
        } else {
            let c = (text[at..].chars().next()).expect("`at` is a character boundary");
            if c.is_whitespace() {
                return at;
            }
            at += c.len_utf8();
        }
    }
}

/// The distinct folded word forms of a title and text, those in the title marked.
fn words_of(title: &str, text: &str) -> Words {
    let title = padded_fold(title);
    let rest = padded_fold(text);
    let mut forms = DistinctForms {
        // A text has a distinct form for every three words or so; room for them at
        // once saves growing the set again and again.
        short: FormSet::with_capacity(rest.len() / 24),
        long: AHashSet::new(),
        joined: Vec::with_capacity(rest.len() / 3),
    };
    let mut in_title = 0;
    for span in token_spans(&title) {
        in_title += usize::from(forms.add(title.as_bytes(), span));
    }
    for span in token_spans(&rest) {
        forms.add(rest.as_bytes(), span);
    }
    let mut joined = String::from_utf8(forms.joined).expect("forms are whole characters");
    joined.shrink_to_fit();
    Arc::new(DocWords { joined, in_title })
}

/// The distinct forms of a document so far. Most forms fit in sixteen bytes and are
/// kept as one number: hashed and compared at once, not byte by byte. Forms come as
/// spans of bytes: cut out as `str`s, each was checked for character boundaries again.
struct DistinctForms<'a> {
    short: FormSet,
    long: AHashSet<&'a [u8]>,
    /// The forms in the order first seen, each followed by a space.
    joined: Vec<u8>,
}

impl<'a> DistinctForms<'a> {
    /// Adds the form at `span` of `folded` (as [`padded_fold`] made it); whether it is
    /// new.
    #[inline(always)]
    fn add(&mut self, folded: &'a [u8], span: Range<usize>) -> bool {
        let fresh = match short_form(folded, span.start, span.len()) {
            Some(short) => self.short.insert(short),
            None => self.long.insert(&folded[span.clone()]),
        };
        if fresh {
            self.joined.extend_from_slice(&folded[span]);
            self.joined.push(b' ');
        }
        fresh
    }
}

/// A form of at most this many bytes is kept as one number.
const FORM_BYTES: usize = 16;

/// For each length up to [`FORM_BYTES`], the bits of that many bytes from the lowest:
/// looked up, not shifted into place (a shift of 128 bits takes several instructions).
const FIRST_BYTES: [u128; FORM_BYTES + 1] = {
    let mut masks = [0; FORM_BYTES + 1];
    let mut len = 1;
    while len <= FORM_BYTES {
        masks[len] = u128::MAX >> (8 * (FORM_BYTES - len));
        len += 1;
    }
    masks
};

/// `text` folded, with [`FORM_BYTES`] spaces after it: between words, they change no
/// word, and the sixteen bytes from the start of any form can be read at once.
fn padded_fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len() + FORM_BYTES);
    fold_into(text, &mut folded);
    folded.extend([' '; FORM_BYTES]);
    folded
}

/// The form of `len` bytes at `start` of `folded` (as [`padded_fold`] made it) as one
/// number when it is short enough: its bytes, and zeros after them. Letters and digits
/// are never zero bytes, so the zeros tell no two forms apart. The sixteen bytes are
/// read at once and those past the form masked off: copying the form into a buffer of
/// zeros and reading that back stalled the processor on every word.
fn short_form(folded: &[u8], start: usize, len: usize) -> Option<u128> {
    if len > FORM_BYTES {
        return None;
    }
    let bytes: [u8; FORM_BYTES] = folded[start..start + FORM_BYTES]
        .try_into()
        .expect("the padding leaves sixteen bytes after the start of every form");
    Some(u128::from_le_bytes(bytes) & FIRST_BYTES[len])
}

/// Everything of an entry a resident may search for besides its title: the text shown
/// as a snippet first, then the labels around it; with the length of the first.
fn searchable_text(site: &Site, entry: &Entry, snippet_source: &[&str]) -> (String, usize) {
    let item = &entry.item;
    let areas = item
        .policy_areas
        .iter()
        .filter_map(|key| site.config.policy_areas.get(key).map(|a| a.name()));
    let labels: Vec<&str> = item
        .attachments
        .iter()
        .map(|a| a.title.as_str())
        .chain(item.topics.iter().map(String::as_str))
        .chain(areas)
        .collect();
    // Made at its full size at once: the body is most of it, and growing would copy it.
    let size = (snippet_source.iter().chain(&labels)).map(|part| part.len() + 1);
    let mut text = String::with_capacity(size.sum());
    for (i, part) in snippet_source.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(part);
    }
    let source_len = text.len();
    for label in labels {
        text.push('\n');
        text.push_str(label);
    }
    (text, source_len)
}

/// The parts of the text a result's snippet is cut from: summary, body text and the
/// kind's own fields, those with some text.
fn snippet_source<'a>(entry: &'a Entry, text: &'a str) -> Vec<&'a str> {
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
    parts
}

/// Entries in document order (see [`order_key`]).
fn oldest_first(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.entries.len()).collect();
    order.sort_by_cached_key(|&i| {
        let Reverse((date, title, source)) = order_key(&site.entries[i].item);
        Reverse((date, title.map(str::to_string), source.to_path_buf()))
    });
    order
}

/// What documents are ordered by: the reverse of "newest first, undated pages last by
/// title, ties by source". The most recent item has the highest id, so the browser
/// ranks by recency by comparing ids, and a new item, nearly always the newest, is
/// added at the end: no other document's id changes, and `serve` writes one document
/// chunk again instead of every one (see [`Index::insert`]).
fn order_key(item: &crate::content::Item) -> OrderKey<'_> {
    Reverse((
        Reverse(item.date),
        item.date.is_none().then_some(item.title.as_str()),
        item.source.as_path(),
    ))
}

type OrderKey<'i> = Reverse<(
    Reverse<Option<chrono::NaiveDate>>,
    Option<&'i str>,
    &'i std::path::Path,
)>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;
    use crate::render::search::words::{fold, tokens};
    use proptest::prelude::*;

    #[test]
    fn form_ids_follow_first_sight_short_or_long() {
        let forms = [
            "wmo",
            "zorg",
            "wmo",
            "verantwoordelijkheid",
            "zorg",
            "verantwoordelijkheid",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "abcdefghijklmno",
        ];
        let mut ids = FormIds::default();
        let got: Vec<u32> = forms.iter().map(|form| ids.id(form)).collect();
        assert_eq!(got, [0, 1, 0, 2, 1, 2, 3, 4, 5]);
        assert_eq!(
            ids.forms,
            [
                "wmo",
                "zorg",
                "verantwoordelijkheid",
                "abcdefghijklmnop",
                "abcdefghijklmnopq",
                "abcdefghijklmno"
            ]
        );
    }

    /// Words of a document: distinct forms, the title's first.
    fn doc_words(title: &[String], text: &[String]) -> DocWords {
        let mut seen = std::collections::HashSet::new();
        let mut joined = String::new();
        let mut in_title = 0;
        for (form, is_title) in
            (title.iter().map(|f| (f, true))).chain(text.iter().map(|f| (f, false)))
        {
            if seen.insert(form.clone()) {
                joined.push_str(form);
                joined.push(' ');
                in_title += usize::from(is_title);
            }
        }
        DocWords { joined, in_title }
    }

    /// A few forms from a small vocabulary of Dutch inflections, so documents share
    /// forms and stems, and an edit adds and removes the last document of some.
    fn forms() -> impl Strategy<Value = Vec<String>> {
        const VOCABULARY: [&str; 14] = [
            "advies",
            "adviezen",
            "adviseren",
            "raad",
            "raden",
            "zorg",
            "zorgen",
            "wmo",
            "vergadering",
            "vergaderingen",
            "2024",
            "jeugd",
            "jeugdzorg",
            "armoede",
        ];
        proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(&VOCABULARY[..]).prop_map(str::to_string),
                "[a-z]{1,4}",
            ],
            0..8,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// A patched index is the index built from scratch with the new words.
        #[test]
        fn a_patched_index_equals_one_built_anew(
            docs in proptest::collection::vec((forms(), forms()), 1..6),
            edit in (forms(), forms()),
            pick in 0usize..6,
        ) {
            let stemmer = Stems::new(Language::Nl);
            let mut words: Vec<DocWords> =
                docs.iter().map(|(title, text)| doc_words(title, text)).collect();
            let order: Vec<usize> = (0..words.len()).rev().collect();
            let by_order = |words: &[DocWords]| -> Vec<DocWords> {
                order.iter().map(|&i| DocWords { joined: words[i].joined.clone(), in_title: words[i].in_title }).collect()
            };
            let ordered = by_order(&words);
            let mut index = Index::of(order.clone(), &ordered.iter().collect::<Vec<_>>(), &stemmer);
            let entry = pick % words.len();
            let new = doc_words(&edit.0, &edit.1);
            let doc = index.doc_of(entry).unwrap();
            index.patch(doc, &words[entry], &new, &stemmer);
            words[entry] = new;
            let ordered = by_order(&words);
            let fresh = Index::of(order.clone(), &ordered.iter().collect::<Vec<_>>(), &stemmer);
            prop_assert_eq!(index, fresh);
        }
    }

    proptest! {
        /// Forms of up to sixteen bytes are told apart as numbers, longer ones as text:
        /// together the distinct forms, the title's first, as a plain set finds them.
        #[test]
        fn words_are_the_distinct_forms_title_first(
            title in "[a-zA-Zë ]{0,40}",
            text in "([a-z]{1,20}|vergader(ing|ingen|zaal)|schuldhulpverlening[a-z]{0,3}|[A-Z]{15,17}|[ .,ë]){0,60}",
        ) {
            let forms = |text: &str| tokens(&fold(text)).map(str::to_string).collect::<Vec<_>>();
            let expected = doc_words(&forms(&title), &forms(&text));
            let words = words_of(&title, &text);
            prop_assert_eq!(&words.joined, &expected.joined);
            prop_assert_eq!(words.in_title, expected.in_title);
        }
    }

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

    proptest! {
        /// Squeezing splits where `split_whitespace` does, Unicode spaces included.
        #[test]
        fn squeezing_splits_as_split_whitespace_does(
            text in "([a-zë]{1,6}|[ \t\n\u{0b}\u{0c}\r\u{85}\u{a0}\u{2003}\u{3000}]){0,40}",
        ) {
            let words: Vec<&str> = text.split_whitespace().collect();
            prop_assert_eq!(squeeze(&text), words.join(" "));
        }
    }

    /// Postings added, removed, changed and moved up at every place of lists of every
    /// length up to six: the encoding respelled equals the encoding made anew.
    #[test]
    fn respelled_postings_equal_postings_encoded_anew() {
        let lists = (0..7usize).map(|len| {
            (0..len)
                .map(|i| Posting {
                    doc: (i * 3) as DocId,
                    in_title: i % 2 == 1,
                })
                .collect::<Vec<_>>()
        });
        for list in lists {
            for at in 0..=list.len() {
                let check = |after: Vec<Posting>, was, is| {
                    let mut encoded = encode_postings(&list);
                    respell_postings(&mut encoded, &after, at, was, is);
                    assert_eq!(encoded, encode_postings(&after), "{list:?} at {at}");
                };
                let mut added = list.clone();
                added.insert(
                    at,
                    Posting {
                        doc: (at * 3) as DocId - u32::from(at > 0),
                        in_title: true,
                    },
                );
                check(added, 1, 2);
                if at == list.len() {
                    continue;
                }
                let mut removed = list.clone();
                removed.remove(at);
                check(removed, 2, 1);
                let mut flipped = list.clone();
                flipped[at].in_title = !flipped[at].in_title;
                check(flipped, 1, 1);
                let mut moved = list.clone();
                moved[at..].iter_mut().for_each(|p| p.doc += 1);
                check(moved, 1, 1);
            }
        }
    }
}
