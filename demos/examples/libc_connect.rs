//! The smallest connect there is: a listener on 127.0.0.1 and one
//! `TcpStream::connect` to it, so that `strace` and `ltrace` have something
//! short to show. `cargo run -p demos --example libc_connect`
//!
//! Under strace (see the book, "Try it: ldd and strace"):
//! `strace -f -e trace=socket,connect target/debug/examples/libc_connect`

use std::io;
use std::net::{TcpListener, TcpStream};

// ANCHOR: connect
fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    println!("listening on {address}");

    // This one line is socket(2) + connect(2), through libc.
    let stream = TcpStream::connect(address)?;
    println!("connected from {} to {}", stream.local_addr()?, stream.peer_addr()?);
    Ok(())
}
// ANCHOR_END: connect
