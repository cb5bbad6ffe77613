//! A patient, observant TCP client for tests.
//!
//! Every read and write has a deadline, everything sent is remembered for the
//! failure report, and the client can play the adversarial peers that real
//! networks produce: byte-at-a-time senders, bulk senders, half-closers and
//! resetters.

use crate::escape::{count, show};
use crate::failure::Failure;
use crate::stage::Stage;
use socket2::SockRef;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

/// How long any single wait for the peer may take before the test says so.
pub const PATIENCE: Duration = Duration::from_secs(5);
/// How much of what was sent the report quotes (the end of it).
const REMEMBER: usize = 4096;

/// Connects to `addr`, retrying refused connections every 10 ms until
/// `within` has passed. For programs that do not announce when they are ready.
pub fn connect_with_retry(addr: SocketAddr, within: Duration) -> io::Result<TcpStream> {
    let deadline = Instant::now() + within;
    loop {
        match TcpStream::connect_timeout(&addr, PATIENCE) {
            Ok(stream) => return Ok(stream),
            Err(e) if e.kind() == ErrorKind::ConnectionRefused && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(e),
        }
    }
}

/// How a read that wanted more bytes ended.
#[derive(Debug)]
enum End {
    Complete,
    Eof,
    TimedOut(Duration),
    Failed(io::Error),
}

impl End {
    /// What arrived and how the read ended, as one phrase.
    fn received(&self, got: &[u8]) -> String {
        match self {
            End::TimedOut(waited) if got.is_empty() => {
                format!("nothing arrived within {:.1} s", waited.as_secs_f32())
            }
            End::Eof if got.is_empty() => "nothing; the server closed the connection (EOF)".to_string(),
            _ => format!("{} {}", show(got), self.describe()),
        }
    }

    fn describe(&self) -> String {
        match self {
            End::Complete => "everything expected arrived".to_string(),
            End::Eof => "then the server closed the connection (EOF)".to_string(),
            End::TimedOut(waited) => format!("then nothing more for {:.1} s", waited.as_secs_f32()),
            End::Failed(e) => format!("then the read failed: {e} ({:?})", e.kind()),
        }
    }
}

/// A test client connection. Created by [`crate::Server::connect`] or [`Client::connect`].
pub struct Client {
    stage: Stage,
    stream: TcpStream,
    label: String,
    sent_tail: Vec<u8>,
    sent_total: usize,
    /// A send that failed part-way (in `trickle`), reported by the next expectation.
    send_error: Option<io::Error>,
    patience: Duration,
}

impl Client {
    /// Connects to `addr`, retrying refusals for up to [`PATIENCE`] (for
    /// programs that do not announce when they are ready).
    #[track_caller]
    pub fn connect(stage: &Stage, addr: SocketAddr) -> Client {
        Client::open(stage, addr, PATIENCE)
    }

    /// Connects once, without retrying: for a server that already announced
    /// its address and so must be accepting.
    #[track_caller]
    pub fn connect_now(stage: &Stage, addr: SocketAddr) -> Client {
        Client::open(stage, addr, Duration::ZERO)
    }

    #[track_caller]
    fn open(stage: &Stage, addr: SocketAddr, retry_for: Duration) -> Client {
        stage.step(format!("connecting to {addr}"));
        match connect_with_retry(addr, retry_for) {
            Ok(stream) => Client::from_stream(stage, stream, &format!("client on {addr}")),
            Err(e) => stage.fail(
                Failure::new(format!("could not connect to {addr}"))
                    .detail("error", format!("{e} ({:?})", e.kind()))
                    .hint(
                        "the server announced this address but nothing accepts connections there. \
                         Is the listener still alive (not dropped, the process not exited)?",
                    ),
            ),
        }
    }

    /// Wraps a connected stream (for example one from an `accept`).
    pub fn from_stream(stage: &Stage, stream: TcpStream, label: &str) -> Client {
        let client = Client {
            stage: stage.clone(),
            stream,
            label: label.to_string(),
            sent_tail: Vec::new(),
            sent_total: 0,
            send_error: None,
            patience: PATIENCE,
        };
        client.set_patience(PATIENCE);
        client
    }

    /// Names this client in failure reports ("client 3 of 10").
    pub fn with_label(mut self, label: impl Into<String>) -> Client {
        self.label = label.into();
        self
    }

    /// Changes how long a single wait may take (default [`PATIENCE`]).
    pub fn set_patience(&self, patience: Duration) {
        self.stream.set_read_timeout(Some(patience)).expect("set_read_timeout");
        self.stream.set_write_timeout(Some(patience)).expect("set_write_timeout");
    }

    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.stream.local_addr().expect("local_addr")
    }

    /// Sends all of `bytes`.
    #[track_caller]
    pub fn send(&mut self, bytes: &[u8]) {
        self.stage.step(format!("{} sending {}", self.label, show(bytes)));
        if let Err(e) = self.stream.write_all(bytes) {
            self.fail_io("could not send", bytes, e);
        }
        self.remember(bytes);
    }

    /// Sends `bytes` one byte per write, with Nagle's algorithm off and a
    /// pause after each byte, so that they really arrive one at a time.
    /// A server that treats one `read` as one message fails this. If the
    /// server closes the connection part-way, the trickle stops and the next
    /// expectation reports it along with what did come back.
    pub fn trickle(&mut self, bytes: &[u8], pause: Duration) {
        self.stage.step(format!("{} trickling {} one byte at a time", self.label, show(bytes)));
        self.stream.set_nodelay(true).expect("set_nodelay");
        for &byte in bytes {
            if let Err(e) = self.stream.write_all(&[byte]) {
                self.send_error = Some(e);
                return;
            }
            self.remember(&[byte]);
            thread::sleep(pause);
        }
        self.stream.set_nodelay(false).expect("set_nodelay");
    }

    /// Reads exactly `expected.len()` bytes and fails, showing the bytes,
    /// unless they equal `expected`.
    #[track_caller]
    pub fn expect(&mut self, expected: &[u8], hint: &str) {
        self.stage.step(format!("{} waiting to receive {}", self.label, show(expected)));
        let (got, end) = self.read_up_to(expected.len());
        if got != expected {
            let problem = match end {
                End::Complete => "the bytes that arrived are not the expected ones".to_string(),
                _ => format!("{} of the expected {} arrived", count(got.len()), count(expected.len())),
            };
            let mut failure = Failure::new(problem)
                .detail("connection", self.label.clone())
                .detail("sent", self.sent_description())
                .detail("expected", show(expected))
                .detail("received", end.received(&got));
            if let Some(e) = &self.send_error {
                failure = failure.detail(
                    "sending failed",
                    format!("after {}: {e} ({:?})", count(self.sent_total), e.kind()),
                );
            }
            if let Some(at) = got.iter().zip(expected).position(|(a, b)| a != b) {
                let from = at.saturating_sub(16);
                failure = failure.detail(
                    "first difference",
                    format!(
                        "at byte {at}: expected {} but got {}",
                        show(&expected[from..(at + 16).min(expected.len())]),
                        show(&got[from..(at + 16).min(got.len())])
                    ),
                );
            }
            self.stage.fail(failure.hint(hint));
        }
    }

    /// Reads whatever arrives until `n` bytes, EOF, an error or a timeout.
    /// For tests that inspect the reply themselves.
    pub fn receive(&mut self, n: usize) -> Vec<u8> {
        self.stage.step(format!("{} waiting to receive {}", self.label, count(n)));
        self.read_up_to(n).0
    }

    /// Expects the peer to close the connection (a read returning 0) without
    /// sending anything more.
    #[track_caller]
    pub fn expect_eof(&mut self, hint: &str) {
        self.stage.step(format!("{} waiting for the server to close the connection", self.label));
        let mut buf = [0u8; 1024];
        match self.stream.read(&mut buf) {
            Ok(0) => {}
            Ok(n) => self.stage.fail(
                Failure::new("expected the connection to close, but more bytes arrived")
                    .detail("connection", self.label.clone())
                    .detail("sent", self.sent_description())
                    .detail("extra bytes", show(&buf[..n]))
                    .hint(hint),
            ),
            Err(e) if is_timeout(&e) => self.stage.fail(
                Failure::new(format!(
                    "expected the connection to close, but it stayed open for {:.1} s",
                    self.patience.as_secs_f32()
                ))
                .detail("connection", self.label.clone())
                .detail("sent", self.sent_description())
                .hint(hint),
            ),
            // A reset instead of a FIN is still "closed", only rudely; the
            // tests that care look for it explicitly.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
            Err(e) => self.fail_io("expected the connection to close", b"", e),
        }
    }

    /// Expects the connection to stay open and silent for `quiet`: no bytes,
    /// no EOF. Proves a server accepted and is waiting, not closing.
    #[track_caller]
    pub fn expect_open(&mut self, quiet: Duration, hint: &str) {
        self.stage.step(format!("{} checking the connection stays open", self.label));
        self.stream.set_read_timeout(Some(quiet)).expect("set_read_timeout");
        let mut buf = [0u8; 1024];
        let result = self.stream.read(&mut buf);
        self.set_patience(self.patience);
        let problem = match result {
            Err(e) if is_timeout(&e) => return,
            Ok(0) => "the server closed the connection right away (EOF)".to_string(),
            Ok(n) => format!("the server sent {} without being asked", show(&buf[..n])),
            Err(e) => format!("the connection failed: {e} ({:?})", e.kind()),
        };
        self.stage.fail(Failure::new(problem).detail("connection", self.label.clone()).hint(hint));
    }

    /// Half-closes: no more bytes from us (the peer reads EOF), but we keep
    /// reading what it sends.
    #[track_caller]
    pub fn shutdown_write(&mut self) {
        self.stage.step(format!("{} half-closing (shutdown(Write))", self.label));
        if let Err(e) = self.stream.shutdown(Shutdown::Write) {
            self.fail_io("could not half-close", b"", e);
        }
    }

    /// Closes abruptly: SO_LINGER 0 makes the close send a TCP RST instead
    /// of a FIN, and any unread data is thrown away. The peer's next read or
    /// write fails with "connection reset by peer" (or "broken pipe").
    pub fn reset(self) {
        self.stage.step(format!("{} resetting the connection", self.label));
        // Failing to set linger only makes this an ordinary close.
        let _ = SockRef::from(&self.stream).set_linger(Some(Duration::ZERO));
        drop(self.stream);
    }

    /// Writes `total` bytes of [`crate::pattern`] without reading anything,
    /// stopping early if the peer stops accepting bytes for `stall`.
    /// Returns how many bytes went in. Fills the server's buffers to expose
    /// servers that block forever on a full socket buffer.
    pub fn flood(&mut self, total: usize, stall: Duration) -> usize {
        self.stage.step(format!("{} sending {} without reading", self.label, count(total)));
        self.stream.set_write_timeout(Some(stall)).expect("set_write_timeout");
        let payload = crate::pattern(total);
        let mut written = 0;
        while written < total {
            match self.stream.write(&payload[written..(written + 64 * 1024).min(total)]) {
                Ok(n) => written += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        self.sent_total += written;
        self.set_patience(self.patience);
        written
    }

    /// Sends `payload` from a second thread while this one reads, and checks
    /// that the bytes read equal `expected_back`. Fails if the peer stops
    /// making progress for [`PATIENCE`]: the classic sign of a server that
    /// waits for the whole input before replying.
    #[track_caller]
    pub fn send_while_receiving(&mut self, payload: &[u8], expected_back: &[u8], hint: &str) {
        self.stage.step(format!(
            "{} streaming {} while reading the reply at the same time",
            self.label,
            count(payload.len())
        ));
        let writer_stream = self.stream.try_clone().expect("try_clone");
        let (got, end, writer) = thread::scope(|scope| {
            let writer = scope.spawn(move || {
                let mut stream = writer_stream;
                let mut written = 0;
                while written < payload.len() {
                    let chunk = &payload[written..(written + 64 * 1024).min(payload.len())];
                    match stream.write(chunk) {
                        Ok(n) => written += n,
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        Err(e) => return (written, Some(e)),
                    }
                }
                (written, None)
            });
            let (got, end) = self.read_up_to(expected_back.len());
            (got, end, writer.join().expect("writer thread"))
        });
        self.sent_total += writer.0;
        if got != expected_back {
            let first_difference = got.iter().zip(expected_back).position(|(a, b)| a != b);
            let mut failure = Failure::new(match first_difference {
                Some(at) => format!("the reply differs from what was expected at byte {at}"),
                None => {
                    format!("{} of the expected {} came back", count(got.len()), count(expected_back.len()))
                }
            })
            .detail("connection", self.label.clone())
            .detail(
                "sent",
                format!(
                    "{} of {} (the client was still sending while it read)",
                    count(writer.0),
                    count(payload.len())
                ),
            )
            .detail("received", format!("{} {}", count(got.len()), end.describe()));
            if let Some(e) = writer.1 {
                failure = failure.detail("sending failed", format!("{e} ({:?})", e.kind()));
            }
            if let Some(at) = first_difference {
                let from = at.saturating_sub(24);
                failure = failure
                    .detail("expected there", show(&expected_back[from..(at + 24).min(expected_back.len())]))
                    .detail("received there", show(&got[from..(at + 24).min(got.len())]));
            }
            self.stage.fail(failure.hint(hint));
        }
    }

    fn read_up_to(&mut self, n: usize) -> (Vec<u8>, End) {
        let mut got = Vec::with_capacity(n.min(1 << 24));
        let mut buf = vec![0u8; 64 * 1024];
        let end = loop {
            if got.len() >= n {
                break End::Complete;
            }
            let want = (n - got.len()).min(buf.len());
            let started = Instant::now();
            match self.stream.read(&mut buf[..want]) {
                Ok(0) => break End::Eof,
                Ok(k) => got.extend_from_slice(&buf[..k]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if is_timeout(&e) => break End::TimedOut(started.elapsed()),
                Err(e) => break End::Failed(e),
            }
        };
        (got, end)
    }

    fn remember(&mut self, bytes: &[u8]) {
        self.sent_total += bytes.len();
        self.sent_tail.extend_from_slice(bytes);
        if self.sent_tail.len() > REMEMBER {
            let cut = self.sent_tail.len() - REMEMBER;
            self.sent_tail.drain(..cut);
        }
    }

    fn sent_description(&self) -> String {
        if self.sent_total == self.sent_tail.len() {
            show(&self.sent_tail)
        } else {
            format!("{} in all, ending with {}", count(self.sent_total), show(&self.sent_tail))
        }
    }

    #[track_caller]
    fn fail_io(&self, what: &str, bytes: &[u8], e: io::Error) -> ! {
        let hint = match e.kind() {
            ErrorKind::BrokenPipe | ErrorKind::ConnectionReset => {
                "the server closed or reset the connection while the client was still talking. \
                 Does it stop after the first read, or crash?"
            }
            _ if is_timeout(&e) => {
                "the server stopped reading: its receive buffer and ours are full. A server that \
                 does not read while it has data to take in stalls its clients."
            }
            _ => "the connection failed; the server's state and stderr below may say why",
        };
        let mut failure =
            Failure::new(format!("{what}: {e} ({:?})", e.kind())).detail("connection", self.label.clone());
        if !bytes.is_empty() {
            failure = failure.detail("trying to send", show(bytes));
        }
        self.stage.fail(failure.detail("sent before", self.sent_description()).hint(hint))
    }
}

/// Read timeouts show up as WouldBlock on Unix and TimedOut on Windows.
fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}
