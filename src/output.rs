//! The write stage: puts the rendered files into the output folder all at once.
//!
//! Files go to a staging folder beside the output; only when every file is written is the
//! staging folder swapped in. A failed or interrupted build leaves the previous output as
//! it was. The output it replaced can be left under a name of its own for another
//! process to delete (see [`Staging::commit_setting_aside`]).

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
        fs::create_dir_all(parent(output))?;
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

    /// Replaces the output with everything written, and deletes the output it replaced.
    pub fn commit(self) -> io::Result<()> {
        match self.commit_setting_aside()? {
            Some(old) => remove_if_present(&old),
            None => Ok(()),
        }
    }

    /// Replaces the output with everything written. The output it replaced, if any, is
    /// left beside it as an old output (see [`old_outputs`]) for the caller to delete:
    /// deleting the 23,000 files of a 10,000-item site took 0.8 to 2 s on a disk, as long
    /// as building it. Where it cannot be renamed, it is deleted here.
    pub fn commit_setting_aside(mut self) -> io::Result<Option<PathBuf>> {
        swap_in(&self.folder, &self.output)?;
        self.committed = true;
        let previous = sibling(&self.output, "previous");
        if !previous.exists() {
            return Ok(None);
        }
        let old = sibling(&self.output, &format!("{OLD}{}", std::process::id()));
        match fs::rename(&previous, &old) {
            Ok(()) => Ok(Some(old)),
            Err(_) => remove_if_present(&previous).map(|()| None),
        }
    }
}

/// How the name of an old output goes on after the output's own (see [`sibling`]):
/// `.public.quorum-old-1234`, with the number of the process that set it aside.
const OLD: &str = "old-";

/// The old outputs beside `output` (see [`Staging::commit_setting_aside`]): those being
/// deleted, and those whose deleting was cut short.
pub fn old_outputs(output: &Path) -> Vec<PathBuf> {
    let parent = parent(output);
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let prefix = sibling(output, OLD);
    let prefix = prefix.file_name().map(|n| n.to_string_lossy().into_owned());
    (entries.flatten())
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let pid = prefix
                .as_deref()
                .and_then(|prefix| name.strip_prefix(prefix));
            pid.is_some_and(is_pid)
        })
        .map(|entry| parent.join(entry.file_name()))
        .collect()
}

/// Whether `text` is a process number, as the names of old outputs end.
fn is_pid(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Deletes an old output (see [`old_outputs`]); any other folder is refused, so that the
/// command that does this for `quorum build` cannot delete anything else.
pub fn remove_old_output(folder: &Path) -> io::Result<()> {
    let name = folder.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    let marker = format!(".quorum-{OLD}");
    let is_old = name.starts_with('.')
        && name
            .rsplit_once(&marker)
            .is_some_and(|(_, pid)| is_pid(pid));
    if !is_old {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not an old output of quorum: {}", folder.display()),
        ));
    }
    remove_if_present(folder)
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
    let target = folder.join(&*file.path);
    match &file.contents {
        Contents::Bytes(bytes) => fs::write(&target, bytes.as_slice()),
        Contents::Embedded(bytes) => fs::write(&target, bytes),
        Contents::WithBody(data) => fs::write(&target, data.to_bytes()),
        Contents::Copy(source) => fs::copy(source, &target).map(|_| ()).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot copy {}: {e}", source.display()))
        }),
    }
}

/// The folder `output` is in.
fn parent(output: &Path) -> &Path {
    (output.parent())
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A hidden folder beside `output` used during the swap, e.g. `.public.quorum-staging`.
fn sibling(output: &Path, purpose: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.quorum-{purpose}"))
}

/// Moves the old output aside, as `.<name>.quorum-previous`, and the new one in. A run
/// killed between the two renames has the old output restored by the next run.
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
    Ok(())
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
    fn the_replaced_output_is_set_aside_for_the_caller_and_only_it_may_be_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &[file("index.html", "1")]).unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging.put(file("index.html", "2")).unwrap();
        let old = staging
            .commit_setting_aside()
            .unwrap()
            .expect("an output was replaced");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert_eq!(fs::read_to_string(old.join("index.html")).unwrap(), "1");
        assert_eq!(old_outputs(&out), std::slice::from_ref(&old));
        // Nothing but an old output is deleted.
        for other in [
            &out,
            &dir.path().join(".public.quorum-staging"),
            &dir.path().join(".public.quorum-old-x"),
        ] {
            fs::create_dir_all(other).unwrap();
            assert!(remove_old_output(other).is_err(), "{}", other.display());
            assert!(other.exists());
        }
        remove_old_output(&old).unwrap();
        assert!(!old.exists());
        assert!(old_outputs(&out).is_empty());
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
