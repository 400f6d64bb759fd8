//! From text to search words: folding, tokenising and stemming.
//!
//! `themes/default/static/search-core.js` repeats [`fold`] and [`token_spans`] exactly
//! (NFKD, marks dropped, lower case, runs of letters and digits), so a word typed in the
//! browser is spelled as the index spells it; `tests/browser/search-core.test.mjs`
//! checks the same cases there. Stemming happens here only; see the module above for why.

use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::ascii::{Classes, ascii_len};
use crate::i18n::Language;

/// Shorter words carry no meaning worth a posting list ("a", "'s").
const MIN_CHARS: usize = 2;
/// Longer "words" are codes, hashes or run-together junk, not something anyone types.
const MAX_CHARS: usize = 40;

/// Lower case without diacritics and with compatibility forms resolved: "Cliënt" and
/// "client" are one word, and so are "ﬁets" and "fiets". Final sigma is plain sigma, as
/// lower-casing letter by letter in the browser would not know where a word ends.
/// Appended to `out`, which the index makes with room for padding after the text.
pub fn fold_into(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        // Most text is ASCII: a run of it is copied and lower-cased at once, where
        // decomposing it letter by letter would only cost time.
        let ascii = ascii_len(rest.as_bytes());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else { break };
        decompose_compatible(c, |d| {
            if !is_combining_mark(d) {
                out.extend(d.to_lowercase().map(|l| if l == 'ς' { 'σ' } else { l }));
            }
        });
        rest = &rest[c.len_utf8()..];
    }
}

/// Where the words of already folded text are, in bytes: runs of letters and digits,
/// as `search-core.js` splits them (`/[\p{Alphabetic}\p{N}]+/gu`), of a length worth
/// indexing. Spans, not `str`s: cutting each word out as a `str` checked both of its
/// ends for a character boundary again, and the index reads the words' bytes anyway.
pub fn token_spans(folded: &str) -> impl Iterator<Item = Range<usize>> {
    Tokens {
        text: folded,
        classes: Classes::of(folded.as_bytes()),
        at: 0,
    }
}

/// The words of [`token_spans`] as text.
#[cfg(test)]
pub fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    token_spans(folded).map(|span| &folded[span])
}

/// The iterator of [`token_spans`]: from word to word by the classes of the text's bytes,
/// counting each word's letters as it goes (splitting on a closure, then counting
/// again, was a tenth of a build). Only characters beyond ASCII are decoded.
struct Tokens<'a> {
    text: &'a str,
    classes: Classes,
    at: usize,
}

impl Iterator for Tokens<'_> {
    type Item = Range<usize>;

    // Inlined into the loop over a document's words, the position stays in a register
    // and the call's own work per word goes: 2% of a build's instructions.
    #[inline(always)]
    fn next(&mut self) -> Option<Range<usize>> {
        let text = self.text;
        let classes = &self.classes;
        // Kept in a local while scanning, not written back at every step.
        let mut at = self.at;
        loop {
            let Some(start) = classes.next_candidate(at) else {
                self.at = text.len();
                return None;
            };
            at = start;
            let mut letters = 0;
            loop {
                let end = classes.alphanumeric_end(at);
                letters += end - at;
                at = end;
                // Past the letters and digits of ASCII: a character beyond it may go on the word.
                if !classes.is_beyond_ascii(at) {
                    break;
                }
                let (in_word, len) = letter_at(text, at);
                if !in_word {
                    if letters == 0 {
                        // Not a word at all: step over it.
                        at += len;
                    }
                    break;
                }
                at += len;
                letters += 1;
            }
            if (MIN_CHARS..=MAX_CHARS).contains(&letters) {
                self.at = at;
                return Some(start..at);
            }
        }
    }
}

/// Whether the character at byte `at` is a letter or digit, and its length in bytes.
fn letter_at(text: &str, at: usize) -> (bool, usize) {
    let byte = text.as_bytes()[at];
    if byte.is_ascii() {
        return (byte.is_ascii_alphanumeric(), 1);
    }
    let c = text[at..]
        .chars()
        .next()
        .expect("`at` is a character boundary");
    (c.is_alphabetic() || c.is_numeric(), c.len_utf8())
}

/// Reduces folded words to their stem with the Snowball stemmer of the site language.
pub struct Stems {
    stemmer: Stemmer,
    language: Language,
}

impl Stems {
    /// The stemmer for `language`.
    pub fn new(language: Language) -> Stems {
        let algorithm = match language {
            Language::Nl => Algorithm::Dutch,
            Language::En => Algorithm::English,
        };
        Stems {
            stemmer: Stemmer::create(algorithm),
            language,
        }
    }

    /// The stem of a folded word: "vergaderingen" → "vergader".
    pub fn stem(&self, word: &str) -> String {
        let stem = self.stemmer.stem(word).into_owned();
        match self.language {
            Language::Nl => devoice(stem),
            Language::En => stem,
        }
    }
}

/// Dutch spells a voiced consonant before an ending and a voiceless one at the end of the
/// word (advies/adviezen, brief/brieven, huis/huizen). The classic Snowball stemmer
/// leaves "adviez" and "briev"; its 2023 revision ends them in s and f, as done here.
fn devoice(mut stem: String) -> String {
    let replacement = match stem.chars().last() {
        Some('z') => 's',
        Some('v') => 'f',
        _ => return stem,
    };
    stem.pop();
    stem.push(replacement);
    stem
}

/// [`fold_into`] a new string.
#[cfg(test)]
pub fn fold(text: &str) -> String {
    let mut out = String::new();
    fold_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`fold`] as it was written first, a letter at a time.
    fn fold_by_letter(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            decompose_compatible(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase().map(|l| if l == 'ς' { 'σ' } else { l }));
                }
            });
        }
        out
    }

    /// [`tokens`] as it was written first.
    fn tokens_by_split(folded: &str) -> Vec<&str> {
        folded
            .split(|c: char| !(c.is_alphabetic() || c.is_numeric()))
            .filter(|word| (MIN_CHARS..=MAX_CHARS).contains(&word.chars().count()))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn tokens_in_one_pass_are_the_split_words(
            text in "(?s).{0,64}|[a-z0-9 ,.ëïσ\u{0301}\u{0660}-]{0,80}|[\x00-\x7f]{0,80}|[a-z ë.]{60,300}"
        ) {
            let folded = fold(&text);
            proptest::prop_assert_eq!(tokens(&folded).collect::<Vec<_>>(), tokens_by_split(&folded));
        }

        #[test]
        fn folding_runs_of_ascii_changes_nothing(
            text in "(?s).{0,64}|[A-Za-z0-9 ,ÉëïΣς\u{fb01}\u{0301}]{0,64}"
        ) {
            proptest::prop_assert_eq!(fold(&text), fold_by_letter(&text));
        }
    }

    #[test]
    fn folding_drops_case_and_diacritics() {
        assert_eq!(fold("Cliënt"), "client");
        assert_eq!(fold("ÉÉN café, ﬁets"), "een cafe, fiets");
        assert_eq!(fold("Ĳssel"), "ijssel");
        assert_eq!(fold("ΟΔΟΣ"), "οδοσ");
    }

    #[test]
    fn tokens_are_runs_of_letters_and_digits() {
        let text =
            fold("De Wmo-raad adviseerde op 14-12-2021 over 'schuldhulpverlening' (zie p. 3).");
        let words: Vec<&str> = tokens(&text).collect();
        assert_eq!(
            words,
            [
                "de",
                "wmo",
                "raad",
                "adviseerde",
                "op",
                "14",
                "12",
                "2021",
                "over",
                "schuldhulpverlening",
                "zie"
            ]
        );
        let long = "x".repeat(MAX_CHARS + 1);
        assert_eq!(tokens(&long).count(), 0);
        // Letters, not bytes, are counted: forty of "ë" is a word, forty-one is not.
        let ok = "ë".repeat(MAX_CHARS);
        let text = format!("{ok} {} x {}é", "ë".repeat(MAX_CHARS + 1), "a");
        assert_eq!(tokens(&text).collect::<Vec<_>>(), [ok.as_str(), "aé"]);
    }

    #[test]
    fn dutch_inflections_share_a_stem() {
        let nl = Stems::new(Language::Nl);
        let same = |a: &str, b: &str| assert_eq!(nl.stem(a), nl.stem(b), "{a} / {b}");
        same("advies", "adviezen");
        same("vergadering", "vergaderingen");
        same("vergaderen", "vergadering");
        same("brief", "brieven");
        same("schuld", "schulden");
        same(&fold("cliënten"), "client");
        assert_ne!(nl.stem("advies"), nl.stem("adviesraad"));
    }

    #[test]
    fn english_inflections_share_a_stem() {
        let en = Stems::new(Language::En);
        assert_eq!(en.stem("meetings"), en.stem("meeting"));
        assert_eq!(en.stem("policies"), en.stem("policy"));
        // No Dutch devoicing in English.
        assert_eq!(en.stem("quiz"), "quiz");
    }
}
