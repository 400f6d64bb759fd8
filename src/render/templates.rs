//! The template engine (Tera 2), loaded once per build, with errors mapped to the
//! template file and line they come from.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::theme::Theme;

/// Tera's `safe` filter without copying the string: Tera's own makes a new one, and
/// every item page passes its whole body through it. Other values are written out as
/// Tera's does.
fn safe(value: Value, _: Kwargs, _: &State) -> Value {
    if value.as_str().is_some() {
        value.mark_safe()
    } else {
        Value::safe_string(&value.to_string())
    }
}

/// The compiled templates of a theme.
pub struct Templates {
    /// One engine for each thread of the pool and one for any other thread, each with
    /// its own copy of the globals. Every use of a global in a template clones it, an
    /// atomic count on a map every page reads: with one copy, the two cores took that
    /// count's cache line from each other hundreds of thousands of times a build.
    engines: Vec<Tera>,
    /// Template name → (file shown in errors, source text).
    sources: HashMap<String, (PathBuf, String)>,
}

impl Templates {
    /// Compiles every template of the theme; the context `globals` makes is visible in
    /// all of them.
    pub fn new(theme: &Theme, globals: impl Fn() -> Context) -> Result<Templates, Diagnostics> {
        let sources: HashMap<String, (PathBuf, String)> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), (t.origin.clone(), t.text.clone())))
            .collect();
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.register_filter("safe", safe);
        let mut templates = Templates {
            engines: Vec::new(),
            sources,
        };
        let raw = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()));
        if let Err(error) = tera.add_raw_templates(raw) {
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(templates.diagnostic(&error, None));
            return Err(diagnostics);
        }
        templates.engines = (0..=rayon::current_num_threads())
            .map(|_| {
                let mut engine = tera.clone();
                *engine.global_context() = globals();
                engine
            })
            .collect();
        Ok(templates)
    }

    /// The engine of the thread this runs on.
    fn engine(&self) -> &Tera {
        let index = rayon::current_thread_index().map_or(0, |i| i + 1);
        self.engines.get(index).unwrap_or(&self.engines[0])
    }

    /// Whether the theme has a template of this name.
    pub fn has(&self, name: &str) -> bool {
        self.engines[0].contains_template(name)
    }

    /// Renders `name` for the page at `page` (named in errors), of about `size` bytes.
    /// Tera writes bytes: they go to the output as they are, without checking them as
    /// text first (templates and values are text already).
    pub fn render(
        &self,
        name: &str,
        context: &Context,
        page: &str,
        size: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(size);
        (self.engine())
            .render_to(name, context, &mut out)
            .map_err(|error| self.diagnostic(&error, Some((name, page))))?;
        Ok(out)
    }

    /// An error of Tera as a diagnostic at the template file and line.
    fn diagnostic(&self, error: &tera::Error, rendering: Option<(&str, &str)>) -> Diagnostic {
        let while_rendering = rendering
            .map(|(_, page)| format!(" (while rendering /{page})"))
            .unwrap_or_default();
        let hint = "fix the template; variables a template can use are listed in the README under \"Templates\"";
        if let ErrorKind::Msg(text) = error.kind()
            && let Some(diagnostic) = self.reported(text, hint)
        {
            return diagnostic;
        }
        match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let (file, text) = self
                    .sources
                    .get(report.filename())
                    .cloned()
                    .unwrap_or_else(|| (PathBuf::from(report.filename()), String::new()));
                let span = report.span();
                let mut location = Location::line_of(&text, span.start_line.max(1));
                location.column = span.start_col + 1;
                location.len = if span.end_line == span.start_line {
                    span.end_col.saturating_sub(span.start_col).max(1)
                } else {
                    location
                        .source_line
                        .chars()
                        .count()
                        .saturating_sub(span.start_col)
                        .max(1)
                };
                let kind = if matches!(error.kind(), ErrorKind::SyntaxError(_)) {
                    "template syntax error"
                } else {
                    "template error"
                };
                Diagnostic::error(
                    file,
                    format!("{kind}: {}{while_rendering}", report.message()),
                )
                .at(location)
                .hint(hint)
            }
            ErrorKind::TemplateNotFound(name) => {
                let file =
                    rendering.map_or_else(|| PathBuf::from("templates"), |(n, _)| self.origin(n));
                Diagnostic::error(
                    file,
                    format!("template \"{name}\" does not exist{while_rendering}"),
                )
                .hint("add the template to templates/ or the theme, or correct its name")
            }
            ErrorKind::MissingParent { current, parent } => Diagnostic::error(
                self.origin(current),
                format!("the template extends \"{parent}\", which does not exist"),
            )
            .hint("correct the name in {% extends %}, or add that template"),
            other => {
                let file =
                    rendering.map_or_else(|| PathBuf::from("templates"), |(n, _)| self.origin(n));
                let mut message = other.to_string();
                if let Some(source) = std::error::Error::source(error) {
                    message = format!("{message}: {source}");
                }
                Diagnostic::error(file, format!("template error: {message}{while_rendering}"))
                    .hint(hint)
            }
        }
    }

    /// Tera reports unknown filters, tests and functions as text already rendered
    /// (`error: Unknown filter`, ` --> page.html:2:33`, the line, carets); this reads the
    /// first one back so it points at the template file like every other error.
    fn reported(&self, report: &str, hint: &str) -> Option<Diagnostic> {
        let mut lines = report.lines();
        let message = lines.next()?.trim().strip_prefix("error: ")?;
        let place = lines.next()?.trim().strip_prefix("--> ")?;
        let (rest, column) = place.rsplit_once(':')?;
        let (name, line) = rest.rsplit_once(':')?;
        let carets = lines
            .take(3)
            .find(|l| l.contains('^'))
            .map_or(1, |l| l.matches('^').count());
        let (file, text) = self.sources.get(name)?;
        let mut location = Location::line_of(text, line.parse().ok()?);
        location.column = column.parse().ok()?;
        location.len = carets.max(1);
        Some(
            Diagnostic::error(file, format!("template error: {message}"))
                .at(location)
                .hint(hint),
        )
    }

    fn origin(&self, name: &str) -> PathBuf {
        self.sources
            .get(name)
            .map_or_else(|| PathBuf::from(name), |(path, _)| path.clone())
    }
}

#[cfg(test)]
mod tests {
    use tera::{Context, Tera};

    /// `safe` writes every kind of value as Tera's own filter does.
    #[test]
    fn safe_writes_values_as_teras_own_filter() {
        let text = "{{ long | safe }}|{{ short | safe }}|{{ n | safe }}|{{ yes | safe }}|\
                    {{ list | safe }}|{{ map | safe }}|{{ plain }}|{{ long | safe | upper }}";
        let mut context = Context::new();
        context.insert("long", "<p>A paragraph long enough to be kept apart.</p>");
        context.insert("short", "<b>&</b>");
        context.insert("n", &5);
        context.insert("yes", &true);
        context.insert("list", &["<a>", "b"]);
        context.insert("map", &std::collections::BTreeMap::from([("k", "<v>")]));
        context.insert("plain", "<i>");
        let render = |tera: &mut Tera| {
            tera.autoescape_on([".html"]);
            tera.add_raw_template("t.html", text).unwrap();
            tera.render("t.html", &context).unwrap()
        };
        let mut ours = Tera::new();
        ours.register_filter("safe", super::safe);
        let theirs = render(&mut Tera::new());
        assert_eq!(render(&mut ours), theirs);
        assert!(theirs.starts_with("<p>A paragraph"), "{theirs}");
        assert!(theirs.contains("&lt;i&gt;"), "{theirs}");
    }
}
