//! A scripted HTTP server for testing HTTP clients.
//!
//! [`HttpServer::start`] listens on `127.0.0.1:0` in a thread, accepts one
//! connection, records the request bytes until the blank line that ends the
//! header section, and answers with a scripted [`Reply`]: all at once, one
//! byte per write (Nagle off, with pauses), or cut at chosen offsets (inside
//! a `\r\n`, say). Afterwards it closes, resets, or keeps the connection open
//! until the server is dropped, which exposes clients that wait for EOF when
//! `Content-Length` already told them where the body ends.

use crate::client::PATIENCE;
use crate::escape::show;
use crate::stage::Stage;
use socket2::SockRef;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How a scripted reply is written to the client.
#[derive(Debug, Clone)]
pub enum Delivery {
    /// One `write_all`: on loopback it usually arrives in one read.
    Whole,
    /// One byte per write, with Nagle's algorithm off and this pause after
    /// each byte, so that the client's reads see tiny pieces.
    Bytewise(Duration),
    /// Cut at these byte offsets (ascending), one write per piece, with this
    /// pause between pieces.
    Pieces(Vec<usize>, Duration),
}

/// What the server does with the connection after writing its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// Close normally: the client reads EOF (a FIN).
    Close,
    /// Keep the connection open and silent until the [`HttpServer`] is dropped.
    KeepOpen,
    /// Close abruptly with SO_LINGER 0: the client's next read fails with a reset.
    Reset,
}

/// A scripted reply: the exact bytes, how to write them, and what comes after.
#[derive(Debug, Clone)]
pub struct Reply {
    pub bytes: Vec<u8>,
    pub delivery: Delivery,
    pub after: After,
}

impl Reply {
    /// `bytes` in one write, then a normal close.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply { bytes: bytes.into(), delivery: Delivery::Whole, after: After::Close }
    }

    pub fn delivery(mut self, delivery: Delivery) -> Reply {
        self.delivery = delivery;
        self
    }

    pub fn then(mut self, after: After) -> Reply {
        self.after = after;
        self
    }
}

/// A one-connection HTTP server on loopback that plays a [`Reply`].
pub struct HttpServer {
    addr: SocketAddr,
    request: Arc<Mutex<Vec<u8>>>,
    request_done: Arc<AtomicBool>,
    reply_sent: Arc<AtomicBool>,
    script: Reply,
    stop: Sender<()>,
    stopping: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Listens on `127.0.0.1:0` and serves the first connection with `reply`.
    pub fn start(stage: &Stage, reply: Reply) -> HttpServer {
        stage.step("starting the test HTTP server");
        let listener = TcpListener::bind("127.0.0.1:0").expect("the harness could not bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local_addr");
        let request = Arc::new(Mutex::new(Vec::new()));
        let request_done = Arc::new(AtomicBool::new(false));
        let reply_sent = Arc::new(AtomicBool::new(false));
        let stopping = Arc::new(AtomicBool::new(false));
        let (stop, stopped) = mpsc::channel();
        let thread = {
            let (request, request_done, reply_sent, stopping) =
                (request.clone(), request_done.clone(), reply_sent.clone(), stopping.clone());
            let script = reply.clone();
            thread::Builder::new()
                .name(format!("http server {addr}"))
                .spawn(move || {
                    let Ok((stream, _)) = listener.accept() else { return };
                    if stopping.load(Ordering::SeqCst) {
                        return;
                    }
                    serve(stream, &script, &request, &request_done, &reply_sent, &stopped);
                })
                .expect("the harness could not start the HTTP server thread")
        };
        HttpServer {
            addr,
            request,
            request_done,
            reply_sent,
            script: reply,
            stop,
            stopping,
            thread: Some(thread),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The request bytes received so far.
    pub fn request(&self) -> Vec<u8> {
        self.request.lock().unwrap().clone()
    }

    /// Whether the request's header section ended (a blank line arrived).
    pub fn request_complete(&self) -> bool {
        self.request_done.load(Ordering::SeqCst)
    }

    /// Whether the whole reply has been written.
    pub fn reply_sent(&self) -> bool {
        self.reply_sent.load(Ordering::SeqCst)
    }

    /// The scripted reply.
    pub fn reply(&self) -> &Reply {
        &self.script
    }

    /// One line for failure reports: what the server received and sent.
    pub fn describe(&self) -> String {
        let request = self.request();
        let state = if self.request_complete() {
            "complete"
        } else if request.is_empty() {
            "nothing yet"
        } else {
            "still waiting for the blank line (\\r\\n\\r\\n) that ends it"
        };
        format!(
            "request {} [{state}]; reply {} [{}]",
            show(&request),
            show(&self.script.bytes),
            if self.reply_sent() { "all sent" } else { "not all sent" }
        )
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        let _ = self.stop.send(());
        // Wake a thread still blocked in accept.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    mut stream: TcpStream,
    script: &Reply,
    request: &Mutex<Vec<u8>>,
    request_done: &AtomicBool,
    reply_sent: &AtomicBool,
    stopped: &Receiver<()>,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = stream.set_write_timeout(Some(PATIENCE));
    // Read the request until the blank line, EOF, or a stop.
    let mut buf = [0u8; 4096];
    loop {
        if stopped.try_recv().is_ok() {
            return;
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let mut got = request.lock().unwrap();
                got.extend_from_slice(&buf[..n]);
                if got.windows(4).any(|w| w == b"\r\n\r\n") {
                    request_done.store(true, Ordering::SeqCst);
                    break;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(_) => return,
        }
    }

    let bytes = &script.bytes[..];
    let written = match &script.delivery {
        Delivery::Whole => stream.write_all(bytes).is_ok(),
        Delivery::Bytewise(pause) => {
            let _ = stream.set_nodelay(true);
            bytes.chunks(1).all(|byte| {
                let ok = stream.write_all(byte).is_ok();
                thread::sleep(*pause);
                ok
            })
        }
        Delivery::Pieces(cuts, pause) => {
            let _ = stream.set_nodelay(true);
            let mut from = 0;
            let mut ok = true;
            for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
                let cut = cut.clamp(from, bytes.len());
                ok = ok && stream.write_all(&bytes[from..cut]).is_ok();
                from = cut;
                if from < bytes.len() {
                    thread::sleep(*pause);
                }
            }
            ok
        }
    };
    reply_sent.store(written, Ordering::SeqCst);

    match script.after {
        After::Close => {
            let _ = stream.shutdown(Shutdown::Write);
            // Wait for the client to close too, so that the socket does not
            // go away with unread bytes (which would send a reset instead).
            while stopped.try_recv().is_err() {
                match stream.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                    Err(_) => break,
                }
            }
        }
        After::KeepOpen => {
            // Until the test drops the server (or gives up on it).
            let _ = stopped.recv_timeout(Duration::from_secs(120));
        }
        After::Reset => {
            let _ = SockRef::from(&stream).set_linger(Some(Duration::ZERO));
        }
    }
}
