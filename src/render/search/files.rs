//! The index as files for the browser: one small `meta.json` that every search loads,
//! term buckets fetched per query word, and document chunks fetched per shown result.

use std::collections::BTreeMap;
use std::fmt::Write;

use rayon::prelude::*;
use serde::Serialize;

use super::Facet;
use super::index::{Index, Posting, SearchDoc};
use crate::render::OutputFile;
use crate::render::view::Views;

/// Documents per chunk: a page of ten results from ten different chunks stays small.
pub const DOCS_PER_CHUNK: usize = 25;
/// A term bucket is closed once its JSON passes this size (about a third when gzipped).
const BUCKET_BYTES: usize = 40_000;

/// What every search loads first: sizes, bucket boundaries and the facet of each document.
#[derive(Serialize)]
struct Meta<'a> {
    /// Changes whenever any index file does; appended to fetches so caches never mix builds.
    version: String,
    docs: usize,
    chunk: usize,
    /// The first form of each term bucket, sorted: a form lives in the last bucket whose
    /// first form is not greater than it.
    buckets: Vec<&'a str>,
    facets: BTreeMap<&'static str, FacetColumn<'a>>,
}

/// A facet's values, and per document (in id order) the indices of its values: numbers
/// joined with `.` per document and `,` between documents, which gzip shrinks to little.
#[derive(Serialize)]
struct FacetColumn<'a> {
    values: Vec<&'a str>,
    docs: String,
}

/// All index files, under `dir` (e.g. `zoeken/index/`).
pub fn files(
    index: &Index,
    docs: &[SearchDoc],
    facets: &[Facet],
    views: &Views<'_>,
    dir: &str,
) -> Vec<OutputFile> {
    let mut files = doc_chunks(index, docs, views);
    let buckets = term_buckets(index);
    let firsts = buckets.iter().map(|b| b.first).collect();
    files.extend(
        buckets
            .into_iter()
            .enumerate()
            .map(|(i, b)| (format!("terms/{i}.json"), b.json)),
    );
    let version = format!("{:016x}", fnv1a(&files));
    let meta = Meta {
        version,
        docs: index.docs.len(),
        chunk: DOCS_PER_CHUNK,
        buckets: firsts,
        facets: facets.iter().map(|f| (f.name, column(f))).collect(),
    };
    let meta = serde_json::to_string(&meta).expect("the index metadata is plain data");
    files.push(("meta.json".to_string(), meta));
    files
        .into_iter()
        .map(|(path, json)| OutputFile::rendered(format!("{dir}{path}"), json))
        .collect()
}

fn column(facet: &Facet) -> FacetColumn<'_> {
    let mut docs = String::with_capacity(facet.of_doc.len() * 2);
    for (i, values) in facet.of_doc.iter().enumerate() {
        if i > 0 {
            docs.push(',');
        }
        for (j, value) in values.iter().enumerate() {
            if j > 0 {
                docs.push('.');
            }
            let _ = write!(docs, "{value}");
        }
    }
    FacetColumn {
        values: facet.options.iter().map(|o| o.value.as_str()).collect(),
        docs,
    }
}

/// `docs/<n>.json`: `[title, href, iso date, written date, snippet text]` per document.
fn doc_chunks(index: &Index, docs: &[SearchDoc], views: &Views<'_>) -> Vec<(String, String)> {
    let site = views.site;
    index
        .docs
        .par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let rows: Vec<_> = chunk
                .iter()
                .map(|&i| {
                    let entry = &site.entries[i];
                    let date = entry.item.date.map(|d| views.date(d));
                    (
                        &entry.item.title,
                        site.href(&entry.path),
                        date.as_ref().map_or("", |d| d.iso.as_str()).to_string(),
                        date.map(|d| d.long).unwrap_or_default(),
                        docs[i].snippet.as_str(),
                    )
                })
                .collect();
            let json = serde_json::to_string(&rows).expect("documents are plain data");
            (format!("docs/{n}.json"), json)
        })
        .collect()
}

/// A run of consecutive forms with the postings of their stems.
struct Bucket<'a> {
    first: &'a str,
    json: String,
}

/// Splits the sorted forms into buckets of about [`BUCKET_BYTES`]. A bucket carries the
/// postings of every stem its forms lead to, so one fetch answers one word; a stem whose
/// forms fall into two buckets is in both, which is rare as forms share the stem's start.
fn term_buckets(index: &Index) -> Vec<Bucket<'_>> {
    let postings: Vec<String> = index
        .stems
        .par_iter()
        .map(|stem| encode_postings(&stem.postings))
        .collect();
    let mut buckets = Vec::new();
    let mut start = 0;
    while start < index.forms.len() {
        let mut local: BTreeMap<u32, usize> = BTreeMap::new();
        let mut forms = String::new();
        let mut end = start;
        let mut stems_size = 0;
        while end < index.forms.len() && (end == start || forms.len() + stems_size < BUCKET_BYTES) {
            let (form, stem) = &index.forms[end];
            let next = local.len();
            let slot = *local.entry(*stem).or_insert_with(|| {
                // `[id,"text",postings],`
                let text = &index.stems[*stem as usize].text;
                stems_size += postings[*stem as usize].len() + text.len() + 16;
                next
            });
            if end > start {
                forms.push(',');
            }
            let _ = write!(forms, "[{},{slot}]", json_string(form));
            end += 1;
        }
        let mut stems: Vec<(usize, u32)> = local.into_iter().map(|(id, s)| (s, id)).collect();
        stems.sort_unstable();
        let stems: Vec<String> = stems
            .into_iter()
            .map(|(_, id)| {
                let stem = &index.stems[id as usize];
                format!(
                    "[{id},{},{}]",
                    json_string(&stem.text),
                    postings[id as usize]
                )
            })
            .collect();
        buckets.push(Bucket {
            first: &index.forms[start].0,
            json: format!("{{\"forms\":[{forms}],\"stems\":[{}]}}", stems.join(",")),
        });
        start = end;
    }
    buckets
}

/// Postings as a JSON array of gaps from the previous document (the first from -1, so
/// never 0), negative where the stem is in the title.
fn encode_postings(postings: &[Posting]) -> String {
    let mut out = String::with_capacity(postings.len() * 3 + 2);
    out.push('[');
    let mut previous: i64 = -1;
    for (i, posting) in postings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let gap = i64::from(posting.doc) - previous;
        previous = i64::from(posting.doc);
        let _ = write!(out, "{}", if posting.in_title { -gap } else { gap });
    }
    out.push(']');
    out
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

/// FNV-1a over paths and contents: stable across runs and platforms, unlike std's hasher.
fn fnv1a(files: &[(String, String)]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in files
        .iter()
        .flat_map(|(path, json)| path.bytes().chain(json.bytes()))
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_gaps_with_title_sign() {
        let p = |doc, in_title| Posting { doc, in_title };
        assert_eq!(
            encode_postings(&[p(0, false), p(3, true), p(4, false)]),
            "[1,-3,1]"
        );
        assert_eq!(encode_postings(&[p(0, true)]), "[-1]");
    }
}
