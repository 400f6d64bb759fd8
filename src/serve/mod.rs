//! `quorum serve`: a live preview. serve = build + watch + rebuild + tell the browser.
//!
//! [`site`] keeps the latest build in memory, [`watch`] notices changed sources,
//! [`http`] answers requests from memory, [`reload`] keeps the browsers' event streams
//! and [`overlay`] shows build errors on the page. Nothing is written to `public/`.

mod http;
mod overlay;
mod path;
mod reload;
mod site;
mod watch;
mod wire;

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use crate::build::{BuildOptions, Timings};
use crate::config::Config;
use reload::Clients;
use site::{LiveSite, Rebuilt};
use watch::{SourceStamps, Watcher};

/// How many ports after the requested one are tried when it is taken.
const PORT_ATTEMPTS: u16 = 10;

/// The most connections served at once (each has a thread); more are refused with 503
/// until some close, so a flood of connections cannot exhaust the machine.
const MAX_CONNECTIONS: usize = 512;

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// How to build; without a `base_url`, the server's own address is used so that
    /// absolute links (feeds, sitemap) point at the preview.
    pub build: BuildOptions,
    /// The address to listen on; 127.0.0.1 keeps the preview private to this computer.
    pub bind: IpAddr,
    /// The first port to try.
    pub port: u16,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Print how long each stage of every build took.
    pub timings: bool,
}

/// Why the server could not start; problems in the site itself never stop it.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot find the site folder {}: {source}", root.display())]
    Root { root: PathBuf, source: io::Error },
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: SocketAddr,
        source: io::Error,
    },
    #[error("ports {first} to {last} on {bind} are all in use; pass another with --port")]
    PortsTaken { bind: IpAddr, first: u16, last: u16 },
    #[error("cannot watch {} for changes: {source}", root.display())]
    Watch {
        root: PathBuf,
        source: notify::Error,
    },
}

/// Builds and serves the site, rebuilding on every change; returns only on failure to
/// start, and otherwise runs until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let root = options
        .build
        .root
        .canonicalize()
        .map_err(|source| ServeError::Root {
            root: options.build.root.clone(),
            source,
        })?;
    let (listener, address) = listen(options.bind, options.port)?;
    if address.port() != options.port && options.port != 0 {
        println!("port {} is in use; using {}", options.port, address.port());
    }
    let origin = format!("http://{}", display_address(address));
    let build = BuildOptions {
        root: root.clone(),
        base_url: options.build.base_url.clone().or(Some(origin.clone())),
        ..options.build.clone()
    };
    let title = Config::load(&root, None).map_or_else(|_| root.display().to_string(), |c| c.title);
    let site = Arc::new(LiveSite::new(build));
    let timings = options.timings;
    let mut stamping = Timings::start();
    let before_build = SourceStamps::take(&root);
    if timings {
        stamping.lap("take the stamps of the sources");
        eprint!("{stamping}");
    }
    print_rebuild(&site.rebuild(&[]), &root, &[], timings);

    let clients = Arc::new(Clients::new());
    let (sender, changes) = mpsc::channel();
    let watcher = Watcher::start(&root, sender.clone()).map_err(|source| ServeError::Watch {
        root: root.clone(),
        source,
    })?;
    {
        let (site, clients, root) = (site.clone(), clients.clone(), root.clone());
        std::thread::spawn(move || {
            rebuild_on_change(watcher, changes, &site, &clients, &root, timings)
        });
    }
    // The watcher started after the first build: what changed before it is told here,
    // as a batch of its own.
    let changed_root = root.clone();
    std::thread::spawn(move || {
        let changed = changed_while_first_built(before_build, &changed_root, timings);
        if !changed.is_empty() {
            // Fails only when the server is shutting down.
            let _ = sender.send(changed);
        }
    });

    println!("Serving {title} at {origin}/");
    println!("Watching for changes; press Ctrl-C to stop");
    if options.open {
        open_browser(&format!("{origin}/"));
    }
    let open = Arc::new(AtomicUsize::new(0));
    let loopback_only = options.bind.is_loopback();
    loop {
        match listener.accept() {
            Ok((mut stream, _)) => {
                if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    open.fetch_sub(1, Ordering::SeqCst);
                    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                    let _ = wire::refuse(&mut stream, 503);
                    continue;
                }
                let (site, clients, counter) = (site.clone(), clients.clone(), open.clone());
                // One thread per connection, so an open event stream never holds up a page.
                let spawned = std::thread::Builder::new().spawn(move || {
                    http::connection(stream, &site, &clients, loopback_only);
                    counter.fetch_sub(1, Ordering::SeqCst);
                });
                if spawned.is_err() {
                    open.fetch_sub(1, Ordering::SeqCst);
                }
            }
            Err(error) => {
                // Accepting failed (e.g. out of file handles): the next one may work.
                eprintln!("warning: cannot accept a connection: {error}");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// Binds `port` on `bind`, or the next free one of a few.
fn listen(bind: IpAddr, port: u16) -> Result<(TcpListener, SocketAddr), ServeError> {
    let last = port.saturating_add(PORT_ATTEMPTS - 1);
    for candidate in port..=last {
        let address = SocketAddr::new(bind, candidate);
        match TcpListener::bind(address) {
            Ok(listener) => {
                let address = listener.local_addr().unwrap_or(address);
                return Ok((listener, address));
            }
            Err(error) if error.kind() == io::ErrorKind::AddrInUse => continue,
            Err(source) => return Err(ServeError::Listen { address, source }),
        }
    }
    Err(ServeError::PortsTaken {
        bind,
        first: port,
        last,
    })
}

/// The address to put in URLs: a wildcard bind is reached on the loopback address.
fn display_address(address: SocketAddr) -> SocketAddr {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, address.port())
}

/// Rebuilds after each batch of changes and tells the tabs; runs for the server's life.
fn rebuild_on_change(
    mut watcher: Watcher,
    changes: Receiver<Vec<PathBuf>>,
    site: &LiveSite,
    clients: &Clients,
    root: &std::path::Path,
    timings: bool,
) {
    prepare_for_edits(site, timings);
    while let Ok(first) = changes.recv() {
        // Changes that came in during the last build are all handled by this one.
        let mut batches = vec![first];
        batches.extend(changes.try_iter());
        // An empty batch: the watcher lost events, so the rebuild looks at every file.
        let mut paths = if batches.iter().any(Vec::is_empty) {
            Vec::new()
        } else {
            batches.concat()
        };
        paths.sort();
        paths.dedup();
        watcher.follow_folders(&paths);
        let rebuilt = site.rebuild(&paths);
        if let Some(change) = rebuilt.change {
            clients.broadcast(change, rebuilt.generation);
        }
        if paths.is_empty() {
            let cause = "too many changes at once for the watcher to tell: rebuilt";
            print_outcome(&rebuilt, cause, false, timings);
        } else {
            print_rebuild(&rebuilt, root, &paths, timings);
        }
        // A rebuild after reported changes looked only at the files reported; while the
        // tabs reload, make sure nothing else changed unseen, and build again if it did.
        if !paths.is_empty() && unseen_changes(site, timings) {
            let again = site.rebuild(&[]);
            if let Some(change) = again.change {
                clients.broadcast(change, again.generation);
            }
            let cause = "files changed that the watcher did not report: rebuilt";
            print_outcome(&again, cause, true, timings);
        }
        prepare_for_edits(site, timings);
    }
}

/// The sources that changed since `before`, taken before the first build, and that the
/// build may have read in their old state; with `timings`, how long looking took.
fn changed_while_first_built(
    before: SourceStamps,
    root: &std::path::Path,
    timings: bool,
) -> Vec<PathBuf> {
    let mut looking = Timings::start();
    let changed = before.changed(root);
    if timings {
        looking.lap("look for changes made during the first build");
        eprint!("{looking}");
    }
    changed
}

/// Readies the last build for the next edit while none waits (see
/// [`LiveSite::prepare_for_edits`]); with `timings`, how long that took.
fn prepare_for_edits(site: &LiveSite, timings: bool) {
    let mut preparing = Timings::start();
    site.prepare_for_edits();
    if timings {
        preparing.lap("prepare for the next edit");
        eprint!("{preparing}");
    }
}

/// Whether a source changed that the watcher did not report (see
/// [`LiveSite::unseen_changes`]); with `timings`, how long looking took.
fn unseen_changes(site: &LiveSite, timings: bool) -> bool {
    let mut looking = Timings::start();
    let unseen = site.unseen_changes();
    if timings {
        looking.lap("look for changes the watcher did not report");
        eprint!("{looking}");
    }
    unseen
}

/// One line per rebuild: what changed, what was built, how long it took; or the errors.
fn print_rebuild(rebuilt: &Rebuilt, root: &std::path::Path, paths: &[PathBuf], timings: bool) {
    let cause = if paths.is_empty() {
        "built".to_string()
    } else {
        format!("{} changed: rebuilt", describe_paths(root, paths))
    };
    print_outcome(rebuilt, &cause, !paths.is_empty(), timings);
}

/// Prints a rebuild as `print_rebuild` does, after `cause`; `counts` adds how many files
/// changed and were reused.
fn print_outcome(rebuilt: &Rebuilt, cause: &str, counts: bool, timings: bool) {
    match &rebuilt.outcome {
        Ok(summary) => {
            eprint!("{}", summary.warnings);
            if timings {
                eprint!("{}", summary.timings);
            }
            let changed = if counts {
                format!(
                    " ({} changed, {} files reused)",
                    summary.changed, summary.reused
                )
            } else {
                String::new()
            };
            println!(
                "{cause} {} pages, {} files{changed} in {} ms",
                summary.pages,
                summary.files,
                summary.elapsed.as_millis()
            );
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            let count = diagnostics.error_count();
            let plural = if count == 1 { "error" } else { "errors" };
            eprintln!(
                "{cause} with {count} {plural}; still serving the last good build, with the errors on every page"
            );
        }
    }
}

/// `content/news/a.md, quorum.toml and 3 more`, relative to the root.
/// `paths` are sorted; those inside another of them (a folder made or removed with its
/// files) are told as that folder.
fn describe_paths(root: &std::path::Path, paths: &[PathBuf]) -> String {
    const SHOWN: usize = 3;
    let mut outermost: Vec<&PathBuf> = Vec::with_capacity(paths.len());
    for path in paths {
        // Sorted by component, a folder comes right before everything inside it.
        if !outermost
            .last()
            .is_some_and(|folder| path.starts_with(folder))
        {
            outermost.push(path);
        }
    }
    let paths = outermost;
    let mut names: Vec<String> = paths
        .iter()
        .take(SHOWN)
        .map(|p| crate::diagnostics::relative(root, p).display().to_string())
        .collect();
    if paths.len() > SHOWN {
        names.push(format!("{} more", paths.len() - SHOWN));
    }
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// Opens `url` in the default browser, if a known opener is installed.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let opened = Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if opened.is_err() {
        println!("could not start {opener}; open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_few_and_many_paths() {
        let root = std::path::Path::new("/site");
        let paths: Vec<PathBuf> = [
            "content/a.md",
            "content/b.md",
            "quorum.toml",
            "static/x.css",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect();
        assert_eq!(describe_paths(root, &paths[..1]), "content/a.md");
        assert_eq!(
            describe_paths(root, &paths[..2]),
            "content/a.md and content/b.md"
        );
        assert_eq!(
            describe_paths(root, &paths),
            "content/a.md, content/b.md, quorum.toml and 1 more"
        );
        let folder: Vec<PathBuf> = ["content", "content/a.md", "content/news/b.md", "content2"]
            .iter()
            .map(|p| root.join(p))
            .collect();
        assert_eq!(describe_paths(root, &folder), "content and content2");
    }

    #[test]
    fn wildcard_binds_are_shown_as_loopback() {
        let any: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert_eq!(display_address(any).to_string(), "127.0.0.1:1111");
        let v6: SocketAddr = "[::]:1111".parse().unwrap();
        assert_eq!(display_address(v6).to_string(), "[::1]:1111");
    }

    #[test]
    fn a_taken_port_moves_to_the_next() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        match listen(IpAddr::from([127, 0, 0, 1]), port) {
            Ok((_, address)) => assert_ne!(address.port(), port),
            // All ten neighbours busy on a crowded machine is not a failure of the code.
            Err(error) => assert!(matches!(error, ServeError::PortsTaken { .. })),
        }
    }
}
