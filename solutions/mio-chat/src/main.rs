//! Model answer for `mio-chat`: a single-threaded chat server on mio.
//!
//! One thread, one `Poll`, one `Token` per client. Every socket is
//! non-blocking: the loop waits in `poll` until the kernel says some socket
//! is ready, does what it can without blocking, and goes back to waiting.

use mio::event::Event;
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Registry, Token};
use std::collections::{BTreeSet, HashMap};
use std::io::{self, ErrorKind, Read, Write};
use std::net::SocketAddr;

/// The listening socket's token; clients count up from 1.
const LISTENER: Token = Token(0);
/// The longest line a client may send, not counting its `\n`.
const MAX_LINE: usize = 1024;
/// The most output a client may have waiting before we give up on it.
const MAX_OUTPUT: usize = 64 * 1024;

fn main() -> io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:7879".to_string());
    let address: SocketAddr =
        address.parse().map_err(|e| io::Error::new(ErrorKind::InvalidInput, format!("{address}: {e}")))?;
    let listener = TcpListener::bind(address)?;
    println!("listening on {}", listener.local_addr()?);
    serve(listener)
}

/// One connected client.
struct Client {
    stream: TcpStream,
    name: String,
    /// The start of a line whose `\n` has not arrived yet.
    input: Vec<u8>,
    /// Bytes waiting for the socket to accept them.
    output: Vec<u8>,
    /// Whether we asked `poll` for WRITABLE events on this client.
    wants_writable: bool,
    /// Set when the client must go: it hung up, failed, or broke a rule.
    gone: bool,
}

/// Everyone in the chat room.
struct Chat {
    clients: HashMap<Token, Client>,
    /// Clients with output queued or marked gone since the last tidy.
    pending: BTreeSet<Token>,
    next_token: usize,
    next_guest: usize,
}

// ANCHOR: event_loop
fn serve(mut listener: TcpListener) -> io::Result<()> {
    let mut poll = Poll::new()?;
    // The listener becomes "readable" when a connection waits in its backlog.
    poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;
    let mut chat = Chat { clients: HashMap::new(), pending: BTreeSet::new(), next_token: 1, next_guest: 1 };
    let mut events = Events::with_capacity(1024);
    loop {
        // Sleep until at least one socket is ready. A signal may cut the wait short.
        if let Err(e) = poll.poll(&mut events, None) {
            if e.kind() == ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        for event in events.iter() {
            match event.token() {
                LISTENER => chat.accept_all(&listener, poll.registry()),
                token => chat.handle(token, event),
            }
        }
        // The events above queued lines for other clients: write what their
        // sockets will take now, and drop the clients that must go.
        chat.tidy(poll.registry());
    }
}
// ANCHOR_END: event_loop

impl Chat {
    // ANCHOR: accept
    /// Accepts every waiting connection. The listener is not reported again
    /// for connections that were already waiting, so accept until `WouldBlock`.
    fn accept_all(&mut self, listener: &TcpListener, registry: &Registry) {
        loop {
            let mut stream = match listener.accept() {
                Ok((stream, _peer)) => stream,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                // Out of file descriptors, say: report it and serve the
                // clients we have. (The waiting connection is accepted when
                // the next one arrives.)
                Err(e) => {
                    eprintln!("accept failed: {e}");
                    return;
                }
            };
            let token = Token(self.next_token);
            self.next_token += 1;
            // Only READABLE for now: WRITABLE is asked for when output waits.
            if let Err(e) = registry.register(&mut stream, token, Interest::READABLE) {
                eprintln!("register failed: {e}");
                continue;
            }
            let name = format!("guest{}", self.next_guest);
            self.next_guest += 1;
            let client = Client {
                stream,
                name: name.clone(),
                input: Vec::new(),
                output: Vec::new(),
                wants_writable: false,
                gone: false,
            };
            self.clients.insert(token, client);
            self.send_to(token, format!("* you are {name}\n").as_bytes());
            self.send_to_others(token, format!("* {name} joined\n").as_bytes());
        }
    }
    // ANCHOR_END: accept

    /// One event for one client.
    fn handle(&mut self, token: Token, event: &Event) {
        // Events may be spurious: every operation below copes with "not
        // ready after all" (WouldBlock).
        if event.is_readable() {
            self.read_from(token);
        }
        if event.is_writable()
            && let Some(client) = self.clients.get_mut(&token)
        {
            client.flush();
        }
        self.pending.insert(token);
    }

    // ANCHOR: read
    /// Reads everything the client sent, until `WouldBlock`, handling each
    /// complete line. Stopping earlier would leave bytes in the socket that
    /// no new event announces.
    fn read_from(&mut self, token: Token) {
        let mut buf = [0u8; 4096];
        loop {
            let Some(client) = self.clients.get_mut(&token) else { return };
            if client.gone {
                return;
            }
            match client.stream.read(&mut buf) {
                // EOF: the client hung up. A last line without `\n` is dropped.
                Ok(0) => client.gone = true,
                Ok(n) => client.input.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                // Reset mid-line, or any other failure: this client is gone.
                Err(_) => client.gone = true,
            }
            // Handle complete lines now, so that `input` never holds more
            // than one unfinished line and one read.
            while let Some(line) = self.next_line(token) {
                self.line(token, &line);
            }
        }
    }

    /// Takes the next complete line (without its `\n`) out of a client's
    /// input, and disconnects a client whose line is longer than MAX_LINE.
    fn next_line(&mut self, token: Token) -> Option<Vec<u8>> {
        let client = self.clients.get_mut(&token)?;
        if client.gone {
            return None;
        }
        let too_long = match client.input.iter().position(|&b| b == b'\n') {
            Some(end) if end <= MAX_LINE => return Some(client.input.drain(..=end).take(end).collect()),
            Some(_) => true,
            None => client.input.len() > MAX_LINE,
        };
        if too_long {
            client.output.extend_from_slice(b"* error: line too long\n");
            client.gone = true;
        }
        None
    }
    // ANCHOR_END: read

    /// One complete line from a client, without its `\n`.
    fn line(&mut self, token: Token, line: &[u8]) {
        if let Some(new_name) = line.strip_prefix(b"/nick ") {
            if !valid_name(new_name) {
                self.send_to(token, b"* error: a name is 1 to 32 letters, digits, '-' or '_'\n");
                return;
            }
            let new_name = String::from_utf8_lossy(new_name).into_owned();
            let Some(client) = self.clients.get_mut(&token) else { return };
            let old_name = std::mem::replace(&mut client.name, new_name.clone());
            let notice = format!("* {old_name} is now {new_name}\n");
            self.send_to(token, notice.as_bytes());
            self.send_to_others(token, notice.as_bytes());
            return;
        }
        let Some(client) = self.clients.get(&token) else { return };
        let mut message = Vec::with_capacity(client.name.len() + 2 + line.len() + 1);
        message.extend_from_slice(client.name.as_bytes());
        message.extend_from_slice(b": ");
        message.extend_from_slice(line);
        message.push(b'\n');
        self.send_to_others(token, &message);
    }

    // ANCHOR: queue
    /// Queues bytes for one client, to be written when we tidy up.
    fn send_to(&mut self, token: Token, bytes: &[u8]) {
        if let Some(client) = self.clients.get_mut(&token) {
            client.queue(bytes);
            self.pending.insert(token);
        }
    }

    /// Queues bytes for every client except `from`.
    fn send_to_others(&mut self, from: Token, bytes: &[u8]) {
        for (&token, client) in &mut self.clients {
            if token != from {
                client.queue(bytes);
                self.pending.insert(token);
            }
        }
    }
    // ANCHOR_END: queue

    // ANCHOR: tidy
    /// Visits the clients that had events or got output: writes what their
    /// sockets take, asks for WRITABLE only while output is left, and removes
    /// the clients that are gone (telling the others, who become pending too).
    fn tidy(&mut self, registry: &Registry) {
        while let Some(token) = self.pending.pop_first() {
            let Some(client) = self.clients.get_mut(&token) else { continue };
            client.flush();
            if client.gone {
                let Some(mut client) = self.clients.remove(&token) else { continue };
                // Deregister before the socket closes (when `client` drops).
                let _ = registry.deregister(&mut client.stream);
                self.send_to_others(token, format!("* {} left\n", client.name).as_bytes());
                continue;
            }
            // WRITABLE while output waits, and only then: a socket with room
            // in its send buffer is writable nearly all the time, so asking
            // for it with nothing to write only wakes us for nothing.
            let wants_writable = !client.output.is_empty();
            if wants_writable != client.wants_writable {
                let interest =
                    if wants_writable { Interest::READABLE | Interest::WRITABLE } else { Interest::READABLE };
                match registry.reregister(&mut client.stream, token, interest) {
                    Ok(()) => client.wants_writable = wants_writable,
                    Err(_) => {
                        client.gone = true;
                        self.pending.insert(token);
                    }
                }
            }
        }
    }
    // ANCHOR_END: tidy
}

impl Client {
    /// Appends to the output queue. A client whose queue would pass
    /// MAX_OUTPUT is not reading: disconnect it rather than hold ever more
    /// memory for it (and never wait for it).
    fn queue(&mut self, bytes: &[u8]) {
        if self.gone {
            return;
        }
        if self.output.len() + bytes.len() > MAX_OUTPUT {
            self.gone = true;
            return;
        }
        self.output.extend_from_slice(bytes);
    }

    // ANCHOR: flush
    /// Writes as much queued output as the socket takes. A partial write is
    /// normal: the rest stays queued for the next WRITABLE event.
    fn flush(&mut self) {
        while !self.output.is_empty() {
            match self.stream.write(&self.output) {
                // A socket that takes nothing and reports no error is dead.
                Ok(0) => {
                    self.gone = true;
                    return;
                }
                Ok(n) => {
                    self.output.drain(..n);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                // Broken pipe, reset: the client is gone.
                Err(_) => {
                    self.gone = true;
                    return;
                }
            }
        }
        // All written. An idle client should cost little memory: give a
        // big empty buffer back.
        if self.output.capacity() > 4096 {
            self.output = Vec::new();
        }
    }
    // ANCHOR_END: flush
}

/// 1 to 32 ASCII letters, digits, `-` or `_`.
fn valid_name(name: &[u8]) -> bool {
    (1..=32).contains(&name.len())
        && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
