//! An echo server on one thread with mio, and a `main` that plays three
//! clients against it: one line, one byte at a time, and 4 MiB that the
//! client reads back only while it is still sending. The server keeps what a
//! partial write left over, asks for WRITABLE only while it has something to
//! write, and stops reading from a client whose echo is piling up.
//!
//! Run: `cargo run -p demos --example multiplexing_echo`

use mio::event::Event;
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Registry, Token};
use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::thread;
use std::time::Duration;

const LISTENER: Token = Token(0);
/// Stop reading from a client while this much of its echo waits to be written.
const HIGH_WATER: usize = 256 * 1024;

// ANCHOR: connection
/// One client: its socket, the echo not yet written, and what we asked `poll` for.
struct Connection {
    stream: TcpStream,
    pending: Vec<u8>,
    interest: Interest,
    /// The last read said WouldBlock: nothing more until the next READABLE event.
    drained: bool,
    /// The client half-closed: finish writing, then close.
    eof: bool,
}
// ANCHOR_END: connection

#[derive(Debug, Default)]
struct Stats {
    events: u64,
    readable: u64,
    writable: u64,
    short_writes: u64,
}

// ANCHOR: event_loop
/// Serves until `clients` connections have come and gone.
fn serve(mut listener: TcpListener, clients: usize) -> io::Result<Stats> {
    // One Poll (an epoll instance on Linux, kqueue on macOS) and room for
    // up to 128 events per wait.
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(128);
    // Tell the kernel: wake us when the listener has a connection waiting.
    poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;

    let mut connections: HashMap<Token, Connection> = HashMap::new();
    let mut next_token = 1;
    let mut finished = 0;
    let mut stats = Stats::default();
    while finished < clients {
        // Sleep until something is ready. No timeout: we have nothing else to do.
        match poll.poll(&mut events, None) {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            other => other?,
        }
        for event in events.iter() {
            stats.events += 1;
            if event.token() == LISTENER {
                // Accept until WouldBlock: one event may stand for many
                // waiting connections, and it will not be repeated.
                loop {
                    let mut stream = match listener.accept() {
                        Ok((stream, _)) => stream,
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) => return Err(e),
                    };
                    let token = Token(next_token);
                    next_token += 1;
                    poll.registry().register(&mut stream, token, Interest::READABLE)?;
                    let connection = Connection {
                        stream,
                        pending: Vec::new(),
                        interest: Interest::READABLE,
                        drained: false,
                        eof: false,
                    };
                    connections.insert(token, connection);
                }
                continue;
            }
            // An event for a client. It may be stale or spurious: handle()
            // copes with "nothing to do after all".
            let token = event.token();
            let Some(connection) = connections.get_mut(&token) else { continue };
            if !connection.handle(event, &mut stats) {
                let mut gone = connections.remove(&token).expect("just used");
                poll.registry().deregister(&mut gone.stream)?;
                finished += 1;
            } else if let Err(e) = connection.update_interest(poll.registry(), token) {
                eprintln!("reregister failed: {e}");
            }
        }
    }
    Ok(stats)
}
// ANCHOR_END: event_loop

impl Connection {
    // ANCHOR: handle
    /// Does what the event allows. Returns false when the connection is over.
    fn handle(&mut self, event: &Event, stats: &mut Stats) -> bool {
        if event.is_readable() {
            stats.readable += 1;
            // New bytes may be waiting (or not: events can be spurious).
            self.drained = false;
        }
        if event.is_writable() {
            stats.writable += 1;
        }
        loop {
            // Read until WouldBlock, or until enough echo is waiting: then
            // stop, and leave the rest in the kernel until we catch up.
            let mut buf = [0u8; 16 * 1024];
            while !self.drained && !self.eof && self.pending.len() < HIGH_WATER {
                match self.stream.read(&mut buf) {
                    Ok(0) => self.eof = true,
                    Ok(n) => self.pending.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => self.drained = true,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => return false,
                }
            }
            // Write now, whatever the event was: usually the socket has room.
            while !self.pending.is_empty() {
                match self.stream.write(&self.pending) {
                    Ok(n) => {
                        if n < self.pending.len() {
                            stats.short_writes += 1;
                        }
                        // Keep what the socket did not take, for the next WRITABLE event.
                        self.pending.drain(..n);
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => return false,
                }
            }
            // If we stopped reading early and writing made room, read again
            // now: no new event will announce bytes that were already waiting.
            if self.drained || self.eof || self.pending.len() >= HIGH_WATER {
                break;
            }
        }
        // Done when the client has finished sending and has all its echo.
        !(self.eof && self.pending.is_empty())
    }
    // ANCHOR_END: handle

    // ANCHOR: interest
    /// READABLE while we want input, WRITABLE while output waits, and tell
    /// the kernel only when that changes.
    fn update_interest(&mut self, registry: &Registry, token: Token) -> io::Result<()> {
        let read = !self.eof && self.pending.len() < HIGH_WATER;
        let write = !self.pending.is_empty();
        let wanted = match (read, write) {
            (true, true) => Interest::READABLE | Interest::WRITABLE,
            (false, true) => Interest::WRITABLE,
            // Nothing to write and nothing more to read cannot last: the
            // connection closes. Until then, READABLE notices a reset.
            _ => Interest::READABLE,
        };
        if wanted != self.interest {
            registry.reregister(&mut self.stream, token, wanted)?;
            self.interest = wanted;
        }
        Ok(())
    }
    // ANCHOR_END: interest
}

/// The clients, played by ordinary blocking sockets on other threads.
fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0".parse().expect("an address"))?;
    let address = listener.local_addr()?;
    println!("echo server on {address}: one thread, mio");
    let server = thread::spawn(move || serve(listener, 3));

    // 1. One line.
    let mut client = std::net::TcpStream::connect(address)?;
    client.write_all(b"hello, mio\n")?;
    let mut line = [0u8; 11];
    client.read_exact(&mut line)?;
    println!("client 1 got back {:?}", String::from_utf8_lossy(&line));
    drop(client);

    // 2. One byte per write.
    let mut client = std::net::TcpStream::connect(address)?;
    client.set_nodelay(true)?;
    for &byte in b"byte by byte\n" {
        client.write_all(&[byte])?;
        thread::sleep(Duration::from_millis(2));
    }
    client.shutdown(std::net::Shutdown::Write)?;
    let mut echo = Vec::new();
    client.read_to_end(&mut echo)?;
    println!("client 2 got back {:?}", String::from_utf8_lossy(&echo));

    // 3. 4 MiB, read back only after a pause, while still sending. A small
    //    receive buffer (SO_RCVBUF) on this client makes the server's writes
    //    come up short, as they would over a slow network.
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    socket.set_recv_buffer_size(32 * 1024)?;
    socket.connect(&address.into())?;
    let client: std::net::TcpStream = socket.into();
    let payload: Vec<u8> = (0..4 << 20).map(|i: u32| (i % 251) as u8).collect();
    let mut writer = client.try_clone()?;
    let sent = payload.clone();
    let sender = thread::spawn(move || -> io::Result<()> {
        writer.write_all(&sent)?;
        writer.shutdown(std::net::Shutdown::Write)
    });
    thread::sleep(Duration::from_millis(300));
    let mut echo = Vec::new();
    (&client).read_to_end(&mut echo)?;
    sender.join().expect("sender thread")?;
    println!(
        "client 3 sent {} bytes and got {} back, identical: {}",
        payload.len(),
        echo.len(),
        echo == payload
    );

    let stats = server.join().expect("server thread")?;
    println!("server: {stats:?}");
    Ok(())
}
