//! WRONG: collects the whole input before echoing it.
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

// BUG: nothing is echoed until the client half-closes.
fn handle_client(mut stream: TcpStream) -> io::Result<()> {
    let mut everything = Vec::new();
    stream.read_to_end(&mut everything)?;
    stream.write_all(&everything)
}
