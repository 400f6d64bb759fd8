//! HTTP/1.1 on the wire: reading request heads from a connection and writing answers,
//! within limits, so no client can make the preview use unbounded memory or threads.
//!
//! The preview only answers `GET` and `HEAD` without bodies, so this is all the HTTP it
//! needs: a request line, headers, keep-alive. A request line longer than
//! [`MAX_REQUEST_LINE`] is answered 414, a head larger than [`MAX_HEAD`] or with more
//! than [`MAX_HEADERS`] headers 431, anything malformed 400; then the connection closes.
//! A client that sends nothing for [`IDLE`], or takes longer than [`HEAD_TIME`] for one
//! head, is disconnected.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The longest request line read, in bytes (browsers send up to a few KB).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The largest request head (request line and headers) read, in bytes.
pub const MAX_HEAD: usize = 64 * 1024;
/// The most header lines read.
pub const MAX_HEADERS: usize = 100;
/// How long a kept-alive connection may wait for its next request.
pub const IDLE: Duration = Duration::from_secs(15);
/// How long one request head may take to arrive, however slowly it trickles in.
pub const HEAD_TIME: Duration = Duration::from_secs(15);
/// How long writing an answer may be blocked by a client that does not read.
pub const WRITE_TIME: Duration = Duration::from_secs(30);

/// A request head: what the answer depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub method: String,
    /// The request target as sent, e.g. `/verslagen/?x=1`.
    pub target: String,
    /// Whether the client may send another request on this connection.
    pub keep_alive: bool,
    /// The `Host` header, if sent.
    pub host: Option<String>,
}

/// Why no request could be read.
#[derive(Debug)]
pub enum HeadError {
    /// The client closed the connection, or went quiet, between requests.
    Gone,
    /// A request that cannot be answered; reply with this status, then close.
    Refused(u16),
}

/// Reads from the connection, giving up at a deadline set per request.
pub struct Timed {
    stream: TcpStream,
    deadline: Instant,
}

impl Read for Timed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

/// The reading side of a connection, buffered across kept-alive requests.
pub fn reader(stream: TcpStream) -> BufReader<Timed> {
    BufReader::new(Timed {
        stream,
        deadline: Instant::now() + IDLE,
    })
}

/// Reads the next request head, waiting at most [`IDLE`] for it to begin.
pub fn read_head(reader: &mut BufReader<Timed>) -> Result<Head, HeadError> {
    reader.get_mut().deadline = Instant::now() + IDLE;
    let mut line = Vec::new();
    // Skips the empty lines some clients send between requests.
    while line.is_empty() || line == b"\r\n" || line == b"\n" {
        line.clear();
        match read_line(reader, &mut line, MAX_REQUEST_LINE) {
            Ok(MAX_REQUEST_LINE) if !line.ends_with(b"\n") => {
                return Err(HeadError::Refused(414));
            }
            Ok(read) if read > 0 && line.ends_with(b"\n") => {}
            _ => return Err(HeadError::Gone),
        }
    }
    reader.get_mut().deadline = Instant::now() + HEAD_TIME;
    let (method, target, version) = request_line(&line).ok_or(HeadError::Refused(400))?;
    let mut keep_alive = version == "HTTP/1.1";
    let mut host = None;
    let mut size = line.len();
    for count in 0.. {
        line.clear();
        let left = MAX_HEAD.saturating_sub(size);
        let read = read_line(reader, &mut line, left).map_err(|_| HeadError::Gone)?;
        size += read;
        if !line.ends_with(b"\n") {
            // Cut off at the limit, or the client stopped sending halfway.
            return Err(if read < left {
                HeadError::Gone
            } else {
                HeadError::Refused(431)
            });
        }
        let text = std::str::from_utf8(&line).map_err(|_| HeadError::Refused(400))?;
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        if count == MAX_HEADERS {
            return Err(HeadError::Refused(431));
        }
        let (name, value) = text.split_once(':').ok_or(HeadError::Refused(400))?;
        let value = value.trim().to_ascii_lowercase();
        if name.trim().eq_ignore_ascii_case("host") {
            host = Some(value.clone());
        }
        match name.trim().to_ascii_lowercase().as_str() {
            "connection" if value.contains("close") => keep_alive = false,
            "connection" if value.contains("keep-alive") => keep_alive = true,
            // A body is never read, so the connection cannot be used again after it.
            "content-length" if value != "0" => keep_alive = false,
            "transfer-encoding" => keep_alive = false,
            _ => {}
        }
    }
    Ok(Head {
        method,
        target,
        keep_alive,
        host,
    })
}

/// Whether a request with this `Host` header may be answered by a server that listens
/// on the loopback address only. A web page elsewhere could point its own host name
/// at 127.0.0.1 (DNS rebinding) and read the preview; its requests carry that name,
/// so only loopback names and addresses are accepted. Clients without a `Host` header
/// (HTTP/1.0 tools) are not browsers and are let through.
pub fn is_loopback_host(host: Option<&str>) -> bool {
    let Some(host) = host else {
        return true;
    };
    // Without the port: `localhost:1111`, `[::1]:1111`.
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Reads up to and including `\n`, at most `limit` bytes; returns the bytes read.
fn read_line(reader: &mut BufReader<Timed>, line: &mut Vec<u8>, limit: usize) -> io::Result<usize> {
    reader
        .by_ref()
        .take(u64::try_from(limit).unwrap_or(u64::MAX))
        .read_until(b'\n', line)
}

/// `GET /path HTTP/1.1` into its three parts.
fn request_line(line: &[u8]) -> Option<(String, String, String)> {
    let text = std::str::from_utf8(line)
        .ok()?
        .trim_end_matches(['\r', '\n']);
    let mut parts = text.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    let valid = parts.next().is_none()
        && !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && !target.is_empty()
        // No control characters: the target may come back in a `Location` header.
        && target.bytes().all(|b| b > b' ' && b != 0x7f)
        && matches!(version, "HTTP/1.0" | "HTTP/1.1");
    valid.then(|| (method.to_string(), target.to_string(), version.to_string()))
}

/// What to write for a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes a response head; `headers` are name and value pairs.
pub fn write_head(
    out: &mut impl Write,
    status: u16,
    headers: &[(&str, &str)],
    length: u64,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        if value.contains(['\r', '\n']) {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let connection = if keep_alive { "keep-alive" } else { "close" };
    head.push_str(&format!(
        "Content-Length: {length}\r\nConnection: {connection}\r\n\r\n"
    ));
    out.write_all(head.as_bytes())
}

/// Answers a request that could not be read, then the connection is closed.
pub fn refuse(out: &mut impl Write, status: u16) -> io::Result<()> {
    let body = format!("{status} {}\n", reason(status));
    write_head(
        out,
        status,
        &[("Content-Type", "text/plain; charset=utf-8")],
        body.len() as u64,
        false,
    )?;
    out.write_all(body.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// Sends `bytes` to a fresh connection and reads heads from the other end.
    fn heads(bytes: &[u8]) -> Vec<Result<Head, u16>> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        let writer = {
            let bytes = bytes.to_vec();
            std::thread::spawn(move || {
                let _ = client.write_all(&bytes);
                let _ = client.shutdown(std::net::Shutdown::Write);
                client
            })
        };
        let mut reader = reader(server);
        let mut result = Vec::new();
        loop {
            match read_head(&mut reader) {
                Ok(head) => result.push(Ok(head)),
                Err(HeadError::Refused(status)) => {
                    result.push(Err(status));
                    break;
                }
                Err(HeadError::Gone) => break,
            }
        }
        drop(writer.join());
        result
    }

    #[test]
    fn reads_kept_alive_requests_in_turn() {
        let got = heads(
            b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.1\r\nConnection: close\r\n\r\n",
        );
        assert_eq!(got.len(), 2);
        let first = got[0].as_ref().unwrap();
        assert_eq!(
            (first.method.as_str(), first.target.as_str()),
            ("GET", "/a")
        );
        assert!(first.keep_alive);
        assert!(!got[1].as_ref().unwrap().keep_alive);
        let old = heads(b"GET / HTTP/1.0\r\n\r\n");
        assert!(!old[0].as_ref().unwrap().keep_alive);
    }

    #[test]
    fn oversized_and_malformed_heads_are_refused() {
        let long_url = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_REQUEST_LINE));
        assert_eq!(heads(long_url.as_bytes()), [Err(414)]);
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X-A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(heads(many.as_bytes()), [Err(431)]);
        let big = format!("GET / HTTP/1.1\r\nX-A: {}\r\n\r\n", "b".repeat(MAX_HEAD));
        assert_eq!(heads(big.as_bytes()), [Err(431)]);
        for bad in [
            "GET\r\n\r\n",
            "GET / HTTP/2.0\r\n\r\n",
            "get / HTTP/1.1\r\n\r\n",
            "GET /a b HTTP/1.1\r\n\r\n",
            "GET /a\rSet-Cookie:x HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon\r\n\r\n",
        ] {
            assert_eq!(heads(bad.as_bytes()), [Err(400)], "{bad:?}");
        }
        assert_eq!(heads(b"GET / HTTP/1.1\r\nHost"), []);
    }

    #[test]
    fn a_request_with_a_body_ends_the_connection() {
        let got = heads(b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        assert!(!got[0].as_ref().unwrap().keep_alive);
    }

    #[test]
    fn only_loopback_host_names_pass() {
        for host in [
            "localhost:1111",
            "localhost",
            "app.localhost:1111",
            "127.0.0.1:1111",
            "127.0.0.2",
            "[::1]:1111",
        ] {
            assert!(is_loopback_host(Some(host)), "{host}");
        }
        assert!(is_loopback_host(None));
        for host in [
            "attacker.example:1111",
            "localhost.attacker.example",
            "192.168.1.10:1111",
            "[2001:db8::1]:1111",
            "",
        ] {
            assert!(!is_loopback_host(Some(host)), "{host}");
        }
    }
}
