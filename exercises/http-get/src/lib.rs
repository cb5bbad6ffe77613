//! Exercise `http-get`: an HTTP/1.1 GET written by hand over a `TcpStream`.
//!
//! Read first: the book, chapter "TCP", section "HTTP/1.1 by hand"
//! (src/tcp.md; `cargo course book --open`).
//! Test:       `cargo course check http-get` (or `cargo test -p http-get`).
//!
//! You write four things, in the order the stages test them:
//!   1. `parse_url`: `http://host[:port][/path]` into a `Url`.
//!   2. `request_bytes`: the exact bytes of a GET request.
//!   3. `Response::header`: look a header up, ignoring case.
//!   4. `get_with_timeout`: connect, send, read the status line, the headers
//!      and the body (by Content-Length, until EOF, and later chunked).
//!
//! The types (`Url`, `Response`, `HttpError`) are given; add any helper
//! functions you like.
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code)]

use std::fmt;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long `get` waits for the server at each step (connect, each read, each write).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

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
        // TODO: header names are case-insensitive (RFC 9110 section 5.1):
        // `str::eq_ignore_ascii_case` compares them that way.
        todo!("look up a header: see the section 'The status line and headers'")
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
///
/// `http://localhost/a.txt` → host "localhost", port 80, path "/a.txt";
/// `http://127.0.0.1:8080` → port 8080, path "/".
pub fn parse_url(url: &str) -> Result<Url, HttpError> {
    // TODO:
    //  - Anything not starting with `http://` is HttpError::Unsupported
    //    (https:// needs TLS, which is not in this crate).
    //  - The host runs up to the first '/' (or the end); the path is the
    //    rest, or "/" if there is none.
    //  - `host:port` splits at the ':'; a port that is not a u16 and an
    //    empty host are HttpError::BadUrl. No port means 80.
    todo!("parse the URL: see the section 'The request'")
}

/// The request, byte for byte.
pub fn request_bytes(url: &Url) -> Vec<u8> {
    // TODO: the request line `GET /path HTTP/1.1`, then the headers
    //  `Host: host` (`host:port` when the port is not 80) and
    //  `Connection: close`, then an empty line. Every line ends in "\r\n".
    todo!("build the request: see the section 'The request'")
}

/// Fetches `url` with [`DEFAULT_TIMEOUT`].
pub fn get(url: &str) -> Result<Response, HttpError> {
    get_with_timeout(url, DEFAULT_TIMEOUT)
}

/// Fetches `url`. Every step (connect, each read, each write) may take at
/// most `timeout`; a silent server gives `HttpError::Io` of kind
/// `WouldBlock` or `TimedOut`.
pub fn get_with_timeout(url: &str, timeout: Duration) -> Result<Response, HttpError> {
    // TODO, step by step (each step is a stage of the tests):
    //  - parse_url, then connect: `(host, port).to_socket_addrs()?` and
    //    `TcpStream::connect_timeout` for each address until one works.
    //  - Set read and write timeouts on the stream: without them, a server
    //    that goes quiet hangs your program forever.
    //  - `write_all` the request bytes.
    //  - Read the status line `HTTP/1.1 200 OK` and the headers, one line
    //    at a time, up to the empty line. Bytes arrive in pieces of any
    //    size: a `BufReader` and `read_until(b'\n', ...)` keep reading until
    //    a whole line is there. Bad lines are BadStatusLine / BadHeader.
    //  - The body: with Content-Length, read exactly that many bytes (the
    //    server may keep the connection open, so do not wait for EOF; fewer
    //    bytes before EOF is UnexpectedEof). Without it, read until EOF.
    //  - Last stage: `Transfer-Encoding: chunked` (RFC 9112 section 7.1).
    todo!("fetch the URL: see the section 'HTTP/1.1 by hand'")
}
