//! An HTTP/1.1 exchange with nothing but a TcpStream: the exact request
//! bytes, and the exact response bytes, printed escaped.
//! `cargo run -p demos --example tcp_http_by_hand`
//!
//! The "web server" is a thread in this program that answers one request
//! with a fixed response, so the demo needs no network and finishes by itself.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;

fn escaped(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

/// Reads the request's header lines up to the empty line, then answers.
fn tiny_server(listener: TcpListener) -> io::Result<()> {
    let (stream, _) = listener.accept()?;
    let mut reader = BufReader::new(&stream);
    let mut request = Vec::new();
    while !request.ends_with(b"\r\n\r\n") {
        if reader.read_until(b'\n', &mut request)? == 0 {
            break; // the client closed before finishing its request
        }
    }
    println!("server received {} bytes:\n  {}", request.len(), escaped(&request));
    let body = "Hello from a socket!\n";
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    (&stream).write_all(response.as_bytes())
}

// ANCHOR: client
/// Sends a GET for `path` to `addr` and returns the raw response bytes.
fn get(addr: SocketAddr, path: &str) -> io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr)?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes())?;

    // This server closes after its response (we asked: Connection: close),
    // so here "read until EOF" gets exactly the response.
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(response)
}
// ANCHOR_END: client

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = thread::spawn(move || tiny_server(listener));
    let response = get(addr, "/hello.txt")?;
    server.join().expect("server thread")?;

    println!("client received {} bytes:\n  {}", response.len(), escaped(&response));
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a blank line");
    let head = String::from_utf8_lossy(&response[..split]);
    let mut lines = head.split("\r\n");
    println!("status line: {:?}", lines.next().unwrap_or(""));
    for header in lines {
        println!("header:      {header:?}");
    }
    println!("body:        {:?}", String::from_utf8_lossy(&response[split + 4..]));
    Ok(())
}
