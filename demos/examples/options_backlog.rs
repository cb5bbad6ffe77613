//! The listen backlog: a listener that never calls accept. Connections the
//! kernel completes wait in its accept queue; once the queue is full, new
//! SYNs are dropped (on Linux) and connect can only time out. `ss -tln`
//! shows the queue: Recv-Q is how many wait, Send-Q is the backlog.
//! `cargo run -p demos --example options_backlog`

use socket2::{Domain, Socket, Type};
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() -> io::Result<()> {
    // ANCHOR: listener
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    listener.bind(&addr.into())?;
    listener.listen(2)?; // backlog 2, and we never call accept
    let addr = listener.local_addr()?.as_socket().unwrap();
    // ANCHOR_END: listener

    // ANCHOR: clients
    let mut clients = Vec::new();
    for i in 1..=5 {
        let start = Instant::now();
        match TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
            Ok(stream) => {
                println!("client {i}: connected in {:.2} ms", start.elapsed().as_secs_f64() * 1000.0);
                clients.push(stream);
            }
            Err(e) => println!("client {i}: {e} after {} ms", start.elapsed().as_millis()),
        }
    }
    // ANCHOR_END: clients

    let filter = format!("( sport = :{} )", addr.port());
    println!("\n$ ss -tln '{filter}'");
    match Command::new("ss").args(["-tln", &filter]).output() {
        Ok(out) => print!("{}", String::from_utf8_lossy(&out.stdout)),
        Err(e) => println!("(could not run ss: {e})"),
    }
    Ok(())
}
