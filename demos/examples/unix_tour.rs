//! Unix domain sockets without a server process: a connected pair, datagram
//! sockets (boundaries kept, and the unnamed-sender trap), and on Linux an
//! abstract name that lives in no directory.
//! `cargo run -p demos --example unix_tour`

#[cfg(unix)]
fn main() -> std::io::Result<()> {
    tour::pair()?;
    tour::datagrams()?;
    tour::abstract_name()
}

#[cfg(not(unix))]
fn main() {
    println!("Unix domain sockets need Unix (Linux, macOS, or WSL).");
}

#[cfg(unix)]
mod tour {
    use std::io::{self, BufRead, BufReader, Write};
    use std::os::unix::net::{UnixDatagram, UnixStream};
    use std::thread;

    // ANCHOR: pair
    /// Two connected stream sockets in one call, no path, no listener:
    /// socketpair(2). A common way to talk to a thread or a child process.
    pub fn pair() -> io::Result<()> {
        let (mut ours, theirs) = UnixStream::pair()?;
        let helper = thread::spawn(move || -> io::Result<()> {
            let mut line = String::new();
            BufReader::new(&theirs).read_line(&mut line)?;
            (&theirs).write_all(line.to_uppercase().as_bytes())
        });
        ours.write_all(b"hello through a socketpair\n")?;
        let mut reply = String::new();
        BufReader::new(&ours).read_line(&mut reply)?;
        print!("pair: {reply}");
        helper.join().expect("helper thread")?;
        Ok(())
    }
    // ANCHOR_END: pair

    // ANCHOR: datagrams
    /// Datagram sockets in the Unix domain keep message boundaries like UDP,
    /// but nothing on the way can lose or reorder them.
    pub fn datagrams() -> io::Result<()> {
        let (a, b) = UnixDatagram::pair()?;
        a.send(b"first")?;
        a.send(b"second, longer")?;
        let mut buf = [0u8; 64];
        for _ in 0..2 {
            let n = b.recv(&mut buf)?;
            println!("datagram: {n:2} bytes {:?}", String::from_utf8_lossy(&buf[..n]));
        }

        // A server bound to a path, and a client that did not bind at all.
        let dir = std::env::temp_dir().join(format!("unix-tour-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let server = UnixDatagram::bind(dir.join("server.sock"))?;
        let client = UnixDatagram::unbound()?;
        client.send_to(b"where do I answer?", dir.join("server.sock"))?;
        let (n, from) = server.recv_from(&mut buf)?;
        println!(
            "server got {:?} from {from:?}: pathname {:?}, so there is no address to reply to",
            String::from_utf8_lossy(&buf[..n]),
            from.as_pathname()
        );
        std::fs::remove_dir_all(&dir)
    }
    // ANCHOR_END: datagrams

    // ANCHOR: abstract
    /// Linux only: an abstract name lives in the network namespace, not in a
    /// directory. No file to clean up, and no file permissions to guard it.
    #[cfg(target_os = "linux")]
    pub fn abstract_name() -> io::Result<()> {
        use std::os::linux::net::SocketAddrExt;
        use std::os::unix::net::{SocketAddr, UnixListener};

        let name = format!("sockets-course-{}", std::process::id());
        let addr = SocketAddr::from_abstract_name(name.as_bytes())?;
        let listener = UnixListener::bind_addr(&addr)?;
        let _client = UnixStream::connect_addr(&addr)?;
        let (_server_side, _) = listener.accept()?;
        println!("abstract: listening on {:?}, and a client connected", listener.local_addr()?);
        // Binding the same name again fails while the listener lives...
        let again = UnixListener::bind_addr(&addr).map(|_| ()).map_err(|e| e.kind());
        println!("abstract: binding it a second time: {again:?}");
        drop(listener);
        // ...and succeeds as soon as it is closed: nothing stale is left behind.
        println!("abstract: after closing, bind again: {:?}", UnixListener::bind_addr(&addr).map(|_| ()));
        Ok(())
    }
    // ANCHOR_END: abstract

    #[cfg(not(target_os = "linux"))]
    pub fn abstract_name() -> io::Result<()> {
        println!("abstract names are Linux-only");
        Ok(())
    }
}
