//! The write stage: puts the rendered files into the output folder all at once.
//!
//! Files go to a staging folder beside the output; only when every file is written is the
//! staging folder swapped in. A failed or interrupted build leaves the previous output as
//! it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{Contents, OutputFile, Sink};

/// A staging folder beside the output that files are written into as they are made;
/// [`Staging::commit`] swaps it in. Dropped without a commit, it is deleted and the
/// previous output stays as it was.
pub struct Staging {
    folder: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares an empty staging folder for `output`, first putting back an output that
    /// an interrupted swap left aside.
    pub fn begin(output: &Path) -> io::Result<Staging> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        recover_interrupted_swap(output)?;
        let folder = sibling(output, "staging");
        remove_if_present(&folder)?;
        fs::create_dir_all(&folder)?;
        Ok(Staging {
            folder,
            output: output.to_path_buf(),
            committed: false,
        })
    }

    /// Replaces the output with everything written.
    pub fn commit(mut self) -> io::Result<()> {
        swap_in(&self.folder, &self.output)?;
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    /// Writes the file, making its folder only when the write finds it missing: no
    /// thread waits for another, where making the ~13,000 folders of a 10,000-item site
    /// one by one first took seconds on a slow disk. A page (`…/index.html`) nearly
    /// always has a folder of its own, so that is made first, saving the failed write.
    fn put(&self, file: OutputFile) -> io::Result<()> {
        if let Some(dir) = file.path.strip_suffix("/index.html") {
            // Made or not (already there, or a parent missing), the write below sees to it.
            let _ = fs::create_dir(self.folder.join(dir));
        }
        match write_file(&self.folder, &file) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some((dir, _)) = file.path.rsplit_once('/') {
                    fs::create_dir_all(self.folder.join(dir))?;
                }
                write_file(&self.folder, &file)
            }
            result => result,
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_if_present(&self.folder);
        }
    }
}

fn write_file(folder: &Path, file: &OutputFile) -> io::Result<()> {
    let target = folder.join(&file.path);
    match &file.contents {
        Contents::Bytes(bytes) => fs::write(&target, bytes.as_slice()),
        Contents::Embedded(bytes) => fs::write(&target, bytes),
        Contents::Copy(source) => fs::copy(source, &target).map(|_| ()).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot copy {}: {e}", source.display()))
        }),
    }
}

/// A hidden folder beside `output` used during the swap, e.g. `.public.quorum-staging`.
fn sibling(output: &Path, purpose: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.quorum-{purpose}"))
}

/// Moves the old output aside, the new one in, then deletes the old one. Between the two
/// renames the old output is kept as `.<name>.quorum-previous` and restored by the next run.
fn swap_in(staging: &Path, output: &Path) -> io::Result<()> {
    let previous = sibling(output, "previous");
    remove_if_present(&previous)?;
    let had_output = output.exists();
    if had_output {
        fs::rename(output, &previous)?;
    }
    if let Err(error) = fs::rename(staging, output) {
        if had_output {
            let _ = fs::rename(&previous, output);
        }
        return Err(error);
    }
    remove_if_present(&previous)
}

/// If a build was killed between the two renames, the previous output is put back.
fn recover_interrupted_swap(output: &Path) -> io::Result<()> {
    let previous = sibling(output, "previous");
    if previous.exists() && !output.exists() {
        fs::rename(&previous, output)?;
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match remove_tree(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Deletes a folder and everything in it, sub-folders in parallel: an output of tens of
/// thousands of files takes seconds to delete one by one on a slow disk. Symbolic links
/// are deleted, never followed.
fn remove_tree(path: &Path) -> io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(path)?.collect::<io::Result<_>>()?;
    entries.into_par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` to `output` through a staging folder, as a build does.
    fn write_atomically(output: &Path, files: &[OutputFile]) -> io::Result<()> {
        let staging = Staging::begin(output)?;
        files
            .par_iter()
            .try_for_each(|file| staging.put(file.clone()))?;
        staging.commit()
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::bytes(text),
        }
    }

    #[test]
    fn replaces_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &[file("a/index.html", "1"), file("old.txt", "x")]).unwrap();
        write_atomically(&out, &[file("a/index.html", "2")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "2");
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &[file("index.html", "old")]).unwrap();
        let broken = OutputFile {
            path: "x.pdf".into(),
            contents: Contents::Copy(dir.path().join("missing.pdf")),
        };
        assert!(write_atomically(&out, &[file("index.html", "new"), broken]).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    }

    #[test]
    fn interrupted_swap_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let previous = sibling(&out, "previous");
        fs::create_dir_all(&previous).unwrap();
        fs::write(previous.join("index.html"), "kept").unwrap();
        recover_interrupted_swap(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "kept");
    }

    #[test]
    fn deep_folders_are_made_and_links_in_the_old_output_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files: Vec<OutputFile> = (0..50)
            .map(|n| file(&format!("a/{n}/b/index.html"), "x"))
            .collect();
        write_atomically(&out, &files).unwrap();
        assert!(out.join("a/49/b/index.html").is_file());

        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("keep.txt"), "mine").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&elsewhere, out.join("a/link")).unwrap();
        write_atomically(&out, &[file("index.html", "new")]).unwrap();
        assert_eq!(
            fs::read_to_string(elsewhere.join("keep.txt")).unwrap(),
            "mine"
        );
        assert!(!out.join("a").exists());
    }
}
