//! The fast path of `quorum serve` for the most common edits: those that leave the
//! items in their order, with their addresses (see `Looks::frame`). The last build's
//! files are patched with what such an edit changes, by how deep it went:
//! - the text of an item, or front matter only its own page shows (who attended,
//!   where; its face is unchanged, see `Looks::face`): its page, open-data file and
//!   search data;
//! - what other pages show of it too (a dated item's title, its summary and first
//!   paragraph, the status and actions of minutes, an advice's addressee and
//!   reference; its shape is unchanged, see `Looks::shape`): also the pages that show
//!   its card or title;
//! - its topics, policy areas, `@/` links or an advice's response: also the lists,
//!   relations and register views that regrouping the site changed (see
//!   `Site::regroup`), with list pages added and dropped.
//!
//! That takes 20 to 60 ms instead of 350 to 550 for an edit to a 10,000-item site (see
//! `render::patch`). Anything else (a new, deleted or renamed file, a date or kind
//! changed, a link that does not resolve, a register view that comes or goes, the
//! configuration, theme, static files or attachments, a file that no longer loads)
//! takes the whole pipeline, which also reports errors. Either way the files equal what
//! `quorum build` writes (tests/testsuite/incremental.rs).

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{BuildCache, BuildOptions, Built, Last, Timings, counts, setting, today};
use crate::config::Config;
use crate::content::{self, Item, Stamp};
use crate::diagnostics::relative;
use crate::i18n::UrlWord;
use crate::render::{self, Contents, OutputFile};
use crate::theme::Theme;

/// The last build with the edits named in `cache` patched in, or `None` when they are
/// not edits this can patch (then the cache holds no last build any more, only its
/// search index for the whole pipeline to patch).
pub(super) fn patch(
    options: &BuildOptions,
    cache: &mut BuildCache,
) -> Option<(Built, Vec<OutputFile>)> {
    let started = Instant::now();
    let mut timings = Timings::start();
    if cache.changed.is_empty() {
        return None;
    }
    let root = &options.root;
    let config = Config::load(root, options.base_url.as_deref()).ok()?;
    let theme = Theme::load(root, &config).ok()?;
    let today = options.today.unwrap_or_else(today);
    if cache.setting != Some(setting(options, today, &config, Some(&theme))) {
        return None;
    }
    // Taken: after a failure below no last build is left, and the whole pipeline runs,
    // with only the search index to patch.
    let mut last = cache.last.take()?;
    // Only the files named are looked at: a change the watcher did not report is found
    // by `BuildCache::unseen_changes` afterwards.
    let Some((loaded, changed_files)) = patch_last(root, &mut last, &cache.changed, &theme) else {
        cache.pages.index = Some(last.kept.into_search());
        return None;
    };
    for (path, stamp, item) in loaded {
        cache.items.keep(root, path, stamp, item);
    }
    timings.lap("patch in the edited items (their pages, open data and the search index)");
    cache.pages.reused = last.file_count.saturating_sub(changed_files);
    let built = Built {
        pages: last.pages,
        files: last.file_count,
        counts: counts(&last.site),
        warnings: last.warnings.clone(),
        elapsed: started.elapsed(),
        timings,
        patched: true,
    };
    let files = last.files.clone();
    cache.last = Some(last);
    cache.changed.clear();
    Some((built, files))
}

/// An item loaded again, with its file and the file's stamp, for the loader's cache.
type Loaded = (PathBuf, Stamp, Item);

/// Patches the edits to the files `changed` into `last`; returns the items loaded and
/// how many output files changed, or `None` when these are not such edits.
fn patch_last(
    root: &Path,
    last: &mut Last,
    changed: &[PathBuf],
    theme: &Theme,
) -> Option<(Vec<Loaded>, usize)> {
    if !last.site.keeps_bodies() {
        return None;
    }
    let mut edited = Vec::new();
    for path in changed {
        let is_markdown = path.extension().is_some_and(|e| e == "md");
        // The `index.md` of a folder item comes with the folder's other files.
        if !is_markdown || path.file_name().is_some_and(|name| name == "index.md") {
            return None;
        }
        let source = relative(root, path);
        let source = source.as_os_str();
        let entries = &last.site.entries;
        // Compared as strings: comparing paths compares their parts, which is slower.
        let index = (entries.iter()).position(|e| e.item.source.as_os_str() == source)?;
        edited.push((index, path));
    }
    edited.sort_unstable();
    edited.dedup();
    let mut loaded = Vec::new();
    // The edited entries whose face changed, and whether one's shape changed too.
    let (mut shown, mut regroup) = (Vec::new(), false);
    let register = render::AdviceGroups::of(&last.site);
    for &(index, path) in &edited {
        let kind = last.site.entries[index].item.kind;
        let (item, stamp) = content::load_file(root, &last.site.config, kind, path).ok()?;
        let body = last.site.render_body(&item.body);
        let before = last.site.looks(index);
        if let Some(stamp) = stamp {
            loaded.push((path.clone(), stamp, item.clone()));
        }
        last.site.replace_body(index, item, body);
        let after = last.site.looks(index);
        if after.frame != before.frame {
            return None;
        }
        regroup |= after.shape != before.shape;
        if after.face != before.face {
            shown.push(index);
        }
    }
    let changed: Vec<usize> = edited.iter().map(|(index, _)| *index).collect();
    let regrouped = match regroup {
        true => Some(last.site.regroup(&changed)?),
        false => None,
    };
    let actions = match &regrouped {
        Some(regrouped) => regrouped.actions,
        None => !shown.is_empty() && last.site.refresh_actions(),
    };
    // The views of the register are made again when what is in them changed; one that
    // came or went takes the whole pipeline.
    let register_now = render::AdviceGroups::of(&last.site);
    if !register.same_groups(&register_now) {
        return None;
    }
    let edit = render::Edit {
        changed,
        shown,
        actions,
        regrouped,
        register: register != register_now,
    };
    let made = render::patch(&last.site, theme, &mut last.kept, &edit).ok()?;
    let mut changed_files = 0;
    let mut added = false;
    for file in made.files {
        match last.files.binary_search_by(|f| f.path.cmp(&file.path)) {
            Ok(at) if same(&last.files[at].contents, &file.contents) => {}
            Ok(at) => {
                last.files[at] = file;
                changed_files += 1;
            }
            Err(at) => {
                last.files.insert(at, file);
                (changed_files, added) = (changed_files + 1, true);
            }
        }
    }
    // The pages of a list made again beyond its pages now are gone.
    let page_word = last.site.config.language.url_word(UrlWord::Page);
    let before = last.files.len();
    last.files.retain(|file| {
        let gone = |(base, pages): &(String, usize)| {
            let Some(rest) = file.path.strip_prefix(base.as_str()) else {
                return false;
            };
            if rest == "index.html" {
                return *pages == 0;
            }
            let number = (rest.strip_prefix(page_word))
                .and_then(|rest| rest.strip_prefix('/'))
                .and_then(|rest| rest.strip_suffix("/index.html"))
                .and_then(|number| number.parse::<usize>().ok());
            number.is_some_and(|number| number > *pages)
        };
        !made.lists.iter().any(gone)
    });
    let removed = before - last.files.len();
    if added || removed > 0 {
        // The sitemap lists every page; the counts of the build change.
        let sitemap = render::sitemap(&last.site, &last.files);
        let at = (last.files.binary_search_by(|f| f.path.cmp(&sitemap.path))).ok()?;
        last.files[at] = sitemap;
        last.pages = (last.files.iter())
            .filter(|f| f.path.ends_with(".html"))
            .count();
        last.file_count = last.files.len();
        changed_files += removed + 1;
    }
    Some((loaded, changed_files))
}

/// Whether two rendered files hold the same bytes.
fn same(a: &Contents, b: &Contents) -> bool {
    match (a, b) {
        (Contents::Bytes(a), Contents::Bytes(b)) => a == b,
        _ => false,
    }
}
