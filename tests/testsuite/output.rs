//! What deploys count on: deterministic output, and a failed build that changes nothing.

use crate::util::{TestSite, quorum, snapshot_tree};

#[test]
fn identical_input_gives_identical_bytes_whatever_the_thread_count() {
    let site = TestSite::fixture("minimal");
    let mut builds = Vec::new();
    for (threads, out) in [("1", "out-a"), ("2", "out-b"), ("8", "out-c")] {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_quorum"))
            .args(["build", "--output", out])
            .current_dir(&site.root)
            .env("QUORUM_TODAY", "2026-11-22")
            .env("RAYON_NUM_THREADS", threads)
            .status()
            .unwrap();
        assert!(status.success());
        builds.push(snapshot_tree(&site.root.join(out)));
    }
    assert!(builds[0].len() > 20);
    assert_eq!(builds[0], builds[1]);
    assert_eq!(builds[0], builds[2]);
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::fixture("minimal");
    site.build_ok();
    let before = snapshot_tree(&site.root.join("public"));
    site.write(
        "content/news/2021-12-20-nieuw-lid.md",
        "+++\ntitle = \"Kapot\"\ndate = 2021-13-45\n+++\n",
    );
    site.quorum(&["build"]).failure();
    assert_eq!(snapshot_tree(&site.root.join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("quorum-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_folder_can_be_anywhere() {
    let site = TestSite::fixture("minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("deep/site");
    quorum(&site.root, &["build", "--output", out.to_str().unwrap()]).success();
    assert!(out.join("index.html").is_file());
    assert!(!site.root.join("public").exists());
}

#[test]
fn root_option_builds_a_site_elsewhere() {
    let site = TestSite::fixture("minimal");
    let cwd = tempfile::tempdir().unwrap();
    quorum(
        cwd.path(),
        &["build", "--root", site.root.to_str().unwrap()],
    )
    .success();
    assert!(site.exists("index.html"));
}
