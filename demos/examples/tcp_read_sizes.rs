//! How many bytes does one `read` return? Run it and see:
//! `cargo run -p demos --example tcp_read_sizes`
//!
//! A client writes one message in three pieces, pausing between them; the
//! server reads in a loop and prints what each `read` returned. The message
//! arrives in pieces that have nothing to do with where it "ends".

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;

    let client = thread::spawn(move || -> std::io::Result<()> {
        let mut stream = TcpStream::connect(address)?;
        stream.set_nodelay(true)?; // send each write at once (chapter 11 explains)
        for piece in ["Hel", "lo, wor", "ld!\n"] {
            stream.write_all(piece.as_bytes())?;
            thread::sleep(Duration::from_millis(50));
        }
        Ok(()) // dropping the stream closes it: the server will read EOF
    });

    let (mut stream, peer) = listener.accept()?;
    println!("accepted {peer}");
    // ANCHOR: read_loop
    let mut buf = [0u8; 1024];
    let mut total = 0;
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            println!("read returned 0: end of stream after {total} bytes");
            break;
        }
        total += n;
        println!("read returned {n:>2} bytes: {:?}", String::from_utf8_lossy(&buf[..n]));
    }
    // ANCHOR_END: read_loop
    client.join().expect("client thread")?;
    Ok(())
}
