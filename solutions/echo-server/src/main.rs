//! Model answer for `echo-server`: a TCP echo server with a thread per client.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

fn main() -> io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:7878".to_string());
    let listener = TcpListener::bind(&address)?;
    println!("listening on {}", listener.local_addr()?);
    serve(listener)
}

// ANCHOR: serve
/// Accepts clients forever and serves each one on its own thread.
fn serve(listener: TcpListener) -> io::Result<()> {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                // The thread owns the stream; when the handler returns, the
                // stream is dropped and the connection closed.
                thread::spawn(move || {
                    let peer = stream.peer_addr().map_or_else(|_| "a client".to_string(), |a| a.to_string());
                    if let Err(e) = handle_client(stream) {
                        // A reset or a broken pipe ends one conversation, not the server.
                        eprintln!("{peer}: {e}");
                    }
                });
            }
            // accept can fail for reasons that concern one client (it reset
            // before we got to it) or none (out of file descriptors). Either
            // way, the other clients still deserve service.
            Err(e) => eprintln!("accept failed: {e}"),
        }
    }
    Ok(())
}
// ANCHOR_END: serve

// ANCHOR: handle_client
/// Echoes everything one client sends back to it, until the client is done.
fn handle_client(mut stream: TcpStream) -> io::Result<()> {
    let mut buf = [0u8; 8192];
    loop {
        let n = match stream.read(&mut buf) {
            // EOF: the client shut down its sending side. We are done too.
            Ok(0) => return Ok(()),
            Ok(n) => n,
            // A signal interrupted the call before any byte arrived: just retry.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // Only the n bytes that arrived, all of them, however many writes it takes.
        stream.write_all(&buf[..n])?;
    }
}
// ANCHOR_END: handle_client
