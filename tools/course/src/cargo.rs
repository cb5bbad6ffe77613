//! Running `cargo test` and reading what libtest printed.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// One `cargo test` run, parsed.
#[derive(Debug)]
pub struct TestRun {
    /// Did the tests build and start? (If not, `stderr` has the compiler's words.)
    pub ran: bool,
    /// Every test in the order libtest reported it, with whether it passed.
    pub tests: Vec<(String, bool)>,
    /// The captured output of each failed test.
    pub failures: BTreeMap<String, String>,
    pub stdout: String,
    pub stderr: String,
}

impl TestRun {
    pub fn passed(&self) -> usize {
        self.tests.iter().filter(|(_, ok)| *ok).count()
    }

    pub fn failed(&self) -> usize {
        self.tests.len() - self.passed()
    }

    pub fn all_passed(&self) -> bool {
        self.ran && self.failed() == 0 && !self.tests.is_empty()
    }
}

/// `cargo test -p PACKAGE` in the workspace at `dir`, optionally with a target dir.
pub fn test(dir: &Path, package: &str, target_dir: Option<&Path>) -> std::io::Result<TestRun> {
    let mut command = Command::new(cargo());
    command.current_dir(dir).args(["test", "--color", "never", "-p", package, "--", "--color", "never"]);
    // Learners see short panic reports from servers under test, not backtraces.
    command.env("RUST_BACKTRACE", "0");
    if let Some(target) = target_dir {
        command.env("CARGO_TARGET_DIR", target);
    }
    let output = command.output()?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    Ok(parse(stdout, stderr))
}

/// The cargo that runs us (so `cargo +nightly course` stays on nightly).
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn parse(stdout: String, stderr: String) -> TestRun {
    let mut tests = Vec::new();
    let mut failures = BTreeMap::new();
    let mut ran = false;
    let mut current: Option<(String, String)> = None;
    for line in stdout.lines() {
        if line.starts_with("running ") && line.ends_with(" tests") || line == "running 1 test" {
            ran = true;
        }
        if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, outcome)) = rest.rsplit_once(" ... ")
        {
            match outcome {
                "ok" => tests.push((name.to_string(), true)),
                "FAILED" => tests.push((name.to_string(), false)),
                _ => {}
            }
            continue;
        }
        if let Some(name) = line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----")) {
            if let Some((name, text)) = current.take() {
                failures.insert(name, text);
            }
            current = Some((name.to_string(), String::new()));
            continue;
        }
        if line == "failures:" || line.starts_with("test result:") {
            if let Some((name, text)) = current.take() {
                failures.insert(name, text);
            }
            continue;
        }
        if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    // libtest reports in completion order; show stages in their numbered order.
    tests.sort_by_key(|(name, _)| (stage_number(name), name.clone()));
    TestRun { ran, tests, failures, stdout, stderr }
}

/// `stage_12_x` -> 12; tests that are not stages sort last.
fn stage_number(test: &str) -> u32 {
    test.strip_prefix("stage_")
        .and_then(|rest| rest.split('_').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(u32::MAX)
}

/// `stage_3_echoes_bytes` -> `stage 3: echoes bytes`.
pub fn display_name(test: &str) -> String {
    let mut words = test.split('_');
    match (words.next(), words.next()) {
        (Some("stage"), Some(n)) if n.chars().all(|c| c.is_ascii_digit()) => {
            format!("stage {n}: {}", words.collect::<Vec<_>>().join(" "))
        }
        _ => test.replace('_', " "),
    }
}

/// A failure's text without libtest's noise (backtrace notes, blank edges).
pub fn clean_failure(text: &str) -> String {
    text.lines()
        .filter(|l| {
            !l.starts_with("note: run with `RUST_BACKTRACE=1`") && !l.starts_with("note: Some details")
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\nrunning 2 tests\ntest stage_1_a ... ok\ntest stage_2_b ... FAILED\n\nfailures:\n\n---- stage_2_b stdout ----\n\nthread 'x' panicked at t.rs:1:1:\nboom\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\nfailures:\n    stage_2_b\n\ntest result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n";

    #[test]
    fn parses_outcomes_and_failure_text() {
        let run = parse(SAMPLE.replace("stage_1_a ... ok", "stage_10_a ... ok"), String::new());
        assert!(run.ran);
        assert_eq!(run.tests, vec![("stage_2_b".to_string(), false), ("stage_10_a".to_string(), true)]);
        assert_eq!(clean_failure(&run.failures["stage_2_b"]), "thread 'x' panicked at t.rs:1:1:\nboom");
    }

    #[test]
    fn a_build_failure_did_not_run() {
        let run = parse(String::new(), "error[E0308]: mismatched types".to_string());
        assert!(!run.ran);
        assert!(!run.all_passed());
    }

    #[test]
    fn names_stages() {
        assert_eq!(display_name("stage_3_echoes_bytes"), "stage 3: echoes bytes");
        assert_eq!(display_name("parses_input"), "parses input");
    }
}
