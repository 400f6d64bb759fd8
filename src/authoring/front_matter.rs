//! Front matter written field by field, in the order a webmaster reads it, with values
//! quoted by the `toml` crate so any text (quotes, backslashes, accents) stays valid.

use chrono::NaiveDate;

use crate::content::{ActionItem, AgendaItem};

/// A `+++` block under construction.
#[derive(Debug, Default)]
pub struct FrontMatter {
    text: String,
}

impl FrontMatter {
    /// `key = "value"`.
    pub fn string(&mut self, key: &str, value: &str) -> &mut Self {
        self.line(key, &quote(value))
    }

    /// `key = YYYY-MM-DD`, a bare TOML date.
    pub fn date(&mut self, key: &str, date: NaiveDate) -> &mut Self {
        self.line(key, &date.format("%Y-%m-%d").to_string())
    }

    /// `key = 2021` or `key = true`: a value that needs no quoting.
    pub fn bare(&mut self, key: &str, value: impl std::fmt::Display) -> &mut Self {
        self.line(key, &value.to_string())
    }

    /// `key = ["a", "b"]`, one entry per line when it is long.
    pub fn strings(&mut self, key: &str, values: &[String]) -> &mut Self {
        let quoted: Vec<String> = values.iter().map(|v| quote(v)).collect();
        let inline = format!("[{}]", quoted.join(", "));
        if inline.len() + key.len() <= 90 {
            return self.line(key, &inline);
        }
        let rows: Vec<String> = quoted.iter().map(|q| format!("  {q},\n")).collect();
        self.line(key, &format!("[\n{}]", rows.concat()))
    }

    /// `actions = [ { id, what, who, due, done }, … ]`, one action per line.
    pub fn actions(&mut self, actions: &[ActionItem]) -> &mut Self {
        let rows: Vec<String> = actions
            .iter()
            .map(|a| {
                let mut fields = vec![
                    format!("id = {}", quote(&a.id)),
                    format!("what = {}", quote(&a.what)),
                ];
                if let Some(who) = &a.who {
                    fields.push(format!("who = {}", quote(who)));
                }
                if let Some(due) = a.due {
                    fields.push(format!("due = {}", due.format("%Y-%m-%d")));
                }
                fields.push(format!("done = {}", a.done));
                format!("  {{ {} }},\n", fields.join(", "))
            })
            .collect();
        self.line("actions", &format!("[\n{}]", rows.concat()))
    }

    /// `agenda = [ { title, description }, … ]`, one point per line.
    pub fn agenda(&mut self, agenda: &[AgendaItem]) -> &mut Self {
        let rows: Vec<String> = agenda
            .iter()
            .map(|point| match &point.description {
                Some(d) => format!(
                    "  {{ title = {}, description = {} }},\n",
                    quote(&point.title),
                    quote(d)
                ),
                None => format!("  {{ title = {} }},\n", quote(&point.title)),
            })
            .collect();
        self.line("agenda", &format!("[\n{}]", rows.concat()))
    }

    /// A `# comment` line: a hint for an optional field the webmaster may fill in.
    pub fn comment(&mut self, text: &str) -> &mut Self {
        self.text.push_str("# ");
        self.text.push_str(text);
        self.text.push('\n');
        self
    }

    /// The whole file: front matter between `+++` lines, then the body.
    pub fn with_body(&self, body: &str) -> String {
        let body = body.trim();
        if body.is_empty() {
            format!("+++\n{}+++\n", self.text)
        } else {
            format!("+++\n{}+++\n\n{body}\n", self.text)
        }
    }

    fn line(&mut self, key: &str, value: &str) -> &mut Self {
        self.text.push_str(key);
        self.text.push_str(" = ");
        self.text.push_str(value);
        self.text.push('\n');
        self
    }
}

/// A TOML string literal for any text.
fn quote(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_so_the_front_matter_parses() {
        let mut fm = FrontMatter::default();
        fm.string("title", "Een \"nieuw\" lid \\ Één")
            .date("date", NaiveDate::from_ymd_opt(2021, 12, 14).unwrap())
            .strings("attendees", &["An".to_string(), "Bas \"B\"".to_string()])
            .actions(&[ActionItem {
                id: "A1".to_string(),
                what: "Bellen".to_string(),
                who: None,
                due: NaiveDate::from_ymd_opt(2022, 1, 1),
                done: false,
            }]);
        let text = fm.with_body("Tekst");
        let front = text.split("+++").nth(1).unwrap();
        let table: toml::Table = toml::from_str(front).unwrap();
        assert_eq!(table["title"].as_str(), Some("Een \"nieuw\" lid \\ Één"));
        assert_eq!(table["attendees"].as_array().unwrap().len(), 2);
        assert_eq!(table["actions"][0]["id"].as_str(), Some("A1"));
        assert!(text.ends_with("+++\n\nTekst\n"));
    }
}
