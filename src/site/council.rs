//! What a council site knows beyond single items: the state of every advice, the action
//! list carried from meeting to meeting, and which items mention or relate to each other.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use ahash::AHashMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use smallvec::SmallVec;

use super::Entry;
use crate::content::{Details, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Where an advice stands, with the number of days that tells how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdviceStatus {
    /// The municipality responded after `days` days.
    Answered { days: i64 },
    /// Sent `days` ago, still within the response term.
    Awaiting { days: i64 },
    /// Sent `days` ago, past the response term without a response.
    Overdue { days: i64 },
}

impl AdviceStatus {
    /// A stable identifier for URLs, CSS and open data.
    pub fn id(self) -> &'static str {
        match self {
            AdviceStatus::Answered { .. } => "answered",
            AdviceStatus::Awaiting { .. } => "awaiting",
            AdviceStatus::Overdue { .. } => "overdue",
        }
    }

    /// Every status, in the order the register shows them.
    pub const IDS: [&'static str; 3] = ["awaiting", "overdue", "answered"];
}

/// The status of the advice in `entry`, or `None` for other kinds.
pub fn advice_status(entry: &Entry, today: NaiveDate, term_days: u32) -> Option<AdviceStatus> {
    let Details::Advice(advice) = &entry.item.details else {
        return None;
    };
    let sent = entry.item.date?;
    Some(match &advice.response {
        Some(response) => AdviceStatus::Answered {
            days: (response.date - sent).num_days(),
        },
        None => {
            let days = (today - sent).num_days().max(0);
            if days > i64::from(term_days) {
                AdviceStatus::Overdue { days }
            } else {
                AdviceStatus::Awaiting { days }
            }
        }
    })
}

/// One action of the action list, followed across the minutes that mention it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub id: String,
    /// As written in the latest minutes that mention it.
    pub what: String,
    pub who: Option<String>,
    pub due: Option<NaiveDate>,
    /// The minutes (entry index) where the action first appears.
    pub raised_in: usize,
    /// The minutes where it is marked done, if it is.
    pub closed_in: Option<usize>,
}

/// Follows every action id through the minutes, oldest first: the first minutes raise
/// it, the latest decide what it says and whether it is done. Open actions come first,
/// by due date.
pub fn action_list(entries: &[Entry], minutes: &[usize]) -> Vec<ActionRecord> {
    let mut by_id: BTreeMap<&str, ActionRecord> = BTreeMap::new();
    for &i in minutes.iter().rev() {
        let Details::Minutes(m) = &entries[i].item.details else {
            continue;
        };
        for action in &m.actions {
            let record = by_id.entry(&action.id).or_insert_with(|| ActionRecord {
                id: action.id.clone(),
                what: String::new(),
                who: None,
                due: None,
                raised_in: i,
                closed_in: None,
            });
            record.what = action.what.clone();
            record.who = action.who.clone().or(record.who.take());
            record.due = action.due.or(record.due);
            record.closed_in = action.done.then_some(i);
        }
    }
    let mut list: Vec<ActionRecord> = by_id.into_values().collect();
    list.sort_by(|a, b| {
        let key = |r: &ActionRecord| (r.closed_in.is_some(), r.due.is_none(), r.due);
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    list
}

/// How many related items an item page shows.
const RELATED: usize = 4;
/// How far to look around an item in each topic or area list, newest first: related
/// items close in time are the useful ones, and a bounded window keeps this linear.
pub const WINDOW: usize = 40;

/// For each entry: the entries whose text links to it ("mentioned in"), newest first.
pub fn mentioned_in(entries: &[Entry], by_source: &AHashMap<String, usize>) -> Vec<Vec<usize>> {
    let mut mentioned_in: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    for (i, entry) in entries.iter().enumerate() {
        for link in &entry.body.links {
            if let Some(&target) = by_source.get(&link.target)
                && target != i
                && !mentioned_in[target].contains(&i)
            {
                mentioned_in[target].push(i);
            }
        }
    }
    for list in &mut mentioned_in {
        list.sort_by(|&a, &b| {
            entries[b]
                .item
                .date
                .cmp(&entries[a].item.date)
                .then(a.cmp(&b))
        });
    }
    mentioned_in
}

/// For each entry of `which` (distinct entries): a few entries that share a topic or
/// policy area (`lists`) with it, most shared first, then most recent. Only the entries
/// at most [`WINDOW`] places from an entry in one of its lists count, so an entry added
/// to or removed from a list changes the related entries of those near it alone.
pub fn related(entries: &[Entry], lists: &[&[usize]], which: &[usize]) -> Vec<Vec<usize>> {
    // The places in the lists of the entries of `which` alone: after an edit in `serve`
    // those are a few dozen, and a list of places for every entry of the site was a
    // quarter of taking an entry out (10,000 items: 1.2 of 4.6 ms).
    const NOT_ASKED: usize = usize::MAX;
    let mut asked = vec![NOT_ASKED; entries.len()];
    for (n, &i) in which.iter().enumerate() {
        debug_assert_eq!(asked[i], NOT_ASKED, "entry {i} asked for twice");
        asked[i] = n;
    }
    let mut positions: Vec<Vec<(usize, usize)>> = vec![Vec::new(); which.len()];
    for (l, list) in lists.iter().enumerate() {
        for (p, &i) in list.iter().enumerate() {
            if let Some(places) = positions.get_mut(asked[i]) {
                places.push((l, p));
            }
        }
    }
    // The dates side by side: ranking reads the date of some 250 candidates per entry,
    // and reading each from its entry missed the cache every time.
    let dates: Vec<Option<NaiveDate>> = entries.iter().map(|e| e.item.date).collect();
    // One counter per entry, reset after each use through the list of those touched:
    // a hash map per entry made this the slowest step of large builds. Each thread of
    // the pool has its own counters.
    (which.par_iter().zip(&positions))
        .map_init(
            || (vec![0u32; entries.len()], Vec::new()),
            |(shared, touched), (&i, places)| {
                for &(l, p) in places {
                    let list = lists[l];
                    let window = &list[p.saturating_sub(WINDOW)..(p + WINDOW + 1).min(list.len())];
                    for &other in window.iter().filter(|&&o| o != i) {
                        if shared[other] == 0 {
                            touched.push(other);
                        }
                        shared[other] += 1;
                    }
                }
                let candidates = touched
                    .drain(..)
                    .map(|o| (o, std::mem::take(&mut shared[o])));
                best(candidates, &dates)
            },
        )
        .collect()
}

/// The [`RELATED`] best of `candidates` (entries with how many lists they share), best
/// first: most shared, then most recent (`dates`), then first in the site. In one
/// pass, keeping the best so far: most candidates share fewer lists than the last of
/// those and are turned away without reading their date (selecting among all of them
/// read dates over and over: 0.8% more of a build's instructions).
fn best(candidates: impl Iterator<Item = (usize, u32)>, dates: &[Option<NaiveDate>]) -> Vec<usize> {
    type Rank = (Reverse<u32>, Reverse<Option<NaiveDate>>, usize);
    let mut kept: SmallVec<[Rank; RELATED + 1]> = SmallVec::new();
    for (o, count) in candidates {
        let full = kept.len() == RELATED;
        if full && kept[RELATED - 1].0 < Reverse(count) {
            continue;
        }
        let rank = (Reverse(count), Reverse(dates[o]), o);
        if full && kept[RELATED - 1] < rank {
            continue;
        }
        let at = kept.partition_point(|k| *k < rank);
        kept.insert(at, rank);
        kept.truncate(RELATED);
    }
    kept.iter().map(|&(_, _, o)| o).collect()
}

/// Two meetings on one date must have start times, or a calendar cannot tell them apart.
pub fn check_meeting_dates(entries: &[Entry], meetings: &[usize], diagnostics: &mut Diagnostics) {
    let mut by_date: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for &i in meetings {
        if let Some(date) = entries[i].item.date {
            by_date.entry(date).or_default().push(i);
        }
    }
    for (date, same_day) in by_date.into_iter().filter(|(_, v)| v.len() > 1) {
        for &i in &same_day {
            let untimed =
                matches!(&entries[i].item.details, Details::Meeting(m) if m.start.is_none());
            if untimed && entries[i].item.kind == Kind::Meeting {
                diagnostics.push(
                    Diagnostic::error(&entries[i].item.source, format!("{} meetings on {date}, and this one has no start time", same_day.len()))
                        .hint("add `start = \"19:30\"` (and `end`) so the meetings of that day can be told apart"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Days;
    use proptest::collection::vec;
    use proptest::option;
    use proptest::prelude::{Just, Strategy, prop_assert_eq};

    use super::*;

    proptest::proptest! {
        #[test]
        fn the_best_kept_in_one_pass_are_the_best_of_all_sorted(
            order in Just((0..40).collect::<Vec<usize>>()).prop_shuffle(),
            taken in 0usize..=40,
            counts in vec(1u32..4, 40),
            days in vec(option::of(0u64..6), 40),
        ) {
            let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            let dates: Vec<_> = days.iter().map(|d| d.map(|d| start + Days::new(d))).collect();
            // Candidates in the order the lists meet them.
            let candidates: Vec<(usize, u32)> = order[..taken].iter().map(|&o| (o, counts[o])).collect();
            let mut all = candidates.clone();
            all.sort_by_key(|&(o, count)| (Reverse(count), Reverse(dates[o]), o));
            let expected: Vec<usize> = all.iter().take(RELATED).map(|&(o, _)| o).collect();
            prop_assert_eq!(best(candidates.into_iter(), &dates), expected);
        }
    }

    #[test]
    fn status_ids_are_stable() {
        assert_eq!(AdviceStatus::Overdue { days: 50 }.id(), "overdue");
        assert_eq!(AdviceStatus::IDS.len(), 3);
    }
}
