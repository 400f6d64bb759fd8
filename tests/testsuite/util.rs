//! A temporary copy of a fixture site and a way to run the real `quorum` binary on it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The folder with the fixture sites.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The repository root, which is itself the example site.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder; deleted when dropped.
pub struct TestSite {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl TestSite {
    /// A fresh copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&fixtures().join(name), &root);
        TestSite { _dir: dir, root }
    }

    /// Writes (or overwrites) a file of the site.
    pub fn write(&self, path: &str, text: &str) -> &TestSite {
        let path = self.root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Deletes a file of the site.
    pub fn remove(&self, path: &str) -> &TestSite {
        fs::remove_file(self.root.join(path)).unwrap();
        self
    }

    /// Runs `quorum <args>` in the site folder.
    pub fn quorum(&self, args: &[&str]) -> Run {
        quorum(&self.root, args)
    }

    /// Runs `quorum build` and expects it to succeed.
    pub fn build_ok(&self) -> Run {
        self.quorum(&["build"]).success()
    }

    /// The text of an output file in `public/`.
    pub fn read(&self, path: &str) -> String {
        let path = self.root.join("public").join(path);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Whether `public/<path>` exists.
    pub fn exists(&self, path: &str) -> bool {
        self.root.join("public").join(path).exists()
    }
}

/// Runs the real binary in `dir` with a fixed "today" so output does not depend on the date.
pub fn quorum(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .args(args)
        .current_dir(dir)
        .env("QUORUM_TODAY", "2026-11-22")
        .output()
        .unwrap();
    Run { output }
}

/// The result of one run of the binary.
pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts a zero exit code.
    pub fn success(self) -> Run {
        assert!(
            self.output.status.success(),
            "quorum failed:\n{}{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Asserts a non-zero exit code, and that nothing panicked.
    pub fn failure(self) -> Run {
        assert!(
            !self.output.status.success(),
            "quorum succeeded unexpectedly:\n{}",
            self.stdout()
        );
        assert_eq!(self.output.status.code(), Some(1), "{}", self.stderr());
        assert!(!self.stderr().contains("panicked"), "{}", self.stderr());
        self
    }
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (path, fs::read(e.path()).unwrap())
        })
        .collect()
}
