//! The files of the last render that a change to a few entries changes, for `quorum
//! serve` to swap in: edits that leave the entries in their order, with their
//! addresses, and an entry added or taken out (see `build/patch.rs`).

use rayon::prelude::*;

use super::pages::Renderer;
use super::view::Views;
use super::{Kept, OutputFile, api, calendar, feeds, search};
use crate::content::{Details, Kind};
use crate::diagnostics::Diagnostic;
use crate::i18n::UrlWord;
use crate::site::{Entry, Regrouped, Site, section_word};
use crate::slug::slugify;
use crate::theme::Theme;

/// A change to a few entries: edits that kept their frame (see [`crate::site::Looks`]),
/// or an entry taken out and one added (see [`Site::remove`] and [`Site::insert`]).
#[derive(Debug)]
pub struct Edit {
    /// The entries edited.
    pub changed: Vec<usize>,
    /// Those of them whose face changed too (a title, a summary, a topic).
    pub shown: Vec<usize>,
    /// Whether the action list changed.
    pub actions: bool,
    /// What making the groups of the site again changed, when the shape of an entry
    /// changed (see [`Site::regroup`]).
    pub regrouped: Option<Regrouped>,
    /// Whether what is in the filtered views of the advice register changed (see
    /// [`super::AdviceGroups`]).
    pub register: bool,
    /// When it did, the paths of the views there were: those no advice is in any more
    /// are gone.
    pub register_before: Vec<String>,
    /// The entry among `changed` that is new to the site (see [`Site::insert`]): the
    /// lists it is in move on from it, and so do the documents of the search index.
    pub added: Option<usize>,
    /// The entry taken out of the site, with the index it had (see [`Site::remove`]):
    /// its files go, and the lists it was in move up from where it was.
    pub removed: Option<(usize, Entry)>,
}

impl Edit {
    /// What regrouping changed: nothing when the site was not regrouped.
    fn regrouped(&self) -> &Regrouped {
        static NOTHING: Regrouped = Regrouped {
            topics: Vec::new(),
            policy_areas: Vec::new(),
            mentioned: Vec::new(),
            related: Vec::new(),
            actions: false,
        };
        self.regrouped.as_ref().unwrap_or(&NOTHING)
    }
}

/// What an edit made again.
#[derive(Debug)]
pub struct Patched {
    pub files: Vec<OutputFile>,
    /// Each paginated list made again, by the path of its first page, with how many
    /// pages it has now (none: it is gone); its pages beyond those are gone.
    pub lists: Vec<(String, usize)>,
    /// Other files gone: those of an entry taken out, a year's page left empty.
    pub gone: Vec<String>,
}

/// The files that `edit` changes: the pages, open-data files and search data of the
/// entries edited, the home page when it shows one of them whole as the next meeting,
/// every page that shows one whose card or title changed, and the lists and pages that
/// regrouping changed; after an entry was added or taken out, also the lists it joined
/// or left from its place on, and the search index from its document on (see
/// [`search::LiveIndex::move_entries`]). `kept` is what the render of the site before
/// the change kept; `quorum serve` swaps these files into that render's.
pub fn patch(
    site: &Site,
    theme: &Theme,
    kept: &mut Kept,
    edit: &Edit,
) -> Result<Patched, Diagnostic> {
    let Kept {
        templates,
        cards,
        search,
    } = kept;
    let mut taken = std::mem::take(cards);
    if let Some((index, _)) = &edit.removed {
        taken.remove(*index);
    }
    let mut views = Views::with_cards(site, &theme.strings, taken, edit.added);
    // Most pages that show other entries show their cards; some only their titles.
    let (mut carded, mut retitled): (Vec<usize>, Vec<usize>) = (
        edit.added.into_iter().collect(),
        edit.added.into_iter().collect(),
    );
    for &i in edit.shown.iter().filter(|&&i| Some(i) != edit.added) {
        let (print, title) = (views.card(i).print(), views.card(i).title().to_string());
        views.refresh_card(i);
        if views.card(i).print() != print {
            carded.push(i);
        }
        if views.card(i).title() != title {
            retitled.push(i);
        }
    }
    let mut renderer = Renderer::new(site, &views, templates);
    // Only `quorum serve` patches its files.
    renderer.served = true;
    let shown = Shown {
        edit,
        carded,
        retitled,
    };
    let result = (|| {
        let mut files = Vec::new();
        let mut docs = Vec::new();
        for &i in &edit.changed {
            let body = site.body(i)?;
            files.push(renderer.item_page(i, &body)?);
            files.push(api::served_item_file(site, &views, i, None, &body));
            docs.push((i, search::analyse(site, i, &body.text, None)));
            if edit.added == Some(i) {
                files.extend(super::assets(&site.entries[i]));
            }
        }
        // A home page of the site's own may show the next meeting whole, with its
        // related items and those that mention it.
        let regrouped = edit.regrouped();
        let whole = renderer.next_meeting().is_some_and(|meeting| {
            edit.changed.contains(&meeting)
                || regrouped.related.contains(&meeting)
                || regrouped.mentioned.contains(&meeting)
        });
        if !shown.carded.is_empty() || whole || edit.removed.is_some() {
            files.push(renderer.home()?);
        }
        let mut gone = Vec::new();
        if let Some((_, entry)) = &edit.removed {
            gone.extend(super::own_files(entry));
        }
        // The search index on one thread, the other pages on the rest meanwhile: after
        // a new entry, both take a while.
        let ((indexed, chunks_gone), (others, lists, pages_gone)) = rayon::join(
            || -> (Made, Vec<String>) {
                let mut files = Vec::new();
                let mut added = None;
                for (i, doc) in docs {
                    match edit.added == Some(i) {
                        true => added = Some((i, doc)),
                        false => files.extend(search.patch(&renderer, i, doc).into_iter().map(Ok)),
                    }
                }
                let removed = edit.removed.as_ref().map(|(index, _)| *index);
                if removed.is_none() && added.is_none() {
                    return (files, Vec::new());
                }
                let (made, gone) = search.move_entries(&renderer, removed, added);
                files.extend(made);
                (files, gone)
            },
            || shown.pages(&renderer),
        );
        files.extend(indexed.into_iter().collect::<Result<Vec<_>, _>>()?);
        files.extend(others.into_iter().collect::<Result<Vec<_>, _>>()?);
        gone.extend(chunks_gone);
        gone.extend(pages_gone);
        // A file of an entry that moved may be made again where it was.
        gone.retain(|path| !files.iter().any(|file| *file.path == **path));
        Ok(Patched { files, lists, gone })
    })();
    drop(renderer);
    *cards = views.into_cards();
    result
}

/// Files made, or why one could not be.
type Made = Vec<Result<OutputFile, Diagnostic>>;

/// The first and the last page of a list (numbered from 0): every page.
const ALL_PAGES: (usize, usize) = (0, usize::MAX);

/// The paths of the plain lists (see [`Renderer::lists`]) that `entry` is in: of its
/// kind, its topics and its policy areas.
fn lists_of(site: &Site, entry: &Entry) -> Vec<String> {
    let item = &entry.item;
    let topics = site.section_path(UrlWord::Topics);
    let areas = site.section_path(UrlWord::PolicyAreas);
    (section_word(item.kind).map(|word| site.section_path(word)))
        .into_iter()
        .chain((item.topics.iter()).map(|name| format!("{topics}{}/", slugify(name))))
        .chain((item.policy_areas.iter()).map(|key| format!("{areas}{key}/")))
        .collect()
}

/// The pages of `list`, a plain list newest first, that moving entries changed (the
/// first and the last, numbered from 0), after entry `added` came into it and `gone`,
/// which it had, went out of it; `None` when neither did. Every page shows how many
/// pages there are: when that changed, all of them. Otherwise the entries between
/// where one came in and where the other went out moved by one place, and only those:
/// an item redated from the top of its list to a year ago changes a few pages of it,
/// not a hundred. Where `gone` was among entries of its own date is not known, so all
/// of those count.
fn moved_pages(
    site: &Site,
    list: &super::pages::List,
    added: Option<usize>,
    gone: Option<&Entry>,
) -> Option<(usize, usize)> {
    let per_page = list.per_page.max(1);
    let came = added.and_then(|added| list.items.iter().position(|&i| i == added));
    // Undated entries (free pages with a topic) come last, as `None` sorts first.
    let went = gone.map(|entry| {
        let others = (list.items.iter())
            .filter(|&&i| Some(i) != added)
            .map(|&i| site.entries[i].item.date);
        (
            others
                .clone()
                .filter(|&date| date > entry.item.date)
                .count(),
            others.filter(|&date| date >= entry.item.date).count(),
        )
    });
    let len = list.items.len();
    let before = len + usize::from(went.is_some()) - usize::from(came.is_some());
    let pages = |entries: usize| entries.div_ceil(per_page).max(1);
    match (came, went) {
        (None, None) => None,
        _ if pages(before) != pages(len) => Some(ALL_PAGES),
        (Some(came), Some((first, last))) => {
            Some((came.min(first) / per_page, came.max(last) / per_page))
        }
        (Some(at), None) | (None, Some((at, _))) => Some((at / per_page, usize::MAX)),
    }
}

/// Pages to make, side by side with others (see [`Shown::pages`]).
type Task<'r> = Box<dyn FnOnce() -> Made + Send + 'r>;

/// An edit, with the entries of it whose card and title changed.
struct Shown<'e> {
    edit: &'e Edit,
    carded: Vec<usize>,
    retitled: Vec<usize>,
}

impl Shown<'_> {
    /// The pages and files besides those of the entries edited and the home page that
    /// show what changed, made again, and the lists made again (see [`Patched`]):
    /// - where cards show: the pages of the entries that list them as related or as
    ///   mentioning them, the list pages and year page they are on, the feeds, the
    ///   meetings page;
    /// - where only titles show: the annual reports of their year, the action list,
    ///   the calendar, their old addresses and the open-data list of their kind;
    /// - after regrouping: the pages of the entries whose relations changed, the lists
    ///   of the topics and policy areas that changed with their overviews, the feeds,
    ///   and the advice register with the annual reports of the year when what is in
    ///   its views changed;
    /// - after an entry was added or taken out: the pages of every list it joined or
    ///   left from its place on (of a list it moved in, those between its two places;
    ///   see [`moved_pages`]), the years overview, and, for one taken out, what showed
    ///   it by kind and year; with the paths of the files gone (a year's page left
    ///   empty).
    fn pages(&self, renderer: &Renderer<'_>) -> (Made, Vec<(String, usize)>, Vec<String>) {
        let site = renderer.site;
        let (edit, carded, retitled) = (self.edit, &self.carded, &self.retitled);
        // An edit to the text alone (a title is on the card too).
        if carded.is_empty() && edit.regrouped.is_none() && !edit.actions && !edit.register {
            return (Vec::new(), Vec::new(), Vec::new());
        }
        let removed = edit.removed.as_ref().map(|(_, entry)| entry);
        let mut gone = Vec::new();
        let changed = &edit.changed;
        let regrouped = edit.regrouped();
        let year_of = |i: &usize| site.entries[*i].year();
        let is_kind =
            |list: &[usize], kind| list.iter().any(|&i| site.entries[i].item.kind == kind);
        let mut report_years: Vec<i32> = retitled.iter().filter_map(year_of).collect();
        report_years.extend(removed.and_then(|entry| entry.year()));
        if edit.register {
            let advice = changed.iter().filter(|&&i| is_kind(&[i], Kind::Advice));
            report_years.extend(advice.filter_map(year_of));
        }
        let is_shown = |list: &[usize]| list.iter().any(|i| carded.contains(i));
        let pages_showing: Vec<usize> = (0..site.entries.len())
            .filter(|j| !changed.contains(j))
            .filter(|&j| {
                let report = matches!(&site.entries[j].item.details,
                    Details::AnnualReport(report) if report_years.contains(&report.year));
                is_shown(&site.mentioned_in[j])
                    || is_shown(&site.related[j])
                    || report
                    || regrouped.related.contains(&j)
                    || regrouped.mentioned.contains(&j)
            })
            .collect();
        let mut files: Made = pages_showing
            .par_iter()
            .map(|&j| site.body(j).and_then(|body| renderer.item_page(j, &body)))
            .collect();
        for &j in regrouped.mentioned.iter().filter(|j| !changed.contains(j)) {
            let file = site
                .body(j)
                .map(|body| api::served_item_file(site, renderer.views, j, None, &body));
            files.push(file);
        }

        // Lists that regrouping changed are made again whole: their pages may be more
        // or fewer than before.
        let topics = site.section_path(UrlWord::Topics);
        let areas = site.section_path(UrlWord::PolicyAreas);
        let mut wanted: Vec<String> = (regrouped.topics.iter())
            .map(|slug| format!("{topics}{slug}/"))
            .chain(
                regrouped
                    .policy_areas
                    .iter()
                    .map(|key| format!("{areas}{key}/")),
            )
            .collect();
        // The plain lists an entry taken out was in: each moves up from where it was.
        let left = removed.map_or_else(Vec::new, |entry| lists_of(site, entry));
        let mut lists = renderer.lists();
        // Those before are not the register's, whose every page counts every view.
        let plain = lists.len();
        if edit.register {
            let register = renderer.advice_lists();
            wanted.extend(register.iter().map(|list| list.base.clone()));
            wanted.extend(edit.register_before.iter().cloned());
            wanted.sort_unstable();
            wanted.dedup();
            lists.extend(register);
        } else if carded.iter().any(|&i| is_kind(&[i], Kind::Advice)) {
            // The register's pages show advice alone.
            lists.extend(renderer.advice_lists());
        }
        let mut made: Vec<(String, usize)> = Vec::new();
        let mut list_pages = Vec::new();
        for (n, list) in lists.into_iter().enumerate() {
            let base = list.base.clone();
            let moved = match n < plain {
                true => {
                    let gone = removed.filter(|_| left.contains(&base));
                    // A topic is named as the first item with it spells it: taking that
                    // item out may rename it on every page.
                    let renamed = gone.is_some_and(|entry| {
                        (entry.item.topics.iter()).any(|name| {
                            *name != list.title && base == format!("{topics}{}/", slugify(name))
                        })
                    });
                    match renamed {
                        true => Some(ALL_PAGES),
                        false => moved_pages(site, &list, edit.added, gone),
                    }
                }
                // Every page of the register counts every view.
                false => (edit.added)
                    .filter(|added| list.items.contains(added))
                    .map(|_| ALL_PAGES),
            };
            let whole = moved == Some(ALL_PAGES) || (moved.is_none() && wanted.contains(&base));
            let pages = list.pages();
            if whole || moved.is_some() {
                made.push((base, pages.len()));
            }
            let in_moved =
                |number| moved.is_some_and(|(first, last)| (first..=last).contains(&number));
            list_pages.extend(
                (pages.into_iter().enumerate())
                    .filter(|&(number, ref page)| {
                        whole || in_moved(number) || page.shows_any(carded)
                    })
                    .map(|(_, page)| page),
            );
        }
        // A topic no item has any more.
        for base in wanted {
            if !made.iter().any(|(made, _)| *made == base) {
                made.push((base, 0));
            }
        }
        // The list pages and the other pages below are made side by side: after a new
        // entry, each of these takes milliseconds, and the search index is being
        // patched on another thread.
        let mut tasks: Vec<Task<'_>> = Vec::new();
        for page in &list_pages {
            tasks.push(Box::new(move || vec![page.run(renderer)]));
        }
        if !regrouped.topics.is_empty() {
            tasks.push(Box::new(|| vec![renderer.topics()]));
        }
        if edit.added.is_some() || removed.is_some() {
            tasks.push(Box::new(|| vec![renderer.years()]));
        }
        if !regrouped.policy_areas.is_empty() {
            tasks.push(Box::new(|| vec![renderer.policy_areas()]));
        }

        let mut years: Vec<i32> = carded.iter().filter_map(year_of).collect();
        if let Some(year) = removed.and_then(|entry| entry.year()) {
            match site.years.contains_key(&year) {
                true => years.push(year),
                false => gone.push(format!(
                    "{}{year}/index.html",
                    site.section_path(UrlWord::Year)
                )),
            }
        }
        years.sort_unstable();
        years.dedup();
        for year in years {
            tasks.push(Box::new(move || vec![renderer.year(year)]));
        }
        if !carded.is_empty() || edit.regrouped.is_some() {
            // The feeds that show an entry edited, or whose list changed: an entry added
            // or taken out may move any of them. An edit to an item deep in the archive
            // changes none.
            let moved = edit.added.is_some() || edit.removed.is_some();
            let wanted = move |area: Option<&str>, newest: &[usize]| {
                moved
                    || newest
                        .iter()
                        .any(|i| changed.contains(i) || carded.contains(i))
                    || area.is_some_and(|key| regrouped.policy_areas.iter().any(|k| k == key))
            };
            tasks.push(Box::new(move || feeds::some(site, renderer.views, wanted)));
        }
        let meeting_gone = removed.is_some_and(|e| e.item.kind == Kind::Meeting);
        if is_kind(carded, Kind::Meeting) || meeting_gone {
            tasks.push(Box::new(|| vec![renderer.meetings_page()]));
        }
        if is_kind(retitled, Kind::Meeting) || meeting_gone {
            tasks.push(Box::new(|| {
                vec![Ok(calendar::agenda(site, renderer.views))]
            }));
        }
        let actions = (site.actions.iter()).any(|a| {
            retitled.contains(&a.raised_in) || a.closed_in.is_some_and(|i| retitled.contains(&i))
        });
        if edit.actions || actions {
            tasks.push(Box::new(|| vec![renderer.actions_page()]));
        }
        for &i in retitled {
            tasks.push(Box::new(move || renderer.aliases_of(i)));
        }
        let kind_gone = removed.map(|e| e.item.kind);
        for kind in Kind::ALL
            .into_iter()
            .filter(|&kind| is_kind(retitled, kind) || kind_gone == Some(kind))
        {
            tasks.push(Box::new(move || vec![Ok(api::list(site, kind))]));
        }
        files.par_extend(tasks.into_par_iter().flat_map_iter(|task| task()));
        (files, made, gone)
    }
}
