//! Exercise `connect-any`: connect to a host by trying each of its addresses
//! in turn, each attempt with its own deadline.
//!
//! Read first: the book, chapter "Names and addresses" (src/names.md;
//! `cargo course book --open`), from "Trying addresses in order" on.
//! Test:       `cargo course check connect-any` (or `cargo test -p connect-any`).
//!
//! Write three things, in this order:
//!   1. `connect_any_with`: try each address with `TcpStream::connect_timeout`;
//!   2. `Display for ConnectError`: one line per failed attempt;
//!   3. `connect_any`: resolve the name, then call `connect_any_with`.
//!
//! The tests call `connect_any_with` with lists of loopback addresses that
//! accept, refuse, or never answer at all. Separating "find the addresses"
//! from "try them" is what lets them do that without a DNS server.
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code)]

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

// ANCHOR: error
/// Why no connection was made. (Given: you fill it, the tests read it.)
#[derive(Debug)]
pub enum ConnectError {
    /// The name did not resolve, so nothing was tried.
    Resolve { host: String, error: io::Error },
    /// Every address was tried and failed: one entry per attempt, in the
    /// order tried. Empty if there was no address to try.
    Attempts(Vec<(SocketAddr, io::Error)>),
}
// ANCHOR_END: error

impl ConnectError {
    /// Every attempt and why it failed (none if the name did not resolve).
    pub fn attempts(&self) -> &[(SocketAddr, io::Error)] {
        match self {
            ConnectError::Resolve { .. } => &[],
            ConnectError::Attempts(attempts) => attempts,
        }
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: say what went wrong, in words a person can act on.
        //  - Resolve: "could not resolve HOST: ERROR".
        //  - Attempts with none in it: "no address to connect to".
        //  - Otherwise a first line, then one line per attempt with the
        //    address and its error: "\n  127.0.0.1:4000: Connection refused ...".
        //    `write!(f, ...)` appends to the output; use `?` after each.
        todo!("describe every attempt: see the section 'When every address fails'")
    }
}

impl std::error::Error for ConnectError {}

/// Tries each address in order, giving each attempt at most `per_attempt`,
/// and returns the first connection made. If none works, the error lists
/// every attempt with its reason.
pub fn connect_any_with(
    addrs: impl IntoIterator<Item = SocketAddr>,
    per_attempt: Duration,
) -> Result<TcpStream, ConnectError> {
    // TODO: loop over `addrs`.
    //  - Connect with `TcpStream::connect_timeout(&addr, per_attempt)`, not
    //    `TcpStream::connect`: an address that never answers would keep a
    //    plain connect waiting for minutes.
    //  - The first `Ok(stream)` is the answer: return it.
    //  - On `Err(e)`, remember `(addr, e)` in a Vec and go on to the next one.
    //  - After the loop, every attempt failed: return them all in
    //    `ConnectError::Attempts`.
    todo!("try each address: see the section 'Trying addresses in order'")
}

/// Resolves `host` (a name like `localhost` or an address like `::1`) with
/// the system resolver and connects to the first of its addresses that
/// answers on `port`.
pub fn connect_any(host: &str, port: u16, per_attempt: Duration) -> Result<TcpStream, ConnectError> {
    // TODO: `(host, port).to_socket_addrs()` asks the system resolver
    //  (getaddrinfo) and gives an iterator of SocketAddr. Turn its error into
    //  `ConnectError::Resolve`, then hand the addresses to `connect_any_with`.
    todo!("resolve, then connect: see the section 'ToSocketAddrs: how Rust resolves names'")
}
