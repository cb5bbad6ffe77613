//! Model answer for `udp-ping`: a UDP echo server for numbered pings, and a
//! client that measures round trips over a network that loses, duplicates,
//! delays and reorders datagrams.

use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The longest datagram this protocol uses. Anything longer is not ours.
pub const MAX_DATAGRAM: usize = 64;

/// How often a waiting server looks at its stop flag.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// The two messages of the protocol, as ASCII text: `PING 3 1` asks for a
/// reply to ping number 3, second attempt (attempts count from 0), and
/// `PONG 3 1` is that reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packet {
    Ping { seq: u32, attempt: u32 },
    Pong { seq: u32, attempt: u32 },
}

impl Packet {
    /// The bytes of one datagram: `PING 3 1`, no newline.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Packet::Ping { seq, attempt } => format!("PING {seq} {attempt}"),
            Packet::Pong { seq, attempt } => format!("PONG {seq} {attempt}"),
        }
        .into_bytes()
    }

    /// Parses one whole datagram; `None` for anything that is not exactly a
    /// packet of this protocol (garbage, a truncated datagram, extra words).
    pub fn parse(datagram: &[u8]) -> Option<Packet> {
        let text = std::str::from_utf8(datagram).ok()?;
        let mut words = text.split(' ');
        let (kind, seq, attempt) = (words.next()?, words.next()?, words.next()?);
        if words.next().is_some() {
            return None;
        }
        let number =
            |word: &str| if word.bytes().all(|b| b.is_ascii_digit()) { word.parse().ok() } else { None };
        let (seq, attempt) = (number(seq)?, number(attempt)?);
        match kind {
            "PING" => Some(Packet::Ping { seq, attempt }),
            "PONG" => Some(Packet::Pong { seq, attempt }),
            _ => None,
        }
    }
}

/// What happened to one ping. `ping` returns one per sequence number, in
/// order: the first entry is ping 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PingResult {
    /// The reply to attempt `attempt` (0 = the first send) came back `rtt`
    /// after that attempt was sent.
    Reply { attempt: u32, rtt: Duration },
    /// No attempt got its reply in time.
    Lost,
}

// ANCHOR: serve
/// Answers every `PING seq attempt` with `PONG seq attempt`, sent back to
/// whoever sent the ping, until `stop` is set. Ignores everything else.
pub fn serve(socket: UdpSocket, stop: &AtomicBool) -> io::Result<()> {
    // A read timeout turns "wait forever" into "wait a little, then look at
    // the stop flag": the only way a blocking loop can be asked to end.
    socket.set_read_timeout(Some(STOP_CHECK))?;
    // One byte more than the longest packet, so that a longer datagram shows
    // up as too long instead of being silently cut to a valid-looking one.
    let mut buf = [0u8; MAX_DATAGRAM + 1];
    while !stop.load(Ordering::SeqCst) {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) if is_timeout(&e) || is_too_long(&e) || e.kind() == ErrorKind::Interrupted => continue,
            // Windows reports an ICMP "port unreachable" for an earlier reply
            // as a failed receive. It concerns that old client, not us.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => continue,
            Err(e) => return Err(e),
        };
        let packet = if n <= MAX_DATAGRAM { Packet::parse(&buf[..n]) } else { None };
        let Some(Packet::Ping { seq, attempt }) = packet else {
            // Not a ping (or too long): a UDP server cannot hang up on a
            // sender, it can only ignore the datagram.
            continue;
        };
        if let Err(e) = socket.send_to(&Packet::Pong { seq, attempt }.encode(), from) {
            // A reply that cannot be sent is a lost reply; the client retries.
            eprintln!("reply to {from}: {e}");
        }
    }
    Ok(())
}
// ANCHOR_END: serve

// ANCHOR: ping
/// Sends pings 1 to `n` to `server`, one at a time. Each attempt waits up to
/// `timeout` for its reply; a ping is sent at most `1 + retries` times before
/// it counts as lost. Fails only for real errors, such as nobody listening
/// (connected UDP reports that as `ConnectionRefused`).
pub fn ping(server: SocketAddr, n: u32, timeout: Duration, retries: u32) -> io::Result<Vec<PingResult>> {
    let any_port: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(any_port)?;
    // Connected UDP: `send` goes to `server`, `recv` only returns datagrams
    // from `server`, and an ICMP "port unreachable" becomes an error.
    socket.connect(server)?;
    (1..=n).map(|seq| ping_one(&socket, seq, timeout, retries)).collect()
}

fn ping_one(socket: &UdpSocket, seq: u32, timeout: Duration, retries: u32) -> io::Result<PingResult> {
    for attempt in 0..=retries {
        let sent = Instant::now();
        socket.send(&Packet::Ping { seq, attempt }.encode())?;
        if wait_for_pong(socket, Packet::Pong { seq, attempt }, sent + timeout)? {
            return Ok(PingResult::Reply { attempt, rtt: sent.elapsed() });
        }
    }
    Ok(PingResult::Lost)
}

/// Reads datagrams until `expected` arrives (true) or `deadline` passes
/// (false). Everything else is thrown away: garbage, duplicates, and late
/// replies to earlier pings or earlier attempts of this one.
fn wait_for_pong(socket: &UdpSocket, expected: Packet, deadline: Instant) -> io::Result<bool> {
    let mut buf = [0u8; MAX_DATAGRAM + 1];
    loop {
        // Wait only for what is left of this attempt's time: a stream of
        // stray datagrams must not stretch it.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(false);
        }
        socket.set_read_timeout(Some(left))?;
        match socket.recv(&mut buf) {
            // Matching the attempt too, not only the sequence number, makes
            // the round-trip time unambiguous (Karn's rule, RFC 6298).
            Ok(n) if n <= MAX_DATAGRAM && Packet::parse(&buf[..n]) == Some(expected) => return Ok(true),
            Ok(_) => continue,
            Err(e) if is_timeout(&e) => return Ok(false),
            Err(e) if is_too_long(&e) || e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: ping

/// A read timeout is WouldBlock on Unix and TimedOut on Windows.
fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// A datagram longer than the buffer is cut short silently on Unix; Windows
/// fills the buffer and then reports the receive as failed (WSAEMSGSIZE).
fn is_too_long(e: &io::Error) -> bool {
    cfg!(windows) && e.raw_os_error() == Some(10040)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_round_trip_and_garbage_is_rejected() {
        let ping = Packet::Ping { seq: 3, attempt: 1 };
        assert_eq!(ping.encode(), b"PING 3 1");
        assert_eq!(Packet::parse(b"PING 3 1"), Some(ping));
        assert_eq!(Packet::parse(b"PONG 3 1"), Some(Packet::Pong { seq: 3, attempt: 1 }));
        for garbage in [&b""[..], b"PONG", b"PONG 3", b"PONG 3 1 extra", b"PONG +3 1", b"PONG 3 1\n", b"\xff"]
        {
            assert_eq!(Packet::parse(garbage), None, "{garbage:?}");
        }
    }
}
