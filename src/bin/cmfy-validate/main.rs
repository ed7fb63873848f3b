//! `cmfy-validate`: validate ComfyUI API job request bodies from files or stdin.

#![forbid(unsafe_code)]

mod report;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use cmfy_validate::{Policy, ValidationError, validate_all, validate_with};

/// Validate hosted ComfyUI API job request bodies (the JSON of `POST /v1/jobs`).
///
/// Prints `ok` or the error for each body. Exit status: 0 when every body is valid, 1 when any
/// is invalid, 2 for a usage or IO error.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Files holding request bodies; `-` or none reads standard input.
    files: Vec<PathBuf>,
    /// Output format: `human` shows where each problem is; `json` prints, one line per body,
    /// the error envelope exactly as a server sends it (or `{"ok":true}` for a valid body).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// List every problem, in precedence order, not only the one the API reports.
    #[arg(long)]
    all: bool,
    /// The node limit.
    #[arg(long, value_name = "N", default_value_t = cmfy_validate::DEFAULT_MAX_NODES)]
    max_nodes: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// A named body to validate.
struct Source {
    name: String,
    path: Option<PathBuf>,
}

impl Source {
    fn read(&self) -> std::io::Result<Vec<u8>> {
        match &self.path {
            Some(path) => std::fs::read(path),
            None => {
                let mut body = Vec::new();
                std::io::stdin().read_to_end(&mut body)?;
                Ok(body)
            }
        }
    }
}

fn sources(files: &[PathBuf]) -> Vec<Source> {
    if files.is_empty() {
        return vec![Source {
            name: "<stdin>".to_owned(),
            path: None,
        }];
    }
    files
        .iter()
        .map(|path| match path.to_str() {
            Some("-") => Source {
                name: "<stdin>".to_owned(),
                path: None,
            },
            _ => Source {
                name: path.display().to_string(),
                path: Some(path.clone()),
            },
        })
        .collect()
}

fn main() -> ExitCode {
    let args = Args::parse();
    let policy = Policy::default().max_nodes(args.max_nodes);
    let mut out = std::io::stdout().lock();
    let (mut any_invalid, mut any_io_error) = (false, false);
    for source in sources(&args.files) {
        let body = match source.read() {
            Ok(body) => body,
            Err(error) => {
                eprintln!("cmfy-validate: {}: {error}", source.name);
                any_io_error = true;
                continue;
            }
        };
        let errors: Vec<ValidationError> = if args.all {
            validate_all(&body, &policy).err().unwrap_or_default()
        } else {
            validate_with(&body, &policy).err().into_iter().collect()
        };
        any_invalid |= !errors.is_empty();
        let written = match args.format {
            Format::Human => report::human(&mut out, &source.name, &body, &errors),
            Format::Json => report::json(&mut out, &errors),
        };
        if let Err(error) = written.and_then(|()| out.flush()) {
            eprintln!("cmfy-validate: cannot write output: {error}");
            return ExitCode::from(2);
        }
    }
    match (any_io_error, any_invalid) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}
