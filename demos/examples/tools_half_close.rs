//! Half-close: the client says "that was all" with `shutdown(Write)` and
//! still reads the answer. The server here answers only after EOF, like a
//! server that must see the whole request first (think `sort` over a socket).
//!
//! Run it with `cargo run -p demos --example tools_half_close`.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = thread::spawn(move || -> io::Result<()> {
        let (mut conn, _) = listener.accept()?;
        // Reads until EOF: only a half-close (or a close) from the client ends this.
        let mut request = Vec::new();
        conn.read_to_end(&mut request)?;
        let mut lines: Vec<&str> = std::str::from_utf8(&request).unwrap_or("").lines().collect();
        lines.sort();
        conn.write_all(format!("{}\n", lines.join("\n")).as_bytes())
    });

    // ANCHOR: client
    let mut stream = TcpStream::connect(addr)?;
    // A safety net for the demo: without the half-close below, both sides
    // would wait for each other until this timeout.
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(b"pear\napple\nfig\n")?;
    // "No more bytes from me": the server's read_to_end returns. Our
    // receiving side stays open.
    stream.shutdown(Shutdown::Write)?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply)?;
    print!("sorted by the server:\n{reply}");
    // ANCHOR_END: client

    server.join().expect("the server thread panicked")
}
