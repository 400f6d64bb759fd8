//! Fuzzes the front-matter parser of every content kind with the checks of the property
//! tests: no panic, every diagnostic points at a real line. Each input is tried as a
//! whole file and as the inside of `+++` fences, so the TOML parser is reached at once.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/testsuite/invariants.rs"]
#[allow(dead_code)]
mod invariants;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        invariants::check_front_matter(text);
        invariants::check_front_matter(&format!("+++\n{text}\n+++\n"));
    }
});
