//! Themes: templates, static assets and interface strings, from the site's `themes/`
//! folder or built into the binary, with the site's own `templates/` overriding them.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, relative};
use crate::toml_errors::toml_diagnostic;

/// The default theme, built in so a site needs no theme folder of its own.
static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template's source and the file it came from, for error messages.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name used in `extends` and `include`, e.g. `base.html` or `partials/card.html`.
    pub name: String,
    pub text: String,
    /// Path shown in errors, relative to the site root (or `<built-in>/...`).
    pub origin: PathBuf,
}

/// A file the theme or the site publishes as it is.
#[derive(Debug, Clone)]
pub enum StaticFile {
    /// Built-in bytes.
    Embedded { path: String, bytes: &'static [u8] },
    /// A file on disk.
    Disk { path: String, source: PathBuf },
}

impl StaticFile {
    /// The output path, relative to the site root.
    pub fn path(&self) -> &str {
        match self {
            StaticFile::Embedded { path, .. } | StaticFile::Disk { path, .. } => path,
        }
    }
}

/// Everything a theme brings, with the site's overrides applied.
#[derive(Debug, Clone)]
pub struct Theme {
    pub templates: Vec<TemplateSource>,
    pub static_files: Vec<StaticFile>,
    /// Interface strings in the site's language.
    pub strings: toml::Table,
}

impl Theme {
    /// Loads the configured theme for the site at `root`.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let folder = root.join("themes").join(&config.theme);
        let mut theme = if folder.is_dir() {
            Theme::from_disk(root, &folder, config, &mut diagnostics)
        } else if config.theme == "default" {
            Theme::built_in(config, &mut diagnostics)
        } else {
            diagnostics.push(
                Diagnostic::error(
                    "quorum.toml",
                    format!("theme \"{}\" does not exist", config.theme),
                )
                .hint(format!(
                    "put the theme in themes/{}/, or use theme = \"default\"",
                    config.theme
                )),
            );
            return Err(diagnostics);
        };
        theme.override_templates(root, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(theme)
    }

    fn built_in(config: &Config, diagnostics: &mut Diagnostics) -> Theme {
        let mut templates = Vec::new();
        let mut static_files = Vec::new();
        for file in all_files(&BUILT_IN) {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                templates.push(TemplateSource {
                    name: name.to_string(),
                    text: String::from_utf8_lossy(file.contents()).into_owned(),
                    origin: PathBuf::from("<built-in theme>").join(&path),
                });
            } else if let Some(out) = path.strip_prefix("static/") {
                static_files.push(StaticFile::Embedded {
                    path: out.to_string(),
                    bytes: file.contents(),
                });
            }
        }
        let lang = config.language.code();
        let strings_path = format!("i18n/{lang}.toml");
        let strings = BUILT_IN
            .get_file(&strings_path)
            .map(|f| {
                parse_strings(
                    &String::from_utf8_lossy(f.contents()),
                    Path::new(&strings_path),
                    diagnostics,
                )
            })
            .unwrap_or_default();
        templates.sort_by(|a, b| a.name.cmp(&b.name));
        static_files.sort_by(|a, b| a.path().cmp(b.path()));
        Theme {
            templates,
            static_files,
            strings,
        }
    }

    fn from_disk(
        root: &Path,
        folder: &Path,
        config: &Config,
        diagnostics: &mut Diagnostics,
    ) -> Theme {
        let templates = read_templates(root, &folder.join("templates"), diagnostics);
        let static_files = static_files_in(&folder.join("static"));
        let strings_path = folder
            .join("i18n")
            .join(format!("{}.toml", config.language.code()));
        let strings = match std::fs::read_to_string(&strings_path) {
            Ok(text) => parse_strings(&text, &relative(root, &strings_path), diagnostics),
            Err(_) => {
                diagnostics.push(
                    Diagnostic::error(
                        relative(root, &strings_path),
                        "the theme has no interface strings for the site's language",
                    )
                    .hint(format!(
                        "add {} to the theme, or set language to one the theme has",
                        relative(root, &strings_path).display()
                    )),
                );
                toml::Table::new()
            }
        };
        Theme {
            templates,
            static_files,
            strings,
        }
    }

    /// Templates in the site's `templates/` replace the theme's of the same name.
    fn override_templates(&mut self, root: &Path, diagnostics: &mut Diagnostics) {
        for own in read_templates(root, &root.join("templates"), diagnostics) {
            match self.templates.iter_mut().find(|t| t.name == own.name) {
                Some(existing) => *existing = own,
                None => self.templates.push(own),
            }
        }
    }
}

fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(all_files(sub));
    }
    files
}

fn parse_strings(text: &str, origin: &Path, diagnostics: &mut Diagnostics) -> toml::Table {
    text.parse::<toml::Table>().unwrap_or_else(|e| {
        diagnostics.push(toml_diagnostic(origin, text, 0, &e));
        toml::Table::new()
    })
}

/// Every `.html`, `.xml` and `.txt` template under `folder`, named by its path in it.
fn read_templates(
    root: &Path,
    folder: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<TemplateSource> {
    let mut templates = Vec::new();
    for (name, path) in files_in(folder) {
        if crate::content::is_ignored(name.rsplit('/').next().unwrap_or(&name)) {
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => templates.push(TemplateSource {
                name,
                text,
                origin: relative(root, &path),
            }),
            Err(e) => diagnostics.push(
                Diagnostic::error(
                    relative(root, &path),
                    format!("cannot read the template: {e}"),
                )
                .hint("save the template as UTF-8 text"),
            ),
        }
    }
    templates
}

/// Every file under `folder` (for `static/`), with `/`-separated paths relative to it.
pub fn static_files_in(folder: &Path) -> Vec<StaticFile> {
    files_in(folder)
        .into_iter()
        .filter(|(name, _)| !crate::content::is_ignored(name.rsplit('/').next().unwrap_or(name)))
        .map(|(path, source)| StaticFile::Disk { path, source })
        .collect()
}

fn files_in(folder: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let name = e.path().strip_prefix(folder).ok()?;
            let name = name
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            Some((name, e.path().to_path_buf()))
        })
        .collect()
}
