//! An HTTP GET written by hand with `std::net`, against a tiny server that
//! this program starts itself on 127.0.0.1 (port 0: any free port), so it
//! runs offline and finishes by itself.
//!
//! Run it with `cargo run -p demos --example motivation_get_by_hand`.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;

fn main() -> io::Result<()> {
    // A one-request web server, so that the client below has someone to talk to.
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = thread::spawn(move || serve_one(listener));

    // ANCHOR: client
    // 1. A TCP connection: the kernel does the handshake with the server.
    let mut stream = TcpStream::connect(addr)?;

    // 2. HTTP/1.1 is text: a request line, headers, and an empty line.
    let request = format!("GET /hello.txt HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes())?;

    // 3. The reply is text too. With `Connection: close`, the server closes
    //    the connection after the body, so "read until EOF" reads all of it.
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    // ANCHOR_END: client

    println!("--- sent {} bytes:", request.len());
    print!("{}", request.replace("\r\n", "\\r\\n\n"));
    println!("--- received {} bytes:", response.len());
    print!("{}", String::from_utf8_lossy(&response).replace("\r\n", "\\r\\n\n"));
    println!();

    server.join().expect("the server thread panicked")
}

/// Accepts one connection, reads the request head, and answers it.
fn serve_one(listener: TcpListener) -> io::Result<()> {
    let (stream, _) = listener.accept()?;
    let mut reader = BufReader::new(stream.try_clone()?);
    // The request head ends with an empty line.
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
    }
    let body = "hello from a server on loopback\n";
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    // Closing our side is what tells the client that the response is complete.
    stream.shutdown(Shutdown::Write)
}
