//! The `quorum` command: parses arguments, runs the pipeline, reports like a compiler.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use quorum::authoring::import::{ImportOptions, import};
use quorum::authoring::init::{InitOptions, init};
use quorum::authoring::new::{NewOptions, new_item};
use quorum::build::{BuildOptions, Built, build_to, check, today};
use quorum::config::Config;
use quorum::content::Kind;
use quorum::content::values::parse_date;
use quorum::diagnostics::{Diagnostic, Diagnostics};
use quorum::i18n::Language;
use quorum::serve::{ServeOptions, serve};

/// Turns off transparent huge pages for this process. mimalloc asks for them, and the
/// kernel then zeroes 2 MiB at the first touch of each: a fifth of a 10,000-item
/// build's time went to that, and peak memory was 10% higher.
#[cfg(target_os = "linux")]
fn without_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn without_huge_pages() {}

/// mimalloc's `purge_delay` option (its index in `mi_option_t`, mimalloc.h; the
/// libmimalloc-sys crate names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For a one-off `build` or `check`: mimalloc keeps the memory freed during the run
/// instead of handing it back to the kernel, 1,300 `madvise` calls in a 10,000-item
/// build, each making both processors flush their address caches (docs/benchmarks.md).
/// `serve` runs for hours and keeps the default, as does a run with
/// `MIMALLOC_PURGE_DELAY` set.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: called before any thread is started; -1 is the documented "never purge".
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
    }
}

/// Where ahash takes the seed that makes each hash map's keys its own: a counter per
/// thread. ahash's default is one atomic counter for the whole process, and Tera makes a
/// map for every struct handed to a template, some 70 per page: the two threads took
/// turns at that counter's cache line, 1% of a 10,000-item build's samples in `perf`.
/// The keys stay secret: ahash mixes each seed with random keys drawn once from the
/// operating system.
struct SeedPerThread;

impl ahash::random_state::RandomSource for SeedPerThread {
    fn gen_hasher_seed(&self) -> usize {
        thread_local! {
            static NEXT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        NEXT.with(|next| {
            // The counter's own address differs between threads, so their seeds do too.
            let seed = next.get().wrapping_add(std::ptr::from_ref(next) as usize);
            next.set(seed);
            seed
        })
    }
}

/// glibc's malloc kept about 40% more memory than the heap needed (per-thread arenas
/// holding freed chunks) and spent a tenth of the build in allocation; mimalloc does
/// neither (docs/benchmarks.md). See `quorum::allocator` for how it is called.
#[global_allocator]
static ALLOCATOR: quorum::allocator::Mimalloc = quorum::allocator::Mimalloc;

#[derive(Parser)]
#[command(
    name = "quorum",
    version,
    about = "Publish the minutes, advice and news of a council as a static website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default)
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site (default: public/ in the site folder)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Print how long each stage of the build took
        #[arg(long)]
        timings: bool,
    },
    /// Check content, links and templates without writing anything
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Print how long each stage of the build took
        #[arg(long)]
        timings: bool,
    },
    /// Preview the site in a browser, rebuilding and reloading on every change
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on; when it is taken, the next free one is used
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; 0.0.0.0 shows the preview to the local network
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Print how long each stage of every build took
        #[arg(long)]
        timings: bool,
    },
    /// Create a new site in DIR with an example of every kind, ready to build
    Init {
        /// The folder to create the site in
        dir: PathBuf,
        /// The language of the site and its example texts
        #[arg(long, value_enum, default_value = "nl")]
        language: LanguageArg,
        /// Also write into a folder that is not empty; existing files are kept
        #[arg(long)]
        force: bool,
    },
    /// Scaffold one item with its front matter filled in (written as a draft)
    New {
        kind: KindArg,
        /// The site folder, holding quorum.toml
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// The item's date (default: today)
        #[arg(long, value_parser = day)]
        date: Option<NaiveDate>,
        /// The title; news, advice and pages need one
        #[arg(long)]
        title: Option<String>,
        /// The year of an annual report (default: last year) or of an advice's file name
        #[arg(long)]
        year: Option<i32>,
    },
    /// Turn existing documents (plain text, Word .docx) into content files
    Import {
        kind: KindArg,
        /// The documents to import
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The site folder, holding quorum.toml
        #[arg(long, short, default_value = ".")]
        root: PathBuf,
        /// The date, instead of the one found in the document or file name (one file only)
        #[arg(long, value_parser = day)]
        date: Option<NaiveDate>,
        /// The year of an annual report (one file only)
        #[arg(long)]
        year: Option<i32>,
        /// The title (one file only)
        #[arg(long)]
        title: Option<String>,
    },
    /// Delete outputs that `quorum build` replaced (run by it, in the background)
    #[command(hide = true)]
    RemoveOldOutputs { folders: Vec<PathBuf> },
}

/// The kinds of content, as named on the command line.
#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Minutes,
    Meeting,
    News,
    Advice,
    AnnualReport,
    Page,
}

impl From<KindArg> for Kind {
    fn from(kind: KindArg) -> Kind {
        match kind {
            KindArg::Minutes => Kind::Minutes,
            KindArg::Meeting => Kind::Meeting,
            KindArg::News => Kind::News,
            KindArg::Advice => Kind::Advice,
            KindArg::AnnualReport => Kind::AnnualReport,
            KindArg::Page => Kind::Page,
        }
    }
}

/// The site languages, as named on the command line.
#[derive(Clone, Copy, ValueEnum)]
enum LanguageArg {
    Nl,
    En,
}

fn day(text: &str) -> Result<NaiveDate, String> {
    parse_date(text)
}

#[derive(clap::Args)]
struct SiteArgs {
    /// The site folder, holding quorum.toml
    #[arg(long, short, default_value = ".")]
    root: PathBuf,
    /// Replace base_url of quorum.toml, e.g. for a preview deploy
    #[arg(long)]
    base_url: Option<String>,
    /// Include items marked draft = true
    #[arg(long)]
    drafts: bool,
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            today: None,
        }
    }
}

/// Deletes the outputs a build replaced (see `build_to`) in a process of its own, which
/// goes on after this one ends: `quorum build` is done when the new output is in place,
/// and on a disk deleting the old one took as long again (0.8 to 2 s for 23,000 files).
/// Where no process can be started, they are deleted here.
fn remove_in_background(folders: &[PathBuf]) {
    if folders.is_empty() {
        return;
    }
    let started = std::env::current_exe().and_then(|quorum| {
        std::process::Command::new(quorum)
            .arg("remove-old-outputs")
            .args(folders)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
    });
    if started.is_err() {
        // As the process would have: the build is done whether or not this succeeds.
        let _ = remove_old_outputs(folders);
    }
}

/// Deletes the outputs a build replaced; the errors of those that could not be.
fn remove_old_outputs(folders: &[PathBuf]) -> Vec<String> {
    (folders.iter())
        .filter_map(|folder| {
            let removed = quorum::output::remove_old_output(folder);
            removed
                .err()
                .map(|error| format!("{}: {error}", folder.display()))
        })
        .collect()
}

fn main() -> ExitCode {
    without_huge_pages();
    // Only fails when a map was made before, and then the default source stays: still correct.
    let _ = ahash::random_state::set_random_source(SeedPerThread);
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build {
            site,
            output,
            timings,
        } => {
            keep_freed_memory();
            let output = output.unwrap_or_else(|| site.root.join("public"));
            let result = build_to(&site.options(), &output).map(|(built, old_outputs)| {
                remove_in_background(&old_outputs);
                built
            });
            Ok(report(result, timings, |built| {
                format!("{} → {}", summary(built), output.display())
            }))
        }
        Command::Check { site, timings } => {
            keep_freed_memory();
            Ok(report(check(&site.options()), timings, |built| {
                format!("checked: {}; nothing written", summary(built))
            }))
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
            timings,
        } => {
            serve(ServeOptions {
                build: site.options(),
                bind,
                port,
                open,
                timings,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init {
            dir,
            language,
            force,
        } => {
            let language = match language {
                LanguageArg::Nl => Language::Nl,
                LanguageArg::En => Language::En,
            };
            let options = InitOptions { language, force };
            Ok(match init(&dir, &options, today()) {
                Ok(created) => {
                    print!("{created}");
                    ExitCode::SUCCESS
                }
                Err(error) => failed(&[error], "the site was not created"),
            })
        }
        Command::New {
            kind,
            root,
            date,
            title,
            year,
        } => {
            let Some(config) = site_config(&root) else {
                return Ok(ExitCode::FAILURE);
            };
            let options = NewOptions {
                kind: kind.into(),
                date: date.unwrap_or_else(today),
                title,
                year,
            };
            Ok(match new_item(&root, &config, &options) {
                Ok(created) => {
                    print!("{created}");
                    ExitCode::SUCCESS
                }
                Err(error) => failed(&[error], "nothing was written"),
            })
        }
        Command::RemoveOldOutputs { folders } => {
            // In the background: one thread, leaving the others to whatever runs next.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build_global();
            let errors = remove_old_outputs(&folders);
            for error in &errors {
                eprintln!("error: {error}");
            }
            Ok(match errors.is_empty() {
                true => ExitCode::SUCCESS,
                false => ExitCode::FAILURE,
            })
        }
        Command::Import {
            kind,
            files,
            root,
            date,
            year,
            title,
        } => {
            let Some(config) = site_config(&root) else {
                return Ok(ExitCode::FAILURE);
            };
            let options = ImportOptions {
                kind: kind.into(),
                date,
                year,
                title,
            };
            Ok(match import(&root, &config, &files, &options) {
                Ok(imported) => {
                    for file in imported {
                        print!("{file}");
                    }
                    ExitCode::SUCCESS
                }
                Err(errors) => failed(&errors, "nothing was imported"),
            })
        }
    }
}

/// The configuration of the site at `root`, or `None` after reporting why not.
fn site_config(root: &Path) -> Option<Config> {
    Config::load(root, None)
        .map_err(|diagnostics| eprint!("{diagnostics}"))
        .ok()
}

/// Prints the errors of an authoring command and what that means for the files.
fn failed(errors: &[Diagnostic], outcome: &str) -> ExitCode {
    for error in errors {
        eprint!("{error}");
    }
    eprintln!("error: {outcome}");
    ExitCode::FAILURE
}

/// Prints warnings and the summary, or every error, and picks the exit code.
fn report(
    result: Result<Built, Diagnostics>,
    timings: bool,
    describe: impl Fn(&Built) -> String,
) -> ExitCode {
    match result {
        Ok(built) => {
            eprint!("{}", built.warnings);
            if timings {
                eprint!("{}", built.timings);
            }
            println!("{}", describe(&built));
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            let count = diagnostics.error_count();
            let plural = if count == 1 { "error" } else { "errors" };
            eprintln!(
                "error: the site was not built: {count} {plural}; the previous output is unchanged"
            );
            ExitCode::FAILURE
        }
    }
}

/// "14 minutes, 9 news, … : 312 files in 84 ms".
fn summary(built: &Built) -> String {
    let kinds: Vec<String> = Kind::ALL
        .iter()
        .map(|kind| {
            let count = built.counts.get(kind).copied().unwrap_or(0);
            format!("{count} {}", kind_name(*kind, count))
        })
        .collect();
    format!(
        "{}; {} pages, {} files in {} ms",
        kinds.join(", "),
        built.pages,
        built.files,
        built.elapsed.as_millis()
    )
}

fn kind_name(kind: Kind, count: usize) -> &'static str {
    let one = count == 1;
    match kind {
        Kind::Minutes => "minutes",
        Kind::Meeting if one => "meeting",
        Kind::Meeting => "meetings",
        Kind::News => "news",
        Kind::Advice => "advice",
        Kind::AnnualReport if one => "annual report",
        Kind::AnnualReport => "annual reports",
        Kind::Page if one => "page",
        Kind::Page => "pages",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index is hard-coded: it must still name the purge delay, whose default is
    /// 1,000 ms (its neighbours default to 1 and 0), and a set value must be read back.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reading an option has no preconditions.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            1000
        );
        keep_freed_memory();
        // SAFETY: as above.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            -1
        );
    }
}
