//! The fast path of `quorum serve` for the most common changes. The last build's
//! files are patched with what a change alters, by how deep it went:
//! - the text of an item, or front matter only its own page shows (who attended,
//!   where; its face is unchanged, see `Looks::face`): its page, open-data file and
//!   search data;
//! - what other pages show of it too (a dated item's title, its summary and first
//!   paragraph, the status and actions of minutes, an advice's addressee and
//!   reference; its shape is unchanged, see `Looks::shape`): also the pages that show
//!   its card or title;
//! - its topics, policy areas, `@/` links or an advice's response (its frame is
//!   unchanged, see `Looks::frame`: it keeps its place and address): also the lists,
//!   relations and register views that regrouping the site changed (see
//!   `Site::regroup`), with list pages and register views added and dropped;
//! - a file of a dated item new, gone or renamed, or an edit that moves its item (a
//!   date changed): the item added or taken out (see [`Site::insert`] and
//!   [`Site::remove`]); every index after its place moves by one, the lists it joins
//!   or leaves are made again from there on (a list it moves in, between its two
//!   places), and so is the search index, whose documents after it move too.
//!
//! That takes 10 to 70 ms instead of 200 to 550 for a change to a 10,000-item site (see
//! `render::patch`). Anything else (a free page added, taken out or moved, an item
//! others link to taken out, a kind changed, a link that does not resolve, a level-1
//! heading, the configuration, theme, static files or attachments, a file that no
//! longer loads) takes the whole pipeline, which also reports errors and warnings.
//! Either way the files equal what `quorum build` writes
//! (tests/testsuite/incremental.rs).

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{BuildCache, BuildOptions, Built, Last, Timings, counts, setting, today};
use crate::config::Config;
use crate::content::{self, Item, Kind, Stamp};
use crate::diagnostics::relative;
use crate::i18n::UrlWord;
use crate::render::{self, Contents, Files};
#[cfg(doc)]
use crate::site::Site;
use crate::theme::Theme;

/// The last build with the edits named in `cache` patched in, or `None` when they are
/// not edits this can patch (then the cache holds no last build any more, only its
/// search index for the whole pipeline to patch).
pub(super) fn patch(options: &BuildOptions, cache: &mut BuildCache) -> Option<(Built, Files)> {
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
    let index_of = |last: &Last, path: &Path| {
        let source = relative(root, path);
        // Compared as strings: comparing paths compares their parts, which is slower.
        let source = source.as_os_str();
        (last.site.entries.iter()).position(|e| e.item.source.as_os_str() == source)
    };
    let mut edited = Vec::new();
    // Files gone (by entry) and new ones.
    let (mut gone, mut new) = (Vec::new(), Vec::new());
    for path in changed {
        let is_markdown = path.extension().is_some_and(|e| e == "md");
        // The `index.md` of a folder item comes with the folder's other files.
        if !is_markdown || path.file_name().is_some_and(|name| name == "index.md") {
            return None;
        }
        match (index_of(last, path), path.exists()) {
            (Some(index), true) => edited.push((index, path)),
            (Some(index), false) => gone.push(index),
            (None, true) => new.push(path),
            (None, false) => return None,
        }
    }
    // Files added, removed or renamed (a file moved is one gone and one new), and
    // nothing else: their items taken out and added one by one.
    if !gone.is_empty() || !new.is_empty() {
        if !edited.is_empty() {
            return None;
        }
        if let ([index], [path]) = (&gone[..], &new[..]) {
            return replace_in_last(root, last, *index, path, theme);
        }
        // The last first: taking an entry out moves those after it.
        gone.sort_unstable_by(|a, b| b.cmp(a));
        gone.dedup();
        new.sort_unstable();
        new.dedup();
        let mut changed_files = 0;
        for index in gone {
            changed_files += remove_from_last(root, last, index, theme)?.1;
        }
        let mut loaded = Vec::new();
        for path in new {
            let (item, changed) = add_to_last(root, last, path, theme)?;
            loaded.extend(item);
            changed_files += changed;
        }
        return Some((loaded, changed_files));
    }
    edited.sort_unstable();
    edited.dedup();
    let mut loaded = Vec::new();
    // The edited entries whose face changed, and whether one's shape changed too.
    let (mut shown, mut regroup) = (Vec::new(), false);
    // Whether the actions of edited minutes changed: the action list is made from them
    // alone (and the order of the minutes, which these edits keep).
    let mut actions_edited = false;
    // The views of the register hold advice alone, and an edit keeps an entry's kind.
    let advice_edited =
        (edited.iter()).any(|&(i, _)| last.site.entries[i].item.kind == Kind::Advice);
    let register = advice_edited.then(|| render::AdviceGroups::of(&last.site));
    // The entries replaced so far, whose links may have changed.
    let mut replaced = Vec::with_capacity(edited.len());
    for &(index, path) in &edited {
        let kind = last.site.entries[index].item.kind;
        let (item, stamp) = content::load_file(root, &last.site.config, kind, path).ok()?;
        let body = last.site.render_body(&item.body);
        // The entry's headings count when a link names one (see `Site::looks`). The
        // edit leaves the other entries' links as they were (but for those edited with
        // it): while it leaves the headings too, whether those name one changes nothing
        // the looks compare, and need not be worked out.
        let headings_changed = body.headings != last.site.entries[index].body.headings;
        let named = headings_changed && last.site.named_by_others(index, &replaced);
        let before = last.site.looks(index, named);
        if let Some(stamp) = stamp {
            loaded.push((path.clone(), stamp, item.clone()));
        }
        let entry = &last.site.entries[index];
        actions_edited |= entry.item.actions() != item.actions();
        let was = (edited.len() == 1).then(|| (entry.item.clone(), entry.body.clone()));
        last.site.replace_body(index, item, body);
        replaced.push(index);
        let after = last.site.looks(index, named);
        if after.frame != before.frame {
            // An item that moves (its date changed, say) is taken out, as it was, and
            // added again.
            let (item, body) = was?;
            let entry = &mut last.site.entries[index];
            (entry.item, entry.body) = (item, body);
            return replace_in_last(root, last, index, path, theme);
        }
        regroup |= after.shape != before.shape;
        if after.face != before.face {
            shown.push(index);
        }
    }
    let changed: Vec<usize> = edited.iter().map(|(index, _)| *index).collect();
    let regrouped = match regroup {
        true => Some(last.site.regroup(&changed, actions_edited)?),
        false => None,
    };
    let actions = match &regrouped {
        Some(regrouped) => regrouped.actions,
        None => actions_edited && last.site.refresh_actions(),
    };
    // The views of the register are made again when what is in them changed.
    let register_now = advice_edited.then(|| render::AdviceGroups::of(&last.site));
    let edit = render::Edit {
        changed,
        shown,
        actions,
        regrouped,
        register: register != register_now,
        register_before: (register.iter())
            .flat_map(|r| r.paths(&last.site))
            .collect(),
        added: None,
        removed: None,
    };
    let changed_files = swap_in(last, theme, &edit)?;
    Some((loaded, changed_files))
}

/// Adds the item of `path`, a Markdown file new to the site, to `last`, with the files
/// it changes; returns it loaded and how many output files changed, or `None` when the
/// whole pipeline must add it (see [`Site::insert`], and [`new_item_kind`] for where).
fn add_to_last(
    root: &Path,
    last: &mut Last,
    path: &Path,
    theme: &Theme,
) -> Option<(Vec<Loaded>, usize)> {
    move_in_last(root, last, None, Some(path), theme)
}

/// Takes entry `index` out of `last` (its file is gone), with the files that changes;
/// returns how many output files changed, or `None` when the whole pipeline must take
/// it out (see [`Site::remove`]).
fn remove_from_last(
    root: &Path,
    last: &mut Last,
    index: usize,
    theme: &Theme,
) -> Option<(Vec<Loaded>, usize)> {
    move_in_last(root, last, Some(index), None, theme)
}

/// Takes entry `index` out of `last` and adds the item of the file at `path` (its own
/// file, renamed, or changed so that its item moves), with the files that changes;
/// returns the item loaded and how many output files changed, or `None` when the whole
/// pipeline must do it.
fn replace_in_last(
    root: &Path,
    last: &mut Last,
    index: usize,
    path: &Path,
    theme: &Theme,
) -> Option<(Vec<Loaded>, usize)> {
    move_in_last(root, last, Some(index), Some(path), theme)
}

/// Takes entry `removed` out of `last`, then adds the item of the new file at `added`,
/// and renders what that changes at once.
fn move_in_last(
    root: &Path,
    last: &mut Last,
    removed: Option<usize>,
    added: Option<&Path>,
    theme: &Theme,
) -> Option<(Vec<Loaded>, usize)> {
    let new = match added {
        Some(path) => {
            let kind = new_item_kind(root, path)?;
            let (item, stamp) = content::load_file(root, &last.site.config, kind, path).ok()?;
            let loaded = stamp.map(|stamp| (path.to_path_buf(), stamp, item.clone()));
            Some((item, loaded))
        }
        None => None,
    };
    // The views of the register change when an advice comes or goes, and hold nothing
    // else.
    let advice_moves = removed.is_some_and(|i| last.site.entries[i].item.kind == Kind::Advice)
        || new
            .as_ref()
            .is_some_and(|(item, _)| item.kind == Kind::Advice);
    let mut edit = render::Edit {
        changed: Vec::new(),
        shown: Vec::new(),
        actions: false,
        register: false,
        register_before: match advice_moves {
            true => render::AdviceGroups::of(&last.site).paths(&last.site),
            false => Vec::new(),
        },
        regrouped: None,
        added: None,
        removed: None,
    };
    if let Some(index) = removed {
        let (entry, regrouped) = last.site.remove(index)?;
        edit.register |= entry.item.kind == Kind::Advice;
        edit.regrouped = Some(regrouped);
        edit.removed = Some((index, entry));
    }
    let mut loaded = Vec::new();
    if let Some((item, stamp)) = new {
        edit.register |= item.kind == Kind::Advice;
        loaded.extend(stamp);
        let (index, regrouped) = last.site.insert(item)?;
        // A file beside the page where the last build has a file already: the whole
        // pipeline decides which wins.
        let entry = &last.site.entries[index];
        if render::assets(entry).any(|file| last.files.get(&file.path).is_some()) {
            return None;
        }
        // What taking the other entry out changed, with the indexes moved past this one.
        let past =
            |list: &mut Vec<usize>| list.iter_mut().for_each(|i| *i += usize::from(*i >= index));
        edit.regrouped = Some(match edit.regrouped.take() {
            None => regrouped,
            Some(mut before) => {
                past(&mut before.mentioned);
                past(&mut before.related);
                before.merge(regrouped);
                before
            }
        });
        (edit.changed, edit.shown, edit.added) = (vec![index], vec![index], Some(index));
    }
    edit.actions = edit.regrouped.as_ref().is_some_and(|r| r.actions);
    let changed_files = swap_in(last, theme, &edit)?;
    Some((loaded, changed_files))
}

/// The kind of the item that a new Markdown file at `path` (absolute, not an
/// `index.md`) is, when it is one by itself: in a kind's folder or a folder under it
/// that is not a folder item, no part of its path ignored or a symbolic link.
fn new_item_kind(root: &Path, path: &Path) -> Option<Kind> {
    let content = root.join("content");
    let parts: Vec<&str> = (path.strip_prefix(&content).ok()?.components())
        .map(|part| part.as_os_str().to_str())
        .collect::<Option<_>>()?;
    let (&kind_folder, [folders @ .., _file]) = parts.split_first()? else {
        return None;
    };
    let kind = Kind::from_folder(kind_folder)?;
    if parts.iter().any(|part| content::is_ignored(part)) {
        return None;
    }
    let mut folder = content.join(kind_folder);
    if folder.is_symlink() {
        return None;
    }
    for part in folders {
        folder.push(part);
        if folder.is_symlink() || folder.join("index.md").exists() {
            return None;
        }
    }
    (path.is_file() && !path.is_symlink()).then_some(kind)
}

/// Renders what `edit` changes into the files of `last`; returns how many files
/// changed, or `None` when a page could not be made (the whole pipeline reports why).
fn swap_in(last: &mut Last, theme: &Theme, edit: &render::Edit) -> Option<usize> {
    let made = render::patch(&last.site, theme, &mut last.kept, edit).ok()?;
    let mut changed_files = 0;
    let mut added = false;
    // Pages added: the count of pages is kept up to date instead of counted again.
    let mut new_pages = 0;
    for file in made.files {
        match last.files.get(&file.path) {
            Some(old) if same(&old.contents, &file.contents) => {}
            Some(_) => {
                last.files.put(file);
                changed_files += 1;
            }
            None => {
                new_pages += usize::from(render::is_page(&file.path));
                last.files.put(file);
                (changed_files, added) = (changed_files + 1, true);
            }
        }
    }
    // The pages of a list made again beyond its pages now are gone, and the files
    // the patch names. Found by path in the sorted files: a new item remakes hundreds of
    // lists, and the files number tens of thousands.
    let page_word = last.site.config.language.url_word(UrlWord::Page);
    let files = &last.files;
    let mut gone: Vec<&str> = (made.gone.iter())
        .filter(|path| files.get(path).is_some())
        .map(String::as_str)
        .collect();
    for (base, pages) in &made.lists {
        if *pages == 0 {
            gone.extend(files.get(&[base, "index.html"].concat()).map(|f| &*f.path));
        }
        let numbered = [base, page_word, "/"].concat();
        for file in files.from(&numbered) {
            let Some(rest) = file.path.strip_prefix(&numbered) else {
                break;
            };
            let number =
                (rest.strip_suffix("/index.html")).and_then(|number| number.parse::<usize>().ok());
            if number.is_some_and(|number| number > *pages) {
                gone.push(&file.path);
            }
        }
    }
    gone.sort_unstable();
    gone.dedup();
    let removed = gone.len();
    let gone: Vec<String> = gone.into_iter().map(str::to_string).collect();
    for path in &gone {
        last.files.remove(path);
    }
    let removed_pages = gone.iter().filter(|path| render::is_page(path)).count();
    if added || removed > 0 || edit.added.is_some() || edit.removed.is_some() {
        // The sitemap lists every page, with the dates of items; the counts of the
        // build change.
        let new_entry = edit.added.map(|at| &last.site.entries[at]);
        let taken_out = edit.removed.as_ref().map(|(_, entry)| entry);
        let sitemap = match &mut last.sitemap {
            Some(sitemap) => sitemap.update(&last.files, taken_out, new_entry),
            // Not readied before the edit (see `BuildCache::prepare_for_edits`).
            None => {
                let (sitemap, file) = render::LiveSitemap::new(&last.site, &last.files);
                last.sitemap = Some(sitemap);
                file
            }
        };
        // Every build has a sitemap: there is one to replace.
        last.files.put(sitemap)?;
        last.pages = last.pages + new_pages - removed_pages;
        debug_assert_eq!(
            last.pages,
            (last.files.iter())
                .filter(|f| render::is_page(&f.path))
                .count()
        );
        last.file_count = last.files.len();
        changed_files += removed + 1;
    }
    Some(changed_files)
}

/// Whether two rendered files hold the same bytes.
fn same(a: &Contents, b: &Contents) -> bool {
    match (a, b) {
        (Contents::Bytes(a), Contents::Bytes(b)) => a == b,
        (Contents::WithBody(a), Contents::WithBody(b)) => a == b,
        _ => false,
    }
}
