//! Successful builds: pages, URLs, metadata, feeds and copies.

use crate::util::TestSite;

#[test]
fn builds_every_page_kind_with_dutch_urls() {
    let site = TestSite::fixture("minimal");
    let run = site.build_ok();
    assert!(
        run.stdout()
            .contains("1 minutes, 1 meeting, 1 news, 1 advice, 1 annual report, 1 page"),
        "{}",
        run.stdout()
    );
    for page in [
        "index.html",
        "verslagen/index.html",
        "verslagen/2021-12-14/index.html",
        "vergaderingen/2021-12-14/index.html",
        "nieuws/2021-12-20-nieuw-lid/index.html",
        "adviezen/2021-armoede/index.html",
        "jaarverslagen/2021/index.html",
        "over-ons/index.html",
        "jaar/index.html",
        "jaar/2021/index.html",
        "onderwerpen/index.html",
        "onderwerpen/eenzaamheid/index.html",
        "beleidsterreinen/index.html",
        "beleidsterreinen/wmo/index.html",
        "beleidsterreinen/armoede/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "style.css",
    ] {
        assert!(site.exists(page), "missing {page}");
    }
}

#[test]
fn item_pages_show_their_metadata() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let minutes = site.read("verslagen/2021-12-14/index.html");
    assert!(minutes.contains("<h1>Vergadering 14 december 2021</h1>"));
    assert!(minutes.contains("<time datetime=\"2022-01-11\">11 januari 2022</time>"));
    assert!(minutes.contains("href=\"/beleidsterreinen/wmo/\">Wmo en ondersteuning</a>"));
    assert!(minutes.contains("href=\"/onderwerpen/eenzaamheid/\">Eenzaamheid</a>"));
    assert!(minutes.contains("<td>Wethouder uitnodigen</td>"));
    assert!(
        minutes.contains("href=\"/adviezen/2021-armoede/#aanbevelingen\""),
        "content links resolve"
    );

    let report = site.read("jaarverslagen/2021/index.html");
    assert!(report.contains("href=\"/jaarverslagen/2021/jaarverslag-2021.pdf\""));
    assert!(report.contains("(PDF, 15 B)"), "attachment type and size");
    assert!(site.exists("jaarverslagen/2021/jaarverslag-2021.pdf"));

    let advice = site.read("adviezen/2021-armoede/index.html");
    assert!(advice.contains("Gevraagd advies") && advice.contains("ASD-2021-03"));
    assert!(advice.contains("Het college neemt het advies over."));
    assert!(advice.contains("Beantwoord"));

    let meeting = site.read("vergaderingen/2021-12-14/index.html");
    assert!(meeting.contains("19:30 – 21:30"));
    assert!(
        meeting.contains("href=\"/verslagen/2021-12-14/\""),
        "meeting links to its minutes"
    );
}

#[test]
fn titles_are_escaped() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let news = site.read("nieuws/2021-12-20-nieuw-lid/index.html");
    assert!(news.contains("Nieuw lid &lt;benoemd&gt; &amp; welkom"));
    assert!(!news.contains("<benoemd>"));
}

#[test]
fn drafts_only_with_flag() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    assert!(!site.exists("nieuws/2021-12-21-concept/index.html"));
    site.quorum(&["build", "--drafts"]).success();
    assert!(site.exists("nieuws/2021-12-21-concept/index.html"));
}

#[test]
fn aliases_redirect_to_the_new_url() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let alias = site.read("oude-site/verslag-14-12-2021.html");
    assert!(
        alias.contains("<meta http-equiv=\"refresh\" content=\"0; url=/verslagen/2021-12-14/\">")
    );
    assert!(alias.contains(
        "<link rel=\"canonical\" href=\"https://raad.example.nl/verslagen/2021-12-14/\">"
    ));
    assert!(!site.read("sitemap.xml").contains("oude-site"));
}

#[test]
fn base_url_override_reaches_links_and_feeds() {
    let site = TestSite::fixture("minimal");
    site.quorum(&["build", "--base-url", "https://user.github.io/raad/"])
        .success();
    let home = site.read("index.html");
    assert!(
        home.contains("href=\"/raad/verslagen/\""),
        "links carry the base path"
    );
    assert!(home.contains("href=\"/raad/style.css\""));
    let minutes = site.read("verslagen/2021-12-14/index.html");
    assert!(minutes.contains("href=\"/raad/adviezen/2021-armoede/#aanbevelingen\""));
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://user.github.io/raad/verslagen/2021-12-14/</loc>")
    );
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://user.github.io/raad/sitemap.xml")
    );
}

#[test]
fn feed_parses_back_with_absolute_links_and_stable_guids() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let xml = site.read("feed.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("feed.xml parses");
    assert_eq!(feed.entries.len(), 1, "drafts stay out of the feed");
    let entry = &feed.entries[0];
    assert_eq!(
        entry.id,
        "https://raad.example.nl/nieuws/2021-12-20-nieuw-lid/"
    );
    assert_eq!(
        entry.links[0].href,
        "https://raad.example.nl/nieuws/2021-12-20-nieuw-lid/"
    );
    assert_eq!(
        entry.published.unwrap().to_rfc3339(),
        "2021-12-20T00:00:00+00:00"
    );
    assert!(xml.contains("<atom:link href=\"https://raad.example.nl/feed.xml\" rel=\"self\" type=\"application/rss+xml\""), "{xml}");
    assert!(
        xml.contains("<guid>https://raad.example.nl/nieuws/2021-12-20-nieuw-lid/</guid>"),
        "{xml}"
    );
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss"),
        "{xml}"
    );
}

#[test]
fn english_sites_use_english_url_words_and_dates() {
    let site = TestSite::fixture("minimal");
    let config = std::fs::read_to_string(site.root.join("quorum.toml")).unwrap();
    site.write(
        "quorum.toml",
        &config.replace("language = \"nl\"", "language = \"en\""),
    );
    site.build_ok();
    assert!(site.exists("minutes/2021-12-14/index.html"));
    assert!(site.exists("policy-areas/wmo/index.html"));
    assert!(site.exists("annual-reports/2021/index.html"));
    assert!(site.exists("year/2021/index.html"));
    let minutes = site.read("minutes/2021-12-14/index.html");
    assert!(minutes.contains("<html lang=\"en\""));
    assert!(minutes.contains("<h1>Meeting 14 December 2021</h1>"));
    assert!(minutes.contains("Action list"));
}

#[test]
fn raw_html_is_sanitised_unless_the_site_opts_in() {
    let site = TestSite::fixture("minimal");
    site.write("content/pages/html.md", "+++\ntitle = \"HTML\"\n+++\nTekst <script>alert(1)</script> <em onclick=\"x()\">nadruk</em>\n");
    site.build_ok();
    let page = site.read("html/index.html");
    assert!(
        !page.contains("<script>alert") && !page.contains("onclick"),
        "{page}"
    );
    assert!(page.contains("<em>nadruk</em>"));

    let config = std::fs::read_to_string(site.root.join("quorum.toml")).unwrap();
    site.write(
        "quorum.toml",
        &format!("{config}\n[markdown]\nunsafe_html = true\n"),
    );
    site.build_ok();
    assert!(
        site.read("html/index.html")
            .contains("<script>alert(1)</script>")
    );
}

#[test]
fn site_templates_override_the_theme() {
    let site = TestSite::fixture("minimal");
    site.write("templates/page.html", "{% extends \"item.html\" %}{% block after_body %}<p class=\"eigen\">Eigen sjabloon</p>{% endblock after_body %}");
    site.build_ok();
    assert!(
        site.read("over-ons/index.html")
            .contains("<p class=\"eigen\">Eigen sjabloon</p>")
    );
    assert!(
        !site
            .read("nieuws/2021-12-20-nieuw-lid/index.html")
            .contains("Eigen sjabloon")
    );
}

#[test]
fn static_files_are_copied_and_override_the_theme() {
    let site = TestSite::fixture("minimal");
    site.write("static/files/reglement.pdf", "%PDF-1.4");
    site.write("static/style.css", "/* eigen huisstijl */");
    site.build_ok();
    assert_eq!(site.read("files/reglement.pdf"), "%PDF-1.4");
    assert_eq!(site.read("style.css"), "/* eigen huisstijl */");
}

#[test]
fn house_style_stylesheets_are_linked_after_the_theme() {
    let site = TestSite::fixture("minimal");
    let config = std::fs::read_to_string(site.root.join("quorum.toml")).unwrap();
    let config = config.replacen(
        "language = \"nl\"\n",
        "language = \"nl\"\nstylesheets = [\"huisstijl.css\"]\n",
        1,
    );
    site.write("quorum.toml", &config);
    let missing = site.quorum(&["build"]).failure().stderr();
    assert!(
        missing.contains("there is no static/huisstijl.css"),
        "{missing}"
    );
    site.write(
        "static/huisstijl.css",
        ":root { --quorum-link-color: #a00; }",
    );
    site.build_ok();
    let home = site.read("index.html");
    let theme = home
        .find("href=\"/style.css\"")
        .expect("the theme's stylesheet");
    let house = home
        .find("<link rel=\"stylesheet\" href=\"/huisstijl.css\">")
        .expect("the house style");
    assert!(theme < house, "the house style comes after the theme's");
    assert_eq!(
        site.read("huisstijl.css"),
        ":root { --quorum-link-color: #a00; }"
    );
}

#[test]
fn lists_are_paginated_newest_first() {
    let site = TestSite::fixture("minimal");
    for day in 1..=25 {
        site.write(
            &format!("content/news/2022-01-{day:02}-bericht.md"),
            &format!(
                "+++\ntitle = \"Bericht {day}\"\ndate = 2022-01-{day:02}\n+++\nTekst {day}.\n"
            ),
        );
    }
    site.build_ok();
    let first = site.read("nieuws/index.html");
    let second = site.read("nieuws/pagina/2/index.html");
    assert!(first.find("Bericht 25").unwrap() < first.find("Bericht 24").unwrap());
    assert!(!first.contains("Bericht 5<") && second.contains("Bericht 5<"));
    assert!(
        second.contains("Nieuw lid"),
        "the oldest item is on the last page"
    );
    assert!(first.contains("rel=\"next\" ") || first.contains("rel=\"next\">"));
}

#[test]
fn check_validates_without_writing() {
    let site = TestSite::fixture("minimal");
    let run = site.quorum(&["check"]).success();
    assert!(run.stdout().starts_with("checked: "), "{}", run.stdout());
    assert!(!site.root.join("public").exists());
}

#[test]
fn timings_give_each_stage_its_time_processor_time_and_memory() {
    let site = TestSite::fixture("minimal");
    let run = site.quorum(&["check", "--timings"]).success();
    let out = format!("{}{}", run.stdout(), run.stderr());
    for stage in [
        "load and parse content",
        "render item pages and their open data",
        "lists, overviews, feeds and the search index (side by side)",
    ] {
        let line = (out.lines().find(|l| l.ends_with(stage)))
            .unwrap_or_else(|| panic!("no line for {stage:?} in\n{out}"));
        let numbers: Vec<f64> = (line.split_whitespace())
            .filter_map(|word| word.parse().ok())
            .collect();
        // Wall time, processor time (Linux tells both), peak memory.
        assert_eq!(numbers.len(), 3, "{line}");
        assert!(
            line.contains(" ms cpu ") && line.contains(" MiB peak "),
            "{line}"
        );
        assert!(numbers[2] > 0.0, "{line}");
    }
}
