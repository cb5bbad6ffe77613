//! Where things are in the repository.

use std::path::{Path, PathBuf};

/// The repository root (this crate lives in tools/course).
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().and_then(Path::parent).expect("tools/course is two levels below the root").to_path_buf()
}

pub fn solutions() -> PathBuf {
    root().join("solutions")
}

pub fn wrong() -> PathBuf {
    solutions().join("wrong")
}

/// Where the solutions build, apart from the learner's target/debug (the
/// packages have the same names, so their outputs would overwrite each other).
pub fn solutions_target() -> PathBuf {
    root().join("target").join("solutions")
}

/// The learner's progress file; `COURSE_STATE` overrides it (the runner's
/// own tests use that to leave a real learner's progress alone).
pub fn state_file() -> PathBuf {
    std::env::var_os("COURSE_STATE").map_or_else(|| root().join(".course-state.toml"), PathBuf::from)
}
