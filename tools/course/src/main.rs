//! `cargo course`: the course runner.
//!
//! Learners use it to see their progress, check an exercise, get hints and
//! read the book offline; maintainers use `verify` to prove the course works.
//! Everything it knows about exercises comes from `course.toml`.

mod book;
mod cargo;
mod check;
mod config;
mod hint;
mod list;
mod paths;
mod state;
mod style;
mod verify;

use clap::{Parser, Subcommand};
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
    /// Installs the pinned mdBook under target/tools, if it is not there yet.
    Tools,
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
        Command::Tools => book::mdbook().map(|path| {
            println!("mdBook is ready: {}", path.display());
            true
        }),
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
