//! URL-safe names made from titles, file names and headings.

/// Lowercase ASCII letters and digits joined by single hyphens, with diacritics folded:
/// "Cliëntenraad & Wmo" becomes "clientenraad-wmo".
pub fn slugify(text: &str) -> String {
    let folded = deunicode::deunicode(text);
    let mut slug = String::with_capacity(folded.len());
    let mut pending_hyphen = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn folds_diacritics_and_punctuation() {
        assert_eq!(slugify("Cliëntenraad & Wmo"), "clientenraad-wmo");
        assert_eq!(
            slugify("3. Verslag vorige vergadering"),
            "3-verslag-vorige-vergadering"
        );
        assert_eq!(slugify("  --Één  twee--  "), "een-twee");
        assert_eq!(slugify("verslag 14 december"), "verslag-14-december");
        assert_eq!(slugify("!!!"), "");
    }
}
