//! Bad input: every error names file, line and column, says what is wrong and how to
//! fix it, and all errors of a build come together. The exact texts are snapshots.

use crate::util::TestSite;

/// Builds the site, expects failure, and returns what was printed on stderr.
fn build_fails(site: &TestSite) -> String {
    let run = site.quorum(&["build"]).failure();
    assert!(!site.root.join("public").exists(), "nothing is written");
    run.stderr()
}

/// The minimal site with one file replaced.
fn with(path: &str, text: &str) -> TestSite {
    let site = TestSite::fixture("minimal");
    site.write(path, text);
    site
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let site = TestSite::fixture("broken-content");
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn check_reports_the_same_errors() {
    let site = TestSite::fixture("broken-content");
    let run = site.quorum(&["check"]).failure();
    assert!(
        run.stderr()
            .contains("error: the site was not built: 6 errors"),
        "{}",
        run.stderr()
    );
}

#[test]
fn unknown_config_key() {
    let site = TestSite::fixture("minimal");
    let config = std::fs::read_to_string(site.root.join("quorum.toml")).unwrap();
    site.write("quorum.toml", &config.replace("language = ", "langauge = "));
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn malformed_config() {
    let site = with(
        "quorum.toml",
        "title = \"Raad\nbase_url = \"https://x.nl\"\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn missing_config() {
    let site = TestSite::fixture("minimal");
    site.remove("quorum.toml");
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn missing_theme() {
    let site = TestSite::fixture("minimal");
    let config = std::fs::read_to_string(site.root.join("quorum.toml")).unwrap();
    site.write("quorum.toml", &format!("theme = \"gemeente\"\n{config}"));
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn impossible_date() {
    let site = with(
        "content/news/x.md",
        "+++\ntitle = \"X\"\ndate = 2021-13-45\n+++\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn unclosed_front_matter() {
    let site = with(
        "content/news/x.md",
        "+++\ntitle = \"X\"\ndate = 2021-12-01\n\nTekst\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn missing_front_matter() {
    let site = with("content/news/x.md", "# Nieuws\n\nTekst\n");
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn wrong_value_type() {
    let site = with(
        "content/news/x.md",
        "+++\ntitle = \"X\"\ndate = 2021-12-01\ntopics = \"jeugd\"\n+++\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn unknown_minutes_status() {
    let site = with(
        "content/minutes/2021-11-02.md",
        "+++\ndate = 2021-11-02\nstatus = \"aproved\"\n+++\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn duplicate_urls() {
    let site = with(
        "content/minutes/2021-12-14/index.md",
        "+++\ndate = 2021-12-14\n+++\nDubbel.\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn page_that_takes_a_section_url() {
    let site = with(
        "content/pages/verslagen.md",
        "+++\ntitle = \"Verslagen\"\n+++\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn image_without_alt_text() {
    let site = with(
        "content/news/x.md",
        "+++\ntitle = \"X\"\ndate = 2021-12-01\nimage = \"foto.jpg\"\n+++\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn response_before_advice() {
    let site = with(
        "content/advice/x.md",
        "+++\ntitle = \"X\"\ndate = 2021-12-01\nresponse = { date = 2021-11-01, summary = \"Ja\" }\n+++\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn unknown_content_folder() {
    let site = with(
        "content/verslag/2021-12-01.md",
        "+++\ndate = 2021-12-01\n+++\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn not_utf8() {
    let site = TestSite::fixture("minimal");
    std::fs::write(
        site.root.join("content/news/x.md"),
        b"+++\ntitle = \"caf\xe9\"\n+++\n",
    )
    .unwrap();
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn template_syntax_error() {
    let site = with(
        "templates/page.html",
        "{% extends \"item.html\" %}\n{% block meta %}{{ item.title }{% endblock meta %}\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn template_with_missing_variable() {
    let site = with(
        "templates/page.html",
        "{% extends \"item.html\" %}\n{% block meta %}{{ item.nonexistent.deeper }}{% endblock meta %}\n",
    );
    insta::assert_snapshot!(build_fails(&site));
}

#[test]
fn level_one_heading_is_a_warning_only() {
    let site = with(
        "content/pages/kop.md",
        "+++\ntitle = \"Kop\"\n+++\n# Dubbele titel\n",
    );
    let run = site.build_ok();
    insta::assert_snapshot!(run.stderr());
}
