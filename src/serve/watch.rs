//! Noticing changes to the site's sources: `quorum.toml`, `content/`, `templates/`,
//! `themes/` and `static/`, debounced, without editor swap and backup files.
//!
//! The root is watched by itself (not recursively) and each source folder recursively.
//! Watching the whole root recursively would also watch `public/` (a folder per page,
//! thousands on a large site, rewritten by every `quorum build`) and `.git/`. The root
//! watch sees a source folder being created, removed or replaced, and then the folder's
//! own watch is renewed, so removing and recreating `content/` keeps working.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::content::is_ignored;

/// The folders under the root whose changes trigger a rebuild.
const SOURCE_FOLDERS: [&str; 4] = ["content", "templates", "themes", "static"];

/// Editors save in several steps (write a temporary file, rename, touch); waiting this
/// long after the last event turns one save into one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// Watches a site; dropping it stops watching.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Starts watching the site at `root` (an absolute, canonical path); each batch of
    /// changed source paths is sent to `changes`.
    pub fn start(root: &Path, changes: Sender<Vec<PathBuf>>) -> notify::Result<Watcher> {
        let events_root = root.to_path_buf();
        let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            match result {
                Ok(events) => {
                    let mut paths: Vec<PathBuf> = events
                        .iter()
                        .filter(|event| is_change(&event.kind))
                        .flat_map(|event| event.paths.iter())
                        .filter(|path| is_source(&events_root, path))
                        .cloned()
                        .collect();
                    paths.sort();
                    paths.dedup();
                    if !paths.is_empty() {
                        // Fails only when the server is shutting down.
                        let _ = changes.send(paths);
                    }
                }
                Err(errors) => {
                    for error in errors {
                        eprintln!("warning: watching for changes: {error}");
                    }
                }
            }
        })?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            debouncer,
            watched: BTreeSet::new(),
        };
        watcher.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        watcher.follow_folders(&[]);
        Ok(watcher)
    }

    /// Watches source folders that appeared or were replaced among `changed`, and
    /// forgets the ones that are gone.
    pub fn follow_folders(&mut self, changed: &[PathBuf]) {
        for name in SOURCE_FOLDERS {
            let folder = self.root.join(name);
            if !folder.is_dir() {
                if self.watched.remove(name) {
                    // Usually already gone with the folder; a moved folder is dropped here.
                    let _ = self.debouncer.unwatch(&folder);
                }
            } else if !self.watched.contains(name) || changed.contains(&folder) {
                match self.debouncer.watch(&folder, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(name);
                    }
                    Err(error) => eprintln!("warning: cannot watch {}: {error}", folder.display()),
                }
            }
        }
    }
}

/// Whether an event may change the site; reading files (as every build does) does not.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether `path` is a source of the site: the configuration, or a file in a source
/// folder that is not an editor's swap or backup file.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let names: Option<Vec<&str>> = relative
        .components()
        .map(|component| match component {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    match names.as_deref() {
        Some([name]) => *name == CONFIG_FILE || SOURCE_FOLDERS.contains(name),
        Some([folder, rest @ ..]) => {
            SOURCE_FOLDERS.contains(folder) && !rest.iter().any(|name| is_ignored(name))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_config_and_source_folders() {
        let root = Path::new("/site");
        let source = |p: &str| is_source(root, &root.join(p));
        assert!(source("quorum.toml"));
        assert!(source("content"));
        assert!(source("content/minutes/2021-12-14.md"));
        assert!(source("content/annual-reports/2021/jaarverslag.pdf"));
        assert!(source("templates/base.html"));
        assert!(source("themes/default/static/style.css"));
        assert!(source("static/logo.svg"));
        assert!(!source("public/index.html"));
        assert!(!source(".git/index"));
        assert!(!source("README.md"));
        assert!(!source("notes/content/x.md"));
        assert!(!is_source(root, Path::new("/elsewhere/content/x.md")));
    }

    #[test]
    fn editor_files_are_not_sources() {
        let root = Path::new("/site");
        let source = |p: &str| is_source(root, &root.join(p));
        assert!(!source("content/news/.x.md.swp"));
        assert!(!source("content/news/x.md~"));
        assert!(!source("content/news/#x.md#"));
        assert!(!source("content/news/x.md.tmp"));
        assert!(!source("content/.hidden/x.md"));
        assert!(!source(".quorum.toml.swp"));
    }

    #[test]
    fn reading_is_not_a_change() {
        use notify::event::{CreateKind, ModifyKind, RenameMode};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Modify(ModifyKind::Name(
            RenameMode::Both
        ))));
    }
}
