//! The files of a build as `quorum serve` keeps them: sorted by path, in runs that the
//! builds share.
//!
//! `serve` keeps the files of its last build to patch an edit into, and serves another
//! copy of them while the next build is made. Held in one list, every edit copied all
//! of it (230,000 files at 100,000 items), and compared every file with the one served
//! before. Held in runs, an edit copies only the runs it changes, and a run that two
//! builds share holds the same files in both, unlooked at.

use std::sync::Arc;

use super::OutputFile;

/// How many files a run holds when a list is made; an edit that grows a run to twice
/// this splits it.
const RUN: usize = 512;

/// Output files sorted by path, each path once.
#[derive(Debug, Clone, Default)]
pub struct Files {
    /// Consecutive runs of the files, none of them empty.
    runs: Vec<Arc<Vec<OutputFile>>>,
    len: usize,
}

impl Files {
    /// The files of `files`, sorted by path unless they are (builds hand them over
    /// sorted, which takes one pass to see). Each path must come once.
    pub fn new(mut files: Vec<OutputFile>) -> Files {
        if !files.is_sorted_by(|a, b| a.path <= b.path) {
            files.sort_by(|a, b| a.path.cmp(&b.path));
        }
        debug_assert!(files.windows(2).all(|w| w[0].path < w[1].path));
        let len = files.len();
        let mut runs = Vec::with_capacity(len.div_ceil(RUN));
        let mut rest = files.into_iter();
        while rest.len() > 0 {
            runs.push(Arc::new(rest.by_ref().take(RUN).collect()));
        }
        Files { runs, len }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The files in order of their paths.
    pub fn iter(&self) -> impl Iterator<Item = &OutputFile> {
        self.runs.iter().flat_map(|run| run.iter())
    }

    /// The runs, in order: two lists that hold the same run (`Arc::ptr_eq`) hold the
    /// same files there.
    pub fn runs(&self) -> &[Arc<Vec<OutputFile>>] {
        &self.runs
    }

    /// The file at `path`.
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        let run = self.runs.get(self.run_of(path))?;
        let at = run.binary_search_by(|f| (*f.path).cmp(path)).ok()?;
        Some(&run[at])
    }

    /// The files from the first whose path is not before `path`, in order.
    pub fn from<'a>(&'a self, path: &str) -> impl Iterator<Item = &'a OutputFile> {
        let first = self.run_of(path);
        let skip = (self.runs.get(first)).map_or(0, |run| run.partition_point(|f| *f.path < *path));
        self.runs[first..]
            .iter()
            .flat_map(|run| run.iter())
            .skip(skip)
    }

    /// Puts `file` in the place of the file at its path, which it returns, or adds it.
    pub fn put(&mut self, file: OutputFile) -> Option<OutputFile> {
        let Some(last) = self.runs.len().checked_sub(1) else {
            self.runs.push(Arc::new(vec![file]));
            self.len = 1;
            return None;
        };
        // Past the last run's end, it is added to the last run.
        let n = self.run_of(&file.path).min(last);
        // Copied here when another list holds the run too.
        let run = Arc::make_mut(&mut self.runs[n]);
        match run.binary_search_by(|f| f.path.cmp(&file.path)) {
            Ok(at) => Some(std::mem::replace(&mut run[at], file)),
            Err(at) => {
                run.insert(at, file);
                self.len += 1;
                if run.len() >= 2 * RUN {
                    let second = run.split_off(run.len() / 2);
                    self.runs.insert(n + 1, Arc::new(second));
                }
                None
            }
        }
    }

    /// Takes out the file at `path`, if there is one.
    pub fn remove(&mut self, path: &str) -> Option<OutputFile> {
        let n = self.run_of(path);
        let at = (self.runs.get(n)?)
            .binary_search_by(|f| (*f.path).cmp(path))
            .ok()?;
        let run = Arc::make_mut(&mut self.runs[n]);
        let file = run.remove(at);
        if run.is_empty() {
            self.runs.remove(n);
        }
        self.len -= 1;
        Some(file)
    }

    /// The index in [`Files::runs`] of the run where a file at `path` is or would be.
    pub fn run_index(&self, path: &str) -> usize {
        self.run_of(path).min(self.runs.len().saturating_sub(1))
    }

    /// The run where a file at `path` is or belongs: the first whose last path is not
    /// before it; the number of runs past the end.
    fn run_of(&self, path: &str) -> usize {
        self.runs.partition_point(|run| {
            let last = run.last().expect("runs are never empty");
            *last.path < *path
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Contents;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::rendered(path, text)
    }

    fn paths(files: &Files) -> Vec<String> {
        files.iter().map(|f| f.path.to_string()).collect()
    }

    fn text(file: Option<&OutputFile>) -> Option<&[u8]> {
        match &file?.contents {
            Contents::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    #[test]
    fn a_list_is_sorted_and_found_by_path() {
        let files = Files::new(vec![file("b", "2"), file("a", "1"), file("c", "3")]);
        assert_eq!(paths(&files), ["a", "b", "c"]);
        assert_eq!(text(files.get("b")), Some(&b"2"[..]));
        assert!(files.get("bb").is_none() && files.get("d").is_none());
        let from: Vec<_> = files.from("aa").map(|f| f.path.to_string()).collect();
        assert_eq!(from, ["b", "c"]);
        assert_eq!(files.from("d").count(), 0);
        assert!(Files::new(Vec::new()).is_empty());
    }

    /// Puts and removes many files in many runs, against a sorted `Vec` doing the same.
    #[test]
    fn edits_keep_the_files_as_a_sorted_list_would() {
        let name = |n: usize| format!("{:05}", (n * 7919) % 10_000);
        let mut files = Files::new((0..3000).map(|n| file(&name(2 * n), "old")).collect());
        let mut expected: Vec<String> = (0..3000).map(|n| name(2 * n)).collect();
        expected.sort();
        assert!(files.runs().len() > 3, "the test needs several runs");
        let before = files.clone();
        // Every other file of a stretch of paths new, then many of them gone again.
        for n in 0..3000 {
            let path = name(n);
            let replaced = files.put(file(&path, "new"));
            assert_eq!(replaced.is_some(), n % 2 == 0, "{path}");
            if let Err(at) = expected.binary_search(&path) {
                expected.insert(at, path);
            }
        }
        for n in (0..3000).step_by(3) {
            let path = name(n);
            assert!(files.remove(&path).is_some(), "{path}");
            expected.retain(|p| *p != path);
        }
        assert!(files.remove("none").is_none());
        files.put(file("~last", "z"));
        files.put(file("!first", "a"));
        expected.push("~last".into());
        expected.insert(0, "!first".into());
        assert_eq!(paths(&files), expected);
        assert_eq!(files.len(), expected.len());
        assert!(
            files
                .runs()
                .iter()
                .all(|run| !run.is_empty() && run.len() < 2 * RUN)
        );
        for path in &expected {
            assert_eq!(&*files.get(path).unwrap().path, path.as_str());
        }
        let from: Vec<String> = files.from("01").map(|f| f.path.to_string()).collect();
        let expected_from: Vec<&String> = expected.iter().filter(|p| p.as_str() >= "01").collect();
        assert_eq!(from.iter().collect::<Vec<_>>(), expected_from);
        // The list copied before is untouched.
        assert_eq!(before.len(), 3000);
        assert!(before.iter().all(|f| text(Some(f)) == Some(&b"old"[..])));
    }

    #[test]
    fn an_edit_copies_only_the_run_it_changes() {
        let files = Files::new(
            (0..4 * RUN)
                .map(|n| file(&format!("{n:05}"), "a"))
                .collect(),
        );
        let mut edited = files.clone();
        edited.put(file(&format!("{:05}", RUN + 1), "b"));
        let shared: Vec<bool> = (files.runs().iter().zip(edited.runs()))
            .map(|(a, b)| Arc::ptr_eq(a, b))
            .collect();
        assert_eq!(shared, [true, false, true, true]);
    }
}
