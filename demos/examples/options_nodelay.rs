//! Nagle's algorithm meets delayed ACKs: a client that sends each request
//! as two small writes (header, then body) and waits for a one-byte reply.
//! Timed with and without TCP_NODELAY, on loopback.
//! `cargo run -p demos --example options_nodelay`

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

const ROUNDS: usize = 20;
const HEADER: &[u8] = b"LEN 5\n";
const BODY: &[u8] = b"hello";

/// Reads header and body of each request, then replies with one byte.
fn serve(mut stream: TcpStream) -> io::Result<()> {
    let mut request = [0u8; HEADER.len() + BODY.len()];
    loop {
        match stream.read_exact(&mut request) {
            Ok(()) => stream.write_all(b"k")?,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

// ANCHOR: rounds
/// Sends ROUNDS requests as write(header), write(body), read(reply) and
/// returns how long each round took.
fn rounds(addr: std::net::SocketAddr, nodelay: bool) -> io::Result<Vec<Duration>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(nodelay)?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let mut reply = [0u8; 1];
    let mut times = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        stream.write_all(HEADER)?; // small write 1
        stream.write_all(BODY)?; // small write 2: Nagle may hold it back
        stream.read_exact(&mut reply)?;
        times.push(start.elapsed());
    }
    Ok(times)
}
// ANCHOR_END: rounds

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || serve(stream));
        }
    });
    for nodelay in [false, true] {
        let times = rounds(addr, nodelay)?;
        let ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1000.0).collect();
        let total: f64 = ms.iter().sum();
        let shown: Vec<String> = ms.iter().map(|m| format!("{m:.1}")).collect();
        println!("TCP_NODELAY={nodelay:<5}  total {total:7.1} ms for {ROUNDS} rounds");
        println!("  per round (ms): {}", shown.join(" "));
    }
    Ok(())
}
