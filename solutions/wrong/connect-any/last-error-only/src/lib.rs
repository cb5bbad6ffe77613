//! WRONG: remembers only the last attempt's error, so the others' reasons
//! are lost.

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Why no connection was made.
#[derive(Debug)]
pub enum ConnectError {
    /// The name did not resolve, so nothing was tried.
    Resolve { host: String, error: io::Error },
    /// Every address was tried and failed: one entry per attempt, in the
    /// order tried. Empty if there was no address to try.
    Attempts(Vec<(SocketAddr, io::Error)>),
}

impl ConnectError {
    /// Every attempt and why it failed (none if the name did not resolve).
    pub fn attempts(&self) -> &[(SocketAddr, io::Error)] {
        match self {
            ConnectError::Resolve { .. } => &[],
            ConnectError::Attempts(attempts) => attempts,
        }
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::Resolve { host, error } => write!(f, "could not resolve {host}: {error}"),
            ConnectError::Attempts(attempts) if attempts.is_empty() => {
                write!(f, "no address to connect to")
            }
            ConnectError::Attempts(attempts) => {
                write!(f, "could not connect to any of {} addresses:", attempts.len())?;
                for (addr, error) in attempts {
                    write!(f, "\n  {addr}: {error}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ConnectError {}

/// Tries each address in order, giving each attempt at most `per_attempt`,
/// and returns the first connection made. If none works, the error lists
/// every attempt with its reason.
pub fn connect_any_with(
    addrs: impl IntoIterator<Item = SocketAddr>,
    per_attempt: Duration,
) -> Result<TcpStream, ConnectError> {
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, per_attempt) {
            Ok(stream) => return Ok(stream),
            Err(error) => last = Some((addr, error)),
        }
    }
    Err(ConnectError::Attempts(last.into_iter().collect()))
}

/// Resolves `host` (a name like `localhost` or an address like `::1`) with
/// the system resolver and connects to the first of its addresses that
/// answers on `port`.
pub fn connect_any(host: &str, port: u16, per_attempt: Duration) -> Result<TcpStream, ConnectError> {
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|error| ConnectError::Resolve { host: host.to_string(), error })?;
    connect_any_with(addrs, per_attempt)
}
