//! Read and write timeouts: a read from a peer that never sends, and a
//! write to a peer that never reads, each give up after 300 ms instead of
//! blocking forever.
//! `cargo run -p demos --example options_timeouts`

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut client = TcpStream::connect(listener.local_addr()?)?;
    let (_silent_peer, _) = listener.accept()?; // never reads, never writes

    // ANCHOR: read_timeout
    client.set_read_timeout(Some(Duration::from_millis(300)))?;
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    match client.read(&mut buf) {
        Ok(n) => println!("read {n} bytes"),
        Err(e) => println!("read: {e} (kind {:?}) after {} ms", e.kind(), start.elapsed().as_millis()),
    }
    // ANCHOR_END: read_timeout

    // ANCHOR: write_timeout
    client.set_write_timeout(Some(Duration::from_millis(300)))?;
    let chunk = vec![0u8; 64 * 1024];
    let (mut sent, mut calls) = (0usize, 0);
    let start = Instant::now();
    let (error, last_call) = loop {
        let call = Instant::now();
        calls += 1;
        match client.write(&chunk) {
            Ok(n) => sent += n,
            Err(e) => break (e, call.elapsed()),
        }
    };
    println!(
        "write: {error} (kind {:?}) on call {calls}, which waited {} ms; \
         {} KiB went into the buffers first, in {} ms",
        error.kind(),
        last_call.as_millis(),
        sent / 1024,
        (start.elapsed() - last_call).as_millis()
    );
    // ANCHOR_END: write_timeout
    Ok(())
}
