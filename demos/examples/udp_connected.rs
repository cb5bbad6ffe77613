//! Sending to a UDP port where nobody listens: an unconnected socket never
//! hears about it, a connected one gets ConnectionRefused on its next
//! receive. And a connected socket only receives from its peer.
//! `cargo run -p demos --example udp_connected`
//!
//! Run `sudo tcpdump -i lo -n icmp` in another terminal to watch the ICMP
//! "port unreachable" messages the kernel sends back. Loopback only; done in
//! about half a second.

use std::io;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

fn main() -> io::Result<()> {
    // ANCHOR: closed_port
    // A port that nobody listens on: bind one, note its number, close it.
    let closed = UdpSocket::bind("127.0.0.1:0")?.local_addr()?;
    // ANCHOR_END: closed_port
    println!("nobody listens on {closed}");

    // ANCHOR: unconnected
    let unconnected = UdpSocket::bind("127.0.0.1:0")?;
    unconnected.set_read_timeout(Some(Duration::from_millis(300)))?;
    unconnected.send_to(b"anyone there?", closed)?;
    let started = Instant::now();
    let mut buf = [0u8; 1500];
    match unconnected.recv_from(&mut buf) {
        Ok((n, from)) => println!("unconnected: {n} bytes from {from}?!"),
        Err(e) => println!(
            "unconnected: recv_from gave up after {} ms: {e} ({:?})",
            started.elapsed().as_millis(),
            e.kind()
        ),
    }
    // ANCHOR_END: unconnected

    // ANCHOR: connected
    let connected = UdpSocket::bind("127.0.0.1:0")?;
    connected.set_read_timeout(Some(Duration::from_millis(300)))?;
    connected.connect(closed)?; // no packet is sent: this only records the peer
    connected.send(b"anyone there?")?;
    let started = Instant::now();
    match connected.recv(&mut buf) {
        Ok(n) => println!("connected: {n} bytes?!"),
        Err(e) => println!(
            "connected:   recv failed after {} ms: {e} ({:?})",
            started.elapsed().as_millis(),
            e.kind()
        ),
    }
    // ANCHOR_END: connected

    // ANCHOR: filter
    // A connected socket takes datagrams from its peer only.
    let peer = UdpSocket::bind("127.0.0.1:0")?;
    let stranger = UdpSocket::bind("127.0.0.1:0")?;
    let me = UdpSocket::bind("127.0.0.1:0")?;
    me.set_read_timeout(Some(Duration::from_millis(300)))?;
    me.connect(peer.local_addr()?)?;
    stranger.send_to(b"from a stranger", me.local_addr()?)?;
    peer.send_to(b"from my peer", me.local_addr()?)?;
    let n = me.recv(&mut buf)?;
    println!("connected to {}: received {:?}", peer.local_addr()?, String::from_utf8_lossy(&buf[..n]));
    match me.recv(&mut buf) {
        Ok(n) => println!("and then {:?}?!", String::from_utf8_lossy(&buf[..n])),
        Err(e) => println!("and nothing else: the stranger's datagram was dropped ({:?})", e.kind()),
    }
    // ANCHOR_END: filter
    Ok(())
}
