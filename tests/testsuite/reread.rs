//! A one-off build holds each body's HTML and text from linking until its page is
//! written, as far as memory allows, and otherwise reads the Markdown a second time
//! (`Site::body`): the second reading must be the text that was checked.

use chrono::NaiveDate;
use quorum::config::Config;
use quorum::content::{LoadOptions, load};
use quorum::site::Site;

use crate::util::TestSite;

/// The minimal fixture, loaded and linked as a one-off build does, with the index of
/// an advice whose body has text.
fn linked_minimal() -> (TestSite, Site, usize) {
    let site = TestSite::fixture("minimal");
    let config = Config::load(&site.root, None).unwrap();
    let loaded = load(&site.root, &config, LoadOptions::default(), None);
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let (linked, _) = Site::link(site.root.clone(), config, loaded.items, &[], today, None)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let index = (linked.entries.iter())
        .position(|e| e.item.source.ends_with("2021-armoede.md"))
        .unwrap();
    (site, linked, index)
}

#[test]
fn a_body_is_read_again_as_it_was_checked() {
    let (site, linked, index) = linked_minimal();
    let first = linked.body(index).expect("unchanged file");
    assert!(!first.html.is_empty() && !first.text.is_empty());
    assert!(
        linked.entries[index].item.body.is_empty(),
        "the source is released"
    );
    assert!(
        linked.entries[index].body.html.is_empty(),
        "the entry keeps only the outline"
    );
    // Held since linking, it is handed out once; asked for again, it is read and
    // rendered again, to the same.
    let again = linked.body(index).expect("unchanged file");
    assert_eq!(
        (&again.html, &again.text, &again.headings, &again.links),
        (&first.html, &first.text, &first.headings, &first.links)
    );
    assert_eq!(again.first_paragraph, first.first_paragraph);

    // Saved between loading and writing: refused rather than written unchecked.
    let path = site.root.join(&linked.entries[index].item.source);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nNog een zin.\n")).unwrap();
    let changed = linked.body(index).expect_err("the file changed");
    assert!(
        changed
            .to_string()
            .contains("changed while the site was being built")
    );

    // Nor a body of the same length with other text, or a shorter one.
    let same_length = text.replacen("adviseert", "adviseerd", 1);
    assert_eq!(same_length.len(), text.len());
    for edited in [same_length, text[..text.len() - 1].to_string()] {
        std::fs::write(&path, edited).unwrap();
        linked.body(index).expect_err("the file changed");
    }
    std::fs::write(&path, &text).unwrap();
    linked.body(index).expect("the file as it was");
}

#[test]
fn a_held_body_is_the_text_that_was_checked() {
    let (site, linked, index) = linked_minimal();
    let path = site.root.join(&linked.entries[index].item.source);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nNog een zin.\n")).unwrap();

    // A small site's bodies are all held: the page gets the body as it was linked.
    let held = linked.body(index).expect("held since linking");
    assert!(!held.text.contains("Nog een zin"));
    // Only once: after that the file is read again, and found changed.
    linked.body(index).expect_err("the file changed");
}
