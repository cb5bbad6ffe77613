//! Exercise `framing`: length-prefixed messages over any byte stream.
//!
//! Read first: the book, chapter "TCP", section "Framing: where does a message
//! end?" (src/tcp.md; `cargo course book --open`).
//! Test:       `cargo course check framing` (or `cargo test -p framing`).
//!
//! TCP gives you a stream of bytes, not messages. To send messages you frame
//! them. Here a frame is a 4-byte big-endian length followed by that many
//! payload bytes:
//!
//! ```text
//!   00 00 00 05  68 65 6c 6c 6f      "hello"
//!   00 00 00 00                      an empty message (still a frame!)
//! ```
//!
//! Write the two functions below. They take any `Read` / `Write`, so the tests
//! can hand you readers that return one byte per call, readers interrupted by
//! signals, writers that take three bytes at a time, and a real `TcpStream`.
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, unused_mut)]

use std::io::{self, ErrorKind, Read, Write};

/// Writes `payload` as one frame: its length as 4 big-endian bytes
/// (`u32::to_be_bytes`), then the payload itself.
pub fn write_frame(w: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    // TODO:
    //  - A payload longer than u32::MAX cannot be framed: return an error of
    //    kind ErrorKind::InvalidInput (`u32::try_from(payload.len())`).
    //  - Write the 4 length bytes, then the payload. A single `write` may
    //    take only some of the bytes you offer: use `write_all`.
    todo!("write a frame: see the section 'Length prefixes'")
}

/// Reads one frame whose payload is at most `max` bytes long.
///
/// * `Ok(Some(payload))`: a whole frame arrived (the payload may be empty).
/// * `Ok(None)`: the stream ended cleanly *before* a frame started.
/// * `Err` of kind `UnexpectedEof`: the stream ended *inside* a frame (in
///   the length or in the payload). Never return a truncated payload.
/// * `Err` of kind `InvalidData`: the length is larger than `max`. Decide
///   this before allocating anything: the length comes from the peer.
pub fn read_frame(r: &mut impl Read, max: usize) -> io::Result<Option<Vec<u8>>> {
    // TODO:
    //  - Read the 4-byte length in a loop. `read` may return 1, 2 or 3
    //    bytes; `Ok(0)` is the end of the stream (None if no byte of this
    //    frame arrived yet, UnexpectedEof otherwise); an error of kind
    //    `Interrupted` means "try again".
    //  - `u32::from_be_bytes`, then check it against `max`.
    //  - Only then make a buffer and fill it completely (`read_exact` loops
    //    for you and reports UnexpectedEof).
    todo!("read a frame: see the section 'Length prefixes'")
}
