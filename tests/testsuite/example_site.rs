//! The example site at the repository root builds, and every kind of page exists.

use crate::util::{quorum, repo_root};

#[test]
fn example_site_builds_with_every_expected_page() {
    let out = tempfile::tempdir().unwrap();
    let out_path = out.path().join("public");
    let run = quorum(
        &repo_root(),
        &["build", "--output", out_path.to_str().unwrap()],
    )
    .success();
    assert!(
        run.stderr().is_empty(),
        "the example site builds without warnings:\n{}",
        run.stderr()
    );
    let exists = |path: &str| assert!(out_path.join(path).is_file(), "missing {path}");
    for path in [
        "index.html",
        "verslagen/index.html",
        "vergaderingen/index.html",
        "adviezen/index.html",
        "nieuws/index.html",
        "jaarverslagen/index.html",
        "jaar/index.html",
        "jaar/2025/index.html",
        "jaar/2026/index.html",
        "onderwerpen/index.html",
        "beleidsterreinen/index.html",
        "over-ons/index.html",
        "leden/index.html",
        "contact/index.html",
        "toegankelijkheidsverklaring/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "logo.svg",
        "jaarverslagen/2025/jaarverslag-2025.pdf",
    ] {
        exists(path);
    }
    // Every item of content/ has its page.
    for kind in [
        "minutes",
        "meetings",
        "news",
        "advice",
        "annual-reports",
        "pages",
    ] {
        let section = match kind {
            "minutes" => "verslagen/",
            "meetings" => "vergaderingen/",
            "news" => "nieuws/",
            "advice" => "adviezen/",
            "annual-reports" => "jaarverslagen/",
            _ => "",
        };
        for entry in std::fs::read_dir(repo_root().join("content").join(kind)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(if path.is_dir() {
                path.join("index.md")
            } else {
                path.clone()
            })
            .unwrap();
            if text.contains("\ndraft = true") {
                continue;
            }
            let slug = path.file_stem().unwrap().to_string_lossy();
            exists(&format!("{section}{slug}/index.html"));
        }
    }
    let counts = run.stdout();
    for expected in [
        "minutes",
        "meetings",
        "news",
        "advice",
        "annual reports",
        "pages",
    ] {
        assert!(counts.contains(expected), "{counts}");
    }
}
