//! Model answer for `make-it-fail`: provoke the classic socket errors for
//! real, and diagnose any `io::Error` by its kind and errno.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// How long any step may block before we call it a bug in this file.
const PATIENCE: Duration = Duration::from_secs(3);

/// The error of an operation that must fail. Success means the setup is
/// wrong (or the machine is very unusual), which deserves a loud panic.
fn must_fail<T>(result: io::Result<T>, what: &str) -> io::Error {
    match result {
        Ok(_) => panic!("{what} succeeded, but it was supposed to fail"),
        Err(e) => e,
    }
}

// ANCHOR: refused
/// Connect to a TCP port on 127.0.0.1 where nobody is listening.
pub fn connection_refused() -> io::Error {
    // Let the kernel pick a free port, then free it again: now nothing
    // listens there, and the kernel answers our SYN with a RST.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback listener");
    let addr = listener.local_addr().expect("local_addr");
    drop(listener);
    must_fail(TcpStream::connect(addr), "connecting to a closed port")
}
// ANCHOR_END: refused

// ANCHOR: in_use
/// Bind a second listener to the address a first one is using.
pub fn address_in_use() -> io::Error {
    let first = TcpListener::bind("127.0.0.1:0").expect("bind a loopback listener");
    let addr = first.local_addr().expect("local_addr");
    // `first` is still alive (and listening) while we try.
    must_fail(TcpListener::bind(addr), "binding a port that is in use")
}
// ANCHOR_END: in_use

// ANCHOR: broken_pipe
/// Write to a stream whose other end is closed.
pub fn broken_pipe() -> io::Error {
    let (mut ours, theirs) = UnixStream::pair().expect("socketpair");
    drop(theirs);
    // No SIGPIPE kills us: Rust ignores it, and the write returns EPIPE.
    must_fail(ours.write(b"anyone there?"), "writing to a closed peer")
}
// ANCHOR_END: broken_pipe

// ANCHOR: reset
/// Read from a TCP connection that the peer aborted with a reset (RST).
pub fn connection_reset() -> io::Error {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback listener");
    let mut client = TcpStream::connect(listener.local_addr().expect("local_addr")).expect("connect");
    client.set_read_timeout(Some(PATIENCE)).expect("read timeout");
    let (server, _) = listener.accept().expect("accept");
    server.set_read_timeout(Some(PATIENCE)).expect("read timeout");

    client.write_all(b"you will never read this").expect("write");
    // Wait until the bytes sit in the server's receive buffer, without
    // taking them out of it.
    server.peek(&mut [0u8; 1]).expect("peek");
    // Closing a socket that still holds unread data is an abort: the kernel
    // sends RST instead of FIN (RFC 2525, section 2.17).
    drop(server);

    must_fail(client.read(&mut [0u8; 64]), "reading from a reset connection")
}
// ANCHOR_END: reset

// ANCHOR: timed_out
/// Wait for bytes that never come, with a read timeout of 100 ms.
pub fn timed_out() -> io::Error {
    // The listener never accepts, but the kernel completes the handshake for
    // it: the connection exists and simply stays silent.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback listener");
    let mut client = TcpStream::connect(listener.local_addr().expect("local_addr")).expect("connect");
    client.set_read_timeout(Some(Duration::from_millis(100))).expect("read timeout");
    // On Linux this is EAGAIN (kind WouldBlock), not ETIMEDOUT.
    must_fail(client.read(&mut [0u8; 64]), "reading from a silent peer")
}
// ANCHOR_END: timed_out

// ANCHOR: would_block
/// Ask a non-blocking socket for something it does not have yet.
pub fn would_block() -> io::Error {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback listener");
    listener.set_nonblocking(true).expect("non-blocking");
    // Nobody has connected, and a non-blocking accept does not wait.
    must_fail(listener.accept(), "a non-blocking accept with nobody waiting")
}
// ANCHOR_END: would_block

// ANCHOR: no_such_file
/// Connect a unix stream socket to a path where no socket file exists.
pub fn no_such_socket_file() -> io::Error {
    let path = std::env::temp_dir().join(format!("make-it-fail-{}-nobody-home.sock", std::process::id()));
    must_fail(UnixStream::connect(&path), "connecting to a missing socket file")
}
// ANCHOR_END: no_such_file

// ANCHOR: name_not_known
/// A name that cannot exist: it is under `.invalid`, reserved by RFC 6761,
/// and its first label is longer than the 63 bytes DNS allows, so the
/// resolver gives up before sending any query (no DNS server is asked).
pub const NOWHERE: &str = "a-label-longer-than-sixty-three-bytes-which-dns-cannot-encode-at-all.invalid";

/// Look up a name that cannot exist.
pub fn name_not_known() -> io::Error {
    must_fail((NOWHERE, 80).to_socket_addrs(), "resolving a name that cannot exist")
}
// ANCHOR_END: name_not_known

/// Which of the course's errors an `io::Error` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    ConnectionRefused,
    AddressInUse,
    BrokenPipe,
    ConnectionReset,
    TimedOut,
    /// EAGAIN / EWOULDBLOCK: a non-blocking call, or a read/write timeout.
    WouldBlock,
    NoSuchFile,
    PermissionDenied,
    NameNotKnown,
    TooManyOpenFiles,
    NetworkUnreachable,
    /// Anything else.
    Other,
}

/// What `diagnose` says about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Diagnosis {
    pub problem: Problem,
    /// The likely cause, in one sentence.
    pub cause: &'static str,
    /// What to do about it, in one sentence.
    pub fix: &'static str,
}

// ANCHOR: diagnose
/// EMFILE, "Too many open files": 24 on Linux, macOS and the BSDs alike.
/// std gives it no `ErrorKind` of its own, so we compare the errno.
const EMFILE: i32 = 24;

/// Names the problem behind `error`, its likely cause and the fix.
pub fn diagnose(error: &io::Error) -> Diagnosis {
    let problem = match error.kind() {
        ErrorKind::ConnectionRefused => Problem::ConnectionRefused,
        ErrorKind::AddrInUse => Problem::AddressInUse,
        ErrorKind::BrokenPipe => Problem::BrokenPipe,
        ErrorKind::ConnectionReset => Problem::ConnectionReset,
        ErrorKind::TimedOut => Problem::TimedOut,
        ErrorKind::WouldBlock => Problem::WouldBlock,
        ErrorKind::NotFound => Problem::NoSuchFile,
        ErrorKind::PermissionDenied => Problem::PermissionDenied,
        ErrorKind::NetworkUnreachable => Problem::NetworkUnreachable,
        _ if error.raw_os_error() == Some(EMFILE) => Problem::TooManyOpenFiles,
        // getaddrinfo's failures carry no errno and no stable ErrorKind;
        // std's message prefix is all there is to go on.
        _ if error.raw_os_error().is_none()
            && error.to_string().starts_with("failed to lookup address information") =>
        {
            Problem::NameNotKnown
        }
        _ => Problem::Other,
    };
    let (cause, fix) = explain(problem);
    Diagnosis { problem, cause, fix }
}
// ANCHOR_END: diagnose

/// The likely cause and the fix of each problem, in a sentence each.
fn explain(problem: Problem) -> (&'static str, &'static str) {
    match problem {
        Problem::ConnectionRefused => (
            "the host answered, but no program is listening on that port (not started yet, crashed, \
             or listening on another address such as 127.0.0.1 instead of 0.0.0.0)",
            "start the server, or check the host and port on both sides with `ss -ltn`",
        ),
        Problem::AddressInUse => (
            "another socket is already bound to this address and port: a second copy of the \
             server, or another program",
            "stop the other program (find it with `ss -ltnp`) or choose another port; bind port 0 \
             in tests",
        ),
        Problem::BrokenPipe => (
            "you wrote to a connection that the peer has already closed",
            "treat it as the end of that conversation: stop writing, close your side, and keep \
             serving everyone else",
        ),
        Problem::ConnectionReset => (
            "the peer aborted the connection with a RST: it crashed, closed with unread data, or \
             a middlebox gave up on the connection",
            "treat it like EOF for that connection; if it happens often, find out why the peer aborts",
        ),
        Problem::TimedOut => (
            "the other side gave no answer in time: it is down, unreachable, or a firewall \
             silently drops the packets",
            "check that the host is up and reachable and the port is open; retry with a longer \
             deadline only if the peer is merely slow",
        ),
        Problem::WouldBlock => (
            "a non-blocking socket had nothing to do yet, or a read or write timeout expired \
             (Unix reports SO_RCVTIMEO timeouts as EAGAIN)",
            "on a non-blocking socket, wait for readiness (poll, epoll, mio) and try again; after \
             a timeout, decide whether to wait longer or give up",
        ),
        Problem::NoSuchFile => (
            "nothing exists at that path: the server is not running, or it put its socket file \
             somewhere else",
            "start the server and check the socket path both sides use (ls -l the path)",
        ),
        Problem::PermissionDenied => (
            "the user may not do this: a socket file's mode or owner does not allow writing, or \
             a port below 1024 needs privileges",
            "fix the socket file's mode and group, or run as the right user; use a port from \
             1024 up or grant CAP_NET_BIND_SERVICE",
        ),
        Problem::NameNotKnown => (
            "the name could not be resolved: a typo, a name missing from DNS and /etc/hosts, or \
             no working resolver",
            "check the spelling, then try `getent hosts NAME` and `dig NAME` to see what the \
             resolver says",
        ),
        Problem::TooManyOpenFiles => (
            "the process reached its limit of open file descriptors (RLIMIT_NOFILE): a leak of \
             sockets or files, or a limit too low for the load",
            "close what you no longer need, and raise the limit (`ulimit -n`, LimitNOFILE=) if \
             the load is real",
        ),
        Problem::NetworkUnreachable => (
            "this host has no route to the destination's network: an interface is down or the \
             routing table lacks a default route",
            "check `ip route` and `ip addr`, and bring up the interface or add the route",
        ),
        Problem::Other => (
            "not one of the common socket errors in this course",
            "read the full message and errno, then the man page of the call that failed",
        ),
    }
}
