//! The naive remote command server, and why it is remote code execution.
//!
//! `cargo run -p demos --example remote_exec_naive` starts a server on a
//! loopback port that reads one line and runs it with `sh -c`, sends it an
//! innocent request and then a hostile one, and checks whether the hostile
//! one created a file in a temp dir made for the demo (and deleted after).
//! It exits with status 0 when the attack worked, which is the point.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::thread;

// ANCHOR: naive
/// DO NOT DO THIS: reads one line and gives it to a shell.
fn serve_naively(listener: TcpListener) -> io::Result<()> {
    for stream in listener.incoming() {
        let mut stream = stream?;
        let mut line = String::new();
        BufReader::new(&stream).read_line(&mut line)?;
        // The client's text becomes shell syntax: `;`, `|`, `$(...)`, all of it.
        let output = Command::new("sh").arg("-c").arg(line.trim_end()).output()?;
        stream.write_all(&output.stdout)?;
    }
    Ok(())
}
// ANCHOR_END: naive

/// Sends one line and returns everything the server answers.
fn ask(address: std::net::SocketAddr, line: &str) -> io::Result<String> {
    let mut stream = TcpStream::connect(address)?;
    stream.write_all(format!("{line}\n").as_bytes())?;
    stream.shutdown(Shutdown::Write)?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply)?;
    Ok(reply)
}

fn main() -> io::Result<()> {
    let dir = std::env::temp_dir().join(format!("remote-exec-naive-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = demo(&dir);
    std::fs::remove_dir_all(&dir)?;
    let pwned = result?;
    std::process::exit(if pwned { 0 } else { 1 });
}

fn demo(dir: &Path) -> io::Result<bool> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    // The server thread serves for as long as the demo runs; the process ends it.
    thread::spawn(move || serve_naively(listener));

    // ANCHOR: attack
    let innocent = "date +%Y";
    println!("client sends: {innocent}");
    print!("server says:  {}", ask(address, innocent)?);

    let marker = dir.join("pwned");
    let hostile = format!("date +%Y; touch {}", marker.display());
    println!("client sends: {hostile}");
    print!("server says:  {}", ask(address, &hostile)?);
    let pwned = marker.exists();
    println!("{} exists: {pwned}", marker.display());
    // ANCHOR_END: attack
    if pwned {
        println!("the client ran a command of its own choosing: remote code execution");
    }
    Ok(pwned)
}
