//! Two ways to close: the normal close sends FIN and the peer reads EOF;
//! with SO_LINGER set to 0 s, close sends RST and the peer's read fails
//! with "connection reset". Watch it with tcpdump on `lo`.
//! `cargo run -p demos --example options_linger`

use socket2::SockRef;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    println!("server on {addr}");
    for abortive in [false, true] {
        let mut client = TcpStream::connect(addr)?;
        client.set_read_timeout(Some(Duration::from_secs(2)))?;
        let (mut served, _) = listener.accept()?;
        served.write_all(b"bye\n")?;
        // ANCHOR: linger
        if abortive {
            // Linger on, for 0 seconds: close() throws away anything unsent
            // and sends RST instead of FIN. No TIME_WAIT on this side.
            SockRef::from(&served).set_linger(Some(Duration::ZERO))?;
        }
        drop(served);
        // ANCHOR_END: linger
        let mut buf = [0u8; 64];
        let first = client.read(&mut buf);
        let second = client.read(&mut buf);
        println!(
            "{}: client port {}: first read {:?}, second read {:?}",
            if abortive { "close with SO_LINGER 0" } else { "normal close         " },
            client.local_addr()?.port(),
            first.map(|n| String::from_utf8_lossy(&buf[..n]).into_owned()),
            second.map_err(|e| e.to_string()),
        );
    }
    Ok(())
}
