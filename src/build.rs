//! The whole pipeline, stage by stage: load → link → render → write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::config::Config;
use crate::content::{self, Kind, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{self, OutputFile};
use crate::site::Site;
use crate::theme::Theme;

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

/// A site rendered in memory, ready to write or serve.
#[derive(Debug)]
pub struct Built {
    pub files: Vec<OutputFile>,
    /// Items per kind.
    pub counts: BTreeMap<Kind, usize>,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
}

/// Loads, links and renders the site in memory.
pub fn build(options: &BuildOptions) -> Result<Built, Diagnostics> {
    let started = Instant::now();
    let root = &options.root;
    let config = Config::load(root, options.base_url.as_deref())?;
    let theme = Theme::load(root, &config);
    let loaded = content::load(
        root,
        &config,
        LoadOptions {
            drafts: options.drafts,
        },
    );
    // Keep going after errors so one run reports every problem: theme, content and links.
    let mut errors = loaded.diagnostics;
    let theme = theme.map_err(|e| errors.extend(e)).ok();
    let today = options.today.unwrap_or_else(today);
    let linked = Site::link(root.clone(), config, loaded.items, &loaded.failed, today);
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
    let files = render::render(&site, &theme).map_err(|mut errors| {
        errors.extend(warnings.clone());
        errors.sort();
        errors
    })?;
    let counts = site
        .by_kind
        .iter()
        .map(|(kind, items)| (*kind, items.len()))
        .collect();
    Ok(Built {
        files,
        counts,
        warnings,
        elapsed: started.elapsed(),
    })
}

/// Builds the site and writes it to `output`, which is replaced only on success.
pub fn build_to(options: &BuildOptions, output: &Path) -> Result<Built, Diagnostics> {
    let started = Instant::now();
    let mut built = build(options)?;
    if let Err(diagnostic) = check_output(&options.root, output) {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(diagnostic);
        return Err(diagnostics);
    }
    crate::output::write_atomically(output, &built.files).map_err(|e| {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(
            Diagnostic::error(output, format!("cannot write the output: {e}"))
                .hint("check that the output folder is writable and the disk is not full; the previous output is unchanged"),
        );
        diagnostics
    })?;
    built.elapsed = started.elapsed();
    Ok(built)
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
