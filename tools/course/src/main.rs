//! `cargo course`: the course runner.
//!
//! Learners use it to see their progress, check an exercise, get hints and
//! read the book offline; maintainers use `verify` to prove the course works.
//! Everything it knows about exercises comes from `course.toml`.

mod book;
mod cargo;
mod check;
mod classroom;
mod config;
mod export;
mod grade;
mod hint;
mod links;
mod list;
mod paths;
mod reset;
mod solution;
mod state;
mod style;
mod syllabus;
mod verify;
mod watch;
mod wrong;

use clap::{ArgGroup, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo course",
    bin_name = "cargo course",
    about = "Sockets from the Ground Up: progress, checks, hints, the book, and the maintainers' verify",
    after_help = "With no command, shows the exercise list and what to do next."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Every exercise in course order with its status, a progress bar and the next step.
    List,
    /// Runs one exercise's tests and shows a short, staged summary.
    Check {
        /// The exercise, e.g. echo-server.
        name: String,
        /// Show the full test output as well.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Shows the next hint for an exercise you have not seen yet (and the earlier ones).
    Hint {
        /// The exercise, e.g. echo-server.
        name: String,
    },
    /// Builds the book and serves it on http://127.0.0.1:3000 (installing the pinned mdBook if needed).
    Book {
        /// Open it in your browser.
        #[arg(long)]
        open: bool,
        /// Only build it into target/book; do not serve.
        #[arg(long)]
        build_only: bool,
        /// Port to serve on (loopback only).
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// Installs the book's pinned tools (course.toml [tools]) under target/tools.
    Tools,
    /// Re-runs the current exercise's tests whenever you save, and moves on when it passes.
    Watch {
        /// Start with this exercise instead of the first one not yet passed.
        name: Option<String>,
        /// Poll for changes once a second instead of using file events.
        #[arg(long)]
        poll: bool,
    },
    /// Shows an exercise's model answer (only after it passes, unless --force).
    Solution {
        /// The exercise, e.g. echo-server.
        name: String,
        /// Show it even though the exercise has not passed yet.
        #[arg(long)]
        force: bool,
    },
    /// Restores an exercise's files from git and forgets its progress (asks first).
    Reset {
        /// The exercise, e.g. echo-server.
        name: String,
        /// Do not ask.
        #[arg(long, short)]
        yes: bool,
    },
    /// Prints the ten-week syllabus (from course.toml); --write updates src/syllabus.md.
    Syllabus {
        /// Write it to src/syllabus.md instead of printing it.
        #[arg(long)]
        write: bool,
    },
    /// Instructors: runs the selected exercises' tests and scores each stage.
    #[command(group(ArgGroup::new("weeks").args(["week", "through"])))]
    Grade {
        /// Only the exercises of this week.
        #[arg(long)]
        week: Option<u32>,
        /// The exercises of weeks 1 to N.
        #[arg(long)]
        through: Option<u32>,
        /// Machine-readable output (schema documented in the instructors' appendix).
        #[arg(long)]
        json: bool,
    },
    /// Instructors: writes a GitHub Classroom autograding workflow for weeks 1 to N.
    Classroom {
        /// Include the exercises of weeks 1 to N.
        #[arg(long)]
        through: u32,
        /// Where to write it (default: .github/workflows/classroom.yml).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Instructors: copies the course to DIR to hand out, without solutions if asked.
    Export {
        /// An empty or new directory.
        dir: PathBuf,
        /// Leave out solutions/ and the maintainers' CI.
        #[arg(long)]
        no_solutions: bool,
    },
    /// The maintainers' check: stubs fail, solutions pass, wrong answers fail, lints, the book.
    Verify {
        /// Check only these exercises (all checks that do not concern one exercise still run).
        #[arg(long = "exercise", value_name = "NAME")]
        exercises: Vec<String>,
        /// Skip building the book.
        #[arg(long)]
        skip_book: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::List) {
        Command::List => list::run(),
        Command::Check { name, verbose } => check::run(&name, verbose),
        Command::Hint { name } => hint::run(&name),
        Command::Book { open, build_only, port } => book::run(open, build_only, port),
        Command::Tools => book::install_all(),
        Command::Watch { name, poll } => watch::run(name, poll),
        Command::Solution { name, force } => solution::run(&name, force),
        Command::Reset { name, yes } => reset::run(&name, yes),
        Command::Syllabus { write } => syllabus::run(write),
        Command::Grade { week, through, json } => grade::run(week, through, json),
        Command::Classroom { through, output } => classroom::run(through, output),
        Command::Export { dir, no_solutions } => export::run(&dir, no_solutions),
        Command::Verify { exercises, skip_book } => verify::run(&exercises, skip_book),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{} {e}", style::red("error:"));
            ExitCode::from(2)
        }
    }
}
