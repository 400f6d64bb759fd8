//! Noticing changes to the site's sources: `quorum.toml`, `content/`, `templates/`,
//! `themes/` and `static/`, gathered into batches, without editor swap and backup files.
//!
//! The root is watched by itself (not recursively) and each source folder recursively.
//! Watching the whole root recursively would also watch `public/` (a folder per page,
//! thousands on a large site, rewritten by every `quorum build`) and `.git/`. The root
//! watch sees a source folder being created, removed or replaced, and then the folder's
//! own watch is renewed, so removing and recreating `content/` keeps working.
//!
//! A batch is sent once the files in it have been quiet for a moment (see [`Batch`]):
//! [`SETTLED`] after a save that is complete, as when a file written to is closed or
//! renamed into place, and [`QUIET`] while a file may still be being written or a new
//! one may be renamed next. Waiting the longer time after every save was most of the
//! time from a save to the reload.
//!
//! The watcher starts after `serve`'s first build: watching while it reads every file
//! would flood the system's queue of events. What changes in between is found by
//! comparing the [`SourceStamps`] taken before the build with the sources once watching.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::Metadata;
use std::hash::Hasher as _;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::config::CONFIG_FILE;
use crate::content::is_ignored;

/// The folders under the root whose changes trigger a rebuild.
const SOURCE_FOLDERS: [&str; 4] = ["content", "templates", "themes", "static"];

/// How long a batch waits after its last event when every file in it was saved
/// completely. Editors save in several steps (write a temporary file, rename, delete a
/// backup), all within a millisecond or two; this turns one save into one rebuild.
const SETTLED: Duration = Duration::from_millis(10);

/// How long a batch waits after its last event while a file in it may still be written
/// to (changed and not yet closed, or on a system that does not tell), or was made
/// within the batch (see [`Seen::holds_back`]).
const QUIET: Duration = Duration::from_millis(50);

/// The longest a batch waits from its first event, so that a file written to without
/// end (or a long copy) does not hold back the rebuild of everything else.
const LONGEST: Duration = Duration::from_secs(1);

/// Watches a site; dropping it stops watching.
pub struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Starts watching the site at `root` (an absolute, canonical path). Each batch of
    /// changed source paths is sent to `changes`, sorted; an empty batch means events
    /// were lost (the system's queue of them overflowed) and anything may have changed.
    pub fn start(root: &Path, changes: Sender<Vec<PathBuf>>) -> notify::Result<Watcher> {
        let (events, received) = mpsc::channel();
        let watcher = notify::recommended_watcher(events)?;
        let events_root = root.to_path_buf();
        // Ends when the watcher is dropped (and with it the sending side of `events`).
        std::thread::spawn(move || gather(&events_root, &received, &changes));
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            watcher,
            watched: BTreeSet::new(),
        };
        watcher.watcher.watch(root, RecursiveMode::NonRecursive)?;
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
                    let _ = self.watcher.unwatch(&folder);
                }
            } else if !self.watched.contains(name) || changed.contains(&folder) {
                match self.watcher.watch(&folder, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(name);
                    }
                    Err(error) => eprintln!("warning: cannot watch {}: {error}", folder.display()),
                }
            }
        }
    }
}

/// The stamps (size, times and, on Unix, file number) of every source of a site as the
/// watcher sees them (see [`is_source`]), to tell which were written, added, removed or
/// renamed between two moments; a change the system's clock of file times did not see
/// move (a second, on some file systems) goes unseen. They are read in 17 ms at 10,000
/// items and 0.14 s at 100,000 on two cores, from the system's cache as after a build,
/// and held in about 12 MiB at 100,000 items.
pub struct SourceStamps(HashMap<PathBuf, u64>);

impl SourceStamps {
    /// The stamps of the sources of the site at `root` now.
    pub fn take(root: &Path) -> SourceStamps {
        let mut paths = vec![(root.join(CONFIG_FILE), false)];
        for name in SOURCE_FOLDERS {
            // Links are followed, as the build follows them.
            let walker = walkdir::WalkDir::new(root.join(name))
                .follow_links(true)
                .into_iter()
                .filter_entry(|entry| !is_ignored(&entry.file_name().to_string_lossy()));
            // A link to nothing, or a path gone while walking, is as good as not there.
            for entry in walker.filter_map(Result::ok) {
                let is_dir = entry.file_type().is_dir();
                paths.push((entry.into_path(), is_dir));
            }
        }
        // Reading the stamps, a `stat` each, is most of the time; on two cores it is half.
        let stamps = paths.into_par_iter().filter_map(|(path, is_dir)| {
            // A folder's times change with the editors' files in it too: its name is all
            // that counts.
            let stamp = if is_dir {
                0
            } else {
                stamp(&path.metadata().ok()?)
            };
            Some((path, stamp))
        });
        SourceStamps(stamps.collect())
    }

    /// The sources of the site at `root` that changed since these stamps were taken,
    /// sorted, as the watcher would have named them.
    pub fn changed(self, root: &Path) -> Vec<PathBuf> {
        let SourceStamps(mut earlier) = self;
        let mut changed = Vec::new();
        for (path, stamp) in SourceStamps::take(root).0 {
            if earlier.remove(&path) != Some(stamp) {
                changed.push(path);
            }
        }
        // What is left was removed or renamed away.
        changed.extend(earlier.into_keys());
        changed.sort();
        changed
    }
}

/// A file's stamp, hashed.
fn stamp(metadata: &Metadata) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.write_u64(metadata.len());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        for field in [
            metadata.mtime(),
            metadata.mtime_nsec(),
            metadata.ctime(),
            metadata.ctime_nsec(),
        ] {
            hasher.write_i64(field);
        }
        hasher.write_u64(metadata.ino());
    }
    #[cfg(not(unix))]
    if let Ok(modified) = metadata.modified() {
        let since = modified.duration_since(std::time::UNIX_EPOCH);
        hasher.write_u128(since.unwrap_or_default().as_nanos());
    }
    hasher.digest()
}

/// Gathers the `events` under `root` into batches and sends each to `changes` when it is
/// due (see [`Batch::due`]); returns when either side is gone.
fn gather(root: &Path, events: &Receiver<notify::Result<Event>>, changes: &Sender<Vec<PathBuf>>) {
    let mut batch = Batch::default();
    loop {
        let received = match batch.due() {
            None => events.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(due) => match due.checked_duration_since(Instant::now()) {
                Some(wait) if !wait.is_zero() => events.recv_timeout(wait),
                _ => Err(RecvTimeoutError::Timeout),
            },
        };
        match received {
            Ok(Ok(event)) => batch.add(root, &event, Instant::now()),
            Ok(Err(error)) => eprintln!("warning: watching for changes: {error}"),
            Err(RecvTimeoutError::Timeout) => {
                // A dangling link is there too: its target may come.
                let exists = |path: &Path| path.symlink_metadata().is_ok();
                if let Some(paths) = batch.take(exists) {
                    // Fails only when the server is shutting down.
                    if changes.send(paths).is_err() {
                        return;
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// The changes gathered since the last batch was sent.
#[derive(Debug, Default)]
struct Batch {
    /// The source paths changed, with what the batch saw of each.
    paths: BTreeMap<PathBuf, Seen>,
    /// Whether events were lost: anything may have changed.
    lost: bool,
    /// When the batch's first and last events came; `None` while it is empty.
    first_and_last: Option<(Instant, Instant)>,
}

/// What a batch saw of one path.
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    /// Created within the batch: no build has seen it.
    new: bool,
    /// Removed or renamed away since.
    gone: bool,
    /// May still be being written to (see [`Effect::Writing`]).
    writing: bool,
}

impl Seen {
    /// Whether the batch waits [`QUIET`] for more: the file may still be being written
    /// to, or it was made within the batch and may be a temporary file that is about to
    /// be renamed into place (the two may come further apart than [`SETTLED`] on a busy
    /// machine, and the temporary file would then be told of as a change of its own).
    fn holds_back(self) -> bool {
        self.writing || (self.new && !self.gone)
    }

    /// Whether the path is a change to tell of, `exists` telling whether it is there
    /// now. A path made within the batch and gone again never reached a build: the
    /// temporary file `sed -i` writes and renames into place, say. Where a rename is
    /// reported without its direction (macOS), only `exists` tells that it went.
    fn is_change(self, exists: impl FnOnce() -> bool) -> bool {
        !self.new || (!self.gone && exists())
    }
}

impl Batch {
    /// Adds an event that came at `now`, when it changes a source of the site at `root`.
    fn add(&mut self, root: &Path, event: &Event, now: Instant) {
        if event.need_rescan() {
            self.lost = true;
        } else {
            let changes: Vec<(&PathBuf, Effect)> = (Effect::of(event).into_iter())
                .filter(|(path, effect)| *effect != Effect::Read && is_source(root, path))
                .collect();
            if changes.is_empty() {
                return;
            }
            for (path, effect) in changes {
                let present = self.paths.contains_key(path);
                let seen = self.paths.entry(path.clone()).or_default();
                match effect {
                    Effect::Read | Effect::Attributes => {}
                    Effect::Created { folder } => {
                        seen.new = seen.new || !present;
                        (seen.gone, seen.writing) = (false, !folder);
                    }
                    Effect::Writing => (seen.gone, seen.writing) = (false, true),
                    Effect::Closed => seen.writing = false,
                    Effect::Vanished => (seen.gone, seen.writing) = (true, false),
                    Effect::Appeared | Effect::Renamed => {
                        (seen.gone, seen.writing) = (false, false)
                    }
                }
            }
        }
        let first = self.first_and_last.map_or(now, |(first, _)| first);
        self.first_and_last = Some((first, now));
    }

    /// When the batch is to be sent if no other event comes: [`SETTLED`] after its last
    /// event, or [`QUIET`] while a file may still be being written to or was made within
    /// the batch (see [`Seen::holds_back`]); at most [`LONGEST`] after its first event.
    /// `None` while the batch is empty.
    fn due(&self) -> Option<Instant> {
        let (first, last) = self.first_and_last?;
        let wait = if self.paths.values().any(|seen| seen.holds_back()) {
            QUIET
        } else {
            SETTLED
        };
        Some((last + wait).min(first + LONGEST))
    }

    /// The changed paths, sorted, leaving the batch empty: `None` when there is no change
    /// to tell of (only files that came and went), an empty list when events were lost.
    /// `exists` tells whether a path is there now (see [`Seen::is_change`]).
    fn take(&mut self, exists: impl Fn(&Path) -> bool) -> Option<Vec<PathBuf>> {
        let batch = std::mem::take(self);
        if batch.lost {
            return Some(Vec::new());
        }
        let paths: Vec<PathBuf> = (batch.paths.into_iter())
            .filter(|(path, seen)| seen.is_change(|| exists(path)))
            .map(|(path, _)| path)
            .collect();
        (!paths.is_empty()).then_some(paths)
    }
}

/// What an event tells of a path it is about.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Effect {
    /// Nothing changed: the file was read, as every build does.
    Read,
    /// The path came into being; a file may be written to next.
    Created { folder: bool },
    /// The file was written to, and more may follow. On Linux a file written to is
    /// reported again when it is closed; other systems wait for [`QUIET`].
    Writing,
    /// The file was closed after writing: it is whole.
    Closed,
    /// The path was removed or renamed away.
    Vanished,
    /// A file or folder was renamed into place.
    Appeared,
    /// Renamed, on a system that does not tell which way: changed, and whole.
    Renamed,
    /// Its times or permissions changed, which tells nothing of whether it is whole.
    Attributes,
}

impl Effect {
    /// The effect of `event` on each of its paths.
    fn of(event: &Event) -> Vec<(&PathBuf, Effect)> {
        let effect = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => Effect::Closed,
            EventKind::Access(_) => Effect::Read,
            EventKind::Create(CreateKind::Folder) => Effect::Created { folder: true },
            EventKind::Create(_) => Effect::Created { folder: false },
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From)) => {
                Effect::Vanished
            }
            EventKind::Modify(ModifyKind::Name(RenameMode::To)) => Effect::Appeared,
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
                if let [from, to] = &event.paths[..] {
                    return vec![(from, Effect::Vanished), (to, Effect::Appeared)];
                }
                Effect::Renamed
            }
            EventKind::Modify(ModifyKind::Name(_)) => Effect::Renamed,
            EventKind::Modify(ModifyKind::Metadata(_)) => Effect::Attributes,
            _ => Effect::Writing,
        };
        event.paths.iter().map(|path| (path, effect)).collect()
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
    use notify::event::{DataChange, Flag, MetadataKind, RemoveKind, RenameMode};

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
        let effect = |kind| Effect::of(&event(kind, "content/a.md"))[0].1;
        let opened = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert_eq!(effect(opened), Effect::Read);
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        assert_eq!(effect(read), Effect::Read);
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert_eq!(effect(closed), Effect::Closed);
        let created = EventKind::Create(CreateKind::File);
        assert_eq!(effect(created), Effect::Created { folder: false });
    }

    #[test]
    fn a_rename_with_both_paths_is_one_gone_and_one_come() {
        let renamed = renamed("content/a.tmp", "content/a.md");
        let effects: Vec<Effect> = Effect::of(&renamed).into_iter().map(|(_, e)| e).collect();
        assert_eq!(effects, [Effect::Vanished, Effect::Appeared]);
    }

    const ROOT: &str = "/site";

    fn event(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(Path::new(ROOT).join(path))
    }

    fn written(path: &str) -> Event {
        event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), path)
    }

    fn created(path: &str) -> Event {
        event(EventKind::Create(CreateKind::File), path)
    }

    fn removed(path: &str) -> Event {
        event(EventKind::Remove(RemoveKind::File), path)
    }

    fn renamed_from(path: &str) -> Event {
        event(EventKind::Modify(ModifyKind::Name(RenameMode::From)), path)
    }

    fn renamed_to(path: &str) -> Event {
        event(EventKind::Modify(ModifyKind::Name(RenameMode::To)), path)
    }

    /// A rename reported with both paths, as inotify does after `from` and `to`.
    fn renamed(from: &str, to: &str) -> Event {
        let both = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        event(both, from).add_path(Path::new(ROOT).join(to))
    }

    fn closed(path: &str) -> Event {
        event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            path,
        )
    }

    /// What [`Batch::take`] gives for these paths under the root.
    fn paths(relative: &[&str]) -> Option<Vec<PathBuf>> {
        Some(
            relative
                .iter()
                .map(|path| Path::new(ROOT).join(path))
                .collect(),
        )
    }

    fn add(batch: &mut Batch, events: &[Event], at: Instant) {
        for event in events {
            batch.add(Path::new(ROOT), event, at);
        }
    }

    #[test]
    fn a_batch_of_whole_files_is_due_soon_and_one_being_written_later() {
        let start = Instant::now();
        let ms = |n| start + Duration::from_millis(n);
        let mut batch = Batch::default();
        assert_eq!(batch.due(), None);
        // Written, not yet closed: more may come.
        add(&mut batch, &[written("content/news/a.md")], ms(0));
        assert_eq!(batch.due(), Some(ms(0) + QUIET));
        // Closed: the save is complete.
        add(&mut batch, &[closed("content/news/a.md")], ms(1));
        assert_eq!(batch.due(), Some(ms(1) + SETTLED));
        // A second file being written holds the batch back again.
        add(&mut batch, &[written("static/logo.svg")], ms(2));
        assert_eq!(batch.due(), Some(ms(2) + QUIET));
        let touched = event(
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
            "static/logo.svg",
        );
        add(&mut batch, &[touched], ms(3));
        assert_eq!(
            batch.due(),
            Some(ms(3) + QUIET),
            "attributes do not finish a write"
        );
        assert_eq!(
            batch.take(|_| true),
            paths(&["content/news/a.md", "static/logo.svg"])
        );
        assert_eq!(batch.due(), None, "taking a batch empties it");
    }

    #[test]
    fn an_editor_saving_by_rename_settles_at_once() {
        let at = Instant::now();
        let mut batch = Batch::default();
        // Vim's way: the old file kept as a backup, a new one written, the backup deleted.
        add(
            &mut batch,
            &[
                renamed_from("content/news/a.md"),
                renamed_to("content/news/a.md~"),
                created("content/news/a.md"),
                written("content/news/a.md"),
                closed("content/news/a.md"),
                removed("content/news/a.md~"),
            ],
            at,
        );
        assert_eq!(batch.due(), Some(at + SETTLED));
        assert_eq!(batch.take(|_| true), paths(&["content/news/a.md"]));
    }

    #[test]
    fn a_temporary_file_renamed_into_place_is_no_change_of_its_own() {
        let at = Instant::now();
        let mut batch = Batch::default();
        // `sed -i`'s way: a new file of a name no editor pattern matches, renamed.
        add(
            &mut batch,
            &[
                created("content/news/sedX1b2Q"),
                written("content/news/sedX1b2Q"),
                closed("content/news/sedX1b2Q"),
            ],
            at,
        );
        assert_eq!(
            batch.due(),
            Some(at + QUIET),
            "a new file may be renamed next"
        );
        add(
            &mut batch,
            &[
                renamed_from("content/news/sedX1b2Q"),
                renamed_to("content/news/a.md"),
                renamed("content/news/sedX1b2Q", "content/news/a.md"),
            ],
            at,
        );
        assert_eq!(batch.due(), Some(at + SETTLED));
        assert_eq!(batch.take(|_| true), paths(&["content/news/a.md"]));
    }

    #[test]
    fn a_temporary_file_renamed_without_a_direction_is_no_change_when_gone() {
        let at = Instant::now();
        let mut batch = Batch::default();
        // macOS reports each side of a rename alike; only the disk tells which went.
        let renamed = |path| event(EventKind::Modify(ModifyKind::Name(RenameMode::Any)), path);
        add(
            &mut batch,
            &[
                created("content/news/a.md.sb-1"),
                written("content/news/a.md.sb-1"),
                renamed("content/news/a.md.sb-1"),
                renamed("content/news/a.md"),
            ],
            at,
        );
        let there = |path: &Path| !path.ends_with("a.md.sb-1");
        assert_eq!(batch.take(there), paths(&["content/news/a.md"]));
    }

    #[test]
    fn a_jetbrains_save_reports_the_item_alone() {
        let at = Instant::now();
        let mut batch = Batch::default();
        let (tmp, old) = (
            "content/news/a.md___jb_tmp___",
            "content/news/a.md___jb_old___",
        );
        add(
            &mut batch,
            &[
                created(tmp),
                written(tmp),
                closed(tmp),
                renamed("content/news/a.md", old),
                renamed(tmp, "content/news/a.md"),
                removed(old),
            ],
            at,
        );
        assert_eq!(batch.due(), Some(at + SETTLED));
        assert_eq!(batch.take(|_| true), paths(&["content/news/a.md"]));
    }

    #[test]
    fn a_file_deleted_and_made_again_is_a_change() {
        let at = Instant::now();
        let mut batch = Batch::default();
        let a = "content/news/a.md";
        add(&mut batch, &[removed(a), created(a), closed(a)], at);
        assert_eq!(batch.take(|_| true), paths(&[a]));
        // One made and deleted within the batch never reached a build.
        let b = "content/news/b.md";
        add(&mut batch, &[created(b), removed(b)], at);
        assert_eq!(batch.take(|_| true), None, "nothing to tell of");
        // Deleted alone, it is a change.
        add(&mut batch, &[removed("content/news/a.md")], at);
        assert_eq!(batch.take(|_| true), paths(&["content/news/a.md"]));
    }

    #[test]
    fn events_outside_the_sources_or_only_reading_make_no_batch() {
        let at = Instant::now();
        let mut batch = Batch::default();
        let opened = event(
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            "content/a.md",
        );
        add(
            &mut batch,
            &[
                written("public/index.html"),
                written("content/.a.md.swp"),
                opened,
            ],
            at,
        );
        assert_eq!(batch.due(), None);
    }

    #[test]
    fn a_file_written_without_end_holds_a_batch_back_at_most_so_long() {
        let start = Instant::now();
        let mut batch = Batch::default();
        for ms in (0..=2000).step_by(20) {
            add(
                &mut batch,
                &[written("static/video.mp4")],
                start + Duration::from_millis(ms),
            );
        }
        assert_eq!(batch.due(), Some(start + LONGEST));
    }

    #[test]
    fn the_sources_changed_are_named_and_no_others() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("quorum.toml", "title = \"Raad\"\n");
        write("content/news/a.md", "Tekst.\n");
        write("static/logo.svg", "<svg/>\n");
        let changed = |change: &dyn Fn()| {
            let stamps = SourceStamps::take(root);
            change();
            let changed = stamps.changed(root);
            let relative = changed.iter().map(|p| p.strip_prefix(root).unwrap());
            relative
                .map(|p| p.to_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(changed(&|| {}), [""; 0], "nothing changed");
        let written = changed(&|| write("content/news/a.md", "Meer tekst.\n"));
        assert_eq!(written, ["content/news/a.md"]);
        let added = changed(&|| write("content/news/b.md", "Tekst.\n"));
        assert_eq!(added, ["content/news/b.md"]);
        let (b, c) = (
            root.join("content/news/b.md"),
            root.join("content/news/c.md"),
        );
        let renamed = changed(&|| std::fs::rename(&b, &c).unwrap());
        assert_eq!(renamed, ["content/news/b.md", "content/news/c.md"]);
        let removed = changed(&|| std::fs::remove_file(&c).unwrap());
        assert_eq!(removed, ["content/news/c.md"]);
        let folder = changed(&|| write("templates/base.html", "<html>"));
        assert_eq!(folder, ["templates", "templates/base.html"]);
        let config = changed(&|| write("quorum.toml", "title = \"De raad\"\n"));
        assert_eq!(config, ["quorum.toml"]);
        // What the watcher leaves alone: editors' files, and what is not a source.
        let others = changed(&|| {
            write("content/news/.a.md.swp", "x");
            write("content/news/a.md~", "x");
            write("public/index.html", "x");
            write("README.md", "x");
        });
        assert_eq!(others, [""; 0], "no source changed");
    }

    #[test]
    fn lost_events_make_an_empty_batch() {
        let at = Instant::now();
        let mut batch = Batch::default();
        add(&mut batch, &[closed("content/news/a.md")], at);
        let lost = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        add(&mut batch, &[lost], at);
        assert_eq!(batch.due(), Some(at + SETTLED));
        assert_eq!(batch.take(|_| true), Some(Vec::new()));
    }
}
