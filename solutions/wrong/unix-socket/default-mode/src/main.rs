//! WRONG ON PURPOSE (see Cargo.toml). Based on the model answer for `unix-socket`: a local server on a Unix domain socket
//! that cleans up a stale socket file safely, refuses to take over a live
//! one, keeps its socket private (mode 0600) and removes it on shutdown.
//!
//! Protocol, one line each way: `PING` → `PONG`, `ECHO text` → `text`,
//! `SHUTDOWN` → `BYE` (then the server removes its file and exits),
//! anything else → `ERR unknown command`.

use std::fs;
use std::io::{self, BufRead, BufReader, ErrorKind, Write};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: unix-socket PATH");
        return ExitCode::from(2);
    };
    match run(&path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("unix-socket: {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

fn run(path: &Path) -> io::Result<()> {
    clear_stale(path)?;
    let listener = bind_private(path)?;
    println!("listening on {}", path.display());
    serve(&listener, path)?;
    // The listener is still open, so nobody else can have bound this path:
    // the file we remove is ours.
    fs::remove_file(path)
}

// ANCHOR: clear_stale
/// Makes `path` free for a new socket, but only by removing a *stale* socket
/// file: one that no server listens behind any more.
fn clear_stale(path: &Path) -> io::Result<()> {
    // symlink_metadata: look at the path itself, not at what a symlink points to.
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if !metadata.file_type().is_socket() {
        return Err(io::Error::new(
            ErrorKind::AlreadyExists,
            "exists and is not a socket; refusing to remove it",
        ));
    }
    // The only reliable liveness test: knock. A live server accepts (and
    // sees us hang up at once); a stale file refuses.
    match UnixStream::connect(path) {
        Ok(_) => Err(io::Error::new(ErrorKind::AddrInUse, "another server is listening there")),
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => fs::remove_file(path),
        Err(e) => Err(e),
    }
}
// ANCHOR_END: clear_stale

/// BUG: the default mode, 0777 minus the umask: anyone may connect.
fn bind_private(path: &Path) -> io::Result<UnixListener> {
    UnixListener::bind(path)
}

/// Serves clients, a thread each, until one of them sends `SHUTDOWN`.
fn serve(listener: &UnixListener, path: &Path) -> io::Result<()> {
    let shutdown = Arc::new(AtomicBool::new(false));
    for stream in listener.incoming() {
        // A client that asked for shutdown wakes us with a connection of its own.
        if shutdown.load(Ordering::SeqCst) {
            break;
        }
        match stream {
            Ok(stream) => {
                let (shutdown, path) = (shutdown.clone(), path.to_path_buf());
                thread::spawn(move || {
                    if let Err(e) = handle_client(stream, &shutdown, &path) {
                        eprintln!("client: {e}");
                    }
                });
            }
            Err(e) => eprintln!("accept failed: {e}"),
        }
    }
    Ok(())
}

/// Answers one client's commands, one line each, until it hangs up.
fn handle_client(stream: UnixStream, shutdown: &AtomicBool, path: &Path) -> io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let command = text.trim_end_matches(['\n', '\r']);
        match respond(command) {
            Some(reply) => writer.write_all(format!("{reply}\n").as_bytes())?,
            None => {
                writer.write_all(b"BYE\n")?;
                shutdown.store(true, Ordering::SeqCst);
                // Wake the accept loop so that it sees the flag.
                let _ = UnixStream::connect(path);
                return Ok(());
            }
        }
    }
}

/// The reply to one command line; `None` for `SHUTDOWN`.
fn respond(command: &str) -> Option<String> {
    let (verb, rest) = command.split_once(' ').unwrap_or((command, ""));
    Some(match verb {
        "PING" if rest.is_empty() => "PONG".to_string(),
        "ECHO" => rest.to_string(),
        "SHUTDOWN" if rest.is_empty() => return None,
        _ => "ERR unknown command".to_string(),
    })
}
