//! WRONG: serves the first client, then exits.
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

fn main() -> io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:7878".to_string());
    let listener = TcpListener::bind(&address)?;
    println!("listening on {}", listener.local_addr()?);
    serve(listener)
}

// BUG: accepts once; when that client leaves, so does the server.
fn serve(listener: TcpListener) -> io::Result<()> {
    let (stream, _) = listener.accept()?;
    handle_client(stream)
}

fn handle_client(mut stream: TcpStream) -> io::Result<()> {
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        stream.write_all(&buf[..n])?;
    }
}
