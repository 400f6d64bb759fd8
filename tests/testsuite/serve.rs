//! `quorum serve` driven like a browser would: the real binary on a copy of a fixture
//! site, spoken to over plain HTTP.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The day the fixture is built for, so `serve` and `build` agree.
pub(crate) const TODAY: &str = "2021-12-01";
/// The longest any change may take to show.
pub(crate) const PATIENCE: Duration = Duration::from_secs(10);

/// A `quorum serve` process on a temporary copy of a fixture; killed when dropped.
pub(crate) struct Server {
    child: Child,
    dir: tempfile::TempDir,
    pub(crate) origin: String,
}

impl Server {
    /// Copies `tests/fixtures/<fixture>`, lets `prepare` change it, and serves it.
    pub(crate) fn start(fixture: &str, prepare: impl FnOnce(&Path)) -> Server {
        Server::start_and_then(fixture, prepare, |_| {})
    }

    /// Starts like [`Server::start`], and calls `first_built` with the site's folder the
    /// moment the server says its first build is done, while it starts watching.
    fn start_and_then(
        fixture: &str,
        prepare: impl FnOnce(&Path),
        first_built: impl FnOnce(&Path) + Send + 'static,
    ) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        crate::util::copy_dir(&crate::util::fixtures().join(fixture), &site);
        prepare(&site);
        let open_log = || {
            let log = dir.path().join("serve.log");
            fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .unwrap()
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_quorum"))
            .args(["serve", "--root"])
            .arg(&site)
            .args(["--port", &free_port().to_string()])
            .env("QUORUM_TODAY", TODAY)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(open_log())
            .spawn()
            .unwrap();
        // The output goes to the log line by line, from a pipe, to tell the first build.
        let (output, mut log) = (child.stdout.take().unwrap(), open_log());
        std::thread::spawn(move || {
            let mut first_built = Some(first_built);
            for line in BufReader::new(output).lines().map_while(Result::ok) {
                writeln!(log, "{line}").unwrap();
                if line.starts_with("built ")
                    && let Some(first_built) = first_built.take()
                {
                    first_built(&site);
                }
            }
        });
        let mut server = Server {
            child,
            dir,
            origin: String::new(),
        };
        // The server says where it listens: the port may have moved on if taken.
        server.origin = eventually("the server to start", || {
            let log = server.log();
            let line = log.lines().find(|l| l.starts_with("Serving "))?;
            Some(
                line.rsplit_once(" at ")?
                    .1
                    .trim_end_matches('/')
                    .to_string(),
            )
        });
        server
    }

    pub(crate) fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub(crate) fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("serve.log")).unwrap_or_default()
    }

    pub(crate) fn address(&self) -> &str {
        self.origin.trim_start_matches("http://")
    }

    pub(crate) fn get(&self, path: &str) -> Reply {
        self.request("GET", path)
    }

    /// Sends one request over a fresh connection and reads the whole answer.
    pub(crate) fn request(&self, method: &str, path: &str) -> Reply {
        let mut stream = self.connect();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address()
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Reply::parse(&raw)
    }

    pub(crate) fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.address()).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream
    }

    /// Writes `text` to a file of the site, creating folders as needed.
    pub(crate) fn write(&self, path: &str, text: &str) {
        let path = self.site().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Saves like many editors do: write a temporary file beside it, then rename.
    pub(crate) fn write_by_rename(&self, path: &str, text: &str) {
        let target = self.site().join(path);
        let temporary = target.with_file_name(".quorum-test.tmp");
        fs::write(&temporary, text).unwrap();
        fs::rename(temporary, target).unwrap();
    }

    pub(crate) fn read(&self, path: &str) -> String {
        fs::read_to_string(self.site().join(path)).unwrap()
    }

    /// Waits until the page at `path` contains `text`.
    pub(crate) fn wait_for(&self, path: &str, text: &str) -> Reply {
        eventually(&format!("{path} to show {text:?}"), || {
            let reply = self.get(path);
            reply.text().contains(text).then_some(reply)
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn parse(raw: &[u8]) -> Reply {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete response");
        let head = String::from_utf8_lossy(&raw[..split]);
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status: status.parse().unwrap(),
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or_default()
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Polls `check` until it gives a value, failing the test after [`PATIENCE`].
pub(crate) fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(started.elapsed() < PATIENCE, "timed out waiting for {what}");
        sleep(Duration::from_millis(25));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The page without the reload script that `serve` adds before `</body>`.
pub(crate) fn without_script(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(html.to_vec()).unwrap();
    let Some(start) = text.find("<script>\n(() => {\n  const page = {") else {
        return html.to_vec();
    };
    let end = start + text[start..].find("</script>\n").unwrap() + "</script>\n".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

const SCRIPT_MARK: &str = "new EventSource(\"/__quorum/events\")";
const OVERLAY_MARK: &str = "id=\"quorum-errors\"";

#[test]
fn serves_pages_and_files_like_a_static_host() {
    let server = Server::start("minimal", |_| {});

    for path in ["/", "/verslagen/2021-12-14/"] {
        let page = server.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.content_type(), "text/html; charset=utf-8");
        assert_eq!(page.header("cache-control"), Some("no-store"));
        assert!(page.text().contains(SCRIPT_MARK), "{path} has the script");
        assert!(
            page.text()
                .trim_end()
                .ends_with("</script>\n</body>\n</html>")
        );
    }

    let redirect = server.get("/verslagen/2021-12-14?x=1");
    assert_eq!(redirect.status, 308);
    assert_eq!(
        redirect.header("location"),
        Some("/verslagen/2021-12-14/?x=1")
    );

    let missing = server.get("/nope/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<html"), "the site's own 404 page");
    assert!(missing.text().contains(SCRIPT_MARK));

    let head = server.request("HEAD", "/feed.xml");
    let get = server.get("/feed.xml");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(&*get.body.len().to_string())
    );

    assert_eq!(get.content_type(), "application/xml");
    assert!(
        get.text().contains(&server.origin),
        "absolute links point at the preview"
    );
    assert_eq!(
        server.get("/style.css").content_type(),
        "text/css; charset=utf-8"
    );
    let pdf = server.get("/jaarverslagen/2021/jaarverslag-2021.pdf");
    assert_eq!(pdf.content_type(), "application/pdf");
    assert_eq!(
        pdf.body,
        fs::read(
            server
                .site()
                .join("content/annual-reports/2021/jaarverslag-2021.pdf")
        )
        .unwrap()
    );
    assert!(!pdf.text().contains(SCRIPT_MARK));
    assert_eq!(server.request("POST", "/").status, 405);
    assert!(
        !server.site().join("public").exists(),
        "serve writes nothing"
    );
}

#[test]
fn no_request_reaches_outside_the_site() {
    let server = Server::start("minimal", |_| {});
    let config = server.read("quorum.toml");
    for path in [
        "/../Cargo.toml",
        "/../quorum.toml",
        "/%2e%2e/quorum.toml",
        "/%252e%252e/quorum.toml",
        "/%252e%252e/x",
        "/..%5c..%5cquorum.toml",
        "/verslagen/..%2f..%2fquorum.toml",
        "/verslagen/%2e%2e/%2e%2e/quorum.toml",
        "/quorum.toml",
        "/content/news/2021-12-20-nieuw-lid.md",
        "/index.html%00.txt",
        "/%00",
    ] {
        let reply = server.get(path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path} gave {}",
            reply.status
        );
        assert!(!reply.text().contains("Proefdorp\"\nbase_url"), "{path}");
        assert!(!reply.text().contains(config.trim()), "{path}");
        assert!(!reply.text().contains("[package]"), "{path}");
    }
}

#[test]
fn edits_show_without_restart_and_tabs_hear_of_them() {
    let server = Server::start("minimal", |_| {});
    let mut events = server.connect();
    write!(
        events,
        "GET /__quorum/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address()
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let mut read_until = |wanted: &str| -> String {
        let mut seen = String::new();
        while !seen.contains(wanted) {
            let mut line = String::new();
            let read = events.read_line(&mut line);
            assert!(
                matches!(read, Ok(n) if n > 0),
                "no {wanted:?} in the event stream: {read:?}; saw {seen:?}; log:\n{}",
                server.log()
            );
            seen.push_str(&line);
        }
        seen
    };
    let head = read_until("event: hello\n");
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(head.contains("Content-Type: text/event-stream"));

    let news = "content/news/2021-12-20-nieuw-lid.md";
    let text = server
        .read(news)
        .replace("Wij verwelkomen", "We heten welkom");
    server.write(news, &text);
    read_until("event: reload\n");
    server.wait_for("/nieuws/2021-12-20-nieuw-lid/", "We heten welkom");

    // A stylesheet alone is swapped in place rather than reloading the page.
    server.write("static/extra.css", "body { color: black }\n");
    read_until("event: styles\n");
    server.write("static/extra.css", "body { color: navy }\n");
    read_until("event: styles\n");
    server.wait_for("/extra.css", "navy");

    assert!(
        server
            .log()
            .contains("content/news/2021-12-20-nieuw-lid.md changed: rebuilt")
    );
}

#[test]
fn errors_show_on_every_page_until_fixed() {
    let server = Server::start("minimal", |_| {});
    let news = "content/news/2021-12-20-nieuw-lid.md";
    let good = server.read(news);
    server.write(news, &good.replace("date = 2021-12-20", "date = 2021-12-"));

    let page = server.wait_for("/over-ons/", OVERLAY_MARK);
    assert_eq!(page.status, 200, "the last good page, under the overlay");
    let text = page.text();
    assert!(
        text.contains("content/news/2021-12-20-nieuw-lid.md:3:"),
        "{text}"
    );
    assert!(
        text.contains("Over ons"),
        "the last good page is still there"
    );
    assert!(server.get("/nope/").text().contains(OVERLAY_MARK));
    assert!(!server.get("/feed.xml").text().contains(OVERLAY_MARK));
    assert!(
        server
            .log()
            .contains("--> content/news/2021-12-20-nieuw-lid.md:3:")
    );

    server.write_by_rename(news, &good);
    eventually("the overlay to go", || {
        (!server.get("/over-ons/").text().contains(OVERLAY_MARK)).then_some(())
    });
}

#[test]
fn a_site_that_never_built_still_serves_its_errors() {
    let server = Server::start("minimal", |site| {
        fs::write(site.join("quorum.toml"), "title = [\n").unwrap();
    });
    for path in ["/", "/verslagen/2021-12-14/", "/style.css"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 500, "{path}");
        assert!(reply.text().contains("quorum.toml:1:"), "{path}");
        assert!(reply.text().contains(SCRIPT_MARK), "{path}");
    }
    crate::util::copy_dir(&crate::util::fixtures().join("minimal"), &server.site());
    let home = server.wait_for("/", "Adviesraad Proefdorp");
    assert_eq!(home.status, 200);
    assert!(!home.text().contains(OVERLAY_MARK));
}

#[test]
fn served_files_equal_a_full_build_after_many_edits() {
    let server = Server::start("minimal", |_| {});
    let news = "content/news/2021-12-20-nieuw-lid.md";
    server.write(
        news,
        &server.read(news).replace("nieuw lid", "nieuw lid, Carla"),
    );
    let page = "content/pages/over-ons.md";
    server.write_by_rename(
        page,
        &server
            .read(page)
            .replace("Wie wij zijn.", "Wie wij zijn en wat wij doen."),
    );
    // A body long enough that `serve` keeps its page and open data apart from it.
    let paragraph =
        "De raad vraagt de gemeente om cliënten eerder te betrekken bij de toegang tot hulp.\n\n";
    let item = format!(
        "+++\ntitle = \"Bericht met bijlage\"\ndate = 2021-12-22\nattachments = [{{ file = \"bijlage.pdf\", title = \"Bijlage\" }}]\n+++\nTekst.\n\n{}",
        paragraph.repeat(4)
    );
    server.write("content/news/2021-12-22-bericht/index.md", &item);
    server.write(
        "content/news/2021-12-22-bericht/bijlage.pdf",
        "%PDF-1.4 bijlage",
    );
    server.write(
        "content/news/2021-12-24-kort.md",
        "+++\ntitle = \"Kort\"\ndate = 2021-12-24\n+++\nKort.\n",
    );
    server.wait_for("/nieuws/2021-12-24-kort/", "Kort.");
    server.wait_for("/nieuws/2021-12-22-bericht/", "Bericht met bijlage");
    fs::remove_file(server.site().join("content/news/2021-12-24-kort.md")).unwrap();
    fs::rename(
        server.site().join("content/news/2021-12-22-bericht"),
        server.site().join("content/news/2021-12-23-bericht"),
    )
    .unwrap();
    server.write(
        "content/news/2021-12-23-bericht/bijlage.pdf",
        "%PDF-1.4 nieuwe bijlage",
    );
    server.write("static/robots-extra.txt", "extra\n");

    let output = server.dir.path().join("built");
    let status = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .args(["build", "--root"])
        .arg(server.site())
        .arg("--output")
        .arg(&output)
        .args(["--base-url", &server.origin])
        .env("QUORUM_TODAY", TODAY)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let built: Vec<(String, Vec<u8>)> = walk(&output)
        .into_iter()
        .map(|file| {
            let path = file
                .strip_prefix(&output)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (path, fs::read(&file).unwrap())
        })
        .collect();
    assert!(
        built
            .iter()
            .any(|(p, _)| p == "nieuws/2021-12-23-bericht/bijlage.pdf")
    );
    eventually("every served file to equal the build", || {
        built
            .iter()
            .all(|(path, bytes)| {
                let reply = server.get(&format!("/{path}"));
                reply.status == 200 && without_script(&reply.body) == *bytes
            })
            .then_some(())
    });
    for gone in ["/nieuws/2021-12-24-kort/", "/nieuws/2021-12-22-bericht/"] {
        assert_eq!(server.get(gone).status, 404, "{gone}");
    }
}

pub(crate) fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// A file saved after the first build read it and before the server watched: no event
/// tells of it. Many folders to watch make that moment long enough to save in.
#[test]
fn an_edit_made_while_the_server_starts_is_served() {
    let news = "content/news/2021-12-20-nieuw-lid.md";
    let server = Server::start_and_then(
        "minimal",
        |site| {
            for n in 0..2000 {
                fs::create_dir_all(site.join(format!("static/map-{n}"))).unwrap();
            }
        },
        move |site| {
            let text = fs::read_to_string(site.join(news)).unwrap();
            fs::write(
                site.join(news),
                text.replace("Wij verwelkomen", "We heten welkom"),
            )
            .unwrap();
        },
    );
    server.wait_for("/nieuws/2021-12-20-nieuw-lid/", "We heten welkom");
}

#[test]
fn a_source_folder_removed_and_recreated_is_still_watched() {
    let server = Server::start("minimal", |_| {});
    let content = server.site().join("content");
    fs::remove_dir_all(&content).unwrap();
    eventually("the removal to be noticed", || {
        server.log().contains("content changed").then_some(())
    });
    crate::util::copy_dir(&crate::util::fixtures().join("minimal/content"), &content);
    server.wait_for("/over-ons/", "Wie wij zijn.");
    let page = "content/pages/over-ons.md";
    server.write(
        page,
        &server
            .read(page)
            .replace("Wie wij zijn.", "Wie wij nu zijn."),
    );
    server.wait_for("/over-ons/", "Wie wij nu zijn.");
}
