//! Showing bytes in failure messages.
//!
//! Network bugs live in the bytes: a missing `\n`, a stray `\r`, a message cut
//! in half. So failures print bytes escaped, with their count, and cut very
//! long runs in the middle rather than flooding the terminal.

/// How many bytes of a long run to show before and after the cut.
const HEAD: usize = 96;
const TAIL: usize = 32;

/// `"hello\n" (6 bytes)`: the bytes escaped like a Rust byte string, plus their count.
pub fn show(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "nothing (0 bytes)".to_string();
    }
    let body = if bytes.len() <= HEAD + TAIL + 16 {
        escape(bytes)
    } else {
        format!(
            "{}\" … {} bytes not shown … \"{}",
            escape(&bytes[..HEAD]),
            bytes.len() - HEAD - TAIL,
            escape(&bytes[bytes.len() - TAIL..])
        )
    };
    format!("\"{body}\" ({})", count(bytes.len()))
}

/// `1 byte`, `6 bytes`, `4.0 MiB (4194304 bytes)`.
pub fn count(n: usize) -> String {
    match n {
        1 => "1 byte".to_string(),
        n if n >= 1 << 20 => format!("{:.1} MiB ({n} bytes)", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB ({n} bytes)", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}

fn escape(bytes: &[u8]) -> String {
    bytes.iter().flat_map(|&b| std::ascii::escape_default(b)).map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_bytes_and_quotes() {
        assert_eq!(show(b"hi\r\n\0\""), r#""hi\r\n\x00\"" (6 bytes)"#);
    }

    #[test]
    fn cuts_long_runs_in_the_middle() {
        let long = vec![b'a'; 1000];
        let shown = show(&long);
        assert!(shown.contains("872 bytes not shown"), "{shown}");
        assert!(shown.ends_with("(1000 bytes)"), "{shown}");
    }

    #[test]
    fn counts_in_readable_units() {
        assert_eq!(count(1), "1 byte");
        assert_eq!(count(4 << 20), "4.0 MiB (4194304 bytes)");
    }
}
