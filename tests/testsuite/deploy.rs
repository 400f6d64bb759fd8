//! Deploy safety: the output folder is always a whole build, the old or the new one,
//! whatever happens to the build (errors, SIGKILL while writing); and the bytes depend
//! only on the input, not on the file system's order.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{TestSite, quorum, snapshot_tree};

/// Adds `count` news items, each with a body and a topic, so writing takes a while.
fn add_news(site: &TestSite, count: usize, word: &str) {
    let body = "Een alinea tekst over het werk van de raad.\n\n".repeat(20);
    for n in 0..count {
        site.write(
            &format!("content/news/2021-{:02}-{:02}-bericht-{n}.md", n % 12 + 1, n % 28 + 1),
            &format!(
                "+++\ntitle = \"{word} {n}\"\ndate = 2021-{:02}-{:02}\ntopics = [\"t{}\"]\n+++\n{body}",
                n % 12 + 1,
                n % 28 + 1,
                n % 50
            ),
        );
    }
}

fn leftovers(root: &Path) -> Vec<String> {
    fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("quorum-"))
        .collect()
}

/// The leftovers once the old outputs that builds set aside are deleted (in the
/// background, see `remove_in_background` in `src/main.rs`), or after ten seconds.
fn eventual_leftovers(root: &Path) -> Vec<String> {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let left = leftovers(root);
        let old = left.iter().any(|name| name.contains(".quorum-old-"));
        if !old || Instant::now() > until {
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_build_over_a_previous_output_leaves_the_old_one_to_a_process_of_its_own() {
    let site = TestSite::fixture("minimal");
    add_news(&site, 50, "Oud");
    site.build_ok();
    add_news(&site, 50, "Nieuw");
    site.build_ok();
    assert!(
        site.read("nieuws/2021-01-01-bericht-0/index.html")
            .contains("Nieuw 0")
    );
    assert_eq!(eventual_leftovers(&site.root), Vec::<String>::new());
    // One cut short (a deleting process killed, say) is deleted by the next build.
    let stale = site.root.join(".public.quorum-old-1");
    fs::create_dir_all(stale.join("nieuws/oud")).unwrap();
    fs::write(stale.join("nieuws/oud/index.html"), "oud").unwrap();
    site.build_ok();
    assert_eq!(eventual_leftovers(&site.root), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_build_killed_while_writing_leaves_a_whole_output() {
    let site = TestSite::fixture("minimal");
    add_news(&site, 2000, "Oud");
    site.build_ok();
    let old = snapshot_tree(&site.root.join("public"));
    add_news(&site, 2000, "Nieuw");
    let staging = site.root.join(".public.quorum-staging");
    let mut killed_while_writing = 0;
    // Kill at several moments after the staging folder appears; each time the output
    // must be the old build, whole.
    for delay in [0, 5, 20, 50, 100] {
        // Left by the previous kill; the next build would remove it anyway, but the wait
        // below must see this build's staging folder.
        if staging.exists() {
            fs::remove_dir_all(&staging).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_quorum"))
            .arg("build")
            .current_dir(&site.root)
            .env("QUORUM_TODAY", "2026-11-22")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !staging.exists() && child.try_wait().unwrap().is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the build never writes"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(delay));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap();
        child.wait().unwrap();
        if finished {
            // Too fast to catch: the new build is whole; put the old one back.
            break;
        }
        killed_while_writing += 1;
        let now = snapshot_tree(&site.root.join("public"));
        assert!(
            now == old,
            "killed after {delay} ms: the old output is whole"
        );
    }
    assert!(
        killed_while_writing > 0,
        "at least one build was killed mid-way"
    );
    // The next build succeeds, replaces the output whole and clears the staging folder;
    // the output it replaced is deleted by a process of its own, soon after.
    site.build_ok();
    assert_eq!(eventual_leftovers(&site.root), Vec::<String>::new());
    assert!(
        site.read("nieuws/2021-01-01-bericht-0/index.html")
            .contains("Nieuw 0")
    );
}

#[test]
fn output_does_not_depend_on_the_order_files_were_created_in() {
    let files: Vec<(String, String)> = (0..40)
        .map(|n| {
            (
                format!("content/news/2021-12-{:02}-bericht-{n}.md", n % 5 + 1),
                format!(
                    "+++\ntitle = \"Bericht {n}\"\ndate = 2021-12-{:02}\ntopics = [\"t{}\"]\n+++\nTekst {n}.\n",
                    n % 5 + 1,
                    n % 3
                ),
            )
        })
        .collect();
    let mut builds = Vec::new();
    for reverse in [false, true] {
        let site = TestSite::fixture("minimal");
        let mut order: Vec<&(String, String)> = files.iter().collect();
        if reverse {
            order.reverse();
        }
        for (path, text) in order {
            site.write(path, text);
        }
        site.build_ok();
        builds.push(snapshot_tree(&site.root.join("public")));
    }
    assert!(builds[0].len() > 60);
    assert!(
        builds[0] == builds[1],
        "same bytes whatever the creation order"
    );
}

#[test]
fn the_output_folder_may_not_hold_the_site() {
    let site = TestSite::fixture("minimal");
    for output in [".", ".."] {
        let run = quorum(&site.root, &["build", "--output", output]).failure();
        assert!(
            run.stderr()
                .contains("the output folder holds the site itself"),
            "{}",
            run.stderr()
        );
    }
    let project = tempfile::tempdir().unwrap();
    fs::create_dir(project.path().join(".git")).unwrap();
    let run = quorum(
        &site.root,
        &["build", "--output", project.path().to_str().unwrap()],
    )
    .failure();
    assert!(run.stderr().contains("holds a project"), "{}", run.stderr());
    assert!(project.path().join(".git").is_dir(), "nothing was replaced");
    assert!(site.root.join("quorum.toml").is_file());
}
