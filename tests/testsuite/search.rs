//! The search page and its index files, as the browser will read them.

use std::path::Path;

use serde_json::Value;

use crate::util::{TestSite, quorum, repo_root};

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An index written under `dir` (e.g. `public/zoeken/index`), looked up as search.js does.
struct Index {
    dir: std::path::PathBuf,
    meta: Value,
}

impl Index {
    fn open(dir: impl Into<std::path::PathBuf>) -> Index {
        let dir = dir.into();
        let meta = json(&dir.join("meta.json"));
        Index { dir, meta }
    }

    /// The stem a folded word form leads to, if the form occurs in the content.
    fn stem_of(&self, form: &str) -> Option<String> {
        let buckets = self.meta["buckets"].as_array().unwrap();
        let bucket = buckets
            .iter()
            .rposition(|first| first.as_str().unwrap() <= form)
            .unwrap_or(0);
        let terms = json(&self.dir.join(format!("terms/{bucket}.json")));
        let slot = terms["forms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f[0] == form)?[1]
            .as_u64()
            .unwrap();
        Some(
            terms["stems"][slot as usize][1]
                .as_str()
                .unwrap()
                .to_string(),
        )
    }

    /// Every document record (`[title, href, iso date, date, text]`) in id order.
    fn docs(&self) -> Vec<Value> {
        let count = self.meta["docs"].as_u64().unwrap() as usize;
        let chunk = self.meta["chunk"].as_u64().unwrap() as usize;
        let docs: Vec<Value> = (0..count.div_ceil(chunk))
            .flat_map(|n| {
                json(&self.dir.join(format!("docs/{n}.json")))
                    .as_array()
                    .unwrap()
                    .clone()
            })
            .collect();
        assert_eq!(docs.len(), count);
        docs
    }
}

#[test]
fn the_search_page_has_an_accessible_form_that_works_without_script() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let page = site.read("zoeken/index.html");
    for needle in [
        "<label for=\"search-q\">",
        "<input type=\"search\" id=\"search-q\" name=\"q\"",
        "action=\"/zoeken/\" method=\"get\"",
        "role=\"status\" aria-live=\"polite\"",
        "<select id=\"search-kind\" name=\"kind\">",
        "<option value=\"answered\">Beantwoord</option>",
        "<noscript>",
        "href=\"/beleidsterreinen/\"",
        "<script type=\"module\" src=\"/search.js\"></script>",
        "<link rel=\"modulepreload\" href=\"/search-core.js\">",
    ] {
        assert!(page.contains(needle), "{needle} in the search page");
    }
    assert!(site.exists("search.js"));
    assert!(
        site.exists("search-core.js"),
        "the module search.js imports"
    );
    let home = site.read("index.html");
    assert!(
        home.contains("action=\"/zoeken/\" method=\"get\""),
        "every page's header has a search box"
    );
}

#[test]
fn drafts_the_404_page_and_redirects_are_not_indexed() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let index = Index::open(site.root.join("public/zoeken/index"));
    let docs = index.docs();
    let hrefs: Vec<&str> = docs.iter().map(|d| d[1].as_str().unwrap()).collect();
    assert_eq!(
        hrefs,
        [
            "/over-ons/",
            "/adviezen/2021-armoede/",
            "/verslagen/2021-12-14/",
            "/vergaderingen/2021-12-14/",
            "/nieuws/2021-12-20-nieuw-lid/",
            "/jaarverslagen/2021/",
        ],
        "every published item once, undated pages first, then oldest first"
    );
    assert_eq!(
        index.stem_of("niet"),
        None,
        "the draft's words are not there"
    );
    assert!(index.stem_of("voorzitter").is_some());

    site.quorum(&["build", "--drafts"]).success();
    let with_drafts = Index::open(site.root.join("public/zoeken/index"));
    assert_eq!(with_drafts.meta["docs"], 7);
    assert_eq!(with_drafts.stem_of("niet").as_deref(), Some("niet"));
}

#[test]
fn facets_carry_kind_year_area_and_advice_status_per_document() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let meta = Index::open(site.root.join("public/zoeken/index")).meta;
    let facets = &meta["facets"];
    assert_eq!(
        facets["kind"]["values"],
        serde_json::json!([
            "minutes",
            "meeting",
            "news",
            "advice",
            "annual-report",
            "page"
        ])
    );
    // In document order: page, advice, minutes, meeting, news, report.
    assert_eq!(facets["kind"]["docs"], "5,3,0,1,2,4");
    assert_eq!(facets["year"]["values"], serde_json::json!(["2021"]));
    assert_eq!(facets["year"]["docs"], ",0,0,0,0,0");
    assert_eq!(
        facets["status"]["docs"], ",2,,,,",
        "the advice is answered (awaiting, overdue, answered)"
    );
    assert_eq!(
        facets["area"]["values"],
        serde_json::json!(["armoede", "wmo"])
    );
    assert_eq!(facets["area"]["docs"], ",0,1,,,");
}

#[test]
fn the_example_site_index_maps_dutch_word_forms_to_shared_stems() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    quorum(
        &repo_root(),
        &["build", "--output", public.to_str().unwrap()],
    )
    .success();
    let index = Index::open(public.join("zoeken/index"));
    assert_eq!(index.stem_of("adviezen").as_deref(), Some("advies"));
    assert_eq!(index.stem_of("advies").as_deref(), Some("advies"));
    assert_eq!(index.stem_of("vergaderingen").as_deref(), Some("vergader"));
    assert_eq!(index.stem_of("vergadering").as_deref(), Some("vergader"));
    assert_eq!(
        index.stem_of("clienten").as_deref(),
        Some("client"),
        "diacritics are folded: the content says cliënten"
    );
    assert_eq!(
        index.stem_of("cliënten"),
        None,
        "only folded forms are stored"
    );

    let buckets = index.meta["buckets"].as_array().unwrap().len();
    assert!(buckets > 1, "the term list is split into buckets");
    for n in 0..buckets {
        assert!(
            public
                .join(format!("zoeken/index/terms/{n}.json"))
                .is_file()
        );
    }
    let docs = index.docs();
    assert!(docs.len() > 25, "more than one document chunk");
    let dates: Vec<&str> = docs
        .iter()
        .map(|d| d[2].as_str().unwrap())
        .filter(|d| !d.is_empty())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    assert!(
        docs.iter()
            .all(|d| !d[1].as_str().unwrap().contains("oude-site")),
        "no redirect pages"
    );
}

#[test]
fn english_sites_stem_english_under_search() {
    let site = TestSite::fixture("minimal");
    let config = std::fs::read_to_string(site.root.join("quorum.toml")).unwrap();
    site.write(
        "quorum.toml",
        &config.replace("language = \"nl\"", "language = \"en\""),
    );
    site.write(
        "content/pages/how-we-meet.md",
        "+++\ntitle = \"How our meetings work\"\n+++\nEvery meeting is public; policies are discussed.\n",
    );
    site.build_ok();
    assert!(site.read("search/index.html").contains("<h1>Search</h1>"));
    let index = Index::open(site.root.join("public/search/index"));
    assert_eq!(index.stem_of("meetings").as_deref(), Some("meet"));
    assert_eq!(index.stem_of("meeting").as_deref(), Some("meet"));
    assert_eq!(index.stem_of("policies").as_deref(), Some("polici"));
}
