//! Answering the HTTP requests of one connection from the served snapshot.
//!
//! Nothing is read from disk except the copied files that the build itself listed,
//! so no URL can reach a file outside the site. Every answer says `no-store`: a preview
//! must never show a stale file after a rebuild.
//!
//! Until a first build succeeds there is no page to show the errors on, so every URL
//! answers 500 with a page listing them.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::Arc;

use super::overlay;
use super::path::{self, SitePath};
use super::reload::{Clients, EVENTS_PATH};
use super::site::{LiveSite, Snapshot};
use super::wire::{self, HeadError};
use crate::render::Contents;

/// Answers the requests of one connection until the client closes it, goes quiet or
/// sends something unreadable; an event stream keeps the connection until the tab goes.
///
/// With `loopback_only` (the server listens on a loopback address), requests for
/// another host name are refused: see [`wire::is_loopback_host`].
pub fn connection(stream: TcpStream, site: &LiveSite, clients: &Clients, loopback_only: bool) {
    // Failing to set these only loses the protection against stalled clients.
    let _ = stream.set_write_timeout(Some(wire::WRITE_TIME));
    let _ = stream.set_nodelay(true);
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut out = BufWriter::new(write_half);
    let mut reader = wire::reader(stream);
    loop {
        let head = match wire::read_head(&mut reader) {
            Ok(head) => head,
            Err(HeadError::Gone) => return,
            Err(HeadError::Refused(status)) => {
                let _ = wire::refuse(&mut out, status);
                return;
            }
        };
        let reply = match path::parse(&head.target) {
            _ if loopback_only && !wire::is_loopback_host(head.host.as_deref()) => Reply::text(
                421,
                "421 Misdirected Request: this preview answers only to localhost or 127.0.0.1; \
                 to show it to other computers, start it with --bind 0.0.0.0\n",
            ),
            Err(error) => Reply::text(400, &format!("400 Bad Request: {error}\n")),
            Ok(_) if !matches!(head.method.as_str(), "GET" | "HEAD") => {
                Reply::text(405, "405 Method Not Allowed: only GET and HEAD\n")
            }
            Ok(path) if path.raw == EVENTS_PATH => {
                // Only the number: holding the snapshot for the life of the stream would
                // keep every old build in memory while a tab stays open. Errors only mean
                // that the tab went away.
                let _ = clients.stream(&mut out, || site.current().generation);
                return;
            }
            Ok(path) => answer(&site.current(), &path, clients),
        };
        let head_only = head.method == "HEAD";
        // A failed write means that the client went away; there is no one to tell.
        let sent = reply.write(&mut out, head_only, head.keep_alive);
        if sent.and_then(|()| out.flush()).is_err() || !head.keep_alive {
            return;
        }
    }
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
    Shared(Arc<Vec<u8>>),
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

    /// Writes the answer; a `HEAD` request gets the head only.
    fn write(self, out: &mut impl Write, head_only: bool, keep_alive: bool) -> io::Result<()> {
        let mut headers = vec![
            ("Content-Type", self.content_type),
            ("Cache-Control", "no-store"),
        ];
        if let Some(location) = &self.location {
            headers.push(("Location", location));
        }
        let bytes: &[u8] = match &self.body {
            Body::Bytes(bytes) => bytes,
            Body::Shared(bytes) => bytes.as_slice(),
            Body::Embedded(bytes) => bytes,
            Body::File(source) => {
                let Ok((file, length)) = open(source) else {
                    // Deleted since the build: a rebuild is on its way.
                    return Reply::text(404, "404 Not Found\n").write(out, head_only, keep_alive);
                };
                wire::write_head(out, self.status, &headers, length, keep_alive)?;
                if head_only {
                    return Ok(());
                }
                let sent = io::copy(&mut file.take(length), out)?;
                // Shortened while it was sent: the client must not wait for the rest.
                return if sent < length {
                    Err(io::ErrorKind::UnexpectedEof.into())
                } else {
                    Ok(())
                };
            }
        };
        wire::write_head(out, self.status, &headers, bytes.len() as u64, keep_alive)?;
        if !head_only {
            out.write_all(bytes)?;
        }
        Ok(())
    }
}

fn open(source: &PathBuf) -> io::Result<(File, u64)> {
    let file = File::open(source)?;
    let length = file.metadata()?.len();
    Ok((file, length))
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
            Contents::Bytes(bytes) => bytes.to_vec(),
            Contents::Embedded(bytes) => bytes.to_vec(),
            Contents::WithBody(data) => data.to_bytes(),
            Contents::Copy(source) => match std::fs::read(source) {
                Ok(bytes) => bytes,
                Err(_) => return Reply::text(404, "404 Not Found\n"),
            },
        };
        Body::Bytes(decorate(html, snapshot, clients, true))
    } else {
        match contents {
            Contents::Bytes(bytes) => Body::Shared(bytes.clone()),
            Contents::Embedded(bytes) => Body::Embedded(bytes),
            Contents::WithBody(data) => Body::Bytes(data.to_bytes()),
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
    use crate::render::{Files, OutputFile};

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
                path: (*path).into(),
                contents: Contents::bytes(text.as_bytes()),
            })
            .collect();
        Snapshot::new(Files::new(files), 3)
    }

    fn get(snapshot: &Snapshot, target: &str) -> (u16, String, Option<String>) {
        let reply = answer(snapshot, &path::parse(target).unwrap(), &Clients::new());
        let body = match reply.body {
            Body::Bytes(bytes) => String::from_utf8(bytes).unwrap(),
            Body::Shared(bytes) => String::from_utf8(bytes.to_vec()).unwrap(),
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
