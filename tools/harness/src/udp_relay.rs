//! A deliberately bad network for UDP tests.
//!
//! [`UdpRelay`] sits between a client and a server on loopback and decides
//! the fate of every datagram: pass it on, drop it, send it twice, delay it,
//! hold it back until a later datagram releases it (a reply that arrives
//! after the client has moved on), or slip garbage in front of it. Decisions
//! come from a script (a closure that looks at each datagram) or from a
//! seeded pseudo-random generator, so a failing run can be repeated exactly.
//! Every decision is written to a transcript that failure reports can quote.

use std::collections::BinaryHeap;
use std::fmt::Write as _;
use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Which way a datagram is travelling through the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the client to the server (a request).
    ToServer,
    /// From the server back to the client (a reply).
    ToClient,
}

impl Direction {
    fn arrow(self) -> &'static str {
        match self {
            Direction::ToServer => "client → server",
            Direction::ToClient => "server → client",
        }
    }
}

/// One thing the relay sends on a datagram's behalf.
#[derive(Debug, Clone)]
enum Emit {
    /// The original datagram, after a delay.
    Original(Duration),
    /// Other bytes (garbage), after a delay.
    Bytes(Vec<u8>, Duration),
    /// The original datagram, kept until a later fate releases held datagrams.
    Hold,
}

/// What happens to one datagram. Build with [`Fate::pass`] or [`Fate::drop`]
/// and add to it: `Fate::pass().also(Duration::ZERO)` sends it twice,
/// `Fate::drop().release_held()` drops it and lets held datagrams go.
#[derive(Debug, Clone)]
pub struct Fate {
    emits: Vec<Emit>,
    release: bool,
}

impl Fate {
    /// Forward the datagram now.
    pub fn pass() -> Fate {
        Fate { emits: vec![Emit::Original(Duration::ZERO)], release: false }
    }

    /// Forward nothing: the datagram is lost.
    pub fn drop() -> Fate {
        Fate { emits: Vec::new(), release: false }
    }

    /// Forward the datagram after `delay` instead of now.
    pub fn delay(delay: Duration) -> Fate {
        Fate { emits: vec![Emit::Original(delay)], release: false }
    }

    /// Keep the datagram until a later datagram's fate says
    /// [`Fate::release_held`]: the way to make a reply arrive exactly after
    /// the client sent its next request, without guessing at timings.
    pub fn hold() -> Fate {
        Fate { emits: vec![Emit::Hold], release: false }
    }

    /// Also forward another copy of the datagram after `delay` (a duplicate).
    pub fn also(mut self, delay: Duration) -> Fate {
        self.emits.push(Emit::Original(delay));
        self
    }

    /// Also keep a copy until a later [`Fate::release_held`].
    pub fn also_hold(mut self) -> Fate {
        self.emits.push(Emit::Hold);
        self
    }

    /// Send `bytes` to the same destination *before* this datagram.
    pub fn garbage_first(mut self, bytes: &[u8]) -> Fate {
        self.emits.insert(0, Emit::Bytes(bytes.to_vec(), Duration::ZERO));
        self
    }

    /// After dealing with this datagram, forward every held datagram
    /// (each to the side it was travelling to), oldest first.
    pub fn release_held(mut self) -> Fate {
        self.release = true;
        self
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        for emit in &self.emits {
            parts.push(match emit {
                Emit::Original(d) if d.is_zero() => "passed".to_string(),
                Emit::Original(d) => format!("delayed {} ms", d.as_millis()),
                Emit::Bytes(bytes, _) => format!("garbage {} sent first", crate::show(bytes)),
                Emit::Hold => "held back".to_string(),
            });
        }
        if parts.is_empty() {
            parts.push("dropped".to_string());
        }
        // Two originals at once: say "duplicated".
        let originals = self.emits.iter().filter(|e| matches!(e, Emit::Original(_))).count();
        let mut text = parts.join(", ");
        if originals > 1 {
            text = format!("duplicated ({text})");
        }
        if self.release {
            text.push_str("; held datagrams released");
        }
        text
    }
}

/// A tiny, seeded pseudo-random generator (xorshift64*), so that "random"
/// loss is the same on every run with the same seed. Not for cryptography.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> XorShift {
        // The state must never be zero, or it stays zero forever.
        XorShift((seed ^ 0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.next_u64() % 100 < u64::from(percent)
    }
}

/// Decides each datagram's fate from its direction and bytes.
pub type Script = Box<dyn FnMut(Direction, &[u8]) -> Fate + Send>;

/// A script that passes everything: a perfect network.
pub fn lossless() -> Script {
    Box::new(|_, _| Fate::pass())
}

/// A seeded lossy network: each datagram, in either direction, is dropped
/// with probability `drop_percent`, and otherwise duplicated with
/// probability `duplicate_percent`. The same seed gives the same decisions
/// for the same sequence of datagrams.
pub fn seeded(seed: u64, drop_percent: u32, duplicate_percent: u32) -> Script {
    let mut rng = XorShift::new(seed);
    Box::new(move |_, _| {
        if rng.chance(drop_percent) {
            Fate::drop()
        } else if rng.chance(duplicate_percent) {
            Fate::pass().also(Duration::ZERO)
        } else {
            Fate::pass()
        }
    })
}

/// What the relay did with one datagram, for checks and failure reports.
#[derive(Debug, Clone)]
pub struct Event {
    pub direction: Direction,
    pub bytes: Vec<u8>,
    /// How many copies of the original were forwarded (0 = dropped or held).
    pub forwarded: usize,
    pub what: String,
    pub at: Duration,
}

/// A UDP relay on `127.0.0.1:0` between one client and one server. The
/// client sends to [`UdpRelay::addr`]; the relay forwards to the server from
/// a socket of its own and sends the replies back to whoever last sent it a
/// request. Stopped when dropped.
pub struct UdpRelay {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<Event>>>,
    threads: Vec<JoinHandle<()>>,
}

/// A datagram scheduled to go out later.
struct Due {
    at: Instant,
    order: u64,
    to_server: bool,
    bytes: Vec<u8>,
}

impl PartialEq for Due {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.order) == (other.at, other.order)
    }
}
impl Eq for Due {}
impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Due {
    // Reversed, so that BinaryHeap (a max-heap) pops the earliest first.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.at, other.order).cmp(&(self.at, self.order))
    }
}

struct Shared {
    front: UdpSocket,
    back: UdpSocket,
    server: SocketAddr,
    client: Mutex<Option<SocketAddr>>,
    script: Mutex<Script>,
    held: Mutex<Vec<(bool, Vec<u8>)>>,
    log: Arc<Mutex<Vec<Event>>>,
    started: Instant,
    later: Mutex<Sender<Due>>,
    order: std::sync::atomic::AtomicU64,
}

impl UdpRelay {
    /// Starts a relay in front of `server`, deciding fates with `script`.
    pub fn start(server: SocketAddr, script: Script) -> UdpRelay {
        let front = UdpSocket::bind("127.0.0.1:0").expect("relay: bind the client-facing socket");
        let back = UdpSocket::bind("127.0.0.1:0").expect("relay: bind the server-facing socket");
        let tick = Some(Duration::from_millis(20));
        front.set_read_timeout(tick).expect("relay: set_read_timeout");
        back.set_read_timeout(tick).expect("relay: set_read_timeout");
        let addr = front.local_addr().expect("relay: local_addr");
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (later, scheduled) = mpsc::channel();
        let shared = Arc::new(Shared {
            front,
            back,
            server,
            client: Mutex::new(None),
            script: Mutex::new(script),
            held: Mutex::new(Vec::new()),
            log: log.clone(),
            started: Instant::now(),
            later: Mutex::new(later),
            order: std::sync::atomic::AtomicU64::new(0),
        });
        let mut threads = Vec::new();
        for direction in [Direction::ToServer, Direction::ToClient] {
            let (shared, stop) = (shared.clone(), stop.clone());
            threads.push(thread::spawn(move || shared.pump(direction, &stop)));
        }
        let (for_timer, stop_timer) = (shared.clone(), stop.clone());
        threads.push(thread::spawn(move || for_timer.timer(scheduled, &stop_timer)));
        UdpRelay { addr, stop, log, threads }
    }

    /// The address clients send to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Everything the relay did so far.
    pub fn events(&self) -> Vec<Event> {
        self.log.lock().unwrap().clone()
    }

    /// The relay's log as text, one datagram per line, for failure reports.
    pub fn transcript(&self) -> String {
        let mut out = String::new();
        for event in self.log.lock().unwrap().iter() {
            let _ = write!(
                out,
                "\n    {:>6} ms  {}  {}  {}",
                event.at.as_millis(),
                event.direction.arrow(),
                crate::show(&event.bytes),
                event.what
            );
        }
        if out.is_empty() { "(no datagrams went through the relay)".to_string() } else { out }
    }
}

impl Drop for UdpRelay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Shared {
    /// Receives datagrams travelling one way and applies their fates.
    fn pump(&self, direction: Direction, stop: &AtomicBool) {
        let socket = match direction {
            Direction::ToServer => &self.front,
            Direction::ToClient => &self.back,
        };
        let mut buf = vec![0u8; 65536];
        while !stop.load(Ordering::SeqCst) {
            let (n, from) = match socket.recv_from(&mut buf) {
                Ok(got) => got,
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                    ) =>
                {
                    continue;
                }
                // ICMP errors from earlier sends (Windows reports them here): not ours to act on.
                Err(_) => continue,
            };
            let bytes = buf[..n].to_vec();
            match direction {
                Direction::ToServer => *self.client.lock().unwrap() = Some(from),
                // Only the server's replies are relayed back.
                Direction::ToClient if from != self.server => continue,
                Direction::ToClient => {}
            }
            let fate = (self.script.lock().unwrap())(direction, &bytes);
            let to_server = direction == Direction::ToServer;
            // Logged before anything is forwarded, so that the log is in
            // causal order and complete by the time the peer sees the datagram.
            self.log.lock().unwrap().push(Event {
                direction,
                bytes: bytes.clone(),
                forwarded: fate.emits.iter().filter(|e| matches!(e, Emit::Original(_))).count(),
                what: fate.describe(),
                at: self.started.elapsed(),
            });
            for emit in &fate.emits {
                match emit {
                    Emit::Original(delay) => self.emit(to_server, &bytes, *delay),
                    Emit::Bytes(other, delay) => self.emit(to_server, other, *delay),
                    Emit::Hold => self.held.lock().unwrap().push((to_server, bytes.clone())),
                }
            }
            if fate.release {
                let held: Vec<_> = self.held.lock().unwrap().drain(..).collect();
                for (to_server, bytes) in held {
                    self.emit(to_server, &bytes, Duration::ZERO);
                }
            }
        }
    }

    fn emit(&self, to_server: bool, bytes: &[u8], delay: Duration) {
        if delay.is_zero() {
            self.send(to_server, bytes);
        } else {
            let order = self.order.fetch_add(1, Ordering::SeqCst);
            let due = Due { at: Instant::now() + delay, order, to_server, bytes: bytes.to_vec() };
            let _ = self.later.lock().unwrap().send(due);
        }
    }

    fn send(&self, to_server: bool, bytes: &[u8]) {
        // A failed send on loopback is a lost datagram, which is what the
        // relay simulates anyway.
        if to_server {
            let _ = self.back.send_to(bytes, self.server);
        } else if let Some(client) = *self.client.lock().unwrap() {
            let _ = self.front.send_to(bytes, client);
        }
    }

    /// Sends delayed datagrams when they are due, earliest first.
    fn timer(&self, scheduled: Receiver<Due>, stop: &AtomicBool) {
        let mut queue = BinaryHeap::new();
        while !stop.load(Ordering::SeqCst) {
            let wait = queue
                .peek()
                .map_or(Duration::from_millis(20), |due: &Due| {
                    due.at.saturating_duration_since(Instant::now())
                })
                .min(Duration::from_millis(20));
            match scheduled.recv_timeout(wait) {
                Ok(due) => queue.push(due),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            while queue.peek().is_some_and(|due| due.at <= Instant::now()) {
                let due = queue.pop().expect("peeked");
                self.send(due.to_server, &due.bytes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xorshift_is_repeatable_and_roughly_fair() {
        let (mut a, mut b) = (XorShift::new(7), XorShift::new(7));
        let hits = (0..1000).filter(|_| a.chance(30)).count();
        let again = (0..1000).filter(|_| b.chance(30)).count();
        assert_eq!(hits, again);
        assert!((200..400).contains(&hits), "{hits}");
    }

    #[test]
    fn relays_drops_and_holds() {
        let server = UdpSocket::bind("127.0.0.1:0").unwrap();
        server.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        let relay = UdpRelay::start(
            server.local_addr().unwrap(),
            Box::new(|_, bytes: &[u8]| match bytes {
                b"drop me" => Fate::drop(),
                b"hold me" => Fate::hold(),
                b"release" => Fate::pass().release_held(),
                _ => Fate::pass(),
            }),
        );
        let client = UdpSocket::bind("127.0.0.1:0").unwrap();
        for msg in [&b"drop me"[..], b"hold me", b"one", b"release"] {
            client.send_to(msg, relay.addr()).unwrap();
        }
        let mut buf = [0u8; 64];
        let mut got = Vec::new();
        for _ in 0..3 {
            let (n, _) = server.recv_from(&mut buf).unwrap();
            got.push(buf[..n].to_vec());
        }
        assert_eq!(got, [&b"one"[..], b"release", b"hold me"]);
        assert!(relay.transcript().contains("dropped"), "{}", relay.transcript());
    }
}
