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

/// The files that change when the entries `changed` were edited and each kept its
/// [`Site::shape`]: their pages, open-data files and search data, and the home page
/// when it shows one of them whole as the next meeting. Of those in `shown`, the face
/// changed too (a title, a summary): every page that shows them is made again as well.
/// `kept` is what the render of the site before the edit kept; `quorum serve` swaps
/// these files into that render's.
pub fn patch(
    site: &Site,
    theme: &Theme,
    kept: &mut Kept,
    changed: &[usize],
    shown: &[usize],
) -> Result<Vec<OutputFile>, Diagnostic> {
    let Kept {
        templates,
        cards,
        search,
    } = kept;
    let mut views = Views::with_cards(site, &theme.strings, std::mem::take(cards));
    // Some pages show only the titles of entries.
    let mut retitled = Vec::new();
    for &i in shown {
        let title = views.card(i).title.clone();
        views.refresh_card(i);
        if views.card(i).title != title {
            retitled.push(i);
        }
    }
    let renderer = Renderer::new(site, &views, templates);
    let mut files = Vec::new();
    let mut made = || {
        for &i in changed {
            let body = site.body(i)?;
            files.push(renderer.item_page(i, &body)?);
            files.push(api::item_file(site, &views, i, None, &body));
            let doc = search::analyse(site, i, &body.text, None);
            files.extend(search.patch(&renderer, i, doc));
        }
        let next_meeting = renderer.next_meeting();
        if !shown.is_empty() || next_meeting.is_some_and(|meeting| changed.contains(&meeting)) {
            files.push(renderer.home()?);
        }
        if !shown.is_empty() {
            let others = showing(&renderer, changed, shown, &retitled);
            files.extend(others.into_iter().collect::<Result<Vec<_>, _>>()?);
        }
        Ok(())
    };
    let result = made();
    drop(renderer);
    *cards = views.into_cards();
    result.map(|()| files)
}

/// The pages and files besides their own and the home page that show the entries
/// `shown` (of which `retitled` changed title), made again: the pages of the entries
/// that list them as related or as mentioning them, the list pages and year page they
/// are on, the feeds, the meetings page; and where their titles show, the annual
/// reports of their year, the action list, the calendar, their old addresses and the
/// open-data list of their kind.
fn showing(
    renderer: &Renderer<'_>,
    changed: &[usize],
    shown: &[usize],
    retitled: &[usize],
) -> Vec<Result<OutputFile, Diagnostic>> {
    let site = renderer.site;
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
    let actions = (site.actions.iter()).any(|a| {
        retitled.contains(&a.raised_in) || a.closed_in.is_some_and(|i| retitled.contains(&i))
    });
    if actions {
        files.push(renderer.actions_page());
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
