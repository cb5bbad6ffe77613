//! `cargo course watch`: re-run the current exercise's tests whenever its
//! files change, and move on when it passes.

use crate::config::Course;
use crate::state::State;
use crate::{cargo, check, hint, list, paths, style};
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeMap;
use std::error::Error;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::{Duration, SystemTime};

enum Event {
    Changed,
    Key(String),
    InputClosed,
}

pub fn run(start: Option<String>, force_polling: bool) -> Result<bool, Box<dyn Error>> {
    let course = Course::load()?;
    let mut index = match &start {
        Some(name) => course
            .exercises
            .iter()
            .position(|e| &e.name == name)
            .ok_or_else(|| course.exercise(name).unwrap_err())?,
        None => {
            let state = State::load();
            match course.exercises.iter().position(|e| state.progress(&e.name).passed != Some(true)) {
                Some(i) => i,
                None => {
                    println!("Every exercise passes already. `cargo course watch NAME` watches one anyway.");
                    return Ok(true);
                }
            }
        }
    };

    let (events, incoming) = mpsc::channel();
    read_keys(events.clone());
    let exercises_dir = paths::root().join("exercises");
    // Keep the watcher alive for the whole session.
    let _watcher = if force_polling { None } else { file_events(&exercises_dir, events.clone()) };
    if _watcher.is_none() {
        if !force_polling {
            println!(
                "{} file events are not available here; polling for changes every second instead.",
                style::yellow("note:")
            );
        }
        poll_for_changes(exercises_dir, events);
    }

    loop {
        let exercise = &course.exercises[index];
        println!("\n{}", style::bold(&format!("── watching exercises/{}/ ──", exercise.name)));
        let run = cargo::test(&paths::root(), &exercise.name, None)?;
        let passed = check::summarize(&exercise.name, &run);
        let mut state = State::load();
        state.progress_mut(&exercise.name).passed = Some(passed);
        state.save()?;
        if passed {
            if index + 1 == course.exercises.len() {
                println!("That was the last exercise. Well done!");
                return Ok(true);
            }
            index += 1;
            println!(
                "{} moving on to {}.",
                style::green("Passed:"),
                style::bold(&course.exercises[index].name)
            );
            continue;
        }
        println!("{}", style::dim("Save a file to re-run. Keys (then Enter): h = hint, l = list, q = quit."));
        loop {
            match incoming.recv()? {
                Event::Changed => {
                    // An editor's save is several events; let them settle.
                    while incoming.recv_timeout(Duration::from_millis(300)).is_ok() {}
                    break;
                }
                Event::Key(key) => match key.trim() {
                    "h" => {
                        hint::run(&exercise.name)?;
                    }
                    "l" => {
                        list::run()?;
                    }
                    "q" => return Ok(true),
                    "" => {}
                    other => println!("unknown key `{other}`: h = hint, l = list, q = quit"),
                },
                Event::InputClosed => return Ok(true),
            }
        }
    }
}

/// Lines typed on stdin become key events.
fn read_keys(events: Sender<Event>) {
    thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if events.send(Event::Key(line)).is_err() {
                return;
            }
        }
        let _ = events.send(Event::InputClosed);
    });
}

/// Native file events (inotify, FSEvents, ReadDirectoryChangesW), if they work here.
fn file_events(dir: &Path, events: Sender<Event>) -> Option<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && (event.kind.is_modify() || event.kind.is_create() || event.kind.is_remove())
        {
            let _ = events.send(Event::Changed);
        }
    })
    .ok()?;
    watcher.watch(dir, RecursiveMode::Recursive).ok()?;
    Some(watcher)
}

/// The fallback: compare modification times once a second.
fn poll_for_changes(dir: PathBuf, events: Sender<Event>) {
    thread::spawn(move || {
        let mut last = snapshot(&dir);
        loop {
            thread::sleep(Duration::from_secs(1));
            let now = snapshot(&dir);
            if now != last {
                last = now;
                if events.send(Event::Changed).is_err() {
                    return;
                }
            }
        }
    });
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, SystemTime> {
    let mut times = BTreeMap::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            times.extend(snapshot(&path));
        } else if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
            times.insert(path, modified);
        }
    }
    times
}
