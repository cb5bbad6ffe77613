//! A scripted TCP server for testing clients that the learner writes as a
//! library (not as a program the harness could start).
//!
//! [`TcpPeer::start`] listens on `127.0.0.1:0` in a thread and runs a handler
//! of the test's choosing for every connection it accepts, each on its own
//! thread, with read and write timeouts of [`crate::client::PATIENCE`] so that
//! a handler can never hang the test. The handler plays the adversary:
//! trickle the reply, read a huge request before answering, reset.
//! Dropping the peer stops accepting; handlers still running finish on their
//! own (their timeouts bound them).

use crate::client::PATIENCE;
use socket2::SockRef;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// A server on loopback that runs `handler` for every accepted connection.
pub struct TcpPeer {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
}

impl TcpPeer {
    /// Listens on `127.0.0.1:0` and serves every connection with `handler`
    /// on a thread of its own. Errors the handler returns are ignored: the
    /// test judges what the client got, not what the peer thought of it.
    pub fn start<F>(handler: F) -> TcpPeer
    where
        F: Fn(TcpStream) -> io::Result<()> + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("the test peer could not bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local_addr of the test peer");
        let stopping = Arc::new(AtomicBool::new(false));
        let accepted = Arc::new(AtomicUsize::new(0));
        let handler = Arc::new(handler);
        let (stop, count) = (Arc::clone(&stopping), Arc::clone(&accepted));
        thread::Builder::new()
            .name(format!("test peer on {addr}"))
            .spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    count.fetch_add(1, Ordering::SeqCst);
                    let _ = stream.set_read_timeout(Some(PATIENCE));
                    let _ = stream.set_write_timeout(Some(PATIENCE));
                    let handler = Arc::clone(&handler);
                    thread::spawn(move || {
                        let _ = handler(stream);
                    });
                }
            })
            .expect("could not start the test peer's thread");
        TcpPeer { addr, stopping, accepted }
    }

    /// Where the peer listens (127.0.0.1 and the port the kernel chose).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Closes `stream` abruptly, for handlers that play a peer that vanishes:
    /// SO_LINGER 0 makes the close send a TCP RST instead of a FIN, so the
    /// client's next read fails with "connection reset by peer".
    pub fn reset(stream: TcpStream) {
        // Failing to set linger only makes this an ordinary close.
        let _ = SockRef::from(&stream).set_linger(Some(Duration::ZERO));
        drop(stream);
    }

    /// How many connections the peer has accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for TcpPeer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag and drops the listener.
        let _ = TcpStream::connect_timeout(&self.addr, PATIENCE);
    }
}
