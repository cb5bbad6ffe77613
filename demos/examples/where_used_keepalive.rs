//! What a connection pool keeps: the same TCP connection, reused for the
//! next request to the same host (chapter "Where it is used").
//!
//! `cargo run -p demos --example where_used_keepalive` starts a tiny
//! HTTP/1.1 server on a loopback port, then fetches twice without a pool
//! (a new connection each time) and twice with a pool of idle connections
//! (one connection, two requests). The server numbers its connections, and
//! the client prints the local port each request left from.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// A minimal HTTP/1.1 server: answers every request on a connection until
/// the client closes it, saying which connection and request this is.
fn serve(listener: TcpListener) {
    static CONNECTIONS: AtomicUsize = AtomicUsize::new(0);
    for stream in listener.incoming().flatten() {
        let number = CONNECTIONS.fetch_add(1, Ordering::SeqCst) + 1;
        thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            for request in 1.. {
                // Read the request head up to the empty line; EOF ends the connection.
                let mut line = String::new();
                loop {
                    line.clear();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) if line == "\r\n" => break,
                        Ok(_) => {}
                    }
                }
                let body = format!("connection {number}, request {request}\n");
                let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
                if reader.get_mut().write_all((head + &body).as_bytes()).is_err() {
                    return;
                }
            }
        });
    }
}

/// Sends a GET on `stream` and reads one response, using Content-Length to
/// know where it ends (so that the connection can carry the next one).
fn get(stream: &mut TcpStream, address: SocketAddr) -> io::Result<String> {
    // Build the whole request first and write it once: `write!` straight
    // to a TcpStream would make one system call per formatted piece.
    let request = format!("GET / HTTP/1.1\r\nHost: {address}\r\n\r\n");
    stream.write_all(request.as_bytes())?;
    let mut reader = BufReader::new(&*stream);
    let mut length = 0;
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().map_err(|_| io::Error::other("bad Content-Length"))?;
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    Ok(String::from_utf8_lossy(&body).trim_end().to_string())
}

// ANCHOR: pool
/// Idle connections, by server address: what a connection pool keeps.
#[derive(Default)]
struct Pool {
    idle: HashMap<SocketAddr, Vec<TcpStream>>,
}

impl Pool {
    /// An idle connection to `address` if there is one, else a new one.
    fn checkout(&mut self, address: SocketAddr) -> io::Result<TcpStream> {
        match self.idle.get_mut(&address).and_then(Vec::pop) {
            Some(stream) => Ok(stream),
            None => TcpStream::connect(address),
        }
    }

    /// Gives a connection back after a complete response, for the next request.
    fn checkin(&mut self, address: SocketAddr, stream: TcpStream) {
        self.idle.entry(address).or_default().push(stream);
    }
}
// ANCHOR_END: pool

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    thread::spawn(move || serve(listener));

    println!("without a pool:");
    for _ in 0..2 {
        let mut stream = TcpStream::connect(address)?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        let port = stream.local_addr()?.port();
        println!("  from port {port}: {}", get(&mut stream, address)?);
        // The stream is dropped here: the connection closes after one request.
    }

    // ANCHOR: reuse
    println!("with a pool:");
    let mut pool = Pool::default();
    for _ in 0..2 {
        let mut stream = pool.checkout(address)?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        let port = stream.local_addr()?.port();
        println!("  from port {port}: {}", get(&mut stream, address)?);
        pool.checkin(address, stream);
    }
    // ANCHOR_END: reuse
    Ok(())
}
