//! The book's demos live in `examples/`; run one with
//! `cargo run -p demos --example NAME`. This library is empty on purpose.
