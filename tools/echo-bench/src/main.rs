//! Echo servers for chapter 13 ("Measuring it"), in the forms the chapter
//! compares:
//!
//! - `echo-bench threads`: a thread per connection, the design of the
//!   `echo-server` exercise (chapter 7);
//! - `echo-bench mio`: one thread, one `mio` event loop, the design of
//!   chapter 12 (buffers what a short write left over, reads until WouldBlock).
//!
//! The `mio` form uses epoll on Linux. Built with
//! `RUSTFLAGS="--cfg mio_unsupported_force_poll_poll"`, the very same code
//! runs on mio's poll(2) backend instead; the server says which on stderr.
//!
//! Both bind 127.0.0.1:0 (or the address given as the second argument), print
//! `listening on ADDR`, and serve until killed.
//!
//! Run: `cargo run --release -p echo-bench -- mio`

use mio::net::{TcpListener as MioListener, TcpStream as MioStream};
use mio::{Events, Interest, Poll, Registry, Token};
use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;

const USAGE: &str = "usage: echo-bench threads|mio [ADDR]   (ADDR defaults to 127.0.0.1:0)";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let address = args.next().unwrap_or_else(|| "127.0.0.1:0".to_string());
    let address: SocketAddr = match address.parse() {
        Ok(address) => address,
        Err(e) => {
            eprintln!("echo-bench: bad address {address:?}: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match mode.as_str() {
        "threads" => run_threads(address),
        "mio" => run_mio(address),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("echo-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------
// Thread per connection

fn run_threads(address: SocketAddr) -> io::Result<()> {
    let listener = TcpListener::bind(address)?;
    println!("listening on {}", listener.local_addr()?);
    eprintln!("echo-bench: a thread per connection");
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                // Like the course's echo-server, with one change: if the
                // system will not give us another thread, say so and drop
                // this client instead of panicking (thread::spawn would).
                let spawned = thread::Builder::new().spawn(move || {
                    if let Err(e) = echo_blocking(stream) {
                        eprintln!("echo-bench: client: {e}");
                    }
                });
                if let Err(e) = spawned {
                    eprintln!("echo-bench: no thread for a new client: {e}");
                }
            }
            Err(e) => eprintln!("echo-bench: accept failed: {e}"),
        }
    }
    Ok(())
}

/// Echoes one client until it closes: the `echo-server` exercise's handler.
fn echo_blocking(mut stream: TcpStream) -> io::Result<()> {
    // Small messages, one at a time: send each as soon as it is written.
    stream.set_nodelay(true)?;
    let mut buf = [0u8; 8192];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        stream.write_all(&buf[..n])?;
    }
}

// ---------------------------------------------------------------------------
// One mio event loop

const LISTENER: Token = Token(usize::MAX);
/// Stop reading from a client while this much of its echo waits to be written.
const HIGH_WATER: usize = 256 * 1024;

/// One client: its socket, the echo not yet written, and what we asked for.
struct Connection {
    stream: MioStream,
    pending: Vec<u8>,
    interest: Interest,
    eof: bool,
}

/// The system call mio waits in, as this binary was built.
fn backend() -> &'static str {
    if cfg!(mio_unsupported_force_poll_poll) {
        "poll(2)"
    } else if cfg!(any(target_os = "linux", target_os = "android", target_os = "illumos")) {
        "epoll"
    } else if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd",
        target_os = "dragonfly"
    )) {
        "kqueue"
    } else if cfg!(windows) {
        "IOCP"
    } else {
        "poll(2)"
    }
}

fn run_mio(address: SocketAddr) -> io::Result<()> {
    let mut listener = MioListener::bind(address)?;
    println!("listening on {}", listener.local_addr()?);
    eprintln!("echo-bench: one mio event loop on {}", backend());

    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(1024);
    poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;
    let mut connections: HashMap<Token, Connection> = HashMap::new();
    let mut next_token = 0;
    // One read buffer for every client: it is emptied into `pending` at once.
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match poll.poll(&mut events, None) {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            other => other?,
        }
        for event in events.iter() {
            if event.token() == LISTENER {
                // Accept until WouldBlock: one event may stand for many clients.
                loop {
                    let mut stream = match listener.accept() {
                        Ok((stream, _)) => stream,
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        // Out of descriptors, or a client that reset while
                        // queued: it concerns one client, not the server.
                        Err(e) => {
                            eprintln!("echo-bench: accept failed: {e}");
                            break;
                        }
                    };
                    stream.set_nodelay(true)?;
                    let token = Token(next_token);
                    next_token += 1;
                    poll.registry().register(&mut stream, token, Interest::READABLE)?;
                    let connection =
                        Connection { stream, pending: Vec::new(), interest: Interest::READABLE, eof: false };
                    connections.insert(token, connection);
                }
                continue;
            }
            let token = event.token();
            let Some(connection) = connections.get_mut(&token) else { continue };
            // A failed reregister ends this one connection, not the server.
            // (mio's poll(2) backend forgets a socket by itself once poll
            // reports POLLHUP or POLLERR on it, and then says NotFound.)
            let keep =
                connection.serve(&mut buf) && connection.update_interest(poll.registry(), token).is_ok();
            if !keep {
                let mut gone = connections.remove(&token).expect("just used");
                // Same here: on poll(2) it may already be gone. Dropping the
                // stream closes the socket either way.
                let _ = poll.registry().deregister(&mut gone.stream);
            }
        }
    }
}

impl Connection {
    // ANCHOR: serve
    /// Reads what has arrived and writes what it can. False when it is over.
    fn serve(&mut self, buf: &mut [u8]) -> bool {
        loop {
            // Read until WouldBlock: mio's events are edge-triggered, and an
            // event we do not drain now will not be repeated. But stop early
            // once enough echo waits, and leave the rest in the kernel.
            let mut drained = self.eof;
            while !self.eof && self.pending.len() < HIGH_WATER {
                match self.stream.read(buf) {
                    Ok(0) => {
                        self.eof = true;
                        drained = true;
                    }
                    Ok(n) => self.pending.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        drained = true;
                        break;
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => return false,
                }
            }
            // Write until done or WouldBlock; keep the rest for WRITABLE.
            let mut blocked = false;
            while !self.pending.is_empty() {
                match self.stream.write(&self.pending) {
                    Ok(n) => {
                        self.pending.drain(..n);
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        blocked = true;
                        break;
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => return false,
                }
            }
            // Sleep in poll only when an event will wake us: the input is
            // drained (READABLE comes with new bytes) or the output is stuck
            // (WRITABLE comes with room, and then we read again). If we
            // stopped reading at HIGH_WATER and then wrote it all, no event
            // will ever come for the bytes still unread: go round again.
            if drained || blocked {
                return !(self.eof && self.pending.is_empty());
            }
        }
    }
    // ANCHOR_END: serve

    /// READABLE while we want input, WRITABLE while output waits.
    fn update_interest(&mut self, registry: &Registry, token: Token) -> io::Result<()> {
        let read = !self.eof && self.pending.len() < HIGH_WATER;
        let wanted = match (read, !self.pending.is_empty()) {
            (true, true) => Interest::READABLE | Interest::WRITABLE,
            (false, true) => Interest::WRITABLE,
            _ => Interest::READABLE,
        };
        if wanted != self.interest {
            registry.reregister(&mut self.stream, token, wanted)?;
            self.interest = wanted;
        }
        Ok(())
    }
}
