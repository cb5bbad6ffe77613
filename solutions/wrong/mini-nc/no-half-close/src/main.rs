//! WRONG (on purpose): never half-closes the socket when stdin ends.
//!
//! `mini-nc HOST PORT` connects to HOST:PORT; `mini-nc -l PORT` listens on
//! 127.0.0.1:PORT and accepts one client. Either way, from then on stdin goes
//! to the socket and the socket goes to stdout, both at once, until the peer
//! closes the connection.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
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

fn connect(host: &str, port: u16) -> Result<TcpStream, String> {
    // Resolve first, on its own, so that "no such host" and "nobody is
    // listening there" end up as two different messages.
    let addrs: Vec<SocketAddr> =
        (host, port).to_socket_addrs().map_err(|e| format!("cannot resolve {host}: {e}"))?.collect();
    // `connect` with a slice tries each address in turn and returns the
    // error of the last one if none of them works.
    TcpStream::connect(&addrs[..]).map_err(|e| format!("cannot connect to {host} port {port}: {e}"))
}

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

fn relay(stream: TcpStream) -> io::Result<()> {
    let mut to_peer = stream.try_clone()?;
    let from_peer = stream;
    thread::spawn(move || {
        // BUG: no `shutdown(Shutdown::Write)` when stdin ends. Dropping this
        // clone closes one handle, but the socket stays open through the
        // other, so the peer never sees EOF.
        let _ = pump(io::stdin().lock(), &mut to_peer);
    });
    pump(from_peer, io::stdout().lock())?;
    Ok(())
}

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
