//! Finding content files under `content/` and loading them in parallel.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::SystemTime;

use ahash::AHashMap;
use rayon::prelude::*;

use super::parse::{SourceFile, parse_item};
use super::{Asset, Item, Kind};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, nearest, relative};
use crate::slug::slugify;

/// The largest content file quorum reads; anything bigger is surely not a text.
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// What to load.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include items marked `draft = true`.
    pub drafts: bool,
    /// Take a cached item without looking at its file's size and time: the watcher of
    /// `quorum serve` named every file it saw change, and `serve` checks the rest with
    /// [`ItemCache::unchanged_on_disk`] after the rebuild, off the edit's path.
    pub trust_cache: bool,
}

/// A content file found on disk, before it is read.
struct Found {
    kind: Kind,
    /// The Markdown file.
    path: PathBuf,
    /// The folder of a folder item, holding `index.md` and its assets.
    bundle: Option<PathBuf>,
}

/// The items that loaded, and the problems of those that did not.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Sorted by kind, date (newest first) and slug.
    pub items: Vec<Item>,
    /// Source paths of files that failed, so links to them are not reported twice.
    pub failed: Vec<PathBuf>,
    pub diagnostics: Diagnostics,
}

/// Items of an earlier load, reused by the next while their file is unchanged, so a
/// rebuild in `quorum serve` reads and parses only what was edited. Valid for one
/// configuration: the caller empties it when `quorum.toml` changes.
#[derive(Debug, Default)]
pub struct ItemCache {
    items: AHashMap<PathBuf, CachedItem>,
}

#[derive(Debug)]
struct CachedItem {
    stamp: Stamp,
    /// Where the item's attachments are looked up: its bundle or the file's folder.
    folder: PathBuf,
    bundle: bool,
    /// Shared with the next cache while the file is unchanged, so refilling the cache
    /// and dropping the old one copy no items. Without its body's text: `serve` keeps
    /// every body rendered, and reads the text again only to render it again (see
    /// `Site::link`).
    item: Arc<Item>,
}

/// The outcome of loading one file.
type Loading = Result<Item, Vec<Diagnostic>>;

/// Size and modification time: a file with both unchanged is taken to be unchanged.
/// The watcher names every file it saw change besides (see [`ItemCache::forget`]).
pub type Stamp = (u64, Option<SystemTime>);

/// The [`Stamp`] of the file at `path`, if it can be read.
pub fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.len(), metadata.modified().ok()))
}

impl ItemCache {
    /// Forgets every item a change to `changed` (files or folders, absolute) may affect:
    /// the file itself, a bundle with anything changed inside, items under a changed
    /// folder, and items next to a changed attachment (which may have appeared or gone).
    pub fn forget(&mut self, changed: &[PathBuf]) {
        for path in changed {
            self.items.remove(path);
            let is_markdown = path.extension().is_some_and(|e| e == "md");
            // Paths compare part by part, which is slow for 10,000 items. A folder under
            // `path` is at least as long as `path` written without doubled or trailing
            // separators, so that length rules out most at once.
            let shortest = path.components().collect::<PathBuf>().as_os_str().len();
            self.items.retain(|_, cached| {
                let folder = cached.folder.as_path();
                let affected = (folder.as_os_str().len() >= shortest && folder.starts_with(path))
                    || (cached.bundle && path.starts_with(folder))
                    || (!is_markdown && path.parent() == Some(folder));
                !affected
            });
        }
    }

    /// Whether every cached file still has its stamp: a change the watcher missed, or a
    /// file deleted unseen, shows here (a file created unseen does not: only a walk of
    /// `content/` finds those).
    pub fn unchanged_on_disk(&self) -> bool {
        self.items
            .par_iter()
            .all(|(path, cached)| stamp(path) == Some(cached.stamp))
    }

    /// Keeps `item`, loaded by [`load_file`] from `path` with `stamp`, as [`load`]
    /// would have.
    pub fn keep(&mut self, root: &Path, path: PathBuf, stamp: Stamp, item: Item) {
        let cached = CachedItem {
            stamp,
            folder: path.parent().unwrap_or(root).to_path_buf(),
            bundle: false,
            item: Arc::new(item.without_body()),
        };
        self.items.insert(path, cached);
    }
}

/// Loads the single Markdown file at `path` (absolute) as an item of `kind`, not the
/// `index.md` of a folder item; with the file's stamp from before it was read.
pub fn load_file(
    root: &Path,
    config: &Config,
    kind: Kind,
    path: &Path,
) -> Result<(Item, Option<Stamp>), Vec<Diagnostic>> {
    let stamp = stamp(path);
    let found = Found {
        kind,
        path: path.to_path_buf(),
        bundle: None,
    };
    Ok((load_one(root, &found, config, &|_| {})?, stamp))
}

/// Loads every item under `root/content`. Files with errors are left out and reported,
/// so later stages can still check the rest and a build reports everything at once.
/// With a `cache`, unchanged files are taken from it, and it is refilled with this load.
pub fn load(
    root: &Path,
    config: &Config,
    options: LoadOptions,
    cache: Option<&mut ItemCache>,
) -> Loaded {
    let mut diagnostics = Diagnostics::new();
    let found = find(root, &mut diagnostics);
    let cached = cache.as_deref();
    // Each item with its stamp and, when it came from the cache, the cached copy.
    let prefetch = Prefetch::new();
    let load_all = || -> Vec<(Option<Stamp>, Loading, Option<Arc<Item>>)> {
        let noted = |cached| prefetch.note(cached);
        found
            .par_iter()
            .map(|found| {
                let Some(cached) = cached else {
                    return (None, load_one(root, found, config, &noted), None);
                };
                let hit = cached.items.get(&found.path);
                let stamp = match hit {
                    Some(hit) if options.trust_cache => Some(hit.stamp),
                    _ => stamp(&found.path),
                };
                match hit {
                    Some(hit) if stamp.is_some() && Some(hit.stamp) == stamp => {
                        let item = Item::clone(&hit.item);
                        (stamp, Ok(item), Some(hit.item.clone()))
                    }
                    _ => (stamp, load_one(root, found, config, &noted), None),
                }
            })
            .collect()
    };
    // With nothing cached, every file is read: if they are not in the system's file
    // cache, this thread asks the disk for them meanwhile (see `Prefetch`). Not from a
    // thread of the pool, which must not wait while the pool's work waits for it.
    let outside_pool = rayon::current_thread_index().is_none();
    let results = if outside_pool && cached.is_none_or(|cache| cache.items.is_empty()) {
        let mut results = Vec::new();
        rayon::in_place_scope(|scope| {
            scope.spawn(|_| {
                // Dropped when loading ends or panics: a panic then reaches the scope
                // instead of leaving the prefetching thread waiting for ever.
                let _finished = Finished(&prefetch);
                results = load_all();
            });
            prefetch.run(&found);
        });
        results
    } else {
        load_all()
    };
    let mut fresh = AHashMap::with_capacity(results.len());
    let mut items = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for ((stamp, result, hit), found) in results.into_iter().zip(&found) {
        match result {
            Ok(item) => {
                if let (Some(_), Some(stamp)) = (&cache, stamp) {
                    let (folder, bundle) = match &found.bundle {
                        Some(bundle) => (bundle.clone(), true),
                        None => (found.path.parent().unwrap_or(root).to_path_buf(), false),
                    };
                    let cached = CachedItem {
                        stamp,
                        folder,
                        bundle,
                        item: hit.unwrap_or_else(|| Arc::new(item.without_body())),
                    };
                    fresh.insert(found.path.clone(), cached);
                }
                items.push(item);
            }
            Err(errors) => {
                diagnostics.extend(errors);
                failed.push(relative(root, &found.path));
            }
        }
    }
    if let Some(cache) = cache {
        cache.items = fresh;
    }
    items.retain(|item| options.drafts || !item.draft);
    items.sort_by(|a, b| (a.kind, b.date, &a.slug).cmp(&(b.kind, a.date, &b.slug)));
    Loaded {
        items,
        failed,
        diagnostics,
    }
}

/// Asks the operating system to read the files being loaded into its cache, in order,
/// once a loading thread has found one that is not there (the first build after a
/// restart, or on a machine that needed the memory). They are then read from the disk
/// many at a time instead of one per core, and loading is mostly waiting for the disk:
/// at 10,000 items just after the cache was emptied, 0.8–1.8 s on a 2-core machine
/// without, 0.26–0.28 s with. Each file is only opened and the kernel advised to read it
/// (`posix_fadvise`): nothing is read into this process and no memory is kept.
///
/// With the files cached, as they are for every build but the first, this asks nothing:
/// three system calls a file, 30,000 at 10,000 items, are saved. A loading thread tells
/// a file that is not cached by a read that does not wait (see [`read_source`]). The
/// kernel may refuse such a read now and then for a cached file: 0 to 42 of 10,000 in a
/// build here. So the prefetching starts only after [`MISSES_TO_PREFETCH`] misses that
/// are a quarter of the files read, or [`MISSES_ALWAYS_PREFETCH`] whatever their share;
/// with nothing cached, that is after the first files.
///
/// It runs on the thread that started the build, which otherwise only waits for the
/// loading threads.
struct Prefetch {
    /// The thread that prefetches, woken by [`Prefetch::note`] and [`Prefetch::finish`].
    thread: std::thread::Thread,
    read: AtomicUsize,
    missed: AtomicUsize,
    cold: AtomicBool,
    done: AtomicBool,
}

/// See [`Prefetch`].
const MISSES_TO_PREFETCH: usize = 16;
/// See [`Prefetch`].
const MISSES_ALWAYS_PREFETCH: usize = 256;

impl Prefetch {
    fn new() -> Prefetch {
        Prefetch {
            thread: std::thread::current(),
            read: AtomicUsize::new(0),
            missed: AtomicUsize::new(0),
            cold: AtomicBool::new(false),
            done: AtomicBool::new(false),
        }
    }

    /// Called by a loading thread for each file it reads, telling whether the file was
    /// cached, before it waits for one that was not.
    fn note(&self, cached: bool) {
        let read = self.read.fetch_add(1, Ordering::Relaxed) + 1;
        if cached {
            return;
        }
        let missed = self.missed.fetch_add(1, Ordering::Relaxed) + 1;
        let cold = missed >= MISSES_ALWAYS_PREFETCH
            || (missed >= MISSES_TO_PREFETCH && missed * 4 >= read);
        if cold && !self.cold.swap(true, Ordering::Relaxed) {
            self.thread.unpark();
        }
    }

    /// Called when every file is loaded (see [`Finished`]).
    fn finish(&self) {
        self.done.store(true, Ordering::Relaxed);
        self.thread.unpark();
    }

    /// Waits for a file that is not cached, then prefetches `found` until all are asked
    /// for or the loading is done; returns how many were asked for. Run on the thread
    /// that made this.
    fn run(&self, found: &[Found]) -> usize {
        while !self.cold.load(Ordering::Relaxed) {
            if self.done.load(Ordering::Relaxed) {
                return 0;
            }
            std::thread::park();
        }
        for (asked, found) in found.iter().enumerate() {
            if self.done.load(Ordering::Relaxed) {
                return asked;
            }
            #[cfg(target_os = "linux")]
            if let Ok(file) = open_without_blocking(&found.path) {
                use std::os::fd::AsRawFd;
                // SAFETY: the descriptor is open for the call; the advice reads nothing
                // into this process and its failure changes nothing.
                unsafe {
                    libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
                }
            }
            #[cfg(not(target_os = "linux"))]
            let _ = &found.path;
        }
        found.len()
    }
}

/// Calls [`Prefetch::finish`] when dropped: at the end of loading, or when it panics.
struct Finished<'a>(&'a Prefetch);

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        self.0.finish();
    }
}

/// Walks `content/`, reporting folders and files that quorum does not know what to do with.
fn find(root: &Path, diagnostics: &mut Diagnostics) -> Vec<Found> {
    let content = root.join("content");
    let mut found = Vec::new();
    let entries = match sorted_entries(&content) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return found,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                "content",
                format!("cannot read the content folder: {e}"),
            ));
            return found;
        }
    };
    let mut folders = Vec::new();
    for path in entries {
        let name = file_name(&path);
        if is_ignored(&name) {
            continue;
        }
        match Kind::from_folder(&name) {
            Some(kind) if path.is_dir() => folders.push((kind, path)),
            _ => {
                let folders = Kind::ALL.map(Kind::folder);
                let hint = match nearest(&name, folders) {
                    Some(best) => format!("did you mean content/{best}/?"),
                    None => format!(
                        "content goes in one of the folders content/{{{}}}/",
                        folders.join(",")
                    ),
                };
                diagnostics.push(
                    Diagnostic::error(
                        relative(root, &path),
                        format!("quorum does not know what `content/{name}` is"),
                    )
                    .hint(hint),
                );
            }
        }
    }
    // The kinds' folders side by side (10,000 items: 11–20 ms one after the other), and
    // what they hold in the order of the folders.
    let walked: Vec<(Vec<Found>, Diagnostics)> = folders
        .par_iter()
        .map(|(kind, folder)| {
            let (mut found, mut diagnostics) = (Vec::new(), Diagnostics::new());
            walk_kind(root, *kind, folder, &mut found, &mut diagnostics);
            (found, diagnostics)
        })
        .collect();
    for (some, problems) in walked {
        found.extend(some);
        diagnostics.extend(problems);
    }
    found
}

/// Collects the items of one kind's folder; sub-folders without `index.md` only group files.
fn walk_kind(
    root: &Path,
    kind: Kind,
    folder: &Path,
    found: &mut Vec<Found>,
    diagnostics: &mut Diagnostics,
) {
    if folder.is_symlink()
        && let Err(problem) = Fence::new(root, &root.join("content")).check(folder)
    {
        diagnostics.push(
            Diagnostic::error(relative(root, folder), problem)
                .hint("remove the link, or copy the files into the site instead"),
        );
        return;
    }
    let fence = Fence::new(root, folder);
    let mut walker = walkdir::WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_entry(|entry| !is_ignored(&entry.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| folder.to_path_buf(), Path::to_path_buf);
                let diagnostic = if path.is_symlink() && !path.exists() {
                    Diagnostic::error(relative(root, &path), "a symbolic link points to nothing")
                        .hint("remove the link, or let it point to a file in the site")
                } else {
                    let hint = if error.loop_ancestor().is_some() {
                        "a symbolic link points to a folder that contains it; remove the link"
                    } else {
                        "check that the file exists and is readable"
                    };
                    Diagnostic::error(relative(root, &path), format!("cannot read: {error}"))
                        .hint(hint)
                };
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink()
            && let Err(problem) = fence.check(path)
        {
            diagnostics.push(
                Diagnostic::error(relative(root, path), problem)
                    .hint("remove the link, or copy the files into the site instead"),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() {
            if path.join("index.md").is_file() {
                walker.skip_current_dir();
                found.push(Found {
                    kind,
                    path: path.join("index.md"),
                    bundle: Some(path.to_path_buf()),
                });
            }
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        {
            found.push(Found {
                kind,
                path: path.to_path_buf(),
                bundle: None,
            });
        }
    }
}

/// `noted` is told whether the system's file cache held the file (see [`read_source`]).
fn load_one(
    root: &Path,
    found: &Found,
    config: &Config,
    noted: &dyn Fn(bool),
) -> Result<Item, Vec<Diagnostic>> {
    let relative_path = relative(root, &found.path);
    let text = read_source(&found.path, noted)
        .map_err(|(message, hint)| vec![Diagnostic::error(&relative_path, message).hint(hint)])?;
    let (slug_source, folder) = match &found.bundle {
        Some(bundle) => (file_name(bundle), bundle.clone()),
        None => (
            found
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            found.path.parent().unwrap_or(root).to_path_buf(),
        ),
    };
    let slug = slugify(&slug_source);
    if slug.is_empty() {
        return Err(vec![
            Diagnostic::error(
                &relative_path,
                "the file name has no letters or digits to make a URL from",
            )
            .hint("rename the file, e.g. 2021-12-14.md or over-ons.md"),
        ]);
    }
    let assets = match &found.bundle {
        Some(bundle) => bundle_assets(bundle),
        None => Vec::new(),
    };
    let source = SourceFile {
        kind: found.kind,
        slug,
        relative: relative_path,
        folder: Some(&folder),
        assets,
    };
    parse_item(source, &text, config)
}

/// Where symbolic links under a kind's folder may point: inside the site, and not to a
/// folder that holds the link (which would walk the same files again, or forever).
struct Fence {
    root: Option<PathBuf>,
    folder: Option<PathBuf>,
}

impl Fence {
    fn new(root: &Path, folder: &Path) -> Fence {
        Fence {
            root: root.canonicalize().ok(),
            folder: folder.canonicalize().ok(),
        }
    }

    /// Checks the target of the symbolic link at `path`.
    fn check(&self, path: &Path) -> Result<(), &'static str> {
        let target = path
            .canonicalize()
            .map_err(|_| "a symbolic link points to nothing")?;
        if !self
            .root
            .as_ref()
            .is_some_and(|root| target.starts_with(root))
        {
            return Err(
                "a symbolic link points outside the site; quorum publishes only files inside it",
            );
        }
        if self
            .folder
            .as_ref()
            .is_some_and(|folder| folder.starts_with(&target))
        {
            return Err("a symbolic link points to a folder that contains it");
        }
        Ok(())
    }
}

/// Reads a content file as UTF-8 text, refusing what cannot be a Markdown file.
pub fn read_text(path: &Path) -> Result<String, (String, String)> {
    read_source(path, &|_| {})
}

/// [`read_text`], calling `noted` with whether the system's file cache held the whole
/// file, before waiting for it if not. Opened without blocking, so that a pipe is
/// refused rather than waited on. With the file cached, four system calls: open, a stat
/// of the open file, one read (see [`read_cached`]) and close.
fn read_source(path: &Path, noted: &dyn Fn(bool)) -> Result<String, (String, String)> {
    let unreadable = |e: std::io::Error| {
        (
            format!("cannot read the file: {e}"),
            "check that the file exists and that you may read it".to_string(),
        )
    };
    let mut file = open_without_blocking(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    // A pipe or a device (a link to /dev/zero) would block the build or never end.
    if !metadata.is_file() {
        return Err((
            "this is not a regular file".to_string(),
            "content files must be plain text files; remove this entry".to_string(),
        ));
    }
    let size = metadata.len();
    if size > MAX_FILE_SIZE {
        return Err((
            format!(
                "the file is {} MB, larger than the {} MB quorum reads",
                size / (1024 * 1024),
                MAX_FILE_SIZE / (1024 * 1024)
            ),
            "a content file holds text; attach large documents as files beside index.md"
                .to_string(),
        ));
    }
    // One byte more than its size, to see a file that grew since the stat.
    let mut bytes = vec![0; usize::try_from(size).unwrap_or(0) + 1];
    let read = read_cached(&file, &mut bytes);
    bytes.truncate(read);
    noted(read as u64 >= size);
    if read as u64 != size {
        // Not (wholly) cached, grown, or the kernel cannot tell: read the rest as usual,
        // bounded in case the file keeps growing while it is read.
        (&mut file)
            .take(MAX_FILE_SIZE.saturating_sub(read as u64))
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        (
            format!("the file is not UTF-8 text (invalid byte on line {line})"),
            "save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)".to_string(),
        )
    })
}

/// A content file read again, `len` being its size when it was loaded: its bytes then,
/// or more if it grew, fewer if it shrank; the caller compares them with what it loaded.
/// One `read` besides opening and closing, without the stat [`read_text`] takes (a build
/// may read a body twice, and system calls are a quarter of its time): a read of a
/// regular file that returns less than asked for has reached the end, and any other
/// short read only makes the bytes differ. Opened without blocking, so that a
/// file replaced by a pipe cannot stall the build.
pub fn reread(path: &Path, len: usize) -> std::io::Result<Vec<u8>> {
    let mut file = open_without_blocking(path)?;
    // One byte more than expected, to see a file that grew.
    let mut bytes = vec![0; len + 1];
    let read = loop {
        match file.read(&mut bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            result => break result?,
        }
    };
    bytes.truncate(read);
    Ok(bytes)
}

/// Reads `file` from its current position into `bytes` only as far as the system's file
/// cache holds it (`preadv2` with `RWF_NOWAIT`), advancing the position: the number of
/// bytes read, 0 when none are cached or the kernel or file system cannot tell.
///
/// A build reads every content file, and the files are cached for every build but the
/// first: this lets a loading thread see that they are without a system call of its own,
/// so the prefetching of uncached files costs nothing when there are none.
#[cfg(target_os = "linux")]
fn read_cached(file: &std::fs::File, bytes: &mut [u8]) -> usize {
    use std::os::fd::AsRawFd;
    /// Set when the kernel refuses the flag, so that it is not asked again.
    static UNSUPPORTED: AtomicBool = AtomicBool::new(false);
    if UNSUPPORTED.load(Ordering::Relaxed) {
        return 0;
    }
    let vector = libc::iovec {
        iov_base: bytes.as_mut_ptr().cast(),
        iov_len: bytes.len(),
    };
    // SAFETY: the descriptor is open and the one vector points into `bytes`, which is
    // borrowed mutably for the call; offset -1 reads at the file's position.
    let read = unsafe { libc::preadv2(file.as_raw_fd(), &vector, 1, -1, libc::RWF_NOWAIT) };
    match usize::try_from(read) {
        Ok(read) => read,
        Err(_) => {
            let error = std::io::Error::last_os_error().raw_os_error();
            if matches!(error, Some(libc::EOPNOTSUPP | libc::EINVAL | libc::ENOSYS)) {
                UNSUPPORTED.store(true, Ordering::Relaxed);
            }
            0
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn read_cached(_file: &std::fs::File, _bytes: &mut [u8]) -> usize {
    0
}

/// Opens a file for reading without waiting: a content file replaced by a pipe would
/// otherwise block until something writes to it.
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// The files of a folder item other than `index.md`, sorted, with `/` separated names.
fn bundle_assets(bundle: &Path) -> Vec<Asset> {
    walkdir::WalkDir::new(bundle)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !is_ignored(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.depth() > 1 || e.file_name() != "index.md")
        .filter_map(|e| {
            let name = e.path().strip_prefix(bundle).ok()?;
            let name = name
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Some(Asset {
                name,
                path: e.path().to_path_buf(),
            })
        })
        .collect()
}

fn sorted_entries(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect::<Vec<_>>();
    entries.sort();
    Ok(entries)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Hidden files and the swap, backup and temporary files editors leave behind (JetBrains
/// editors save through `x.md___jb_tmp___` and keep the old file as `x.md___jb_old___`
/// for a moment).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_read_whole_at_any_size() {
        let folder = tempfile::tempdir().unwrap();
        for size in [0, 1, 4095, 4096, 4097, 70_000, 300_001] {
            let path = folder.path().join(format!("{size}.md"));
            let text: String = (0..size)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            std::fs::write(&path, &text).unwrap();
            assert_eq!(read_source(&path, &|_| {}).unwrap(), text, "{size} bytes");
        }
    }

    #[test]
    fn prefetching_waits_for_a_file_that_is_not_cached() {
        let folder = tempfile::tempdir().unwrap();
        let found: Vec<Found> = (0..3)
            .map(|i| {
                let path = folder.path().join(format!("{i}.md"));
                std::fs::write(&path, "tekst").unwrap();
                Found {
                    kind: Kind::News,
                    path,
                    bundle: None,
                }
            })
            .collect();
        // A loading thread that reads files cached or not as `cached` says, and then
        // finishes unless the prefetching began (so that it goes through every file).
        let run = |cached: &[bool]| {
            let prefetch = Prefetch::new();
            std::thread::scope(|scope| {
                scope.spawn(|| {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    for &cached in cached {
                        prefetch.note(cached);
                    }
                    if !prefetch.cold.load(Ordering::Relaxed) {
                        prefetch.finish();
                    }
                });
                prefetch.run(&found)
            })
        };
        // `read` files, the last `missed` of them not cached.
        let misses = |missed: usize, read: usize| -> Vec<bool> {
            (0..read).map(|i| i < read - missed).collect()
        };
        assert_eq!(run(&misses(0, 100)), 0, "all cached: nothing is asked for");
        let odd = misses(MISSES_TO_PREFETCH, MISSES_TO_PREFETCH * 5);
        assert_eq!(
            run(&odd),
            0,
            "a few misses among many files: nothing is asked for"
        );
        let cold = misses(MISSES_TO_PREFETCH, MISSES_TO_PREFETCH * 4);
        assert_eq!(
            run(&cold),
            3,
            "a quarter of the files missed: all are asked for"
        );
        let many = misses(MISSES_ALWAYS_PREFETCH, 10_000);
        assert_eq!(run(&many), 3, "many missed: all are asked for");
    }

    #[test]
    fn prefetching_stops_when_loading_panics() {
        // On a thread of its own, to fail rather than hang if it waits on.
        let (send, asked) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let prefetch = Prefetch::new();
            std::thread::scope(|scope| {
                let loading = scope.spawn(|| {
                    let _finished = Finished(&prefetch);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    panic!("a bug while loading");
                });
                let asked = prefetch.run(&[]);
                assert!(loading.join().is_err(), "the panic is the loading thread's");
                send.send(asked).unwrap();
            });
        });
        let asked = asked.recv_timeout(std::time::Duration::from_secs(10));
        assert_eq!(
            asked,
            Ok(0),
            "the prefetching thread returned, asking for nothing"
        );
    }

    #[test]
    fn forgetting_a_change_drops_what_it_may_affect() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let root = root.canonicalize().unwrap();
        let config = Config::load(&root, None).unwrap();
        let options = LoadOptions {
            drafts: true,
            ..LoadOptions::default()
        };
        let mut all = ItemCache::default();
        load(&root, &config, options, Some(&mut all));
        let sources = |cache: &ItemCache| -> std::collections::BTreeSet<PathBuf> {
            cache
                .items
                .keys()
                .map(|path| relative(&root, path))
                .collect()
        };
        let forgotten = |changed: &str| -> Vec<PathBuf> {
            let mut cache = ItemCache {
                items: (all.items.iter())
                    .map(|(path, cached)| {
                        let cached = CachedItem {
                            folder: cached.folder.clone(),
                            item: cached.item.clone(),
                            ..*cached
                        };
                        (path.clone(), cached)
                    })
                    .collect(),
            };
            cache.forget(&[root.join(changed)]);
            sources(&all)
                .difference(&sources(&cache))
                .cloned()
                .collect()
        };
        let paths = |paths: &[&str]| -> Vec<PathBuf> { paths.iter().map(PathBuf::from).collect() };
        assert_eq!(sources(&all).len(), 7);
        // The file itself.
        let minutes = "content/minutes/2021-12-14.md";
        assert_eq!(forgotten(minutes), paths(&[minutes]));
        // Anything in a folder item.
        assert_eq!(
            forgotten("content/annual-reports/2021/jaarverslag-2021.pdf"),
            paths(&["content/annual-reports/2021/index.md"])
        );
        // Everything under a folder, however its path is written.
        let news = [
            "content/news/2021-12-20-nieuw-lid.md",
            "content/news/2021-12-21-concept.md",
        ];
        assert_eq!(forgotten("content//news/"), paths(&news));
        assert_eq!(forgotten("content/./news"), paths(&news));
        // The items next to an attachment, which may have come or gone.
        assert_eq!(
            forgotten("content/advice/brief.pdf"),
            paths(&["content/advice/2021-armoede.md"])
        );
        assert!(forgotten("content/advice/elders.md").is_empty());
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".2021-12-14.md.swp",
            "2021-12-14.md~",
            "#x.md#",
            ".DS_Store",
            "x.md.tmp",
            "x.md___jb_tmp___",
            "x.md___jb_old___",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("2021-12-14.md"));
    }
}
