//! Files of `quorum serve` kept around the body they show: item pages and item open
//! data. `serve` holds every body for its next rebuild anyway; keeping a copy of it in
//! each of the two files besides took more than half of the bytes of the files it held.

use std::sync::Arc;

use super::Contents;
use crate::markdown::Rendered;

/// A file as the bytes before a body, the body, and the bytes after it, joined only
/// when the file is asked for.
#[derive(Debug)]
pub struct WithBody {
    head: Box<[u8]>,
    body: Arc<Rendered>,
    tail: Box<[u8]>,
    form: Form,
}

/// How the body is printed in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Its HTML, as is.
    Html,
    /// Its HTML and text as JSON strings, as an item's open data holds them.
    Json,
}

/// A body shorter than this is kept in its page: keeping it apart saves too little.
const SHORTEST_APART: usize = 256;

impl WithBody {
    /// `page`, rendered from a template, as it shows `body`: around the first place that
    /// holds the body's HTML. Any place will do: the bytes around it and the body joined
    /// are the page. A page that holds no such place, or a short body, stays as it is.
    pub(super) fn page(page: Vec<u8>, body: &Arc<Rendered>) -> Contents {
        let html = body.html.as_bytes();
        let at = (html.len() >= SHORTEST_APART)
            .then(|| memchr::memmem::find(&page, html))
            .flatten();
        let Some(at) = at else {
            return Contents::bytes(page);
        };
        Contents::WithBody(Arc::new(WithBody {
            head: page[..at].into(),
            body: body.clone(),
            tail: page[at + html.len()..].into(),
            form: Form::Html,
        }))
    }

    /// An item's open data: `head` and `tail` printed before and after its `body`'s
    /// HTML and text (see `api::print_body`).
    pub(super) fn open_data(head: Vec<u8>, body: Arc<Rendered>, tail: Vec<u8>) -> WithBody {
        WithBody {
            head: head.into(),
            body,
            tail: tail.into(),
            form: Form::Json,
        }
    }

    /// The whole file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let html = &self.body.html;
        let mut out = Vec::with_capacity(self.head.len() + 2 * html.len() + self.tail.len());
        out.extend_from_slice(&self.head);
        match self.form {
            Form::Html => out.extend_from_slice(html.as_bytes()),
            Form::Json => super::api::print_body(html, self.body.text.trim(), &mut out),
        }
        out.extend_from_slice(&self.tail);
        out
    }
}

impl PartialEq for WithBody {
    fn eq(&self, other: &WithBody) -> bool {
        let (a, b) = (&self.body, &other.body);
        let same_body = Arc::ptr_eq(a, b)
            || match self.form {
                Form::Html => a.html == b.html,
                Form::Json => a.html == b.html && a.text.trim() == b.text.trim(),
            };
        self.form == other.form && self.head == other.head && self.tail == other.tail && same_body
    }
}

/// Equal files join to the same bytes, and every file equals itself, so an
/// `Arc<WithBody>` is equal to itself without being compared. (Two files split at other
/// places compare unequal even if they join to the same bytes: `serve` then only takes
/// the page for changed.)
impl Eq for WithBody {}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str) -> Arc<Rendered> {
        let mut body = Rendered::default();
        body.html = html.to_string();
        Arc::new(body)
    }

    fn bytes(contents: &Contents) -> Vec<u8> {
        match contents {
            Contents::Bytes(bytes) => bytes.to_vec(),
            Contents::WithBody(file) => file.to_bytes(),
            other => panic!("not rendered: {other:?}"),
        }
    }

    #[test]
    fn a_page_is_kept_around_its_body_and_joins_to_the_same_bytes() {
        let html = "<p>Notulen van de vergadering.</p>\n".repeat(10);
        let page = format!("<html><main>{html}</main><footer>{html}</footer></html>");
        let body = body(&html);
        let kept = WithBody::page(page.clone().into_bytes(), &body);
        let Contents::WithBody(file) = &kept else {
            panic!("kept whole: {kept:?}");
        };
        assert!(
            Arc::ptr_eq(&file.body, &body),
            "the body is shared, not copied"
        );
        assert_eq!(&*file.head, b"<html><main>");
        assert_eq!(bytes(&kept), page.as_bytes());
    }

    #[test]
    fn a_page_without_its_body_or_with_a_short_one_stays_whole() {
        let long = "<p>Advies over de Wmo.</p>".repeat(20);
        let escaped = long.replace('<', "&lt;");
        for (page, html) in [
            (format!("<main>{escaped}</main>"), long.as_str()),
            ("<main><p>Kort.</p></main>".to_string(), "<p>Kort.</p>"),
        ] {
            let kept = WithBody::page(page.clone().into_bytes(), &body(html));
            assert!(matches!(kept, Contents::Bytes(_)), "{page}");
            assert_eq!(bytes(&kept), page.as_bytes());
        }
    }

    #[test]
    fn files_are_equal_when_they_join_to_the_same_bytes() {
        let html = "<p>Jaarverslag.</p>".repeat(20);
        let page = |head: &str, html: &str| {
            let body = body(html);
            match WithBody::page(format!("{head}{html}</main>").into_bytes(), &body) {
                Contents::WithBody(file) => file,
                other => panic!("kept whole: {other:?}"),
            }
        };
        let a = page("<main>", &html);
        assert_eq!(a, page("<main>", &html), "an equal body rendered again");
        assert_ne!(a, page("<main class=\"x\">", &html));
        assert_ne!(a, page("<main>", &html.replace("Jaar", "Maand")));
        let data = WithBody::open_data(b"<main>".to_vec(), a.body.clone(), b"</main>".to_vec());
        assert_ne!(*a, data, "the body printed as JSON is other bytes");
    }
}
