//! A server that spends its life blocked, so that you can see where: first
//! in accept(2), waiting for a client, then in read(2), waiting for bytes.
//! `cargo run -p demos --example kernel_blocked`, then from another terminal
//! `nc 127.0.0.1 PORT` and look at the process with `ps`, /proc/PID/wchan
//! and /proc/PID/stack (see the book, "Where a process sleeps").
//!
//! It gives up and exits by itself after 60 seconds (or the number of
//! seconds given as its argument), so it never outlives a lab.

use std::io::{self, Read};
use std::net::TcpListener;
use std::thread;
use std::time::Duration;

// ANCHOR: blocked
fn main() -> io::Result<()> {
    let lifetime = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    // A watchdog thread ends the process, however blocked the main thread is.
    thread::spawn(move || {
        thread::sleep(Duration::from_secs(lifetime));
        println!("{lifetime} s are up, exiting");
        std::process::exit(0);
    });

    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("pid {} listening on {}", std::process::id(), listener.local_addr()?);

    // Blocks in accept(2) until a client connects: the kernel puts the
    // thread to sleep on the listening socket's wait queue.
    let (mut stream, peer) = listener.accept()?;
    println!("accepted {peer}; now blocked in read");

    // Blocks in read(2) until bytes arrive or the client closes.
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf)? {
            0 => break,
            n => println!("read {n} bytes"),
        }
    }
    println!("client closed");
    Ok(())
}
// ANCHOR_END: blocked
