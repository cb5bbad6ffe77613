//! WRONG: reads every body until EOF, even when Content-Length says where it ends.

use std::fmt;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long `get` waits for the server at each step (connect, each read, each write).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest status line or header line we accept. Without a limit, a
/// server that never sends `\n` makes us buffer forever.
const MAX_LINE: usize = 8 * 1024;
/// How many header lines we accept.
const MAX_HEADERS: usize = 100;

/// The parts of an `http://host[:port]/path` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub host: String,
    pub port: u16,
    pub path: String,
}

/// A response: status line, headers in the order they came, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The value of the first header called `name`, compared case-insensitively
    /// (`content-length` finds `Content-Length`).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Everything that can go wrong.
#[derive(Debug)]
pub enum HttpError {
    /// Not an `http://` URL (`https://` needs TLS, which this crate does not speak).
    Unsupported(String),
    /// Not a URL we can use: no host, a bad port.
    BadUrl(String),
    /// The connection failed or timed out.
    Io(io::Error),
    /// The first line is not `HTTP/1.x NNN reason`.
    BadStatusLine(String),
    /// A header line without a colon or with an empty name, or too many or too long.
    BadHeader(String),
    /// A Content-Length that is not a number (or two that disagree).
    BadContentLength(String),
    /// A chunked body that does not follow RFC 9112 section 7.1.
    BadChunk(String),
    /// The connection ended before the response was complete.
    UnexpectedEof(String),
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Unsupported(s) => write!(f, "unsupported URL scheme: {s}"),
            HttpError::BadUrl(s) => write!(f, "bad URL: {s}"),
            HttpError::Io(e) => write!(f, "I/O error: {e}"),
            HttpError::BadStatusLine(s) => write!(f, "bad status line: {s:?}"),
            HttpError::BadHeader(s) => write!(f, "bad header: {s:?}"),
            HttpError::BadContentLength(s) => write!(f, "bad Content-Length: {s:?}"),
            HttpError::BadChunk(s) => write!(f, "bad chunk: {s}"),
            HttpError::UnexpectedEof(s) => write!(f, "connection closed early: {s}"),
        }
    }
}

impl std::error::Error for HttpError {}

impl From<io::Error> for HttpError {
    fn from(e: io::Error) -> Self {
        HttpError::Io(e)
    }
}

/// Splits `http://host[:port][/path]` into its parts.
pub fn parse_url(url: &str) -> Result<Url, HttpError> {
    let Some(rest) = url.strip_prefix("http://") else {
        return Err(HttpError::Unsupported(url.to_string()));
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => {
            let port = port.parse().map_err(|_| HttpError::BadUrl(format!("bad port {port:?} in {url}")))?;
            (host, port)
        }
        None => (authority, 80),
    };
    if host.is_empty() {
        return Err(HttpError::BadUrl(format!("no host in {url}")));
    }
    Ok(Url { host: host.to_string(), port, path: path.to_string() })
}

/// The request, byte for byte: request line, headers, blank line; CRLF everywhere.
pub fn request_bytes(url: &Url) -> Vec<u8> {
    // The Host header carries the port only when it is not the default.
    let host = if url.port == 80 { url.host.clone() } else { format!("{}:{}", url.host, url.port) };
    format!(
        "GET {} HTTP/1.1\r\n\
         Host: {host}\r\n\
         User-Agent: sockets-course-http-get/0.1\r\n\
         Connection: close\r\n\
         \r\n",
        url.path
    )
    .into_bytes()
}

/// Fetches `url` with [`DEFAULT_TIMEOUT`].
pub fn get(url: &str) -> Result<Response, HttpError> {
    get_with_timeout(url, DEFAULT_TIMEOUT)
}

/// Fetches `url`. Every step (connect, each read, each write) may take at
/// most `timeout`; a silent server gives `HttpError::Io` of kind
/// `WouldBlock` or `TimedOut`.
pub fn get_with_timeout(url: &str, timeout: Duration) -> Result<Response, HttpError> {
    let url = parse_url(url)?;
    let stream = connect(&url, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;

    (&stream).write_all(&request_bytes(&url))?;

    // A BufReader turns the many small reads the network gives us into lines.
    let mut reader = BufReader::new(&stream);
    let status_line = read_line(&mut reader, "the status line")?;
    let (status, reason) = parse_status_line(&status_line)?;
    let headers = read_headers(&mut reader)?;
    let mut response = Response { status, reason, headers, body: Vec::new() };
    response.body = read_body(&mut reader, &response)?;
    Ok(response)
}

/// Tries each address the host name resolves to, in order.
fn connect(url: &Url, timeout: Duration) -> Result<TcpStream, HttpError> {
    let mut last = None;
    for addr in (url.host.as_str(), url.port).to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(stream) => return Ok(stream),
            Err(e) => last = Some(e),
        }
    }
    Err(HttpError::Io(
        last.unwrap_or_else(|| io::Error::new(ErrorKind::NotFound, format!("{} has no address", url.host))),
    ))
}

/// Reads one line ending in `\n`, and returns it without the `\r\n` (a bare
/// `\n` is accepted too, as RFC 9112 section 2.2 allows).
fn read_line(reader: &mut impl BufRead, what: &str) -> Result<String, HttpError> {
    let mut line = Vec::new();
    // `take` bounds the line: a server that never sends `\n` cannot make us
    // buffer without end. read_until loops over short reads for us.
    reader.take(MAX_LINE as u64 + 1).read_until(b'\n', &mut line)?;
    if line.last() != Some(&b'\n') {
        return Err(if line.len() > MAX_LINE {
            HttpError::BadHeader(format!("{what} is longer than {MAX_LINE} bytes"))
        } else {
            HttpError::UnexpectedEof(format!("the connection ended inside {what}"))
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    // Header values are ASCII in practice; anything else is kept, not rejected.
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// `HTTP/1.1 404 Not Found` → (404, "Not Found").
fn parse_status_line(line: &str) -> Result<(u16, String), HttpError> {
    let bad = || HttpError::BadStatusLine(line.to_string());
    let (version, rest) = line.split_once(' ').ok_or_else(bad)?;
    if !version.starts_with("HTTP/1.") {
        return Err(bad());
    }
    // The reason phrase may be empty, and the space before it missing.
    let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    Ok((code.parse().map_err(|_| bad())?, reason.to_string()))
}

/// Header lines up to the blank line that ends them.
fn read_headers(reader: &mut impl BufRead) -> Result<Vec<(String, String)>, HttpError> {
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, "the headers")?;
        if line.is_empty() {
            return Ok(headers);
        }
        if headers.len() == MAX_HEADERS {
            return Err(HttpError::BadHeader(format!("more than {MAX_HEADERS} header lines")));
        }
        let (name, value) = line.split_once(':').ok_or_else(|| HttpError::BadHeader(line.clone()))?;
        // No whitespace is allowed in or around a field name (RFC 9112 section 5.1).
        if name.is_empty() || name.contains(|c: char| c.is_ascii_whitespace()) {
            return Err(HttpError::BadHeader(line));
        }
        headers.push((name.to_string(), value.trim_matches([' ', '\t']).to_string()));
    }
}

/// The body: chunked, or Content-Length bytes, or everything until EOF.
fn read_body(reader: &mut impl BufRead, response: &Response) -> Result<Vec<u8>, HttpError> {
    // 1xx, 204 and 304 responses never have a body (RFC 9112 section 6.3).
    if matches!(response.status, 100..=199 | 204 | 304) {
        return Ok(Vec::new());
    }
    let chunked = response.header("Transfer-Encoding").is_some_and(|te| {
        te.rsplit(',').next().is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
    });
    if chunked {
        return read_chunked(reader);
    }
    // BUG: Content-Length is checked but not used: the body is read until EOF.
    match content_length(response)?.and(None::<u64>) {
        Some(len) => {
            let mut body = Vec::new();
            // Exactly len bytes, and then stop: the server may keep the
            // connection open, so waiting for EOF could wait forever.
            reader.take(len).read_to_end(&mut body)?;
            if (body.len() as u64) < len {
                return Err(HttpError::UnexpectedEof(format!(
                    "the body ended after {} of {len} bytes (Content-Length)",
                    body.len()
                )));
            }
            Ok(body)
        }
        // No length given: the body is everything until the server closes.
        None => {
            let mut body = Vec::new();
            reader.read_to_end(&mut body)?;
            Ok(body)
        }
    }
}

/// The Content-Length, if any. Several that agree are fine; several that
/// disagree, or one that is not a plain decimal number, are an error.
fn content_length(response: &Response) -> Result<Option<u64>, HttpError> {
    let mut length = None;
    for (_, value) in response.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("Content-Length")) {
        for part in value.split(',') {
            let part = part.trim();
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(HttpError::BadContentLength(value.clone()));
            }
            let n: u64 = part.parse().map_err(|_| HttpError::BadContentLength(value.clone()))?;
            if length.is_some_and(|l| l != n) {
                return Err(HttpError::BadContentLength(value.clone()));
            }
            length = Some(n);
        }
    }
    Ok(length)
}

/// A chunked body (RFC 9112 section 7.1): `SIZE-IN-HEX[;ext]\r\n`, that many
/// bytes, `\r\n`, and so on, until a chunk of size 0, optional trailer
/// lines, and a blank line.
fn read_chunked(reader: &mut impl BufRead) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader, "a chunk size line")?;
        let hex = line.split(';').next().unwrap_or("").trim_matches([' ', '\t']);
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(HttpError::BadChunk(format!("bad chunk size line {line:?}")));
        }
        let size = u64::from_str_radix(hex, 16)
            .map_err(|_| HttpError::BadChunk(format!("chunk size {hex:?} is too large")))?;
        if size == 0 {
            break;
        }
        let before = body.len();
        reader.take(size).read_to_end(&mut body)?;
        if ((body.len() - before) as u64) < size {
            return Err(HttpError::UnexpectedEof(format!(
                "a chunk ended after {} of {size} bytes",
                body.len() - before
            )));
        }
        if !read_line(reader, "the end of a chunk")?.is_empty() {
            return Err(HttpError::BadChunk(format!("chunk of {size} bytes not followed by CRLF")));
        }
    }
    // Trailer fields, which we read and drop, up to the final blank line.
    while !read_line(reader, "the trailer")?.is_empty() {}
    Ok(body)
}
