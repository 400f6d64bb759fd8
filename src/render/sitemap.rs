//! `/sitemap.xml`: every rendered page of the site but the 404 page and the redirects
//! of aliases, each with the date of its item when it has one.
//!
//! A one-off build writes it once ([`sitemap`]). `quorum serve` makes it again after
//! each edit that adds or takes away a page or an entry: at 100,000 items it lists
//! 125,000 pages, and making all of it again was about 50 ms of such an edit (a topic
//! added, a new file). [`Live`] keeps where the part of each run of files (see
//! [`Files`]) is in the sitemap, and makes again only the parts of the runs an edit
//! changed.

use std::ops::Range;
use std::sync::{Arc, Weak};

use ahash::{AHashMap, AHashSet};
use chrono::NaiveDate;

use super::feeds::escape_markup;
use super::{Contents, Files, OutputFile, alias_files, own_files};
use crate::site::{Entry, Site};

/// Where the sitemap is written.
pub const SITEMAP: &str = "sitemap.xml";

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                    <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const TAIL: &str = "</urlset>\n";

/// The sitemap of a one-off build, listing the rendered HTML pages `pages` (output
/// paths) but the 404 page and the redirects of aliases.
pub fn sitemap(site: &Site, pages: &[&str]) -> OutputFile {
    let facts = Facts::of(site);
    let mut paths: Vec<&str> = pages.to_vec();
    paths.sort_unstable();
    let mut xml = Vec::with_capacity(paths.len() * 100);
    xml.extend_from_slice(HEAD.as_bytes());
    for path in paths {
        facts.write(&mut xml, path);
    }
    xml.extend_from_slice(TAIL.as_bytes());
    OutputFile::rendered(SITEMAP, xml)
}

/// What the sitemap says of a page besides its path: the site's origin, the date of each
/// dated entry's page, and which pages are redirects of aliases.
#[derive(Debug)]
struct Facts {
    /// The site's address, escaped for XML (see `Site::absolute`).
    origin: String,
    /// The page of each dated entry (its path, without `index.html`), with the date.
    dates: AHashMap<String, NaiveDate>,
    /// The output paths of the redirects of aliases.
    aliases: AHashSet<String>,
}

impl Facts {
    fn of(site: &Site) -> Facts {
        let mut facts = Facts {
            origin: escape_markup(&site.absolute("")),
            dates: AHashMap::with_capacity(site.entries.len()),
            aliases: AHashSet::new(),
        };
        for entry in &site.entries {
            facts.add(entry);
        }
        facts
    }

    /// Counts `entry` in: its date and its aliases.
    fn add(&mut self, entry: &Entry) {
        if let Some(date) = entry.item.date {
            self.dates.insert(entry.path.clone(), date);
        }
        self.aliases.extend(alias_files(entry));
    }

    /// Counts `entry` out. Entries have paths and aliases of their own: the site
    /// rejects two that share one.
    fn remove(&mut self, entry: &Entry) {
        self.dates.remove(&entry.path);
        for alias in alias_files(entry) {
            self.aliases.remove(&alias);
        }
    }

    /// Whether the rendered page at `path` is listed.
    fn lists(&self, path: &str) -> bool {
        path != "404.html" && !self.aliases.contains(path)
    }

    /// Appends the `<url>` of the rendered page at `path`, when it is listed. Written
    /// in place: a sitemap is made on the way to the browser's reload.
    fn write(&self, xml: &mut Vec<u8>, path: &str) {
        if !self.lists(path) {
            return;
        }
        let page = path.strip_suffix("index.html");
        let path_part = page.unwrap_or(path);
        let escaped;
        let path_part = if path_part.contains(['&', '<', '>']) {
            escaped = escape_markup(path_part);
            &escaped
        } else {
            path_part
        };
        for part in ["  <url><loc>", self.origin.as_str(), path_part, "</loc>"] {
            xml.extend_from_slice(part.as_bytes());
        }
        if let Some(&date) = page.and_then(|page| self.dates.get(page)) {
            for part in [
                "<lastmod>",
                crate::i18n::iso_date(date).as_str(),
                "</lastmod>",
            ] {
                xml.extend_from_slice(part.as_bytes());
            }
        }
        xml.extend_from_slice(b"</url>\n");
    }
}

/// Whether `file` is a rendered HTML page: copies are not listed.
fn is_rendered_page(file: &OutputFile) -> bool {
    matches!(file.contents, Contents::Bytes(_) | Contents::WithBody(_))
        && super::is_page(&file.path)
}

/// A run of files (see [`Files::runs`]) and where its pages are in the sitemap.
type Part = (Weak<Vec<OutputFile>>, Range<usize>);

/// The sitemap of `serve`'s last build, with the part of it that each run of its files
/// makes.
///
/// A part is taken over when its run is the same allocation as when the part was made
/// and the edit touched none of its paths. The part holds a `Weak` of its run, so the
/// allocation is not given to another run while the part is kept, and a run changed in
/// place (`Arc::make_mut`, when no other list shares it) moves to a new allocation
/// instead of keeping its address. A page's line depends on its path, on whether it
/// is an alias and on its entry's date: the first is the run's, the others change only
/// with an entry added or taken out, whose paths count as touched even when no file of
/// theirs changed (a theme need not show the date).
#[derive(Debug)]
pub struct Live {
    facts: Facts,
    /// The sitemap, shared with its file.
    text: Arc<Vec<u8>>,
    /// The sitemap before `text`, whose memory the next one is written into when no
    /// file holds it any more: at 100,000 items, writing 13 MB into fresh memory took
    /// 8 ms, nearly all of it the kernel giving the pages.
    spare: Arc<Vec<u8>>,
    /// Each run of the files, in order, with its part of `text`.
    parts: Vec<Part>,
}

impl Live {
    /// The sitemap of `site`, whose files are `files`, and its file.
    pub fn new(site: &Site, files: &Files) -> (Live, OutputFile) {
        let mut live = Live {
            facts: Facts::of(site),
            text: Arc::default(),
            spare: Arc::default(),
            parts: Vec::new(),
        };
        let file = live.update(files, None, None);
        (live, file)
    }

    /// The sitemap after an edit that left the files `files`, took the entry `removed`
    /// out of the site and added `added` (an entry moved is both).
    pub fn update(
        &mut self,
        files: &Files,
        removed: Option<&Entry>,
        added: Option<&Entry>,
    ) -> OutputFile {
        if let Some(entry) = removed {
            self.facts.remove(entry);
        }
        if let Some(entry) = added {
            self.facts.add(entry);
        }
        let touched: Vec<usize> = (removed.into_iter().chain(added))
            .flat_map(own_files)
            .map(|path| files.run_index(&path))
            .collect();
        // The runs of the last sitemap by address; their `Weak`s live until the new
        // parts hold the runs they take over.
        let before: AHashMap<*const Vec<OutputFile>, Part> = (self.parts.drain(..))
            .map(|(run, part)| (run.as_ptr(), (run, part)))
            .collect();
        let mut xml = match Arc::get_mut(&mut self.spare) {
            Some(spare) => std::mem::take(spare),
            None => Vec::new(),
        };
        xml.clear();
        xml.reserve(self.text.len().max(files.len() * 60) + 256);
        xml.extend_from_slice(HEAD.as_bytes());
        for (n, run) in files.runs().iter().enumerate() {
            let start = xml.len();
            match before.get(&Arc::as_ptr(run)) {
                Some((_, part)) if !touched.contains(&n) => {
                    xml.extend_from_slice(&self.text[part.clone()]);
                }
                _ => {
                    for file in run.iter().filter(|file| is_rendered_page(file)) {
                        self.facts.write(&mut xml, &file.path);
                    }
                }
            }
            self.parts.push((Arc::downgrade(run), start..xml.len()));
        }
        xml.extend_from_slice(TAIL.as_bytes());
        drop(before);
        self.spare = std::mem::replace(&mut self.text, Arc::new(xml));
        OutputFile {
            path: SITEMAP.into(),
            contents: Contents::Bytes(self.text.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config::Config;

    /// The council fixture, linked, with an alias on its first entry.
    fn site() -> Site {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/council");
        let config = Config::load(&root, None).unwrap();
        let loaded = crate::content::load(&root, &config, Default::default(), None);
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let (mut site, _) = Site::link(root, config, loaded.items, &[], today, None).unwrap();
        site.entries[0].item.aliases = vec!["/oud/stuk.html".into(), "/oud/map/".into()];
        site
    }

    fn page(path: &str) -> OutputFile {
        OutputFile::rendered(path.to_string(), path.to_string())
    }

    /// A page for every entry and alias, the 404 page, copies, open data and enough
    /// list pages for several runs.
    fn files_of(site: &Site) -> Files {
        let mut files: Vec<OutputFile> = (site.entries.iter())
            .map(|entry| page(&format!("{}index.html", entry.path)))
            .collect();
        files.extend(alias_files(&site.entries[0]).map(|path| page(&path)));
        files.push(page("404.html"));
        files.push(OutputFile {
            path: "eigen/pagina.html".into(),
            contents: Contents::Embedded(b"copied"),
        });
        files.extend((0..1500).map(|i| page(&format!("lijst/{i:04}/index.html"))));
        files.extend((0..300).map(|i| page(&format!("data/{i:03}.json"))));
        Files::new(files)
    }

    /// The sitemap of a one-off build of `site` with `files`.
    fn whole(site: &Site, files: &Files) -> String {
        let pages: Vec<&str> = (files.iter())
            .filter(|file| is_rendered_page(file))
            .map(|file| &*file.path)
            .collect();
        text(&sitemap(site, &pages))
    }

    fn text(file: &OutputFile) -> String {
        let Contents::Bytes(bytes) = &file.contents else {
            panic!("a sitemap in memory");
        };
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn lists_rendered_pages_with_dates_but_not_aliases_copies_or_404() {
        let site = site();
        let files = files_of(&site);
        assert!(files.runs().len() >= 3);
        let (_, file) = Live::new(&site, &files);
        let xml = text(&file);
        assert_eq!(xml, whole(&site, &files));
        let dated = site.entries.iter().find(|e| e.item.date.is_some()).unwrap();
        let line = format!(
            "<loc>https://wmoraad.example.nl/{}</loc><lastmod>{}</lastmod>",
            dated.path,
            dated.item.date.unwrap()
        );
        assert!(xml.contains(&line), "{xml}");
        assert!(xml.contains("lijst/1499/</loc></url>"));
        for absent in ["/oud/", "404.html", "eigen/", "data/"] {
            assert!(!xml.contains(absent), "{absent}");
        }
        assert!(xml.starts_with(HEAD) && xml.ends_with(TAIL));
    }

    /// Runs changed in place, because no other list shared them, are made again.
    #[test]
    fn pages_added_and_taken_out_are_found_in_runs_changed_in_place() {
        let site = site();
        let mut files = files_of(&site);
        let (mut live, _) = Live::new(&site, &files);
        files.put(page("lijst/0700a/index.html"));
        files.remove("lijst/0001/index.html");
        files.put(page("zzz/index.html"));
        let xml = text(&live.update(&files, None, None));
        assert_eq!(xml, whole(&site, &files));
        assert!(xml.contains("lijst/0700a/") && xml.contains("zzz/"));
        assert!(!xml.contains("lijst/0001/"));
        // And again, from the parts of the update.
        files.remove("lijst/0700a/index.html");
        assert_eq!(text(&live.update(&files, None, None)), whole(&site, &files));
    }

    /// An entry taken out and added again with another date and other aliases changes
    /// its line even when none of its files changed.
    #[test]
    fn an_entry_redated_is_redated_when_its_page_is_unchanged() {
        let mut site = site();
        let files = files_of(&site);
        let (mut live, _) = Live::new(&site, &files);
        let at = site
            .entries
            .iter()
            .position(|e| e.item.date.is_some())
            .unwrap();
        let before = Entry {
            item: site.entries[at].item.clone(),
            path: site.entries[at].path.clone(),
            body: site.entries[at].body.clone(),
        };
        let date = NaiveDate::from_ymd_opt(2001, 2, 3).unwrap();
        site.entries[at].item.date = Some(date);
        site.entries[at].item.aliases = vec!["/lijst/0002/".into()];
        let xml = text(&live.update(&files, Some(&before), Some(&site.entries[at])));
        assert_eq!(xml, whole(&site, &files));
        assert!(xml.contains("<lastmod>2001-02-03</lastmod>"));
        assert!(!xml.contains("lijst/0002/"));
    }
}
