//! The authoring commands: `init`, `new` and `import` write content that builds.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::util::{TestSite, quorum, repo_root, snapshot_tree};

/// The seed documents shared by the project: real Dutch texts as copied from websites.
fn seeds() -> PathBuf {
    repo_root().join("../shared/seeds")
}

fn read(site: &TestSite, path: &str) -> String {
    let path = site.root.join(path);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The front matter of a content file, parsed.
fn front_matter(text: &str) -> toml::Table {
    let inner = text.split("+++").nth(1).expect("front matter");
    toml::from_str(inner).unwrap()
}

#[test]
fn imports_the_minutes_seed_with_date_headings_and_list() {
    let site = TestSite::fixture("authoring");
    let file = seeds().join("minutes-2021-12-14.txt");
    let run = site
        .quorum(&["import", "minutes", file.to_str().unwrap()])
        .success();
    let out = run.stdout();
    assert!(out.contains("content/minutes/2021-12-14.md"), "{out}");
    assert!(out.contains("date 2021-12-14 (from the document)"), "{out}");
    assert!(out.contains("7 headings"), "{out}");
    assert!(
        out.contains("Nieuwsberichten"),
        "the dropped website text is reported: {out}"
    );
    assert!(out.contains("check:"), "{out}");

    let text = read(&site, "content/minutes/2021-12-14.md");
    let fm = front_matter(&text);
    assert_eq!(fm["date"].to_string(), "2021-12-14");
    assert!(
        !text.contains("Vergadering 14 december 2021"),
        "the title line is the date"
    );
    for heading in [
        "## Opening en Welkom",
        "## Ingekomen stukken",
        "## Coronaherstelplan 2022",
        "## Rondvraag",
    ] {
        assert!(
            text.contains(&format!("\n{heading}\n")),
            "{heading} in\n{text}"
        );
    }
    assert!(
        text.contains("\n1. verslag workshop TR\\\n   De secretaris ASD"),
        "{text}"
    );
    assert!(
        text.contains("\n7. Verslag evaluatiebijeenkomst 09.11.21\n"),
        "{text}"
    );
    assert!(text.contains("\n12. Rapportage Sociaal Domein"), "{text}");
    assert!(text.contains("\n1. bewustwordingscampagne\n2. workshops op scholen\n"));
    assert!(!text.contains("Nieuwsberichten"));

    site.build_ok();
    let page = site.read("verslagen/2021-12-14/index.html");
    assert!(page.contains("<h1>Vergadering 14 december 2021</h1>"));
    assert!(page.contains("<li>verslag workshop TR<br"), "{page}");
    assert!(
        page.contains("<ol start=\"12\">"),
        "numbers are kept: {page}"
    );
}

#[test]
fn imports_the_annual_report_seed_with_its_year() {
    let site = TestSite::fixture("authoring");
    let file = seeds().join("annual-report-excerpt.txt");
    let file = file.to_str().unwrap();

    let run = site.quorum(&["import", "annual-report", file]).failure();
    assert!(
        run.stderr().contains("--date YYYY-MM-DD"),
        "{}",
        run.stderr()
    );
    assert!(
        !site.root.join("content/annual-reports").exists(),
        "nothing written"
    );

    let run = site
        .quorum(&["import", "annual-report", file, "--date", "2021-04-01"])
        .success();
    assert!(run.stdout().contains("year 2020"), "{}", run.stdout());
    let text = read(&site, "content/annual-reports/2020.md");
    let fm = front_matter(&text);
    assert_eq!(fm["year"].as_integer(), Some(2020));
    assert_eq!(fm["title"].as_str(), Some("Jaarverslag 2020"));
    assert!(text.contains("\n- Het SMO-Raadscollege"), "{text}");
    assert!(text.contains("\n- Armoedebeleid\n"), "{text}");
    assert!(
        !text.contains("Koppeling naar Jaarverslag"),
        "website link text left out"
    );
    site.build_ok();
    assert!(site.exists("jaarverslagen/2020/index.html"));

    site.quorum(&[
        "import",
        "annual-report",
        file,
        "--date",
        "2021-04-01",
        "--year",
        "2019",
    ])
    .success();
    let fm = front_matter(&read(&site, "content/annual-reports/2019.md"));
    assert_eq!(fm["year"].as_integer(), Some(2019), "--year overrides");
}

const NAMESPACES: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A small Word document, as Word writes it: styles, numbering and links in their parts.
fn write_docx(path: &Path) {
    let para = |style: &str, runs: &str| {
        let style = if style.is_empty() {
            String::new()
        } else {
            format!(r#"<w:pPr><w:pStyle w:val="{style}"/></w:pPr>"#)
        };
        format!("<w:p>{style}{runs}</w:p>")
    };
    let run = |text: &str| format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#);
    let bold = |text: &str| format!(r#"<w:r><w:rPr><w:b/></w:rPr><w:t>{text}</w:t></w:r>"#);
    let item = |num: u32, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Lijstalinea"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{}</w:p>"#,
            run(text)
        )
    };
    let cell = |text: &str| format!("<w:tc><w:p>{}</w:p></w:tc>", run(text));
    let body = [
        para("Titel", &run("Advies over armoede")),
        para("", &run("Datum: 18 maart 2021")),
        para("Kop1", &run("Aanbevelingen")),
        para(
            "",
            &format!(
                r#"{}{}{}<w:hyperlink r:id="rId7">{}</w:hyperlink>{}"#,
                run("De raad is "),
                bold("positief"),
                run(" over "),
                run("het armoedeplan"),
                run(".")
            ),
        ),
        item(1, "Verhoog de inkomensgrens"),
        item(1, "Maak aanvragen eenvoudiger"),
        item(2, "Eerste stap"),
        item(2, "Tweede stap"),
        format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            cell("Regeling"),
            cell("Bereik"),
            cell("Meedoenregeling"),
            cell("60%")
        ),
    ]
    .concat();
    let parts = [
        (
            "word/document.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NAMESPACES}><w:body>{body}</w:body></w:document>"#),
        ),
        (
            "word/styles.xml",
            format!(r#"<w:styles {NAMESPACES}><w:style w:styleId="Titel"><w:name w:val="Title"/></w:style><w:style w:styleId="Kop1"><w:name w:val="heading 1"/></w:style></w:styles>"#),
        ),
        (
            "word/numbering.xml",
            format!(r#"<w:numbering {NAMESPACES}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#),
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.nl/armoedeplan" TargetMode="External"/></Relationships>"#.to_string(),
        ),
    ];
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn imports_a_word_document() {
    let site = TestSite::fixture("authoring");
    let docx = site.root.join("advies.docx");
    write_docx(&docx);
    let run = site.quorum(&["import", "advice", "advies.docx"]).success();
    assert!(
        run.stdout().contains("date 2021-03-18 (from the document)"),
        "{}",
        run.stdout()
    );

    let text = read(&site, "content/advice/2021-advies-over-armoede.md");
    let fm = front_matter(&text);
    assert_eq!(fm["title"].as_str(), Some("Advies over armoede"));
    assert_eq!(fm["date"].to_string(), "2021-03-18");
    assert!(text.contains("\n## Aanbevelingen\n"), "{text}");
    assert!(
        !text.contains("Datum:"),
        "the date line went into the front matter"
    );
    assert!(
        text.contains(
            "De raad is **positief** over [het armoedeplan](https://example.nl/armoedeplan)."
        ),
        "{text}"
    );
    assert!(
        text.contains("\n- Verhoog de inkomensgrens\n- Maak aanvragen eenvoudiger\n"),
        "{text}"
    );
    assert!(
        text.contains("\n1. Eerste stap\n2. Tweede stap\n"),
        "{text}"
    );
    assert!(
        text.contains("\n| Regeling | Bereik |\n| --- | --- |\n| Meedoenregeling | 60% |"),
        "{text}"
    );

    site.build_ok();
    let page = site.read("adviezen/2021-advies-over-armoede/index.html");
    assert!(page.contains("<strong>positief</strong>"));
    assert!(page.contains("<table>"));
}

#[test]
fn files_that_are_not_documents_are_refused_and_nothing_is_written() {
    let site = TestSite::fixture("authoring");
    site.write("kapot.docx", "PK\u{3}\u{4} dit is geen zip");
    fs::write(
        site.root.join("foto.docx"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .unwrap();
    site.write("leeg.txt", "  \n");
    site.write("goed.txt", "Nieuw lid\n\nDe raad heeft een nieuw lid.\n");
    let before = snapshot_tree(&site.root.join("content"));

    let run = site
        .quorum(&[
            "import",
            "news",
            "goed.txt",
            "kapot.docx",
            "foto.docx",
            "leeg.txt",
            "weg.txt",
            "--root",
            ".",
        ])
        .failure();
    let err = run.stderr();
    assert!(
        err.contains("kapot.docx") && err.contains("not a Word document"),
        "{err}"
    );
    assert!(
        err.contains("foto.docx") && err.contains("it is a PNG image"),
        "{err}"
    );
    assert!(
        err.contains("leeg.txt") && err.contains("the file is empty"),
        "{err}"
    );
    assert!(
        err.contains("weg.txt") && err.contains("cannot read the file"),
        "{err}"
    );
    assert!(err.contains("help:"), "every error has a hint: {err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(
        snapshot_tree(&site.root.join("content")),
        before,
        "nothing written"
    );
}

/// Runs `quorum init` in a fresh temporary folder and builds the result.
fn init_and_build(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec!["init", "site"];
    all.extend_from_slice(args);
    quorum(dir.path(), &all).success();
    let site = dir.path().join("site");
    let run = quorum(&site, &["build"]).success();
    assert!(
        run.stdout()
            .contains("1 minutes, 1 meeting, 1 news, 1 advice, 1 annual report, 3 pages"),
        "{}",
        run.stdout()
    );
    (dir, site)
}

#[test]
fn init_creates_a_dutch_site_that_builds() {
    let (_dir, site) = init_and_build(&[]);
    let config = fs::read_to_string(site.join("quorum.toml")).unwrap();
    assert!(config.contains("language = \"nl\""));
    for area in [
        "Wmo en ondersteuning",
        "Schuldhulpverlening",
        "Wonen en leefbaarheid",
    ] {
        assert!(config.contains(area), "{area}");
    }
    for file in [
        "content/pages/over-ons.md",
        "content/pages/contact.md",
        "content/pages/toegankelijkheidsverklaring.md",
        "content/minutes/2026-10-13.md",
        "content/meetings/2026-12-08.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    assert_eq!(
        fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("public/")
    );
    assert_eq!(
        fs::read_to_string(site.join(".github/workflows/deploy.yml")).unwrap(),
        fs::read_to_string(repo_root().join("examples/github-pages.yml")).unwrap()
    );
    let minutes = fs::read_to_string(site.join("content/minutes/2026-10-13.md")).unwrap();
    assert!(minutes.contains("actions = ["));
    let advice = fs::read_to_string(site.join("content/advice/2026-minimaregelingen.md")).unwrap();
    assert!(advice.contains("response = {"));
}

#[test]
fn init_creates_an_english_site_that_builds() {
    let (_dir, site) = init_and_build(&["--language", "en"]);
    let config = fs::read_to_string(site.join("quorum.toml")).unwrap();
    assert!(config.contains("language = \"en\""));
    assert!(site.join("content/pages/about.md").is_file());
    assert!(site.join("public/minutes/2026-10-13/index.html").is_file());
    let minutes = fs::read_to_string(site.join("content/minutes/2026-10-13.md")).unwrap();
    assert!(minutes.contains("## 5. Any other business"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    fs::create_dir(&site).unwrap();
    fs::write(site.join("README.md"), "Mijn site\n").unwrap();
    let run = quorum(dir.path(), &["init", "site"]).failure();
    assert!(
        run.stderr().contains("the folder is not empty"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("--force"), "{}", run.stderr());
    assert!(!site.join("quorum.toml").exists());

    fs::write(
        site.join("quorum.toml"),
        "title = \"Eigen\"\nbase_url = \"https://eigen.nl\"\n",
    )
    .unwrap();
    let run = quorum(dir.path(), &["init", "site", "--force"]).success();
    assert!(
        run.stdout().contains("quorum.toml (already there, kept)"),
        "{}",
        run.stdout()
    );
    assert!(
        fs::read_to_string(site.join("quorum.toml"))
            .unwrap()
            .contains("Eigen")
    );
    assert_eq!(
        fs::read_to_string(site.join("README.md")).unwrap(),
        "Mijn site\n"
    );
    assert!(site.join("content/pages/over-ons.md").is_file());
}

#[test]
fn new_minutes_carry_open_actions_over_and_take_the_agenda() {
    let site = TestSite::fixture("open-actions");
    let run = site
        .quorum(&["new", "minutes", "--date", "2022-01-11"])
        .success();
    assert!(
        run.stdout().contains("content/minutes/2022-01-11.md"),
        "{}",
        run.stdout()
    );
    let text = read(&site, "content/minutes/2022-01-11.md");
    let fm = front_matter(&text);
    let actions = fm["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{text}");
    assert_eq!(actions[0]["id"].as_str(), Some("A2"));
    assert_eq!(actions[0]["due"].to_string(), "2022-02-01");
    assert_eq!(fm["location"].as_str(), Some("Dorpshuis"));
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## 1. Opening en mededelingen",
            "## 2. Vaststellen agenda",
            "## 3. Verslag vorige vergadering en actielijst",
            "## 4. Mededelingen en ingekomen stukken",
            "## 5. Armoedebeleid met de wethouder",
            "## 6. Rondvraag",
            "## 7. Sluiting",
        ]
    );
    site.quorum(&["build", "--drafts"]).success();
    assert!(site.exists("verslagen/2022-01-11/index.html"));
}

#[test]
fn new_minutes_in_english() {
    let site = TestSite::fixture("authoring");
    let config = read(&site, "quorum.toml").replace("language = \"nl\"", "language = \"en\"");
    site.write("quorum.toml", &config);
    site.quorum(&["new", "minutes"]).success();
    let text = read(&site, "content/minutes/2026-11-22.md");
    assert!(text.contains("## 2. Adoption of the agenda"), "{text}");
    assert!(text.contains("## 6. Closing"), "{text}");
}

#[test]
fn new_news_is_named_after_date_and_title() {
    let site = TestSite::fixture("authoring");
    let run = site
        .quorum(&["new", "news", "--title", "Één nieuw lid"])
        .success();
    let path = "content/news/2026-11-22-een-nieuw-lid.md";
    assert_eq!(run.stdout().lines().next(), Some(path));
    let fm = front_matter(&read(&site, path));
    assert_eq!(fm["title"].as_str(), Some("Één nieuw lid"));
    assert_eq!(fm["date"].to_string(), "2026-11-22");
    site.quorum(&["build", "--drafts"]).success();
}

#[test]
fn new_never_overwrites() {
    let site = TestSite::fixture("authoring");
    site.quorum(&["new", "page", "--title", "Leden"]).success();
    site.write(
        "content/pages/leden.md",
        "+++\ntitle = \"Leden\"\n+++\nMijn tekst.\n",
    );
    let run = site.quorum(&["new", "page", "--title", "Leden"]).failure();
    assert!(run.stderr().contains("already exists"), "{}", run.stderr());
    assert!(run.stderr().contains("help:"), "{}", run.stderr());
    assert!(read(&site, "content/pages/leden.md").contains("Mijn tekst."));

    let run = site.quorum(&["new", "news"]).failure();
    assert!(run.stderr().contains("--title"), "{}", run.stderr());
}
