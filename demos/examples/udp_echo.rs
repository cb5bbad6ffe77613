//! A UDP server with no connections: one socket, one loop, every client.
//! It shouts back whatever it receives, and stops when asked, because its
//! receive wakes up every 50 ms to look at a stop flag.
//! `cargo run -p demos --example udp_echo`

use std::io::{self, ErrorKind};
use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: server
/// Sends every datagram back to its sender in upper case, until `stop`.
fn shout_back(socket: UdpSocket, stop: &AtomicBool) -> io::Result<()> {
    // Without a timeout, recv_from could wait forever and never see `stop`.
    socket.set_read_timeout(Some(Duration::from_millis(50)))?;
    let mut buf = [0u8; 1500];
    while !stop.load(Ordering::SeqCst) {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            // WouldBlock (Unix) or TimedOut (Windows): nothing yet, look at `stop`.
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(e) => return Err(e),
        };
        // `from` is the whole relationship: reply there, forget it.
        socket.send_to(&buf[..n].to_ascii_uppercase(), from)?;
    }
    Ok(())
}
// ANCHOR_END: server

fn main() -> io::Result<()> {
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    let server = socket.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = thread::spawn(move || shout_back(socket, &flag));

    // ANCHOR: clients
    // Two clients, one server socket: no accept, no per-client state.
    let alice = UdpSocket::bind("127.0.0.1:0")?;
    let bob = UdpSocket::bind("127.0.0.1:0")?;
    for client in [&alice, &bob] {
        client.set_read_timeout(Some(Duration::from_secs(1)))?;
    }
    alice.send_to(b"hello from alice", server)?;
    bob.send_to(b"hello from bob", server)?;
    let mut buf = [0u8; 1500];
    for (name, client) in [("alice", &alice), ("bob", &bob)] {
        let (n, from) = client.recv_from(&mut buf)?;
        println!(
            "{name} ({}) got {:?} from {from}",
            client.local_addr()?,
            String::from_utf8_lossy(&buf[..n])
        );
    }
    // ANCHOR_END: clients

    let asked = Instant::now();
    stop.store(true, Ordering::SeqCst);
    handle.join().expect("server thread")?;
    println!("server stopped {} ms after being asked", asked.elapsed().as_millis());
    Ok(())
}
