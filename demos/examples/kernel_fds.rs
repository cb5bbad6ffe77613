//! File descriptors, seen from inside: lists /proc/self/fd, opens a file, a
//! listening socket and a connection, and lists it again. Then it shows that
//! a socket is a file: the connection is turned into a `std::fs::File` and
//! written with the same `write` that writes files.
//! `cargo run -p demos --example kernel_fds` (Linux: it reads /proc)
//!
//! With an argument, it pauses that many seconds at the end (at most 60), so
//! that you can look at it from outside: `ls -l /proc/PID/fd`, `ss -tanpe`.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::time::Duration;

// ANCHOR: list
/// Prints every open descriptor of this process and what it refers to.
fn show_descriptors(when: &str) -> io::Result<()> {
    println!("{when}:");
    let mut entries: Vec<_> = fs::read_dir("/proc/self/fd")?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name().to_string_lossy().parse::<u32>().unwrap_or(0));
    for entry in entries {
        // Each entry is a symbolic link named after the number; its target
        // says what the descriptor refers to. (One of them is the directory
        // listing itself, open while we read it.)
        let target = fs::read_link(entry.path()).map(|p| p.display().to_string()).unwrap_or_default();
        println!("  fd {:>2} -> {target}", entry.file_name().to_string_lossy());
    }
    Ok(())
}
// ANCHOR_END: list

fn main() -> io::Result<()> {
    let pause = std::env::args().nth(1).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0).min(60);
    println!("pid {}", std::process::id());
    show_descriptors("at start")?;

    let file = File::open("/etc/hostname")?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server_side, _) = listener.accept()?;
    show_descriptors("after opening a file, a listener and both ends of a connection")?;

    // ANCHOR: socket_is_a_file
    // A socket is a file: give up the TcpStream's descriptor to a File, and
    // File's `write` (plain write(2)) sends bytes over TCP.
    let mut as_file = File::from(OwnedFd::from(client));
    as_file.write_all(b"sent through a File\n")?;
    drop(as_file); // close(2): the same call that closes a file; the peer sees EOF

    let mut received = String::new();
    File::from(OwnedFd::from(server_side)).read_to_string(&mut received)?;
    print!("the other end read: {received}");
    // ANCHOR_END: socket_is_a_file

    drop(file);
    if pause > 0 {
        println!("pausing {pause} s: look at /proc/{}/fd now", std::process::id());
        std::thread::sleep(Duration::from_secs(pause));
    }
    Ok(())
}
