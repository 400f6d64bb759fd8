//! 128-bit fingerprints of a stage's inputs, for the caches of `quorum serve`: a cached
//! result is reused only when the fingerprint of everything it was made from is equal.
//! At 128 bits (SipHash-1-3) two different inputs meeting by chance is not a concern.

use std::hash::Hasher;
use std::io::Write;

use serde::Serialize;
use siphasher::sip128::{Hasher128, SipHasher13};

/// The fingerprint of some input.
pub type Fingerprint = u128;

/// Feeds bytes to a hasher, so values can be fingerprinted by serialising them.
struct HashWriter(SipHasher13);

impl Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The fingerprint of a value, through its JSON form (which writes every field, in order).
pub fn of(value: &impl Serialize) -> Fingerprint {
    let mut writer = HashWriter(SipHasher13::new());
    // Writing to a hasher cannot fail; a value that cannot be serialised (a map with
    // non-string keys) still gets a fingerprint of what was written, plus a marker.
    if serde_json::to_writer(&mut writer, value).is_err() {
        writer.0.write(b"\0unserialisable");
    }
    writer.0.finish128().into()
}

/// The fingerprint of a text.
pub fn of_text(text: &str) -> Fingerprint {
    let mut hasher = SipHasher13::new();
    hasher.write(text.as_bytes());
    hasher.finish128().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_agree_and_different_ones_differ() {
        assert_eq!(of(&("a", 1)), of(&("a", 1)));
        assert_ne!(of(&("a", 1)), of(&("a", 2)));
        // The JSON form keeps field boundaries: ("ab", "c") is not ("a", "bc").
        assert_ne!(of(&("ab", "c")), of(&("a", "bc")));
        assert_eq!(of_text("tekst"), of_text("tekst"));
        assert_ne!(of_text("tekst"), of_text("tekst "));
    }
}
