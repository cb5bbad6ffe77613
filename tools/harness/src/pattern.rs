//! Payloads that make a mismatch easy to locate.

/// `len` bytes of numbered lines (`line 000042: abcdefghijklmnopqrstuvwxyz\n`),
/// cut to length. When an echo goes wrong, the escaped bytes around the first
/// difference say at once which line was lost or repeated.
pub fn pattern(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 40);
    let mut line = 0u64;
    while out.len() < len {
        out.extend_from_slice(format!("line {line:06}: abcdefghijklmnopqrstuvwxyz\n").as_bytes());
        line += 1;
    }
    out.truncate(len);
    out
}
