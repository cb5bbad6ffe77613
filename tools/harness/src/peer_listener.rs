//! The test's side of a connection, for testing client programs: a listener
//! the program connects to, and a port where connecting is refused.

use crate::client::PATIENCE;
use crate::failure::Failure;
use crate::process::Process;
use socket2::{Domain, Socket, Type};
use std::io::ErrorKind;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

/// A listener on 127.0.0.1 with a port the kernel picked, for a client
/// program under test to connect to.
pub struct PeerListener {
    listener: TcpListener,
    addr: SocketAddr,
}

impl PeerListener {
    /// Binds 127.0.0.1:0.
    pub fn bind() -> PeerListener {
        let listener = TcpListener::bind("127.0.0.1:0").expect("the harness could not bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local_addr");
        PeerListener { listener, addr }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Waits up to `within` for one connection, without a process to watch.
    /// The stream has read and write timeouts of [`PATIENCE`].
    pub fn accept_within(&self, within: Duration) -> Option<TcpStream> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(stream) = self.try_accept() {
                return Some(stream);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits up to `within` for `process` to connect and returns the
    /// accepted stream, with read and write timeouts of [`PATIENCE`]. Fails
    /// (with `hint`) if no connection arrives in time or the process exits
    /// first.
    #[track_caller]
    pub fn accept(&self, process: &Process, within: Duration, hint: &str) -> TcpStream {
        process.stage().step(format!("waiting for `{}` to connect to {}", process.command(), self.addr));
        let deadline = Instant::now() + within;
        loop {
            if let Some(stream) = self.try_accept() {
                return stream;
            }
            let problem = if process.status().is_some() {
                format!("the program exited without connecting to {}", self.addr)
            } else if Instant::now() >= deadline {
                format!("the program did not connect to {} within {:.1} s", self.addr, within.as_secs_f32())
            } else {
                thread::sleep(Duration::from_millis(5));
                continue;
            };
            process.fail(Failure::new(problem).hint(hint));
        }
    }

    fn try_accept(&self) -> Option<TcpStream> {
        self.listener.set_nonblocking(true).expect("set_nonblocking");
        match self.listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(false).expect("set_nonblocking");
                stream.set_read_timeout(Some(PATIENCE)).expect("set_read_timeout");
                stream.set_write_timeout(Some(PATIENCE)).expect("set_write_timeout");
                Some(stream)
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::Interrupted => None,
            Err(e) => panic!("the harness could not accept on {}: {e}", self.addr),
        }
    }
}

/// A loopback address where every connection attempt is refused, reserved
/// for as long as this value lives: a socket is bound to the port but never
/// listens, so no other test can start listening there meanwhile.
pub struct RefusingPort {
    _socket: Socket,
    addr: SocketAddr,
}

impl RefusingPort {
    pub fn new() -> RefusingPort {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
        let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
        socket.bind(&any.into()).expect("the harness could not bind 127.0.0.1:0");
        let addr = socket.local_addr().expect("local_addr").as_socket().expect("an IPv4 address");
        RefusingPort { _socket: socket, addr }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

impl Default for RefusingPort {
    fn default() -> Self {
        RefusingPort::new()
    }
}
