//! The index as files for the browser: one small `meta.json` that every search loads,
//! term buckets fetched per query word, and document chunks fetched per shown result.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::Facet;
use super::index::{Index, SearchDoc};
use crate::render::OutputFile;
use crate::render::json_string;
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
    docs: &'a str,
}

/// The index files under `dir` (e.g. `zoeken/index/`), with the document chunks made by
/// [`doc_chunks`] and their hashes ([`file_hash`]): the term buckets, the metadata and
/// the chunks numbered `written` (all of them, or those that an edit changed), and the
/// `buckets` made by [`term_buckets`].
pub fn files(
    index: &Index,
    chunks: &[String],
    chunk_hashes: &[u64],
    written: std::ops::Range<usize>,
    facets: &[Facet],
    buckets: Vec<Bucket<'_>>,
    dir: &str,
) -> Vec<OutputFile> {
    debug_assert_eq!(chunks.len(), chunk_hashes.len());
    let mut files: Vec<(String, String)> = Vec::with_capacity(chunks.len() + 100);
    let mut hasher = Xxh3::new();
    for (n, (json, &hash)) in chunks.iter().zip(chunk_hashes).enumerate() {
        let path = format!("docs/{n}.json");
        add_to_version(&mut hasher, &path, hash);
        if written.contains(&n) {
            files.push((path, json.clone()));
        }
    }
    let firsts = buckets.iter().map(|b| b.first).collect();
    files.extend(
        buckets
            .into_iter()
            .enumerate()
            .map(|(i, b)| (format!("terms/{i}.json"), b.json)),
    );
    for (path, json) in files.iter().filter(|(path, _)| path.starts_with("terms/")) {
        add_to_version(&mut hasher, path, file_hash(json));
    }
    let version = format!("{:016x}", hasher.digest());
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
    FacetColumn {
        values: facet.options.iter().map(|o| o.value.as_str()).collect(),
        docs: &facet.docs,
    }
}

/// `docs/<n>.json`: `[title, href, iso date, written date, snippet text]` per document;
/// `docs` by entry.
pub fn doc_chunks(index: &Index, docs: &[SearchDoc], views: &Views<'_>) -> Vec<String> {
    (0..index.docs.len().div_ceil(DOCS_PER_CHUNK))
        .into_par_iter()
        .map(|n| doc_chunk(index, docs, views, n))
        .collect()
}

/// The JSON of document chunk `n` (see [`doc_chunks`]).
pub fn doc_chunk(index: &Index, docs: &[SearchDoc], views: &Views<'_>, n: usize) -> String {
    let site = views.site;
    let start = n * DOCS_PER_CHUNK;
    let chunk = &index.docs[start..(start + DOCS_PER_CHUNK).min(index.docs.len())];
    let mut json = Vec::with_capacity(chunk.len() * (SNIPPET_BYTES + 200));
    json.push(b'[');
    for (k, &i) in chunk.iter().enumerate() {
        let entry = &site.entries[i];
        let date = entry.item.date.map(|d| views.date(d));
        if k > 0 {
            json.push(b',');
        }
        write_row(
            [
                &entry.item.title,
                &site.href(&entry.path),
                date.as_ref().map_or("", |d| &d.iso),
                date.as_ref().map_or("", |d| &d.long),
                &docs[i].snippet,
            ],
            &mut json,
        );
    }
    json.push(b']');
    String::from_utf8(json).expect("JSON of text is text")
}

/// Appends `fields` to `json` as a JSON array of strings, as serde_json writes it but
/// sixteen bytes at a time: serde_json escaped the snippets (600 characters each) a
/// byte at a time.
fn write_row<const N: usize>(fields: [&str; N], json: &mut Vec<u8>) {
    json.push(b'[');
    for (f, field) in fields.into_iter().enumerate() {
        if f > 0 {
            json.push(b',');
        }
        json_string::write(field, json);
    }
    json.push(b']');
}

/// About how long a snippet is in bytes, for the room a chunk takes.
const SNIPPET_BYTES: usize = 700;

/// A run of consecutive forms with the postings of their stems.
pub struct Bucket<'a> {
    first: &'a str,
    json: String,
}

/// Splits the sorted forms into buckets of about [`BUCKET_BYTES`]. A bucket carries the
/// postings of every stem its forms lead to, so one fetch answers one word; a stem whose
/// forms fall into two buckets is in both, which is rare as forms share the stem's start.
/// `serve` makes them all again after every edit (some 3 MB at 10,000 items), so each is
/// written straight into one buffer: a string made for each form and stem, and the
/// bucket formatted from their list, were 5% of the processor time of a patch that
/// moves an item (`perf`) and 9.9 million instructions more at 10,000 items.
pub fn term_buckets(index: &Index) -> Vec<Bucket<'_>> {
    let mut buckets = Vec::new();
    let mut start = 0;
    while start < index.forms.len() {
        let mut local: BTreeMap<u32, usize> = BTreeMap::new();
        let mut forms = Vec::new();
        let mut end = start;
        let mut stems_size = 0;
        while end < index.forms.len() && (end == start || forms.len() + stems_size < BUCKET_BYTES) {
            let (form, stem) = &index.forms[end];
            let next = local.len();
            let slot = *local.entry(*stem).or_insert_with(|| {
                // `[id,"text",postings],`
                let text = &index.stems[*stem as usize].text;
                stems_size += index.stems[*stem as usize].encoded.len() + text.len() + 16;
                next
            });
            if end > start {
                forms.push(b',');
            }
            forms.push(b'[');
            json_string::write(form, &mut forms);
            forms.push(b',');
            forms.extend_from_slice(itoa::Buffer::new().format(slot).as_bytes());
            forms.push(b']');
            end += 1;
        }
        let mut stems: Vec<(usize, u32)> = local.into_iter().map(|(id, s)| (s, id)).collect();
        stems.sort_unstable();
        let mut json = Vec::with_capacity(forms.len() + stems_size + 32);
        json.extend_from_slice(b"{\"forms\":[");
        json.extend_from_slice(&forms);
        json.extend_from_slice(b"],\"stems\":[");
        for (n, (_, id)) in stems.into_iter().enumerate() {
            let stem = &index.stems[id as usize];
            if n > 0 {
                json.push(b',');
            }
            json.push(b'[');
            json.extend_from_slice(itoa::Buffer::new().format(id).as_bytes());
            json.push(b',');
            json_string::write(&stem.text, &mut json);
            json.push(b',');
            json.extend_from_slice(stem.encoded.as_bytes());
            json.push(b']');
        }
        json.extend_from_slice(b"]}");
        buckets.push(Bucket {
            first: &index.forms[start].0,
            json: String::from_utf8(json).expect("JSON made of strings is UTF-8"),
        });
        start = end;
    }
    buckets
}

/// The hash of a file of the index, for its version: stable across runs and platforms,
/// unlike std's hasher. `serve` keeps those of the document chunks, which an edit
/// leaves but one or a few of: hashing all of them again was 10–15 ms of every edit at
/// 100,000 items (70 MB).
pub fn file_hash(json: &str) -> u64 {
    xxh3_64(json.as_bytes())
}

/// Adds a file, by its path and the hash of its contents, to the hash that versions the
/// index.
fn add_to_version(hasher: &mut Xxh3, path: &str, hash: u64) {
    hasher.update(path.as_bytes());
    hasher.update(&[0]);
    hasher.update(&hash.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::super::index::{Posting, encode_postings};
    use super::write_row;

    #[test]
    fn rows_are_written_as_serde_json_writes_them() {
        let row = [
            "Advies \"Wmo\" & <jeugd>",
            "/adviezen/2024-wmo/",
            "",
            "14 december 2024",
            "Cliënt\\raad\n\tregel\u{1}€ 12,50 — 😀 en een snippet langer dan zestien bytes",
        ];
        let mut json = Vec::new();
        write_row(row, &mut json);
        assert_eq!(
            String::from_utf8(json).unwrap(),
            serde_json::to_string(&row).unwrap()
        );
    }

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
