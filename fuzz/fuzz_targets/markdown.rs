//! Fuzzes the Markdown pipeline (parsing, `@/` link resolution, sanitising) with the
//! checks of the property tests: no panic, no script in sanitised output.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/testsuite/invariants.rs"]
#[allow(dead_code)]
mod invariants;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        invariants::check_markdown(text);
    }
});
