//! UDP loses datagrams even on loopback: when the receiver's buffer is full,
//! the kernel drops what arrives, and nobody is told. Sends 5000 datagrams
//! of 1000 bytes to a socket that does not read until the end.
//! `cargo run -p demos --example udp_overflow`
//! (On Linux, `nstat -az UdpRcvbufErrors` before and after counts the drops.)

use std::io::{self, ErrorKind};
use std::net::UdpSocket;
use std::time::Duration;

// ANCHOR: overflow
fn main() -> io::Result<()> {
    let receiver = UdpSocket::bind("127.0.0.1:0")?;
    let sender = UdpSocket::bind("127.0.0.1:0")?;
    let payload = [b'u'; 1000];
    let mut sent = 0;
    for _ in 0..5000 {
        // Each send_to succeeds: the datagram left our socket. Whether it
        // fits in the receiver's buffer is not our business, says UDP.
        sender.send_to(&payload, receiver.local_addr()?)?;
        sent += 1;
    }
    receiver.set_read_timeout(Some(Duration::from_millis(200)))?;
    let mut buf = [0u8; 1500];
    let mut received = 0;
    loop {
        match receiver.recv_from(&mut buf) {
            Ok(_) => received += 1,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
            Err(e) => return Err(e),
        }
    }
    println!("sent {sent} datagrams without an error; {received} arrived, {} were dropped", sent - received);
    Ok(())
}
// ANCHOR_END: overflow
