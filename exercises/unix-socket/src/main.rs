//! Exercise `unix-socket`: a local server on a Unix domain socket that
//! cleans up a stale socket file safely, refuses to take over a live one,
//! keeps its socket private (mode 0600) and removes it on shutdown.
//!
//! Read first: the book, chapter "Unix domain sockets" (src/unix-sockets.md;
//! `cargo course book --open`).
//! Test:       `cargo course check unix-socket` (or `cargo test -p unix-socket`).
//! Try it:     `cargo run -p unix-socket -- /tmp/demo.sock`, then in another
//!             terminal `nc -U /tmp/demo.sock` and type `PING`.
//!
//! Protocol, one line each way: `PING` → `PONG`, `ECHO text` → `text`,
//! `SHUTDOWN` → `BYE` (then the server removes its file and exits with 0),
//! anything else → `ERR unknown command`.
//!
//! You write `serve`, `handle_client` and `respond` (stages 1 to 3 and 8),
//! then finish `bind_private` (stage 4) and `clear_stale` (stages 5 to 7).
//! Unix only (Linux, macOS, or WSL on Windows).
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code)]

use std::fs;
use std::io::{self, BufRead, BufReader, ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
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
            // A refusal (live server, not a socket) ends up here: a clear
            // message on stderr and a non-zero exit status.
            eprintln!("unix-socket: {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

fn run(path: &Path) -> io::Result<()> {
    clear_stale(path)?;
    let listener = bind_private(path)?;
    // The tests wait for this line. Keep it.
    println!("listening on {}", path.display());
    serve(&listener, path)?;
    // TODO (stage 8): `serve` returns after a client sent SHUTDOWN. Remove
    // the socket file here: nothing removes it for you.
    Ok(())
}

/// Makes `path` free for a new socket, but only by removing a *stale* socket
/// file: one that no server listens behind any more.
fn clear_stale(path: &Path) -> io::Result<()> {
    // TODO (stages 5 to 7):
    //  - `fs::symlink_metadata(path)`: NotFound means nothing to do.
    //  - If it is not a socket (`.file_type().is_socket()`), refuse: return an
    //    error, never remove somebody's regular file.
    //  - Connect to it (`UnixStream::connect`): success means a live server is
    //    there, so return an error; ConnectionRefused means stale, so remove
    //    the file; any other error, return it.
    Ok(())
}

/// Binds a listening socket at `path` that only this user can connect to.
fn bind_private(path: &Path) -> io::Result<UnixListener> {
    // TODO (stage 4): `bind` creates the file with mode 0777 minus the umask
    // (usually 0755). Make it 0600, either:
    //  - better, never open to others (see the book): make a directory next
    //    to `path` that only you may enter (`fs::DirBuilder::new()
    //    .mode(0o700).create(&dir)`), bind inside it, `fs::set_permissions`
    //    the socket there to `fs::Permissions::from_mode(0o600)`, give it its
    //    real name with `fs::hard_link(&inside, path)` (it fails if the path
    //    is taken; `rename` would replace whatever is there), and finally
    //    `fs::remove_dir_all(&dir)`, also when a step failed; or
    //  - simpler, with a short window (see the book): after `bind`,
    //    `fs::set_permissions(path, fs::Permissions::from_mode(0o600))`.
    UnixListener::bind(path)
}

/// Serves clients, a thread each, until one of them sends `SHUTDOWN`.
fn serve(listener: &UnixListener, path: &Path) -> io::Result<()> {
    // TODO (stages 1, 3, 8): accept in a loop (`listener.incoming()`) and give
    // each client a thread running `handle_client`. For SHUTDOWN, share an
    // `Arc<AtomicBool>` with the handlers: the one that gets SHUTDOWN sets it
    // and connects to `path` once, so that this loop wakes up from `accept`,
    // sees the flag, and returns.
    todo!("accept clients: see the section 'The exercise protocol'")
}

/// Answers one client's commands, one line each, until it hangs up.
fn handle_client(stream: UnixStream, shutdown: &AtomicBool, path: &Path) -> io::Result<()> {
    // TODO (stages 1, 2, 8): wrap a clone of the stream in a `BufReader` and
    // read lines (`read_until(b'\n', ..)`) until 0 bytes (the client hung up).
    // Strip the `\n` (and a `\r`), then write `respond(..)` plus `\n`. For
    // SHUTDOWN (`respond` gives None): write `BYE\n`, set the flag, wake the
    // accept loop, return.
    todo!("serve one client: see the section 'The exercise protocol'")
}

/// The reply to one command line; `None` for `SHUTDOWN`.
fn respond(command: &str) -> Option<String> {
    // TODO (stage 2): `PING` → `PONG`, `ECHO text` → `text`,
    // `SHUTDOWN` → None, anything else → `ERR unknown command`.
    todo!("see the section 'The exercise protocol'")
}
