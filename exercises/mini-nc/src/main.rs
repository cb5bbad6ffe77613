//! Exercise `mini-nc`: a small netcat.
//!
//! Read first: the book, chapter "Tools of the trade", section "Exercise:
//! mini-nc" (src/tools.md; `cargo course book --open`).
//! Test:       `cargo course check mini-nc` (or `cargo test -p mini-nc`).
//! Try it:     `cargo run -q -p mini-nc -- -l 7000` in one terminal and
//!             `cargo run -q -p mini-nc -- 127.0.0.1 7000` in another, then
//!             type in either one. Ctrl-D ends stdin.
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.
//!
//! What to write: `parse_port`, `connect`, `listen`, `relay` and `pump`,
//! below. `main` and `run` are done: they turn every `Err(message)` into
//! `mini-nc: message` on stderr and exit status 1.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, unused_mut, dead_code, unreachable_code)]

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::thread;

const USAGE: &str = "usage: mini-nc HOST PORT   connect to HOST:PORT
       mini-nc -l PORT     listen on 127.0.0.1:PORT for one client";

// ANCHOR: main
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Errors go to stderr: stdout carries the data.
            eprintln!("mini-nc: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let stream = match args {
        [flag, port] if flag == "-l" => listen(parse_port(port)?)?,
        [host, port] => connect(host, parse_port(port)?)?,
        _ => return Err(USAGE.to_string()),
    };
    relay(stream).map_err(|e| format!("connection failed: {e}"))
}
// ANCHOR_END: main

/// "8080" -> 8080.
fn parse_port(text: &str) -> Result<u16, String> {
    // TODO: parse `text` as a u16 (`text.parse::<u16>()`). Anything else
    // ("seventy", "99999") is an error whose message quotes the text, so the
    // user sees what was wrong: `bad port "seventy": ...`.
    todo!("parse the port: see the section 'Errors a person can read'")
}

/// Connects to `host` port `port`.
fn connect(host: &str, port: u16) -> Result<TcpStream, String> {
    // TODO:
    //  - Resolve `(host, port).to_socket_addrs()`. On error, return a
    //    message that names the host: `cannot resolve HOST: {e}`.
    //  - Connect with `TcpStream::connect(&addrs[..])` (it tries each
    //    address). On error, say where: `cannot connect to HOST port PORT: {e}`;
    //    the text of `e` says why (`Connection refused`).
    todo!("connect: see the section 'Exercise: mini-nc'")
}

/// Listens on 127.0.0.1:`port` and returns the first client's stream.
fn listen(port: u16) -> Result<TcpStream, String> {
    // TODO:
    //  - Bind `TcpListener` to ("127.0.0.1", port): loopback only.
    //  - Print `listening on ADDRESS` on **stderr** (`eprintln!`), with the
    //    address `listener.local_addr()` gives: the tests pass port 0 and read
    //    the real port from that line. Not on stdout: stdout is for data.
    //  - Accept one client and return its stream.
    todo!("listen: see the section 'Listen mode'")
}

/// Copies stdin to the socket and the socket to stdout at the same time,
/// until the peer closes the connection.
fn relay(stream: TcpStream) -> io::Result<()> {
    // TODO:
    //  - `stream.try_clone()` gives a second handle on the same socket.
    //  - On a new thread: pump stdin to the socket. When stdin ends, call
    //    `shutdown(Shutdown::Write)` on the socket (a half-close: the peer
    //    reads EOF, and can still answer).
    //  - On this thread: pump the socket to stdout. When the peer closes
    //    (EOF), return Ok(()). Do not wait for the stdin thread.
    todo!("relay: see the sections 'Two directions at once' and 'Half-close when stdin ends'")
}

/// Copies `from` to `to` until EOF, passing each piece on as soon as it
/// arrives. Returns how many bytes it copied.
fn pump(mut from: impl Read, mut to: impl Write) -> io::Result<u64> {
    // TODO: a loop: `read` into a buffer; `Ok(0)` means EOF (return the
    // total); otherwise `write_all(&buf[..n])` and then `flush()`, so that a
    // prompt without a newline shows at once. Retry on
    // `ErrorKind::Interrupted`; return other errors.
    todo!("pump: see the section 'Bytes, not lines'")
}
