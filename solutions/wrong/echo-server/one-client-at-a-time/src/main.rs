//! WRONG: no threads, so clients wait for the one before them to leave.
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};

fn main() -> io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:7878".to_string());
    let listener = TcpListener::bind(&address)?;
    println!("listening on {}", listener.local_addr()?);
    serve(listener)
}

// BUG: the handler runs on the accepting thread; a silent client blocks everyone.
fn serve(listener: TcpListener) -> io::Result<()> {
    for stream in listener.incoming() {
        if let Err(e) = handle_client(stream?) {
            eprintln!("client: {e}");
        }
    }
    Ok(())
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
