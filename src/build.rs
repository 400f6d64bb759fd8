//! The whole pipeline, stage by stage: load → link → render → write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::config::Config;
use crate::content::{self, ItemCache, Kind, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::{self, Fingerprint};
use crate::output::Staging;
use crate::render::{self, Collect, Discard, Files, OutputFile, RenderCache, Sink};
use crate::site::{MarkdownCache, Site};
use crate::theme::Theme;

mod patch;

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site folder, holding `quorum.toml`.
    pub root: PathBuf,
    /// Replaces `base_url` of the configuration.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// The day to build for (upcoming meetings, overdue advice); today when absent.
    pub today: Option<NaiveDate>,
}

/// What a build made.
#[derive(Debug)]
pub struct Built {
    /// HTML pages written.
    pub pages: usize,
    /// Files written, pages included.
    pub files: usize,
    /// Items per kind.
    pub counts: BTreeMap<Kind, usize>,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
    /// How long each stage took, in order (`quorum build --timings`).
    pub timings: Timings,
    /// Whether `quorum serve` patched the files of the build before instead of running
    /// the whole pipeline (see [`patch`]).
    pub patched: bool,
}

/// The time each stage of a build took.
#[derive(Debug, Clone)]
pub struct Timings {
    pub stages: Vec<Stage>,
    lap_started: Instant,
    cpu_at_start: Option<Duration>,
}

/// One stage of a build, as [`Timings`] tells it.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub wall: Duration,
    /// The processor time of every thread (user and system) during the stage: above
    /// `wall` when several cores worked; where the system tells it.
    pub cpu: Option<Duration>,
    /// The process's peak memory at the stage's end, in bytes (`VmHWM`, Linux).
    pub peak: Option<u64>,
}

impl Timings {
    /// Starts timing the first stage.
    pub fn start() -> Timings {
        Timings {
            stages: Vec::new(),
            lap_started: Instant::now(),
            cpu_at_start: cpu_time(),
        }
    }

    /// Ends the stage `name` and starts the next.
    pub fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        let cpu = cpu_time();
        self.stages.push(Stage {
            name,
            wall: now - self.lap_started,
            cpu: cpu
                .zip(self.cpu_at_start)
                .map(|(now, then)| now.saturating_sub(then)),
            peak: peak_memory(),
        });
        self.lap_started = now;
        self.cpu_at_start = cpu;
    }
}

/// The processor time the process used so far, all threads, user and system.
fn cpu_time() -> Option<Duration> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: getrusage fills the struct it is given and reports failure by its result.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return None;
        }
        usage.assume_init()
    };
    let time = |t: libc::timeval| -> Option<Duration> {
        let micros = u64::try_from(t.tv_usec).ok()?;
        Some(Duration::from_secs(t.tv_sec.try_into().ok()?) + Duration::from_micros(micros))
    };
    Some(time(usage.ru_utime)? + time(usage.ru_stime)?)
}

/// The most memory the process has held so far (`VmHWM`), if the system tells it.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        for stage in &self.stages {
            write!(f, "{:>9.1} ms", ms(stage.wall))?;
            if let Some(cpu) = stage.cpu {
                write!(f, " {:>9.1} ms cpu", ms(cpu))?;
            }
            if let Some(bytes) = stage.peak {
                write!(f, " {:>7.0} MiB peak", bytes as f64 / (1024.0 * 1024.0))?;
            }
            writeln!(f, "  {}", stage.name)?;
        }
        Ok(())
    }
}

/// What a rebuild reuses from the builds before it (`quorum serve`): each stage keeps
/// the results of its own work, keyed by everything they were made from, so a rebuild
/// with the cache writes exactly what one without would.
#[derive(Debug, Default)]
pub struct BuildCache {
    /// The fingerprint of what every cached result depends on: options, configuration,
    /// theme. When it changes, nothing is reused.
    setting: Option<Fingerprint>,
    items: ItemCache,
    markdown: MarkdownCache,
    pages: RenderCache,
    /// The last build, while it succeeded, to patch after an edit (see [`patch`]).
    last: Option<Last>,
    /// The files changed since the last build.
    changed: Vec<PathBuf>,
    /// Whether the build under way takes cached items without looking at their files,
    /// because the watcher named what changed (see `LoadOptions::trust_cache`).
    trust_watcher: bool,
}

/// A successful build as `quorum serve` keeps it.
#[derive(Debug)]
struct Last {
    site: Site,
    kept: render::Kept,
    files: Files,
    /// The sitemap of `files`, with where each run's part of it is (see
    /// [`BuildCache::prepare_for_edits`]).
    sitemap: Option<render::LiveSitemap>,
    pages: usize,
    file_count: usize,
    warnings: Diagnostics,
}

impl BuildCache {
    /// Forgets what changes to `changed` (absolute paths) may have made stale.
    pub fn forget(&mut self, changed: &[PathBuf]) {
        self.items.forget(changed);
        self.changed.extend_from_slice(changed);
    }

    /// Whether a source file changed since the last build without being named to
    /// [`BuildCache::forget`]: the size or time of a file it loaded differs, or the file
    /// is gone. A rebuild after named changes looked at the named files only (and found
    /// new and deleted ones); `serve` asks this after each such rebuild, while the
    /// browsers reload, and builds again when a change was missed.
    pub fn unseen_changes(&self) -> bool {
        !self.items.unchanged_on_disk()
    }

    /// Readies the last build for the edits that add or take out pages and entries,
    /// which `serve` patches into it, while no edit waits: the parts of its sitemap,
    /// and room for new entries. Made on the first such edit instead, they took it
    /// from about 210 to 370 ms at 100,000 items. Cheap once done.
    pub fn prepare_for_edits(&mut self) {
        let Some(last) = &mut self.last else {
            return;
        };
        if last.sitemap.is_none() {
            let (sitemap, file) = render::LiveSitemap::new(&last.site, &last.files);
            debug_assert!(
                matches!(
                    (last.files.get(&file.path).map(|made| &made.contents), &file.contents),
                    (Some(render::Contents::Bytes(built)), render::Contents::Bytes(kept)) if built == kept
                ),
                "the sitemap kept for edits is the one built"
            );
            last.sitemap = Some(sitemap);
        }
        last.site.make_room();
        last.kept.make_room();
    }

    /// How many files (pages and open data) the last build took from the cache.
    pub fn reused_files(&self) -> usize {
        self.pages.reused
    }

    /// Keeps the cache for `setting`, or empties it when that changed.
    fn use_for(&mut self, setting: Fingerprint) {
        if self.setting != Some(setting) {
            *self = BuildCache {
                setting: Some(setting),
                ..BuildCache::default()
            };
        }
    }
}

/// Loads, links and renders the site in memory; the files sorted by path.
pub fn build(options: &BuildOptions) -> Result<(Built, Vec<OutputFile>), Diagnostics> {
    let files = Collect::default();
    let built = build_into(options, None, &files)?;
    Ok((built, files.into_files()))
}

/// Builds like [`build`], reusing what `cache` holds from earlier builds and refilling
/// it; call [`BuildCache::forget`] with the changed paths first.
///
/// When only the text of items changed, and nothing of them that other pages show or
/// check, the files of the last build are patched instead (see [`patch`]); else the
/// whole pipeline runs, reusing what is unchanged. Either way only the named files are
/// read again when some were named; with none named, every file's size and time are
/// looked at. A rebuild equals a full one as long as no change went unnamed: see
/// [`BuildCache::unseen_changes`].
pub fn rebuild(
    options: &BuildOptions,
    cache: &mut BuildCache,
) -> Result<(Built, Files), Diagnostics> {
    if let Some(patched) = patch::patch(options, cache) {
        return Ok(patched);
    }
    // The search index of the last build is patched rather than made anew when the
    // documents keep their order; the rest of it is made again.
    if let Some(last) = cache.last.take() {
        cache.pages.index = Some(last.kept.into_search());
    }
    // Named changes come from the watcher, and `serve` checks the other files after
    // the build; a rebuild naming none looks at every file.
    cache.trust_watcher = !cache.changed.is_empty();
    cache.changed.clear();
    let files = Collect::default();
    let built = build_into(options, Some(cache), &files)?;
    let files = Files::new(files.into_files());
    if let Some(last) = &mut cache.last {
        last.files = files.clone();
    }
    Ok((built, files))
}

/// Loads, links and renders the site to find every problem, and keeps nothing.
pub fn check(options: &BuildOptions) -> Result<Built, Diagnostics> {
    build_into(options, None, &Discard)
}

/// Loads, links and renders the site, handing every file to `sink`.
fn build_into(
    options: &BuildOptions,
    mut cache: Option<&mut BuildCache>,
    sink: &dyn Sink,
) -> Result<Built, Diagnostics> {
    let started = Instant::now();
    let mut timings = Timings::start();
    let root = &options.root;
    let config = Config::load(root, options.base_url.as_deref())?;
    let theme = Theme::load(root, &config);
    let today = options.today.unwrap_or_else(today);
    if let Some(cache) = cache.as_mut() {
        cache.use_for(setting(options, today, &config, theme.as_ref().ok()));
    }
    timings.lap("config and theme");
    let loaded = content::load(
        root,
        &config,
        LoadOptions {
            drafts: options.drafts,
            trust_cache: cache.as_ref().is_some_and(|cache| cache.trust_watcher),
        },
        cache.as_mut().map(|cache| &mut cache.items),
    );
    timings.lap("load and parse content");
    // Keep going after errors so one run reports every problem: theme, content and links.
    let mut errors = loaded.diagnostics;
    let theme = theme.map_err(|e| errors.extend(e)).ok();
    let linked = Site::link(
        root.clone(),
        config,
        loaded.items,
        &loaded.failed,
        today,
        cache.as_mut().map(|cache| &mut cache.markdown),
    );
    timings.lap("link and render Markdown");
    let (site, warnings) = match linked {
        Ok((site, warnings)) => (Some(site), warnings),
        Err(e) => {
            errors.extend(e);
            (None, Diagnostics::new())
        }
    };
    let (Some(site), Some(theme), false) = (site, theme, errors.has_errors()) else {
        errors.extend(warnings);
        errors.sort();
        return Err(errors);
    };
    let (pages, last) = match cache {
        Some(cache) => (Some(&mut cache.pages), Some(&mut cache.last)),
        None => (None, None),
    };
    let (tally, kept) =
        render::render(&site, &theme, &mut timings, pages, sink).map_err(|mut errors| {
            errors.extend(warnings.clone());
            errors.sort();
            errors
        })?;
    let counts = counts(&site);
    if let (Some(last), Some(kept)) = (last, kept) {
        *last = Some(Last {
            site,
            kept,
            files: Files::default(),
            sitemap: None,
            pages: tally.pages,
            file_count: tally.files,
            warnings: warnings.clone(),
        });
    } else {
        drop_aside(site);
    }
    Ok(Built {
        pages: tally.pages,
        files: tally.files,
        counts,
        warnings,
        elapsed: started.elapsed(),
        timings,
        patched: false,
    })
}

/// Lets go of `value` on a thread of its own. A one-off build's site is some hundred
/// thousand allocations, and freeing them took 10 ms of a 1.2 s build of 10,000 items
/// (140 ms at 100,000) that no one waits for: `quorum build` ends as soon as the output
/// is swapped in, and the process ending frees the memory at once. A process that goes
/// on (the tests) frees it beside its next work. If no thread can be started, it is
/// freed here.
fn drop_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("quorum-free".into())
        .spawn(move || drop(value));
}

/// Items per kind.
fn counts(site: &Site) -> BTreeMap<Kind, usize> {
    (site.by_kind.iter())
        .map(|(kind, items)| (*kind, items.len()))
        .collect()
}

/// The fingerprint of everything besides content that cached results depend on.
fn setting(
    options: &BuildOptions,
    today: NaiveDate,
    config: &Config,
    theme: Option<&Theme>,
) -> Fingerprint {
    // Debug forms: every field, in a fixed order (the config holds no hash maps).
    let options = format!("{options:?} {today} {config:?}");
    let theme = theme.map(|theme| {
        let templates: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()))
            .collect();
        (templates, format!("{:?}", theme.strings))
    });
    fingerprint::of(&(options, theme))
}

/// Builds the site and writes it to `output`, which is replaced only on success. Returns
/// with the build the old outputs beside `output`, for the caller to delete: the one this
/// build replaced and any whose deleting was cut short (see
/// [`crate::output::Staging::commit_setting_aside`]).
pub fn build_to(
    options: &BuildOptions,
    output: &Path,
) -> Result<(Built, Vec<PathBuf>), Diagnostics> {
    let started = Instant::now();
    if let Err(diagnostic) = check_output(&options.root, output) {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(diagnostic);
        return Err(diagnostics);
    }
    let cannot_write = |e: std::io::Error| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(
            Diagnostic::error(output, format!("cannot write the output: {e}"))
                .hint("check that the output folder is writable and the disk is not full; the previous output is unchanged"),
        );
        diagnostics
    };
    // Files are written as they are rendered, so the site is never in memory whole; a
    // failed build drops the staging folder with what it held.
    let staging = Staging::begin(output).map_err(cannot_write)?;
    let mut built = build_into(options, None, &staging)?;
    staging.commit_setting_aside().map_err(cannot_write)?;
    built.timings.lap("swap in the output");
    built.elapsed = started.elapsed();
    Ok((built, crate::output::old_outputs(output)))
}

/// Refuses an output folder that must not be replaced as a whole: one that holds the
/// site itself (`--output .`), or another project (with a `quorum.toml` or `.git`).
fn check_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let Ok(output_path) = output.canonicalize() else {
        // It does not exist yet: nothing to lose.
        return Ok(());
    };
    let holds_site = root
        .canonicalize()
        .is_ok_and(|root| root.starts_with(&output_path));
    let problem = if holds_site {
        "holds the site itself"
    } else if output.join(crate::config::CONFIG_FILE).exists() || output.join(".git").exists() {
        "holds a project (it has a quorum.toml or .git)"
    } else {
        return Ok(());
    };
    Err(Diagnostic::error(output, format!("the output folder {problem}"))
        .hint("quorum replaces the whole output folder on every build; give it a folder of its own, e.g. --output public"))
}

/// Today's date, or `QUORUM_TODAY` (YYYY-MM-DD) when set, for reproducible builds.
pub fn today() -> NaiveDate {
    std::env::var("QUORUM_TODAY")
        .ok()
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value let go of aside is freed, not leaked.
    #[test]
    fn a_value_dropped_aside_is_freed() {
        struct Tell(std::sync::mpsc::Sender<()>);
        impl Drop for Tell {
            fn drop(&mut self) {
                let _ = self.0.send(());
            }
        }
        let (send, freed) = std::sync::mpsc::channel();
        drop_aside(Tell(send));
        assert!(freed.recv_timeout(Duration::from_secs(10)).is_ok());
    }
}
