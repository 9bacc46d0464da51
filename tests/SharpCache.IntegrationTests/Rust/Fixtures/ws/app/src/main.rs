use clap::Parser;
use serde::{Deserialize, Serialize};

/// Counts words and greets.
#[derive(Parser, Debug)]
#[command(name = "app")]
struct Args {
    /// Text to analyse.
    #[arg(long, default_value = "the quick brown fox jumps over the lazy dog 42 times")]
    text: String,
}

#[derive(Serialize, Deserialize, Debug)]
struct Report {
    greeting: String,
    words: usize,
    numbers: Vec<u64>,
}

fn main() {
    let args = Args::parse();
    let numbers = regex::Regex::new(r"\d+")
        .unwrap()
        .find_iter(&args.text)
        .map(|m| m.as_str().parse().unwrap())
        .collect();
    let report = Report {
        greeting: core_lib::greeting(),
        words: core_lib::count_words(&args.text),
        numbers,
    };
    let json = serde_json::to_string(&report).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    println!("{}", json);
    assert_eq!(back.words, report.words);
}
