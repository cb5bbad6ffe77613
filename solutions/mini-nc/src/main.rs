//! Model answer for `mini-nc`: a small netcat.
//!
//! `mini-nc HOST PORT` connects to HOST:PORT; `mini-nc -l PORT` listens on
//! 127.0.0.1:PORT and accepts one client. Either way, from then on stdin goes
//! to the socket and the socket goes to stdout, both at once, until the peer
//! closes the connection.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::thread;

const USAGE: &str = "usage: mini-nc HOST PORT   connect to HOST:PORT
       mini-nc -l PORT     listen on 127.0.0.1:PORT for one client";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Errors go to stderr: stdout carries the data, and a script that
            // pipes it somewhere must not receive our complaints as data.
            eprintln!("mini-nc: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let stream = match args {
        [flag, port] if flag == "-l" => listen(parse_port(port)?)?,
        [host, port] => connect(host, parse_port(port)?)?,
        _ => return Err(USAGE.to_string()),
    };
    relay(stream).map_err(|e| format!("connection failed: {e}"))
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.parse().map_err(|_| format!("bad port {text:?}: a port is a number from 0 to 65535"))
}

// ANCHOR: connect
fn connect(host: &str, port: u16) -> Result<TcpStream, String> {
    // Resolve first, on its own, so that "no such host" and "nobody is
    // listening there" end up as two different messages.
    let addrs: Vec<SocketAddr> =
        (host, port).to_socket_addrs().map_err(|e| format!("cannot resolve {host}: {e}"))?.collect();
    // `connect` with a slice tries each address in turn and returns the
    // error of the last one if none of them works.
    TcpStream::connect(&addrs[..]).map_err(|e| format!("cannot connect to {host} port {port}: {e}"))
}
// ANCHOR_END: connect

// ANCHOR: listen
fn listen(port: u16) -> Result<TcpStream, String> {
    // Loopback only: a program that hands its stdin to whoever connects
    // should not be reachable from the rest of the network.
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| format!("cannot read the listening address: {e}"))?;
    // On stderr, like every message: stdout is for the bytes the peer sends.
    eprintln!("listening on {addr}");
    let (stream, peer) = listener.accept().map_err(|e| format!("accept failed: {e}"))?;
    eprintln!("connection from {peer}");
    // The listener is dropped here: one client, as promised.
    Ok(stream)
}
// ANCHOR_END: listen

// ANCHOR: relay
/// Copies stdin to the socket and the socket to stdout at the same time,
/// until the peer closes the connection.
fn relay(stream: TcpStream) -> io::Result<()> {
    // Two handles on one socket: one for each direction.
    let mut to_peer = stream.try_clone()?;
    let from_peer = stream;

    // stdin -> socket, on a thread of its own: reading stdin blocks until
    // the user types, and the socket must be read meanwhile.
    thread::spawn(move || {
        let copied = pump(io::stdin().lock(), &mut to_peer);
        // stdin is done. Half-close: the peer reads EOF, so it knows the
        // request is complete, but our receiving side stays open for its reply.
        let _ = to_peer.shutdown(Shutdown::Write);
        if let Err(e) = copied {
            eprintln!("mini-nc: sending failed: {e}");
        }
    });

    // socket -> stdout, on this thread, until the peer closes (EOF). Then we
    // are done, even if stdin is still open: returning from main ends the
    // process and with it the thread blocked on stdin.
    pump(from_peer, io::stdout().lock())?;
    Ok(())
}
// ANCHOR_END: relay

// ANCHOR: pump
/// Copies `from` to `to` until EOF, passing each piece on as soon as it
/// arrives. Returns how many bytes it copied.
fn pump(mut from: impl Read, mut to: impl Write) -> io::Result<u64> {
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        to.write_all(&buf[..n])?;
        // stdout keeps a line without '\n' (a prompt such as "login: ") in
        // its buffer until it is flushed: flush, so the user sees it now.
        to.flush()?;
        total += n as u64;
    }
}
// ANCHOR_END: pump
