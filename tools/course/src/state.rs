//! The learner's progress, kept in `.course-state.toml` (gitignored).

use crate::paths;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    pub exercise: BTreeMap<String, Progress>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Progress {
    /// Result of the last `cargo course check`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
    /// How many hints have been shown.
    #[serde(default)]
    pub hints_seen: usize,
}

impl State {
    /// Loads the state; a missing or unreadable file means a fresh start.
    pub fn load() -> State {
        std::fs::read_to_string(paths::state_file())
            .ok()
            .and_then(|text| toml::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub fn save(&self) -> std::io::Result<()> {
        let text = toml::to_string(self).expect("the state always serialises");
        std::fs::write(
            paths::state_file(),
            format!("# Your progress in the course, written by `cargo course`. Safe to delete.\n{text}"),
        )
    }

    pub fn progress(&self, name: &str) -> Progress {
        self.exercise.get(name).cloned().unwrap_or_default()
    }

    pub fn progress_mut(&mut self, name: &str) -> &mut Progress {
        self.exercise.entry(name.to_string()).or_default()
    }
}
