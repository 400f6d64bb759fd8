//! Answering one HTTP request from the served snapshot.
//!
//! Nothing is read from disk except the copied files that the build itself listed,
//! so no URL can reach a file outside the site. Every answer says `no-store`: a preview
//! must never show a stale file after a rebuild.
//!
//! Until a first build succeeds there is no page to show the errors on, so every URL
//! answers 500 with a page listing them.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::PathBuf;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::overlay;
use super::path::{self, SitePath};
use super::reload::{Clients, EVENTS_PATH};
use super::site::{LiveSite, Snapshot};
use crate::render::Contents;

/// Answers `request` from the current build; an event stream request keeps the thread
/// until the tab goes away.
pub fn handle(request: Request, site: &LiveSite, clients: &Clients) {
    let reply = match path::parse(request.url()) {
        Err(error) => Reply::text(400, &format!("400 Bad Request: {error}\n")),
        Ok(_) if !matches!(request.method(), Method::Get | Method::Head) => {
            Reply::text(405, "405 Method Not Allowed: only GET and HEAD\n")
        }
        Ok(path) if path.raw == EVENTS_PATH => {
            // Only the number: holding the snapshot for the life of the stream would keep
            // every old build in memory while a tab stays open. Errors only mean that the
            // tab went away.
            let _ = clients.stream(request.into_writer(), || site.current().generation);
            return;
        }
        Ok(path) => answer(&site.current(), &path, clients),
    };
    // A failed write means that the client went away; there is no one to tell.
    let _ = request.respond(reply.into_response());
}

/// A response before it is put on the wire.
#[derive(Debug)]
pub struct Reply {
    status: u16,
    content_type: &'static str,
    location: Option<String>,
    body: Body,
}

#[derive(Debug)]
enum Body {
    Bytes(Vec<u8>),
    Embedded(&'static [u8]),
    File(PathBuf),
}

impl Reply {
    fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            location: None,
            body: Body::Bytes(text.as_bytes().to_vec()),
        }
    }

    fn html(status: u16, html: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type: path::content_type(".html"),
            location: None,
            body: Body::Bytes(html),
        }
    }

    fn into_response(self) -> Response<Box<dyn Read + Send>> {
        let (length, reader): (usize, Box<dyn Read + Send>) = match self.body {
            Body::Bytes(bytes) => (bytes.len(), Box::new(Cursor::new(bytes))),
            Body::Embedded(bytes) => (bytes.len(), Box::new(bytes)),
            Body::File(source) => match open(&source) {
                Ok((file, length)) => (length, Box::new(file)),
                // Deleted since the build: a rebuild is on its way.
                Err(_) => return Reply::text(404, "404 Not Found\n").into_response(),
            },
        };
        let mut headers = vec![
            header("Content-Type", self.content_type),
            header("Cache-Control", "no-store"),
        ];
        if let Some(location) = &self.location {
            headers.push(header("Location", location));
        }
        Response::new(
            StatusCode(self.status),
            headers.into_iter().flatten().collect(),
            reader,
            Some(length),
            None,
        )
    }
}

fn open(source: &PathBuf) -> io::Result<(File, usize)> {
    let file = File::open(source)?;
    let length = usize::try_from(file.metadata()?.len()).map_err(io::Error::other)?;
    Ok((file, length))
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Finds what to send for `path`: the file, `index.html` of a folder, a redirect to
/// the folder URL, or the site's 404 page.
pub fn answer(snapshot: &Snapshot, path: &SitePath, clients: &Clients) -> Reply {
    if let (true, Some(errors)) = (snapshot.is_empty(), &snapshot.errors) {
        let page = overlay::error_page(errors);
        return Reply::html(500, decorate(page, snapshot, clients, false));
    }
    let key = if path.is_folder() {
        format!("{}index.html", path.decoded)
    } else {
        path.decoded.clone()
    };
    if let Some(contents) = snapshot.get(&key) {
        return file(200, &key, contents, snapshot, clients);
    }
    if !path.is_folder() && snapshot.get(&format!("{key}/index.html")).is_some() {
        return Reply {
            location: Some(format!("{}/{}", path.raw, path.query)),
            ..Reply::text(308, "308 Permanent Redirect\n")
        };
    }
    match snapshot.get("404.html") {
        Some(contents) => file(404, "404.html", contents, snapshot, clients),
        None => {
            let page = b"<!DOCTYPE html><title>404</title><h1>404 Not Found</h1>".to_vec();
            Reply::html(404, decorate(page, snapshot, clients, true))
        }
    }
}

/// Sends an output file; pages get the reload script and, after a failed build, the
/// error overlay.
fn file(
    status: u16,
    output_path: &str,
    contents: &Contents,
    snapshot: &Snapshot,
    clients: &Clients,
) -> Reply {
    let body = if path::is_html(output_path) {
        let html = match contents {
            Contents::Bytes(bytes) => bytes.clone(),
            Contents::Embedded(bytes) => bytes.to_vec(),
            Contents::Copy(source) => match std::fs::read(source) {
                Ok(bytes) => bytes,
                Err(_) => return Reply::text(404, "404 Not Found\n"),
            },
        };
        Body::Bytes(decorate(html, snapshot, clients, true))
    } else {
        match contents {
            Contents::Bytes(bytes) => Body::Bytes(bytes.clone()),
            Contents::Embedded(bytes) => Body::Embedded(bytes),
            Contents::Copy(source) => Body::File(source.clone()),
        }
    };
    Reply {
        status,
        content_type: path::content_type(output_path),
        location: None,
        body,
    }
}

/// Adds the reload script, and the overlay when the last build failed (unless the page
/// is the error page itself).
fn decorate(mut html: Vec<u8>, snapshot: &Snapshot, clients: &Clients, overlay: bool) -> Vec<u8> {
    let mut snippet = clients.script(snapshot.generation);
    if let (true, Some(errors)) = (overlay, &snapshot.errors) {
        snippet.insert_str(0, &overlay::overlay(errors));
    }
    super::reload::inject(&mut html, &snippet);
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, Diagnostics};
    use crate::render::OutputFile;

    fn site() -> Snapshot {
        let files = [
            ("index.html", "<html><body>home</body></html>"),
            ("nieuws/index.html", "<body>nieuws</body>"),
            ("404.html", "<body>niet gevonden</body>"),
            ("feed.xml", "<rss/>"),
        ];
        let files = files
            .iter()
            .map(|(path, text)| OutputFile {
                path: path.to_string(),
                contents: Contents::Bytes(text.as_bytes().to_vec()),
            })
            .collect();
        Snapshot::new(files, 3)
    }

    fn get(snapshot: &Snapshot, target: &str) -> (u16, String, Option<String>) {
        let reply = answer(snapshot, &path::parse(target).unwrap(), &Clients::new());
        let body = match reply.body {
            Body::Bytes(bytes) => String::from_utf8(bytes).unwrap(),
            other => panic!("unexpected body {other:?}"),
        };
        (reply.status, body, reply.location)
    }

    #[test]
    fn folders_serve_their_index_with_the_script() {
        let (status, body, _) = get(&site(), "/nieuws/");
        assert_eq!(status, 200);
        assert!(body.starts_with("<body>nieuws<script>"));
        assert!(body.contains("generation: 3 }"));
        assert!(body.ends_with("</script>\n</body>"));
    }

    #[test]
    fn other_files_are_sent_unchanged() {
        assert_eq!(get(&site(), "/feed.xml").1, "<rss/>");
    }

    #[test]
    fn a_folder_without_slash_redirects_keeping_the_query() {
        let (status, _, location) = get(&site(), "/nieuws?pagina=2");
        assert_eq!(status, 308);
        assert_eq!(location.as_deref(), Some("/nieuws/?pagina=2"));
    }

    #[test]
    fn unknown_paths_get_the_sites_404_page() {
        let (status, body, _) = get(&site(), "/nope");
        assert_eq!(status, 404);
        assert!(body.starts_with("<body>niet gevonden<script>"));
    }

    #[test]
    fn after_a_failed_build_pages_carry_the_overlay() {
        let mut errors = Diagnostics::new();
        errors.push(Diagnostic::error("quorum.toml", "broken <config>"));
        let mut failed = site();
        failed.errors = Some(errors.clone());
        let (status, body, _) = get(&failed, "/");
        assert_eq!(status, 200);
        assert!(body.contains("home") && body.contains("broken &lt;config&gt;"));
        assert_eq!(get(&failed, "/feed.xml").1, "<rss/>");

        let mut never_built = Snapshot::default();
        never_built.errors = Some(errors);
        for target in ["/", "/nieuws/", "/feed.xml"] {
            let (status, body, _) = get(&never_built, target);
            assert_eq!(status, 500);
            assert_eq!(body.matches("id=\"quorum-errors\"").count(), 1);
        }
    }
}
