//! Authoring: the commands that write content instead of publishing it.
//!
//! [`init`] creates a new site, [`new`] scaffolds one item, [`import`] turns existing
//! documents (plain text, Word) into content files. They share one rule: they never
//! overwrite a file, and they report problems as [`Diagnostic`]s naming the file, what is
//! wrong and what to do.

mod front_matter;
pub mod import;
pub mod init;
pub mod new;

use std::io::Write;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// Writes a new file, creating its folder; refuses to replace an existing file so an
/// authoring command can never destroy the webmaster's work.
fn write_new(path: &Path, shown: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| cannot_write(shown, &e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                already_exists(shown)
            } else {
                cannot_write(shown, &e)
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| cannot_write(shown, &e))
}

/// The error for a file that is already there.
fn already_exists(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        shown,
        "the file already exists; quorum never overwrites a file",
    )
    .hint("edit the existing file, or remove or rename it first")
}

fn cannot_write(shown: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(shown, format!("cannot write the file: {error}"))
        .hint("check that the folder exists and that you may write in it")
}
