//! `quorum.toml`: the typed site configuration.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::i18n::Language;
use crate::toml_errors::toml_diagnostic;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "quorum.toml";

/// The whole site configuration, as written in `quorum.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    #[serde(default)]
    pub language: Language,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Stylesheets of the site's own, paths in `static/` (`huisstijl.css`), linked after
    /// the theme's so that they can set its `--quorum-*` design tokens.
    #[serde(default)]
    pub stylesheets: Vec<String>,
    #[serde(default)]
    pub council: Council,
    #[serde(default)]
    pub policy_areas: BTreeMap<String, PolicyAreaDefinition>,
    #[serde(default)]
    pub advice: AdviceConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Free for theme authors.
    #[serde(default)]
    pub extra: toml::Table,
}

fn default_theme() -> String {
    "default".to_string()
}

/// Who the council is and where it meets.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Council {
    pub name: Option<String>,
    pub municipality: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub meeting_place: Option<String>,
}

/// A policy area as configured: a bare name, or a name with a description.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PolicyAreaDefinition {
    Name(String),
    Described {
        name: String,
        #[serde(default)]
        description: Option<String>,
    },
}

impl PolicyAreaDefinition {
    /// The name shown to readers.
    pub fn name(&self) -> &str {
        match self {
            PolicyAreaDefinition::Name(name) => name,
            PolicyAreaDefinition::Described { name, .. } => name,
        }
    }

    /// The optional one-paragraph description.
    pub fn description(&self) -> Option<&str> {
        match self {
            PolicyAreaDefinition::Name(_) => None,
            PolicyAreaDefinition::Described { description, .. } => description.as_deref(),
        }
    }
}

/// Settings of the advice register.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdviceConfig {
    /// Days the municipality has to respond before an advice counts as overdue.
    #[serde(default = "default_response_term")]
    pub response_term_days: u32,
}

fn default_response_term() -> u32 {
    42
}

impl Default for AdviceConfig {
    fn default() -> Self {
        AdviceConfig {
            response_term_days: default_response_term(),
        }
    }
}

/// Markdown rendering options.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Pass raw HTML in Markdown through unsanitised.
    #[serde(default)]
    pub unsafe_html: bool,
}

impl Config {
    /// Reads and validates `quorum.toml` in `root`; `base_url` overrides the configured one.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                "run quorum in the site folder, pass --root DIR, or create a site with `quorum init DIR`"
            } else {
                "check that the file is readable UTF-8 text"
            };
            let d = Diagnostic::error(CONFIG_FILE, format!("cannot read {CONFIG_FILE}: {e}"))
                .hint(hint);
            single(d)
        })?;
        Config::parse(&text, base_url)
    }

    /// Parses the text of `quorum.toml`.
    pub fn parse(text: &str, base_url: Option<&str>) -> Result<Config, Diagnostics> {
        let mut config: Config =
            toml::from_str(text).map_err(|e| single(toml_diagnostic(CONFIG_FILE, text, 0, &e)))?;
        if let Some(url) = base_url {
            config.base_url = url.to_string();
        }
        config.validate(text)?;
        Ok(config)
    }

    fn validate(&mut self, text: &str) -> Result<(), Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let url = self.base_url.trim();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    format!("base_url `{url}` is not an absolute URL"),
                )
                .at(key_location(text, "base_url"))
                .hint(
                    "write it with its scheme, e.g. base_url = \"https://adviesraad.example.nl\"",
                ),
            );
        }
        self.base_url = url.trim_end_matches('/').to_string();
        for key in self.policy_areas.keys() {
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                diagnostics.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        format!("policy area key `{key}` cannot be used in a URL"),
                    )
                    .at(key_location(text, key))
                    .hint("use lowercase letters, digits and hyphens, e.g. `beschermd-wonen`"),
                );
            }
        }
        for sheet in &mut self.stylesheets {
            let path = sheet.trim().trim_start_matches('/');
            let outside = path.contains("://") || path.split('/').any(|part| part == "..");
            if outside || !path.ends_with(".css") {
                diagnostics.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        format!("stylesheet `{sheet}` is not a .css file in static/"),
                    )
                    .at(key_location(text, "stylesheets"))
                    .hint("put the file in static/ and name it by its path there, e.g. stylesheets = [\"huisstijl.css\"]; other hosts are not allowed, so the site makes no third-party requests"),
                );
            }
            *sheet = path.to_string();
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(())
        }
    }

    /// Scheme and host of `base_url` (`https://raad.example.nl`), without its path.
    pub fn origin(&self) -> &str {
        let path = self.base_path();
        &self.base_url[..self.base_url.len() - path.len()]
    }

    /// The path part of `base_url` without a trailing slash ("" for a site at the root),
    /// prefixed to every internal link so a site can live in a subfolder.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        after_scheme.find('/').map_or("", |i| &after_scheme[i..])
    }

    /// A site path as an absolute URL, for feeds, sitemaps and structured data.
    pub fn absolute(&self, path: &str) -> String {
        // Joined, not formatted (see `Site::href`).
        [self.base_url.as_str(), "/", path].concat()
    }

    /// The council's name, falling back to the site title.
    pub fn council_name(&self) -> &str {
        self.council.name.as_deref().unwrap_or(&self.title)
    }
}

/// The location of `key = ...` in a TOML text, or line 1 when it is not there.
fn key_location(text: &str, key: &str) -> Location {
    let offset = text
        .lines()
        .scan(0, |start, line| {
            let here = *start;
            *start += line.len() + 1;
            Some((here, line))
        })
        .find(|(_, line)| {
            let line = line.trim_start();
            [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
                .iter()
                .filter_map(|written| line.strip_prefix(written.as_str()))
                .any(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(0, |(offset, line)| {
            offset + line.len() - line.trim_start().len()
        });
    Location::at_offset(text, offset, key.len())
}

fn single(diagnostic: Diagnostic) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    diagnostics.push(diagnostic);
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title = \"Raad\"\nbase_url = \"https://raad.example.nl/\"\n";

    #[test]
    fn parses_minimal_config_with_defaults() {
        let config = Config::parse(MINIMAL, None).unwrap();
        assert_eq!(config.language, Language::Nl);
        assert_eq!(config.theme, "default");
        assert_eq!(config.advice.response_term_days, 42);
        assert_eq!(config.base_url, "https://raad.example.nl");
        assert_eq!(config.base_path(), "");
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let config = Config::parse(MINIMAL, Some("https://user.github.io/raad/")).unwrap();
        assert_eq!(config.base_path(), "/raad");
        assert_eq!(config.origin(), "https://user.github.io");
    }

    #[test]
    fn stylesheets_are_paths_in_static() {
        let text = format!("{MINIMAL}stylesheets = [\"/huisstijl.css\", \"css/print.css\"]\n");
        let config = Config::parse(&text, None).unwrap();
        assert_eq!(config.stylesheets, ["huisstijl.css", "css/print.css"]);
        for wrong in ["https://cdn.example.com/x.css", "../x.css", "logo.svg"] {
            let text = format!("{MINIMAL}stylesheets = [\"{wrong}\"]\n");
            let errors = Config::parse(&text, None).unwrap_err();
            assert!(
                format!("{errors:?}").contains("not a .css file in static/"),
                "{wrong}"
            );
        }
    }

    #[test]
    fn unknown_key_gets_a_hint() {
        let text = format!("{MINIMAL}langauge = \"en\"\n");
        let errors = Config::parse(&text, None).unwrap_err();
        let report = errors.to_string();
        assert!(report.contains("unknown field `langauge`"), "{report}");
        assert!(report.contains("did you mean `language`?"), "{report}");
        assert!(report.contains("quorum.toml:3:1"), "{report}");
    }

    #[test]
    fn policy_areas_accept_name_or_table() {
        let text = format!(
            "{MINIMAL}[policy_areas]\nwmo = \"Wmo\"\njeugd = {{ name = \"Jeugd\", description = \"Kinderen\" }}\n"
        );
        let config = Config::parse(&text, None).unwrap();
        assert_eq!(config.policy_areas["wmo"].name(), "Wmo");
        assert_eq!(config.policy_areas["jeugd"].description(), Some("Kinderen"));
    }

    #[test]
    fn relative_base_url_is_an_error() {
        let text = "title = \"Raad\"\nbase_url = \"raad.example.nl\"\n";
        let report = Config::parse(text, None).unwrap_err().to_string();
        assert!(report.contains("quorum.toml:2:1"), "{report}");
    }
}
