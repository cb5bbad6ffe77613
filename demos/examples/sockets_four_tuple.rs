//! Every accepted connection shares the listening port; the 4-tuple (local
//! address and port, peer address and port) tells them apart.
//! `cargo run -p demos --example sockets_four_tuple`
//! `cargo run -p demos --example sockets_four_tuple -- 20` keeps the
//! connections open for 20 seconds, so that you can look at them with `ss`.

use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

// ANCHOR: main
fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("listening on {} (pid {})", listener.local_addr()?, std::process::id());

    // Three clients connect. Each gets its own ephemeral port from the kernel.
    let clients: Vec<TcpStream> =
        (0..3).map(|_| TcpStream::connect(listener.local_addr()?)).collect::<Result<_, _>>()?;
    for (i, c) in clients.iter().enumerate() {
        println!("client {i}: local {}  peer {}", c.local_addr()?, c.peer_addr()?);
    }

    // The server accepts them: three new sockets, all on the listening port.
    let mut accepted = Vec::new();
    for _ in 0..3 {
        let (stream, _) = listener.accept()?;
        println!("accepted: local {}  peer {}", stream.local_addr()?, stream.peer_addr()?);
        accepted.push(stream);
    }

    // Optionally stay alive (at most a minute) so that `ss` can see it all.
    let hold: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0).min(60);
    if hold > 0 {
        println!("holding the connections open for {hold} s");
        thread::sleep(Duration::from_secs(hold));
    }
    Ok(())
}
// ANCHOR_END: main
