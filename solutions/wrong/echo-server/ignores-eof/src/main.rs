//! WRONG: never notices EOF.
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

fn main() -> io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:7878".to_string());
    let listener = TcpListener::bind(&address)?;
    println!("listening on {}", listener.local_addr()?);
    serve(listener)
}

fn serve(listener: TcpListener) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = stream?;
        thread::spawn(move || handle_client(stream));
    }
    Ok(())
}

// BUG: a read of 0 bytes (EOF) is treated like any other; the loop spins forever
// and the connection is never closed.
fn handle_client(mut stream: TcpStream) -> io::Result<()> {
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf)?;
        stream.write_all(&buf[..n])?;
    }
}
