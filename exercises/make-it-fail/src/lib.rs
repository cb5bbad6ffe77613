//! Exercise `make-it-fail`: provoke the classic socket errors on purpose,
//! then name their cause and their fix.
//!
//! Read first: the book, chapter "Common errors, now understood"
//! (src/common-errors.md; `cargo course book --open`).
//! Test:       `cargo course check make-it-fail` (or `cargo test -p make-it-fail`).
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.
//!
//! What to write:
//!
//! 1. Each function from `connection_refused` to `name_not_known` does the
//!    real thing that makes the operating system report that error, and
//!    returns the `io::Error` it got. The tests check `kind()` and
//!    `raw_os_error()`: an error you build yourself with `io::Error::new` has
//!    the right kind but no errno, and does not count. Stay on loopback
//!    (127.0.0.1) and in the temp directory; never wait longer than a second.
//! 2. `diagnose` looks at any `io::Error` and says which problem it is, its
//!    likely cause and the fix, in a sentence each. Decide by `kind()` and
//!    `raw_os_error()`, not by the words of the message: messages differ
//!    between operating systems, languages and libraries.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code)]

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// Connect to a TCP port on 127.0.0.1 where nobody is listening.
pub fn connection_refused() -> io::Error {
    // TODO: bind a `TcpListener` to 127.0.0.1:0, note its `local_addr()`,
    // drop the listener, then `TcpStream::connect` to that address.
    todo!("see the section 'Connection refused'")
}

/// Bind a second listener to the address a first one is using.
pub fn address_in_use() -> io::Error {
    // TODO: keep a first listener alive while you bind a second one to its
    // `local_addr()`.
    todo!("see the section 'Address already in use'")
}

/// Write to a stream whose other end is closed.
pub fn broken_pipe() -> io::Error {
    // TODO: `UnixStream::pair()` gives two connected ends. Drop one and
    // write to the other.
    todo!("see the section 'Broken pipe'")
}

/// Read from a TCP connection that the peer aborted with a reset (RST).
pub fn connection_reset() -> io::Error {
    // TODO: a normal close (drop) sends FIN and you read EOF (`Ok(0)`), not
    // an error. The kernel sends RST instead when a socket is closed with
    // data still unread in its receive buffer:
    //  - accept a connection on a loopback listener;
    //  - the client writes a few bytes;
    //  - the server side waits until they have arrived (`peek`), and is
    //    dropped without reading them;
    //  - the client's next `read` fails.
    // Give every blocking call a timeout so a mistake cannot hang the test.
    todo!("see the section 'Connection reset by peer'")
}

/// Wait for bytes that never come, with a read timeout of about 100 ms.
pub fn timed_out() -> io::Error {
    // TODO: connect to a listener that never writes (it need not even
    // accept), `set_read_timeout(Some(..))` at 100 ms, and `read`.
    // Look closely at which error Linux reports: it may surprise you.
    todo!("see the section 'Timed out'")
}

/// Ask a non-blocking socket for something it does not have yet.
pub fn would_block() -> io::Error {
    // TODO: a `TcpListener` (or `UdpSocket`) with `set_nonblocking(true)`,
    // then `accept` (or `recv`) when nothing is waiting.
    todo!("see the section 'Would block'")
}

/// Connect a unix stream socket to a path where no socket file exists.
pub fn no_such_socket_file() -> io::Error {
    // TODO: `UnixStream::connect` to a path in `std::env::temp_dir()` that
    // does not exist (put the process id in its name).
    todo!("see the section 'No such file or directory'")
}

/// A name that cannot exist: it is under `.invalid`, reserved by RFC 6761,
/// and its first label is longer than the 63 bytes DNS allows, so the
/// resolver gives up before sending any query (no DNS server is asked).
pub const NOWHERE: &str = "a-label-longer-than-sixty-three-bytes-which-dns-cannot-encode-at-all.invalid";

/// Look up a name that cannot exist.
pub fn name_not_known() -> io::Error {
    // TODO: resolve `(NOWHERE, 80)` with `to_socket_addrs()` and return the error.
    // NOWHERE (above) can never resolve, and looking it up asks no server.
    todo!("see the section 'Name or service not known'")
}

/// Which of the course's errors an `io::Error` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    ConnectionRefused,
    AddressInUse,
    BrokenPipe,
    ConnectionReset,
    TimedOut,
    /// EAGAIN / EWOULDBLOCK: a non-blocking call, or a read/write timeout.
    WouldBlock,
    NoSuchFile,
    PermissionDenied,
    NameNotKnown,
    TooManyOpenFiles,
    NetworkUnreachable,
    /// Anything else.
    Other,
}

/// What `diagnose` says about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Diagnosis {
    pub problem: Problem,
    /// The likely cause, in one sentence.
    pub cause: &'static str,
    /// What to do about it, in one sentence.
    pub fix: &'static str,
}

/// Names the problem behind `error`, its likely cause and the fix.
pub fn diagnose(error: &io::Error) -> Diagnosis {
    // TODO: decide the `Problem` from `error.kind()` (and, for the one
    // error that has no `ErrorKind` of its own, from `raw_os_error()`), then
    // give a cause and a fix for each. The tests look for a few key words
    // in cause + fix (a failing test names them). Name lookup failures are
    // special: read the section 'Name or service not known'.
    todo!("see the section 'Diagnosing an io::Error'")
}
