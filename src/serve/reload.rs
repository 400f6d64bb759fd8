//! Telling open browser tabs to reload: the Server-Sent Events stream at
//! [`EVENTS_PATH`] and the small script injected into every served page.
//!
//! On connect the stream says `hello` with the server's instance and build generation;
//! the page compares them with the ones it was served with, so a tab reloads after a
//! server restart or a rebuild it missed while disconnected. After a rebuild the
//! stream says `reload`, or `styles` when only stylesheets changed.

use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The URL of the event stream; nothing in a site can live under `/__quorum/`.
pub const EVENTS_PATH: &str = "/__quorum/events";

/// How often an idle stream sends a comment, so a closed tab is noticed and dropped.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// What a rebuild means for an open tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Only stylesheets changed: swap them in place, keep scroll position and state.
    Styles,
    /// Anything else: reload the page.
    Reload,
}

impl Change {
    fn event_name(self) -> &'static str {
        match self {
            Change::Styles => "styles",
            Change::Reload => "reload",
        }
    }
}

/// The open event streams of all tabs.
pub struct Clients {
    /// Differs from run to run, so tabs notice that the server restarted.
    instance: String,
    streams: Mutex<Vec<Sender<String>>>,
}

impl Clients {
    /// No clients yet; picks this run's instance id.
    pub fn new() -> Clients {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Clients {
            instance: format!("{:x}-{:x}", std::process::id(), nanos),
            streams: Mutex::new(Vec::new()),
        }
    }

    /// Sends `change` of build `generation` to every open tab, forgetting closed ones.
    pub fn broadcast(&self, change: Change, generation: u64) {
        let message = event(
            change.event_name(),
            &format!(r#"{{"generation":{generation}}}"#),
        );
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        streams.retain(|stream| stream.send(message.clone()).is_ok());
    }

    /// Streams events to one tab on `writer` (the raw connection) until it goes away;
    /// `generation` gives the build being served.
    pub fn stream(
        &self,
        mut writer: impl Write,
        generation: impl FnOnce() -> u64,
    ) -> io::Result<()> {
        let (sender, receiver) = mpsc::channel();
        // Listen before reading the generation: a rebuild in between then either shows
        // in `hello` or arrives as an event, and is never missed.
        self.streams
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(sender);
        let generation = generation();
        writer.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
              Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        )?;
        // A short retry brings tabs back quickly after the server restarts.
        writer.write_all(b"retry: 500\n\n")?;
        let hello = format!(
            r#"{{"instance":"{}","generation":{generation}}}"#,
            self.instance
        );
        writer.write_all(event("hello", &hello).as_bytes())?;
        writer.flush()?;
        loop {
            let message = match receiver.recv_timeout(HEARTBEAT) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            };
            writer.write_all(message.as_bytes())?;
            writer.flush()?;
        }
    }

    /// The `<script>` for a page served from build `generation`.
    pub fn script(&self, generation: u64) -> String {
        SCRIPT
            .replace("INSTANCE", &self.instance)
            .replace("GENERATION", &generation.to_string())
    }
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// Listens to the event stream; inline so the page needs nothing from elsewhere.
const SCRIPT: &str = r#"<script>
(() => {
  const page = { instance: "INSTANCE", generation: GENERATION };
  const events = new EventSource("/__quorum/events");
  const generation = (event) => JSON.parse(event.data).generation;
  events.addEventListener("hello", (event) => {
    const server = JSON.parse(event.data);
    if (server.instance !== page.instance || server.generation !== page.generation) {
      location.reload();
    }
  });
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("styles", (event) => {
    page.generation = generation(event);
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("quorum-reload", page.generation);
      link.href = url.href;
    }
  });
})();
</script>
"#;

/// Inserts `snippet` before the page's last `</body>`, or at the end when it has none.
pub fn inject(html: &mut Vec<u8>, snippet: &str) {
    let at = html
        .windows(b"</body".len())
        .rposition(|w| w.eq_ignore_ascii_case(b"</body"))
        .unwrap_or(html.len());
    html.splice(at..at, snippet.bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_closing_body() {
        let mut html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>".to_vec();
        inject(&mut html, "<script></script>");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>&lt;/body&gt;</p><script></script></BODY></html>"
        );
    }

    #[test]
    fn injects_at_the_end_without_body() {
        let mut html = b"<p>fragment".to_vec();
        inject(&mut html, "<script></script>");
        assert_eq!(html, b"<p>fragment<script></script>");
    }

    #[test]
    fn script_carries_instance_and_generation() {
        let clients = Clients::new();
        let script = clients.script(7);
        assert!(script.contains(&format!(r#"instance: "{}""#, clients.instance)));
        assert!(script.contains("generation: 7 }"));
        assert!(script.contains(EVENTS_PATH));
    }

    #[test]
    fn stream_greets_then_relays_broadcasts() {
        let clients = std::sync::Arc::new(Clients::new());
        let (sink, output) = pipe();
        let streaming = {
            let clients = clients.clone();
            std::thread::spawn(move || clients.stream(sink, || 3))
        };
        while clients.streams.lock().unwrap().is_empty() {
            std::thread::yield_now();
        }
        clients.broadcast(Change::Styles, 4);
        clients.broadcast(Change::Reload, 5);
        let last = "event: reload\ndata: {\"generation\":5}\n\n";
        let written = loop {
            let text = String::from_utf8(output.lock().unwrap().clone().unwrap()).unwrap();
            if text.ends_with(last) {
                break text;
            }
            std::thread::yield_now();
        };
        assert!(written.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"));
        assert!(written.contains("event: hello\ndata: {\"instance\":"));
        assert!(written.contains("event: styles\ndata: {\"generation\":4}\n\n"));

        // The tab goes away: the next event fails to write and ends the stream, and the
        // one after that forgets it.
        drop(output.lock().unwrap().take());
        clients.broadcast(Change::Reload, 6);
        assert!(streaming.join().unwrap().is_err());
        clients.broadcast(Change::Reload, 7);
        assert!(clients.streams.lock().unwrap().is_empty());
    }

    type Shared = std::sync::Arc<Mutex<Option<Vec<u8>>>>;

    /// A writer that fails once its buffer is taken away, like a closed connection.
    struct Pipe(Shared);

    impl Write for Pipe {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            match self.0.lock().unwrap().as_mut() {
                Some(buffer) => buffer.write(bytes),
                None => Err(io::ErrorKind::BrokenPipe.into()),
            }
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn pipe() -> (Pipe, Shared) {
        let shared: Shared = std::sync::Arc::new(Mutex::new(Some(Vec::new())));
        (Pipe(shared.clone()), shared)
    }
}
