//! Exercise `mio-chat`: a chat server for many clients on one thread, with mio.
//!
//! Read first: the book, chapter "Blocking, non-blocking, multiplexing"
//! (src/multiplexing.md; `cargo course book --open`).
//! Test:       `cargo course check mio-chat` (or `cargo test -p mio-chat`).
//! Try it:     `cargo run -p mio-chat`, then `nc 127.0.0.1 7879` in two or
//!             more terminals, and type.
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.
//!
//! # The protocol
//!
//! Everything is lines of bytes ending in `\n`, in both directions.
//!
//! - A new client is named `guestN`, numbered from 1 in the order the server
//!   accepts connections. It first gets `* you are guest3`; every other
//!   client gets `* guest3 joined`.
//! - A line `TEXT` from a client goes to every OTHER client as `NAME: TEXT`.
//!   The sender gets nothing back.
//! - A line `/nick NEW` renames the sender. NEW must be 1 to 32 ASCII
//!   letters, digits, `-` or `_`; then EVERY client, the sender too, gets
//!   `* guest3 is now alice`. Otherwise only the sender gets a line starting
//!   with `* error` (for example `* error: a name is 1 to 32 letters, digits,
//!   '-' or '_'`) and keeps its name.
//! - When a client leaves (EOF, an error, or the server disconnects it),
//!   every other client gets `* alice left`. An unfinished last line (no
//!   `\n`) is dropped.
//! - A line may be at most 1,024 bytes, not counting its `\n`. A client
//!   whose line is longer (or whose unfinished line grows past 1,024 bytes)
//!   is disconnected; the server may first send it `* error: line too long`.
//! - The server queues at most 64 KiB of output for a client. A client whose
//!   queue would pass that is not reading: the server disconnects it.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code, unused_mut)]

use mio::event::Event;
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Registry, Token};
use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::SocketAddr;

/// The listening socket's token; give clients tokens from 1 up.
const LISTENER: Token = Token(0);
/// The longest line a client may send, not counting its `\n`.
const MAX_LINE: usize = 1024;
/// The most output a client may have waiting before it is disconnected.
const MAX_OUTPUT: usize = 64 * 1024;

// ANCHOR: main
fn main() -> io::Result<()> {
    // Listen where the first argument says, or on 127.0.0.1:7879. The tests
    // pass `127.0.0.1:0`: any free port.
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:7879".to_string());
    let address: SocketAddr =
        address.parse().map_err(|e| io::Error::new(ErrorKind::InvalidInput, format!("{address}: {e}")))?;
    // mio's listener is non-blocking from the start.
    let listener = TcpListener::bind(address)?;
    // The tests read this line to learn the port. Keep it.
    println!("listening on {}", listener.local_addr()?);
    serve(listener)
}
// ANCHOR_END: main

// TODO: the state of one client. You will need at least:
//  - its `TcpStream` (mio's) and its name;
//  - an input buffer: the start of a line whose `\n` has not arrived yet;
//  - an output buffer: bytes queued for it that its socket has not taken yet;
//  - whether it is registered for WRITABLE at the moment.
// struct Client { ... }

/// Runs the chat room forever on this one thread.
fn serve(mut listener: TcpListener) -> io::Result<()> {
    // TODO: the event loop (the book's section "The event loop, line by line").
    //  - Create a `Poll` and `Events`; register the listener with the token
    //    LISTENER for READABLE.
    //  - Keep the clients in a `HashMap<Token, Client>`.
    //  - Loop: `poll.poll(&mut events, None)` (retry on Interrupted), then
    //    handle every event:
    //    * LISTENER: accept until `WouldBlock`. Register each new stream for
    //      READABLE only, with a fresh token; name it guestN; queue its
    //      welcome and tell the others it joined.
    //    * a client, readable: read until `WouldBlock` (mio does not report
    //      data you left unread). Append to its input buffer and handle every
    //      complete line; Ok(0) or an error means it is gone.
    //    * a client, writable: write from its output buffer until it is empty
    //      or `WouldBlock`; a partial write leaves the rest queued.
    //  - Queueing a line for a client: if its output buffer would pass
    //    MAX_OUTPUT, it is not reading: disconnect it instead.
    //  - After the events: try to write queued output, and `reregister` a
    //    client with READABLE | WRITABLE while its output buffer is not empty,
    //    READABLE alone when it is. Remove the clients that are gone
    //    (`deregister`, drop) and tell the others `* NAME left`.
    //  - Never block, never `unwrap()` a socket operation: one client's
    //    error is that client's problem.
    todo!("the event loop: see the section 'The event loop, line by line'")
}
