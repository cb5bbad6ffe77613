//! A thread-per-client server in miniature: it greets each client by its
//! address and closes. Its `main` plays three clients itself, so it finishes.
//! `cargo run -p demos --example tcp_greeter`

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

// ANCHOR: accept_loop
fn serve(listener: TcpListener) {
    for stream in listener.incoming() {
        match stream {
            // Each client gets its own thread; the loop goes straight back
            // to `accept`, so a slow client delays nobody else.
            Ok(stream) => {
                thread::spawn(move || {
                    if let Err(e) = greet(stream) {
                        eprintln!("greeting failed: {e}");
                    }
                });
            }
            // A failed accept concerns one client, not the server.
            Err(e) => eprintln!("accept failed: {e}"),
        }
    }
}
// ANCHOR_END: accept_loop

fn greet(mut stream: TcpStream) -> io::Result<()> {
    let peer = stream.peer_addr()?;
    stream.write_all(format!("hello, {peer}\n").as_bytes())
    // `stream` is dropped here, which closes the connection.
}

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    println!("listening on {address}");
    thread::spawn(move || serve(listener));
    for _ in 0..3 {
        let mut client = TcpStream::connect(address)?;
        let mut greeting = String::new();
        client.read_to_string(&mut greeting)?; // until the server closes
        print!("client {} got: {greeting}", client.local_addr()?);
    }
    Ok(())
}
