//! Text that looks like markup (`<script>`, quotes, ampersands) written in titles and
//! fields comes out as text in every output: HTML, attributes, JSON-LD, open data,
//! RSS, iCalendar and the sitemap. Raw HTML in Markdown is sanitised unless the site
//! opts in.

use crate::util::TestSite;

const TITLE: &str = "Advies </script><script>alert('t')</script> \"citaat\" & <b>vet</b>";
const SUMMARY: &str = "Samenvatting <img src=x onerror=alert(1)> & \"meer\" ]]> einde";
const LOCATION: &str = "Zaal <1> & \"2\"; a,b\\c\nBEGIN:VEVENT";

/// The minimal site with an advice, a news item and a meeting full of markup-like text.
fn site() -> TestSite {
    let site = TestSite::fixture("minimal");
    let toml = |text: &str| toml::Value::String(text.to_string()).to_string();
    site.write(
        "content/news/2021-12-22-markup.md",
        &format!(
            "+++\ntitle = {}\ndate = 2021-12-22\nsummary = {}\ntopics = [\"<script>x</script>\", \"a & b\"]\n+++\nTekst.\n",
            toml(TITLE),
            toml(SUMMARY)
        ),
    );
    site.write(
        "content/meetings/2021-12-28.md",
        &format!(
            "+++\ntitle = {}\ndate = 2021-12-28\nlocation = {}\nagenda = [{{ title = {} }}]\n+++\n",
            toml(TITLE),
            toml(LOCATION),
            toml(TITLE)
        ),
    );
    site.build_ok();
    site
}

/// Every output file, as text.
fn all_text(site: &TestSite) -> Vec<(String, String)> {
    crate::util::snapshot_tree(&site.root.join("public"))
        .into_iter()
        .filter_map(|(path, bytes)| Some((path, String::from_utf8(bytes).ok()?)))
        .collect()
}

#[test]
fn no_markup_output_carries_the_injected_markup() {
    let site = site();
    // JSON and iCalendar are not markup: there the text is kept as written.
    let markup = all_text(&site)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html") || path.ends_with(".xml"));
    for (path, text) in markup {
        for needle in ["<script>alert", "<img src=x", "<b>vet"] {
            assert!(!text.contains(needle), "{path} contains {needle}");
        }
    }
}

#[test]
fn html_text_and_attributes() {
    let site = site();
    let page = site.read("nieuws/2021-12-22-markup/index.html");
    assert!(page.contains(
        "<h1>Advies &lt;&#x2F;script&gt;&lt;script&gt;alert(&#x27;t&#x27;)&lt;&#x2F;script&gt; &quot;citaat&quot; &amp; &lt;b&gt;vet&lt;&#x2F;b&gt;</h1>"
    ) || page.contains(
        "<h1>Advies &lt;/script&gt;&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &quot;citaat&quot; &amp; &lt;b&gt;vet&lt;/b&gt;</h1>"
    ), "{page}");
    // In attributes a quote would end the value: it must be escaped.
    let description = page
        .split("<meta name=\"description\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a description meta tag");
    assert!(description.contains("&quot;meer&quot;"), "{description}");
    assert!(!description.contains('<'), "{description}");
}

#[test]
fn json_ld_cannot_close_its_script_element() {
    let site = site();
    let page = site.read("nieuws/2021-12-22-markup/index.html");
    let json = page
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("a JSON-LD block");
    assert!(!json.contains('<') && !json.contains('>'), "{json}");
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let headline = value["@graph"][0]["headline"].as_str().unwrap();
    assert_eq!(headline, TITLE, "the text survives the escaping");
}

#[test]
fn open_data_round_trips() {
    let site = site();
    let item: serde_json::Value =
        serde_json::from_str(&site.read("api/news/2021-12-22-markup.json")).unwrap();
    assert_eq!(item["name"], TITLE);
    let meeting: serde_json::Value =
        serde_json::from_str(&site.read("api/meetings/2021-12-28.json")).unwrap();
    assert_eq!(meeting["location"]["description"], LOCATION);
}

#[test]
fn rss_titles_round_trip_and_descriptions_are_escaped_html() {
    let site = site();
    let xml = site.read("feed.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("the feed is valid XML");
    let entry = feed
        .entries
        .iter()
        .find(|e| e.title.as_ref().is_some_and(|t| t.content == TITLE))
        .expect("the title survives as text");
    let summary = entry.summary.as_ref().unwrap().content.clone();
    assert!(
        summary.contains("&lt;img src=x onerror=alert(1)&gt; &amp; \"meer\" ]]&gt; einde"),
        "a feed reader shows the summary as text: {summary}"
    );
}

#[test]
fn icalendar_text_is_escaped_and_cannot_add_lines() {
    let site = site();
    let ics = site.read("agenda.ics");
    let events = ics.lines().filter(|l| *l == "BEGIN:VEVENT").count();
    assert_eq!(
        events, 2,
        "the newline in the location adds no event: {ics}"
    );
    assert!(
        ics.contains("LOCATION:Zaal <1> & \"2\"\\; a\\,b\\\\c\\nBEGIN:VEVENT"),
        "{ics}"
    );
    let calendar = ical::IcalParser::new(ics.as_bytes())
        .next()
        .unwrap()
        .unwrap();
    let summaries: Vec<String> = calendar
        .events
        .iter()
        .flat_map(|e| &e.properties)
        .filter(|p| p.name == "SUMMARY")
        .filter_map(|p| p.value.clone())
        .collect();
    // iCalendar is plain text: the title stays as written, only unfolded.
    assert!(summaries.iter().any(|s| s == TITLE), "{summaries:?}");
}

#[test]
fn sitemap_escapes_the_base_url() {
    let site = site();
    site.quorum(&["build", "--base-url", "https://raad.example.nl/a&b"])
        .success();
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://raad.example.nl/a&amp;b/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("a&b"));
    assert!(!sitemap.contains("<script"));
}

#[test]
fn markdown_links_to_scripts_are_removed_unless_the_site_opts_in() {
    let site = TestSite::fixture("minimal");
    let body = "[klik](javascript:alert(1)) ![x](data:text/html,x) <img src=x onerror=alert(2)>\n\n\
                ## Kop {onmouseover=alert(3)}\n";
    site.write(
        "content/news/2021-12-22-links.md",
        &format!("+++\ntitle = \"Links\"\ndate = 2021-12-22\n+++\n{body}"),
    );
    site.build_ok();
    let page = site.read("nieuws/2021-12-22-links/index.html");
    assert!(
        !page.contains("javascript:") && !page.contains("onerror") && !page.contains("onmouseover"),
        "{page}"
    );
    assert!(!page.contains("data:text/html"));

    let config = std::fs::read_to_string(site.root.join("quorum.toml")).unwrap();
    site.write(
        "quorum.toml",
        &format!("{config}\n[markdown]\nunsafe_html = true\n"),
    );
    site.build_ok();
    let page = site.read("nieuws/2021-12-22-links/index.html");
    assert!(page.contains("href=\"javascript:alert(1)\"") && page.contains("onerror=alert(2)"));
    assert!(page.contains("onmouseover=\"alert(3)\""), "{page}");
}
