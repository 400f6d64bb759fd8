//! Long texts as JSON strings, written sixteen bytes at a time.
//!
//! Every open-data file of an item holds its body twice, as HTML and as text: most of the
//! bytes of the site's JSON. serde_json escapes a string a byte at a time (8% of the
//! instructions of a build went there); this skips runs of bytes that need no escape,
//! sixteen at a time with SSE2 (part of every x86-64 processor) and eight at a time
//! elsewhere, and writes exactly what serde_json writes, straight into the file's bytes.

/// How many bytes [`first_escape`] looks at at once.
#[cfg(target_arch = "x86_64")]
const STEP: usize = 16;
#[cfg(not(target_arch = "x86_64"))]
const STEP: usize = 8;

/// Where in `chunk` the first byte that needs escaping is, if any: a control character,
/// a quote or a backslash.
#[cfg(target_arch = "x86_64")]
fn first_escape(chunk: &[u8; STEP]) -> Option<usize> {
    // SAFETY: SSE2 is part of x86-64 itself; every processor that runs this has it.
    unsafe { first_escape_sse2(chunk) }
}

/// [`first_escape`] with SSE2: all sixteen bytes compared at once.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn first_escape_sse2(chunk: &[u8; STEP]) -> Option<usize> {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
        _mm_set1_epi8,
    };
    let half = |at: usize| i64::from_le_bytes(chunk[at..at + 8].try_into().expect("8 bytes"));
    let bytes = _mm_set_epi64x(half(8), half(0));
    let quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'"' as i8));
    let backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\\' as i8));
    // Below a space: no greater than 0x1f, unsigned.
    let top = _mm_set1_epi8(0x1f);
    let control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, top), top);
    let marks = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control));
    (marks != 0).then(|| marks.trailing_zeros() as usize)
}

/// Where in `chunk` the first byte that needs escaping is, if any.
#[cfg(not(target_arch = "x86_64"))]
fn first_escape(chunk: &[u8; STEP]) -> Option<usize> {
    first_escape_swar(*chunk)
}

/// [`first_escape`] of eight bytes in one word: the high bit of each byte that needs
/// escaping is set. A borrow can also mark a byte after one that does, never one before
/// it, so the lowest mark is always a true one.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn first_escape_swar(chunk: [u8; 8]) -> Option<usize> {
    const ONES: u64 = u64::MAX / 255;
    const HIGH_BITS: u64 = ONES << 7;
    let chunk = u64::from_le_bytes(chunk);
    let below_space = chunk.wrapping_sub(ONES * 0x20) & !chunk;
    let quote = chunk ^ (ONES * u64::from(b'"'));
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = chunk ^ (ONES * u64::from(b'\\'));
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    let marks = (below_space | quote | backslash) & HIGH_BITS;
    (marks != 0).then(|| marks.trailing_zeros() as usize / 8)
}

/// Appends `text` to `out` as a JSON string, quotes included, escaped as serde_json
/// escapes: `\"`, `\\`, the short forms of control characters where JSON has one, and
/// `\u00XX` for the others.
pub fn write(text: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(text.len() + text.len() / 16 + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        // A chunk at a time, up to the first byte that needs escaping.
        if let Some(chunk) = bytes.get(at..at + STEP) {
            match first_escape(chunk.try_into().expect("a whole chunk")) {
                None => {
                    at += STEP;
                    continue;
                }
                Some(offset) => at += offset,
            }
        }
        let byte = bytes[at];
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => {
                at += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[copied..at]);
        if short.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        } else {
            out.extend_from_slice(short.as_bytes());
        }
        at += 1;
        copied = at;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> String {
        let mut out = Vec::new();
        write(text, &mut out);
        String::from_utf8(out).expect("escaped text is text")
    }

    #[test]
    fn escapes_as_serde_json_does() {
        for text in [
            "",
            "<p class=\"intro\">Cliënt \\ raad</p>\n",
            "\u{0}\u{1f}\u{7f}\u{8}\u{c}\r\t",
            "precies acht",
            "zeven\"",
            "€ 12,50 — 😀",
        ] {
            assert_eq!(
                written(text),
                serde_json::to_string(text).unwrap(),
                "{text:?}"
            );
        }
    }

    /// Where the first byte that needs escaping is, a byte at a time.
    fn first_by_byte(chunk: &[u8]) -> Option<usize> {
        chunk
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
    }

    proptest::proptest! {
        #[test]
        fn chunks_are_searched_as_bytes_are(
            chunk in proptest::array::uniform16(proptest::num::u8::ANY),
            plain in 0usize..16,
        ) {
            // Some bytes that need no escaping first, so that escapes fall anywhere.
            let mut chunk = chunk;
            chunk[..plain].fill(b'a');
            let step = &chunk[..STEP];
            proptest::prop_assert_eq!(first_escape(step.try_into().unwrap()), first_by_byte(step));
            let half: [u8; 8] = chunk[8..].try_into().unwrap();
            proptest::prop_assert_eq!(first_escape_swar(half), first_by_byte(&half));
        }

        #[test]
        fn any_text_is_escaped_as_serde_json_escapes_it(
            text in "(?s).{0,80}|[a-z \"\\\\\n\t\u{1}\u{1f}<>ë€]{0,300}"
        ) {
            proptest::prop_assert_eq!(written(&text), serde_json::to_string(&text).unwrap());
        }
    }
}
