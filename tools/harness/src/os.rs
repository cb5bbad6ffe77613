//! What tests need to know about the processes they run, from the OS.

/// Clock ticks per second, the unit of CPU times in `/proc/PID/stat`
/// (`getconf CLK_TCK`; 100 on Linux in practice).
pub fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// CPU time (user + system) that process `pid` has used so far, in seconds,
/// from `/proc/PID/stat` (fields 14 and 15, proc(5)). Linux only.
#[cfg(target_os = "linux")]
pub fn cpu_seconds(pid: u32) -> std::io::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Field 2 is the command in parentheses and may contain spaces: count after it.
    let after = stat.rfind(')').map_or("", |i| &stat[i + 1..]);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // After the command, field 3 (state) is index 0, so utime (14) is 11, stime (15) is 12.
    Ok((field(11) + field(12)) as f64 / clock_ticks_per_second())
}

/// Raises this process's soft limit on open files to `want`, if it is lower
/// and the hard limit allows; programs it starts afterwards inherit it. Tests
/// that open a thousand connections need this where the default soft limit
/// is 1,024 (many Linux desktops) or 256 (macOS). Returns the limit in force.
#[cfg(unix)]
#[allow(unsafe_code)]
#[allow(clippy::unnecessary_cast)] // rlim_t is u64 here, but not on every Unix
pub fn raise_open_files(want: u64) -> u64 {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes into `limit`, a valid struct we own; on
    // failure it leaves it untouched and we report 0.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return 0;
    }
    let want = (want as libc::rlim_t).min(limit.rlim_max);
    if limit.rlim_cur < want {
        let raised = libc::rlimit { rlim_cur: want, rlim_max: limit.rlim_max };
        // SAFETY: setrlimit only reads `raised`, a valid struct we own; on
        // failure the limit stays as it was, which we then report.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            return raised.rlim_cur as u64;
        }
    }
    limit.rlim_cur as u64
}
