//! Exercise `remote-exec`: a remote command server, done safely.
//!
//! Read first: the book, chapter "Project: a remote command server"
//! (src/remote-exec.md; `cargo course book --open`).
//! Test:       `cargo course check remote-exec` (or `cargo test -p remote-exec`).
//! Try it:     `cargo run -p remote-exec -- --unix /tmp/rx.sock`, then send it
//!             requests with the client shown in the chapter.
//!
//! Change this file only (`src/wire.rs` is provided and done). Never edit the
//! tests in `tests/`: they are the teacher, and your instructor grades with
//! the original ones.
//!
//! You write six functions, in the order the stages need them:
//! `parse_request` and `resolve` (stages 1, 3, 4), `run` (stages 1, 6, 7),
//! `handle` (stages 1, 5), `serve` (stages 1, 8), and the loopback and 0600
//! checks in `listen_tcp` and `listen_unix` (stage 2).

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code)]

mod wire;

use std::io::{self, ErrorKind, Read};
use std::net::{SocketAddr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use wire::{Connection, Listener, MAX_OUTPUT, MAX_REQUEST, Reply, Status, read_frame};

/// How long a command may run before it is killed.
const TIMEOUT: Duration = Duration::from_secs(2);
/// How long a client may take to send its request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
/// How many clients are served at once; the next ones get `busy`.
const MAX_CLIENTS: usize = 4;

// ANCHOR: allowlist
/// What a request may contain besides the command name.
#[derive(Debug, Clone, Copy)]
enum Args {
    /// Any arguments (they reach the program as plain strings).
    Any,
    /// Only `+FORMAT` arguments: `date -s` sets the clock, `date -f` reads files.
    FormatOnly,
}

/// The only commands the server runs: exact name, absolute path, argument rule.
const ALLOWED: &[(&str, &str, Args)] = &[
    ("echo", "/bin/echo", Args::Any),
    ("date", "/bin/date", Args::FormatOnly),
    ("uname", "/usr/bin/uname", Args::Any),
    ("sleep", "/bin/sleep", Args::Any),
    ("yes", "/usr/bin/yes", Args::Any),
    ("true", "/usr/bin/true", Args::Any),
    ("false", "/usr/bin/false", Args::Any),
];
// ANCHOR_END: allowlist

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let listener = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => listen_unix(Path::new("remote-exec.sock")),
        ["--unix", path] => listen_unix(Path::new(path)),
        ["--tcp", address] => listen_tcp(address),
        _ => {
            eprintln!("usage: remote-exec [--unix PATH | --tcp 127.0.0.1:PORT]");
            std::process::exit(2);
        }
    };
    let listener = listener.unwrap_or_else(|e| {
        eprintln!("remote-exec: {e}");
        std::process::exit(1);
    });
    serve(listener);
}

/// Listens on a Unix socket that only this user may connect to.
fn listen_unix(path: &Path) -> io::Result<Listener> {
    let listener = UnixListener::bind(path)?;
    // TODO (stage 2): make the socket file mode 0600 before announcing it
    // (`std::fs::set_permissions` with `Permissions::from_mode`). Whoever may
    // write the file may connect, and so run commands as you.
    println!("listening on {}", path.display());
    Ok(Listener::Unix(listener))
}

/// Listens on TCP, but only on a loopback address.
fn listen_tcp(address: &str) -> io::Result<Listener> {
    // TODO (stage 2): parse `address` as a SocketAddr and return an error
    // unless its IP is a loopback address (`ip().is_loopback()`):
    // `0.0.0.0` would let anyone on the network run commands.
    let listener = TcpListener::bind(address)?;
    // The tests read this line to learn the port the kernel picked. Keep it.
    println!("listening on {}", listener.local_addr()?);
    Ok(Listener::Tcp(listener))
}

/// Accepts clients forever, at most `MAX_CLIENTS` at a time.
fn serve(listener: Listener) {
    // TODO: accept in a loop, with a thread per client running `handle`.
    //  - Count active clients (an `Arc<AtomicUsize>`). A client that would
    //    make more than MAX_CLIENTS gets `Reply::busy()` written from the
    //    accept loop (set a short write timeout first), and is dropped.
    //  - Give the slot back when the client's thread ends, whatever happens
    //    (a small struct whose `Drop` decrements the count is the safe way).
    //  - An error from one client is printed with eprintln!, never fatal.
    todo!("accept clients: see the sections 'The protocol' and 'A concurrency limit'")
}

/// Serves one request: read it, check it, run it, reply.
fn handle(connection: &mut Connection) -> io::Result<()> {
    // TODO:
    //  - Set read and write timeouts (REQUEST_TIMEOUT) so that a silent
    //    client cannot hold its slot for ever.
    //  - `read_frame(connection, MAX_REQUEST)`. An `InvalidData` error means
    //    the announced length was too large: reply `Reply::refused(e)`.
    //    Other errors (timeout, EOF): just return.
    //  - `parse_request`, then `resolve`; on Err(reason), `Reply::refused(reason)`.
    //  - Otherwise `run(program, &argv[1..])`, and `write_to` the reply.
    todo!("serve one request: see the section 'The protocol'")
}

/// Splits a request payload into argv: UTF-8 strings separated by NUL bytes.
fn parse_request(payload: &[u8]) -> Result<Vec<String>, String> {
    // TODO: refuse an empty payload and one that is not UTF-8; otherwise
    // split on '\0' (every piece is one argument, even an empty one).
    todo!("parse the request: see the section 'The protocol'")
}

/// Finds the program for `argv[0]` in `ALLOWED` and checks the arguments.
fn resolve(argv: &[String]) -> Result<&'static str, String> {
    // TODO: compare the name exactly with the names in ALLOWED and return the
    // absolute path stored there. No PATH search, no paths from the client.
    // For `Args::FormatOnly`, every argument must start with '+'.
    todo!("check the command: see the section 'An allowlist, by exact name'")
}

/// Runs `program` with `args` (no shell), within the time and output limits.
fn run(program: &str, args: &[String]) -> io::Result<Reply> {
    // TODO:
    //  - `Command::new(program).args(args)`: argv, never `sh -c`. Clear the
    //    environment, stdin from /dev/null, stdout and stderr piped.
    //  - Read stdout and stderr on two threads (see `read_capped`), each
    //    keeping at most MAX_OUTPUT bytes; send the results over a channel.
    //  - Wait for them with `recv_timeout` until TIMEOUT has passed. Past the
    //    deadline, or as soon as a reader reports overflow, `child.kill()`.
    //  - Always `child.wait()` (no zombies), then build the Reply: Status::
    //    TimedOut, OutputLimit, or Exited(code) / Signalled(signal).
    todo!("run the command: see the sections 'A time limit' and 'An output limit'")
}

/// Reads `pipe` to its end, keeping at most `cap` bytes. Returns the bytes and
/// whether there was more: then it stops reading at once.
fn read_capped(pipe: impl Read, cap: usize) -> (Vec<u8>, bool) {
    // TODO: read in a loop; Ok(0) is the end. If a read would take you past
    // `cap`, keep only what fits and return `true` straight away.
    todo!("cap the output: see the section 'An output limit'")
}
