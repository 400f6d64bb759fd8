//! Turning a request URL into a path of the served site, safely, and naming its type.
//!
//! The server answers only from the in-memory list of built files, so a path can never
//! reach the disk by itself; still, anything that looks like an escape (`..`, NUL,
//! backslashes) is refused outright so that no lookup is even tried.

use percent_encoding::percent_decode_str;

/// A request path that is safe to look up: decoded once, relative, without `..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePath {
    /// The decoded path without the leading `/`, e.g. `verslagen/2021-12-14/`.
    pub decoded: String,
    /// The path as the client sent it, without query, e.g. `/verslagen/2021-12-14`;
    /// kept to build redirects without encoding anything again.
    pub raw: String,
    /// The query string including its `?`, or empty.
    pub query: String,
}

impl SitePath {
    /// Whether the path names a folder (`/` or ends with `/`).
    pub fn is_folder(&self) -> bool {
        self.decoded.is_empty() || self.decoded.ends_with('/')
    }
}

/// Why a request path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadPath {
    #[error("the path does not start with `/`")]
    NotAbsolute,
    #[error("the path is not valid UTF-8 after decoding")]
    NotUtf8,
    #[error("the path holds a NUL byte or a backslash")]
    ForbiddenCharacter,
    #[error("the path holds a `.` or `..` segment")]
    DotSegment,
}

/// Parses the request target of an HTTP request (`/a/b?x=1`) into a [`SitePath`].
///
/// Decodes percent-escapes exactly once, so `%252e` stays the literal `%2e`, and checks
/// the segments after decoding, so `..%2f` cannot sneak a `..` past the check.
pub fn parse(target: &str) -> Result<SitePath, BadPath> {
    let without_fragment = target.split('#').next().unwrap_or_default();
    let (raw, query) = match without_fragment.find('?') {
        Some(i) => without_fragment.split_at(i),
        None => (without_fragment, ""),
    };
    let rest = raw.strip_prefix('/').ok_or(BadPath::NotAbsolute)?;
    let decoded = percent_decode_str(rest)
        .decode_utf8()
        .map_err(|_| BadPath::NotUtf8)?
        .into_owned();
    if decoded.contains(['\0', '\\']) {
        return Err(BadPath::ForbiddenCharacter);
    }
    if decoded
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Err(BadPath::DotSegment);
    }
    Ok(SitePath {
        decoded,
        raw: raw.to_string(),
        query: query.to_string(),
    })
}

/// The `Content-Type` of an output file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .filter(|(_, ext)| !ext.contains('/'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Whether an output file is an HTML page, which gets the reload script.
pub fn is_html(path: &str) -> bool {
    content_type(path).starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(target: &str) -> Result<String, BadPath> {
        parse(target).map(|p| p.decoded)
    }

    #[test]
    fn plain_paths_decode_once() {
        assert_eq!(decoded("/"), Ok(String::new()));
        assert_eq!(
            decoded("/verslagen/2021-12-14/"),
            Ok("verslagen/2021-12-14/".into())
        );
        assert_eq!(decoded("/caf%C3%A9/a%20b.pdf"), Ok("café/a b.pdf".into()));
        assert_eq!(decoded("/%252e%252e/x"), Ok("%2e%2e/x".into()));
    }

    #[test]
    fn query_and_fragment_are_split_off() {
        let path = parse("/style.css?v=3#top").unwrap();
        assert_eq!(path.decoded, "style.css");
        assert_eq!(path.raw, "/style.css");
        assert_eq!(path.query, "?v=3");
    }

    #[test]
    fn escapes_are_refused() {
        for target in [
            "/../Cargo.toml",
            "/%2e%2e/quorum.toml",
            "/verslagen/..%2f..%2fquorum.toml",
            "/a/./b",
            "/a/%2E%2E",
        ] {
            assert_eq!(decoded(target), Err(BadPath::DotSegment), "{target}");
        }
        assert_eq!(
            decoded("/..%5c..%5cquorum.toml"),
            Err(BadPath::ForbiddenCharacter)
        );
        assert_eq!(decoded("/a%00.html"), Err(BadPath::ForbiddenCharacter));
        assert_eq!(decoded("/%ff"), Err(BadPath::NotUtf8));
        assert_eq!(decoded("http://evil/x"), Err(BadPath::NotAbsolute));
        assert_eq!(decoded("*"), Err(BadPath::NotAbsolute));
    }

    #[test]
    fn folders_are_recognised() {
        assert!(parse("/").unwrap().is_folder());
        assert!(parse("/nieuws/").unwrap().is_folder());
        assert!(!parse("/nieuws").unwrap().is_folder());
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("agenda.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("api/minutes.json"), "application/json");
        assert_eq!(content_type("jaarverslag.PDF"), "application/pdf");
        assert_eq!(content_type("logo.svg"), "image/svg+xml");
        assert_eq!(content_type("foto.JPG"), "image/jpeg");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("favicon.ico"), "image/x-icon");
        assert_eq!(content_type("v1.0/LICENSE"), "application/octet-stream");
        assert_eq!(content_type("noextension"), "application/octet-stream");
        assert!(is_html("404.html"));
        assert!(!is_html("feed.xml"));
    }
}
