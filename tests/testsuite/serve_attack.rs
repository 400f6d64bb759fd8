//! `quorum serve` under attack and load: paths that try to leave the site, symbolic links
//! that point out of it, oversized and malformed requests, floods of connections, and
//! requests during rapid edits. The long versions (wrk for 30 s, 1,000 edits, memory
//! after 1,000 rebuilds) are in `bench/serve-soak.sh`.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::Path;
use std::time::Duration;

use crate::serve::{Reply, Server, eventually};

const SECRET: &str = "GEHEIM-buiten-de-site-7f3a";

/// A folder outside the site with a secret file, and the site with links into it.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("geheim.txt"), SECRET).unwrap();
    fs::write(
        dir.path().join("index.md"),
        format!("+++\ntitle = \"{SECRET}\"\ndate = 2021-12-22\n+++\n{SECRET}\n"),
    )
    .unwrap();
    dir
}

/// Sends raw bytes on a fresh connection and reads until the server closes it.
fn raw(server: &Server, bytes: &[u8]) -> Vec<u8> {
    let mut stream = server.connect();
    // The server may close before reading everything it was sent: that is an answer.
    let _ = stream.write_all(bytes);
    let _ = stream.shutdown(Shutdown::Write);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer
}

/// The status of a raw answer, or `None` when the connection closed without one.
fn status(answer: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(answer);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// Asserts the home page is still served.
fn still_serving(server: &Server) {
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Adviesraad Proefdorp"));
}

#[test]
fn requests_for_other_host_names_are_refused() {
    // A page on another site that points its own name at 127.0.0.1 (DNS rebinding)
    // sends that name as the Host; the preview must not answer it.
    let server = Server::start("minimal", |_| {});
    for host in ["attacker.example", "attacker.example:1111", "192.168.1.5"] {
        let answer = raw(
            &server,
            format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert_eq!(status(&answer), Some(421), "{host}");
        assert!(!String::from_utf8_lossy(&answer).contains("Adviesraad Proefdorp"));
    }
    for host in ["localhost", "127.0.0.1:1111", "[::1]"] {
        let answer = raw(
            &server,
            format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert_eq!(status(&answer), Some(200), "{host}");
    }
    still_serving(&server);
}

#[test]
fn traversal_attempts_never_leave_the_site() {
    let secrets = outside();
    let server = Server::start("minimal", |site| link_static(site, secrets.path()));
    let config = server.read("quorum.toml");
    let targets = [
        "/../quorum.toml",
        "/../../../../../../etc/passwd",
        "/%2e%2e/quorum.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%252e%252e/quorum.toml",
        "/..%2fquorum.toml",
        "/..%252fquorum.toml",
        "/..\\quorum.toml",
        "/..%5cquorum.toml",
        "/%5c..%5cquorum.toml",
        "/%c0%ae%c0%ae/quorum.toml",
        "/%ef%bc%8e%ef%bc%8e/quorum.toml",
        "/.%2e/quorum.toml",
        "/./quorum.toml",
        "//etc/passwd",
        "/quorum.toml%00.html",
        "/%00",
        "/content/pages/over-ons.md",
        "/static/logo.svg/..",
        "http://evil/",
        "http://evil/../quorum.toml",
        "*",
        "quorum.toml",
        "/geheim.txt",
        "/buiten/geheim.txt",
        "/buiten/",
    ];
    for target in targets {
        let answer = raw(
            &server,
            format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        let text = String::from_utf8_lossy(&answer);
        let code = status(&answer);
        assert!(
            matches!(code, Some(400 | 404)),
            "{target} gave {code:?}: {text}"
        );
        assert!(!text.contains(SECRET), "{target} leaked the secret");
        assert!(!text.contains(config.trim()), "{target} leaked quorum.toml");
        assert!(!text.contains("root:x:0:0"), "{target} leaked /etc/passwd");
    }
    still_serving(&server);
}

/// Links from the site's `static/` to a file and a folder outside the site.
fn link_static(site: &Path, outside: &Path) {
    fs::create_dir_all(site.join("static")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.join("geheim.txt"), site.join("static/geheim.txt"))
            .unwrap();
        std::os::unix::fs::symlink(outside, site.join("static/buiten")).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn content_linked_from_outside_is_not_served() {
    let secrets = outside();
    let server = Server::start("minimal", |site| {
        std::os::unix::fs::symlink(secrets.path(), site.join("content/news/buiten")).unwrap();
        std::os::unix::fs::symlink(
            secrets.path().join("index.md"),
            site.join("content/news/buiten2.md"),
        )
        .unwrap();
    });
    for target in [
        "/",
        "/nieuws/buiten/",
        "/nieuws/buiten2/",
        "/nieuws/buiten/geheim.txt",
    ] {
        let reply = server.get(target);
        assert!(!reply.text().contains(SECRET), "{target} leaked the secret");
    }
    // The build fails on the links and says so on every page.
    let home = server.get("/");
    assert!(
        home.text().contains("points outside the site"),
        "{}",
        home.text()
    );
}

#[test]
fn oversized_requests_are_refused_and_others_still_served() {
    let server = Server::start("minimal", |_| {});
    let long_url = format!(
        "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let many_headers = format!(
        "GET / HTTP/1.1\r\n{}\r\n",
        (0..10_000)
            .map(|n| format!("X-H{n}: v\r\n"))
            .collect::<String>()
    );
    let long_header = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "b".repeat(1 << 20));
    let endless_line = "G".repeat(1 << 20);
    for (what, request, expected) in [
        ("a 1 MB URL", long_url.as_str(), 414),
        ("10,000 headers", many_headers.as_str(), 431),
        ("a 1 MB header", long_header.as_str(), 431),
        ("a line without end", endless_line.as_str(), 414),
        ("garbage", "\u{1}\u{2}\u{3} nonsense\r\n\r\n", 400),
        ("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400),
        ("a control character", "GET /a\rb HTTP/1.1\r\n\r\n", 400),
    ] {
        let answer = raw(&server, request.as_bytes());
        let code = status(&answer);
        assert!(
            code == Some(expected) || code.is_none(),
            "{what}: {code:?} {}",
            String::from_utf8_lossy(&answer)
        );
        still_serving(&server);
    }
}

#[test]
fn a_flood_of_idle_connections_is_survived() {
    let server = Server::start("minimal", |_| {});
    let idle: Vec<TcpStream> = (0..600).map(|_| server.connect()).collect();
    // Past the limit the server answers 503 at once instead of starting more threads.
    let mut extra = server.connect();
    let mut answer = Vec::new();
    let _ = extra.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    extra
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let _ = BufReader::new(&mut extra).read_until(b'\n', &mut answer);
    assert!(
        answer.starts_with(b"HTTP/1.1 503") || answer.is_empty(),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    drop(idle);
    eventually("the server to serve again", || {
        (server.get("/").status == 200).then_some(())
    });
}

/// A client that keeps its connection open, as browsers and wrk do.
struct KeepAlive {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl KeepAlive {
    fn new(server: &Server) -> KeepAlive {
        let stream = server.connect();
        KeepAlive {
            writer: stream.try_clone().unwrap(),
            reader: BufReader::new(stream),
        }
    }

    fn get(&mut self, path: &str) -> Reply {
        write!(
            self.writer,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut head = Vec::new();
        loop {
            let before = head.len();
            self.reader.read_until(b'\n', &mut head).unwrap();
            assert!(
                head.len() > before,
                "the server closed a kept-alive connection"
            );
            if head.ends_with(b"\r\n\r\n") {
                break;
            }
        }
        let mut reply = Reply::parse(&head);
        let length: usize = reply.header("content-length").unwrap().parse().unwrap();
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        reply.body = body;
        reply
    }
}

#[test]
fn requests_during_rapid_edits_all_succeed_and_the_last_edit_shows() {
    let server = Server::start("minimal", |_| {});
    let page = "content/pages/over-ons.md";
    let original = server.read(page);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let clients: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let mut client = KeepAlive::new(&server);
                    let mut count = 0;
                    while !stop.load(std::sync::atomic::Ordering::SeqCst) || count < 100 {
                        for path in ["/", "/over-ons/", "/style.css", "/feed.xml"] {
                            let reply = client.get(path);
                            assert_eq!(reply.status, 200, "{path} during edits");
                            count += 1;
                        }
                    }
                    count
                })
            })
            .collect();
        for n in 0..100 {
            server.write(
                page,
                &original.replace("Wie wij zijn.", &format!("Versie {n}.")),
            );
        }
        server.write(page, &original.replace("Wie wij zijn.", "Laatste versie."));
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let requests: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
        assert!(requests >= 400, "{requests} requests");
    });
    server.wait_for("/over-ons/", "Laatste versie.");
    // Settled: no older version comes back.
    for _ in 0..20 {
        assert!(server.get("/over-ons/").text().contains("Laatste versie."));
    }
}
