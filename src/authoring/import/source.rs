//! Reading a file to import: what it is (text, Word, or something quorum cannot read),
//! and its text in whichever encoding Windows or a website saved it.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The largest document quorum imports.
const MAX_SIZE: u64 = 50 * 1024 * 1024;

/// The contents of a file to import.
#[derive(Debug)]
pub enum Source {
    /// Plain text, with a note when it was not UTF-8.
    Text { text: String, note: Option<String> },
    /// The bytes of a .docx file.
    Docx(Vec<u8>),
}

/// Reads a file and tells what it is.
pub fn read(path: &Path) -> Result<Source, Diagnostic> {
    let error = |message: String, hint: &str| Diagnostic::error(path, message).hint(hint);
    let size = std::fs::metadata(path)
        .map_err(|e| {
            error(
                format!("cannot read the file: {e}"),
                "check the path and that you may read the file",
            )
        })?
        .len();
    if size > MAX_SIZE {
        return Err(error(
            format!(
                "the file is {} MB, more than quorum imports",
                size / (1024 * 1024)
            ),
            "import the text of the document, and attach the file itself to the item",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        error(
            format!("cannot read the file: {e}"),
            "check the path and that you may read the file",
        )
    })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(error(
            "the file is empty".to_string(),
            "save or export the document again, or copy its text into a .txt file",
        ));
    }
    let is_docx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    if bytes.starts_with(b"PK\x03\x04") || is_docx {
        return Ok(Source::Docx(bytes));
    }
    if let Some((what, hint)) = binary_kind(&bytes) {
        return Err(error(
            format!("this is not a text or Word document: it is {what}"),
            hint,
        ));
    }
    decode(&bytes).ok_or_else(|| {
        error(
            "this is not a text document: it holds binary data".to_string(),
            "import plain text (.txt) or Word (.docx) files",
        )
    })
}

/// What a file is, judged by its first bytes, with advice, for files that hold no text.
pub fn binary_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    const KINDS: [(&[u8], &str, &str); 8] = [
        (
            b"\x89PNG",
            "a PNG image",
            "import the text of a document; put images beside index.md in a folder item",
        ),
        (
            b"\xff\xd8\xff",
            "a JPEG image",
            "import the text of a document; put images beside index.md in a folder item",
        ),
        (
            b"GIF8",
            "a GIF image",
            "import the text of a document; put images beside index.md in a folder item",
        ),
        (
            b"%PDF",
            "a PDF file",
            "copy the text out of the PDF into a .txt file and import that; attach the PDF to the item",
        ),
        (
            b"\xd0\xcf\x11\xe0",
            "an old Word (.doc) file",
            "open it in Word and save it as .docx (Word document), then import that",
        ),
        (
            b"{\\rtf",
            "an RTF file",
            "open it in Word and save it as .docx, then import that",
        ),
        (
            b"PK\x03\x04",
            "a zip archive",
            "import the .docx file itself, not an archive",
        ),
        (
            b"\x1f\x8b",
            "a gzip archive",
            "unpack it and import the document inside",
        ),
    ];
    KINDS
        .iter()
        .find(|(magic, _, _)| bytes.starts_with(magic))
        .map(|&(_, what, hint)| (what, hint))
}

/// Text as UTF-8, UTF-16 (with its byte order mark) or Windows-1252, the encoding of
/// older Windows editors; `None` for binary data.
fn decode(bytes: &[u8]) -> Option<Source> {
    let utf16 = |bytes: &[u8], big: bool| {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|pair| {
                let pair = [pair[0], pair[1]];
                if big {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            })
            .collect();
        String::from_utf16(&units).ok()
    };
    let (text, note) = if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        (utf16(rest, false)?, None)
    } else if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        (utf16(rest, true)?, None)
    } else if bytes.contains(&0) {
        return None;
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), None)
    } else {
        let note = "the file is not UTF-8; it was read as Windows-1252: check letters like ë and é";
        (
            bytes.iter().map(|&b| windows_1252(b)).collect(),
            Some(note.to_string()),
        )
    };
    Some(Source::Text { text, note })
}

/// One byte of Windows-1252: Latin-1, except typographic characters in 0x80–0x9F.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(source: Option<Source>) -> (String, bool) {
        match source {
            Some(Source::Text { text, note }) => (text, note.is_some()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn encodings() {
        assert_eq!(
            text_of(decode("Ëën".as_bytes())),
            ("Ëën".to_string(), false)
        );
        assert_eq!(
            text_of(decode(b"Cli\xebntenraad \x93x\x94")),
            ("Cliëntenraad “x”".to_string(), true)
        );
        assert_eq!(
            text_of(decode(b"\xff\xfeA\x00\xeb\x00")),
            ("Aë".to_string(), false)
        );
        assert!(decode(b"a\x00b").is_none());
    }

    #[test]
    fn binary_files_are_named() {
        assert_eq!(
            binary_kind(b"\x89PNG\r\n").map(|k| k.0),
            Some("a PNG image")
        );
        assert_eq!(binary_kind(b"%PDF-1.7").map(|k| k.0), Some("a PDF file"));
        assert_eq!(binary_kind(b"Gewoon tekst"), None);
    }
}
