//! The wire format and the plumbing around it. This file is provided: you do
//! not need to change it (but do read it, it is short).
//!
//! Everything on the wire is a *frame*: a 4-byte big-endian length, then that
//! many bytes of payload (the same design as the `framing` exercise).
//!
//! * A **request** is one frame. Its payload is the command's argv, UTF-8
//!   strings separated by single NUL bytes, with no NUL at the end:
//!   `echo\0hello world` is `["echo", "hello world"]`.
//! * A **reply** is three frames, always in this order:
//!   1. the status, as ASCII text: `exit N` (the command exited with code N),
//!      `signal N` (a signal the server did not send ended it), `timeout`
//!      (killed at the time limit), `output-limit` (killed for printing too
//!      much), `refused` (not run; the reason is in the third frame) or
//!      `busy` (too many clients right now; try again later);
//!   2. what the command wrote on stdout (at most [`MAX_OUTPUT`] bytes);
//!   3. what it wrote on stderr (at most [`MAX_OUTPUT`] bytes), or the
//!      reason for a refusal.
//!
//! A connection carries one request and one reply; then the server closes it.

use std::fmt;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::time::Duration;

/// The largest request payload the server accepts, in bytes.
pub const MAX_REQUEST: usize = 64 * 1024;
/// The most bytes kept from each of stdout and stderr.
pub const MAX_OUTPUT: usize = 64 * 1024;

// ANCHOR: read_frame
/// Reads one frame whose payload may be at most `max` bytes.
///
/// The length is checked *before* anything is allocated: a client that
/// announces 4 GiB gets an `InvalidData` error, not 4 GiB of your memory.
pub fn read_frame(reader: &mut impl Read, max: usize) -> io::Result<Vec<u8>> {
    let mut header = [0u8; 4];
    reader.read_exact(&mut header)?;
    let len = u32::from_be_bytes(header) as usize;
    if len > max {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            format!("a frame of {len} bytes is over the limit of {max} bytes"),
        ));
    }
    let mut payload = vec![0u8; len];
    reader.read_exact(&mut payload)?;
    Ok(payload)
}

// ANCHOR_END: read_frame

/// Writes one frame: the length of `payload`, then `payload`.
pub fn write_frame(writer: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len())
        .map_err(|_| io::Error::new(ErrorKind::InvalidInput, "a frame payload must fit in 4 GiB"))?;
    // One buffer, one write_all: header and payload leave together.
    let mut frame = Vec::with_capacity(4 + payload.len());
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(payload);
    writer.write_all(&frame)
}

// ANCHOR: status
/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The command exited by itself with this code.
    Exited(i32),
    /// A signal the server did not send ended the command.
    Signalled(i32),
    /// The command ran past the time limit and was killed.
    TimedOut,
    /// The command printed more than `MAX_OUTPUT` bytes and was killed.
    OutputLimit,
    /// The request was not run (the reason travels in the stderr frame).
    Refused,
    /// Too many clients at once; the request was not read.
    Busy,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Exited(code) => write!(f, "exit {code}"),
            Status::Signalled(signal) => write!(f, "signal {signal}"),
            Status::TimedOut => f.write_str("timeout"),
            Status::OutputLimit => f.write_str("output-limit"),
            Status::Refused => f.write_str("refused"),
            Status::Busy => f.write_str("busy"),
        }
    }
}

// ANCHOR_END: status

/// A reply: a status and the captured output.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Reply {
    /// A refusal, with the reason for the client to read.
    pub fn refused(reason: impl fmt::Display) -> Reply {
        Reply { status: Status::Refused, stdout: Vec::new(), stderr: reason.to_string().into_bytes() }
    }

    /// The reply for a client that arrives when the server is full.
    pub fn busy() -> Reply {
        Reply {
            status: Status::Busy,
            stdout: Vec::new(),
            stderr: b"too many clients; try again later".to_vec(),
        }
    }

    /// Sends the reply as its three frames.
    pub fn write_to(&self, writer: &mut impl Write) -> io::Result<()> {
        write_frame(writer, self.status.to_string().as_bytes())?;
        write_frame(writer, &self.stdout)?;
        write_frame(writer, &self.stderr)?;
        writer.flush()
    }
}

/// A listening socket of either family, so that the rest of the server does
/// not care which one it was given.
#[derive(Debug)]
pub enum Listener {
    Unix(UnixListener),
    Tcp(TcpListener),
}

/// One accepted client connection, over either family.
#[derive(Debug)]
pub enum Connection {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Listener {
    /// Waits for the next client.
    pub fn accept(&self) -> io::Result<Connection> {
        match self {
            Listener::Unix(listener) => listener.accept().map(|(stream, _)| Connection::Unix(stream)),
            Listener::Tcp(listener) => listener.accept().map(|(stream, _)| Connection::Tcp(stream)),
        }
    }
}

impl Connection {
    /// A deadline for every `read` (None: wait forever).
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Connection::Unix(stream) => stream.set_read_timeout(timeout),
            Connection::Tcp(stream) => stream.set_read_timeout(timeout),
        }
    }

    /// A deadline for every `write` (None: wait forever).
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Connection::Unix(stream) => stream.set_write_timeout(timeout),
            Connection::Tcp(stream) => stream.set_write_timeout(timeout),
        }
    }
}

impl Read for Connection {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Connection::Unix(stream) => stream.read(buf),
            Connection::Tcp(stream) => stream.read(buf),
        }
    }
}

impl Write for Connection {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Connection::Unix(stream) => stream.write(buf),
            Connection::Tcp(stream) => stream.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Connection::Unix(stream) => stream.flush(),
            Connection::Tcp(stream) => stream.flush(),
        }
    }
}
