//! WRONG: when the stream ends inside a frame, returns what arrived as if it were the frame.
use std::io::{self, ErrorKind, Read, Write};

pub fn write_frame(w: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len()).map_err(|_| io::Error::from(ErrorKind::InvalidInput))?;
    w.write_all(&len.to_be_bytes())?;
    w.write_all(payload)
}

/// Reads until `buf` is full or the stream ends; returns how much arrived.
fn fill(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

pub fn read_frame(r: &mut impl Read, max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut prefix = [0u8; 4];
    // BUG: a stream that ends inside the length is taken for a clean end.
    if fill(r, &mut prefix)? < 4 {
        return Ok(None);
    }
    let len = u32::from_be_bytes(prefix) as usize;
    if len > max {
        return Err(ErrorKind::InvalidData.into());
    }
    let mut payload = vec![0u8; len];
    // BUG: a stream that ends inside the payload gives a short frame.
    let got = fill(r, &mut payload)?;
    payload.truncate(got);
    Ok(Some(payload))
}
