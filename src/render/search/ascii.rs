//! Many bytes of text at a time: where a run of ASCII ends, and which bytes are ASCII
//! letters and digits. Folding and splitting every text of the site byte by byte took a
//! tenth of a build; nearly all of it is ASCII in runs longer than a word.

/// Each byte of a word holding the same value.
const ONES: u64 = u64::MAX / 255;
/// The high bit of each byte: set in every byte of a character beyond ASCII.
const HIGH: u64 = ONES << 7;

/// How many bytes at the start of `bytes` are ASCII, counted eight at a time.
pub fn ascii_len(bytes: &[u8]) -> usize {
    run_len(bytes, |chunk| chunk & HIGH, |byte| byte.is_ascii())
}

/// How many bytes at the start of `bytes` are printable ASCII or DEL (0x21 to 0x7f), none
/// of them white space, counted eight at a time.
pub fn printable_len(bytes: &[u8]) -> usize {
    // At least 0x21 and below 0x80. A byte beyond ASCII may carry into the bytes after
    // it, never into those before it, and is itself outside.
    let outside = |chunk: u64| !(chunk.wrapping_add(ONES * (0x80 - 0x21)) & !chunk) & HIGH;
    run_len(bytes, outside, |byte| (0x21..=0x7f).contains(&byte))
}

/// How many bytes at the start of `bytes` are in a run: `outside` marks the high bit of
/// each byte of eight (read little-endian) that is not, right up to the first such
/// byte; `inside` tells one byte, for the last few.
#[inline(always)]
fn run_len(bytes: &[u8], outside: impl Fn(u64) -> u64, inside: impl Fn(u8) -> bool) -> usize {
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let marks = outside(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        if marks != 0 {
            // The lowest byte first: little-endian.
            return at + marks.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    at + (bytes[at..].iter())
        .position(|&byte| !inside(byte))
        .unwrap_or(bytes.len() - at)
}

/// Two bits for every byte of a text: whether it is an ASCII letter or digit, and
/// whether it is part of a character beyond ASCII. Made sixteen bytes at a time, they
/// let the tokenizer find where a word starts and ends sixty-four bytes at a time,
/// where scanning from each word to the next took some hundred instructions a word.
pub struct Classes {
    /// For each sixty-four bytes: bit `i` of `[0]` for an ASCII letter or digit at
    /// byte `i`, of `[1]` for a byte beyond ASCII. Bits past the text are clear.
    blocks: Vec<[u64; 2]>,
}

impl Classes {
    /// The classes of the bytes of `bytes`.
    pub fn of(bytes: &[u8]) -> Classes {
        let mut blocks = vec![[0u64; 2]; bytes.len().div_ceil(64)];
        let mut put = |chunk_index: usize, chunk: &[u8; 16]| {
            let (alphanumeric, beyond) = classes_of_16(chunk);
            let (block, shift) = (&mut blocks[chunk_index / 4], 16 * (chunk_index % 4));
            block[0] |= u64::from(alphanumeric) << shift;
            block[1] |= u64::from(beyond) << shift;
        };
        let mut chunks = bytes.chunks_exact(16);
        for (i, chunk) in chunks.by_ref().enumerate() {
            put(i, chunk.try_into().expect("sixteen bytes"));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // Zeros past the text: neither letters nor beyond ASCII.
            let mut last = [0u8; 16];
            last[..rest.len()].copy_from_slice(rest);
            put(bytes.len() / 16, &last);
        }
        Classes { blocks }
    }

    /// The first byte at or after `at` that may start a word: an ASCII letter or digit,
    /// or a byte beyond ASCII. `None` past the last.
    #[inline]
    pub fn next_candidate(&self, at: usize) -> Option<usize> {
        let mut block = at / 64;
        let mut bits = self.blocks.get(block).map(|[a, b]| (a | b) >> (at % 64))?;
        let mut base = at;
        while bits == 0 {
            block += 1;
            bits = self.blocks.get(block).map(|[a, b]| a | b)?;
            base = block * 64;
        }
        Some(base + bits.trailing_zeros() as usize)
    }

    /// The first byte at or after `at` that is not an ASCII letter or digit, or the
    /// length of the text.
    #[inline]
    pub fn alphanumeric_end(&self, at: usize) -> usize {
        let mut block = at / 64;
        // The zeros the shift brings in at the top read as letters: those bytes are the
        // next block's, which the loop reads for what they really are.
        let Some(mut bits) = self.blocks.get(block).map(|[a, _]| !a >> (at % 64)) else {
            return at;
        };
        let mut base = at;
        while bits == 0 {
            block += 1;
            let Some(next) = self.blocks.get(block).map(|[a, _]| !a) else {
                // The text ends at the end of a block, in a word.
                return block * 64;
            };
            bits = next;
            base = block * 64;
        }
        base + bits.trailing_zeros() as usize
    }

    /// Whether the byte at `at` is part of a character beyond ASCII.
    #[inline]
    pub fn is_beyond_ascii(&self, at: usize) -> bool {
        (self.blocks.get(at / 64)).is_some_and(|[_, beyond]| beyond >> (at % 64) & 1 == 1)
    }
}

/// Of sixteen bytes, a bit for each ASCII letter or digit and one for each byte beyond
/// ASCII, the first byte in the lowest bit.
#[cfg(target_arch = "x86_64")]
fn classes_of_16(chunk: &[u8; 16]) -> (u16, u16) {
    // SAFETY: SSE2 is part of x86-64 itself; every processor that runs this has it.
    unsafe { classes_of_16_sse2(chunk) }
}

/// [`classes_of_16`] with SSE2: all sixteen bytes compared at once. The comparisons
/// are signed, so every byte beyond ASCII is below '0' and 'a' and in neither range.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn classes_of_16_sse2(chunk: &[u8; 16]) -> (u16, u16) {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpgt_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
        _mm_set1_epi8,
    };
    let half = |at: usize| i64::from_le_bytes(chunk[at..at + 8].try_into().expect("8 bytes"));
    let bytes = _mm_set_epi64x(half(8), half(0));
    let within = |bytes: __m128i, lo: u8, hi: u8| {
        let above_lo = _mm_cmpgt_epi8(bytes, _mm_set1_epi8(lo as i8 - 1));
        let below_hi = _mm_cmpgt_epi8(_mm_set1_epi8(hi as i8 + 1), bytes);
        _mm_and_si128(above_lo, below_hi)
    };
    let digits = within(bytes, b'0', b'9');
    // Setting bit 5 makes upper case lower and moves no other byte into a..z.
    let letters = within(_mm_or_si128(bytes, _mm_set1_epi8(0x20)), b'a', b'z');
    let alphanumeric = _mm_movemask_epi8(_mm_or_si128(digits, letters));
    let beyond = _mm_movemask_epi8(bytes);
    // movemask sets only the low sixteen bits.
    (alphanumeric as u16, beyond as u16)
}

/// Of sixteen bytes, a bit for each ASCII letter or digit and one for each byte beyond
/// ASCII, the first byte in the lowest bit.
#[cfg(not(target_arch = "x86_64"))]
fn classes_of_16(chunk: &[u8; 16]) -> (u16, u16) {
    classes_of_16_by_byte(chunk)
}

/// [`classes_of_16`] a byte at a time.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn classes_of_16_by_byte(chunk: &[u8; 16]) -> (u16, u16) {
    let mut classes = (0, 0);
    for (i, &byte) in chunk.iter().enumerate() {
        classes.0 |= u16::from(byte.is_ascii_alphanumeric()) << i;
        classes.1 |= u16::from(!byte.is_ascii()) << i;
    }
    classes
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_eight_at_a_time_is_one_at_a_time(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            skip in 0usize..8,
        ) {
            let bytes = &bytes[skip.min(bytes.len())..];
            let by_byte = bytes.iter().position(|b| !b.is_ascii()).unwrap_or(bytes.len());
            proptest::prop_assert_eq!(ascii_len(bytes), by_byte);
        }

        #[test]
        fn printable_eight_at_a_time_is_one_at_a_time(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            skip in 0usize..8,
        ) {
            let bytes = &bytes[skip.min(bytes.len())..];
            let by_byte = (bytes.iter())
                .position(|b| !(0x21..=0x7f).contains(b))
                .unwrap_or(bytes.len());
            proptest::prop_assert_eq!(printable_len(bytes), by_byte);
        }

        #[test]
        fn long_runs_of_ascii_are_found_too(ascii in "[ -~\t\n]{0,40}") {
            let text = format!("{ascii}ë");
            proptest::prop_assert_eq!(ascii_len(text.as_bytes()), ascii.len());
        }

        #[test]
        fn classes_answer_as_each_byte_would(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            at in 0usize..210,
        ) {
            let classes = Classes::of(&bytes);
            let from = at.min(bytes.len());
            let candidate = (bytes[from..].iter())
                .position(|b| b.is_ascii_alphanumeric() || !b.is_ascii())
                .map(|i| from + i);
            let end = (bytes[from..].iter())
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(bytes.len(), |i| from + i);
            proptest::prop_assert_eq!(classes.next_candidate(from), candidate);
            proptest::prop_assert_eq!(classes.alphanumeric_end(from), end);
            proptest::prop_assert_eq!(
                classes.is_beyond_ascii(at),
                bytes.get(at).is_some_and(|b| !b.is_ascii())
            );
        }
    }

    #[test]
    fn every_byte_is_classed_as_std_classes_it() {
        for byte in 0..=255u8 {
            let chunk = [byte; 16];
            let expected = (
                if byte.is_ascii_alphanumeric() {
                    u16::MAX
                } else {
                    0
                },
                if byte.is_ascii() { 0 } else { u16::MAX },
            );
            assert_eq!(classes_of_16(&chunk), expected, "{byte}");
            assert_eq!(classes_of_16_by_byte(&chunk), expected, "{byte}");
            let printable = (0x21..=0x7f).contains(&byte);
            assert_eq!(
                printable_len(&chunk),
                if printable { 16 } else { 0 },
                "{byte}"
            );
        }
    }

    #[test]
    fn a_word_to_the_end_of_a_block_ends_with_the_text() {
        let text = "a".repeat(128);
        let classes = Classes::of(text.as_bytes());
        assert_eq!(classes.alphanumeric_end(3), 128);
        assert_eq!(classes.next_candidate(128), None);
        assert_eq!(classes.alphanumeric_end(128), 128);
    }
}
