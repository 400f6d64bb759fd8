//! The link stage: gives every item its URL, renders its Markdown with links resolved,
//! checks links, anchors and URL clashes, and builds the indexes lists are made from.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use ahash::AHashMap;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Advice, Details, Item, Kind, Minutes, MinutesStatus};
use crate::diagnostics::{Diagnostic, Diagnostics, nearest};
use crate::fingerprint::{self, Fingerprint};
use crate::i18n::UrlWord;
use crate::markdown::{self, Rendered, Whole};
use crate::slug::slugify;

pub mod council;
pub use council::{ActionRecord, AdviceStatus};

/// An item with its place on the site and its rendered body.
#[derive(Debug)]
pub struct Entry {
    pub item: Item,
    /// Output path of the page, relative to the site root, e.g. `verslagen/2021-12-14/`.
    pub path: String,
    /// Shared with the Markdown cache of `quorum serve`. In a one-off build only its
    /// outline: headings, links and first paragraph, without the HTML and the text
    /// (see [`Site::body`]).
    pub body: Arc<Rendered>,
}

/// Rendered Markdown of an earlier build, reused while the body and the targets of its
/// `@/` links are unchanged. Valid for one configuration (labels, `unsafe_html`): the
/// caller empties it when `quorum.toml` changes.
#[derive(Debug, Default)]
pub struct MarkdownCache {
    bodies: AHashMap<Fingerprint, CachedBody>,
}

#[derive(Debug)]
struct CachedBody {
    /// Each `@/` target of the body and the URL it resolved to.
    targets: Vec<(String, Option<String>)>,
    rendered: Arc<Rendered>,
}

impl Entry {
    /// The year the item belongs to: the report year for annual reports, else its date's.
    pub fn year(&self) -> Option<i32> {
        match &self.item.details {
            Details::AnnualReport(report) => Some(report.year),
            _ => self.item.date.map(|d| d.year()),
        }
    }
}

/// A free tag and the items that carry it.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub name: String,
    pub items: Vec<usize>,
}

/// Everything known about the site before rendering: entries and the indexes over them.
#[derive(Debug)]
pub struct Site {
    /// The site folder, holding `quorum.toml`.
    pub root: PathBuf,
    pub config: Config,
    /// Sorted by kind, then newest first; indexes below point into this list.
    pub entries: Vec<Entry>,
    pub by_kind: BTreeMap<Kind, Vec<usize>>,
    pub years: BTreeMap<i32, Vec<usize>>,
    /// By topic slug.
    pub topics: BTreeMap<String, Topic>,
    /// By policy area key; every configured area is present, even when empty.
    pub policy_areas: BTreeMap<String, Vec<usize>>,
    /// The day the site is built for: what is upcoming or overdue depends on it.
    pub today: NaiveDate,
    /// Every action of the action list, open ones first.
    pub actions: Vec<ActionRecord>,
    /// Per entry: the entries that link to it.
    pub mentioned_in: Vec<Vec<usize>>,
    /// Per entry: a few entries that share topics or policy areas with it.
    pub related: Vec<Vec<usize>>,
    /// The minutes of each meeting date.
    pub minutes_by_date: HashMap<NaiveDate, usize>,
    /// The (first) meeting of each date.
    pub meetings_by_date: HashMap<NaiveDate, usize>,
    /// Each way an item can be named in an `@/` link, with the item's entry.
    pub by_source: AHashMap<String, usize>,
    /// How each entry's whole body is had (see [`Site::body`]).
    bodies: Bodies,
}

/// How much of the HTML and text of the bodies a one-off build holds from linking to
/// writing (10,000 items of the benchmark's size: about 170 MB). The rest is rendered
/// a second time when its page is written. At 100,000 items (1.7 GB of bodies), 640 MiB
/// holds 38% of them: the build took 0.4 s less than with 192 MiB and peaked 120 MiB
/// higher (1.3 GiB), as bodies are let go while pages are written; 1 GiB took 0.3 s
/// less again but peaked at 1.7 GiB.
const HELD_BODIES_BYTES: usize = 640 << 20;

/// How the whole bodies of a site's entries are had.
#[derive(Debug)]
enum Bodies {
    /// Kept since linking (`quorum serve`).
    Kept,
    /// Held since linking in `held`, for the first to ask, while they fit in
    /// [`HELD_BODIES_BYTES`]; otherwise (and once taken) read again from each source file
    /// and rendered with `options` (see [`reread_body`]).
    Reread(Box<Reread>),
}

/// See [`Bodies::Reread`].
#[derive(Debug)]
struct Reread {
    held: Vec<Mutex<Option<Whole>>>,
    options: markdown::MarkdownOptions,
}

/// `render` of the Markdown of `item`'s body, read again from its file (the body is the
/// rest of it). A file changed since it was loaded is an error: what it holds now was
/// not checked, and `item` no longer matches it.
fn reread_body<T>(
    root: &std::path::Path,
    item: &Item,
    render: impl FnOnce(&str) -> T,
) -> Result<T, Diagnostic> {
    let bytes = crate::content::reread(&root.join(&item.source), item.source_len).ok();
    let body = (bytes.as_deref())
        .and_then(|bytes| bytes.get(item.body_start..))
        .and_then(|body| std::str::from_utf8(body).ok());
    match body.filter(|body| fingerprint::of_text(body) == item.body_print) {
        Some(body) => Ok(render(body)),
        None => Err(Diagnostic::error(
            &item.source,
            "the file changed while the site was being built",
        )
        .hint("build again once the file is saved")),
    }
}

/// Gives `list`, one element per entry, room for a few more entries when it has little:
/// a sixty-fourth of its length and some. Only so much, not the double that growing
/// one at a time would allocate.
pub fn make_room<T>(list: &mut Vec<T>) {
    let room = 64 + list.len() / 64;
    if list.capacity() - list.len() < room / 2 {
        list.reserve_exact(room);
    }
}

/// Which of the bodies of `sizes` a one-off build holds within `room` bytes: each in
/// turn that still fits.
fn held_within(sizes: impl Iterator<Item = usize>, mut room: usize) -> Vec<bool> {
    sizes
        .map(|size| {
            let left = room.checked_sub(size);
            room = left.unwrap_or(room);
            left.is_some()
        })
        .collect()
}

/// What a site makes of its entries besides the entries themselves: lists, the action
/// list, relations and lookups (see [`Site`] for each).
#[derive(Debug, PartialEq)]
struct Groups {
    by_kind: BTreeMap<Kind, Vec<usize>>,
    years: BTreeMap<i32, Vec<usize>>,
    topics: BTreeMap<String, Topic>,
    policy_areas: BTreeMap<String, Vec<usize>>,
    actions: Vec<ActionRecord>,
    mentioned_in: Vec<Vec<usize>>,
    related: Vec<Vec<usize>>,
    minutes_by_date: HashMap<NaiveDate, usize>,
    meetings_by_date: HashMap<NaiveDate, usize>,
}

impl Groups {
    /// The groups of `entries`, sorted by kind then newest first.
    fn of(config: &Config, entries: &[Entry], by_source: &AHashMap<String, usize>) -> Groups {
        let mut groups = Groups::without_related(config, entries, by_source);
        let all: Vec<usize> = (0..entries.len()).collect();
        groups.related = council::related(entries, &groups.lists(), &all);
        groups
    }

    /// The topic and policy-area lists, in which entries are related.
    fn lists(&self) -> Vec<&[usize]> {
        (self.topics.values())
            .map(|t| t.items.as_slice())
            .chain(self.policy_areas.values().map(Vec::as_slice))
            .collect()
    }

    /// [`Groups::of`] with the related entries left out: they take the longest.
    fn without_related(
        config: &Config,
        entries: &[Entry],
        by_source: &AHashMap<String, usize>,
    ) -> Groups {
        // Which entries link to which, beside the rest.
        let (mentioned_in, (by_kind, years, topics, policy_areas)) = rayon::join(
            || council::mentioned_in(entries, by_source),
            || {
                let mut by_kind: BTreeMap<Kind, Vec<usize>> = BTreeMap::new();
                let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
                let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
                let mut policy_areas: BTreeMap<String, Vec<usize>> = config
                    .policy_areas
                    .keys()
                    .map(|k| (k.clone(), Vec::new()))
                    .collect();
                // A site has a few dozen topics on thousands of items: each name is
                // made a slug once.
                let mut slugs: AHashMap<&str, String> = AHashMap::new();
                // Entries are sorted by kind then newest first, so every list below is too.
                for (i, entry) in entries.iter().enumerate() {
                    by_kind.entry(entry.item.kind).or_default().push(i);
                    if let Some(year) = entry.year() {
                        years.entry(year).or_default().push(i);
                    }
                    for name in &entry.item.topics {
                        let slug = slugs.entry(name).or_insert_with(|| slugify(name));
                        let topic = match topics.get_mut(slug.as_str()) {
                            Some(topic) => topic,
                            None => topics.entry(slug.clone()).or_insert_with(|| Topic {
                                name: name.clone(),
                                items: Vec::new(),
                            }),
                        };
                        topic.items.push(i);
                    }
                    for area in &entry.item.policy_areas {
                        policy_areas.entry(area.clone()).or_default().push(i);
                    }
                }
                let newest_first = |list: &mut Vec<usize>| {
                    list.sort_by(|&a, &b| {
                        (entries[b].item.date, &entries[a].item.source)
                            .cmp(&(entries[a].item.date, &entries[b].item.source))
                    })
                };
                years.values_mut().for_each(newest_first);
                topics.values_mut().for_each(|t| newest_first(&mut t.items));
                policy_areas.values_mut().for_each(newest_first);
                (by_kind, years, topics, policy_areas)
            },
        );
        let minutes = by_kind.get(&Kind::Minutes).map_or(&[][..], Vec::as_slice);
        let actions = council::action_list(entries, minutes);
        let by_date = |kind| -> HashMap<NaiveDate, usize> {
            let list = by_kind.get(&kind).map_or(&[][..], Vec::as_slice);
            list.iter()
                .rev()
                .filter_map(|&i| entries[i].item.date.map(|d| (d, i)))
                .collect()
        };
        let minutes_by_date = by_date(Kind::Minutes);
        let meetings_by_date = by_date(Kind::Meeting);
        Groups {
            by_kind,
            years,
            topics,
            policy_areas,
            actions,
            mentioned_in,
            related: Vec::new(),
            minutes_by_date,
            meetings_by_date,
        }
    }
}

/// An entry as other pages may show or check it, at three depths, as text to compare
/// (see [`Site::looks`]). An edit that leaves
/// - the face unchanged changes only the entry's own page, open-data file and search
///   data;
/// - the shape unchanged keeps every list, link and grouping of the site as it was, so
///   only the pages that show the entry change too (see `render::patch`);
/// - the frame unchanged keeps the entries in their order, with their addresses, and
///   [`Site::regroup`] finds what else changed.
#[derive(Debug)]
pub struct Looks {
    /// Everything of the entry that anything but its own page, open-data file and
    /// search data may show or check: the item without its body and what only those
    /// three show (see `outward`), and of the body its first paragraph, `@/` links
    /// and level-1 headings, and its headings when an `@/` link names one of them.
    pub face: String,
    /// The face without what only shows on the pages that show the entry, and decides
    /// nothing else (see `off_cards`): its title when it is dated, summary and first
    /// paragraph, the status and actions of minutes, and an advice's addressee and
    /// reference.
    pub shape: String,
    /// The shape without what puts the entry in groups or relates it to others, which
    /// [`Site::regroup`] finds again: its topics, policy areas, `@/` links, and an
    /// advice's response (which decides its status).
    pub frame: String,
}

/// What making the groups of a site again changed (see [`Site::regroup`]).
#[derive(Debug)]
pub struct Regrouped {
    /// The topics (slugs) whose list changed, made or emptied.
    pub topics: Vec<String>,
    /// The policy areas whose list changed.
    pub policy_areas: Vec<String>,
    /// The entries whose "mentioned in" list changed (and, after [`Site::insert`],
    /// those whose page shows the new entry as the meeting or minutes of their date).
    pub mentioned: Vec<usize>,
    /// The entries whose related items changed.
    pub related: Vec<usize>,
    /// Whether the action list changed.
    pub actions: bool,
}

impl Regrouped {
    /// What this and `other`, a regrouping after it, changed together.
    pub fn merge(&mut self, other: Regrouped) {
        fn union<T: Ord>(list: &mut Vec<T>, more: Vec<T>) {
            list.extend(more);
            list.sort_unstable();
            list.dedup();
        }
        union(&mut self.topics, other.topics);
        union(&mut self.policy_areas, other.policy_areas);
        union(&mut self.mentioned, other.mentioned);
        union(&mut self.related, other.related);
        self.actions |= other.actions;
    }
}

impl Site {
    /// Links loaded items into a site. Returns the site and its warnings, or all errors;
    /// links to `failed` sources (files that did not load) are not reported again.
    pub fn link(
        root: PathBuf,
        config: Config,
        items: Vec<Item>,
        failed: &[PathBuf],
        today: NaiveDate,
        cache: Option<&mut MarkdownCache>,
    ) -> Result<(Site, Diagnostics), Diagnostics> {
        Site::link_holding(root, config, items, failed, today, cache, HELD_BODIES_BYTES)
    }

    /// [`Site::link`], a one-off build holding at most `held_bytes` of bodies.
    fn link_holding(
        root: PathBuf,
        config: Config,
        items: Vec<Item>,
        failed: &[PathBuf],
        today: NaiveDate,
        cache: Option<&mut MarkdownCache>,
        held_bytes: usize,
    ) -> Result<(Site, Diagnostics), Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let paths: Vec<String> = items
            .par_iter()
            .map(|item| item_path(&config, item))
            .collect();
        // Two single-threaded steps, side by side.
        let (clashes, by_source) = rayon::join(
            || {
                let mut clashes = Diagnostics::new();
                check_clashes(&config, items.iter().zip(&paths), &mut clashes);
                clashes
            },
            || -> AHashMap<String, usize> {
                (items.iter().enumerate())
                    .flat_map(|(i, item)| content_keys(item).into_iter().map(move |key| (key, i)))
                    .collect()
            },
        );
        diagnostics.extend(clashes);

        let base = config.base_path().to_string();
        let resolve = |target: &str| {
            by_source
                .get(target)
                .map(|&i| format!("{base}/{}", paths[i]))
        };
        let options = markdown_options(&config);
        let render = |body: &str| Arc::new(markdown::render(body, &resolve, &options));
        // `quorum serve` keeps each body whole, to reuse in the next rebuild, and releases
        // the Markdown source. A one-off build renders each body whole once, and holds
        // its HTML and text apart from its outline until its page is written, up to
        // `HELD_BODIES_BYTES`. Past that it keeps only the outline, and reads and
        // renders the body again when its page is written: holding the HTML and text of
        // every body would take memory in proportion to the site (100,000 items: 1.7 GB),
        // and the sources are in the system's file cache anyway.
        let mut items = items;
        let mut sources = Bodies::Kept;
        let bodies: Vec<Arc<Rendered>> = match cache {
            None => {
                // Which to render whole is chosen up front by an estimate (the HTML and
                // text of prose come to twice its Markdown); the bytes really held are
                // counted as well, so that tables and the like cannot overrun the budget.
                let hold = held_within(items.iter().map(|item| 2 * item.body.len()), held_bytes);
                let taken = AtomicUsize::new(0);
                let (bodies, held) = items
                    .par_iter_mut()
                    .zip(hold)
                    .map(|(item, hold)| {
                        let (outline, held) = if hold {
                            let mut rendered = markdown::render(&item.body, &resolve, &options);
                            let whole = rendered.split_off_whole();
                            let fits = taken.fetch_add(whole.bytes(), Ordering::Relaxed)
                                + whole.bytes()
                                <= held_bytes;
                            if !fits {
                                taken.fetch_sub(whole.bytes(), Ordering::Relaxed);
                            }
                            (rendered, fits.then_some(whole))
                        } else {
                            (markdown::outline(&item.body, &resolve, &options), None)
                        };
                        item.body = Arc::from("");
                        (Arc::new(outline), Mutex::new(held))
                    })
                    .unzip();
                sources = Bodies::Reread(Box::new(Reread {
                    held,
                    options: options.clone(),
                }));
                bodies
            }
            Some(cache) => {
                // An item from the item cache comes without its body's text (see
                // `Item::without_body`): it is read again only if the body must be
                // rendered again, as one of its links now leads elsewhere.
                let rendered: Vec<(Fingerprint, Result<Arc<Rendered>, Diagnostic>)> = items
                    .par_iter_mut()
                    .map(|item| {
                        let held = item.holds_body();
                        let body = std::mem::take(&mut item.body);
                        let key = item.body_print;
                        let hit = cache.bodies.get(&key).filter(|hit| {
                            hit.targets
                                .iter()
                                .all(|(target, url)| resolve(target) == *url)
                        });
                        let rendered = match hit {
                            Some(hit) => Ok(hit.rendered.clone()),
                            None if held => Ok(render(&body)),
                            None => reread_body(&root, item, render),
                        };
                        (key, rendered)
                    })
                    .collect();
                // A body that could not be read is left out of the cache, and the
                // error fails the build.
                let mut bodies = Vec::with_capacity(rendered.len());
                let mut fresh = Vec::with_capacity(rendered.len());
                for (key, body) in rendered {
                    match body {
                        Ok(body) => {
                            fresh.push((key, body.clone()));
                            bodies.push(body);
                        }
                        Err(changed) => {
                            diagnostics.push(changed);
                            bodies.push(Arc::default());
                        }
                    }
                }
                cache.bodies = fresh
                    .par_iter()
                    .map(|(key, body)| {
                        let targets = body
                            .links
                            .iter()
                            .map(|link| (link.target.clone(), resolve(&link.target)))
                            .collect();
                        let cached = CachedBody {
                            targets,
                            rendered: body.clone(),
                        };
                        (*key, cached)
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .collect();
                bodies
            }
        };

        let entries: Vec<Entry> = items
            .into_iter()
            .zip(paths)
            .zip(bodies)
            .map(|((item, path), body)| Entry { item, path, body })
            .collect();
        let failed: std::collections::HashSet<String> =
            failed.iter().flat_map(|path| source_keys(path)).collect();
        // Checking links and grouping the entries, side by side.
        let (broken, groups) = rayon::join(
            || {
                let mut broken = Diagnostics::new();
                check_links(&entries, entries.iter(), &by_source, &failed, &mut broken);
                broken
            },
            || Groups::of(&config, &entries, &by_source),
        );
        diagnostics.extend(broken);
        let site = Site::index(root, config, entries, groups, by_source, sources, today);
        council::check_meeting_dates(&site.entries, site.of_kind(Kind::Meeting), &mut diagnostics);
        diagnostics.sort();
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok((site, diagnostics))
    }

    fn index(
        root: PathBuf,
        config: Config,
        entries: Vec<Entry>,
        groups: Groups,
        by_source: AHashMap<String, usize>,
        bodies: Bodies,
        today: NaiveDate,
    ) -> Site {
        let Groups {
            by_kind,
            years,
            topics,
            policy_areas,
            actions,
            mentioned_in,
            related,
            minutes_by_date,
            meetings_by_date,
        } = groups;
        Site {
            root,
            config,
            entries,
            by_kind,
            years,
            topics,
            policy_areas,
            today,
            actions,
            mentioned_in,
            related,
            minutes_by_date,
            meetings_by_date,
            by_source,
            bodies,
        }
    }

    /// The whole rendered body of an entry: kept or held since linking, or read again
    /// from its file and rendered. A body held by a one-off build is handed out once,
    /// to its page, and read again after that. A file changed since it was loaded is
    /// an error: its page would not match what was checked.
    pub fn body(&self, index: usize) -> Result<Arc<Rendered>, Diagnostic> {
        let entry = &self.entries[index];
        let Bodies::Reread(reread) = &self.bodies else {
            return Ok(entry.body.clone());
        };
        let held = (reread.held[index].lock())
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(whole) = held {
            return Ok(Arc::new(entry.body.joined(whole)));
        }
        let render = |body: &str| Arc::new(self.render_with(body, &reread.options));
        reread_body(&self.root, &entry.item, render)
    }

    /// Renders `markdown` as the body of an entry of this site, its `@/` links resolved.
    pub fn render_body(&self, markdown: &str) -> Rendered {
        self.render_with(markdown, &markdown_options(&self.config))
    }

    fn render_with(&self, markdown: &str, options: &markdown::MarkdownOptions) -> Rendered {
        let resolve =
            |target: &str| (self.by_source.get(target)).map(|&i| self.href(&self.entries[i].path));
        markdown::render(markdown, &resolve, options)
    }

    /// Entry `index` as other pages may show or check it, at three depths, to compare
    /// before and after an edit (see `build/patch.rs`). `named_by_others` tells whether
    /// an `@/` link of another entry names one of its headings (see
    /// [`Site::named_by_others`]).
    pub fn looks(&self, index: usize, named_by_others: bool) -> Looks {
        let entry = &self.entries[index];
        let body = &entry.body;
        // Its headings count when an `@/` link names one of them.
        let named = named_by_others || self.names_headings_of(entry, index);
        let headings = if named { &body.headings[..] } else { &[] };
        // The warnings about level-1 headings give their lines in the file.
        let h1_line = if body.h1_places.is_empty() {
            0
        } else {
            entry.item.body_line
        };
        let describe = |item: &Item, first_paragraph: Option<&String>, links: &[_]| {
            format!(
                "{item:?}\n{}\n{first_paragraph:?}\n{links:?}\n{:?} {h1_line}\n{headings:?}",
                entry.path, body.h1_places
            )
        };
        let item = outward(&entry.item);
        let face = describe(&item, Some(&body.first_paragraph), &body.links);
        let mut item = off_cards(item);
        let shape = describe(&item, None, &body.links);
        (item.topics, item.policy_areas) = (Vec::new(), Vec::new());
        if let Details::Advice(advice) = &mut item.details {
            advice.response = None;
        }
        let frame = describe(&item, None, &[]);
        Looks { face, shape, frame }
    }

    /// Whether an `@/` link of an entry other than `index` names one of the headings
    /// of entry `index`. Only the entries that link to it can: those of its "mentioned
    /// in" list, and of `changed`, whose links may have changed since that list was
    /// made. Looking through every entry's links took 7–15 ms of a text edit at 100,000
    /// items.
    pub fn named_by_others(&self, index: usize, changed: &[usize]) -> bool {
        let named = (self.mentioned_in[index].iter().chain(changed))
            .any(|&i| i != index && self.names_headings_of(&self.entries[i], index));
        debug_assert_eq!(
            named,
            (self.entries.iter().enumerate())
                .any(|(i, other)| i != index && self.names_headings_of(other, index)),
            "entry {index}: the entries that link to it are not those that may name its headings"
        );
        named
    }

    /// Whether an `@/` link of `entry` names one of the headings of entry `index`.
    fn names_headings_of(&self, entry: &Entry, index: usize) -> bool {
        (entry.body.links.iter())
            .any(|link| link.anchor.is_some() && self.by_source.get(&link.target) == Some(&index))
    }

    /// Makes the groups, action list and relations of the site again after an edit to
    /// some entries that kept their frame (see [`Looks`]), and tells what changed; `None`
    /// when a link of an entry of `edited` does not resolve (the whole pipeline reports
    /// it). The action list is made again only when `actions_edited`: the edit changed
    /// the actions of minutes.
    pub fn regroup(&mut self, edited: &[usize], actions_edited: bool) -> Option<Regrouped> {
        let mut errors = Diagnostics::new();
        let linking = edited.iter().map(|&i| &self.entries[i]);
        check_links(
            &self.entries,
            linking,
            &self.by_source,
            &Default::default(),
            &mut errors,
        );
        if !errors.is_empty() {
            return None;
        }
        let (groups, mentioned) = self.groups_edited(edited, actions_edited);
        debug_assert_eq!(
            groups,
            Groups::without_related(&self.config, &self.entries, &self.by_source)
        );
        Some(self.take_groups(edited, groups, mentioned))
    }

    /// The groups of the site (see [`Groups::without_related`]) after an edit to the
    /// entries `edited` that kept their frame, from those it had: each edited entry
    /// taken out of the topic, policy-area and "mentioned in" lists, and put in its place
    /// in those it belongs to now. The frame holds all that orders the entries by kind,
    /// year and date, so those lists stay as they were. Making every group anew instead
    /// reads every entry of the site, scattered in memory: it was a third of a `serve`
    /// rebuild after a topic was added (10 of 30 ms, 10,000 items).
    ///
    /// Also returns the entries whose "mentioned in" list it may have changed: those
    /// an edited entry was taken out of or put in.
    fn groups_edited(&self, edited: &[usize], actions_edited: bool) -> (Groups, Vec<usize>) {
        let entries = &self.entries;
        let take_out = |list: &mut Vec<usize>| list.retain(|i| !edited.contains(i));

        let mut topics = self.topics.clone();
        topics.values_mut().for_each(|t| take_out(&mut t.items));
        let mut policy_areas = self.policy_areas.clone();
        policy_areas.values_mut().for_each(take_out);
        let mut mentioned_in = self.mentioned_in.clone();
        let mut mentioned = Vec::new();
        for (i, list) in mentioned_in.iter_mut().enumerate() {
            let len = list.len();
            take_out(list);
            if list.len() != len {
                mentioned.push(i);
            }
        }
        for &at in edited {
            let entry = &entries[at];
            for name in &entry.item.topics {
                let topic = topics.entry(slugify(name)).or_insert_with(|| Topic {
                    name: name.clone(),
                    items: Vec::new(),
                });
                self.put_newest_first(&mut topic.items, at);
            }
            for area in &entry.item.policy_areas {
                self.put_newest_first(policy_areas.entry(area.clone()).or_default(), at);
            }
            self.put_mentions(&mut mentioned_in, at);
            mentioned.extend(self.link_targets(at));
        }
        topics.retain(|_, topic| !topic.items.is_empty());
        // A topic is named as the first entry with it spells it; an edit may have added
        // or taken away that entry.
        for (slug, topic) in &mut topics {
            let first = topic.items.iter().min().map(|&i| &entries[i].item.topics);
            if let Some(name) = (first.into_iter().flatten()).find(|name| slugify(name) == *slug) {
                topic.name.clone_from(name);
            }
        }
        // Every policy area of the configuration has a list, empty or not; others only
        // while an entry names them.
        policy_areas
            .retain(|key, list| !list.is_empty() || self.config.policy_areas.contains_key(key));
        let groups = Groups {
            by_kind: self.by_kind.clone(),
            years: self.years.clone(),
            topics,
            policy_areas,
            actions: match actions_edited {
                true => council::action_list(entries, self.of_kind(Kind::Minutes)),
                false => self.actions.clone(),
            },
            mentioned_in,
            related: Vec::new(),
            minutes_by_date: self.minutes_by_date.clone(),
            meetings_by_date: self.meetings_by_date.clone(),
        };
        (groups, mentioned)
    }

    /// Takes entry `at`, whose file is gone, out of the site; every index after it moves
    /// down by one. Returns the entry and what regrouping the site changed (see
    /// [`Site::regroup`]); the entries whose own page showed it as the meeting or
    /// minutes of their date are among those `mentioned`.
    ///
    /// `None`, with the site unchanged, when the whole pipeline must take it out: a free
    /// page (menus and footers on every page show those), or an entry others link to
    /// (their links are errors now).
    pub fn remove(&mut self, at: usize) -> Option<(Entry, Regrouped)> {
        let kind = self.entries[at].item.kind;
        if kind == Kind::Page || !self.mentioned_in[at].is_empty() || !self.keeps_bodies() {
            return None;
        }
        // Entry `at` becomes `GONE` in the lists of the site as it was, so that those
        // lists differ from the lists without it.
        const GONE: usize = usize::MAX;
        self.mentioned_in.remove(at);
        self.related.remove(at);
        self.by_source.retain(|_, i| *i != at);
        self.renumber(|i| match i.cmp(&at) {
            std::cmp::Ordering::Less => i,
            std::cmp::Ordering::Equal => GONE,
            std::cmp::Ordering::Greater => i - 1,
        });
        let entry = self.entries.remove(at);

        let keep = |list: &Vec<usize>| -> Vec<usize> {
            list.iter().copied().filter(|&i| i != GONE).collect()
        };
        let by_kind: BTreeMap<Kind, Vec<usize>> = (self.by_kind.iter())
            .map(|(kind, list)| (*kind, keep(list)))
            .filter(|(_, list)| !list.is_empty())
            .collect();
        let years = (self.years.iter())
            .map(|(year, list)| (*year, keep(list)))
            .filter(|(_, list)| !list.is_empty())
            .collect();
        let topics = (self.topics.iter())
            .map(|(slug, topic)| {
                let items = keep(&topic.items);
                // A topic is named as the first entry with it spells it.
                let first = items.iter().min().map(|&i| &self.entries[i].item.topics);
                let name = (first.into_iter().flatten())
                    .find(|name| slugify(name) == *slug)
                    .unwrap_or(&topic.name);
                let topic = Topic {
                    name: name.clone(),
                    items,
                };
                (slug.clone(), topic)
            })
            .filter(|(_, topic)| !topic.items.is_empty())
            .collect();
        let by_date = |kind: Kind, old: &HashMap<NaiveDate, usize>| {
            let mut map = old.clone();
            if entry.item.kind == kind
                && let Some(date) = entry.item.date
                && map.get(&date) == Some(&GONE)
            {
                let of_kind = by_kind.get(&kind).map_or(&[][..], Vec::as_slice);
                match (of_kind.iter()).find(|&&i| self.entries[i].item.date == Some(date)) {
                    Some(&i) => map.insert(date, i),
                    None => map.remove(&date),
                };
            }
            map
        };
        let groups = Groups {
            minutes_by_date: by_date(Kind::Minutes, &self.minutes_by_date),
            meetings_by_date: by_date(Kind::Meeting, &self.meetings_by_date),
            actions: match kind {
                Kind::Minutes => council::action_list(
                    &self.entries,
                    by_kind.get(&Kind::Minutes).map_or(&[], Vec::as_slice),
                ),
                _ => self.actions.clone(),
            },
            by_kind,
            years,
            topics,
            policy_areas: (self.policy_areas.iter())
                .map(|(key, list)| (key.clone(), keep(list)))
                .collect(),
            mentioned_in: self.mentioned_in.iter().map(keep).collect(),
            related: Vec::new(),
        };
        debug_assert_eq!(
            groups,
            Groups::without_related(&self.config, &self.entries, &self.by_source)
        );
        // The lists that named it.
        let mentioned = (0..self.entries.len())
            .filter(|&i| self.mentioned_in[i].contains(&GONE))
            .collect();
        let dated = self.dated(entry.item.date, &groups, None);
        Some((
            entry,
            self.take_moved_groups(GONE, groups, mentioned, dated),
        ))
    }

    /// Makes `groups` the site's after entry `moved` came in or went out (then the
    /// number it had in the old lists, see [`Site::remove`]), with their order by kind,
    /// year and date as well, which
    /// [`Site::take_groups`] leaves alone; the entries `dated` (see [`Site::dated`])
    /// are among those mentioned, and `mentioned` holds every entry whose "mentioned
    /// in" list may have changed.
    fn take_moved_groups(
        &mut self,
        moved: usize,
        groups: Groups,
        mentioned: Vec<usize>,
        dated: Vec<usize>,
    ) -> Regrouped {
        (self.by_kind, self.years) = (groups.by_kind.clone(), groups.years.clone());
        (self.minutes_by_date, self.meetings_by_date) = (
            groups.minutes_by_date.clone(),
            groups.meetings_by_date.clone(),
        );
        let mut regrouped = self.take_groups(&[moved], groups, mentioned);
        regrouped.mentioned.extend(dated);
        regrouped.mentioned.sort_unstable();
        regrouped.mentioned.dedup();
        regrouped
    }

    /// Gives every entry index held besides the entries themselves its number `new(i)`:
    /// in the groups, the action list, the relations and the link keys.
    fn renumber(&mut self, new: impl Fn(usize) -> usize) {
        let one = |i: &mut usize| *i = new(*i);
        let all = |list: &mut Vec<usize>| list.iter_mut().for_each(one);
        self.by_kind.values_mut().for_each(all);
        self.years.values_mut().for_each(all);
        self.topics.values_mut().for_each(|t| all(&mut t.items));
        self.policy_areas.values_mut().for_each(all);
        for action in &mut self.actions {
            one(&mut action.raised_in);
            action.closed_in.as_mut().map(one);
        }
        self.mentioned_in.iter_mut().for_each(all);
        self.related.iter_mut().for_each(all);
        self.minutes_by_date.values_mut().for_each(one);
        self.meetings_by_date.values_mut().for_each(one);
        self.by_source.values_mut().for_each(one);
    }

    /// The entries whose own page shows the meeting or minutes of `date`, when those
    /// differ between the site and `groups`: the pages of the meeting and minutes of a
    /// date link to each other, and minutes to the minutes of the meeting that approved
    /// them. `except`: an entry left out.
    fn dated(&self, date: Option<NaiveDate>, groups: &Groups, except: Option<usize>) -> Vec<usize> {
        let mut dated = Vec::new();
        let took = |old: &HashMap<NaiveDate, usize>, new: &HashMap<NaiveDate, usize>| {
            date.is_some_and(|d| old.get(&d) != new.get(&d))
        };
        if took(&self.minutes_by_date, &groups.minutes_by_date) {
            for (i, other) in self.entries.iter().enumerate() {
                let shows = match &other.item.details {
                    Details::Meeting(_) => other.item.date == date,
                    Details::Minutes(Minutes {
                        status: MinutesStatus::Approved { on },
                        ..
                    }) => *on == date,
                    _ => false,
                };
                dated.extend((shows && Some(i) != except).then_some(i));
            }
        }
        if took(&self.meetings_by_date, &groups.meetings_by_date) {
            let minutes = groups
                .by_kind
                .get(&Kind::Minutes)
                .map_or(&[][..], Vec::as_slice);
            let on_date = |i: &&usize| Some(**i) != except && self.entries[**i].item.date == date;
            dated.extend(minutes.iter().filter(on_date));
        }
        dated
    }

    /// The groups of the site (see [`Groups::without_related`]) now that entry `at` came
    /// new to it, from those it had, which already point past it: the new entry put in
    /// its place in each list it belongs to. `None` when a topic of it is spelled
    /// differently from the same topic of others (which spelling wins depends on the
    /// order).
    ///
    /// Also returns the entries whose "mentioned in" list it changed: those the entry
    /// links to.
    fn groups_with(&self, at: usize) -> Option<(Groups, Vec<usize>)> {
        let entries = &self.entries;
        let entry = &entries[at];
        let item = &entry.item;
        let newest_first = |list: &mut Vec<usize>| self.put_newest_first(list, at);
        let mut by_kind = self.by_kind.clone();
        let of_kind = by_kind.entry(item.kind).or_default();
        of_kind.insert(of_kind.partition_point(|&i| i < at), at);
        let mut years = self.years.clone();
        if let Some(year) = entry.year() {
            newest_first(years.entry(year).or_default());
        }
        let mut topics = self.topics.clone();
        for name in &item.topics {
            let topic = topics.entry(slugify(name)).or_insert_with(|| Topic {
                name: name.clone(),
                items: Vec::new(),
            });
            if topic.name != *name {
                return None;
            }
            newest_first(&mut topic.items);
        }
        let mut policy_areas = self.policy_areas.clone();
        for area in &item.policy_areas {
            newest_first(policy_areas.entry(area.clone()).or_default());
        }
        let actions = match item.kind {
            Kind::Minutes => council::action_list(entries, &by_kind[&Kind::Minutes]),
            _ => self.actions.clone(),
        };
        let mut mentioned_in = self.mentioned_in.clone();
        self.put_mentions(&mut mentioned_in, at);
        let mentioned = self.link_targets(at).collect();
        let (mut minutes_by_date, mut meetings_by_date) =
            (self.minutes_by_date.clone(), self.meetings_by_date.clone());
        let by_date = match item.kind {
            Kind::Minutes => Some(&mut minutes_by_date),
            Kind::Meeting => Some(&mut meetings_by_date),
            _ => None,
        };
        if let (Some(by_date), Some(date)) = (by_date, item.date) {
            let first = by_date.entry(date).or_insert(at);
            *first = (*first).min(at);
        }
        let groups = Groups {
            by_kind,
            years,
            topics,
            policy_areas,
            actions,
            mentioned_in,
            related: Vec::new(),
            minutes_by_date,
            meetings_by_date,
        };
        Some((groups, mentioned))
    }

    /// Puts entry `at` in its place in `list`, a list sorted newest first (see `Groups`).
    fn put_newest_first(&self, list: &mut Vec<usize>, at: usize) {
        let key = |i: usize| {
            let item = &self.entries[i].item;
            (std::cmp::Reverse(item.date), &item.source)
        };
        list.insert(list.partition_point(|&i| key(i) < key(at)), at);
    }

    /// The entries that entry `at` links to (those whose "mentioned in" list it is in,
    /// see [`Site::put_mentions`]), some perhaps more than once.
    fn link_targets(&self, at: usize) -> impl Iterator<Item = usize> + '_ {
        (self.entries[at].body.links.iter())
            .filter_map(|link| self.by_source.get(&link.target).copied())
    }

    /// Puts entry `at` in its place in the "mentioned in" list of each entry it links
    /// to (see `council::mentioned_in`), once, where it is not yet.
    fn put_mentions(&self, mentioned_in: &mut [Vec<usize>], at: usize) {
        let key = |i: usize| (std::cmp::Reverse(self.entries[i].item.date), i);
        for link in &self.entries[at].body.links {
            if let Some(&target) = self.by_source.get(&link.target)
                && target != at
                && !mentioned_in[target].contains(&at)
            {
                let list = &mut mentioned_in[target];
                list.insert(list.partition_point(|&i| key(i) < key(at)), at);
            }
        }
    }

    /// Takes the topics, policy areas, action list and "mentioned in" lists of `groups`,
    /// made for the entries as they are now after a change to the entries `edited`, and
    /// finds the related entries again near where those came into or left a list; tells
    /// what changed. `mentioned` holds every entry whose "mentioned in" list may
    /// differ: only those are compared (comparing every list was 5 ms at 100,000
    /// items).
    fn take_groups(
        &mut self,
        edited: &[usize],
        groups: Groups,
        mentioned: Vec<usize>,
    ) -> Regrouped {
        let keys = |a: &BTreeMap<String, Topic>, b: &BTreeMap<String, Topic>| {
            let mut keys: Vec<String> = (a.keys().chain(b.keys()))
                .filter(|key| a.get(*key) != b.get(*key))
                .cloned()
                .collect();
            keys.sort_unstable();
            keys.dedup();
            keys
        };
        let topics = keys(&self.topics, &groups.topics);
        let policy_areas: Vec<String> = (self.policy_areas.keys())
            .filter(|key| self.policy_areas.get(*key) != groups.policy_areas.get(*key))
            .cloned()
            .collect();
        // Related entries change only near where an entry came into or left a list: an
        // entry's related ones are found at most `WINDOW` places from it each way, and
        // beyond that the list only shifted.
        let mut near: Vec<usize> = edited.to_vec();
        fn items<'t>(topics: &'t BTreeMap<String, Topic>, slug: &str) -> Option<&'t [usize]> {
            topics.get(slug).map(|t| t.items.as_slice())
        }
        let changed_lists = (topics.iter())
            .flat_map(|slug| [items(&self.topics, slug), items(&groups.topics, slug)])
            .chain(policy_areas.iter().flat_map(|key| {
                [self.policy_areas.get(key), groups.policy_areas.get(key)]
                    .map(|l| l.map(Vec::as_slice))
            }))
            .flatten();
        for list in changed_lists {
            for at in (0..list.len()).filter(|at| edited.contains(&list[*at])) {
                let reach = council::WINDOW;
                near.extend_from_slice(
                    &list[at.saturating_sub(reach)..(at + reach + 1).min(list.len())],
                );
            }
        }
        // An entry that is gone (see `Site::remove`) was related only to entries within
        // `WINDOW` places of it in a list it was in: those lists changed, so those
        // entries are near.
        let count = self.entries.len();
        near.retain(|&i| i < count);
        near.sort_unstable();
        near.dedup();
        let related_now = council::related(&self.entries, &groups.lists(), &near);
        let mut related = Vec::new();
        for (i, now) in near.into_iter().zip(related_now) {
            if self.related[i] != now {
                self.related[i] = now;
                related.push(i);
            }
        }
        debug_assert!(
            (self.related.iter()).all(|r| r.iter().all(|&i| i < count)),
            "an entry is still related to one that is gone"
        );
        let differs = |&i: &usize| self.mentioned_in[i] != groups.mentioned_in[i];
        let mut mentioned = mentioned;
        mentioned.sort_unstable();
        mentioned.dedup();
        mentioned.retain(differs);
        debug_assert_eq!(
            mentioned,
            (0..self.entries.len()).filter(differs).collect::<Vec<_>>()
        );
        let regrouped = Regrouped {
            topics,
            policy_areas,
            mentioned,
            related,
            actions: self.actions != groups.actions,
        };
        (self.topics, self.policy_areas, self.actions) =
            (groups.topics, groups.policy_areas, groups.actions);
        self.mentioned_in = groups.mentioned_in;
        regrouped
    }

    /// Adds an entry for `item`, an item of a file new to the site (its body still
    /// Markdown), in its place in the order of the entries; every index of the site after
    /// that place moves up by one. Returns the new entry's index and what regrouping the
    /// site changed (see [`Site::regroup`]); the entries whose own page shows the
    /// meeting or minutes of the new entry's date are among those `mentioned`.
    ///
    /// `None`, with the site left unusable, when the whole pipeline must add it: a free
    /// page (menus and footers on every page show those), a draft, an item with a URL,
    /// alias or place in the order another has, with a link that does not resolve, a
    /// level-1 heading (a warning to report), or a meeting on a day another has without
    /// start times.
    pub fn insert(&mut self, item: Item) -> Option<(usize, Regrouped)> {
        if item.kind == Kind::Page || item.draft || !self.keeps_bodies() {
            return None;
        }
        let path = item_path(&self.config, &item);
        // Its URL and old addresses must be free (see `check_clashes`). Looked for
        // without a set of every address: made for each new file, that took 10 ms at
        // 100,000 items.
        let claimed: Vec<String> = item.aliases.iter().map(|a| alias_key(a)).collect();
        let clashes = |taken: &str| taken == path || claimed.iter().any(|key| key == taken);
        let taken_by = |e: &Entry| {
            clashes(&e.path) || (e.item.aliases.iter()).any(|alias| clashes(&alias_key(alias)))
        };
        if (reserved_paths(self.config.language).iter()).any(|p| clashes(p))
            || self.entries.iter().any(taken_by)
        {
            return None;
        }
        let mut errors = Diagnostics::new();
        // The order `content::load` sorts items in.
        let order = |item: &Item| (item.kind, std::cmp::Reverse(item.date), item.slug.clone());
        let key = order(&item);
        let at = self.entries.partition_point(|e| order(&e.item) < key);
        if self.entries.get(at).is_some_and(|e| order(&e.item) == key) {
            return None;
        }
        let keys = content_keys(&item);
        if keys.iter().any(|key| self.by_source.contains_key(key)) {
            return None;
        }

        self.renumber(|i| i + usize::from(i >= at));
        self.mentioned_in.insert(at, Vec::new());
        self.related.insert(at, Vec::new());
        self.by_source.extend(keys.into_iter().map(|key| (key, at)));
        let markdown = item.body.clone();
        let entry = Entry {
            item: Item {
                body: Arc::from(""),
                ..item
            },
            path,
            body: Arc::default(),
        };
        self.entries.insert(at, entry);
        // Rendered in place, so that a link to itself resolves.
        self.entries[at].body = Arc::new(self.render_body(&markdown));

        let entry = &self.entries[at];
        check_links(
            &self.entries,
            std::iter::once(entry),
            &self.by_source,
            &Default::default(),
            &mut errors,
        );
        let (groups, mentioned) = self.groups_with(at)?;
        debug_assert_eq!(
            groups,
            Groups::without_related(&self.config, &self.entries, &self.by_source)
        );
        council::check_meeting_dates(
            &self.entries,
            groups
                .by_kind
                .get(&Kind::Meeting)
                .map_or(&[], Vec::as_slice),
            &mut errors,
        );
        if !errors.is_empty() {
            return None;
        }
        let dated = self.dated(entry.item.date, &groups, Some(at));
        Some((at, self.take_moved_groups(at, groups, mentioned, dated)))
    }

    /// Gives entry `index` a new item and body, for an edit that leaves its frame
    /// unchanged (see [`Looks`]); the caller checks that, regroups the site when the
    /// shape changed (see [`Site::regroup`]), and else links anew.
    pub fn replace_body(&mut self, index: usize, item: Item, body: Rendered) {
        let entry = &mut self.entries[index];
        entry.item = Item {
            body: Arc::from(""),
            ..item
        };
        entry.body = Arc::new(body);
    }

    /// Makes the action list again from the actions of all minutes, after an edit to
    /// some; returns whether it changed.
    pub fn refresh_actions(&mut self) -> bool {
        let actions = council::action_list(&self.entries, self.of_kind(Kind::Minutes));
        let changed = actions != self.actions;
        self.actions = actions;
        changed
    }

    /// Whether entries keep their whole bodies (`quorum serve`), so an edit to one can
    /// be patched in (see [`Site::replace_body`]).
    pub fn keeps_bodies(&self) -> bool {
        matches!(self.bodies, Bodies::Kept)
    }

    /// Makes room for the entries of new files that [`Site::insert`] adds, before an
    /// edit needs it: at 100,000 items, the first new file spent 45 ms on moving every
    /// entry into memory twice the size.
    pub fn make_room(&mut self) {
        make_room(&mut self.entries);
        make_room(&mut self.mentioned_in);
        make_room(&mut self.related);
    }

    /// The meeting held on `date`, if there is one.
    pub fn meeting_on(&self, date: Option<NaiveDate>) -> Option<usize> {
        date.and_then(|d| self.meetings_by_date.get(&d).copied())
    }

    /// The status of an advice entry; `None` for other kinds.
    pub fn advice_status(&self, entry: &Entry) -> Option<AdviceStatus> {
        council::advice_status(entry, self.today, self.config.advice.response_term_days)
    }

    /// The entries of one kind, newest first.
    pub fn of_kind(&self, kind: Kind) -> &[usize] {
        self.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// A site path as a link: prefixed with the base path, so sites in a subfolder work.
    pub fn href(&self, path: &str) -> String {
        // Joined, not formatted: every page makes hundreds of links, and `format!`
        // took several times the instructions.
        [self.config.base_path(), "/", path].concat()
    }

    /// A site path as an absolute URL, for feeds and sitemaps.
    pub fn absolute(&self, path: &str) -> String {
        self.config.absolute(path)
    }

    /// The path of a fixed section, e.g. `verslagen/`.
    pub fn section_path(&self, word: UrlWord) -> String {
        format!("{}/", self.config.language.url_word(word))
    }
}

/// How the site's Markdown is rendered: raw HTML as configured, labels in its language.
fn markdown_options(config: &Config) -> markdown::MarkdownOptions {
    markdown::MarkdownOptions {
        unsafe_html: config.markdown.unsafe_html,
        labels: markdown_labels(config),
    }
}

/// The words Markdown rendering adds for screen readers, in the site's language.
fn markdown_labels(config: &Config) -> markdown::MarkdownLabels {
    let words = match config.language {
        crate::i18n::Language::Nl => [
            "Tabel",
            "Voetnoten",
            "Voetnoot",
            "Terug naar verwijzing {n}",
            "Gedaan",
            "Nog te doen",
        ],
        crate::i18n::Language::En => [
            "Table",
            "Footnotes",
            "Footnote",
            "Back to reference {n}",
            "Done",
            "To do",
        ],
    };
    let [
        table,
        footnotes,
        footnote,
        back_to_reference,
        task_done,
        task_open,
    ] = words.map(String::from);
    markdown::MarkdownLabels {
        table,
        footnotes,
        footnote,
        back_to_reference,
        task_done,
        task_open,
    }
}

/// The URL word of the section that lists a kind; pages have none.
pub fn section_word(kind: Kind) -> Option<UrlWord> {
    match kind {
        Kind::Minutes => Some(UrlWord::Minutes),
        Kind::Meeting => Some(UrlWord::Meetings),
        Kind::News => Some(UrlWord::News),
        Kind::Advice => Some(UrlWord::Advice),
        Kind::AnnualReport => Some(UrlWord::AnnualReports),
        Kind::Page => None,
    }
}

/// The output path of an item: `verslagen/2021-12-14/`, or `over-ons/` for a page.
fn item_path(config: &Config, item: &Item) -> String {
    match section_word(item.kind) {
        Some(word) => format!("{}/{}/", config.language.url_word(word), item.slug),
        None => format!("{}/", item.slug),
    }
}

/// The ways an `@/` link may name an item: `minutes/2021-12-14.md`, and for a folder item
/// also `annual-reports/2025/` and `annual-reports/2025`.
fn content_keys(item: &Item) -> Vec<String> {
    source_keys(&item.source)
}

fn source_keys(source: &std::path::Path) -> Vec<String> {
    let path = source.strip_prefix("content").unwrap_or(source);
    let key = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    match key.strip_suffix("/index.md") {
        Some(folder) => vec![key.clone(), format!("{folder}/"), folder.to_string()],
        None => vec![key],
    }
}

/// Two items, or an item and an alias or a fixed section, must not share a URL.
fn check_clashes<'i>(
    config: &Config,
    items: impl Iterator<Item = (&'i Item, &'i String)> + Clone,
    diagnostics: &mut Diagnostics,
) {
    let lang = config.language;
    let mut taken: AHashMap<String, String> = AHashMap::new();
    for path in reserved_paths(lang) {
        taken.insert(path, "a page quorum makes itself".to_string());
    }
    for (item, path) in items.clone() {
        claim(&mut taken, path.clone(), item, None, diagnostics);
    }
    for (item, _) in items {
        for alias in &item.aliases {
            claim(&mut taken, alias_key(alias), item, Some(alias), diagnostics);
        }
    }
}

/// The paths quorum writes pages or files at, which no content item may take.
fn reserved_paths(lang: crate::i18n::Language) -> Vec<String> {
    use UrlWord::*;
    let word = |w| lang.url_word(w);
    let mut paths: Vec<String> = [
        Minutes,
        Meetings,
        News,
        Advice,
        AnnualReports,
        Topics,
        PolicyAreas,
        Year,
        Actions,
        Search,
    ]
    .into_iter()
    .map(|w| format!("{}/", word(w)))
    .collect();
    for section in [Minutes, News, Advice, AnnualReports] {
        paths.push(format!("{}/{}/", word(section), word(Page)));
    }
    for sub in [Year, PolicyAreas] {
        paths.push(format!("{}/{}/", word(Advice), word(sub)));
    }
    paths.push(format!("{}/status/", word(Advice)));
    paths.push("api/".into());
    for file in [
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "index.html",
        "agenda.ics",
    ] {
        paths.push(file.into());
    }
    paths
}

fn claim(
    taken: &mut AHashMap<String, String>,
    path: String,
    item: &Item,
    alias: Option<&str>,
    diagnostics: &mut Diagnostics,
) {
    let owner = item.source.display().to_string();
    match taken.get(&path) {
        Some(other) if *other == owner => {}
        Some(other) => {
            let (what, hint) = match alias {
                Some(alias) => (
                    format!("alias \"{alias}\""),
                    "change or remove the alias: an old address can lead to one page only"
                        .to_string(),
                ),
                None if other.starts_with("content") => (
                    format!("the URL /{path}"),
                    format!(
                        "{owner} and {other} would be the same page; rename or remove one of them"
                    ),
                ),
                None => (
                    format!("the URL /{path}"),
                    "rename the file: quorum publishes its own pages at this URL".to_string(),
                ),
            };
            diagnostics.push(
                Diagnostic::error(&item.source, format!("{what} is already used by {other}"))
                    .hint(hint),
            );
        }
        None => {
            taken.insert(path, owner);
        }
    }
}

/// The output path an alias takes, comparable with item paths.
pub fn alias_key(alias: &str) -> String {
    let trimmed = alias.trim_start_matches('/');
    if trimmed.is_empty()
        || trimmed.ends_with('/')
        || !trimmed.rsplit('/').next().unwrap_or("").contains('.')
    {
        format!("{}/", trimmed.trim_end_matches('/'))
    } else {
        trimmed.to_string()
    }
}

/// Every `@/` link must reach an item, and its anchor a heading of that item.
fn check_links<'e>(
    entries: &[Entry],
    checked: impl Iterator<Item = &'e Entry>,
    by_source: &AHashMap<String, usize>,
    failed: &std::collections::HashSet<String>,
    diagnostics: &mut Diagnostics,
) {
    for entry in checked {
        for link in &entry.body.links {
            let location = || {
                let mut location = (link.place.clone())
                    .expect("a link to a missing item or with an anchor keeps its place");
                location.line += entry.item.body_line - 1;
                let rest = location.source_line.chars().count() + 1 - location.column;
                location.len = location.len.min(rest).max(1);
                location
            };
            if failed.contains(&link.target) {
                continue;
            }
            let Some(&target) = by_source.get(&link.target) else {
                let hint = match nearest(&link.target, by_source.keys().map(String::as_str)) {
                    Some(best) => format!("did you mean @/{best}?"),
                    None => "link to a content file by its path under content/, e.g. @/minutes/2021-12-14.md".to_string(),
                };
                diagnostics.push(
                    Diagnostic::error(
                        &entry.item.source,
                        format!(
                            "link to @/{}, which does not exist (or is a draft)",
                            link.target
                        ),
                    )
                    .at(location())
                    .hint(hint),
                );
                continue;
            };
            let Some(anchor) = &link.anchor else { continue };
            let headings = &entries[target].body.headings;
            if headings.iter().any(|h| &h.id == anchor) {
                continue;
            }
            let hint = match nearest(anchor, headings.iter().map(|h| h.id.as_str())) {
                Some(best) => format!("did you mean #{best}?"),
                None if headings.is_empty() => format!(
                    "{} has no headings to link to",
                    entries[target].item.source.display()
                ),
                None => format!(
                    "the headings of {} are: {}",
                    entries[target].item.source.display(),
                    headings
                        .iter()
                        .map(|h| format!("#{}", h.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            diagnostics.push(
                Diagnostic::error(
                    &entry.item.source,
                    format!("anchor #{anchor} does not exist in @/{}", link.target),
                )
                .at(location())
                .hint(hint),
            );
        }
        for place in &entry.body.h1_places {
            let mut location = place.clone();
            location.line += entry.item.body_line - 1;
            diagnostics.push(
                Diagnostic::warning(&entry.item.source, "a level-1 heading in the text competes with the page title")
                    .at(location)
                    .hint("start the headings of the text at ## (level 2): the title is the page's only level-1 heading"),
            );
        }
    }
}

/// `item` as other pages may show or check it: without its body, and without the fields
/// that only its own page, open-data file and search data show (see [`Looks::face`]):
/// where minutes were held and who attended, when an advice was requested, and the
/// `[extra]` table. An edit to those alone is patched into the last build by
/// `quorum serve`. The patterns name every field, so a new one is sorted here too.
fn outward(item: &Item) -> Item {
    let mut item = Item {
        body: Arc::from(""),
        // Where the body starts moves with the front matter; it only counts for the
        // lines of warnings, which `Looks::face` takes care of.
        body_line: 0,
        body_start: 0,
        source_len: 0,
        body_print: 0,
        extra: toml::Table::new(),
        ..item.clone()
    };
    match &mut item.details {
        Details::Minutes(Minutes {
            status: _,
            actions: _,
            meeting,
            location,
            online,
            attendees,
            absent,
            guests,
        }) => {
            (*meeting, *location, *online) = (None, None, false);
            (*attendees, *absent, *guests) = (Vec::new(), Vec::new(), Vec::new());
        }
        // `solicited` stays, which an omitted `requested_on` may decide.
        Details::Advice(Advice {
            solicited: _,
            addressed_to: _,
            reference: _,
            response: _,
            requested_on,
        }) => *requested_on = None,
        Details::Meeting(_) | Details::News(_) | Details::AnnualReport(_) | Details::Page(_) => {}
    }
    item
}

/// `item` without what only shows where the item is shown, and decides nothing else:
/// its title when it is dated (an undated page is ordered by title, and a page's title
/// may be in the menu), its summary, the status and actions of minutes (the action list
/// is made from all minutes again: see [`Site::refresh_actions`]), and an advice's
/// addressee and reference. Their edits are patched by `quorum serve` into the pages
/// that show the item (see [`Looks::shape`]).
fn off_cards(mut item: Item) -> Item {
    if item.date.is_some() && item.kind != Kind::Page {
        item.title = String::new();
    }
    item.summary = None;
    match &mut item.details {
        Details::Minutes(minutes) => {
            minutes.status = MinutesStatus::Concept;
            minutes.actions = Vec::new();
        }
        Details::Advice(advice) => (advice.addressed_to, advice.reference) = (None, None),
        Details::Meeting(_) | Details::News(_) | Details::AnnualReport(_) | Details::Page(_) => {}
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_is_made_for_a_few_entries_and_only_when_little_is_left() {
        let mut list: Vec<u32> = (0..6400).collect();
        make_room(&mut list);
        assert_eq!(list.capacity(), 6400 + 164);
        list.extend(0..10);
        make_room(&mut list);
        assert_eq!(list.capacity(), 6400 + 164, "154 places left: enough");
        list.extend(0..80);
        make_room(&mut list);
        assert_eq!(list.capacity(), 6490 + 64 + 6490 / 64, "74 left: too few");
    }

    #[test]
    fn bodies_are_held_while_they_fit() {
        let held = held_within([40, 50, 20, 10, 0].into_iter(), 70);
        assert_eq!(held, [true, false, true, true, true]);
        assert_eq!(held_within([1].into_iter(), 0), [false]);
    }

    /// A table's HTML is many times its Markdown: past the estimate, the bytes really
    /// held keep to the budget.
    #[test]
    fn held_bodies_keep_to_the_budget() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().to_path_buf();
        std::fs::write(
            root.join("quorum.toml"),
            "title = \"Raad\"\nbase_url = \"https://raad.example.nl\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("content/pages")).unwrap();
        let table = "| a | b |\n|---|---|\n".to_string() + &"| c | d |\n".repeat(50);
        for name in ["een", "twee", "drie"] {
            let page = format!("+++\ntitle = \"{name}\"\n+++\n{table}");
            std::fs::write(root.join(format!("content/pages/{name}.md")), page).unwrap();
        }
        let config = Config::load(&root, None).unwrap();
        let loaded = crate::content::load(&root, &config, Default::default(), None);
        assert_eq!(loaded.items.len(), 3);
        // The estimate lets all three in; their HTML and text do not fit.
        let budget = 3 * 2 * loaded.items[0].body.len();
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let (linked, _) =
            Site::link_holding(root, config, loaded.items, &[], today, None, budget).unwrap();
        let Bodies::Reread(reread) = &linked.bodies else {
            panic!("a one-off build");
        };
        let held: Vec<usize> = (reread.held.iter())
            .filter_map(|whole| whole.lock().unwrap().as_ref().map(Whole::bytes))
            .collect();
        assert!(!held.is_empty() && held.len() < 3, "{held:?}");
        assert!(held.iter().sum::<usize>() <= budget);
        for i in 0..3 {
            assert!(linked.body(i).unwrap().html.contains("<table>"));
        }
    }

    /// Held or rendered again when asked for, a body is the same.
    #[test]
    fn held_and_reread_bodies_are_alike() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/council");
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let link = |held_bytes| {
            let config = Config::load(&root, None).unwrap();
            let loaded = crate::content::load(&root, &config, Default::default(), None);
            let linked = Site::link_holding(
                root.clone(),
                config,
                loaded.items,
                &[],
                today,
                None,
                held_bytes,
            );
            linked.unwrap_or_else(|e| panic!("{e:?}")).0
        };
        let (all, none) = (link(usize::MAX), link(0));
        assert!(all.entries.len() > 5);
        let mut with_text = 0;
        for i in 0..all.entries.len() {
            let outlines = [&all.entries[i].body, &none.entries[i].body];
            for outline in outlines {
                assert!(outline.html.is_empty() && outline.text.is_empty());
            }
            let (held, reread) = (all.body(i).unwrap(), none.body(i).unwrap());
            with_text += usize::from(!held.text.is_empty());
            for (a, b) in [(outlines[0], outlines[1]), (&held, &reread)] {
                assert_eq!(
                    (&a.html, &a.text, &a.first_paragraph),
                    (&b.html, &b.text, &b.first_paragraph)
                );
                assert_eq!(
                    (&a.headings, &a.links, &a.h1_places),
                    (&b.headings, &b.links, &b.h1_places)
                );
            }
        }
        assert!(with_text > 5);
    }

    /// The related entries of a few, asked for in any order, are those of a whole
    /// site's: `serve` asks for those near an edit alone.
    #[test]
    fn related_entries_of_a_few_are_those_of_all() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/council");
        let config = Config::load(&root, None).unwrap();
        let loaded = crate::content::load(&root, &config, Default::default(), None);
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let (site, _) = Site::link(root, config, loaded.items, &[], today, None)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let groups = Groups::without_related(&site.config, &site.entries, &site.by_source);
        let lists = groups.lists();
        let count = site.entries.len();
        assert!(site.related.iter().filter(|r| !r.is_empty()).count() > 3);
        let backwards: Vec<usize> = (0..count).rev().step_by(2).collect();
        for few in [vec![0], vec![count - 1], backwards] {
            let wanted: Vec<&Vec<usize>> = few.iter().map(|&i| &site.related[i]).collect();
            let found = council::related(&site.entries, &lists, &few);
            assert_eq!(found.iter().collect::<Vec<_>>(), wanted, "entries {few:?}");
        }
    }

    #[test]
    fn aliases_compare_with_page_paths() {
        assert_eq!(
            alias_key("/oude-site/verslag.html"),
            "oude-site/verslag.html"
        );
        assert_eq!(alias_key("/oud/verslag"), "oud/verslag/");
        assert_eq!(alias_key("/oud/verslag/"), "oud/verslag/");
    }
}
