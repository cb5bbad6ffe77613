//! Test support for every exercise in *Sockets from the Ground Up*.
//!
//! The graded tests of each exercise are written with this crate so that they
//! all keep the same promises (see `design.md`, "Test principles"):
//!
//! * **Never hang.** [`run_stage`] runs a test body under a watchdog with a
//!   deadline; every socket a [`Client`] opens has read and write timeouts.
//! * **Never collide.** Servers bind port 0 and announce the port they got
//!   (`listening on 127.0.0.1:40231`), which [`Stage::start_server`] reads.
//! * **Teach on failure.** A failure says what was sent, what was expected and
//!   what arrived (bytes escaped), gives a hint, names the book section to read
//!   and shows what the server printed on stderr.
//! * **Catch real bugs.** [`Client`] can trickle bytes, stream megabytes while
//!   reading, flood without reading, half-close and reset.
//!
//! ```no_run
//! use harness::{run_stage, Book};
//! use std::time::Duration;
//!
//! #[test]
//! fn stage_2_echoes_one_line() {
//!     run_stage("stage 2: echoes one line", Book("tcp-echo-server.md#the-read-loop"),
//!               Duration::from_secs(10), |t| {
//!         let server = t.start_server(env!("CARGO_BIN_EXE_echo-server"), &["127.0.0.1:0"]);
//!         let mut client = server.connect();
//!         client.send(b"hello\n");
//!         client.expect(b"hello\n", "write back every byte you read");
//!     });
//! }
//! ```

mod blackhole;
mod client;
mod escape;
mod failure;
mod http;
pub mod os;
mod pattern;
mod peer_listener;
mod process;
mod server;
mod stage;
mod tcp_peer;
mod udp_relay;
#[cfg(unix)]
mod unix;

pub use blackhole::{BlackHole, closed_port, ipv6_loopback};
pub use client::{Client, connect_with_retry};
pub use escape::{count, show};
pub use failure::Failure;
pub use http::{After, Delivery, HttpServer, Reply};
pub use pattern::pattern;
pub use peer_listener::{PeerListener, RefusingPort};
pub use process::Process;
pub use server::Server;
pub use stage::{Book, Stage, run_stage};
pub use tcp_peer::TcpPeer;
pub use udp_relay::{Direction, Event, Fate, Script, UdpRelay, XorShift, lossless, seeded};
#[cfg(unix)]
pub use unix::{TempDir, UnixClient, describe_error};

/// A host name that cannot resolve and whose lookup sends nothing anywhere.
///
/// Its first label is longer than the 63 bytes a DNS label may have
/// (RFC 1035, section 2.3.4), so the resolver refuses to build a query and
/// fails at once with "Name or service not known" (EAI_NONAME); and it is
/// under `.invalid`, which RFC 6761 reserves for names that never exist. A
/// plain `no-such-host.invalid` would be sent to the configured DNS server:
/// tests must not look up names outside the machine.
pub const UNRESOLVABLE_HOST: &str =
    "a-label-longer-than-sixty-three-bytes-which-dns-cannot-encode-at-all.invalid";
