//! A client for the `remote-exec` server (chapter "Project: a remote command
//! server"). Sends one request and prints the reply:
//!
//! ```text
//! cargo run -p demos --example remote_exec_client -- /tmp/rx/sock echo hello
//! cargo run -p demos --example remote_exec_client -- 127.0.0.1:7000 uname -s
//! ```
//!
//! The first argument is a socket path, or IP:PORT for a server started with `--tcp`.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::time::Duration;

// ANCHOR: frames
/// Writes one frame: 4-byte big-endian length, then the payload.
fn write_frame(out: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len()).map_err(|_| io::Error::other("frame too large"))?;
    let mut frame = len.to_be_bytes().to_vec();
    frame.extend_from_slice(payload);
    out.write_all(&frame)
}

/// Reads one frame of at most `max` bytes.
fn read_frame(input: &mut impl Read, max: usize) -> io::Result<Vec<u8>> {
    let mut header = [0u8; 4];
    input.read_exact(&mut header)?;
    let len = u32::from_be_bytes(header) as usize;
    if len > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("a {len}-byte frame is too large")));
    }
    let mut payload = vec![0u8; len];
    input.read_exact(&mut payload)?;
    Ok(payload)
}
// ANCHOR_END: frames

// ANCHOR: request
/// Sends argv as one request and reads the three reply frames.
fn request(conn: &mut (impl Read + Write), argv: &[String]) -> io::Result<[Vec<u8>; 3]> {
    // argv as NUL-separated UTF-8: ["echo", "a b"] is "echo\0a b".
    write_frame(conn, argv.join("\0").as_bytes())?;
    let status = read_frame(conn, 64)?;
    let stdout = read_frame(conn, 1 << 20)?;
    let stderr = read_frame(conn, 1 << 20)?;
    Ok([status, stdout, stderr])
}
// ANCHOR_END: request

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((place, argv)) = args.split_first().filter(|(_, argv)| !argv.is_empty()) else {
        eprintln!("usage: remote_exec_client SOCKET-PATH|IP:PORT COMMAND [ARG...]");
        std::process::exit(2);
    };
    let patience = Some(Duration::from_secs(10));
    let [status, stdout, stderr] = if place.contains('/') {
        let mut conn = UnixStream::connect(place)?;
        conn.set_read_timeout(patience)?;
        request(&mut conn, argv)?
    } else {
        let mut conn = TcpStream::connect(place.as_str())?;
        conn.set_read_timeout(patience)?;
        request(&mut conn, argv)?
    };
    println!("status: {}", String::from_utf8_lossy(&status));
    println!("stdout: {}", shorten(&stdout));
    println!("stderr: {}", shorten(&stderr));
    Ok(())
}

/// The bytes as a quoted string, cut after 40 bytes, with their count.
fn shorten(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).into_owned();
    let more = if bytes.len() > 40 { "..." } else { "" };
    format!("{text:?}{more} ({} bytes)", bytes.len())
}
