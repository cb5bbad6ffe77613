//! Exercise `echo-server`: a TCP echo server with a thread per client.
//!
//! Read first: the book, chapter "A TCP echo server" (src/tcp-echo-server.md;
//! `cargo course book --open`).
//! Test:       `cargo course check echo-server` (or `cargo test -p echo-server`).
//! Try it:     `cargo run -p echo-server`, then `nc 127.0.0.1 7878` in another terminal.
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code)]

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

// ANCHOR: main
fn main() -> io::Result<()> {
    // Listen where the first argument says, or on 127.0.0.1:7878 (loopback:
    // only programs on this machine can connect). The tests pass
    // `127.0.0.1:0`, which asks the kernel for any free port.
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:7878".to_string());
    let listener = TcpListener::bind(&address)?;
    // The tests read this line to learn the port the kernel picked. Keep it.
    println!("listening on {}", listener.local_addr()?);
    serve(listener)
}
// ANCHOR_END: main

/// Accepts clients forever and serves each one on its own thread.
fn serve(listener: TcpListener) -> io::Result<()> {
    // TODO: accept connections in a loop (`for stream in listener.incoming()`).
    //  - For each accepted stream, start a thread (`thread::spawn`) that runs
    //    `handle_client(stream)`, and go straight back to accepting.
    //  - An error from one `accept` or one client is that client's problem:
    //    print it with `eprintln!` and keep serving everyone else.
    todo!("accept clients: see the section 'Many clients, one thread each'")
}

/// Echoes everything one client sends back to it, until the client is done.
fn handle_client(stream: TcpStream) -> io::Result<()> {
    // TODO: echo in a loop.
    //  - `read` into a buffer; it returns how many bytes arrived (n), which
    //    can be 1 or 8192 no matter how the client wrote them.
    //  - Write back exactly those n bytes with `write_all` (plain `write`
    //    may write fewer than you asked).
    //  - `Ok(0)` from `read` means EOF: the client finished sending. Return,
    //    which drops the stream and closes your side.
    //  - Return errors with `?`; never `unwrap()` a socket operation.
    todo!("echo: see the section 'The read loop'")
}
