//! `cmfy-validate`: validate ComfyUI API job request bodies from files or stdin.

#![forbid(unsafe_code)]

mod position;
mod report;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, Parser, ValueEnum};
use cmfy_validate::{
    Policy, UrlPattern, ValidationError, Workflow, catalogue::Catalogue, validate_all,
    validate_with,
};

use crate::report::Shown;

/// Validate hosted ComfyUI API job request bodies (the JSON of `POST /v1/jobs`).
///
/// Prints `ok` or the error for each body. Exit status: 0 when every body is valid, 1 when any
/// is invalid, 2 for a usage or IO error.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Files holding request bodies; `-` reads standard input (as does no file, when standard
    /// input is not a terminal).
    files: Vec<PathBuf>,
    /// Output format: `human` shows where each problem is; `json` prints one line per problem,
    /// the error envelope a server sends with `"file"` in front (or `{"file":…,"ok":true}`).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// List every problem, in precedence order, not only the one the API reports.
    #[arg(long)]
    all: bool,
    /// The node limit (at least 1).
    #[arg(long, value_name = "N", default_value_t = cmfy_validate::DEFAULT_MAX_NODES,
          value_parser = node_limit)]
    max_nodes: usize,
    /// Also check each workflow against the server's node catalogue, a `GET /object_info`
    /// snapshot: unknown node types, missing inputs, bad links, cycles, types and values.
    #[arg(long, value_name = "FILE")]
    object_info: Option<PathBuf>,
    /// Each file is a workflow as ComfyUI's "Export (API)" saves it, not a request: it is
    /// checked as the request's `prompt`.
    #[arg(long)]
    workflow: bool,
    /// Allow workflow URLs only from this source (a pattern such as `huggingface.co/*` or
    /// `*.hf.co/*`); repeat for more. Others are `insecure_url` ("source not allowed").
    #[arg(long = "allow-source", value_name = "PATTERN")]
    allow_sources: Vec<UrlPattern>,
    /// For each valid body, list every URL in its workflow with its node, input and pointer
    /// (as JSON lines with `--format json`).
    #[arg(long)]
    list_urls: bool,
}

/// A node limit: a whole number of at least 1 (a limit of 0 would refuse every workflow).
fn node_limit(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_owned()),
        Ok(limit) => Ok(limit),
        Err(error) => Err(error.to_string()),
    }
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

fn stdin_source() -> Source {
    Source {
        name: "<stdin>".to_owned(),
        path: None,
    }
}

fn sources(files: &[PathBuf]) -> Vec<Source> {
    if files.is_empty() {
        return vec![stdin_source()];
    }
    files
        .iter()
        .map(|path| match path.to_str() {
            Some("-") => stdin_source(),
            _ => Source {
                name: path.display().to_string(),
                path: Some(path.clone()),
            },
        })
        .collect()
}

/// The prefix that makes a workflow file a request.
const WORKFLOW_PREFIX: &[u8] = b"{\"prompt\":";

fn main() -> ExitCode {
    let args = Args::parse();
    if args.files.is_empty() && std::io::stdin().is_terminal() {
        // Nothing to read but a terminal: say how to use it rather than wait.
        let _ = Args::command().print_help();
        return ExitCode::from(2);
    }
    let mut policy = Policy::default().with_max_nodes(args.max_nodes);
    if !args.allow_sources.is_empty() {
        policy = policy.with_model_sources(args.allow_sources.iter().cloned());
    }
    if let Some(path) = &args.object_info {
        match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| Catalogue::from_object_info(&bytes).map_err(|e| e.to_string()))
        {
            Ok(catalogue) => policy = policy.with_catalogue(Arc::new(catalogue)),
            Err(error) => {
                eprintln!("cmfy-validate: {}: {error}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let mut out = std::io::stdout().lock();
    let (mut any_invalid, mut any_io_error) = (false, false);
    for source in sources(&args.files) {
        let file = match source.read() {
            Ok(body) => body,
            Err(error) => {
                eprintln!("cmfy-validate: {}: {error}", source.name);
                if args.format == Format::Json {
                    let _ = report::json_failure(&mut out, &source.name, &error.to_string());
                }
                any_io_error = true;
                continue;
            }
        };
        let (body, shift) = if args.workflow {
            (
                [WORKFLOW_PREFIX, &file, b"}"].concat(),
                WORKFLOW_PREFIX.len(),
            )
        } else {
            (file, 0)
        };
        let (errors, workflow): (Vec<ValidationError>, Option<Workflow<'_>>) = if args.all {
            match validate_all(&body, &policy) {
                Ok(workflow) => (Vec::new(), Some(workflow)),
                Err(errors) => (errors, None),
            }
        } else {
            match validate_with(&body, &policy) {
                Ok(workflow) => (Vec::new(), Some(workflow)),
                Err(error) => (vec![error], None),
            }
        };
        any_invalid |= !errors.is_empty();
        let shown = Shown {
            name: &source.name,
            body: &body,
            shift,
        };
        let written = match (args.format, workflow.filter(|_| args.list_urls)) {
            (Format::Human, Some(workflow)) => {
                report::human_urls(&mut out, &source.name, &workflow)
            }
            (Format::Json, Some(workflow)) => report::json_urls(&mut out, &source.name, &workflow),
            (Format::Human, None) => report::human(&mut out, &shown, &errors),
            (Format::Json, None) => report::json(&mut out, &source.name, &errors),
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
