//! Every common socket error, provoked for real on this machine.
//!
//!     cargo run -p demos --example common_errors -- list
//!     cargo run -p demos --example common_errors -- refused
//!     cargo run -p demos --example common_errors -- all
//!
//! Everything happens on loopback (127.0.0.1), in the temp directory, or, for
//! `unreachable` and `syn-timeout`, inside a network namespace this program
//! creates and deletes itself (that needs root; without it they say so and
//! skip). For each error it prints what Rust shows: Display, Debug, kind()
//! and raw_os_error().

use socket2::{Domain, SockRef, Socket, Type};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// The subcommands, in the order of the chapter.
const DEMOS: &[(&str, fn(), &str)] = &[
    ("refused", refused, "connect to a loopback port where nobody listens"),
    ("in-use", in_use, "bind a port another listener holds"),
    ("broken-pipe", broken_pipe, "keep writing to a TCP peer that has closed"),
    ("reset", reset, "read from a connection the peer aborted (RST)"),
    ("timeout", timeout, "a read timeout, and a connect timeout against a full backlog"),
    ("syn-timeout", syn_timeout, "the kernel's own ETIMEDOUT, in a namespace of our own (root)"),
    ("no-such-file", no_such_file, "connect to a unix socket path that does not exist"),
    ("permission-unix", permission_unix, "connect to a unix socket you may not write (as nobody)"),
    ("permission-port", permission_port, "bind port 80 without privileges (as nobody)"),
    ("would-block", would_block, "accept on a non-blocking listener with nobody waiting"),
    ("name", name, "look up a name under the reserved .invalid domain"),
    ("too-many-files", too_many_files, "open sockets until RLIMIT_NOFILE (lowered to 16) says no"),
    ("unreachable", unreachable, "connect to 192.0.2.1 from a namespace with no route (root)"),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        // Helpers this program runs in a child process (as another user, or
        // inside a namespace).
        ["child-connect-unix", path] => show("UnixStream::connect", UnixStream::connect(path)),
        ["child-bind", addr] => show("TcpListener::bind", TcpListener::bind(addr)),
        ["child-connect", addr] => {
            let addr: SocketAddr = addr.parse().expect("a socket address");
            let started = Instant::now();
            show("TcpStream::connect", TcpStream::connect(addr));
            println!("  after:   {:.1} s", started.elapsed().as_secs_f32());
        }
        ["all"] => {
            for (name, demo, _) in DEMOS {
                println!("== {name}");
                demo();
            }
        }
        [name] if DEMOS.iter().any(|(n, _, _)| *n == name) => {
            let (_, demo, _) = DEMOS.iter().find(|(n, _, _)| *n == name).unwrap();
            demo();
        }
        _ => {
            println!("usage: common_errors all | NAME, where NAME is one of:");
            for (name, _, what) in DEMOS {
                println!("  {name:<16} {what}");
            }
        }
    }
}

// ANCHOR: show
/// Prints an operation's error the four ways Rust can show it.
fn show<T>(what: &str, result: io::Result<T>) {
    match result {
        Ok(_) => println!("{what}: succeeded (no error to show)"),
        Err(e) => {
            println!("{what} failed");
            println!("  Display: {e}");
            println!("  Debug:   {e:?}");
            println!("  kind():  {:?}", e.kind());
            println!("  raw_os_error(): {:?}", e.raw_os_error());
        }
    }
}
// ANCHOR_END: show

/// A loopback listener on a port the kernel picks.
fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0")
}

fn refused() {
    // ANCHOR: refused
    // Take a free port from the kernel and give it back: now nobody listens there.
    let addr = listener().local_addr().unwrap();
    show(&format!("TcpStream::connect({addr})"), TcpStream::connect(addr));
    // ANCHOR_END: refused
}

fn in_use() {
    // ANCHOR: in_use
    let first = listener();
    let addr = first.local_addr().unwrap();
    // `first` is still alive: the port is taken.
    show(&format!("second TcpListener::bind({addr})"), TcpListener::bind(addr));
    // ANCHOR_END: in_use
}

fn broken_pipe() {
    // ANCHOR: broken_pipe
    let server = listener();
    let mut client = TcpStream::connect(server.local_addr().unwrap()).unwrap();
    let (peer, _) = server.accept().unwrap();
    drop(peer); // the peer closes: FIN arrives, and its socket is gone

    // The first write succeeds: the bytes leave, and the peer's kernel,
    // which has no socket for them any more, answers with RST. Writes after
    // that fail.
    for attempt in 1..=100 {
        match client.write(b"are you still there?\n") {
            Ok(n) => println!("write {attempt}: Ok({n})"),
            Err(e) => {
                show(&format!("write {attempt}"), Err::<(), _>(e));
                break;
            }
        }
        // Give the RST the moment it needs to cross loopback.
        std::thread::sleep(Duration::from_millis(10));
    }
    // ANCHOR_END: broken_pipe
}

fn reset() {
    // ANCHOR: reset
    // Way 1: close with unread data. The kernel aborts instead of closing.
    let server = listener();
    let mut client = TcpStream::connect(server.local_addr().unwrap()).unwrap();
    client.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let (peer, _) = server.accept().unwrap();
    client.write_all(b"you will never read this").unwrap();
    peer.peek(&mut [0u8; 1]).unwrap(); // the bytes have arrived, unread
    drop(peer); // close with unread data: RST, not FIN
    show("read after the peer closed with unread data", client.read(&mut [0u8; 64]));

    // Way 2: SO_LINGER with a zero timeout asks for the abort explicitly.
    let mut client = TcpStream::connect(server.local_addr().unwrap()).unwrap();
    client.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let (peer, _) = server.accept().unwrap();
    SockRef::from(&peer).set_linger(Some(Duration::ZERO)).unwrap();
    drop(peer);
    show("read after the peer closed with SO_LINGER 0", client.read(&mut [0u8; 64]));
    // ANCHOR_END: reset
}

fn timeout() {
    // ANCHOR: read_timeout
    // A listener that never accepts: the handshake completes anyway (the
    // kernel does it), and then nothing is ever sent.
    let server = listener();
    let mut client = TcpStream::connect(server.local_addr().unwrap()).unwrap();
    client.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let started = Instant::now();
    show("read with a 200 ms read timeout", client.read(&mut [0u8; 64]));
    println!("  after:   {} ms", started.elapsed().as_millis());
    // ANCHOR_END: read_timeout

    // ANCHOR: connect_timeout
    // A listener with a backlog of 0 that never accepts: one connection
    // fills its queue, and the kernel drops the SYNs of the next ones.
    let full = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    full.bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into()).unwrap();
    full.listen(0).unwrap();
    let addr = full.local_addr().unwrap().as_socket().unwrap();
    let mut queued = Vec::new();
    let started = Instant::now();
    loop {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => queued.push(stream), // fits in the queue
            Err(e) => {
                show(&format!("connect_timeout (after {} queued)", queued.len()), Err::<(), _>(e));
                break;
            }
        }
    }
    println!("  after:   {} ms", started.elapsed().as_millis());
    // ANCHOR_END: connect_timeout
}

fn no_such_file() {
    // ANCHOR: no_such_file
    let path = std::env::temp_dir().join(format!("common-errors-{}-missing.sock", std::process::id()));
    show(&format!("UnixStream::connect({})", path.display()), UnixStream::connect(&path));
    // ANCHOR_END: no_such_file
}

/// A fresh directory in the temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("common-errors-{}-{what}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).expect("create a temp dir");
        // Others (the unprivileged child) may enter it.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether we run as root: the effective uid (second number of the `Uid:`
/// line of /proc/self/status, proc(5)) is 0.
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|line| line.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            == Some("0")
    })
}

// ANCHOR: as_nobody
/// Runs this program again with `args`, as user `nobody` if we are root
/// (root passes every permission check, so it cannot show EACCES itself).
fn run_unprivileged(args: &[&str]) {
    let me = std::env::current_exe().unwrap();
    if !is_root() {
        return wait_for(Command::new(me).args(args));
    }
    // nobody may not be allowed into our target directory (under /root, say),
    // so it runs a copy of this program from a directory anyone may enter.
    let dir = TempDir::new("exe");
    let copy = dir.0.join("common_errors");
    std::fs::copy(&me, &copy).expect("copy this program");
    // nobody and nogroup are 65534 on Debian, Ubuntu and Fedora. When the
    // uid changes, std also drops root's supplementary groups.
    println!("(running the client as uid 65534, nobody)");
    wait_for(Command::new(copy).args(args).uid(65534).gid(65534));
}

fn wait_for(child: &mut Command) {
    match child.status() {
        Ok(status) if status.success() => {}
        Ok(status) => println!("the child failed: {status}"),
        Err(e) => println!("could not start the child: {e}"),
    }
}
// ANCHOR_END: as_nobody

fn permission_unix() {
    // ANCHOR: permission_unix
    let dir = TempDir::new("perm");
    let path = dir.0.join("private.sock");
    let _server = UnixListener::bind(&path).unwrap();
    // Owner may read and write, nobody else. (If you are not root, even the
    // owner is shut out, so the demo works for you too.)
    let mode = if is_root() { 0o600 } else { 0o000 };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    println!("socket file mode {mode:o}");
    run_unprivileged(&["child-connect-unix", path.to_str().unwrap()]);
    // ANCHOR_END: permission_unix
}

fn permission_port() {
    // ANCHOR: permission_port
    let start = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    println!("ip_unprivileged_port_start = {}", start.as_deref().unwrap_or("(unknown)").trim());
    run_unprivileged(&["child-bind", "127.0.0.1:80"]);
    // ANCHOR_END: permission_port
}

fn would_block() {
    // ANCHOR: would_block
    let server = listener();
    server.set_nonblocking(true).unwrap();
    show("accept on a non-blocking listener", server.accept());
    // ANCHOR_END: would_block
}

fn name() {
    // ANCHOR: name
    // Under .invalid (reserved by RFC 6761, it exists nowhere) and with a
    // first label longer than the 63 bytes DNS allows, so the resolver
    // fails without asking any server.
    let nowhere = "a-label-longer-than-sixty-three-bytes-which-dns-cannot-encode-at-all.invalid";
    show("resolving a name that cannot exist", (nowhere, 80).to_socket_addrs());
    // ANCHOR_END: name
}

fn too_many_files() {
    // ANCHOR: too_many_files
    // Lower this process's own limit, so we hit it after a few sockets.
    let limit = libc::rlimit { rlim_cur: 16, rlim_max: 16 };
    // SAFETY: setrlimit reads the struct we pass; it only affects this process.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
        show("setrlimit", Err::<(), _>(io::Error::last_os_error()));
        return;
    }
    let mut open = Vec::new();
    loop {
        match TcpListener::bind("127.0.0.1:0") {
            Ok(socket) => open.push(socket),
            Err(e) => {
                println!("opened {} listeners (plus stdin, stdout, stderr, ...)", open.len());
                show("TcpListener::bind", Err::<(), _>(e));
                break;
            }
        }
    }
    // ANCHOR_END: too_many_files
}

/// Why the namespace demos cannot run here, if they cannot.
fn namespace_unavailable() -> Option<String> {
    if !is_root() {
        return Some("creating a network namespace needs root (try: sudo ...)".to_string());
    }
    match Command::new("ip").arg("-V").output() {
        Ok(out) if out.status.success() => None,
        _ => Some("the `ip` command (iproute2) is missing".to_string()),
    }
}

// ANCHOR: netns
/// A network namespace of our own, deleted on drop. Inside it, only the
/// interfaces we add exist: nothing we do there reaches a real network.
struct Namespace(String);

impl Namespace {
    fn new(what: &str) -> io::Result<Namespace> {
        let name = format!("common-errors-{}-{what}", std::process::id());
        ip(&["netns", "add", &name])?;
        let ns = Namespace(name);
        ip(&["-n", &ns.0, "link", "set", "lo", "up"])?;
        Ok(ns)
    }

    /// Runs this program again inside the namespace.
    fn run_self(&self, args: &[&str]) {
        let me = std::env::current_exe().unwrap();
        let status = Command::new("ip").args(["netns", "exec", &self.0]).arg(me).args(args).status();
        if !matches!(status, Ok(s) if s.success()) {
            println!("the child in the namespace failed: {status:?}");
        }
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = ip(&["netns", "delete", &self.0]);
    }
}

fn ip(args: &[&str]) -> io::Result<()> {
    let out = Command::new("ip").args(args).output()?;
    if out.status.success() {
        return Ok(());
    }
    let complaint = String::from_utf8_lossy(&out.stderr);
    Err(io::Error::other(format!("ip {}: {}", args.join(" "), complaint.trim())))
}
// ANCHOR_END: netns

fn unreachable() {
    if let Some(why) = namespace_unavailable() {
        println!("skipped: {why}");
        return;
    }
    // ANCHOR: unreachable
    // Only loopback is up in the new namespace, so there is no route to
    // 192.0.2.1 (TEST-NET-1, RFC 5737): connect fails before any packet exists.
    let ns = Namespace::new("unreach").expect("create a network namespace");
    println!("namespace {} with only lo up", ns.0);
    ns.run_self(&["child-connect", "192.0.2.1:80"]);
    // ANCHOR_END: unreachable
}

fn syn_timeout() {
    if let Some(why) = namespace_unavailable() {
        println!("skipped: {why}");
        return;
    }
    // ANCHOR: syn_timeout
    // A veth pair is a virtual cable; both ends stay in our namespace. We
    // tell the kernel that 192.0.2.1 lives behind sw0 at a made-up hardware
    // address, so our SYNs go down the cable, reach sw1, are not addressed
    // to it, and are dropped. Nobody ever answers.
    let ns = Namespace::new("synto").expect("create a network namespace");
    let (n, nowhere) = (ns.0.as_str(), "02:00:00:00:00:01");
    for args in [
        &["-n", n, "link", "add", "sw0", "type", "veth", "peer", "name", "sw1"][..],
        &["-n", n, "addr", "add", "192.0.2.2/24", "dev", "sw0"],
        &["-n", n, "link", "set", "sw0", "up"],
        &["-n", n, "link", "set", "sw1", "up"],
        &["-n", n, "neigh", "add", "192.0.2.1", "lladdr", nowhere, "dev", "sw0", "nud", "permanent"],
        // Retry the SYN once instead of six times: give up after ~3 s, not ~127 s.
        &["netns", "exec", n, "sysctl", "-q", "-w", "net.ipv4.tcp_syn_retries=1"],
    ] {
        ip(args).expect("set up the namespace");
    }
    println!("namespace {} where packets to 192.0.2.1 vanish", ns.0);
    ns.run_self(&["child-connect", "192.0.2.1:80"]);
    // ANCHOR_END: syn_timeout
}
