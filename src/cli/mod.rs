//! The `kansrijk` command line: argument parsing (clap) and the commands, each a thin layer
//! over the library that turns its typed errors into messages naming file, line and column.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{HumanCount, ProgressBar, ProgressStyle};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode};
use oxigraph::sparql::CancellationToken;

use crate::data::shacl::{ShaclError, Shapes, Violation};
use crate::data::{self, DataError};
use crate::http::{self, AppState, ConnectionLimits, Workers};
use crate::import::hsds::{self, HsdsError};
use crate::import::synthetic::{self, SyntheticError};
use crate::live::{DemoSync, KnowledgeBase, LiveError};
use crate::publish::linked_data::PublicBase;
use crate::rdf::vocab;
use crate::reconcile::ReconcileError;
use crate::search::index::{IndexError, SearchIndex};
use crate::search::{SearchEngine, SearchError};
use crate::sparql::{self, DatasetSelection, Query, QueryForm, ResultFormat, SparqlError, format_by_name, result_formats};
use crate::store::{KnowledgeStore, LoadSource, Progress, StoreError};
use crate::write::tokens::{GraphTarget, Refusal, TokenFileError, WriteTokens, Writer};
use crate::write::{Provenance, WriteError, Writes};

#[derive(Debug, Parser)]
#[command(name = "kansrijk", version, about = "Knowledge graph, SPARQL endpoint and search for Kansrijke Start")]
pub struct Cli {
    /// Folder that holds the store (created when missing).
    #[arg(long, global = true, value_name = "DIR", default_value = "data")]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service (SPARQL endpoint and pages) on the store.
    Serve {
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: String,
        /// Seconds a SPARQL query may run before it is stopped (answered 503).
        #[arg(long = "timeout-s", default_value_t = 10.0)]
        timeout_s: f64,
        /// Base under which this deployment publishes kansrijk's IRIs, if not https://w3id.org/kansrijk/
        /// (e.g. https://kansrijk.example.nl/); it must end in '/'.
        #[arg(long, value_name = "IRI")]
        base: Option<String>,
        /// File of write tokens, one per line: `NAME TOKEN [GRAPH-IRI ...]` (without it the
        /// store is read-only). A token with graphs may write only those graphs.
        #[arg(long, value_name = "FILE")]
        write_token_file: Option<PathBuf>,
        /// Seconds a client may take to send the body of a request before it is cut off (408).
        #[arg(long = "upload-timeout-s", default_value_t = 30.0)]
        upload_timeout_s: f64,
        /// Seconds a client may take to send the head of a request before its connection is closed.
        #[arg(long = "header-timeout-s", default_value_t = 10.0)]
        header_timeout_s: f64,
        /// Connections open at once at most; further clients wait until one closes.
        #[arg(long, default_value_t = ConnectionLimits::default().max_connections)]
        max_connections: usize,
        /// Connections one client address may hold open at once.
        #[arg(long, default_value_t = ConnectionLimits::default().max_per_client)]
        max_connections_per_client: usize,
        /// Also serve the fictional demo social map (HSDS, in its own named graph
        /// https://w3id.org/kansrijk/graph/demo-sociale-kaart); without it that graph is removed.
        #[arg(long)]
        demo: bool,
    },
    /// Replace a named graph with the contents of one file (RDF, or Open Referral HSDS 3.0
    /// JSON), validated against the SHACL shapes first; nothing is written when it fails.
    Import {
        /// Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD, or HSDS JSON (`.json`).
        file: PathBuf,
        /// The named graph to replace.
        #[arg(long, value_name = "IRI")]
        graph: String,
        /// Format, when the file name does not tell (ttl, trig, nt, nq, rdf, jsonld, hsds);
        /// `.json` files are read as HSDS.
        #[arg(long)]
        format: Option<String>,
    },
    /// Load RDF files into the store in one atomic step.
    Load {
        /// Turtle, TriG, N-Triples, N-Quads, RDF/XML or JSON-LD files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Named graph for the triples (default: the default graph).
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        /// Format of all files, when the file names do not tell (ttl, trig, nt, nq, rdf, jsonld).
        #[arg(long)]
        format: Option<String>,
    },
    /// Run a SPARQL query on the store and print the results.
    Query {
        /// The SPARQL query.
        query: String,
        /// Output format: json, xml, csv, tsv for SELECT/ASK; ttl, nt, rdf, jsonld, nq, trig for CONSTRUCT/DESCRIBE.
        #[arg(long)]
        format: Option<String>,
    },
    /// Write the whole store as N-Quads or TriG.
    Dump {
        #[arg(long, value_enum, default_value_t = DumpFormat::Nquads)]
        format: DumpFormat,
        /// File to write (default: standard output). Written completely or not at all.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Rebuild the search index from the store.
    Index,
    /// Answer a question as a GP would type it, with why each result was chosen.
    Search {
        /// The question, e.g. "aanbod voor tienerzwangerschap in Aalsmeer".
        question: String,
        /// Number of results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Only results of this type (thema, instrument, aanbod, organisatie, ...).
        #[arg(long = "type")]
        kind: Option<String>,
        /// Print the answer as JSON, as /api/search gives it.
        #[arg(long)]
        json: bool,
    },
    /// Write a synthetic social map (offers over all municipalities, marked as synthetic, for
    /// benchmarks) as N-Quads in the graph https://w3id.org/kansrijk/graph/synthetisch.
    Synthetic {
        /// Number of offers.
        #[arg(long, default_value_t = 1_000_000)]
        offers: usize,
        /// File to write (default: standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Validate graph data against the SHACL shapes (default: the embedded graph-data).
    Check {
        /// RDF files or folders to check instead of the embedded graph-data; `.json` files are
        /// Open Referral HSDS 3.0 and get the checks of an import, against the store in --data.
        paths: Vec<PathBuf>,
        /// SHACL shapes in Turtle (default: the embedded ontology/shapes.ttl).
        #[arg(long)]
        shapes: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DumpFormat {
    Nquads,
    Trig,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Sparql(#[from] SparqlError),
    #[error(transparent)]
    Shacl(#[from] ShaclError),
    #[error("{0}")]
    Usage(String),
    #[error("{context}: {source}")]
    Io { context: String, source: io::Error },
    #[error("{0} violation(s) found")]
    Violations(usize),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Synthetic(#[from] SyntheticError),
    #[error(transparent)]
    Reconcile(#[from] ReconcileError),
    #[error(transparent)]
    Tokens(#[from] TokenFileError),
    #[error(transparent)]
    Live(#[from] LiveError),
    #[error(transparent)]
    Refused(#[from] Refusal),
}

fn io_error(context: impl Into<String>) -> impl FnOnce(io::Error) -> CliError {
    let context = context.into();
    move |source| CliError::Io { context, source }
}

/// Exit status 1: the command ran and found violations (`check`, a rejected `load` or `import`).
const FOUND_VIOLATIONS: u8 = 1;
/// Exit status 2: the command could not do its work (as for a usage error, which clap reports).
const FAILED: u8 = 2;

/// Runs the command line. Exits 0 on success, also when the reader of standard output went
/// away (`kansrijk dump | head`), 1 when violations were found and 2 on any other error.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error @ CliError::Violations(_)) => {
            eprintln!("kansrijk: {error}");
            ExitCode::from(FOUND_VIOLATIONS)
        }
        Err(error) => {
            eprintln!("kansrijk: error: {error}");
            ExitCode::from(FAILED)
        }
    }
}

/// The log of the library and the server, on standard error: kansrijk's own events from `info`
/// on and other crates' from `warn` on (tantivy tells every commit at `info`), or what
/// `RUST_LOG` says (e.g. `RUST_LOG=kansrijk=debug` adds a line per HTTP request). What the
/// commands tell their user is written by the commands themselves, not logged.
fn init_logging() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,kansrijk=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
}

impl CliError {
    /// Whether the error is, or was caused by, writing to a pipe whose reader has gone.
    fn is_broken_pipe(&self) -> bool {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(error) = cause {
            if error.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe) {
                return true;
            }
            cause = error.source();
        }
        false
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Serve {
            bind,
            timeout_s,
            base,
            write_token_file,
            upload_timeout_s,
            header_timeout_s,
            max_connections,
            max_connections_per_client,
            demo,
        } => {
            let limits = Limits {
                query_timeout_s: timeout_s,
                upload_timeout_s,
                header_timeout_s,
                max_connections,
                max_connections_per_client,
            };
            serve(&cli.data, &bind, limits, base.as_deref(), write_token_file.as_deref(), demo)
        }
        Command::Import { file, graph, format } => import(&cli.data, &file, &graph, format.as_deref()),
        Command::Load { files, graph, format } => load(&cli.data, &files, graph.as_deref(), format.as_deref()),
        Command::Query { query, format } => run_query(&cli.data, &query, format.as_deref()),
        Command::Dump { format, output } => dump(&cli.data, format, output.as_deref()),
        Command::Check { paths, shapes } => check(&cli.data, &paths, shapes.as_deref()),
        Command::Index => rebuild_index(&cli.data),
        Command::Synthetic { offers, output } => synthetic(&cli.data, offers, output.as_deref()),
        Command::Search { question, limit, kind, json } => search(&cli.data, &question, limit, kind.as_deref(), json),
    }
}

/// Opens the store and brings the base graphs up to date with the embedded graph-data.
fn open_store(data: &Path) -> Result<KnowledgeStore, CliError> {
    if !data.exists() {
        eprintln!("kansrijk: creating a new store in {} (--data DIR chooses another folder)", data.display());
    }
    fs::create_dir_all(data).map_err(io_error(format!("cannot create {}", data.display())))?;
    let store = KnowledgeStore::open(data)?;
    let started = Instant::now();
    let report = store.sync_base_data(&data::embedded_graphs())?;
    if !report.reloaded.is_empty() || !report.removed.is_empty() {
        eprintln!(
            "kansrijk: loaded graph-data ({}) into {} in {:.1} s",
            report.reloaded.join(", "),
            data.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(store)
}

/// The limits of `serve`: times in seconds, connection counts.
struct Limits {
    query_timeout_s: f64,
    upload_timeout_s: f64,
    header_timeout_s: f64,
    max_connections: usize,
    max_connections_per_client: usize,
}

fn positive(option: &str, value: usize) -> Result<usize, CliError> {
    if value == 0 {
        return Err(CliError::Usage(format!("{option} must be at least 1")));
    }
    Ok(value)
}

fn seconds(option: &str, value: f64) -> Result<Duration, CliError> {
    if !(value.is_finite() && value > 0.0 && value < 1e9) {
        return Err(CliError::Usage(format!("{option} must be a positive number of seconds, not {value}")));
    }
    Ok(Duration::from_secs_f64(value))
}

fn serve(
    data: &Path,
    bind: &str,
    limits: Limits,
    base: Option<&str>,
    write_token_file: Option<&Path>,
    demo: bool,
) -> Result<(), CliError> {
    let query_timeout = seconds("--timeout-s", limits.query_timeout_s)?;
    let upload_timeout = seconds("--upload-timeout-s", limits.upload_timeout_s)?;
    let connection_limits = ConnectionLimits {
        max_connections: positive("--max-connections", limits.max_connections)?,
        max_per_client: positive("--max-connections-per-client", limits.max_connections_per_client)?,
        header_timeout: seconds("--header-timeout-s", limits.header_timeout_s)?,
    };
    let base = match base {
        Some(base) => PublicBase::new(base).map_err(|error| CliError::Usage(format!("--base: {error}")))?,
        None => PublicBase::default(),
    };
    let tokens = match write_token_file {
        Some(file) => WriteTokens::from_file(file)?,
        None => WriteTokens::default(),
    };
    let store = open_store(data)?;
    let knowledge = Arc::new(open_knowledge(data, store.clone())?);
    sync_demo(&knowledge, demo)?;
    let triples = store.len()?;
    // Queries are parsed and evaluated on the blocking threads, which need a deep stack.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(sparql::bounds::EVALUATION_STACK_BYTES)
        .build()
        .map_err(io_error("cannot start the async runtime"))?;
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(bind).await.map_err(io_error(format!("cannot listen on {bind}")))?;
        let address = listener.local_addr().map_err(io_error("cannot read the listening address"))?;
        println!("kansrijk: {triples} triples in {}", data.display());
        println!("kansrijk: listening on http://{address} (SPARQL endpoint: http://{address}/sparql)");
        if tokens.enabled() {
            println!("kansrijk: writes enabled at /update and /store for the tokens in the token file");
        }
        let state = AppState {
            query_timeout,
            upload_timeout,
            knowledge,
            tokens: Arc::new(tokens),
            base,
            workers: Arc::new(Workers::for_this_machine(query_timeout)),
        };
        http::serve(listener, state, connection_limits).await.map_err(io_error("the HTTP server stopped"))
    });
    // A query that is still being planned when the server stops is not waited for.
    runtime.shutdown_timeout(Duration::from_secs(1));
    served
}

fn index_progress() -> ProgressBar {
    ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{spinner} indexing {bar:40} {pos}/{len} resources ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    )
}

/// Opens the search index, rebuilding it when the store changed since it was built.
fn open_search(data: &Path, store: &KnowledgeStore) -> Result<SearchEngine, CliError> {
    let progress = index_progress();
    let started = Instant::now();
    let view = store.view()?;
    let (index, rebuilt) = SearchIndex::open(data, &view, &|done, total| {
        progress.set_length(total as u64);
        progress.set_position(done as u64);
    })?;
    progress.finish_and_clear();
    if rebuilt {
        eprintln!("kansrijk: indexed {} resources in {:.1} s", index.num_docs(), started.elapsed().as_secs_f64());
    }
    Ok(SearchEngine::new(index, &view)?)
}

/// Opens the live knowledge base, rebuilding the index when the store changed since it was built.
fn open_knowledge(data: &Path, store: KnowledgeStore) -> Result<KnowledgeBase, CliError> {
    let progress = index_progress();
    let started = Instant::now();
    let shapes = Shapes::from_turtle(data::embedded_shapes())?;
    let (knowledge, built) = KnowledgeBase::open(data, store, shapes, &|done, total| {
        progress.set_length(total as u64);
        progress.set_position(done as u64);
    })?;
    progress.finish_and_clear();
    if built {
        eprintln!("kansrijk: indexed the store in {:.1} s", started.elapsed().as_secs_f64());
    }
    Ok(knowledge)
}

/// Loads the demo social map when asked and it is missing; removes it when not asked.
fn sync_demo(knowledge: &KnowledgeBase, demo: bool) -> Result<(), CliError> {
    match knowledge.sync_demo(demo)? {
        DemoSync::Loaded(services) => {
            eprintln!("kansrijk: loaded the fictional demo social map ({services} offers) into <{}>", data::DEMO_GRAPH);
        }
        DemoSync::Removed => eprintln!("kansrijk: removed the demo social map (start with --demo to serve it)"),
        DemoSync::Unchanged => {}
    }
    Ok(())
}

fn import(data: &Path, file: &Path, graph: &str, format: Option<&str>) -> Result<(), CliError> {
    let graph = NamedNode::new(graph).map_err(|error| CliError::Usage(format!("--graph {graph}: {error}")))?;
    let name = file.display().to_string();
    let hsds = match format {
        Some(format) => format.eq_ignore_ascii_case("hsds"),
        None => file.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("json")),
    };
    let format = match format {
        _ if hsds => None,
        Some(name) => Some(rdf_format_by_name(name)?),
        None => Some(crate::rdf::files::format_of(file).map_err(StoreError::from)?),
    };
    let body = fs::read(file).map_err(io_error(name.clone()))?;
    let store = open_store(data)?;
    let knowledge = open_knowledge(data, store)?;
    let writer = Writer::command_line();
    writer.may_write(&GraphTarget::Named(graph.as_str().to_owned()))?;
    let provenance = Provenance {
        agent: writer.name.to_owned(),
        action: "import".to_owned(),
        file: file.file_name().map(|name| name.to_string_lossy().into_owned()),
    };
    let started = Instant::now();
    let written = AtomicBool::new(false);
    let report = std::thread::scope(|scope| {
        scope.spawn(|| draw_progress(knowledge.store().progress(), &written));
        let report = knowledge.write(|writes| match format {
            None => writes.replace_with_hsds(&name, &body, &graph, &provenance),
            Some(format) => {
                let target = GraphName::NamedNode(graph.clone());
                let quads = writes.parse(&name, &body, format, &target)?;
                writes.replace_graph(&target, quads, &provenance)
            }
        });
        written.store(true, Ordering::Relaxed);
        report
    });
    match report {
        Ok(report) => {
            print_problems(&name, &report.warnings, "waarschuwing: ")?;
            let seconds = started.elapsed().as_secs_f64();
            let phases = &report.phases;
            let phase = |ms: u64| ms as f64 / 1000.0;
            eprintln!(
                "kansrijk: {} triples in <{}> in {seconds:.1} s (store and search index), {:.0} triples/s\n\
                 kansrijk: read {:.1} s, validated {:.1} s, compared {:.1} s, {} {:.1} s (added {}, removed {}, kept {}), \
                 indexed {:.1} s",
                report.triples,
                report.graphs.join(">, <"),
                report.triples as f64 / seconds.max(0.001),
                phase(phases.parse_ms),
                phase(phases.validate_ms),
                phase(phases.store.compare_ms),
                if phases.store.staged { "staged and bulk loaded" } else { "committed" },
                phase(phases.store.stage_ms + phases.store.commit_ms),
                phases.store.added,
                phases.store.removed,
                phases.store.kept,
                phase(phases.index_ms),
            );
            Ok(())
        }
        Err(LiveError::Write(WriteError::Invalid(violations))) => {
            print_violations(&violations)?;
            Err(CliError::Violations(violations.len()))
        }
        Err(LiveError::Write(WriteError::Hsds { name, source: HsdsError::Invalid(problems) })) => {
            print_problems(&name, &problems.shown, "")?;
            let (total, shown) = (problems.total, problems.shown.len());
            Err(CliError::Usage(format!("{name}: {total} problem(s), the first {shown} above; nothing was written")))
        }
        Err(error) => Err(error.into()),
    }
}

/// Draws the progress of the write in hand on standard error (when it is a terminal), a bar
/// with the phase's items per second, until `written`.
fn draw_progress(progress: &Progress, written: &AtomicBool) {
    let bar = ProgressBar::new(0);
    let counted = ProgressStyle::with_template("{prefix:>12} {bar:40} {human_pos}/{human_len} {msg} ({eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let uncounted = ProgressStyle::with_template("{prefix:>12} {spinner} {human_pos} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let mut shown = None;
    let mut since = Instant::now();
    while !written.load(Ordering::Relaxed) {
        let now = progress.now();
        if now.phase != shown {
            shown = now.phase;
            since = Instant::now();
            bar.reset();
            bar.set_prefix(now.phase.map_or("", |phase| phase.name()));
        }
        let unit = now.phase.map_or("", |phase| phase.unit());
        let per_second = now.done as f64 / since.elapsed().as_secs_f64().max(0.001);
        bar.set_style(if now.total > 0 { counted.clone() } else { uncounted.clone() });
        bar.set_length(now.total);
        bar.set_position(now.done);
        bar.set_message(format!("{unit}, {}/s", HumanCount(per_second as u64)));
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
}

/// One line per problem of an HSDS file: `file:line:column: [kind]message (pointer)`.
fn print_problems(name: &str, problems: &[hsds::Problem], kind: &str) -> Result<(), CliError> {
    let mut stderr = io::stderr().lock();
    for problem in problems {
        let place = match (problem.line, problem.column) {
            (Some(line), Some(column)) => format!("{name}:{line}:{column}"),
            _ => name.to_owned(),
        };
        let pointer = if problem.pointer.is_empty() { "/" } else { &problem.pointer };
        writeln!(stderr, "{place}: {kind}{} ({pointer})", problem.message).map_err(io_error("cannot write to standard error"))?;
    }
    Ok(())
}

fn synthetic(data: &Path, offers: usize, output: Option<&Path>) -> Result<(), CliError> {
    let store = open_store(data)?;
    match output {
        Some(path) => {
            let file = File::create(path).map_err(io_error(path.display().to_string()))?;
            synthetic::write_offers(&store, offers, BufWriter::new(file))?;
        }
        None => synthetic::write_offers(&store, offers, BufWriter::new(io::stdout().lock()))?,
    }
    Ok(())
}

fn rebuild_index(data: &Path) -> Result<(), CliError> {
    let store = open_store(data)?;
    let progress = index_progress();
    let started = Instant::now();
    let index = SearchIndex::rebuild(data, &store.view()?, &|done, total| {
        progress.set_length(total as u64);
        progress.set_position(done as u64);
    })?;
    progress.finish_and_clear();
    eprintln!("kansrijk: indexed {} resources in {:.1} s", index.num_docs(), started.elapsed().as_secs_f64());
    Ok(())
}

fn search(data: &Path, question: &str, limit: usize, kind: Option<&str>, json: bool) -> Result<(), CliError> {
    let store = open_store(data)?;
    let engine = open_search(data, &store)?;
    let answer = engine.search(question, limit, kind)?;
    let mut out = io::stdout().lock();
    let written = if json {
        serde_json::to_writer_pretty(&mut out, &answer).map_err(io::Error::other).and_then(|()| writeln!(out))
    } else {
        write_answer(&mut out, &answer)
    };
    written.map_err(io_error("cannot write the answer"))
}

fn write_answer(out: &mut impl Write, answer: &crate::search::SearchResponse) -> io::Result<()> {
    for region in &answer.understood.regions {
        writeln!(out, "plaats: {} ({} {})", region.label, region.kind.dutch(), region.code)?;
        if region.corrected {
            let (typed, meant) = (&region.matched, &region.label);
            writeln!(out, "  u typte {typed:?}: bedoelde u {meant}? (tussen aanhalingstekens wordt het letterlijk gezocht)")?;
        }
        for other in &region.alternatives {
            writeln!(out, "  ook mogelijk: {} ({} {})", other.label, other.kind.dutch(), other.code)?;
        }
    }
    for concept in &answer.understood.concepts {
        writeln!(out, "herkend: {}", concept.label)?;
    }
    if let Some(message) = &answer.message {
        writeln!(out, "{message}")?;
    }
    for (rank, hit) in answer.results.iter().enumerate() {
        writeln!(out, "\n{}. {} [{}] {:.2}\n   {}", rank + 1, hit.label, hit.kind, hit.score, hit.iri)?;
        for reason in &hit.why {
            writeln!(out, "   - {reason}")?;
        }
    }
    let shown = answer.results.len();
    if shown < answer.total {
        writeln!(out, "\n{shown} van {} resultaten in {:.1} ms", answer.total, answer.took_ms)
    } else {
        writeln!(
            out,
            "\n{} {} in {:.1} ms",
            answer.total,
            if answer.total == 1 { "resultaat" } else { "resultaten" },
            answer.took_ms
        )
    }
}

fn rdf_format_by_name(name: &str) -> Result<RdfFormat, CliError> {
    RdfFormat::from_extension(name)
        .or_else(|| RdfFormat::from_media_type(name))
        .ok_or_else(|| CliError::Usage(format!("unknown RDF format {name:?}: use ttl, trig, nt, nq, rdf or jsonld")))
}

fn load(data: &Path, files: &[PathBuf], graph: Option<&str>, format: Option<&str>) -> Result<(), CliError> {
    let graph = graph
        .map(|iri| NamedNode::new(iri).map_err(|error| CliError::Usage(format!("--graph {iri:?} is not a valid IRI: {error}"))))
        .transpose()?;
    let format = format.map(rdf_format_by_name).transpose()?;
    let mut total_bytes = 0;
    for file in files {
        let metadata = fs::metadata(file).map_err(io_error(file.display().to_string()))?;
        total_bytes += metadata.len();
    }
    let store = open_store(data)?;
    let progress = ProgressBar::new(total_bytes).with_style(
        ProgressStyle::with_template("{spinner} loading {bar:40} {binary_bytes}/{binary_total_bytes} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let sources: Vec<LoadSource> = files.iter().map(|path| LoadSource { path: path.clone(), format }).collect();
    let started = Instant::now();
    let provenance = Provenance {
        agent: Writer::command_line().name.to_owned(),
        action: "load".to_owned(),
        file: (files.len() == 1).then(|| files[0].file_name().map(|name| name.to_string_lossy().into_owned())).flatten(),
    };
    let result = store.load(&sources, graph.as_ref(), |bytes| progress.set_position(bytes), |graph| provenance.quads(graph));
    progress.finish_and_clear();
    let quads = result?;
    let target = graph.map_or_else(|| "the default graph".to_owned(), |graph| graph.to_string());
    eprintln!(
        "kansrijk: loaded {quads} quads from {} file(s) into {target} in {:.1} s; the store holds {} quads",
        files.len(),
        started.elapsed().as_secs_f64(),
        store.len()?
    );
    Ok(())
}

fn run_query(data: &Path, text: &str, format: Option<&str>) -> Result<(), CliError> {
    let store = open_store(data)?;
    let search = Arc::new(open_search(data, &store)?);
    let query = Query::parse(text, &DatasetSelection::default(), CancellationToken::new(), Some(search))?;
    let form = query.form();
    let format = match format {
        Some(name) => format_by_name(name, form).ok_or_else(|| {
            let names = if form.returns_graph() { "ttl, nt, rdf, jsonld, nq or trig" } else { "json, xml, csv or tsv" };
            CliError::Usage(format!("format {name:?} does not fit a {form:?} query: use {names}"))
        })?,
        None if form == QueryForm::Select || form == QueryForm::Ask => {
            ResultFormat::Solutions(oxigraph::sparql::results::QueryResultsFormat::Tsv)
        }
        None => result_formats(form)[0],
    };
    let output = query.evaluate(&store.view()?, format)?;
    let mut stdout = io::stdout().lock();
    stdout.write_all(&output).and_then(|()| stdout.flush()).map_err(io_error("cannot write to standard output"))
}

fn dump(data: &Path, format: DumpFormat, output: Option<&Path>) -> Result<(), CliError> {
    let store = open_store(data)?;
    let format = match format {
        DumpFormat::Nquads => RdfFormat::NQuads,
        DumpFormat::Trig => RdfFormat::TriG,
    };
    let Some(output) = output else {
        return Ok(store.view()?.dump(format, BufWriter::new(io::stdout().lock()))?);
    };
    // Write next to the target and rename, so the file is complete or absent.
    let partial = output.with_extension("partial");
    let file = File::create(&partial).map_err(io_error(format!("cannot create {}", partial.display())))?;
    let mut writer = BufWriter::new(file);
    store.view()?.dump(format, &mut writer)?;
    writer
        .into_inner()
        .map_err(|error| CliError::Io { context: partial.display().to_string(), source: error.into_error() })?
        .sync_all()
        .map_err(io_error(partial.display().to_string()))?;
    fs::rename(&partial, output).map_err(io_error(format!("cannot write {}", output.display())))
}

/// Whether a file to check is Open Referral HSDS JSON rather than RDF (JSON-LD is `.jsonld`).
fn is_hsds_file(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
}

fn check(data: &Path, paths: &[PathBuf], shapes_file: Option<&Path>) -> Result<(), CliError> {
    let shapes_turtle = match shapes_file {
        Some(file) => fs::read(file).map_err(io_error(file.display().to_string()))?,
        None => data::embedded_shapes().to_vec(),
    };
    let (hsds_files, rdf_paths): (Vec<&PathBuf>, Vec<&PathBuf>) = paths.iter().partition(|path| is_hsds_file(path));
    let mut problems = 0;
    if !hsds_files.is_empty() {
        let writes = Writes::new(open_store(data)?, Shapes::from_turtle(&shapes_turtle)?);
        for file in hsds_files {
            problems += check_hsds(&writes, file)?;
        }
        if rdf_paths.is_empty() {
            return if problems == 0 { Ok(()) } else { Err(CliError::Violations(problems)) };
        }
    }
    let rdf_paths: Vec<PathBuf> = rdf_paths.into_iter().cloned().collect();
    match check_rdf(&rdf_paths, &shapes_turtle, paths.is_empty()) {
        Err(CliError::Violations(found)) => Err(CliError::Violations(found + problems)),
        Ok(()) if problems > 0 => Err(CliError::Violations(problems)),
        other => other,
    }
}

/// Checks one HSDS file as `kansrijk import` would, without writing; returns how many problems
/// it has (warnings are printed, not counted).
fn check_hsds(writes: &Writes, file: &Path) -> Result<usize, CliError> {
    let name = file.display().to_string();
    let body = fs::read(file).map_err(io_error(name.clone()))?;
    let graph = NamedNode::new_unchecked(format!("{}check", vocab::GRAPH));
    match writes.check_hsds(&name, &body, &graph) {
        Ok(mapped) => {
            print_problems(&name, &mapped.warnings, "waarschuwing: ")?;
            println!(
                "kansrijk: {name}: {} services of {} organisations conform to HSDS 3.0 and the SHACL shapes",
                mapped.services, mapped.organizations
            );
            Ok(0)
        }
        Err(WriteError::Hsds { source: HsdsError::Invalid(problems), .. }) => {
            print_problems(&name, &problems.shown, "")?;
            Ok(problems.total)
        }
        Err(WriteError::Invalid(violations)) => {
            print_violations(&violations)?;
            Ok(violations.len())
        }
        Err(error) => Err(LiveError::Write(error).into()),
    }
}

fn check_rdf(paths: &[PathBuf], shapes_turtle: &[u8], embedded: bool) -> Result<(), CliError> {
    let graphs = if embedded { data::embedded_graphs() } else { data::read_paths(paths)? };
    let mut quads = Vec::new();
    for graph in &graphs {
        quads.extend(graph.quads()?);
    }
    let shapes = Shapes::from_turtle(shapes_turtle)?;
    let violations = shapes.validate(&quads)?;
    let files: usize = graphs.iter().map(|graph| graph.files.len()).sum();
    if violations.is_empty() {
        println!("kansrijk: {} quads in {files} file(s) conform to the SHACL shapes", quads.len());
        return Ok(());
    }
    print_violations(&violations)?;
    Err(CliError::Violations(violations.len()))
}

fn print_violations(violations: &[Violation]) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    for violation in violations {
        let path = violation.path.as_deref().unwrap_or("-");
        let value = violation.value.as_deref().map(|value| format!("\n  value: {value}")).unwrap_or_default();
        writeln!(
            stdout,
            "{}: {}\n  focus node: {}\n  path: {path}{value}",
            violation.severity, violation.message, violation.focus_node
        )
        .map_err(io_error("cannot write to standard output"))?;
    }
    Ok(())
}
