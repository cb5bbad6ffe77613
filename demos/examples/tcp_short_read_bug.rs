//! The classic bug: "stop reading when a read returns less than the buffer".
//! `cargo run -p demos --example tcp_short_read_bug`
//!
//! A sender writes one 30-byte message in three pieces with pauses between
//! them. Two readers receive it over real TCP connections on loopback: the
//! buggy one stops at the first read shorter than its buffer, the correct
//! one reads until `read` returns 0 (the sender closed). Each side prints
//! what it saw.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

const PIECES: [&str; 3] = ["first piece|", "second piece|", "third"];

/// Connects to `addr` and sends the pieces, pausing after each, then closes.
fn sender(name: &'static str, addr: std::net::SocketAddr) -> thread::JoinHandle<io::Result<()>> {
    thread::spawn(move || {
        let mut stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?; // send each write at once (see "Socket options")
        for piece in PIECES {
            println!("  {name} sender: writes {:>2} bytes {piece:?}", piece.len());
            stream.write_all(piece.as_bytes())?;
            thread::sleep(Duration::from_millis(100));
        }
        Ok(()) // the stream is dropped here: the reader will see EOF
    })
}

// ANCHOR: buggy
/// WRONG: treats a read shorter than the buffer as "that was everything".
fn read_message_buggy(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut message = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf)?;
        println!("  buggy reader:  read returned {n:>2} bytes {:?}", String::from_utf8_lossy(&buf[..n]));
        message.extend_from_slice(&buf[..n]);
        if n < buf.len() {
            // The bug: a short read only means "this is what has arrived so far".
            return Ok(message);
        }
    }
}
// ANCHOR_END: buggy

// ANCHOR: correct
/// Reads until the sender closes its side: only `Ok(0)` means "no more".
fn read_message(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut message = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf)?;
        println!("  correct reader: read returned {n:>2} bytes {:?}", String::from_utf8_lossy(&buf[..n]));
        if n == 0 {
            return Ok(message);
        }
        message.extend_from_slice(&buf[..n]);
    }
}
// ANCHOR_END: correct

fn main() -> io::Result<()> {
    let sent: String = PIECES.concat();
    type Reader = fn(&mut TcpStream) -> io::Result<Vec<u8>>;
    for (name, reader) in [("buggy", read_message_buggy as Reader), ("correct", read_message as Reader)] {
        println!("{name}:");
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let sending = sender(name, listener.local_addr()?);
        let (mut stream, _) = listener.accept()?;
        let got = reader(&mut stream)?;
        // Let the sender finish before printing the verdict.
        sending.join().expect("sender thread")?;
        let got = String::from_utf8_lossy(&got);
        println!("  {name} result: {} of {} bytes: {got:?}", got.len(), sent.len());
        if got != sent {
            println!("  LOST: {:?}", &sent[got.len()..]);
        }
    }
    Ok(())
}
