//! WRONG ON PURPOSE (see Cargo.toml). Based on the model answer for `unix-socket`: a local server on a Unix domain socket
//! that cleans up a stale socket file safely, refuses to take over a live
//! one, keeps its socket private (mode 0600) and removes it on shutdown.
//!
//! Protocol, one line each way: `PING` → `PONG`, `ECHO text` → `text`,
//! `SHUTDOWN` → `BYE` (then the server removes its file and exits),
//! anything else → `ERR unknown command`.

use std::fs;
use std::io::{self, BufRead, BufReader, ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
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

/// BUG: removes whatever is at the path, live server or not.
fn clear_stale(path: &Path) -> io::Result<()> {
    let _ = fs::remove_file(path);
    Ok(())
}

// ANCHOR: bind_private
/// Binds a listening socket at `path` that only this user can connect to,
/// from its very first instant.
///
/// `bind` creates the socket file with mode 0777 minus the umask, and a
/// `chmod` afterwards would leave a moment in which others may connect. So
/// the socket is born inside a fresh directory that only we may enter, made
/// private (0600) there, and only then given its public name.
fn bind_private(path: &Path) -> io::Result<UnixListener> {
    // Next to `path`, so on the same file system. `create` fails if the name
    // is taken, so this is surely a directory we just made, and the umask can
    // only take bits away from 0700, never add them.
    let private_dir = path.with_file_name(format!(".bind-{}", std::process::id()));
    fs::DirBuilder::new().mode(0o700).create(&private_dir)?;
    let bound = bind_inside(&private_dir, path);
    // Whatever happened, leave no trace but the socket at `path`.
    let _ = fs::remove_dir_all(&private_dir);
    bound
}

fn bind_inside(private_dir: &Path, path: &Path) -> io::Result<UnixListener> {
    // The same file name, so that `ss -xl | grep NAME` still finds it.
    let hidden = private_dir.join(path.file_name().unwrap_or("socket".as_ref()));
    // Nobody else can reach `hidden`: connecting needs search permission on
    // every directory on the way, and `private_dir` is 0700.
    let listener = UnixListener::bind(&hidden)?;
    fs::set_permissions(&hidden, fs::Permissions::from_mode(0o600))?;
    // A second name for the same socket file, already 0600. Unlike `rename`,
    // `hard_link` never replaces what is at `path`: like `bind`, it fails if
    // the path is taken (by a stale file, or by anything that appeared there
    // since `clear_stale`), and we report that as `bind` would.
    fs::hard_link(&hidden, path).map_err(|e| match e.kind() {
        ErrorKind::AlreadyExists => io::Error::new(ErrorKind::AddrInUse, "Address already in use"),
        _ => e,
    })?;
    Ok(listener)
}
// ANCHOR_END: bind_private

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
