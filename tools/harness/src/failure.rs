//! The shape of a failure message.

/// What went wrong, in the words a learner needs: a one-line problem, the
/// evidence (`sent`, `expected`, `received`, …) and a hint that names the
/// likely mistake. [`crate::Stage::fail`] adds the book section and what the
/// server printed.
#[derive(Debug, Clone)]
pub struct Failure {
    pub problem: String,
    pub details: Vec<(String, String)>,
    pub hint: Option<String>,
}

impl Failure {
    pub fn new(problem: impl Into<String>) -> Self {
        Failure { problem: problem.into(), details: Vec::new(), hint: None }
    }

    /// One line of evidence, shown as `label: value`.
    pub fn detail(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.details.push((label.into(), value.into()));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}
