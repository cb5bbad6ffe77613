//! Exercise `raw-sockets`: a name lookup and a TCP client written against the
//! C library, through the `libc` crate, the way a C program does it.
//!
//! Read first: the book, chapter "The C standard library" (src/libc.md;
//! `cargo course book --open`), section "The exercise: sockets through libc".
//! Test:       `cargo course check raw-sockets` (or `cargo test -p raw-sockets`).
//! Try it:     `cargo run -p raw-sockets --example lookup -- localhost 80`
//!             `cargo run -p raw-sockets --example fetch -- 127.0.0.1 8000`
//!             (with `python3 -m http.server 8000 --bind 127.0.0.1` running).
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.
//!
//! Write two functions, `lookup` and `fetch`, using `libc::` calls only:
//! no `std::net::TcpStream`, `ToSocketAddrs` or `lookup_host`. (The address
//! *types* `SocketAddr`, `Ipv4Addr`, `Ipv6Addr` are plain values and fine.)
//!
//! Rules for `unsafe`: every `unsafe { ... }` block needs a `// SAFETY:`
//! comment on the lines just above it (or just inside it) that says why the
//! call is sound: which pointers are valid, for how long, who owns what.
//! A test reads this file and checks.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code)]

use std::ffi::{CStr, CString};
use std::io;
use std::mem;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::ptr;

use libc::{c_int, c_void};

/// One entry of a `getaddrinfo` answer, as Python's `socket.getaddrinfo` shows it.
/// (The tests build and compare these; keep the fields as they are.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddrInfo {
    /// `libc::AF_INET` or `libc::AF_INET6`.
    pub family: c_int,
    /// `libc::SOCK_STREAM`, `libc::SOCK_DGRAM` or `libc::SOCK_RAW`.
    pub socktype: c_int,
    /// `libc::IPPROTO_TCP`, `libc::IPPROTO_UDP`, or 0 for "the default".
    pub protocol: c_int,
    /// The address and port, converted from the C `sockaddr`.
    pub address: SocketAddr,
}

/// Lists what `getaddrinfo` knows about `host`: every family, socket type and
/// protocol, each with its address and `port`.
pub fn lookup(host: &str, port: u16) -> io::Result<Vec<AddrInfo>> {
    // TODO: call `libc::getaddrinfo(node, service, &hints, &mut list)`.
    //  - `node` is the host and `service` the port as text ("80"), both as
    //    NUL-terminated C strings (`CString::new`).
    //  - `hints`: start from all zeroes (`mem::zeroed()`) and say nothing
    //    more, so you get every family and every socket type.
    //  - A non-zero return is an `EAI_*` code, not an errno: turn it into an
    //    `io::Error` whose message contains `libc::gai_strerror(code)`'s
    //    text. (Only for `EAI_SYSTEM` is the reason in errno.)
    //  - Walk the list with `ai_next` until null. For each entry, copy
    //    `ai_family`, `ai_socktype`, `ai_protocol`, and convert `ai_addr`
    //    (a `sockaddr_in` for AF_INET, a `sockaddr_in6` for AF_INET6) into a
    //    `SocketAddr`. Ports and IPv4 addresses are big-endian in there.
    //  - Call `libc::freeaddrinfo(list)` on every path once you are done.
    //    A small struct with a `Drop` impl does that for you.
    todo!("lookup: see the section 'getaddrinfo by hand'")
}

/// Connects to `host:port` over TCP, sends all of `request`, and returns
/// everything the server sends back until it closes the connection.
pub fn fetch(host: &str, port: u16, request: &[u8]) -> io::Result<Vec<u8>> {
    // TODO: the C client, step by step, with errno turned into
    // `io::Error::last_os_error()` right after each failing call.
    //  - Resolve with `getaddrinfo` (ask for `SOCK_STREAM` in the hints) and
    //    try each entry in order: `libc::socket(family, socktype, protocol)`,
    //    then `libc::connect(fd, ai_addr, ai_addrlen)`. The first that
    //    connects wins; if none does, return the last error.
    //  - Close every descriptor you open, on every path: wrap the fd in an
    //    `OwnedFd` (`OwnedFd::from_raw_fd`) straight after `socket`, and
    //    dropping it closes it.
    //  - `libc::write` may write fewer bytes than you asked, and may fail with
    //    EINTR (`io::ErrorKind::Interrupted`) when a signal arrives: loop
    //    until every byte of `request` is written.
    //  - `libc::read` returns what has arrived so far: loop, appending, until
    //    it returns 0 (the server closed). Retry EINTR here too.
    todo!("fetch: see the section 'A TCP client by hand'")
}
