//! WRONG: sends the request with a single write().

// This is the one crate in the course that talks to the C library directly.
#![allow(unsafe_code)]

use std::ffi::{CStr, CString};
use std::io;
use std::mem;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::ptr;

use libc::{c_int, c_void};

/// One entry of a `getaddrinfo` answer, as Python's `socket.getaddrinfo` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddrInfo {
    /// `libc::AF_INET` or `libc::AF_INET6`.
    pub family: c_int,
    /// `libc::SOCK_STREAM`, `libc::SOCK_DGRAM` or `libc::SOCK_RAW`.
    pub socktype: c_int,
    /// `libc::IPPROTO_TCP`, `libc::IPPROTO_UDP`, or 0 for "the default".
    pub protocol: c_int,
    /// The address and port, converted from the C `sockaddr`.
    pub address: SocketAddr,
}

/// The linked list `getaddrinfo` allocates. Owning it in a struct whose `Drop`
/// calls `freeaddrinfo` means no path, early return or `?` included, can
/// forget to free it.
struct AddrList(*mut libc::addrinfo);

impl AddrList {
    /// Calls `getaddrinfo(host, port, hints)`.
    fn resolve(host: &str, port: u16, socktype: c_int) -> io::Result<AddrList> {
        let host = CString::new(host)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "host contains a NUL byte"))?;
        let service = CString::new(port.to_string()).expect("digits contain no NUL");
        // SAFETY: addrinfo is a plain C struct; all zeroes is its documented
        // "no preference" value (AF_UNSPEC, any socktype, no flags, null pointers).
        let mut hints: libc::addrinfo = unsafe { mem::zeroed() };
        hints.ai_family = libc::AF_UNSPEC;
        hints.ai_socktype = socktype;
        hints.ai_flags = libc::AI_NUMERICSERV;
        let mut list = ptr::null_mut();
        // SAFETY: host and service are NUL-terminated and live across the call;
        // hints is initialised; list is a valid place for the result pointer.
        let status = unsafe { libc::getaddrinfo(host.as_ptr(), service.as_ptr(), &hints, &mut list) };
        match status {
            0 => Ok(AddrList(list)),
            // The failure was in a system call: the reason is in errno, read at once.
            libc::EAI_SYSTEM => Err(io::Error::last_os_error()),
            code => Err(gai_error(code)),
        }
    }

    /// The entries, borrowed from the list (they live as long as it does).
    fn iter(&self) -> impl Iterator<Item = &libc::addrinfo> {
        // SAFETY: the list came from a successful getaddrinfo and is freed only
        // when self is dropped, which the borrow on self prevents until then.
        let first = unsafe { self.0.as_ref() };
        // SAFETY: every ai_next is null or points at the next entry of the same list.
        std::iter::successors(first, |entry| unsafe { entry.ai_next.as_ref() })
    }
}

impl Drop for AddrList {
    fn drop(&mut self) {
        // SAFETY: the pointer came from getaddrinfo and is freed exactly once, here.
        unsafe { libc::freeaddrinfo(self.0) }
    }
}

/// Turns an `EAI_*` code into an `io::Error` carrying `gai_strerror`'s text.
fn gai_error(code: c_int) -> io::Error {
    // SAFETY: gai_strerror returns a pointer to a static NUL-terminated string
    // for any code, known or not.
    let text = unsafe { CStr::from_ptr(libc::gai_strerror(code)) };
    io::Error::other(format!("getaddrinfo failed: {}", text.to_string_lossy()))
}

/// Lists what `getaddrinfo` knows about `host`: every family, socket type and
/// protocol, each with its address and `port`.
pub fn lookup(host: &str, port: u16) -> io::Result<Vec<AddrInfo>> {
    let list = AddrList::resolve(host, port, 0)?;
    Ok(list
        .iter()
        .filter_map(|entry| {
            let address = socket_addr(entry)?;
            Some(AddrInfo {
                family: entry.ai_family,
                socktype: entry.ai_socktype,
                protocol: entry.ai_protocol,
                address,
            })
        })
        .collect())
}

/// Reads the C `sockaddr` of an entry into a Rust `SocketAddr`. Ports and
/// IPv4 addresses are stored in network byte order (big-endian).
fn socket_addr(entry: &libc::addrinfo) -> Option<SocketAddr> {
    let len = entry.ai_addrlen as usize;
    match entry.ai_family {
        libc::AF_INET if len >= mem::size_of::<libc::sockaddr_in>() => {
            // SAFETY: for AF_INET, ai_addr points at a sockaddr_in of ai_addrlen
            // bytes; read_unaligned makes no assumption about its alignment.
            let sin = unsafe { ptr::read_unaligned(entry.ai_addr.cast::<libc::sockaddr_in>()) };
            let ip = Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
            Some(SocketAddr::V4(SocketAddrV4::new(ip, u16::from_be(sin.sin_port))))
        }
        libc::AF_INET6 if len >= mem::size_of::<libc::sockaddr_in6>() => {
            // SAFETY: for AF_INET6, ai_addr points at a sockaddr_in6 of ai_addrlen bytes.
            let sin6 = unsafe { ptr::read_unaligned(entry.ai_addr.cast::<libc::sockaddr_in6>()) };
            let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
            let port = u16::from_be(sin6.sin6_port);
            Some(SocketAddr::V6(SocketAddrV6::new(ip, port, sin6.sin6_flowinfo, sin6.sin6_scope_id)))
        }
        // Another family (or a truncated address): not something we can show.
        _ => None,
    }
}

/// Connects to `host:port` over TCP, sends all of `request`, and returns
/// everything the server sends back until it closes the connection.
pub fn fetch(host: &str, port: u16, request: &[u8]) -> io::Result<Vec<u8>> {
    let socket = connect(host, port)?;
    write_all(&socket, request)?;
    read_to_end(&socket)
    // `socket` is an OwnedFd: dropping it here (or at any `?` above) closes it.
}

/// Tries each TCP address of `host` in the order `getaddrinfo` gives them and
/// returns the first socket that connects, or the last error.
fn connect(host: &str, port: u16) -> io::Result<OwnedFd> {
    let list = AddrList::resolve(host, port, libc::SOCK_STREAM)?;
    let mut last_error = io::Error::new(io::ErrorKind::NotFound, format!("no TCP address for {host}"));
    for entry in list.iter() {
        // SAFETY: socket takes plain integers and returns a new descriptor or -1.
        let fd =
            unsafe { libc::socket(entry.ai_family, entry.ai_socktype | SOCK_CLOEXEC, entry.ai_protocol) };
        if fd == -1 {
            last_error = io::Error::last_os_error();
            continue;
        }
        // SAFETY: fd is a descriptor we just opened and nothing else owns; from
        // here on the OwnedFd closes it on every path, errors included.
        let socket = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: ai_addr and ai_addrlen describe a valid address for this
        // entry's family, alive as long as `list`.
        let status = unsafe { libc::connect(socket.as_raw_fd(), entry.ai_addr, entry.ai_addrlen) };
        if status == 0 {
            return Ok(socket);
        }
        // Read errno now, before anything else can overwrite it. (A connect
        // interrupted by a signal goes on in the background; starting afresh
        // with the next loop iteration is simpler than waiting for it.)
        last_error = io::Error::last_os_error();
        // `socket` is dropped here: the failed socket is closed.
    }
    Err(last_error)
}

/// Asks for close-on-exec where the flag exists, so that programs this process
/// starts do not inherit the socket (std does the same).
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
const SOCK_CLOEXEC: c_int = libc::SOCK_CLOEXEC;
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
)))]
const SOCK_CLOEXEC: c_int = 0;

/// Writes all of `bytes`, however many `write` calls that takes.
fn write_all(socket: &OwnedFd, bytes: &[u8]) -> io::Result<()> {
    // BUG: one write, assumed to take everything. A write interrupted by a
    // signal (or on a non-blocking socket) takes only part of it.
    // SAFETY: the pointer and length describe the live slice `bytes`.
    let n = unsafe { libc::write(socket.as_raw_fd(), bytes.as_ptr().cast::<c_void>(), bytes.len()) };
    if n == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Reads until the peer closes its side (a read of 0 bytes).
fn read_to_end(socket: &OwnedFd) -> io::Result<Vec<u8>> {
    let mut reply = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        // SAFETY: the pointer and length describe `buf`, which read may fill.
        let n = unsafe { libc::read(socket.as_raw_fd(), buf.as_mut_ptr().cast::<c_void>(), buf.len()) };
        match n {
            -1 => {
                let error = io::Error::last_os_error();
                if error.kind() != io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
            0 => return Ok(reply),
            n => reply.extend_from_slice(&buf[..n as usize]),
        }
    }
}
