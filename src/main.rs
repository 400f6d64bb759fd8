//! The `quorum` command: parses arguments, runs the pipeline, reports like a compiler.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use quorum::build::{BuildOptions, Built, build, build_to};
use quorum::content::Kind;
use quorum::diagnostics::Diagnostics;
use quorum::serve::{ServeOptions, serve};

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
    },
    /// Check content, links and templates without writing anything
    Check {
        #[command(flatten)]
        site: SiteArgs,
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
    },
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

fn main() -> ExitCode {
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
        Command::Build { site, output } => {
            let output = output.unwrap_or_else(|| site.root.join("public"));
            Ok(report(build_to(&site.options(), &output), |built| {
                format!("{} → {}", summary(built), output.display())
            }))
        }
        Command::Check { site } => Ok(report(build(&site.options()), |built| {
            format!("checked: {}; nothing written", summary(built))
        })),
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => {
            serve(ServeOptions {
                build: site.options(),
                bind,
                port,
                open,
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints warnings and the summary, or every error, and picks the exit code.
fn report(result: Result<Built, Diagnostics>, describe: impl Fn(&Built) -> String) -> ExitCode {
    match result {
        Ok(built) => {
            eprint!("{}", built.warnings);
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
    let pages = built.files.iter().filter(|f| f.is_page()).count();
    format!(
        "{}; {pages} pages, {} files in {} ms",
        kinds.join(", "),
        built.files.len(),
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
