//! `loadgen`: the course's load generator for echo servers (chapter 13).
//!
//! One thread, one `mio` event loop. It opens `--connections N` connections
//! to an echo server on loopback; `--active A` of them (all, by default) each
//! send a `--size`-byte message, wait for the whole echo, check every byte,
//! and send the next; the others stay open and silent. After `--seconds S` it
//! reports messages per second, the median and 99th-percentile round trip in
//! microseconds, and the errors it saw: as one line for people, and with
//! `--csv` as one CSV line too (columns in `CSV_HEADER`).
//!
//! Run: `cargo run --release -p loadgen -- 127.0.0.1:PORT --connections 100`

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: loadgen ADDR [--connections N] [--active A] [--size BYTES] [--seconds S] [--server-pid PID] [--csv]

  ADDR             the echo server, on loopback only (127.0.0.1:PORT, [::1]:PORT, localhost:PORT)
  --connections N  connections to open (default 100)
  --active A       how many of them send messages; the rest stay idle (default: all)
  --size BYTES     message size, 1 to 1048576 (default 64)
  --seconds S      how long to send, 0.1 to 600 (default 5)
  --server-pid PID also report the server's CPU use and thread count (Linux, from /proc)
  --csv            also print one CSV line with the columns of --csv-header
  --csv-header     print the CSV header line and exit";

const CSV_HEADER: &str = concat!(
    "connections,active,idle,size,seconds,messages,msgs_per_s,p50_us,p99_us,errors,connect_ms,",
    "loadgen_cpu_pct,server_cpu_pct,server_threads"
);

/// Connections being set up at once; more would overflow the server's
/// listen backlog, and a dropped SYN costs a one-second retransmission.
const CONNECTING_AT_ONCE: usize = 128;
/// How long setting up all the connections may take before we give up.
const CONNECT_DEADLINE: Duration = Duration::from_secs(60);
/// How long to wait, after measuring, for the echoes still in flight.
const DRAIN: Duration = Duration::from_secs(3);
/// The message number of the one-byte greeting each connection starts with.
const GREETING: u64 = u64::MAX;
/// Descriptors loadgen needs besides one per connection (stdio, epoll, slack).
const SPARE_FDS: u64 = 16;

#[derive(Debug)]
struct Config {
    address: SocketAddr,
    connections: usize,
    active: usize,
    size: usize,
    seconds: f64,
    server_pid: Option<u32>,
    csv: bool,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--csv-header") {
        println!("{CSV_HEADER}");
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let config = match parse_args(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("loadgen: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Err(message) = check_fd_limit(config.connections as u64 + SPARE_FDS) {
        eprintln!("loadgen: {message}");
        return ExitCode::from(2);
    }
    match run(&config) {
        Ok(report) => {
            println!("{}", report.human(&config));
            if config.csv {
                println!("{}", report.csv(&config));
            }
            if report.errors == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(e) => {
            eprintln!("loadgen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(args: &[String]) -> Result<Config, String> {
    let mut address = None;
    let mut connections = 100;
    let mut active = None;
    let mut size = 64;
    let mut seconds = 5.0;
    let mut csv = false;
    let mut server_pid = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--connections" => connections = number(value(arg)?, arg)?,
            "--active" => active = Some(number(value(arg)?, arg)?),
            "--size" => size = number(value(arg)?, arg)?,
            "--seconds" => {
                let text = value(arg)?;
                seconds = text.parse::<f64>().map_err(|_| format!("--seconds: {text:?} is not a number"))?;
            }
            "--server-pid" => server_pid = Some(number(value(arg)?, arg)? as u32),
            "--csv" => csv = true,
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ if address.is_none() => address = Some(loopback_address(arg)?),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    let address = address.ok_or("which server? give its address, like 127.0.0.1:7878")?;
    let active = active.unwrap_or(connections);
    if connections == 0 || active > connections {
        return Err(format!("need 1 <= connections and active <= connections (got {connections}, {active})"));
    }
    if !(1..=1 << 20).contains(&size) {
        return Err(format!("--size must be 1 to 1048576 bytes, not {size}"));
    }
    if !(0.1..=600.0).contains(&seconds) {
        return Err(format!("--seconds must be 0.1 to 600, not {seconds}"));
    }
    Ok(Config { address, connections, active, size, seconds, server_pid, csv })
}

fn number(text: &str, name: &str) -> Result<usize, String> {
    text.replace(['_', ','], "").parse().map_err(|_| format!("{name}: {text:?} is not a whole number"))
}

/// Resolves ADDR and refuses anything that leaves this machine: a load
/// generator pointed at someone else's server is an attack.
fn loopback_address(text: &str) -> Result<SocketAddr, String> {
    let addresses: Vec<SocketAddr> =
        text.to_socket_addrs().map_err(|e| format!("cannot use {text:?} as an address: {e}"))?.collect();
    let first = *addresses.first().ok_or_else(|| format!("{text:?} resolves to no address"))?;
    if let Some(outside) = addresses.iter().find(|a| !a.ip().is_loopback()) {
        return Err(format!("refusing {outside}: loadgen only talks to loopback (127.0.0.0/8, ::1)"));
    }
    Ok(first)
}

/// Checks the open-files limit (RLIMIT_NOFILE) in /proc/self/limits, and
/// says exactly what to run when it is too low. (Raising it ourselves would
/// take `setrlimit`, an unsafe libc call; the shell can do it for us.)
fn check_fd_limit(needed: u64) -> Result<(), String> {
    let Ok(limits) = std::fs::read_to_string("/proc/self/limits") else {
        return Ok(()); // Not Linux: let the connects fail with EMFILE if they must.
    };
    let Some(line) = limits.lines().find(|l| l.starts_with("Max open files")) else { return Ok(()) };
    let mut fields = line.split_whitespace().skip(3);
    let parse = |field: Option<&str>| match field {
        Some("unlimited") => Some(u64::MAX),
        Some(n) => n.parse::<u64>().ok(),
        None => None,
    };
    let (Some(soft), Some(hard)) = (parse(fields.next()), parse(fields.next())) else { return Ok(()) };
    if soft >= needed {
        return Ok(());
    }
    if hard >= needed {
        Err(format!(
            "{needed} descriptors needed, but the open-files limit is {soft}. \
             Run `ulimit -n {needed}` in this shell first (the hard limit allows up to {hard})."
        ))
    } else {
        Err(format!(
            "{needed} descriptors needed, but the hard open-files limit is {hard}. \
             As root: `ulimit -Hn {needed}; ulimit -n {needed}`, or ask for fewer connections."
        ))
    }
}

/// Where a connection is in its life.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    /// connect() issued, not yet known to have succeeded.
    Connecting,
    /// Connected; one byte sent, waiting for its echo. The echo proves the
    /// server accepted the connection and serves it (a finished handshake
    /// only proves the kernel queued it).
    Greeting,
    /// Connected; idle, or active between messages.
    Ready,
    /// Sending a message and reading its echo back.
    Busy,
    /// Failed or finished; its socket is closed.
    Done,
}

struct Connection {
    stream: Option<TcpStream>,
    state: State,
    active: bool,
    /// Message number: varies the payload so a stale or misplaced echo shows.
    seq: u64,
    sent: usize,
    received: usize,
    started: Instant,
}

/// The payload byte at position `i` of message `seq` on connection `id`.
fn pattern(id: usize, seq: u64, i: usize) -> u8 {
    (id as u64).wrapping_mul(31).wrapping_add(seq.wrapping_mul(7)).wrapping_add(i as u64) as u8
}

struct Report {
    messages: u64,
    elapsed: Duration,
    p50_us: u64,
    p99_us: u64,
    errors: u64,
    connect_time: Duration,
    /// CPU time used while measuring, as a percentage of the time measured
    /// (100 = one core busy all along).
    loadgen_cpu: Option<f64>,
    server_cpu: Option<f64>,
    /// The server's threads at the end of the measurement, connections still open.
    server_threads: Option<u64>,
    /// What went wrong, first occurrence of each kind, for the human line.
    first_errors: Vec<String>,
}

impl Report {
    fn rate(&self) -> f64 {
        self.messages as f64 / self.elapsed.as_secs_f64()
    }

    fn human(&self, c: &Config) -> String {
        let mut line = format!(
            "loadgen: {} connections ({} active, {} idle), {}-byte messages, {:.1} s: \
             {:.0} msg/s, p50 {} us, p99 {} us, {} errors (connecting took {} ms)",
            c.connections,
            c.active,
            c.connections - c.active,
            c.size,
            self.elapsed.as_secs_f64(),
            self.rate(),
            self.p50_us,
            self.p99_us,
            self.errors,
            self.connect_time.as_millis(),
        );
        if let Some(cpu) = self.loadgen_cpu {
            line.push_str(&format!("; CPU: loadgen {cpu:.0}%"));
            if let Some(server) = self.server_cpu {
                line.push_str(&format!(", server {server:.0}%"));
            }
        }
        if let Some(threads) = self.server_threads {
            line.push_str(&format!(", server threads {threads}"));
        }
        if !self.first_errors.is_empty() {
            line.push_str(&format!("; first: {}", self.first_errors.join("; ")));
        }
        line
    }

    fn csv(&self, c: &Config) -> String {
        format!(
            "{},{},{},{},{:.3},{},{:.0},{},{},{},{},{},{},{}",
            c.connections,
            c.active,
            c.connections - c.active,
            c.size,
            self.elapsed.as_secs_f64(),
            self.messages,
            self.rate(),
            self.p50_us,
            self.p99_us,
            self.errors,
            self.connect_time.as_millis(),
            optional(self.loadgen_cpu.map(|p| format!("{p:.0}"))),
            optional(self.server_cpu.map(|p| format!("{p:.0}"))),
            optional(self.server_threads),
        )
    }
}

fn optional(value: Option<impl std::fmt::Display>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

/// CPU time (user + system) of a process so far, from /proc/PID/stat
/// (fields 14 and 15, in clock ticks of 1/100 s on Linux).
fn cpu_time(pid: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may contain spaces; it ends at the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// A process's thread count, from /proc/PID/status.
fn thread_count(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|n| n.trim().parse().ok())
}

/// Counts errors, and keeps the first message of each kind to show.
#[derive(Default)]
struct Errors {
    count: u64,
    first: Vec<String>,
}

impl Errors {
    fn add(&mut self, kind: &str, detail: impl std::fmt::Display) {
        self.count += 1;
        if self.first.len() < 3 && !self.first.iter().any(|f| f.starts_with(kind)) {
            self.first.push(format!("{kind}: {detail}"));
        }
    }
}

fn run(config: &Config) -> io::Result<Report> {
    let mut poll = Poll::new()?;
    let mut events = Events::with_capacity(1024);
    let mut connections: Vec<Connection> = Vec::with_capacity(config.connections);
    let mut errors = Errors::default();
    let now = Instant::now();

    // Phase 1: connect and greet, at most CONNECTING_AT_ONCE at a time. Active ones
    // first, so that connection i is active when i < active.
    let connect_start = Instant::now();
    let mut greeting = [0u8; 1];
    let mut buf = vec![0u8; config.size.max(64 * 1024)];
    let mut connecting = 0;
    let mut connected = 0;
    while connected + (errors.count as usize) < config.connections {
        while connecting < CONNECTING_AT_ONCE && connections.len() < config.connections {
            let id = connections.len();
            let mut connection = Connection {
                stream: None,
                state: State::Done,
                active: id < config.active,
                seq: 0,
                sent: 0,
                received: 0,
                started: now,
            };
            match TcpStream::connect(config.address) {
                Ok(mut stream) => {
                    // mio is edge-triggered: asking for both once is enough.
                    poll.registry().register(
                        &mut stream,
                        Token(id),
                        Interest::READABLE | Interest::WRITABLE,
                    )?;
                    connection.stream = Some(stream);
                    connection.state = State::Connecting;
                    connecting += 1;
                }
                Err(e) => errors.add("connect", e),
            }
            connections.push(connection);
        }
        if connect_start.elapsed() > CONNECT_DEADLINE {
            let unfinished = |c: &&mut Connection| matches!(c.state, State::Connecting | State::Greeting);
            for connection in connections.iter_mut().filter(unfinished) {
                errors.add("connect", "timed out");
                connection.close();
            }
            break;
        }
        wait(&mut poll, &mut events, Some(Duration::from_millis(100)))?;
        for event in events.iter() {
            let id = event.token().0;
            let connection = &mut connections[id];
            if !matches!(connection.state, State::Connecting | State::Greeting) {
                continue;
            }
            // An event after a non-blocking connect means "finished": ask
            // how (SO_ERROR), then make sure we really have a peer.
            let stream = connection.stream.as_ref().expect("connecting has a stream");
            match stream.take_error() {
                Ok(None) => {}
                Ok(Some(e)) | Err(e) => {
                    errors.add("connect", e);
                    connection.close();
                    connecting -= 1;
                    continue;
                }
            }
            if connection.state == State::Connecting {
                match stream.peer_addr() {
                    Ok(_) => {
                        stream.set_nodelay(true)?;
                        connection.state = State::Greeting;
                        connection.seq = GREETING;
                    }
                    // Not yet: wait for the next event.
                    Err(e) if e.kind() == ErrorKind::NotConnected => continue,
                    Err(e) => {
                        errors.add("connect", e);
                        connection.close();
                        connecting -= 1;
                        continue;
                    }
                }
            }
            match connection.progress(id, 1, &mut greeting, &mut buf) {
                Ok(false) => {}
                Ok(true) => {
                    connection.state = State::Ready;
                    connection.seq = 0;
                    connecting -= 1;
                    connected += 1;
                }
                Err(e) => {
                    errors.add("greeting", e);
                    connection.close();
                    connecting -= 1;
                }
            }
        }
    }
    let connect_time = connect_start.elapsed();

    // Phase 2: every active connection sends its first message; from then
    // on, each finished echo starts the next message until time is up.
    let server = config.server_pid.map(|pid| pid.to_string());
    let cpu_before = (cpu_time("self"), server.as_deref().and_then(cpu_time));
    let start = Instant::now();
    let mut run = Measure {
        end: start + Duration::from_secs_f64(config.seconds),
        size: config.size,
        latencies: Vec::new(),
        messages: 0,
        buf,
        outgoing: vec![0u8; config.size],
    };
    for (id, connection) in connections.iter_mut().enumerate() {
        if connection.active && connection.state == State::Ready {
            connection.start_message(start);
            if let Err(e) = run.drive(id, connection) {
                errors.add("echo", e);
                connection.close();
            }
        }
    }
    let window = run.end - start;
    loop {
        let now = Instant::now();
        if now >= run.end {
            break;
        }
        wait(&mut poll, &mut events, Some(run.end - now))?;
        deliver(&events, &mut connections, &mut run, &mut errors);
    }
    let elapsed = start.elapsed().max(window);
    let server_threads = config.server_pid.and_then(thread_count);
    let share = |before: Option<Duration>, after: Option<Duration>| {
        Some(after?.saturating_sub(before?).as_secs_f64() / elapsed.as_secs_f64() * 100.0)
    };
    let loadgen_cpu = share(cpu_before.0, cpu_time("self"));
    let server_cpu = share(cpu_before.1, server.as_deref().and_then(cpu_time));

    // Phase 3: let the messages still in flight come back (checked, not
    // counted), so that we close connections with nothing unread. Closing a
    // socket with unread bytes sends a reset (RST), and every server
    // thread would report "connection reset by peer".
    let drain_end = Instant::now() + DRAIN;
    while connections.iter().any(|c| c.state == State::Busy) {
        let now = Instant::now();
        if now >= drain_end {
            break;
        }
        wait(&mut poll, &mut events, Some(drain_end - now))?;
        deliver(&events, &mut connections, &mut run, &mut errors);
    }
    let Measure { mut latencies, messages, .. } = run;
    latencies.sort_unstable();
    let percentile = |p: f64| -> u64 {
        if latencies.is_empty() {
            return 0;
        }
        let rank = ((p * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
        u64::from(latencies[rank - 1])
    };
    Ok(Report {
        messages,
        elapsed,
        p50_us: percentile(0.50),
        p99_us: percentile(0.99),
        errors: errors.count,
        connect_time,
        loadgen_cpu,
        server_cpu,
        server_threads,
        first_errors: errors.first,
    })
}

/// The measuring phase's state, shared by all connections.
struct Measure {
    end: Instant,
    size: usize,
    /// Round trips in microseconds (capped, to bound memory on long runs).
    latencies: Vec<u32>,
    messages: u64,
    buf: Vec<u8>,
    outgoing: Vec<u8>,
}

// ANCHOR: drive
impl Measure {
    /// Moves a busy connection along as far as it goes without blocking:
    /// each whole, checked echo is counted and followed by the next message,
    /// until time is up. An echo that completes later is checked, not counted.
    fn drive(&mut self, id: usize, connection: &mut Connection) -> io::Result<()> {
        while connection.progress(id, self.size, &mut self.outgoing, &mut self.buf)? {
            let finished = Instant::now();
            if finished >= self.end {
                connection.state = State::Ready;
                break;
            }
            if self.latencies.len() < 20_000_000 {
                let micros = (finished - connection.started).as_micros();
                self.latencies.push(u32::try_from(micros).unwrap_or(u32::MAX));
            }
            self.messages += 1;
            connection.seq += 1;
            connection.start_message(finished);
        }
        Ok(())
    }
}
// ANCHOR_END: drive

/// Hands each event of the measuring phase to its connection.
fn deliver(events: &Events, connections: &mut [Connection], run: &mut Measure, errors: &mut Errors) {
    for event in events.iter() {
        let id = event.token().0;
        let connection = &mut connections[id];
        let result = match connection.state {
            State::Done | State::Connecting | State::Greeting => continue,
            // An idle connection (or an active one between messages)
            // should never hear from the server; read to find out why.
            State::Ready => connection.check_quiet(&mut run.buf).map_err(|e| ("idle", e)),
            State::Busy => run.drive(id, connection).map_err(|e| ("echo", e)),
        };
        if let Err((kind, e)) = result {
            errors.add(kind, e);
            connection.close();
        }
    }
}

/// poll() that retries when a signal interrupts it.
fn wait(poll: &mut Poll, events: &mut Events, timeout: Option<Duration>) -> io::Result<()> {
    match poll.poll(events, timeout) {
        Err(e) if e.kind() == ErrorKind::Interrupted => Ok(()),
        other => other,
    }
}

impl Connection {
    fn close(&mut self) {
        self.stream = None;
        self.state = State::Done;
    }

    fn start_message(&mut self, now: Instant) {
        self.state = State::Busy;
        self.sent = 0;
        self.received = 0;
        self.started = now;
    }

    /// Writes what it can of the message and reads what it can of the echo,
    /// checking every byte. Ok(true) when the whole echo is in.
    fn progress(&mut self, id: usize, size: usize, outgoing: &mut [u8], buf: &mut [u8]) -> io::Result<bool> {
        let stream = self.stream.as_mut().expect("a busy connection has a stream");
        while self.sent < size {
            for (i, byte) in outgoing[self.sent..].iter_mut().enumerate() {
                *byte = pattern(id, self.seq, self.sent + i);
            }
            match stream.write(&outgoing[self.sent..]) {
                Ok(0) => return Err(io::Error::new(ErrorKind::WriteZero, "the socket took no bytes")),
                Ok(n) => self.sent += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        // Read until WouldBlock, but never past this message: the server
        // has no reason to send more, and if it does, that is an error.
        while self.received < self.sent {
            let want = (size - self.received).min(buf.len());
            match stream.read(&mut buf[..want]) {
                Ok(0) => {
                    let got = self.received;
                    return Err(io::Error::new(
                        ErrorKind::UnexpectedEof,
                        format!("server closed the connection after {got} of {size} echoed bytes"),
                    ));
                }
                Ok(n) => {
                    for (i, &byte) in buf[..n].iter().enumerate() {
                        let at = self.received + i;
                        let expected = pattern(id, self.seq, at);
                        if byte != expected {
                            return Err(io::Error::new(
                                ErrorKind::InvalidData,
                                format!(
                                    "byte {at} of message {} came back as {byte:#04x}, sent {expected:#04x}",
                                    self.seq
                                ),
                            ));
                        }
                    }
                    self.received += n;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(self.received == size)
    }

    /// A connection with no message out got an event: fine if it was only
    /// WRITABLE or spurious, an error if the server sent bytes or closed.
    fn check_quiet(&mut self, buf: &mut [u8]) -> io::Result<()> {
        let stream = self.stream.as_mut().expect("a ready connection has a stream");
        loop {
            return match stream.read(buf) {
                Ok(0) => Err(io::Error::new(ErrorKind::UnexpectedEof, "server closed a connection")),
                Ok(n) => Err(io::Error::new(ErrorKind::InvalidData, format!("{n} bytes nobody asked for"))),
                Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(()),
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => Err(e),
            };
        }
    }
}
