//! Search that runs in the browser from files the build writes: the page `/zoeken/`
//! (`/search/`) and its index under `/zoeken/index/`. No server, no third-party service.
//!
//! # Design
//!
//! The build stems, the browser does not. Snowball stemmers in JavaScript would be a
//! dependency that must stem exactly as `rust-stemmers` does; instead the index maps
//! every folded word form that occurs in the content ("adviezen", "advies") to its stem
//! id, and stems group the forms. The browser folds what is typed the way
//! [`words::fold`] does, looks the form up in a sorted term list, and follows it to the
//! stem's postings. A form typed that occurs nowhere in the content cannot match any
//! document by itself anyway; such a word, and the last word while typing, is matched
//! as a prefix of the forms instead ("verga" finds "vergadering").
//!
//! The index is chunked so a query loads little, even on a site of 10,000 items:
//!
//! - `meta.json`, always loaded: the first form of each term bucket and, per document,
//!   its facet values (kind, year, policy areas, advice status), so facets filter and an
//!   empty query lists without loading any document.
//! - `terms/<n>.json`: consecutive forms with the postings of their stems, closed at
//!   about 40 kB; a word needs one bucket, a prefix the few buckets its range spans.
//! - `docs/<n>.json`: 25 documents each, with title, link, date and the start of their
//!   text for snippets; only the chunks of the results shown are fetched.
//!
//! Documents are numbered oldest first, so ranking "title matches first, then recent"
//! compares a title flag carried by each posting (its sign) and then the ids, and a new
//! item, nearly always the newest, takes the next id and moves no other document.
//! Everything is written in a fixed order, so the files are identical for identical input.
//!
//! In the browser, `themes/default/static/search-core.js` holds the logic (folding,
//! matching, ranking, facets, snippets; no DOM, tested in Node by
//! `tests/browser/search-core.test.mjs`) and `search.js`, the page's module, the form,
//! results and history around it.

mod ascii;
mod files;
mod form_set;
mod index;
mod words;

use ahash::AHashMap;
use rayon::prelude::*;
use serde::Serialize;

use index::Index;
pub use index::{SearchDoc, SearchDocCache, analyse};

use super::OutputFile;
use super::pages::Renderer;
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::i18n::UrlWord;
use crate::site::{AdviceStatus, Entry};

/// A filter of the search page; `name` is its URL parameter.
#[derive(Debug, Serialize)]
pub struct Facet {
    name: &'static str,
    label: String,
    options: Vec<FacetOption>,
    /// Per document, in index order, the positions in `options` of its values, in
    /// increasing order, joined with `.`; documents joined with `,` (see
    /// [`facet_columns`]).
    #[serde(skip)]
    docs: String,
}

/// One value a facet can take.
#[derive(Debug, Serialize, PartialEq)]
struct FacetOption {
    value: String,
    label: String,
}

/// What the search page template gets besides the page itself.
#[derive(Debug, Serialize)]
struct SearchView<'a> {
    index_href: String,
    /// The page's script, a module that imports `core_href`.
    script_href: String,
    core_href: String,
    facets: &'a [Facet],
}

/// The index of `quorum serve`, kept between rebuilds to be patched after an edit to
/// the body of an item instead of made again (see `build/patch.rs`).
#[derive(Debug)]
pub struct LiveIndex {
    index: Index,
    /// By entry.
    docs: Vec<SearchDoc>,
    /// The JSON of each document chunk.
    chunks: Vec<String>,
    /// The hash of each document chunk (see `files::file_hash`).
    chunk_hashes: Vec<u64>,
    /// The facets of the documents as last written.
    facets: Vec<Facet>,
}

impl LiveIndex {
    /// The index files that may have changed now that entry `entry` was analysed again as
    /// `doc`. Its place among the documents must be unchanged: its date and source, and
    /// its title when it has no date.
    pub fn patch(
        &mut self,
        renderer: &Renderer<'_>,
        entry: usize,
        doc: SearchDoc,
    ) -> Vec<OutputFile> {
        let site = renderer.site;
        let id = (self.index.doc_of(entry)).expect("every entry is a document of the index");
        let stemmer = words::Stems::new(site.config.language);
        self.index
            .patch(id, &self.docs[entry].words, &doc.words, &stemmer);
        self.docs[entry] = doc;
        let n = id as usize / files::DOCS_PER_CHUNK;
        self.chunks[n] = files::doc_chunk(&self.index, &self.docs, renderer.views, n);
        self.chunk_hashes[n] = files::file_hash(&self.chunks[n]);
        let (facets, buckets) = match facets_hold(renderer, &self.facets, id, entry) {
            true => (
                std::mem::take(&mut self.facets),
                files::term_buckets(&self.index),
            ),
            false => facets_and_buckets(renderer, &self.index),
        };
        let written = files::files(
            &self.index,
            &self.chunks,
            &self.chunk_hashes,
            n..n + 1,
            &facets,
            buckets,
            &index_dir(site),
        );
        self.facets = facets;
        written
    }

    /// The search page and the index files that may have changed now that the entry
    /// `removed` (an index of the site before) is gone and entry `added` came new as
    /// its document, in that order; with the paths of the document chunks gone. The
    /// documents after each move by one, and the chunks they are in are made again.
    pub fn move_entries(
        &mut self,
        renderer: &Renderer<'_>,
        removed: Option<usize>,
        added: Option<(usize, SearchDoc)>,
    ) -> (Vec<Result<OutputFile, Diagnostic>>, Vec<String>) {
        let site = renderer.site;
        let stemmer = words::Stems::new(site.config.language);
        let chunks = self.chunks.len();
        let mut first = chunks;
        if let Some(entry) = removed {
            let id = (self.index.doc_of(entry)).expect("every entry is a document of the index");
            let none = index::DocWords::none();
            self.index
                .patch(id, &self.docs[entry].words, &none, &stemmer);
            self.index.remove(id);
            self.docs.remove(entry);
            first = first.min(id as usize / files::DOCS_PER_CHUNK);
        }
        if let Some((entry, doc)) = added {
            let id = self.index.insert(site, entry);
            self.index
                .patch(id, &index::DocWords::none(), &doc.words, &stemmer);
            self.docs.insert(entry, doc);
            first = first.min(id as usize / files::DOCS_PER_CHUNK);
        }
        let count = self.index.docs.len().div_ceil(files::DOCS_PER_CHUNK);
        let first = first.min(count);
        let dir = index_dir(site);
        let gone = (count..chunks)
            .map(|n| format!("{dir}docs/{n}.json"))
            .collect();
        self.chunks.truncate(first);
        self.chunks.par_extend(
            (first..count)
                .into_par_iter()
                .map(|n| files::doc_chunk(&self.index, &self.docs, renderer.views, n)),
        );
        self.chunk_hashes.truncate(first);
        (self.chunk_hashes)
            .par_extend(self.chunks[first..].par_iter().map(|c| files::file_hash(c)));
        // A new year, say, is a new choice on the page.
        let (facets, buckets) = facets_and_buckets(renderer, &self.index);
        let mut files = vec![page(renderer, &facets)];
        let written = files::files(
            &self.index,
            &self.chunks,
            &self.chunk_hashes,
            first..count,
            &facets,
            buckets,
            &dir,
        );
        files.extend(written.into_iter().map(Ok));
        self.facets = facets;
        (files, gone)
    }
}

fn index_dir(site: &crate::site::Site) -> String {
    format!("{}index/", site.section_path(UrlWord::Search))
}

/// The search page and every file of its index; with `keep` (`quorum serve`), also the
/// index to patch after an edit. With `previous`, the index of the site before a change,
/// only the documents that changed are indexed again (see [`Index::build`]).
pub fn render(
    renderer: &Renderer<'_>,
    docs: Vec<SearchDoc>,
    keep: bool,
    previous: Option<LiveIndex>,
) -> (Vec<Result<OutputFile, Diagnostic>>, Option<LiveIndex>) {
    let site = renderer.site;
    let (old_index, old_docs) = match previous {
        Some(live) => (Some(live.index), live.docs),
        None => (None, Vec::new()),
    };
    let index = Index::build(old_index.map(|i| (i, old_docs.as_slice())), site, &docs);
    drop(old_docs);
    let (facets, buckets) = facets_and_buckets(renderer, &index);
    let mut out = vec![page(renderer, &facets)];
    let chunks = files::doc_chunks(&index, &docs, renderer.views);
    let chunk_hashes: Vec<u64> = chunks.par_iter().map(|c| files::file_hash(c)).collect();
    let dir = index_dir(site);
    let written = files::files(
        &index,
        &chunks,
        &chunk_hashes,
        0..chunks.len(),
        &facets,
        buckets,
        &dir,
    );
    out.extend(written.into_iter().map(Ok));
    let live = keep.then_some(LiveIndex {
        index,
        docs,
        chunks,
        chunk_hashes,
        facets,
    });
    (out, live)
}

/// The search page, with the filters `facets`.
fn page(renderer: &Renderer<'_>, facets: &[Facet]) -> Result<OutputFile, Diagnostic> {
    let site = renderer.site;
    let path = site.section_path(UrlWord::Search);
    let view = SearchView {
        index_href: site.href(&index_dir(site)),
        script_href: site.href("search.js"),
        core_href: site.href("search-core.js"),
        facets,
    };
    let meta = renderer.meta(
        &path,
        &renderer.views.t("search"),
        "search",
        vec![renderer.home_crumb()],
    );
    let mut context = renderer.context(&meta);
    context.insert("search", &view);
    renderer.page("search.html", &path, &context)
}

/// The facets of the documents of `index` and its term buckets, side by side: each
/// takes milliseconds at 10,000 items, on the way to the browser's reload after `serve`
/// patches the index.
fn facets_and_buckets<'i>(
    renderer: &Renderer<'_>,
    index: &'i Index,
) -> (Vec<Facet>, Vec<files::Bucket<'i>>) {
    rayon::join(
        || facets(renderer, &index.docs),
        || files::term_buckets(index),
    )
}

/// Whether the facets `kept`, made before an edit to entry `entry` (document `id`)
/// that kept its place, hold after it: the edit changed none of the choices nor the
/// entry's values. Most edits change neither, and making the facets again reads every
/// entry of the site (about 25 ms at 100,000 items).
fn facets_hold(renderer: &Renderer<'_>, kept: &[Facet], id: u32, entry: usize) -> bool {
    let now = facets(renderer, &[entry]);
    now.len() == kept.len()
        && now.iter().zip(kept).all(|(now, kept)| {
            (now.name, &now.label, &now.options) == (kept.name, &kept.label, &kept.options)
                && kept.docs.split(',').nth(id as usize) == Some(now.docs.as_str())
        })
}

/// Kind, year, policy area and advice status, with each document's values.
fn facets(renderer: &Renderer<'_>, docs: &[usize]) -> Vec<Facet> {
    let site = renderer.site;
    let views = renderer.views;
    let option = |value: &str, label: String| FacetOption {
        value: value.to_string(),
        label,
    };
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| !site.of_kind(*k).is_empty())
        .collect();
    let years: Vec<i32> = site.years.keys().rev().copied().collect();
    let mut areas: Vec<(&String, &str)> = site
        .config
        .policy_areas
        .iter()
        .map(|(key, area)| (key, area.name()))
        .collect();
    areas.sort_by(|a, b| a.1.cmp(b.1));
    let area_positions: AHashMap<&str, usize> = (areas.iter().enumerate())
        .map(|(n, (key, _))| (key.as_str(), n))
        .collect();
    let kind = |e: &Entry, found: &mut Vec<usize>| {
        found.extend(kinds.iter().position(|k| *k == e.item.kind));
    };
    let year = |e: &Entry, found: &mut Vec<usize>| {
        found.extend(e.year().and_then(|y| years.iter().position(|x| *x == y)));
    };
    let area = |e: &Entry, found: &mut Vec<usize>| {
        let positions = e.item.policy_areas.iter();
        found.extend(positions.filter_map(|a| area_positions.get(a.as_str()).copied()));
    };
    let status = |e: &Entry, found: &mut Vec<usize>| {
        found.extend(
            site.advice_status(e)
                .and_then(|s| AdviceStatus::IDS.iter().position(|id| *id == s.id())),
        );
    };
    let [kind, year, area, status] = facet_columns(site, docs, [&kind, &year, &area, &status]);
    vec![
        Facet {
            name: "kind",
            label: views.t("search_kind"),
            options: kinds
                .iter()
                .map(|k| {
                    option(
                        k.id(),
                        views.t(&format!("kind_{}", k.id().replace('-', "_"))),
                    )
                })
                .collect(),
            docs: kind,
        },
        Facet {
            name: "year",
            label: views.t("search_year"),
            options: years
                .iter()
                .map(|y| option(&y.to_string(), y.to_string()))
                .collect(),
            docs: year,
        },
        Facet {
            name: "area",
            label: views.t("search_area"),
            options: areas
                .iter()
                .map(|(key, name)| option(key, name.to_string()))
                .collect(),
            docs: area,
        },
        Facet {
            name: "status",
            label: views.t("search_status"),
            options: AdviceStatus::IDS
                .iter()
                .map(|id| option(id, views.t(&format!("status_{id}"))))
                .collect(),
            docs: status,
        },
    ]
}

/// Finds the positions of an entry's values among a facet's options.
type FacetValues<'a> = &'a dyn Fn(&Entry, &mut Vec<usize>);

/// The columns of `N` facets for the index metadata (see [`Facet::docs`]), each with
/// the positions its `values` finds for each of `docs` (indices into the site's
/// entries). Written straight into strings, all in one pass over the documents: `serve`
/// makes them again whenever the index changes, and a pass for each facet looked up
/// every entry four times (36 ms of a 100,000-item edit, most of it waiting for memory).
fn facet_columns<const N: usize>(
    site: &crate::site::Site,
    docs: &[usize],
    values: [FacetValues<'_>; N],
) -> [String; N] {
    let mut columns = std::array::from_fn(|_| String::with_capacity(docs.len() * 3));
    let mut found = Vec::new();
    for (n, &i) in docs.iter().enumerate() {
        let entry = &site.entries[i];
        for (column, values) in columns.iter_mut().zip(&values) {
            if n > 0 {
                column.push(',');
            }
            found.clear();
            values(entry, &mut found);
            found.sort_unstable();
            for (j, position) in found.iter().enumerate() {
                if j > 0 {
                    column.push('.');
                }
                match u8::try_from(*position) {
                    Ok(digit @ 0..=9) => column.push(char::from(b'0' + digit)),
                    _ => column.push_str(&position.to_string()),
                }
            }
        }
    }
    columns
}
