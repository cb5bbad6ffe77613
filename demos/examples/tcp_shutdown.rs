//! `shutdown(Write)` versus dropping the stream.
//! `cargo run -p demos --example tcp_shutdown`
//!
//! 1. Half-close: the client sends a question and shuts down its sending
//!    side. The server reads to EOF (so it knows the question is complete),
//!    answers, and the client, which can still read, gets the answer.
//! 2. Drop with unread data: the server closes without reading what the
//!    client sent. Linux answers with a reset (RST) rather than a FIN, and
//!    the client's read fails with "connection reset by peer".

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;

// ANCHOR: half_close
fn half_close() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = thread::spawn(move || -> io::Result<()> {
        let (mut stream, _) = listener.accept()?;
        let mut question = String::new();
        stream.read_to_string(&mut question)?; // returns at the client's FIN
        println!("server: got {question:?} and then EOF; answering");
        stream.write_all(format!("{} bytes received", question.len()).as_bytes())
    }); // the server's stream is dropped here: its FIN follows the answer

    let mut client = TcpStream::connect(addr)?;
    client.write_all(b"how many bytes is this?")?;
    client.shutdown(Shutdown::Write)?; // FIN: "I have finished sending"
    let mut answer = String::new();
    client.read_to_string(&mut answer)?; // still open for reading
    println!("client: got {answer:?}");
    server.join().expect("server thread")
}
// ANCHOR_END: half_close

// ANCHOR: reset
fn close_with_unread_data() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let mut client = TcpStream::connect(listener.local_addr()?)?;
    let (server_side, _) = listener.accept()?;
    client.write_all(b"data the server never reads")?;
    // Make sure the bytes have arrived in the server's receive buffer.
    let mut peek = [0u8; 1];
    server_side.peek(&mut peek)?;
    drop(server_side); // close(2) with unread data: the kernel sends RST
    let mut buf = [0u8; 64];
    match client.read(&mut buf) {
        Ok(0) => println!("client: EOF (an orderly FIN)"),
        Ok(n) => println!("client: {n} bytes"),
        Err(e) => println!("client: read failed: {e} ({:?})", e.kind()),
    }
    Ok(())
}
// ANCHOR_END: reset

fn main() -> io::Result<()> {
    half_close()?;
    close_with_unread_data()
}
