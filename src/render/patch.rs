//! The files of the last render that an edit to a few entries changes, for `quorum
//! serve` to swap in when the edit leaves every list, link and grouping of the site as
//! it was (see `build/patch.rs`).

use rayon::prelude::*;

use super::pages::{self, Renderer};
use super::view::Views;
use super::{Kept, OutputFile, api, calendar, feeds, search};
use crate::content::{Details, Kind};
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::theme::Theme;

/// An edit to a few entries that kept their [`Site::shape`].
#[derive(Debug)]
pub struct Edit {
    /// The entries edited.
    pub changed: Vec<usize>,
    /// Those of them whose [`Site::face`] changed too (a title, a summary).
    pub shown: Vec<usize>,
    /// Whether the action list changed (see [`Site::refresh_actions`]).
    pub actions: bool,
}

/// The files that `edit` changes: the pages, open-data files and search data of the
/// entries edited, the home page when it shows one of them whole as the next meeting,
/// and every page that shows one whose card or title changed. `kept` is what the render
/// of the site before the edit kept; `quorum serve` swaps these files into that
/// render's.
pub fn patch(
    site: &Site,
    theme: &Theme,
    kept: &mut Kept,
    edit: &Edit,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let Kept {
        templates,
        cards,
        search,
    } = kept;
    let mut views = Views::with_cards(site, &theme.strings, std::mem::take(cards));
    // Most pages that show other entries show their cards; some only their titles.
    let (mut carded, mut retitled) = (Vec::new(), Vec::new());
    for &i in &edit.shown {
        let (print, title) = (views.card(i).print(), views.card(i).title.clone());
        views.refresh_card(i);
        if views.card(i).print() != print {
            carded.push(i);
        }
        if views.card(i).title != title {
            retitled.push(i);
        }
    }
    let renderer = Renderer::new(site, &views, templates);
    let mut files = Vec::new();
    let mut made = || {
        for &i in &edit.changed {
            let body = site.body(i)?;
            files.push(renderer.item_page(i, &body)?);
            files.push(api::item_file(site, &views, i, None, &body));
            let doc = search::analyse(site, i, &body.text, None);
            files.extend(search.patch(&renderer, i, doc));
        }
        let next_meeting = renderer.next_meeting();
        let whole = next_meeting.is_some_and(|meeting| edit.changed.contains(&meeting));
        if !carded.is_empty() || whole {
            files.push(renderer.home()?);
        }
        let actions = (site.actions.iter()).any(|a| {
            retitled.contains(&a.raised_in) || a.closed_in.is_some_and(|i| retitled.contains(&i))
        });
        if edit.actions || actions {
            files.push(renderer.actions_page()?);
        }
        let others = showing(&renderer, &edit.changed, &carded, &retitled);
        files.extend(others.into_iter().collect::<Result<Vec<_>, _>>()?);
        Ok(())
    };
    let result = made();
    drop(renderer);
    *cards = views.into_cards();
    result.map(|()| files)
}

/// The pages and files besides their own, the home page and the action list that show
/// the entries `shown` (their cards) or `retitled` (their titles), made again: the
/// pages of the entries that list them as related or as mentioning them, the list pages
/// and year page they are on, the feeds, the meetings page; and where only titles show,
/// the annual reports of their year, the calendar, their old addresses and the
/// open-data list of their kind.
fn showing(
    renderer: &Renderer<'_>,
    changed: &[usize],
    shown: &[usize],
    retitled: &[usize],
) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = renderer.site;
    // A title is on the card too.
    if shown.is_empty() {
        return Vec::new();
    }
    let year_of = |i: &usize| site.entries[*i].year();
    let report_years: Vec<i32> = retitled.iter().filter_map(year_of).collect();
    let is_shown = |list: &[usize]| list.iter().any(|i| shown.contains(i));
    let pages_showing: Vec<usize> = (0..site.entries.len())
        .filter(|j| !changed.contains(j))
        .filter(|&j| {
            let report = matches!(&site.entries[j].item.details,
                Details::AnnualReport(report) if report_years.contains(&report.year));
            is_shown(&site.mentioned_in[j]) || is_shown(&site.related[j]) || report
        })
        .collect();
    let mut files: Vec<Result<OutputFile, Diagnostic>> = pages_showing
        .par_iter()
        .map(|&j| site.body(j).and_then(|body| renderer.item_page(j, &body)))
        .collect();

    let lists = renderer.lists().into_iter().chain(renderer.advice_lists());
    let list_pages: Vec<pages::ListPage> = lists
        .flat_map(pages::List::pages)
        .filter(|page| page.shows_any(shown))
        .collect();
    files.par_extend(list_pages.par_iter().map(|page| page.run(renderer)));

    let mut years: Vec<i32> = shown.iter().filter_map(year_of).collect();
    years.sort_unstable();
    years.dedup();
    files.extend(years.into_iter().map(|year| renderer.year(year)));
    files.extend(feeds::all(site, renderer.views));
    let is_kind = |list: &[usize], kind| list.iter().any(|&i| site.entries[i].item.kind == kind);
    if is_kind(shown, Kind::Meeting) {
        files.push(renderer.meetings_page());
    }
    if is_kind(retitled, Kind::Meeting) {
        files.push(Ok(calendar::agenda(site, renderer.views)));
    }
    for &i in retitled {
        files.extend(renderer.aliases_of(i));
    }
    for kind in Kind::ALL
        .into_iter()
        .filter(|&kind| is_kind(retitled, kind))
    {
        files.push(Ok(api::list(site, kind)));
    }
    files
}
