//! `quorum serve` rebuilds with a cache (unchanged files are not parsed again, Markdown
//! is not rendered again, pages with unchanged inputs are not rendered again). What it
//! serves must equal a full build after every kind of change: this walks the example
//! site through edits, additions, removals, renames, errors, configuration and template
//! changes, and compares every output file of the cached rebuild with a fresh build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use quorum::build::{BuildCache, BuildOptions, Built, build, rebuild};
use quorum::diagnostics::Diagnostics;
use quorum::render::{Contents, OutputFile};

use crate::util::{copy_dir, repo_root};

struct Session {
    _dir: tempfile::TempDir,
    root: PathBuf,
    options: BuildOptions,
    cache: BuildCache,
    /// The files of the last rebuild.
    served: BTreeMap<String, Vec<u8>>,
    /// Whether to ready the cache for the next edit after each rebuild, as `serve`
    /// does; without, the next edit readies what it needs.
    prepare: bool,
}

/// What a checked rebuild did.
struct Rebuilt {
    /// Files taken from the cache.
    reused: usize,
    /// Whether the last build's files were patched (see `quorum::build::rebuild`).
    patched: bool,
    /// Paths whose contents differ from the rebuild before.
    changed: Vec<String>,
}

impl Session {
    /// A copy of the example site, built once with an empty cache.
    fn start() -> Session {
        Session::of(|root| {
            for part in ["content", "static"] {
                copy_dir(&repo_root().join(part), &root.join(part));
            }
            std::fs::copy(repo_root().join("quorum.toml"), root.join("quorum.toml")).unwrap();
        })
    }

    /// A site of `n` news items, one a day, each in topic `alle`, one of three other
    /// topics and one of two policy areas: lists longer than the stretch within which
    /// items are related.
    fn generated(n: usize) -> Session {
        Session::of(|root| {
            std::fs::create_dir_all(root.join("content/news")).unwrap();
            std::fs::write(
                root.join("quorum.toml"),
                "title = \"Adviesraad Proefdorp\"\nbase_url = \"https://raad.example.nl\"\n\n\
                 [policy_areas]\nwmo = \"Wmo en ondersteuning\"\njeugd = \"Jeugd en gezin\"\n",
            )
            .unwrap();
            let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
            for i in 0..n {
                let date = day + chrono::Days::new(i as u64);
                let text = format!(
                    "+++\ntitle = \"Bericht {i}\"\ndate = {date}\ntopics = [\"alle\", \"{}\"]\n\
                     policy_areas = [\"{}\"]\n+++\n\nBericht nummer {i}.\n",
                    ["rood", "groen", "blauw"][i % 3],
                    ["wmo", "jeugd"][i % 2],
                );
                std::fs::write(root.join(format!("content/news/{date}-bericht.md")), text).unwrap();
            }
        })
    }

    /// The site that `make` writes into a fresh folder, built once with an empty cache.
    fn of(make: impl FnOnce(&Path)) -> Session {
        let dir = tempfile::tempdir().unwrap();
        // Canonical, as `quorum serve` makes the root and the watcher reports paths.
        let root = dir.path().canonicalize().unwrap().join("site");
        make(&root);
        let options = BuildOptions {
            root: root.clone(),
            today: NaiveDate::from_ymd_opt(2026, 11, 1),
            ..BuildOptions::default()
        };
        let mut session = Session {
            _dir: dir,
            root,
            options,
            cache: BuildCache::default(),
            served: BTreeMap::new(),
            prepare: true,
        };
        session.check(&[]);
        session
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    fn write(&mut self, relative: &str, text: &str) -> &mut Session {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        self
    }

    /// Rebuilds with the cache, told that `changed` changed, and compares the result
    /// with a build without any cache; returns how many pages were reused.
    fn check(&mut self, changed: &[&str]) -> usize {
        self.run(changed).reused
    }

    /// Like [`Session::check`], telling more.
    fn run(&mut self, changed: &[&str]) -> Rebuilt {
        let changed: Vec<PathBuf> = changed.iter().map(|p| self.path(p)).collect();
        self.cache.forget(&changed);
        let cached = rebuild(&self.options, &mut self.cache);
        if self.prepare {
            self.cache.prepare_for_edits();
        }
        let fresh = build(&self.options);
        let mut patched = false;
        let mut differ = Vec::new();
        match (cached, fresh) {
            (Ok((built, cached)), Ok((_, fresh))) => {
                patched = built.patched;
                let (cached, fresh) = (files(cached.iter()), files(&fresh));
                differ = (cached.keys().chain(self.served.keys()))
                    .filter(|path| cached.get(*path) != self.served.get(*path))
                    .cloned()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let differing: BTreeSet<&String> = fresh
                    .keys()
                    .chain(cached.keys())
                    .filter(|path| cached.get(*path) != fresh.get(*path))
                    .collect();
                assert!(
                    differing.is_empty(),
                    "after a change to {changed:?}, the cached rebuild differs from a full build in {} files, e.g. {:?}",
                    differing.len(),
                    differing.iter().take(5).collect::<Vec<_>>()
                );
                self.served = cached;
            }
            (Err(cached), Err(fresh)) => assert_eq!(text(&cached), text(&fresh)),
            (cached, fresh) => panic!(
                "after a change to {changed:?}: cached rebuild {}, full build {}",
                outcome(&cached),
                outcome(&fresh)
            ),
        }
        Rebuilt {
            reused: self.cache.reused_files(),
            patched,
            changed: differ,
        }
    }
}

fn files<'a>(files: impl IntoIterator<Item = &'a OutputFile>) -> BTreeMap<String, Vec<u8>> {
    files
        .into_iter()
        .map(|file| {
            let bytes = match &file.contents {
                Contents::Bytes(bytes) => bytes.to_vec(),
                Contents::Embedded(bytes) => bytes.to_vec(),
                Contents::WithBody(data) => data.to_bytes(),
                Contents::Copy(source) => std::fs::read(source).unwrap(),
            };
            (file.path.to_string(), bytes)
        })
        .collect()
}

fn text(diagnostics: &Diagnostics) -> String {
    diagnostics.to_string()
}

fn outcome<T>(result: &Result<(Built, T), Diagnostics>) -> String {
    match result {
        Ok((built, _)) => format!("succeeded with {} files", built.files),
        Err(diagnostics) => format!("failed:\n{diagnostics}"),
    }
}

fn edit(session: &mut Session, relative: &str, change: impl Fn(&str) -> String) {
    let text = session.read(relative);
    let changed = change(&text);
    assert_ne!(text, changed, "the edit of {relative} changes it");
    session.write(relative, &changed);
}

#[test]
fn cached_rebuilds_equal_full_builds_through_a_session_of_edits() {
    let mut s = Session::start();
    let pages = s.check(&[]);
    assert!(pages > 100, "an unchanged site reuses its pages ({pages})");

    // A paragraph added to one minutes, not its first: only its own page, its open
    // data file and the search index change, and the last build is patched.
    let minutes = "content/minutes/2025-03-11.md";
    edit(&mut s, minutes, |t| {
        format!("{t}\nEen extra alinea over de vergadering met een nieuw woord: kwxyzerig.\n")
    });
    let rebuilt = s.run(&[minutes]);
    assert!(rebuilt.patched, "an edit to the text alone is patched in");
    let own = [
        "verslagen/2025-03-11/index.html",
        "api/minutes/2025-03-11.json",
    ];
    for path in own {
        assert!(rebuilt.changed.iter().any(|p| p == path), "{path} changed");
    }
    let others: Vec<&String> = (rebuilt.changed.iter())
        .filter(|p| !own.contains(&p.as_str()) && !p.starts_with("zoeken/index/"))
        .collect();
    assert!(
        others.is_empty(),
        "only the item and search changed: {others:?}"
    );
    assert!(
        rebuilt
            .changed
            .iter()
            .any(|p| p.starts_with("zoeken/index/terms/"))
    );

    // The same word taken out again (its last document), a heading renamed that no link
    // names, and two files at once, one of them the next meeting, which a home page of
    // the site's own shows whole.
    let home = std::fs::read_to_string(repo_root().join("themes/default/templates/home.html"));
    let home = home.unwrap().replacen(
        "{% if next_meeting %}",
        "{% if next_meeting %}{{ next_meeting.body | safe }}\
         {% for item in next_meeting.related %}{{ item.title }}{% endfor %}\
         {% for item in next_meeting.mentioned_in %}{{ item.title }}{% endfor %}",
        1,
    );
    s.write("templates/home.html", &home);
    assert!(!s.run(&["templates/home.html"]).patched);
    edit(&mut s, minutes, |t| {
        t.replace(" met een nieuw woord: kwxyzerig", "")
    });
    let meeting = "content/meetings/2026-11-24.md";
    edit(&mut s, meeting, |t| {
        format!("{t}\nDe agenda kan nog wijzigen.\n")
    });
    let rebuilt = s.run(&[minutes, meeting]);
    assert!(rebuilt.patched);
    assert!(
        rebuilt.changed.iter().any(|p| p == "index.html"),
        "the home page shows the next meeting"
    );
    let heading = "content/minutes/2025-05-13.md";
    edit(&mut s, heading, |t| {
        t.replace("## 2. Vaststellen agenda", "## 2. Agenda vastgesteld")
    });
    assert!(s.run(&[heading]).patched);

    // Front matter that only the item's own page, open data and search show: who
    // attended and where, when an advice was requested, the `[extra]` table. Patched.
    edit(&mut s, heading, |t| {
        t.replacen("attendees = [\n", "attendees = [\n  \"Nieuw Lid\",\n", 1)
            .replacen("location = \"", "location = \"Online en ", 1)
    });
    let rebuilt = s.run(&[heading]);
    assert!(rebuilt.patched, "attendees and place are patched in");
    assert!(
        (rebuilt.changed.iter()).any(|p| p == "verslagen/2025-05-13/index.html"),
        "{:?}",
        rebuilt.changed
    );
    let requested = "content/advice/2026-wonen-met-begeleiding.md";
    edit(&mut s, requested, |t| {
        t.replace("requested_on = 2026-07-07", "requested_on = 2026-07-14")
            .replacen(
                "\n+++\n",
                "\n[extra]\nkenmerk_gemeente = \"Z-26-0917\"\n+++\n",
                1,
            )
    });
    assert!(
        s.run(&[requested]).patched,
        "request date and extra are patched in"
    );
    // What other pages show of an item but decides nothing else: its title (when it is
    // dated), summary and first paragraph, the status and actions of minutes, an
    // advice's addressee and reference. Patched into the pages that show it.
    let shows = |rebuilt: &Rebuilt, path: &str| {
        assert!(rebuilt.patched, "{path}: not patched");
        assert!(
            rebuilt.changed.iter().any(|p| p == path),
            "{path} changed: {:?}",
            rebuilt.changed
        );
    };
    edit(&mut s, heading, |t| {
        t.replacen(
            "status = \"approved\"\napproved_on = 2025-06-10",
            "status = \"concept\"",
            1,
        )
    });
    shows(&s.run(&[heading]), "verslagen/index.html");
    // An action these minutes closed, reopened.
    edit(&mut s, heading, |t| {
        t.replacen(
            "due = 2025-04-30, done = true",
            "due = 2025-04-30, done = false",
            1,
        )
    });
    let rebuilt = s.run(&[heading]);
    shows(&rebuilt, "actielijst/index.html");
    assert!(
        !rebuilt.changed.iter().any(|p| p == "verslagen/index.html"),
        "the card is unchanged: {:?}",
        rebuilt.changed
    );
    // An action that later minutes close, reopened there: the action list follows
    // each action through all minutes.
    let later = "content/minutes/2025-06-10.md";
    edit(&mut s, later, |t| {
        t.replacen(
            "Yvonne Bakker\", due = 2025-06-10, done = true",
            "Yvonne Bakker\", due = 2025-06-10, done = false",
            1,
        )
    });
    shows(&s.run(&[later]), "actielijst/index.html");
    edit(&mut s, requested, |t| {
        t.replace("addressed_to = \"College", "addressed_to = \"Het college")
            .replace("reference = \"ASD-2026-003", "reference = \"ASD-2026-03")
    });
    shows(&s.run(&[requested]), "adviezen/index.html");
    // The first paragraph is on cards when there is no summary (here there is).
    let news = "content/news/2025-02-20-twee-nieuwe-leden.md";
    edit(&mut s, news, |t| {
        let body = t.rfind("+++").unwrap() + 3;
        format!(
            "{}\n\nEen nieuwe eerste alinea.\n{}",
            &t[..body],
            &t[body..]
        )
    });
    assert!(s.run(&[news]).patched);
    edit(&mut s, news, |t| {
        t.replacen("summary = \"", "summary = \"Nieuw: ", 1)
    });
    let rebuilt = s.run(&[news]);
    shows(&rebuilt, "nieuws/index.html");
    shows(&rebuilt, "feed.xml");
    shows(&rebuilt, "jaar/2025/index.html");
    // Minutes with actions: the action list and the annual report of their year show
    // their title, and so do the pages of the items that mention them.
    edit(&mut s, heading, |t| {
        t.replacen(
            "date = ",
            "title = \"Verslag van de meivergadering\"\ndate = ",
            1,
        )
    });
    let rebuilt = s.run(&[heading]);
    shows(&rebuilt, "actielijst/index.html");
    shows(&rebuilt, "jaarverslagen/2025/index.html");
    shows(&rebuilt, "api/minutes.json");
    edit(&mut s, heading, |t| {
        t.replacen("summary = \"", "summary = \"Kort: ", 1)
    });
    shows(&s.run(&[heading]), "verslagen/index.html");
    // A meeting's title is in the calendar; an annual report's on its old address.
    let meeting = "content/meetings/2026-11-24.md";
    edit(&mut s, meeting, |t| {
        t.replacen(
            "date = ",
            "title = \"Extra openbare vergadering\"\ndate = ",
            1,
        )
    });
    let rebuilt = s.run(&[meeting]);
    shows(&rebuilt, "agenda.ics");
    shows(&rebuilt, "vergaderingen/index.html");
    let report = "content/annual-reports/2024.md";
    edit(&mut s, report, |t| {
        t.replacen(
            "title = \"Jaarverslag 2024",
            "title = \"Jaarverslag over 2024",
            1,
        )
    });
    shows(&s.run(&[report]), "oude-site/jaarverslag-2024.html");
    // Topics, policy areas, `@/` links and an advice's response put an item in groups
    // and relate it to others, but leave the items in their order: the groups are made
    // again and the lists and pages they changed are patched in, pages added and
    // removed with them.
    let consult = "content/news/2025-09-16-consultatieavond-wmo.md";
    edit(&mut s, consult, |t| {
        t.replacen(
            "topics = [\"inspraak\"",
            "topics = [\"inspraak\", \"Nieuw onderwerp\"",
            1,
        )
    });
    let rebuilt = s.run(&[consult]);
    shows(&rebuilt, "onderwerpen/nieuw-onderwerp/index.html");
    shows(&rebuilt, "onderwerpen/index.html");
    shows(&rebuilt, "sitemap.xml");
    edit(&mut s, consult, |t| {
        t.replacen("\"inspraak\", \"Nieuw onderwerp\", ", "", 1)
            .replacen(
                "policy_areas = [\"wmo\", \"mantelzorg\"]",
                "policy_areas = [\"jeugd\"]",
                1,
            )
    });
    let rebuilt = s.run(&[consult]);
    shows(&rebuilt, "beleidsterreinen/jeugd/index.html");
    shows(&rebuilt, "beleidsterreinen/jeugd/feed.xml");
    assert!(
        !s.served
            .contains_key("onderwerpen/nieuw-onderwerp/index.html"),
        "the topic no item has is gone"
    );
    edit(&mut s, consult, |t| {
        format!("{t}\nZie ook [het advies](@/advice/2025-armoedebeleid.md).\n")
    });
    shows(&s.run(&[consult]), "adviezen/2025-armoedebeleid/index.html");
    // An item now related to the next meeting, which the site's home page shows whole.
    edit(&mut s, consult, |t| {
        t.replacen(
            "policy_areas = [\"jeugd\"]",
            "policy_areas = [\"wmo\", \"beschermd-wonen\"]",
            1,
        )
    });
    assert!(s.run(&[consult]).patched);
    // Its topic taken out, which no card shows: the next meeting's related items change.
    edit(&mut s, consult, |t| {
        t.replacen("topics = [\"huishoudelijke-hulp\"]", "topics = []", 1)
    });
    shows(&s.run(&[consult]), "index.html");
    let answered = "content/advice/2026-wonen-met-begeleiding.md";
    edit(&mut s, answered, |t| {
        t.replacen(
            "\nreference = ",
            "\nresponse = { date = 2026-10-15, summary = \"Het college neemt het advies over.\" }\nreference = ",
            1,
        )
    });
    let rebuilt = s.run(&[answered]);
    shows(&rebuilt, "adviezen/index.html");
    shows(&rebuilt, "zoeken/index/meta.json");
    // A link to an item that does not exist: the whole pipeline reports it.
    edit(&mut s, consult, |t| {
        format!("{t}\nZie [dit](@/news/bestaat-niet.md).\n")
    });
    assert!(!s.run(&[consult]).patched);
    edit(&mut s, consult, |t| {
        t.replace("\nZie [dit](@/news/bestaat-niet.md).\n", "")
    });
    s.check(&[consult]);

    // A free page's title is in the menu of every page, and orders the pages without
    // a date: the whole pipeline runs.
    let page = "content/pages/leden.md";
    edit(&mut s, page, |t| {
        t.replacen("title = \"Leden", "title = \"Onze leden", 1)
    });
    assert!(!s.run(&[page]).patched, "a page's title is in the menu");

    // An edit the watcher missed beside one it reported: the patched rebuild looks at
    // the reported file only, the check after it finds the other, and a rebuild without
    // names (what `serve` then does) equals a full build.
    edit(&mut s, minutes, |t| format!("{t}\nOngemeld.\n"));
    edit(&mut s, heading, |t| format!("{t}\nGemeld.\n"));
    s.cache.forget(&[s.path(heading)]);
    let (built, _) = rebuild(&s.options, &mut s.cache).unwrap();
    assert!(built.patched);
    assert!(
        s.cache.unseen_changes(),
        "the edit to {minutes} was not reported"
    );
    assert!(!s.run(&[]).patched);
    assert!(!s.cache.unseen_changes());

    // The same beside an edit that runs the whole pipeline (a date, which orders the
    // lists): it too reads only the reported files, and the check after it finds the
    // other.
    edit(&mut s, minutes, |t| format!("{t}\nWeer ongemeld.\n"));
    edit(&mut s, news, |t| {
        t.replacen("date = 2025-02-20", "date = 2025-02-21", 1)
    });
    s.cache.forget(&[s.path(news)]);
    let (built, _) = rebuild(&s.options, &mut s.cache).unwrap();
    assert!(!built.patched);
    assert!(
        s.cache.unseen_changes(),
        "the edit to {minutes} was not reported"
    );
    s.check(&[]);
    assert!(!s.cache.unseen_changes());

    // The title of an advice: lists, home, year and area pages, feeds and search.
    let advice = "content/advice/2025-armoedebeleid.md";
    edit(&mut s, advice, |t| {
        t.replacen("title = \"", "title = \"Herzien: ", 1)
    });
    assert!(s.run(&[advice]).patched);

    // A heading another item links to (`@/…#anchor`): an error, then fixed again.
    let target = "content/minutes/2026-03-10.md";
    let original = s.read(target);
    edit(&mut s, target, |t| {
        t.replace("Toegankelijkheid stationsgebied", "Stationsgebied")
    });
    assert!(!s.run(&[target]).patched, "a link names the heading");
    s.write(target, &original);
    assert!(!s.run(&[target]).patched, "the last build failed");

    // A new item, then renamed, then removed.
    let news = "+++\ntitle = \"Nieuw bericht\"\ndate = 2026-10-30\npolicy_areas = [\"wmo\"]\n+++\n\nTekst met een [link](@/minutes/2025-03-11.md).\n";
    s.write("content/news/2026-10-30-nieuw.md", news);
    assert!(s.run(&["content/news/2026-10-30-nieuw.md"]).patched);
    std::fs::rename(
        s.path("content/news/2026-10-30-nieuw.md"),
        s.path("content/news/2026-10-30-hernoemd.md"),
    )
    .unwrap();
    let renamed = s.run(&[
        "content/news/2026-10-30-nieuw.md",
        "content/news/2026-10-30-hernoemd.md",
    ]);
    assert!(renamed.patched, "a rename is patched in");
    shows(&renamed, "nieuws/2026-10-30-hernoemd/index.html");
    // Its date changed: it moves in every list it is in.
    edit(&mut s, "content/news/2026-10-30-hernoemd.md", |t| {
        t.replacen("date = 2026-10-30", "date = 2025-01-30", 1)
    });
    assert!(
        s.run(&["content/news/2026-10-30-hernoemd.md"]).patched,
        "a date changed is patched in"
    );
    std::fs::remove_file(s.path("content/news/2026-10-30-hernoemd.md")).unwrap();
    let removed = s.run(&["content/news/2026-10-30-hernoemd.md"]);
    assert!(removed.patched, "a file removed is patched out");
    shows(&removed, "nieuws/2026-10-30-hernoemd/index.html");

    // A free page added to the menu changes the navigation of every page.
    s.write(
        "content/pages/vacatures.md",
        "+++\ntitle = \"Vacatures\"\nin_menu = true\n+++\n\nWij zoeken leden.\n",
    );
    let reused = s.check(&["content/pages/vacatures.md"]);
    assert_eq!(reused, 0, "a new menu entry is on every page");

    // An attachment removed from a folder item: an error; put back: fixed.
    let pdf = "content/annual-reports/2025/jaarverslag-2025.pdf";
    let bytes = std::fs::read(s.path(pdf)).unwrap();
    std::fs::remove_file(s.path(pdf)).unwrap();
    s.check(&[pdf]);
    std::fs::write(s.path(pdf), &bytes).unwrap();
    s.check(&[pdf]);

    // An edit the watcher did not report: the file's size and time tell.
    let news_item = "content/news/2025-02-20-twee-nieuwe-leden.md";
    edit(&mut s, news_item, |t| format!("{t}\nNog een zin.\n"));
    s.check(&[]);

    // The configuration: everything is built again.
    edit(&mut s, "quorum.toml", |t| {
        t.replacen("title = \"", "title = \"De ", 1)
    });
    assert_eq!(s.check(&["quorum.toml"]), 0);

    // A template of the site's own overrides the theme's.
    let theme = repo_root().join("themes/default/templates/news.html");
    let template = std::fs::read_to_string(theme).unwrap();
    let changed = template.replacen("{% block", "{# eigen sjabloon #}{% block", 1);
    assert_ne!(template, changed);
    s.write("templates/news.html", &changed);
    s.check(&["templates/news.html"]);

    // Drafts shown (as `quorum serve --drafts` would): another setting, all rebuilt.
    s.options.drafts = true;
    assert_eq!(s.check(&[]), 0);
}

/// A small deterministic generator (xorshift), so a failing sequence of edits can be
/// replayed from its seed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Random edits to the text of items, as a webmaster makes them after a meeting: a
/// paragraph added or removed, a word changed, a heading renamed (some of which links
/// name), a line break added above the text. Most are patched into the last build, some
/// are not; after each, every file must equal a full build's.
#[test]
fn random_text_edits_equal_full_builds() {
    const FILES: [&str; 8] = [
        "content/minutes/2025-03-11.md",
        "content/minutes/2025-05-13.md",
        "content/minutes/2026-03-10.md",
        "content/news/2025-09-16-consultatieavond-wmo.md",
        "content/news/2026-11-21-nieuwe-leden-voorgedragen.md",
        "content/advice/2025-armoedebeleid.md",
        "content/advice/2026-wonen-met-begeleiding.md",
        "content/meetings/2026-11-24.md",
    ];
    const WORDS: [&str; 10] = [
        "wijkteam",
        "mantelzorgers",
        "Cliëntondersteuning",
        "vergadering",
        "qwzx",
        "jeugdhulp",
        "2027",
        "armoede",
        "toegankelijkheid",
        "ÉÉN",
    ];
    let mut s = Session::start();
    let mut dice = Dice(0x5eed_2026_1122);
    let mut patched = 0;
    for _ in 0..24 {
        let file = dice.pick(&FILES);
        let text = s.read(file);
        let body = text.rfind("+++").unwrap() + 3;
        let (front, rest) = text.split_at(body);
        let word = dice.pick(&WORDS);
        let edited = match dice.below(5) {
            0 => format!("{text}\nEen alinea over {word} en {}.\n", dice.pick(&WORDS)),
            1 => match rest.trim_end().rfind("\n\n") {
                // The last paragraph, unless it is the first.
                Some(at) if rest[..at].trim().contains("\n\n") => {
                    format!("{front}{}\n", &rest[..at])
                }
                _ => format!("{text}\n{word}\n"),
            },
            2 => {
                let words: Vec<&str> = rest.split(' ').collect();
                let at = words.len() / 2 + dice.below(words.len() / 2);
                let mut words = words;
                words[at] = word;
                format!("{front}{}", words.join(" "))
            }
            3 => match rest.find("\n## ") {
                Some(at) => format!("{front}{}\n## {word} {}", &rest[..at], &rest[at + 4..]),
                None => format!("{text}\n## {word}\n\nTekst.\n"),
            },
            _ => format!("{front}\n{rest}"),
        };
        s.write(file, &edited);
        if s.run(&[file]).patched {
            patched += 1;
        }
    }
    assert!(
        patched >= 8,
        "most text edits are patched in ({patched} of 24)"
    );
}

/// Random edits to what other pages show of items but that leaves them in their order
/// (titles, summaries, first paragraphs, the status and actions of minutes, an
/// advice's addressee, topics, policy areas, links): patched into the pages that show
/// the items; after each, every file must equal a full build's.
#[test]
fn random_edits_that_keep_the_order_equal_full_builds() {
    const FILES: [&str; 9] = [
        "content/minutes/2025-03-11.md",
        "content/minutes/2025-05-13.md",
        "content/news/2025-09-16-consultatieavond-wmo.md",
        "content/news/2026-11-04-advies-mantelzorgondersteuning.md",
        "content/advice/2025-armoedebeleid.md",
        "content/advice/2026-wonen-met-begeleiding.md",
        "content/meetings/2026-11-24.md",
        "content/meetings/2025-03-11.md",
        "content/annual-reports/2024.md",
    ];
    const WORDS: [&str; 6] = ["Herzien", "Wmo", "Jeugdhulp", "qwzx", "2027", "ÉÉN"];
    const TOPICS: [&str; 6] = [
        "inspraak",
        "jeugdhulp",
        "ouderen",
        "mantelzorg",
        "Nieuw onderwerp",
        "eenzaamheid",
    ];
    const AREAS: [&str; 4] = ["wmo", "jeugd", "armoede", "zorg"];
    const TARGETS: [&str; 3] = [
        "minutes/2025-04-08.md",
        "advice/2025-inkoop-jeugdhulp.md",
        "pages/leden.md",
    ];
    let mut s = Session::start();
    let mut dice = Dice(0xca4d_2026_1123);
    let mut patched = 0;
    for _ in 0..48 {
        let file = dice.pick(&FILES);
        let text = s.read(file);
        let body = text.rfind("+++").unwrap() + 3;
        let (front, rest) = text.split_at(body);
        let word = dice.pick(&WORDS);
        let summary = front.lines().find(|l| l.starts_with("summary = "));
        let edited = match dice.below(10) {
            0 if front.contains("\ntitle = \"") => {
                text.replacen("\ntitle = \"", &format!("\ntitle = \"{word} "), 1)
            }
            0 => text.replacen("\ndate = ", &format!("\ntitle = \"{word}\"\ndate = "), 1),
            1 => set_field(&text, "summary", &format!("\"{word}\"")),
            // Without a summary, cards show the first paragraph.
            2 => match summary {
                Some(line) => text.replacen(&format!("{line}\n"), "", 1),
                None => format!("{front}\n\n{word} als eerste alinea.\n{rest}"),
            },
            3 if front.contains("addressed_to = \"") => {
                text.replacen("addressed_to = \"", &format!("addressed_to = \"{word} "), 1)
            }
            4 if front.contains("done = true") => text.replacen("done = true", "done = false", 1),
            4 if front.contains("done = false") => text.replacen("done = false", "done = true", 1),
            5 if front.contains("status = \"concept\"") => {
                text.replacen("status = \"concept\"", "status = \"approved\"", 1)
            }
            5 if front.contains("status = \"approved\"") => {
                let approved_on = front.lines().find(|l| l.starts_with("approved_on = "));
                let text = match approved_on {
                    Some(line) => text.replacen(&format!("{line}\n"), "", 1),
                    None => text,
                };
                text.replacen("status = \"approved\"", "status = \"concept\"", 1)
            }
            6 => {
                let topics = [TOPICS[dice.below(6)], TOPICS[dice.below(6)]];
                set_field(
                    &text,
                    "topics",
                    &format!("[\"{}\", \"{}\"]", topics[0], topics[1]),
                )
            }
            7 => {
                let area = AREAS[dice.below(AREAS.len())];
                set_field(&text, "policy_areas", &format!("[\"{area}\"]"))
            }
            8 => format!("{text}\nZie [{word}](@/{}).\n", dice.pick(&TARGETS)),
            _ => format!("{front}\n\nEen alinea over {word}.\n{rest}"),
        };
        s.write(file, &edited);
        if s.run(&[file]).patched {
            patched += 1;
        }
    }
    assert!(
        patched >= 40,
        "edits to what cards show are patched in ({patched} of 48)"
    );
}

/// Topics and policy areas changed in lists far longer than the stretch within which
/// items are related, at their ends and in the middle: the related items of the items
/// near the change are found again, and pages come and go at the ends of the lists.
#[test]
fn group_edits_in_long_lists_equal_full_builds() {
    // 141 items in `alle`: eight pages of twenty, the last with one item.
    let mut s = Session::generated(141);
    let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let file = |i: u64| format!("content/news/{}-bericht.md", day + chrono::Days::new(i));
    for (i, from, to) in [
        (0, "\"alle\", ", ""),
        (140, "\"alle\", \"blauw\"", "\"blauw\", \"paars\""),
        (75, "[\"jeugd\"]", "[\"jeugd\", \"wmo\"]"),
        (76, "[\"wmo\"]", "[\"jeugd\"]"),
        (40, "\"groen\"", "\"rood\""),
        (140, "\"paars\"", "\"rood\""),
        (0, "topics = [", "topics = [\"alle\", "),
    ] {
        let path = file(i);
        edit(&mut s, &path, |t| t.replacen(from, to, 1));
        assert!(s.run(&[&path]).patched, "{path}: {from} → {to}");
    }
}

/// New files of every dated kind: at the top, in the middle and at the end of their
/// lists, in a year of its own, with a topic no item had, with links to other items,
/// the minutes of a meeting that had none (and that approve other minutes), a meeting
/// on the date of minutes, an advice, an item with old addresses. Each is patched
/// into the last build, and after each every file equals a full build's. Files the
/// whole pipeline must add are not patched in.
#[test]
fn new_files_are_patched_in_and_equal_full_builds() {
    let mut s = Session::start();
    let news = |title: &str, date: &str, rest: &str| {
        format!("+++\ntitle = \"{title}\"\ndate = {date}\n{rest}+++\n\nEen bericht over {title}.\n")
    };
    let added: [(&str, String); 10] = [
        (
            "content/news/2026-11-30-nieuwste.md",
            news("Nieuwste bericht", "2026-11-30", "topics = [\"inspraak\"]\npolicy_areas = [\"wmo\"]\n"),
        ),
        (
            "content/news/2025-10-01-midden.md",
            news("Bericht uit het midden", "2025-10-01", "topics = [\"Een nieuw onderwerp\"]\n"),
        ),
        (
            "content/news/2019-05-05-oud.md",
            news("Een oud bericht", "2019-05-05", "aliases = [\"/oud/bericht.html\"]\n"),
        ),
        (
            "content/news/2026/2026-06-01-in-een-map.md",
            news("Bericht in een map", "2026-06-01", "policy_areas = [\"jeugd\", \"zorg\"]\n")
                + "\nZie [het verslag](@/minutes/2025-03-11.md) en [het advies](@/advice/2025-armoedebeleid.md).\n",
        ),
        (
            "content/minutes/2026-11-10.md",
            "+++\ndate = 2026-11-10\nstatus = \"concept\"\ntopics = [\"begroting\"]\n\
             policy_areas = [\"wmo\"]\nactions = [\n  { id = \"A-2026-20\", what = \"Nieuwe actie\", \
             who = \"Els Wolters\", due = 2026-12-01, done = false },\n  { id = \"A-2026-13\", \
             what = \"Selectiegesprekken voeren\", who = \"Hanneke Verhoef\", done = true },\n]\n+++\n\n\
             ## 1. Opening\n\nDe voorzitter opent de vergadering.\n"
                .to_string(),
        ),
        (
            "content/meetings/2024-12-10.md",
            "+++\ndate = 2024-12-10\nstart = \"19:30\"\nstatus = \"scheduled\"\n+++\n\nDe laatste vergadering van 2024.\n"
                .to_string(),
        ),
        (
            "content/minutes/2024-12-10.md",
            "+++\ndate = 2024-12-10\nstatus = \"approved\"\napproved_on = 2025-01-14\n+++\n\nHet verslag.\n"
                .to_string(),
        ),
        (
            "content/advice/2026-nieuw-advies.md",
            "+++\ntitle = \"Advies over de nieuwe regeling\"\ndate = 2026-11-15\nsolicited = false\n\
             addressed_to = \"College van burgemeester en wethouders\"\npolicy_areas = [\"armoede\"]\n\
             topics = [\"minimaregelingen\"]\n+++\n\nGeacht college,\n"
                .to_string(),
        ),
        (
            "content/annual-reports/2023.md",
            "+++\ntitle = \"Jaarverslag 2023\"\nyear = 2023\ndate = 2024-03-01\n+++\n\nHet jaar 2023.\n"
                .to_string(),
        ),
        (
            "content/meetings/2027-03-09.md",
            "+++\ndate = 2027-03-09\nstart = \"19:30\"\nstatus = \"scheduled\"\npolicy_areas = [\"zorg\"]\n+++\n\nVooruit.\n"
                .to_string(),
        ),
    ];
    for (path, text) in &added {
        s.write(path, text);
        let rebuilt = s.run(&[path]);
        assert!(rebuilt.patched, "{path}: not patched in");
        assert!(
            rebuilt.changed.iter().any(|p| p.ends_with("index.html")),
            "{path}: pages changed"
        );
    }
    // Taken out again, in another order: the minutes of the meeting that gets its page
    // without them, an item at the top of its list, the only one of its year.
    for n in [6, 4, 0, 2, 9, 1, 3, 5, 7, 8] {
        let path = &added[n].0;
        std::fs::remove_file(s.path(path)).unwrap();
        let rebuilt = s.run(&[path]);
        assert!(rebuilt.patched, "{path}: not taken out by a patch");
        assert!(
            rebuilt.changed.iter().any(|p| p.ends_with("index.html")),
            "{path}: pages changed"
        );
    }
    // Items others link to: their links are errors now.
    let linked = "content/minutes/2026-09-08.md";
    let text = s.read(linked);
    std::fs::remove_file(s.path(linked)).unwrap();
    assert!(!s.run(&[linked]).patched, "{linked}: taken out by a patch");
    s.write(linked, &text);
    s.check(&[linked]);

    // The whole pipeline: a free page (in menus), a draft, a link that does not
    // resolve (an error), a URL or alias another item has, a file in a folder item.
    let whole = [
        (
            "content/pages/nieuw.md",
            "+++\ntitle = \"Nieuw\"\n+++\n\nTekst.\n".to_string(),
        ),
        (
            "content/news/2026-11-29-concept.md",
            news("Concept", "2026-11-29", "draft = true\n"),
        ),
        (
            "content/news/2026-11-28-kapot.md",
            news("Kapot", "2026-11-28", "") + "\nZie [dit](@/minutes/1999-01-01.md).\n",
        ),
        (
            "content/news/2025/2025-02-20-twee-nieuwe-leden.md",
            news("Dubbel", "2025-02-20", ""),
        ),
        // The same URL at another place in the order, and aliases another item or
        // alias has.
        (
            "content/news/2024/2025-02-20-twee-nieuwe-leden.md",
            news("Dubbel, ouder", "2024-01-01", ""),
        ),
        (
            "content/news/2026-11-27-oud-adres.md",
            news(
                "Oud adres",
                "2026-11-27",
                "aliases = [\"/oude-site/jaarverslag-2024.html\"]\n",
            ),
        ),
        (
            "content/news/2026-11-26-adres.md",
            news(
                "Adres",
                "2026-11-26",
                "aliases = [\"/nieuws/2025-03-20-jaarverslag-2024/\"]\n",
            ),
        ),
    ];
    for (path, text) in &whole {
        s.write(path, text);
        assert!(!s.run(&[path]).patched, "{path}: patched in");
        std::fs::remove_file(s.path(path)).unwrap();
        s.check(&[path]);
    }
}

/// Random files added, removed, renamed and redated, one or two at a time, as a
/// webmaster tidies up the archive: each is patched into the last build, and after each
/// every file equals a full build's.
#[test]
fn random_files_added_and_removed_equal_full_builds() {
    const FOLDERS: [&str; 4] = ["news", "minutes", "meetings", "advice"];
    const TOPICS: [&str; 4] = ["inspraak", "jeugdhulp", "Nieuw onderwerp", "mantelzorg"];
    const AREAS: [&str; 3] = ["wmo", "jeugd", "armoede"];
    let mut s = Session::start();
    let mut dice = Dice(0x2026_1206_0017);
    let mut ours: Vec<String> = Vec::new();
    for n in 0..40 {
        let date = format!(
            "20{}-{:02}-{:02}",
            24 + dice.below(4),
            1 + dice.below(12),
            1 + dice.below(28)
        );
        let front = format!(
            "title = \"Stuk {n}\"\ndate = {date}\nstatus = \"concept\"\nsolicited = true\n\
             addressed_to = \"College\"\nstart = \"{:02}:00\"\ntopics = [\"{}\"]\npolicy_areas = [\"{}\"]\n",
            10 + n % 12,
            dice.pick(&TOPICS),
            dice.pick(&AREAS),
        );
        let folder = dice.pick(&FOLDERS);
        // Front matter that another kind does not know is an error: only what the kind has.
        let front: String = (front.lines())
            .filter(|line| match folder {
                "minutes" => {
                    !line.starts_with("solicited")
                        && !line.starts_with("addressed")
                        && !line.starts_with("start")
                        && !line.starts_with("title")
                }
                "meetings" => {
                    !line.starts_with("solicited")
                        && !line.starts_with("addressed")
                        && !line.starts_with("status")
                        && !line.starts_with("title")
                }
                "advice" => !line.starts_with("status") && !line.starts_with("start"),
                _ => {
                    !line.starts_with("solicited")
                        && !line.starts_with("addressed")
                        && !line.starts_with("status")
                        && !line.starts_with("start")
                }
            })
            .map(|line| format!("{line}\n"))
            .collect();
        let text = format!("+++\n{front}+++\n\nTekst van stuk {n}.\n");
        let changed: Vec<String> = match (dice.below(5), ours.len()) {
            (0, 1..) => {
                let path = ours.swap_remove(dice.below(ours.len()));
                std::fs::remove_file(s.path(&path)).unwrap();
                vec![path]
            }
            (1, 2..) => {
                let a = ours.swap_remove(dice.below(ours.len()));
                let b = ours.swap_remove(dice.below(ours.len()));
                std::fs::remove_file(s.path(&a)).unwrap();
                std::fs::remove_file(s.path(&b)).unwrap();
                vec![a, b]
            }
            (2, 1..) => {
                let old = ours.swap_remove(dice.below(ours.len()));
                let new = old.replace(".md", "-hernoemd.md");
                std::fs::rename(s.path(&old), s.path(&new)).unwrap();
                ours.push(new.clone());
                vec![old, new]
            }
            (3, 1..) => {
                let path = ours[dice.below(ours.len())].clone();
                let text = s.read(&path);
                let line = text
                    .lines()
                    .find(|l| l.starts_with("date = "))
                    .unwrap()
                    .to_string();
                s.write(&path, &text.replacen(&line, &format!("date = {date}"), 1));
                vec![path]
            }
            _ => {
                let path = format!("content/{folder}/{date}-stuk-{n}.md");
                s.write(&path, &text);
                ours.push(path.clone());
                vec![path]
            }
        };
        let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
        // Readied for the next edit or not, the patch is the same.
        s.prepare = n % 2 == 0;
        assert!(s.run(&changed).patched, "{changed:?}: not patched");
    }
}

/// Two news items with one topic spelled two ways, "Wmo raad" by the newer (the first,
/// which names it) and "wmo-raad" by the older; `more` follows each in its list of topics.
fn spelled_twice(more: &str) -> Session {
    Session::of(|root| {
        news_site(root);
        for (date, topic) in [("2026-03-01", "Wmo raad"), ("2026-02-01", "wmo-raad")] {
            let text = format!(
                "+++\ntitle = \"Bericht {date}\"\ndate = {date}\ntopics = [\"{topic}\"{more}]\n+++\n\nTekst.\n"
            );
            std::fs::write(root.join(format!("content/news/{date}-bericht.md")), text).unwrap();
        }
    })
}

/// Makes `root` a site of news items alone, with a minimal configuration.
fn news_site(root: &Path) {
    std::fs::create_dir_all(root.join("content/news")).unwrap();
    std::fs::write(
        root.join("quorum.toml"),
        "title = \"Adviesraad Proefdorp\"\nbase_url = \"https://raad.example.nl\"\n",
    )
    .unwrap();
}

/// Two items edited at once: the newer gains a link to a heading of the older, whose
/// headings change. Whether a link names the older's headings is worked out from the
/// entries that linked to it before and those edited with it; both are patched in and
/// equal a full build (debug builds check that answer against every entry's links).
#[test]
fn a_link_to_a_heading_edited_at_once_with_it_is_seen() {
    let (newer, older) = (
        "content/news/2026-02-01-a.md",
        "content/news/2026-01-01-b.md",
    );
    let mut s = Session::of(|root| {
        news_site(root);
        let item = |title: &str, date: &str, body: &str| {
            format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\n\n{body}\n")
        };
        std::fs::write(root.join(newer), item("Nieuw", "2026-02-01", "Tekst.")).unwrap();
        let body = "## Oude kop\n\nTekst.";
        std::fs::write(root.join(older), item("Ouder", "2026-01-01", body)).unwrap();
    });
    edit(&mut s, newer, |t| {
        t.replace("Tekst.", "Zie [de kop](@/news/2026-01-01-b.md#nieuwe-kop).")
    });
    edit(&mut s, older, |t| t.replace("Oude kop", "Nieuwe kop"));
    s.check(&[newer, older]);
    let page = String::from_utf8(s.served["nieuws/2026-02-01-a/index.html"].clone()).unwrap();
    assert!(
        page.contains("2026-01-01-b/#nieuwe-kop"),
        "the link resolves"
    );
}

/// A topic is named as the first item with it spells it: taking that item out names
/// the topic as the next one spells it.
#[test]
fn a_topic_is_renamed_when_its_first_item_is_taken_out() {
    let mut s = spelled_twice("");
    let first = "content/news/2026-03-01-bericht.md";
    std::fs::remove_file(s.path(first)).unwrap();
    assert!(s.run(&[first]).patched);
}

/// A topic is named as the first item with it spells it: an edit to that item's
/// spelling renames the topic, and so does taking the topic off it; both are patched in
/// and equal full builds.
#[test]
fn a_topic_is_renamed_when_its_first_item_respells_or_drops_it() {
    let mut s = spelled_twice(", \"inspraak\"");
    let first = "content/news/2026-03-01-bericht.md";
    for (from, to) in [("\"Wmo raad\"", "\"WMO-raad\""), ("\"WMO-raad\", ", "")] {
        edit(&mut s, first, |t| t.replacen(from, to, 1));
        assert!(s.run(&[first]).patched, "{from} → {to}");
    }
    let topic = String::from_utf8(s.served["onderwerpen/wmo-raad/index.html"].clone()).unwrap();
    assert!(
        topic.contains("<title>wmo-raad – "),
        "named as the one item left spells it"
    );
}

/// New items in lists far longer than the stretch within which items are related: at
/// the top, in the middle and at the end, so that every later page of a list moves
/// on and a list gets a page more. Each is patched in; every file equals a full build's.
#[test]
fn new_files_in_long_lists_equal_full_builds() {
    // 140 items in `alle`: seven full pages of twenty.
    let mut s = Session::generated(140);
    for (date, topics) in [
        ("2021-01-01", "\"alle\", \"rood\""),
        ("2020-03-01", "\"alle\", \"paars\""),
        ("2019-12-31", "\"alle\""),
        ("2020-05-20", "\"groen\""),
    ] {
        let path = format!("content/news/{date}-nieuw.md");
        let text = format!(
            "+++\ntitle = \"Nieuw {date}\"\ndate = {date}\ntopics = [{topics}]\n\
             policy_areas = [\"jeugd\"]\n+++\n\nNieuw bericht.\n"
        );
        s.write(&path, &text);
        assert!(s.run(&[&path]).patched, "{path}");
    }
    // And items taken out: the newest, from the middle, the oldest.
    let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    for i in [139, 70, 0, 20] {
        let path = format!("content/news/{}-bericht.md", day + chrono::Days::new(i));
        std::fs::remove_file(s.path(&path)).unwrap();
        assert!(s.run(&[&path]).patched, "{path} taken out");
    }
}

/// `text` (an item's file) with its front matter's `key` set to `value`: the line of
/// the key replaced, or a line added before the date.
fn set_field(text: &str, key: &str, value: &str) -> String {
    let front = &text[..text.rfind("+++").unwrap()];
    let line = front.lines().find(|l| l.starts_with(&format!("{key} = ")));
    let new = format!("{key} = {value}");
    match line {
        Some(line) => text.replacen(line, &new, 1),
        None => text.replacen("\ndate = ", &format!("\n{new}\ndate = "), 1),
    }
}

/// Items moved within lists far longer than a page: redated from the top of their lists
/// to the middle, from the bottom to the top, onto the date of another item (before it
/// and after it, as their files' names sort), with a topic changed at once, into and
/// out of a run of items of one date; taken out of such a run; renamed; and the item
/// that names a topic moved and spelling it as the others do. Each is patched in, making
/// again only the pages between where the item went out and came in, and every file
/// equals a full build's: no page left out may have changed.
#[test]
fn items_moved_in_long_lists_equal_full_builds() {
    // 141 items in `alle`: eight pages of twenty; seven once one leaves the topic and
    // another is taken out.
    let mut s = Session::generated(141);
    let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let date = |i: u64| (day + chrono::Days::new(i)).to_string();
    let file = |i: u64| format!("content/news/{}-bericht.md", date(i));
    let moves = [
        (140, date(70), None),
        (0, "2021-01-01".to_string(), None),
        (10, date(100), None),
        (120, date(30), None),
        (50, date(52), None),
        (60, date(20), Some(("\"alle\", ", ""))),
        (20, date(90), Some(("topics = [", "topics = [\"paars\", "))),
    ];
    for (i, to, topics) in moves {
        let path = file(i);
        edit(&mut s, &path, |text| {
            let text = set_field(text, "date", &to);
            topics.map_or(text.clone(), |(from, to)| text.replacen(from, to, 1))
        });
        assert!(s.run(&[&path]).patched, "{path} redated to {to}");
    }
    // Twenty-five items redated onto one date, a run that straddles the end of a page;
    // then items of it moved up and down. Where an item was among those of its date is
    // not known: the pages from the first of them on change.
    for i in 100..125 {
        let path = file(i);
        edit(&mut s, &path, |text| set_field(text, "date", &date(33)));
        assert!(s.run(&[&path]).patched, "{path} redated into the run");
    }
    for (i, to) in [(124, 138), (100, 2), (112, 136), (118, 3)] {
        let path = file(i);
        edit(&mut s, &path, |text| set_field(text, "date", &date(to)));
        assert!(s.run(&[&path]).patched, "{path} redated out of the run");
    }
    // The first of the run taken out: its lists move up from there.
    let gone = file(101);
    std::fs::remove_file(s.path(&gone)).unwrap();
    assert!(s.run(&[&gone]).patched, "{gone} taken out");
    // Renamed: the same date, another name, so another place among items of that date.
    let (old, new) = (file(90), "content/news/2020-03-31-aaa.md".to_string());
    std::fs::rename(s.path(&old), s.path(&new)).unwrap();
    assert!(s.run(&[&old, &new]).patched, "{old} renamed");

    // The newest item with `alle` (item 0, redated to the top above) names the topic:
    // spelled otherwise, then moved to the middle and spelled as the others do, which
    // names the topic anew on all of its pages, also those after the move.
    let namer = file(0);
    edit(&mut s, &namer, |t| t.replacen("\"alle\"", "\"Alle\"", 1));
    assert!(s.run(&[&namer]).patched, "{namer} respelled");
    let last = String::from_utf8(s.served["onderwerpen/alle/pagina/7/index.html"].clone());
    assert!(
        last.unwrap().contains("<title>Alle (pagina 7) – "),
        "named by the newest"
    );
    edit(&mut s, &namer, |t| {
        set_field(t, "date", &date(70)).replacen("\"Alle\"", "\"alle\"", 1)
    });
    assert!(s.run(&[&namer]).patched, "{namer} moved");
    let last = String::from_utf8(s.served["onderwerpen/alle/pagina/7/index.html"].clone());
    assert!(
        last.unwrap().contains("<title>alle (pagina 7) – "),
        "named anew"
    );
}

/// The item cache keeps items without their body's text: a body that must be rendered
/// again (one of its links now leads elsewhere) is read again from its file. If the file
/// changed unseen meanwhile, what it holds was not loaded: the rebuild says so rather
/// than show it, and the next one, told of the change, equals a full build.
#[test]
fn a_body_read_again_must_be_the_one_loaded() {
    let linking = "content/news/2020-02-01-verwijzing.md";
    let mut s = Session::of(|root| {
        news_site(root);
        std::fs::write(
            root.join("content/news/2020-01-01-bericht.md"),
            "+++\ntitle = \"Bericht\"\ndate = 2020-01-01\n+++\n\nEen bericht.\n",
        )
        .unwrap();
        std::fs::write(
            root.join(linking),
            "+++\ntitle = \"Verwijzing\"\ndate = 2020-02-01\n+++\n\n\
             Zie [het bericht](@/news/2020-01-01-bericht.md).\n",
        )
        .unwrap();
    });
    let (old, new) = (
        "content/news/2020-01-01-bericht.md",
        "content/news/2020-01-01-nieuw-bericht.md",
    );
    std::fs::rename(s.path(old), s.path(new)).unwrap();
    let linking_text = s.read(linking).replace(
        old.trim_start_matches("content"),
        new.trim_start_matches("content"),
    );
    // Renamed, and the link that pointed at it fixed: both told, it equals a full build.
    s.write(linking, &linking_text);
    s.check(&[old, new, linking]);

    // Renamed back, told; the linking file changed too, but not told.
    std::fs::rename(s.path(new), s.path(old)).unwrap();
    s.write(linking, &linking_text.replace("Zie", "Lees"));
    s.cache.forget(&[s.path(old), s.path(new)]);
    let unseen = rebuild(&s.options, &mut s.cache).map(|_| ());
    let diagnostics = unseen.expect_err("the linking file changed since it was loaded");
    assert!(
        text(&diagnostics).contains("the file changed while the site was being built"),
        "{diagnostics}"
    );
    // Told of it, the next rebuild loads it again: its link is broken now, as in a full
    // build. Mended, the site builds again.
    s.check(&[linking]);
    s.write(
        linking,
        &s.read(linking).replace("nieuw-bericht", "bericht"),
    );
    s.check(&[linking]);
    assert!(
        s.served
            .contains_key("nieuws/2020-02-01-verwijzing/index.html")
    );
}
