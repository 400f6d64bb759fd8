//! Long texts as JSON strings, written eight bytes at a time.
//!
//! Every open-data file of an item holds its body twice, as HTML and as text: most of the
//! bytes of the site's JSON. serde_json escapes a string a byte at a time (8% of the
//! instructions of a build went there); this skips runs of eight bytes that need no
//! escape, and writes exactly what serde_json writes, straight into the file's bytes.

/// Eight bytes in one word, to test at once.
const ONES: u64 = u64::MAX / 255;
const HIGH_BITS: u64 = ONES << 7;

/// The high bit of each of the eight bytes of `chunk` that needs escaping: a control
/// character, a quote or a backslash. A borrow can also mark a byte after one that does,
/// never one before it, so the lowest mark is always a true one.
fn escape_marks(chunk: u64) -> u64 {
    let below_space = chunk.wrapping_sub(ONES * 0x20) & !chunk;
    let quote = chunk ^ (ONES * u64::from(b'"'));
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = chunk ^ (ONES * u64::from(b'\\'));
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (below_space | quote | backslash) & HIGH_BITS
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
        // Eight bytes at a time, up to the first that needs escaping.
        if let Some(chunk) = bytes.get(at..at + 8) {
            let marks = escape_marks(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
            if marks == 0 {
                at += 8;
                continue;
            }
            at += marks.trailing_zeros() as usize / 8;
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

    proptest::proptest! {
        #[test]
        fn any_text_is_escaped_as_serde_json_escapes_it(
            text in "(?s).{0,80}|[a-z \"\\\\\n\t\u{1}\u{1f}<>ë€]{0,80}"
        ) {
            proptest::prop_assert_eq!(written(&text), serde_json::to_string(&text).unwrap());
        }
    }
}
