//! "Address already in use" after a restart, for real. A server accepts a
//! connection and closes it first, which leaves that connection in
//! TIME_WAIT on the server's port. Then the server "restarts": it binds the
//! same port again, with and without SO_REUSEADDR.
//! `cargo run -p demos --example options_reuseaddr`

use socket2::{Domain, Socket, Type};
use std::io::{self, Read};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;

// ANCHOR: listen
/// A listener on `addr`, with SO_REUSEADDR on or off. (std's
/// `TcpListener::bind` always turns it on, on Unix; socket2 lets you choose.)
fn listen(addr: SocketAddr, reuse: bool) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(reuse)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket)
}
// ANCHOR_END: listen

/// Runs a server on a fresh port that serves one client and closes first,
/// then stops. Returns the port.
fn serve_once(reuse: bool) -> io::Result<SocketAddr> {
    let listener = listen("127.0.0.1:0".parse().unwrap(), reuse)?;
    let addr = listener.local_addr()?.as_socket().unwrap();
    let mut client = TcpStream::connect(addr)?;
    let (served, _) = listener.accept()?;
    drop(served); // the server closes first: its side will sit in TIME_WAIT
    let mut rest = Vec::new();
    client.read_to_end(&mut rest)?; // the client sees EOF and closes too
    drop(client);
    drop(listener); // the server exits
    Ok(addr)
}

fn main() -> io::Result<()> {
    // ANCHOR: restart
    for (first, second) in [(false, false), (false, true), (true, false), (true, true)] {
        let addr = serve_once(first)?;
        let again = listen(addr, second);
        let outcome = match &again {
            Ok(_) => "bound".to_string(),
            Err(e) => format!("{e}"),
        };
        println!("first run SO_REUSEADDR={first:<5} restart SO_REUSEADDR={second:<5} -> {outcome}");
    }
    // ANCHOR_END: restart
    let addr = serve_once(true)?;
    let filter = format!("( sport = :{} )", addr.port());
    println!("\n$ ss -tan state time-wait '{filter}'");
    match Command::new("ss").args(["-tan", "state", "time-wait", &filter]).output() {
        Ok(out) => print!("{}", String::from_utf8_lossy(&out.stdout)),
        Err(e) => println!("(could not run ss: {e})"),
    }
    Ok(())
}
