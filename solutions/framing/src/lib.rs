//! Model answer for `framing`: length-prefixed messages over any byte stream.
//!
//! A frame is a 4-byte big-endian length followed by that many payload bytes.
//! Both functions work over any `Read` or `Write`: a `TcpStream`, a file, a
//! `Vec<u8>`, or a test double that hands over one byte per call.

use std::io::{self, ErrorKind, Read, Write};

// ANCHOR: write_frame
/// Writes `payload` as one frame: its length (4 bytes, big-endian), then the bytes.
pub fn write_frame(w: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len())
        .map_err(|_| io::Error::new(ErrorKind::InvalidInput, "a frame holds at most 4 GiB - 1 bytes"))?;
    // `write_all`, never a bare `write`: a write may take only some of the
    // bytes, and the rest would silently go missing.
    w.write_all(&len.to_be_bytes())?;
    w.write_all(payload)
}
// ANCHOR_END: write_frame

// ANCHOR: read_frame
/// Reads one frame of at most `max` payload bytes.
///
/// Returns `Ok(None)` if the stream ends cleanly before a frame starts,
/// `UnexpectedEof` if it ends inside one, and `InvalidData` if the frame
/// announces more than `max` bytes (before allocating anything for it).
pub fn read_frame(r: &mut impl Read, max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut prefix = [0u8; 4];
    // Not `read_exact` here: it cannot tell "no frame at all" (a clean end of
    // the stream) from "half a length prefix" (a broken one).
    let mut filled = 0;
    while filled < prefix.len() {
        match r.read(&mut prefix[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => {
                return Err(io::Error::new(
                    ErrorKind::UnexpectedEof,
                    format!("the stream ended after {filled} of the 4 length bytes"),
                ));
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }

    // Check the claim before believing it: a length comes from the peer, and
    // `vec![0; len]` with len = 0xFFFFFFFF would ask for 4 GiB.
    let len = u32::from_be_bytes(prefix) as usize;
    if len > max {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            format!("the frame announces {len} bytes, more than the maximum of {max}"),
        ));
    }

    let mut payload = vec![0u8; len];
    // read_exact loops over short reads, retries Interrupted, and fails with
    // UnexpectedEof if the stream ends first: exactly what a payload needs.
    r.read_exact(&mut payload)?;
    Ok(Some(payload))
}
// ANCHOR_END: read_frame
