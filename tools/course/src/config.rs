//! `course.toml`: the one list of exercises.

use crate::paths;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    pub course: Info,
    #[serde(default, rename = "exercise")]
    pub exercises: Vec<Exercise>,
    #[serde(default, rename = "week")]
    pub weeks: Vec<Week>,
    /// The book's tools, pinned: crate name -> exact version.
    pub tools: BTreeMap<String, String>,
}

/// One week of the syllabus. Its exercises are those whose `week` matches.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Week {
    pub number: u32,
    pub title: String,
    /// Book pages to read before the evening.
    pub chapters: Vec<String>,
    /// Lecture topics.
    pub lecture: Vec<String>,
    /// Lightning-talk suggestions.
    pub talks: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Info {
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub name: String,
    /// Book page under src/ that teaches this exercise.
    pub chapter: String,
    pub week: u32,
    pub minutes: u32,
    pub summary: String,
    pub hints: Vec<String>,
    #[serde(default)]
    pub wrong: Vec<Wrong>,
}

/// A wrong answer that the exercise's tests must fail.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wrong {
    pub name: String,
    pub bug: String,
    /// Name (or prefix) of the test that must fail.
    pub fails: String,
    /// Words the failure output must contain.
    pub says: String,
}

impl Exercise {
    /// The graded tests' names, read from exercises/<name>/tests/*.rs: every
    /// `fn` right after a `#[test]`. Known even when the code does not compile.
    pub fn declared_tests(&self) -> Vec<String> {
        let dir = paths::root().join("exercises").join(&self.name).join("tests");
        let mut files: Vec<_> =
            std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
        files.sort();
        let mut tests = Vec::new();
        for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "rs")) {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let mut after_attribute = false;
            for line in text.lines().map(str::trim) {
                if line == "#[test]" {
                    after_attribute = true;
                } else if after_attribute && let Some(rest) = line.strip_prefix("fn ") {
                    tests.push(rest.split('(').next().unwrap_or(rest).to_string());
                    after_attribute = false;
                }
            }
        }
        tests
    }

    /// Whether the exercise belongs to the selected weeks.
    pub fn in_weeks(&self, week: Option<u32>, through: Option<u32>) -> bool {
        week.is_none_or(|w| self.week == w) && through.is_none_or(|t| self.week <= t)
    }
}

impl Wrong {
    pub fn package(&self, exercise: &str) -> String {
        format!("wrong-{exercise}-{}", self.name)
    }
}

#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl Course {
    pub fn load() -> Result<Course, Error> {
        let path = paths::root().join("course.toml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?;
        toml::from_str(&text).map_err(|e| Error(format!("course.toml is not valid: {e}")))
    }

    /// Finds an exercise by name, or says which names are close.
    pub fn exercise(&self, name: &str) -> Result<&Exercise, Error> {
        if let Some(found) = self.exercises.iter().find(|e| e.name == name) {
            return Ok(found);
        }
        let closest = self.exercises.iter().min_by_key(|e| distance(&e.name, name)).map(|e| e.name.as_str());
        let suggestion = match closest {
            Some(close) if distance(close, name) <= close.len() / 2 => format!(" Did you mean `{close}`?"),
            _ => String::new(),
        };
        Err(Error(format!(
            "there is no exercise called `{name}`.{suggestion} `cargo course list` shows them all."
        )))
    }
}

/// Edit distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("echo-server", "echo-server"), 0);
        assert_eq!(distance("echo-sever", "echo-server"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
