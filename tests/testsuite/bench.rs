//! The benchmark's generator (bench/gen_site.py) still makes a site quorum builds, and a
//! large site builds to the same bytes every time.

use std::process::Command;

use crate::util::{quorum, repo_root, snapshot_tree};

#[test]
fn generated_benchmark_site_builds_the_same_twice() {
    let dir = tempfile::tempdir().unwrap();
    let generated = Command::new("python3")
        .arg(repo_root().join("bench/gen_site.py"))
        .args(["200", dir.path().to_str().unwrap()])
        .status();
    let Ok(status) = generated else {
        eprintln!("python3 is not installed: the benchmark generator is not tested");
        return;
    };
    assert!(status.success(), "bench/gen_site.py failed");
    let site = dir.path().join("quorum");
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    for out in [&first, &second] {
        let run = quorum(&site, &["build", "--output", out.to_str().unwrap()]).success();
        assert!(run.stderr().is_empty(), "warnings:\n{}", run.stderr());
    }
    let files = snapshot_tree(&first);
    assert!(files.len() > 400, "only {} files", files.len());
    assert!(files.contains_key("verslagen/pagina/2/index.html"));
    assert!(files == snapshot_tree(&second), "two builds differ");
}
