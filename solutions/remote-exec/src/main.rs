//! Model answer for `remote-exec`: a remote command server, done safely.
//!
//! Safe means: commands only from an allowlist, resolved by exact name to an
//! absolute path; argv handed to the kernel, never to a shell; every request
//! bounded in size, time, output and concurrency; and reachable only from this
//! machine (a 0600 Unix socket, or TCP on a loopback address).

// The wire format is the exercise's own, provided file: one source for both.
#[path = "../../../exercises/remote-exec/src/wire.rs"]
mod wire;

use std::io::{self, ErrorKind, Read};
use std::net::{SocketAddr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use wire::{Connection, Listener, MAX_OUTPUT, MAX_REQUEST, Reply, Status, read_frame};

/// How long a command may run before it is killed.
const TIMEOUT: Duration = Duration::from_secs(2);
/// How long a client may take to send its request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
/// How many clients are served at once; the next ones get `busy`.
const MAX_CLIENTS: usize = 4;

/// What a request may contain besides the command name.
#[derive(Debug, Clone, Copy)]
enum Args {
    /// Any arguments (they reach the program as plain strings).
    Any,
    /// Only `+FORMAT` arguments: `date -s` sets the clock, `date -f` reads files.
    FormatOnly,
}

// ANCHOR: allowlist
/// The only commands the server runs: exact name, absolute path, argument rule.
const ALLOWED: &[(&str, &str, Args)] = &[
    ("echo", "/bin/echo", Args::Any),
    ("date", "/bin/date", Args::FormatOnly),
    ("uname", "/usr/bin/uname", Args::Any),
    ("sleep", "/bin/sleep", Args::Any),
    ("yes", "/usr/bin/yes", Args::Any),
    ("true", "/usr/bin/true", Args::Any),
    ("false", "/usr/bin/false", Args::Any),
];
// ANCHOR_END: allowlist

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let listener = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => listen_unix(Path::new("remote-exec.sock")),
        ["--unix", path] => listen_unix(Path::new(path)),
        ["--tcp", address] => listen_tcp(address),
        _ => {
            eprintln!("usage: remote-exec [--unix PATH | --tcp 127.0.0.1:PORT]");
            std::process::exit(2);
        }
    };
    let listener = listener.unwrap_or_else(|e| {
        eprintln!("remote-exec: {e}");
        std::process::exit(1);
    });
    serve(listener);
}

// ANCHOR: listen
/// Listens on a Unix socket that only this user may connect to.
fn listen_unix(path: &Path) -> io::Result<Listener> {
    let listener = UnixListener::bind(path).map_err(|e| {
        let advice =
            if e.kind() == ErrorKind::AddrInUse { " (remove it if no server is running)" } else { "" };
        io::Error::new(e.kind(), format!("cannot listen on {}: {e}{advice}", path.display()))
    })?;
    // Connecting to a Unix socket needs write permission on its file: 0600
    // leaves only our own user (and root). bind created it with the umask's
    // mode, so tighten it before printing the address anyone could use.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    println!("listening on {}", path.display());
    Ok(Listener::Unix(listener))
}

/// Listens on TCP, but only on a loopback address.
fn listen_tcp(address: &str) -> io::Result<Listener> {
    let address: SocketAddr = address.parse().map_err(|_| {
        io::Error::new(
            ErrorKind::InvalidInput,
            format!("{address:?} is not IP:PORT (name lookups are not done)"),
        )
    })?;
    if !address.ip().is_loopback() {
        return Err(io::Error::new(
            ErrorKind::PermissionDenied,
            format!("refusing to listen on {address}: only loopback addresses (127.0.0.1, ::1) are allowed"),
        ));
    }
    let listener = TcpListener::bind(address)?;
    println!("listening on {}", listener.local_addr()?);
    Ok(Listener::Tcp(listener))
}
// ANCHOR_END: listen

// ANCHOR: serve
/// Accepts clients forever, at most `MAX_CLIENTS` at a time.
fn serve(listener: Listener) {
    let active = Arc::new(AtomicUsize::new(0));
    loop {
        let mut connection = match listener.accept() {
            Ok(connection) => connection,
            Err(e) => {
                eprintln!("accept failed: {e}");
                continue;
            }
        };
        // Count this client in; if that makes too many, count it out again
        // and tell it so without reading its request.
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CLIENTS {
            active.fetch_sub(1, Ordering::SeqCst);
            // A fresh socket's send buffer is empty, so this write cannot
            // block for long; the timeout makes sure of it.
            let _ = connection.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = Reply::busy().write_to(&mut connection);
            continue;
        }
        let slot = Slot(active.clone());
        thread::spawn(move || {
            if let Err(e) = handle(&mut connection) {
                eprintln!("client: {e}");
            }
            // The slot is given back when `slot` is dropped, even on a panic.
            drop(slot);
        });
    }
}

/// One place in the count of active clients, released when dropped.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
// ANCHOR_END: serve

// ANCHOR: handle
/// Serves one request: read it, check it, run it, reply.
fn handle(connection: &mut Connection) -> io::Result<()> {
    // A client that never finishes its request must not hold a slot forever.
    connection.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    connection.set_write_timeout(Some(REQUEST_TIMEOUT))?;
    let payload = match read_frame(connection, MAX_REQUEST) {
        Ok(payload) => payload,
        // Over the size limit: say why, then close (the rest is not read).
        Err(e) if e.kind() == ErrorKind::InvalidData => return Reply::refused(e).write_to(connection),
        // Silent, slow or vanished clients get nothing.
        Err(e) => return Err(e),
    };
    let reply = match parse_request(&payload).and_then(|argv| resolve(&argv).map(|program| (program, argv))) {
        Ok((program, argv)) => run(program, &argv[1..])?,
        Err(reason) => Reply::refused(reason),
    };
    reply.write_to(connection)
}
// ANCHOR_END: handle

// ANCHOR: parse
/// Splits a request payload into argv: UTF-8 strings separated by NUL bytes.
fn parse_request(payload: &[u8]) -> Result<Vec<String>, String> {
    if payload.is_empty() {
        return Err("empty request: expected a command name".to_string());
    }
    let text = std::str::from_utf8(payload).map_err(|e| format!("the request is not UTF-8: {e}"))?;
    Ok(text.split('\0').map(str::to_string).collect())
}

/// Finds the program for `argv[0]` in the allowlist and checks the arguments.
/// The name is compared exactly: no PATH search, no paths, no case folding.
fn resolve(argv: &[String]) -> Result<&'static str, String> {
    let name = argv[0].as_str();
    let Some(&(_, program, rule)) = ALLOWED.iter().find(|(allowed, _, _)| *allowed == name) else {
        return Err(format!("{name:?} is not an allowed command"));
    };
    if let Args::FormatOnly = rule
        && let Some(bad) = argv[1..].iter().find(|arg| !arg.starts_with('+'))
    {
        return Err(format!("{name} accepts only +FORMAT arguments, not {bad:?}"));
    }
    Ok(program)
}
// ANCHOR_END: parse

// ANCHOR: run
/// Runs `program` with `args` (no shell), within the time and output limits.
fn run(program: &str, args: &[String]) -> io::Result<Reply> {
    let mut child = Command::new(program)
        .args(args)
        .env_clear()
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;

    // One reader thread per pipe: a child blocked writing to a full stderr
    // pipe while we wait on stdout would otherwise never finish.
    let (done, finished) = mpsc::channel();
    let pipes: [Box<dyn Read + Send>; 2] = [
        Box::new(child.stdout.take().expect("stdout is piped")),
        Box::new(child.stderr.take().expect("stderr is piped")),
    ];
    for (which, pipe) in pipes.into_iter().enumerate() {
        let done = done.clone();
        thread::spawn(move || {
            let _ = done.send((which, read_capped(pipe, MAX_OUTPUT)));
        });
    }
    drop(done);

    let deadline = Instant::now() + TIMEOUT;
    let mut output = [Vec::new(), Vec::new()];
    let mut verdict = None;
    let mut pending = 2;
    while pending > 0 {
        // Before the kill, wait until the deadline; after it, the pipes
        // close as the child dies, so a short grace is enough.
        let wait = match verdict {
            None => deadline.saturating_duration_since(Instant::now()),
            Some(_) => Duration::from_secs(1),
        };
        match finished.recv_timeout(wait) {
            Ok((which, (bytes, overflowed))) => {
                output[which] = bytes;
                pending -= 1;
                if overflowed && verdict.is_none() {
                    verdict = Some(Status::OutputLimit);
                    let _ = child.kill();
                }
            }
            Err(_) if verdict.is_none() => {
                verdict = Some(Status::TimedOut);
                let _ = child.kill();
            }
            // Killed, yet a pipe is still open: something else holds it. Stop waiting.
            Err(_) => break,
        }
    }
    // Reap the child (after a kill this returns at once), so no zombie is left.
    let exit = child.wait()?;
    let status = verdict.unwrap_or_else(|| match exit.code() {
        Some(code) => Status::Exited(code),
        None => Status::Signalled(exit.signal().unwrap_or(0)),
    });
    let [stdout, stderr] = output;
    Ok(Reply { status, stdout, stderr })
}

/// Reads `pipe` to its end, keeping at most `cap` bytes. Returns the bytes and
/// whether there was more: then it stops reading at once.
fn read_capped(mut pipe: impl Read, cap: usize) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match pipe.read(&mut buf) {
            Ok(0) => return (kept, false),
            Ok(n) if kept.len() + n > cap => {
                let room = cap - kept.len();
                kept.extend_from_slice(&buf[..room]);
                return (kept, true);
            }
            Ok(n) => kept.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return (kept, false),
        }
    }
}
// ANCHOR_END: run
