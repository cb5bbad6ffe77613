//! Two ways for a connect to fail, timed: a port where nobody listens
//! (refused at once) and an address that never answers (only a deadline
//! ends the wait). The silent one is a listener whose accept queue is full,
//! so the kernel drops new SYNs: all on loopback.
//! `cargo run -p demos --example names_refused_vs_silent`

use socket2::{Domain, Socket, Type};
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

fn main() -> io::Result<()> {
    // A port that was free a moment ago: nobody listens there now.
    let closed = TcpListener::bind("127.0.0.1:0")?.local_addr()?;

    // A listener with backlog 0 that never accepts. Linux queues
    // backlog + 1 connections; after that, SYNs are dropped.
    let silent = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    silent.bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())?;
    silent.listen(0)?;
    let silent_addr = silent.local_addr()?.as_socket().unwrap();
    let _filler = TcpStream::connect(silent_addr)?;

    // ANCHOR: attempts
    for (what, addr) in [("closed port", closed), ("silent listener", silent_addr)] {
        let start = Instant::now();
        let result = TcpStream::connect_timeout(&addr, Duration::from_millis(500));
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok(_) => println!("{what:<16} {addr}: connected after {ms:.1} ms"),
            Err(e) => println!("{what:<16} {addr}: {e} ({:?}) after {ms:.1} ms", e.kind()),
        }
    }
    // ANCHOR_END: attempts
    Ok(())
}
