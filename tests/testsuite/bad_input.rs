//! Every mistake a webmaster makes once, each made to the `minimal` fixture after a good
//! build: the build must exit with status 1 without panicking, print the exact error
//! (a snapshot: file, line, what, hint), and leave the previous output byte for byte as
//! it was. At the end, the odd but valid inputs that must simply work.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use crate::util::{TestSite, snapshot_tree};

const NEWS: &str = "content/news/2021-12-22-bericht.md";

/// The output of a good build of the minimal fixture, made once for all cases.
fn good_output() -> &'static BTreeMap<String, Vec<u8>> {
    static OUTPUT: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    OUTPUT.get_or_init(|| {
        let site = TestSite::fixture("minimal");
        site.build_ok();
        snapshot_tree(&site.root.join("public"))
    })
}

/// The minimal site with its good output in `public/`.
fn built_site() -> TestSite {
    let site = TestSite::fixture("minimal");
    for (path, bytes) in good_output() {
        let target = site.root.join("public").join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, bytes).unwrap();
    }
    site
}

/// Breaks a built site with `breaking`, builds, and checks the failure; returns stderr
/// with the temporary folder written as `[site]`.
fn breaks(breaking: impl FnOnce(&TestSite)) -> String {
    let site = built_site();
    breaking(&site);
    let stderr = fails_keeping_output(&site);
    restore_permissions(&site.root);
    stderr
}

fn fails_keeping_output(site: &TestSite) -> String {
    let run = site.quorum(&["build"]).failure();
    assert!(
        snapshot_tree(&site.root.join("public")) == *good_output(),
        "the previous output is untouched"
    );
    let leftovers: Vec<_> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("quorum-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folder left: {leftovers:?}"
    );
    run.stderr()
        .replace(&site.root.display().to_string(), "[site]")
}

/// Gives back read permission taken by a case, so the temporary folder can be deleted.
fn restore_permissions(root: &Path) {
    #[cfg(unix)]
    for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
        use std::os::unix::fs::PermissionsExt;
        if !entry.path_is_symlink() {
            let _ = fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o755));
        }
    }
}

/// A news item with these front matter lines and body.
fn news(front_matter: &str, body: &str) -> String {
    format!("+++\n{front_matter}\n+++\n{body}")
}

/// One test per case that writes a single file; the snapshot is named after the test.
macro_rules! bad_files {
    ($($(#[$attr:meta])* $name:ident: $path:expr => $text:expr;)*) => {$(
        $(#[$attr])*
        #[test]
        fn $name() {
            insta::assert_snapshot!(breaks(|site| {
                site.write($path, &$text);
            }));
        }
    )*};
}

bad_files! {
    // Front matter: its fences and its TOML.
    missing_front_matter: NEWS => "# Bericht\n\nTekst.\n";
    unclosed_front_matter: NEWS => "+++\ntitle = \"Bericht\"\ndate = 2021-12-22\n\nTekst.\n";
    yaml_front_matter: NEWS => "---\ntitle: Bericht\ndate: 2021-12-22\n---\nTekst.\n";
    unclosed_string: NEWS => news("title = \"Bericht\ndate = 2021-12-22", "");
    duplicate_key: NEWS => news("title = \"Bericht\"\ntitle = \"Nog eens\"\ndate = 2021-12-22", "");
    missing_equals_sign: NEWS => news("title \"Bericht\"\ndate = 2021-12-22", "");
    unclosed_list: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\ntopics = [\"a\", \"b\"", "");
    // Wrong value types.
    title_is_a_number: NEWS => news("title = 2021\ndate = 2021-12-22", "");
    topics_is_a_string: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\ntopics = \"jeugd\"", "");
    draft_is_text: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\ndraft = \"ja\"", "");
    attachments_is_a_string: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\nattachments = \"a.pdf\"", "");
    year_is_text: "content/annual-reports/2020.md" => "+++\ntitle = \"Jaarverslag\"\ndate = 2021-03-01\nyear = \"2020\"\n+++\n";
    year_out_of_range: "content/annual-reports/2020.md" => "+++\ntitle = \"Jaarverslag\"\ndate = 2021-03-01\nyear = 20\n+++\n";
    // Dates and times.
    impossible_month: NEWS => news("title = \"Bericht\"\ndate = 2021-13-45", "");
    impossible_day: NEWS => news("title = \"Bericht\"\ndate = \"2021-02-30\"", "");
    dutch_date_quoted: NEWS => news("title = \"Bericht\"\ndate = \"14-12-2021\"", "");
    dutch_date_bare: NEWS => news("title = \"Bericht\"\ndate = 14-12-2021", "");
    date_with_time: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22T10:00:00", "");
    missing_date: NEWS => news("title = \"Bericht\"", "");
    impossible_time: "content/meetings/2021-12-28.md" => "+++\ndate = 2021-12-28\nstart = \"25:00\"\n+++\n";
    meeting_ends_before_it_starts: "content/meetings/2021-12-28.md" => "+++\ndate = 2021-12-28\nstart = \"21:00\"\nend = \"19:30\"\n+++\n";
    // Fields that do not exist, and values that are not allowed.
    field_typo: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\nsumary = \"Kort\"", "");
    unknown_field: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\nauteur = \"Piet\"", "");
    field_of_another_kind: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\nstatus = \"approved\"", "");
    missing_title: NEWS => news("date = 2021-12-22", "");
    empty_title: NEWS => news("title = \" \"\ndate = 2021-12-22", "");
    unknown_policy_area_typo: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\npolicy_areas = [\"armoed\"]", "");
    unknown_policy_area: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\npolicy_areas = [\"sport\"]", "");
    minutes_status_in_dutch: "content/minutes/2021-11-02.md" => "+++\ndate = 2021-11-02\nstatus = \"goedgekeurd\"\n+++\n";
    approved_on_without_approval: "content/minutes/2021-11-02.md" => "+++\ndate = 2021-11-02\napproved_on = 2021-12-14\n+++\n";
    action_without_id: "content/minutes/2021-11-02.md" => "+++\ndate = 2021-11-02\nactions = [{ what = \"Bellen\" }]\n+++\n";
    moved_meeting_without_new_date: "content/meetings/2021-12-28.md" => "+++\ndate = 2021-12-28\nstatus = \"moved\"\n+++\n";
    unsolicited_advice_with_request_date: "content/advice/2021-x.md" => "+++\ntitle = \"X\"\ndate = 2021-12-01\nsolicited = false\nrequested_on = 2021-11-01\n+++\n";
    alias_not_a_path: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\naliases = [\"oude-site/bericht.html\"]", "");
    file_name_without_letters: "content/news/!!!.md" => news("title = \"Bericht\"\ndate = 2021-12-22", "");
    // URLs, links and files.
    duplicate_url: "content/minutes/2021-12-14/index.md" => "+++\ndate = 2021-12-14\n+++\nDubbel.\n";
    alias_taken_by_a_page: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\naliases = [\"/over-ons/\"]", "");
    broken_internal_link: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22", "Zie [het verslag](@/minutes/2021-12-15.md).\n");
    broken_anchor: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22", "Zie [de aanbevelingen](@/advice/2021-armoede.md#aanbeveling).\n");
    missing_attachment: "content/news/2021-12-22-bericht/index.md" => news("title = \"Bericht\"\ndate = 2021-12-22\nattachments = [{ file = \"brief.pdf\" }]", "");
    attachment_outside_the_folder: "content/news/2021-12-22-bericht/index.md" => news("title = \"Bericht\"\ndate = 2021-12-22\nattachments = [{ file = \"../../../quorum.toml\" }]", "");
    attachment_of_a_single_file: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\nattachments = [{ file = \"brief.pdf\" }]", "");
    image_without_alt_text: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\nimage = \"foto.jpg\"", "");
    image_that_does_not_exist: NEWS => news("title = \"Bericht\"\ndate = 2021-12-22\nimage = \"foto.jpg\"\nimage_alt = \"Foto\"", "");
    unknown_content_folder: "content/verslagen/2021-12-01.md" => "+++\ndate = 2021-12-01\n+++\n";
    stray_file_in_content: "content/LEESMIJ.txt" => "Hier staat de inhoud.\n";
    // Whole files that are not text.
    empty_file: NEWS => "";
    // Configuration, theme and templates.
    config_syntax_error: "quorum.toml" => "title = \"Raad\nbase_url = \"https://x.nl\"\n";
    config_without_base_url: "quorum.toml" => "title = \"Raad\"\n";
    config_with_relative_base_url: "quorum.toml" => "title = \"Raad\"\nbase_url = \"raad.example.nl\"\n";
    config_with_unknown_language: "quorum.toml" => "title = \"Raad\"\nbase_url = \"https://x.nl\"\nlanguage = \"fr\"\n";
    config_key_typo: "quorum.toml" => "title = \"Raad\"\nbaseurl = \"https://x.nl\"\n";
    config_policy_area_not_a_slug: "quorum.toml" => "title = \"Raad\"\nbase_url = \"https://x.nl\"\n[policy_areas]\n\"Wmo en zorg\" = \"Wmo\"\n";
    theme_that_does_not_exist: "quorum.toml" => "title = \"Raad\"\nbase_url = \"https://x.nl\"\ntheme = \"gemeente\"\n[policy_areas]\nwmo = \"Wmo\"\narmoede = \"Armoede\"\n";
    template_syntax_error: "templates/page.html" => "{% extends \"item.html\" %}\n{% block meta %}{{ item.title }{% endblock meta %}\n";
    template_with_missing_variable: "templates/page.html" => "{% extends \"item.html\" %}\n{% block meta %}{{ item.nonexistent.deeper }}{% endblock meta %}\n";
    template_with_unknown_filter: "templates/page.html" => "{% extends \"item.html\" %}\n{% block meta %}{{ item.title | shout }}{% endblock meta %}\n";
}

#[test]
fn config_missing() {
    insta::assert_snapshot!(breaks(|site| {
        site.remove("quorum.toml");
    }));
}

#[test]
fn not_utf8() {
    insta::assert_snapshot!(breaks(|site| {
        fs::write(
            site.root.join(NEWS),
            b"+++\ntitle = \"Caf\xe9\"\ndate = 2021-12-22\n+++\n",
        )
        .unwrap();
    }));
}

#[test]
fn utf16_file() {
    insta::assert_snapshot!(breaks(|site| {
        let text = news("title = \"Bericht\"\ndate = 2021-12-22", "");
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        fs::write(site.root.join(NEWS), bytes).unwrap();
    }));
}

#[test]
fn file_of_50_mb() {
    insta::assert_snapshot!(breaks(|site| {
        let mut text = news("title = \"Groot\"\ndate = 2021-12-22", "");
        text.push_str(&"Een regel tekst.\n".repeat(50 * 1024 * 1024 / 17));
        site.write(NEWS, &text);
    }));
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    insta::assert_snapshot!(breaks(|site| {
        std::os::unix::fs::symlink("..", site.root.join("content/news/lus")).unwrap();
    }));
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_site() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("index.md"),
        news("title = \"Geheim\"\ndate = 2021-12-22", "Geheim.\n"),
    )
    .unwrap();
    let stderr = breaks(|site| {
        std::os::unix::fs::symlink(outside.path(), site.root.join("content/news/buiten")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("index.md"),
            site.root.join("content/news/buiten.md"),
        )
        .unwrap();
    });
    insta::assert_snapshot!(stderr);
}

#[cfg(unix)]
#[test]
fn symlink_to_nowhere() {
    insta::assert_snapshot!(breaks(|site| {
        std::os::unix::fs::symlink("weg.md", site.root.join("content/news/link.md")).unwrap();
    }));
}

#[cfg(unix)]
#[test]
fn link_to_a_device() {
    insta::assert_snapshot!(breaks(|site| {
        std::os::unix::fs::symlink("/dev/zero", site.root.join("content/news/nul.md")).unwrap();
    }));
}

#[cfg(unix)]
#[test]
fn named_pipe() {
    insta::assert_snapshot!(breaks(|site| {
        let path = site.root.join("content/news/pijp.md");
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo works");
    }));
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let site = built_site();
    let path = site.root.join(NEWS);
    site.write(NEWS, &news("title = \"Bericht\"\ndate = 2021-12-22", ""));
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&path).is_ok() {
        // Root (or a process with CAP_DAC_OVERRIDE) reads any file: there is no error
        // to see, only that the build still works.
        eprintln!("skipped: running as root, chmod 000 does not stop reading {NEWS}");
        site.build_ok();
    } else {
        let stderr = fails_keeping_output(&site);
        insta::assert_snapshot!(stderr);
    }
    restore_permissions(&site.root);
}

#[test]
fn all_mistakes_of_one_build_come_together() {
    let stderr = breaks(|site| {
        site.write(NEWS, &news("title = \"Bericht\"\ndate = 2021-13-01", ""));
        site.write(
            "content/news/2021-12-23-b.md",
            &news("titel = \"B\"\ndate = 2021-12-23", ""),
        );
        site.write(
            "content/pages/contact.md",
            "+++\ntitle = \"Contact\"\n+++\nZie [ons](@/pages/over-ons.md#leden).\n",
        );
    });
    assert!(
        stderr.contains("error: the site was not built: 3 errors"),
        "{stderr}"
    );
}

// Odd but valid: each must build, and show what it should.

#[test]
fn crlf_line_endings() {
    let site = built_site();
    site.write(
        NEWS,
        "+++\r\ntitle = \"Windows\"\r\ndate = 2021-12-22\r\n+++\r\nRegel een.\r\n\r\n## Kop\r\n",
    );
    site.build_ok();
    let page = site.read("nieuws/2021-12-22-bericht/index.html");
    assert!(page.contains("<h1>Windows</h1>") && page.contains("id=\"kop\""));
    assert!(!page.contains('\r'));
}

#[test]
fn byte_order_mark() {
    let site = built_site();
    site.write(
        NEWS,
        &format!(
            "\u{feff}{}",
            news("title = \"BOM\"\ndate = 2021-12-22", "Tekst.\n")
        ),
    );
    site.build_ok();
    assert!(
        site.read("nieuws/2021-12-22-bericht/index.html")
            .contains("<h1>BOM</h1>")
    );
}

#[test]
fn file_names_with_spaces_and_diacritics() {
    let site = built_site();
    site.write(
        "content/news/2021-12-22 Café overleg één.md",
        &news("title = \"Café\"\ndate = 2021-12-22", ""),
    );
    site.write(
        "content/annual-reports/Jaarverslag 2020 ç/index.md",
        "+++\ntitle = \"Jaarverslag 2020\"\ndate = 2021-03-01\nyear = 2020\nattachments = [{ file = \"verslag één.pdf\" }]\n+++\n",
    );
    site.write(
        "content/annual-reports/Jaarverslag 2020 ç/verslag één.pdf",
        "%PDF",
    );
    site.build_ok();
    assert!(site.exists("nieuws/2021-12-22-cafe-overleg-een/index.html"));
    assert!(site.exists("jaarverslagen/jaarverslag-2020-c/verslag één.pdf"));
    let report = site.read("jaarverslagen/jaarverslag-2020-c/index.html");
    assert!(report.contains("verslag%20%C3%A9%C3%A9n.pdf") || report.contains("verslag één.pdf"));
}

#[test]
fn two_items_on_one_date() {
    let site = built_site();
    site.write(
        "content/news/2021-12-20-tweede.md",
        &news("title = \"Tweede bericht\"\ndate = 2021-12-20", ""),
    );
    site.build_ok();
    let list = site.read("nieuws/index.html");
    let first = list.find("Nieuw lid").unwrap();
    let second = list.find("Tweede bericht").unwrap();
    assert!(first < second, "same date: ordered by file name");
}

#[test]
fn empty_section_folder() {
    let site = built_site();
    fs::remove_file(site.root.join("content/advice/2021-armoede.md")).unwrap();
    fs::remove_file(site.root.join("content/minutes/2021-12-14.md")).unwrap();
    site.build_ok();
    assert!(site.exists("adviezen/index.html"));
}

#[test]
fn deeply_nested_markdown() {
    let site = built_site();
    let body = format!(
        "{} diep\n\n{}lijst\n",
        ">".repeat(10_000),
        "- ".repeat(10_000)
    );
    site.write(NEWS, &news("title = \"Diep\"\ndate = 2021-12-22", &body));
    site.build_ok();
    assert!(
        site.read("nieuws/2021-12-22-bericht/index.html")
            .contains("diep")
    );
}

#[test]
fn only_front_matter_and_no_newline_at_the_end() {
    let site = built_site();
    site.write(NEWS, "+++\ntitle = \"Kort\"\ndate = 2021-12-22\n+++");
    site.build_ok();
    assert!(site.exists("nieuws/2021-12-22-bericht/index.html"));
}
