//! The latest build as the server answers from it, and replacing it after a change.
//!
//! Every rebuild is made in memory with a [`BuildCache`]: an edit to an item's text is
//! patched into the last build, and any other change runs the whole pipeline, where
//! files the watcher did not name are not read or parsed again, Markdown is not
//! rendered again, and pages whose inputs are unchanged are not rendered again. After
//! each rebuild the other files' sizes and times are checked, and a change the watcher
//! missed is built at once. What is served equals what `quorum build` would write
//! (tests/testsuite/incremental.rs checks that). The new files are compared with the
//! served ones to tell the browser what to do: nothing, swap the stylesheets, or
//! reload.

use std::cmp::Ordering;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use ahash::AHashMap;

use super::reload::Change;
use crate::build::{BuildCache, BuildOptions, Timings, rebuild};
use crate::content::{Stamp, stamp};
use crate::diagnostics::Diagnostics;
use crate::render::{Contents, Files, OutputFile};

/// One build, frozen: requests read it while the next build is made beside it.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Counts builds that changed what is served; pages carry it to notice missed ones.
    pub generation: u64,
    /// Sorted by path, as builds hand them over, so a snapshot is made without hashing
    /// 20,000 paths and compared with the last by one walk through both, which skips
    /// the runs of files the two share. Shared with the build cache, which patches the
    /// next build from them, and with the snapshot of a failed build, which keeps
    /// serving them.
    files: Files,
    /// The size and time of each copied file (`None`: not to be had), to notice when
    /// it changed.
    stamps: Arc<AHashMap<Arc<str>, Option<Stamp>>>,
    /// The diagnostics of the last build when it failed; the files are then the last
    /// good ones (or none, when no build ever succeeded).
    pub errors: Option<Diagnostics>,
}

impl Snapshot {
    /// A snapshot of `files` as build `generation`.
    pub fn new(files: Files, generation: u64) -> Snapshot {
        let stamps = (files.iter())
            .filter_map(|file| match &file.contents {
                Contents::Copy(source) => Some((file.path.clone(), stamp(source))),
                _ => None,
            })
            .collect();
        Snapshot {
            generation,
            files,
            stamps: Arc::new(stamps),
            errors: None,
        }
    }

    /// The contents of the output file at `path` (`a/index.html`), if there is one.
    pub fn get(&self, path: &str) -> Option<&Contents> {
        Some(&self.files.get(path)?.contents)
    }

    /// Whether no build has succeeded yet.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Output paths that differ from `older`, given the source files that changed;
    /// sorted.
    fn changed_since(&self, older: &Snapshot, sources: &[PathBuf]) -> Vec<String> {
        let (new, old) = (self.files.runs(), older.files.runs());
        // Where each walk is: a run, and a file in it.
        let (mut i, mut j) = ((0, 0), (0, 0));
        let step = |at: &mut (usize, usize), runs: &[Arc<Vec<OutputFile>>]| {
            at.1 += 1;
            if at.1 == runs[at.0].len() {
                *at = (at.0 + 1, 0);
            }
        };
        let mut changed = Vec::new();
        loop {
            // A run the last build kept holds the same files as the served one.
            while let (Some(a), Some(b), (_, 0), (_, 0)) = (new.get(i.0), old.get(j.0), i, j) {
                if !Arc::ptr_eq(a, b) {
                    break;
                }
                (i, j) = ((i.0 + 1, 0), (j.0 + 1, 0));
            }
            let (a, b) = (new.get(i.0).map(|r| &r[i.1]), old.get(j.0).map(|r| &r[j.1]));
            let order = match (a, b) {
                // A file the last build kept shares its path with the served one.
                (Some(a), Some(b)) if Arc::ptr_eq(&a.path, &b.path) => Ordering::Equal,
                (Some(a), Some(b)) => a.path.cmp(&b.path),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => break,
            };
            match order {
                Ordering::Less => {
                    changed.extend(a.map(|a| a.path.to_string()));
                    step(&mut i, new);
                }
                Ordering::Greater => {
                    changed.extend(b.map(|b| b.path.to_string()));
                    step(&mut j, old);
                }
                Ordering::Equal => {
                    if let (Some(a), Some(b)) = (a, b)
                        && !self.same(a, older, b, sources)
                    {
                        changed.push(a.path.to_string());
                    }
                    step(&mut i, new);
                    step(&mut j, old);
                }
            }
        }
        // The runs both share were not walked, but a file copied in one of them may
        // have changed on disk since: its stamp tells, or the watcher named it.
        let copies = (self.stamps.keys()).filter_map(|path| self.files.get(path));
        for file in copies {
            match older.files.get(&file.path) {
                Some(old) if self.same(file, older, old, sources) => {}
                _ => changed.push(file.path.to_string()),
            }
        }
        changed.sort_unstable();
        changed.dedup();
        changed
    }

    /// Whether `file` of this snapshot is the same as `old` of `older`, given the source
    /// files that changed.
    fn same(
        &self,
        file: &OutputFile,
        older: &Snapshot,
        old: &OutputFile,
        sources: &[PathBuf],
    ) -> bool {
        match (&old.contents, &file.contents) {
            (Contents::Bytes(a), Contents::Bytes(b)) => a == b,
            (Contents::Embedded(a), Contents::Embedded(b)) => a == b,
            (Contents::WithBody(a), Contents::WithBody(b)) => a == b,
            // A copied file is not read here (it may be a large PDF): a change shows in
            // its size or time, or in the watcher naming it.
            (Contents::Copy(a), Contents::Copy(b)) => {
                let old_stamp = older.stamps.get(&old.path).copied().flatten();
                a == b
                    && old_stamp.is_some()
                    && old_stamp == self.stamps.get(&file.path).copied().flatten()
                    && !sources.contains(b)
            }
            _ => false,
        }
    }
}

/// What tabs showing `old` should do now that a build succeeded with `changed` files.
fn change_after_success(old: &Snapshot, changed: &[String]) -> Option<Change> {
    if old.errors.is_some() || old.is_empty() {
        // The overlay (or the error page) must go, whatever the files say.
        Some(Change::Reload)
    } else if changed.is_empty() {
        None
    } else if changed.iter().all(|path| path.ends_with(".css")) {
        Some(Change::Styles)
    } else {
        Some(Change::Reload)
    }
}

/// What one rebuild did, for the terminal and the browsers.
#[derive(Debug)]
pub struct Rebuilt {
    /// What open tabs should do; `None` when nothing they show changed.
    pub change: Option<Change>,
    /// The generation now served.
    pub generation: u64,
    /// The numbers of a successful build, or the diagnostics of a failed one.
    pub outcome: Result<Summary, Diagnostics>,
}

/// The numbers of a successful build.
#[derive(Debug)]
pub struct Summary {
    pub pages: usize,
    pub files: usize,
    /// Output files that differ from the ones served before.
    pub changed: usize,
    /// Files (pages, open data) taken unchanged from the previous build, not made again.
    pub reused: usize,
    pub elapsed: Duration,
    pub timings: Timings,
    pub warnings: Diagnostics,
}

/// The site being served: how to build it and the latest snapshot.
pub struct LiveSite {
    options: BuildOptions,
    current: RwLock<Arc<Snapshot>>,
    /// Also makes rebuilds take turns.
    cache: Mutex<BuildCache>,
}

impl LiveSite {
    /// A site with nothing built yet.
    pub fn new(options: BuildOptions) -> LiveSite {
        LiveSite {
            options,
            current: RwLock::new(Arc::new(Snapshot::default())),
            cache: Mutex::new(BuildCache::default()),
        }
    }

    /// The snapshot to answer a request from; it stays valid while a rebuild swaps in
    /// the next one.
    pub fn current(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Whether a source changed without the watcher reporting it, which a rebuild
    /// after reported changes cannot have seen (see [`BuildCache::unseen_changes`]).
    pub fn unseen_changes(&self) -> bool {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.unseen_changes()
    }

    /// Readies the last build for edits that add or take out pages (see
    /// [`BuildCache::prepare_for_edits`]).
    pub fn prepare_for_edits(&self) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.prepare_for_edits();
    }

    /// Builds the site again and serves the result; `sources` are the changed files.
    pub fn rebuild(&self, sources: &[PathBuf]) -> Rebuilt {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let started = Instant::now();
        cache.forget(sources);
        let old = self.current();
        let generation = old.generation + 1;
        match rebuild(&self.options, &mut cache) {
            Ok((mut built, files)) => {
                let (pages, count) = (built.pages, built.files);
                let new = Snapshot::new(files, generation);
                let changed = new.changed_since(&old, sources);
                let change = change_after_success(&old, &changed);
                built.timings.lap("compare with the files served");
                let summary = Summary {
                    pages,
                    files: count,
                    changed: changed.len(),
                    reused: cache.reused_files(),
                    // The whole rebuild, from the change to the files ready to serve.
                    elapsed: started.elapsed(),
                    timings: built.timings,
                    warnings: built.warnings,
                };
                self.swap_in_if(change.is_some(), new);
                self.finish(change, Ok(summary))
            }
            Err(diagnostics) => {
                let unchanged = old
                    .errors
                    .as_ref()
                    .is_some_and(|errors| errors.iter().eq(diagnostics.iter()));
                let change = (!unchanged).then_some(Change::Reload);
                let new = Snapshot {
                    generation,
                    // The last good files stay served, under the overlay.
                    files: old.files.clone(),
                    stamps: old.stamps.clone(),
                    errors: Some(diagnostics.clone()),
                };
                self.swap_in_if(change.is_some(), new);
                self.finish(change, Err(diagnostics))
            }
        }
    }

    fn swap_in_if(&self, changed: bool, snapshot: Snapshot) {
        if changed {
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        }
    }

    fn finish(&self, change: Option<Change>, outcome: Result<Summary, Diagnostics>) -> Rebuilt {
        Rebuilt {
            change,
            generation: self.current().generation,
            outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::bytes(text),
        }
    }

    fn snapshot(files: &[(&str, &str)]) -> Snapshot {
        Snapshot::new(
            Files::new(files.iter().map(|(p, t)| file(p, t)).collect()),
            1,
        )
    }

    #[test]
    fn changes_are_added_changed_and_removed_files() {
        let old = snapshot(&[("index.html", "a"), ("style.css", "x"), ("gone.html", "g")]);
        let new = snapshot(&[("index.html", "a"), ("style.css", "y"), ("new.html", "n")]);
        assert_eq!(
            new.changed_since(&old, &[]),
            ["gone.html", "new.html", "style.css"]
        );
        assert!(old.changed_since(&old, &[]).is_empty());
    }

    #[test]
    fn runs_shared_with_the_served_files_are_skipped_and_the_rest_compared() {
        let many = (0..3000)
            .map(|n| file(&format!("p{n:04}.html"), "a"))
            .collect();
        let old = Snapshot::new(Files::new(many), 1);
        let mut files = old.files.clone();
        files.put(file("p1500.html", "b"));
        files.put(file("p2000x.html", "new"));
        files.remove("p0100.html");
        files.put(file("p2999.html", "a"));
        let new = Snapshot::new(files, 2);
        let expected = ["p0100.html", "p1500.html", "p2000x.html"];
        assert_eq!(new.changed_since(&old, &[]), expected);
        assert_eq!(old.changed_since(&new, &[]), expected);
        // The same files in runs of their own are compared file by file.
        let fresh = Snapshot::new(Files::new(new.files.iter().cloned().collect()), 3);
        assert!(!Arc::ptr_eq(&fresh.files.runs()[0], &new.files.runs()[0]));
        assert_eq!(fresh.changed_since(&old, &[]), expected);
        assert!(fresh.changed_since(&new, &[]).is_empty());
    }

    #[test]
    fn copied_files_change_when_the_watcher_names_them() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a.pdf");
        std::fs::write(&source, "pdf").unwrap();
        let copy = || {
            let copy = OutputFile {
                path: "a.pdf".into(),
                contents: Contents::Copy(source.clone()),
            };
            Snapshot::new(Files::new(vec![copy]), 1)
        };
        let (old, new) = (copy(), copy());
        assert!(new.changed_since(&old, &[]).is_empty());
        assert_eq!(
            new.changed_since(&old, std::slice::from_ref(&source)),
            ["a.pdf"]
        );
    }

    #[test]
    fn copied_files_in_runs_shared_with_the_served_files_are_compared_too() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("a.pdf");
        std::fs::write(&source, "pdf").unwrap();
        let mut files: Vec<OutputFile> = (0..3000)
            .map(|n| file(&format!("p{n:04}.html"), "a"))
            .collect();
        files.push(OutputFile {
            path: "a.pdf".into(),
            contents: Contents::Copy(source.clone()),
        });
        let old = Snapshot::new(Files::new(files), 1);
        let edited = |files: &Files| {
            let mut files = files.clone();
            // Far from the copied file, whose run stays shared.
            files.put(file("p2999.html", "b"));
            Snapshot::new(files, 2)
        };
        let shared = edited(&old.files);
        assert!(Arc::ptr_eq(&shared.files.runs()[0], &old.files.runs()[0]));
        assert_eq!(shared.changed_since(&old, &[]), ["p2999.html"]);
        let named = [source.clone()];
        let expected = ["a.pdf", "p2999.html"];
        assert_eq!(edited(&old.files).changed_since(&old, &named), expected);
        std::fs::write(&source, "a longer pdf").unwrap();
        assert_eq!(edited(&old.files).changed_since(&old, &[]), expected);
        std::fs::remove_file(&source).unwrap();
        assert_eq!(edited(&old.files).changed_since(&old, &[]), expected);
    }

    #[test]
    fn only_stylesheets_swap_everything_else_reloads() {
        let good = snapshot(&[("index.html", "a")]);
        let css = ["style.css".to_string()];
        let page = ["style.css".to_string(), "index.html".to_string()];
        assert_eq!(change_after_success(&good, &[]), None);
        assert_eq!(change_after_success(&good, &css), Some(Change::Styles));
        assert_eq!(change_after_success(&good, &page), Some(Change::Reload));
        let failed = Snapshot {
            errors: Some(Diagnostics::new()),
            ..snapshot(&[("index.html", "a")])
        };
        assert_eq!(change_after_success(&failed, &[]), Some(Change::Reload));
        assert_eq!(
            change_after_success(&Snapshot::default(), &[]),
            Some(Change::Reload)
        );
    }
}
