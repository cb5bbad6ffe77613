//! Addresses that fail on purpose, all on loopback: a port where nobody
//! listens (connect is refused at once) and a black hole (connect gets no
//! answer at all and can only time out).

use socket2::{Domain, Socket, Type};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// How long a probe waits before calling the listener's queue full. A
/// loopback handshake takes microseconds; this leaves room for a loaded machine.
const PROBE: Duration = Duration::from_millis(250);
/// Enough for any kernel's idea of "backlog 0" (Linux queues one connection).
const MAX_FILLERS: usize = 16;

/// A loopback address whose SYNs go unanswered, so `connect` can only time
/// out: a listener with backlog 0 that never accepts, its accept queue filled
/// with throwaway connections. With a full accept queue Linux drops new SYNs
/// (the client retransmits for about two minutes before giving up), which is
/// what a firewall that drops packets looks like from outside, without
/// sending anything off this machine.
///
/// Dropping it closes the listener and the fillers.
#[derive(Debug)]
pub struct BlackHole {
    addr: SocketAddr,
    _listener: Socket,
    fillers: Vec<TcpStream>,
}

impl BlackHole {
    /// A black hole on `ip` (127.0.0.1 or ::1). Fills the queue until a probe
    /// connection times out, so it is black when this returns.
    pub fn new(ip: IpAddr) -> io::Result<BlackHole> {
        let listener = Socket::new(Domain::for_address(SocketAddr::new(ip, 0)), Type::STREAM, None)?;
        listener.bind(&SocketAddr::new(ip, 0).into())?;
        listener.listen(0)?;
        let addr = listener
            .local_addr()?
            .as_socket()
            .ok_or_else(|| io::Error::other("the listener has no IP address"))?;
        let mut fillers = Vec::new();
        for _ in 0..MAX_FILLERS {
            match TcpStream::connect_timeout(&addr, PROBE) {
                Ok(filler) => fillers.push(filler),
                // Every kernel queues at least one connection, even for
                // backlog 0: a timeout before that is a slow machine, not a
                // full queue.
                Err(e) if e.kind() == io::ErrorKind::TimedOut && fillers.is_empty() => continue,
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                    return Ok(BlackHole { addr, _listener: listener, fillers });
                }
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other(format!(
            "{MAX_FILLERS} connection attempts did not fill the queue of the listener on {addr}: no black hole"
        )))
    }

    /// The IPv4 black hole, on 127.0.0.1.
    pub fn v4() -> io::Result<BlackHole> {
        BlackHole::new(IpAddr::V4(Ipv4Addr::LOCALHOST))
    }

    /// The IPv6 black hole, on ::1.
    pub fn v6() -> io::Result<BlackHole> {
        BlackHole::new(IpAddr::V6(Ipv6Addr::LOCALHOST))
    }

    /// Where to connect to get no answer.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many connections it took to fill the queue.
    pub fn fillers(&self) -> usize {
        self.fillers.len()
    }
}

/// A loopback address where nobody listens, so `connect` is refused at once
/// (the kernel answers the SYN with RST): a port that was bound a moment ago
/// and released.
pub fn closed_port(ip: IpAddr) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind(SocketAddr::new(ip, 0))?;
    listener.local_addr()
}

/// Whether IPv6 loopback works here: `Err` says why not (no `::1` on `lo`,
/// IPv6 disabled in the kernel or the container).
pub fn ipv6_loopback() -> Result<(), String> {
    let listener = TcpListener::bind((Ipv6Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot bind [::1]:0 ({e}); IPv6 loopback is unavailable here"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    TcpStream::connect_timeout(&addr, Duration::from_secs(2))
        .map(drop)
        .map_err(|e| format!("cannot connect to {addr} ({e}); IPv6 loopback is unavailable here"))
}
