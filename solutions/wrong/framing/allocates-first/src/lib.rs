//! WRONG: believes the peer's length and allocates it before checking `max`.
use std::io::{self, ErrorKind, Read, Write};

pub fn write_frame(w: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len()).map_err(|_| io::Error::from(ErrorKind::InvalidInput))?;
    w.write_all(&len.to_be_bytes())?;
    w.write_all(payload)
}

pub fn read_frame(r: &mut impl Read, max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut prefix = [0u8; 4];
    let mut filled = 0;
    while filled < 4 {
        match r.read(&mut prefix[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let len = u32::from_be_bytes(prefix) as usize;
    // BUG: the buffer is made before the length is checked.
    let mut payload = vec![0u8; len];
    if len > max {
        return Err(ErrorKind::InvalidData.into());
    }
    r.read_exact(&mut payload)?;
    Ok(Some(payload))
}
