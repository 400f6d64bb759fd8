//! Eight bytes of text at a time: where a run of ASCII, of letters and digits, or of the
//! ASCII between words ends. Folding and splitting every text of the site byte by byte
//! took a tenth of a build; nearly all of it is ASCII in runs longer than a word.

/// Each byte of a word holding the same value.
const ONES: u64 = u64::MAX / 255;
/// The high bit of each byte: set in every byte of a character beyond ASCII.
const HIGH: u64 = ONES << 7;

/// The high bit of each byte of `chunk` that lies in `lo..=hi`. Right for the bytes
/// below 0x80 up to the first that is not: a sum carries out of no byte below 0x80,
/// but may carry out of one above it into the bytes after it. Callers mask bytes
/// above 0x80 off, and [`run_of`] stops at the first of them, before any byte a carry
/// could have reached.
const fn in_range(chunk: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = chunk.wrapping_add(ONES * (0x80 - lo as u64));
    let above_hi = chunk.wrapping_add(ONES * (0x7f - hi as u64));
    at_least_lo & !above_hi & HIGH
}

/// The high bit of each byte of `chunk` that is an ASCII letter or digit.
const fn alphanumeric(chunk: u64) -> u64 {
    let digits = in_range(chunk, b'0', b'9');
    // Setting bit 5 makes upper case lower and moves no other byte into a..z.
    let letters = in_range(chunk | (ONES * 0x20), b'a', b'z');
    (digits | letters) & !chunk & HIGH
}

/// Which bytes a run is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// ASCII letters and digits.
    Alphanumeric,
    /// Other ASCII: spaces, punctuation, control characters.
    OtherAscii,
    /// Any ASCII.
    Ascii,
}

impl Run {
    /// The high bit of each byte of `chunk` that belongs to the run: right up to the
    /// first byte beyond ASCII, which is in no run (see [`in_range`]).
    const fn marks(self, chunk: u64) -> u64 {
        match self {
            Run::Alphanumeric => alphanumeric(chunk),
            Run::OtherAscii => !alphanumeric(chunk) & !chunk & HIGH,
            Run::Ascii => !chunk & HIGH,
        }
    }

    /// Whether `byte` belongs to the run.
    const fn has(self, byte: u8) -> bool {
        match self {
            Run::Alphanumeric => byte.is_ascii_alphanumeric(),
            Run::OtherAscii => byte.is_ascii() && !byte.is_ascii_alphanumeric(),
            Run::Ascii => byte.is_ascii(),
        }
    }
}

/// How many bytes at the start of `bytes` belong to `run`.
pub fn run_of(bytes: &[u8], run: Run) -> usize {
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let chunk = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let outside = !run.marks(chunk) & HIGH;
        if outside != 0 {
            // The lowest byte first: little-endian.
            return at + outside.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    at + (bytes[at..].iter())
        .position(|&b| !run.has(b))
        .unwrap_or(bytes.len() - at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`run_of`] a byte at a time.
    fn run_by_byte(bytes: &[u8], run: Run) -> usize {
        bytes
            .iter()
            .position(|&b| !run.has(b))
            .unwrap_or(bytes.len())
    }

    proptest::proptest! {
        #[test]
        fn eight_at_a_time_is_one_at_a_time(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            skip in 0usize..8,
        ) {
            for run in [Run::Alphanumeric, Run::OtherAscii, Run::Ascii] {
                let bytes = &bytes[skip.min(bytes.len())..];
                proptest::prop_assert_eq!(run_of(bytes, run), run_by_byte(bytes, run), "{:?}", run);
            }
        }

        #[test]
        fn long_runs_are_found_too(word in "[a-zA-Z0-9]{0,30}", gap in "[ -/:-@\\[-`{-~\t\n]{0,30}") {
            let text = format!("{word}{gap}ë");
            proptest::prop_assert_eq!(run_of(text.as_bytes(), Run::Alphanumeric), word.len());
            proptest::prop_assert_eq!(run_of(&text.as_bytes()[word.len()..], Run::OtherAscii), gap.len());
            proptest::prop_assert_eq!(run_of(text.as_bytes(), Run::Ascii), word.len() + gap.len());
        }
    }

    #[test]
    fn a_byte_beyond_ascii_ends_the_run_before_a_carry_out_of_it_counts() {
        // 0xff + 0x1f and 0xbc + 0x50 carry into the next byte, which would then pass
        // for a letter ('`') or fail as a digit ('9').
        let cases: [(&[u8], Run, usize); 4] = [
            (b"ab\xff`cdefgh", Run::Alphanumeric, 2),
            (b"  \xfcz      ", Run::OtherAscii, 2),
            ("aaü9aaaaaaaa".as_bytes(), Run::Alphanumeric, 2),
            ("aaü9aaaaaaaa".as_bytes(), Run::Ascii, 2),
        ];
        for (bytes, run, len) in cases {
            assert_eq!(run_of(bytes, run), len, "{bytes:?} {run:?}");
        }
    }

    #[test]
    fn every_byte_is_classed_as_std_classes_it() {
        for byte in 0..=255u8 {
            let chunk = u64::from_le_bytes([byte; 8]);
            let marked = |run: Run| run.marks(chunk) == HIGH;
            assert_eq!(
                marked(Run::Alphanumeric),
                byte.is_ascii_alphanumeric(),
                "{byte}"
            );
            assert_eq!(marked(Run::Ascii), byte.is_ascii(), "{byte}");
            assert_eq!(
                marked(Run::OtherAscii),
                byte.is_ascii() && !byte.is_ascii_alphanumeric(),
                "{byte}"
            );
        }
    }
}
