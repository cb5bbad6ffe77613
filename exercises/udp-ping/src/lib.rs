//! Exercise `udp-ping`: a UDP server that answers numbered pings, and a
//! client that measures round trips over a network that loses, duplicates,
//! delays and reorders datagrams.
//!
//! Read first: the book, chapter "UDP" (src/udp.md; `cargo course book --open`).
//! Test:       `cargo course check udp-ping` (or `cargo test -p udp-ping`).
//!
//! You write two functions: `serve` (stage 1) and `ping` (stages 2 to 9).
//! The protocol (`Packet`, with `encode` and `parse`) and the result type
//! (`PingResult`) are written for you; use them as they are.
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code)]

use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The longest datagram this protocol uses. Anything longer is not ours.
pub const MAX_DATAGRAM: usize = 64;

/// How often a waiting server looks at its stop flag.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// The two messages of the protocol, as ASCII text: `PING 3 1` asks for a
/// reply to ping number 3, second attempt (attempts count from 0), and
/// `PONG 3 1` is that reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packet {
    Ping { seq: u32, attempt: u32 },
    Pong { seq: u32, attempt: u32 },
}

impl Packet {
    /// The bytes of one datagram: `PING 3 1`, no newline.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Packet::Ping { seq, attempt } => format!("PING {seq} {attempt}"),
            Packet::Pong { seq, attempt } => format!("PONG {seq} {attempt}"),
        }
        .into_bytes()
    }

    /// Parses one whole datagram; `None` for anything that is not exactly a
    /// packet of this protocol (garbage, a truncated datagram, extra words).
    pub fn parse(datagram: &[u8]) -> Option<Packet> {
        let text = std::str::from_utf8(datagram).ok()?;
        let mut words = text.split(' ');
        let (kind, seq, attempt) = (words.next()?, words.next()?, words.next()?);
        if words.next().is_some() {
            return None;
        }
        let number =
            |word: &str| if word.bytes().all(|b| b.is_ascii_digit()) { word.parse().ok() } else { None };
        let (seq, attempt) = (number(seq)?, number(attempt)?);
        match kind {
            "PING" => Some(Packet::Ping { seq, attempt }),
            "PONG" => Some(Packet::Pong { seq, attempt }),
            _ => None,
        }
    }
}

/// What happened to one ping. `ping` returns one per sequence number, in
/// order: the first entry is ping 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PingResult {
    /// The reply to attempt `attempt` (0 = the first send) came back `rtt`
    /// after that attempt was sent.
    Reply { attempt: u32, rtt: Duration },
    /// No attempt got its reply in time.
    Lost,
}

/// Answers every `PING seq attempt` with `PONG seq attempt`, sent back to
/// whoever sent the ping, until `stop` is set. Ignores everything else.
pub fn serve(socket: UdpSocket, stop: &AtomicBool) -> io::Result<()> {
    // TODO (stage 1):
    //  - Loop until `stop.load(Ordering::SeqCst)` is true. A `recv_from` with
    //    no timeout blocks forever and never looks at the flag: give the
    //    socket a short read timeout (`STOP_CHECK`) and treat a timeout error
    //    (`is_timeout`) as "nothing arrived yet, check the flag again".
    //  - `recv_from` into a buffer one byte longer than `MAX_DATAGRAM`; a
    //    datagram that fills it is too long to be ours. (On Windows a too-long
    //    datagram arrives as an error instead: skip it when `is_too_long`.)
    //  - If `Packet::parse` gives `Packet::Ping { seq, attempt }`, send
    //    `Packet::Pong { seq, attempt }.encode()` with `send_to` to the
    //    address the ping came from. Ignore everything else (no reply).
    todo!("serve: see the section 'A server without connections'")
}

/// Sends pings 1 to `n` to `server`, one at a time. Each attempt waits up to
/// `timeout` for its reply; a ping is sent at most `1 + retries` times before
/// it counts as lost. Returns one `PingResult` per ping, in order (the first
/// is ping 1). Fails only for real errors, such as nobody listening.
pub fn ping(server: SocketAddr, n: u32, timeout: Duration, retries: u32) -> io::Result<Vec<PingResult>> {
    // TODO (stages 2 to 9):
    //  - Bind a UdpSocket to port 0 of the unspecified address of the same
    //    family as `server`, and `connect` it to `server` (stage 9 needs this).
    //  - For seq in 1..=n, for attempt in 0..=retries: note `Instant::now()`,
    //    `send` `Packet::Ping { seq, attempt }.encode()`, then read until
    //    exactly `Packet::Pong { seq, attempt }` arrives or this attempt's
    //    deadline (sent + timeout) passes. Ignore every other datagram.
    //  - Before each read, set the read timeout to what is left until the
    //    deadline (never `Some(Duration::ZERO)`: that is an error).
    //  - A timeout means "lost, try again"; after the last attempt the ping
    //    is `PingResult::Lost`. Skip `is_too_long` errors (Windows) like any
    //    other stray datagram. Other errors (ConnectionRefused) are returned.
    todo!("ping: see the sections 'Timeouts and retries' and 'Connected UDP and connection refused'")
}

/// A read timeout is WouldBlock on Unix and TimedOut on Windows.
fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// A datagram longer than the buffer is cut short silently on Unix; Windows
/// fills the buffer and then reports the receive as failed (WSAEMSGSIZE).
fn is_too_long(e: &io::Error) -> bool {
    cfg!(windows) && e.raw_os_error() == Some(10040)
}
