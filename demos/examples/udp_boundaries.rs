//! Datagrams keep their boundaries, an empty datagram is still a datagram,
//! and a datagram bigger than the buffer you give `recv` is cut short.
//! `cargo run -p demos --example udp_boundaries`
//!
//! Two UDP sockets on loopback; everything finishes in well under a second.

use std::io;
use std::net::UdpSocket;
use std::time::Duration;

fn main() -> io::Result<()> {
    let receiver = UdpSocket::bind("127.0.0.1:0")?;
    // Never wait forever: if a datagram went missing, say so after 2 s.
    receiver.set_read_timeout(Some(Duration::from_secs(2)))?;
    let sender = UdpSocket::bind("127.0.0.1:0")?;
    let to = receiver.local_addr()?;
    println!("sender {} → receiver {to}", sender.local_addr()?);

    // ANCHOR: boundaries
    // Four sends, four datagrams: each `recv_from` returns exactly one.
    for message in [&b"one"[..], b"two two", b"", b"three three three"] {
        sender.send_to(message, to)?;
    }
    let mut buf = [0u8; 1500];
    for _ in 0..4 {
        let (n, from) = receiver.recv_from(&mut buf)?;
        println!("recv_from: {n:2} bytes from {from}: {:?}", String::from_utf8_lossy(&buf[..n]));
    }
    // ANCHOR_END: boundaries

    // ANCHOR: truncation
    // A 100-byte datagram into a 10-byte buffer: you get 10 bytes, and the
    // other 90 are gone. The next receive returns the *next* datagram.
    sender.send_to(&[b'x'; 100], to)?;
    sender.send_to(b"next", to)?;
    let mut small = [0u8; 10];
    let (n, _) = receiver.recv_from(&mut small)?;
    println!("100-byte datagram, 10-byte buffer: recv_from returned {n} bytes");
    let (n, _) = receiver.recv_from(&mut small)?;
    println!(
        "the following recv_from returned {:?}: the rest of the big one was discarded",
        String::from_utf8_lossy(&small[..n])
    );
    // ANCHOR_END: truncation

    truncated_length(&sender, &receiver)
}

// ANCHOR: msg_trunc
/// On Linux, the MSG_TRUNC flag makes `recv` return the datagram's real
/// length, even when the buffer was too small for it (udp(7), recv(2)).
#[cfg(target_os = "linux")]
fn truncated_length(sender: &UdpSocket, receiver: &UdpSocket) -> io::Result<()> {
    use socket2::SockRef;
    use std::mem::MaybeUninit;

    sender.send_to(&[b'y'; 100], receiver.local_addr()?)?;
    let mut tiny = [MaybeUninit::<u8>::uninit(); 10];
    let real = SockRef::from(receiver).recv_with_flags(&mut tiny, libc::MSG_TRUNC)?;
    println!("with MSG_TRUNC: 10 bytes copied, but the datagram was {real} bytes long");
    Ok(())
}
// ANCHOR_END: msg_trunc

#[cfg(not(target_os = "linux"))]
fn truncated_length(_: &UdpSocket, _: &UdpSocket) -> io::Result<()> {
    println!("(MSG_TRUNC as a recv flag that reports the real length is Linux-only)");
    Ok(())
}
