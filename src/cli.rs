//! The `kansrijk` command line: argument parsing (clap) and the commands, each a thin layer
//! over the library that turns its typed errors into messages naming file, line and column.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use oxigraph::sparql::CancellationToken;

use crate::graph_data::{self, DataError};
use crate::http::{self, AppState};
use crate::index::{IndexError, SearchIndex};
use crate::linked_data::PublicBase;
use crate::reconcile::{ReconcileError, Reconciler};
use crate::search::{SearchEngine, SearchError};
use crate::synthetic::{self, SyntheticError};
use crate::shacl::{ShaclError, Shapes};
use crate::sparql::{DatasetSelection, Query, QueryForm, ResultFormat, SparqlError, format_by_name, result_formats};
use crate::store::{KnowledgeStore, LoadSource, StoreError};

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
        /// RDF files or folders to check instead of the embedded graph-data.
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
    #[error("{0} SHACL violation(s)")]
    Violations(usize),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Synthetic(#[from] SyntheticError),
    #[error(transparent)]
    Reconcile(#[from] ReconcileError),
}

fn io_error(context: impl Into<String>) -> impl FnOnce(io::Error) -> CliError {
    let context = context.into();
    move |source| CliError::Io { context, source }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kansrijk: error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Serve { bind, timeout_s, base } => serve(&cli.data, &bind, timeout_s, base.as_deref()),
        Command::Load { files, graph, format } => load(&cli.data, &files, graph.as_deref(), format.as_deref()),
        Command::Query { query, format } => run_query(&cli.data, &query, format.as_deref()),
        Command::Dump { format, output } => dump(&cli.data, format, output.as_deref()),
        Command::Check { paths, shapes } => check(&paths, shapes.as_deref()),
        Command::Index => rebuild_index(&cli.data),
        Command::Synthetic { offers, output } => synthetic(&cli.data, offers, output.as_deref()),
        Command::Search { question, limit, kind, json } => search(&cli.data, &question, limit, kind.as_deref(), json),
    }
}

/// Opens the store and brings the base graphs up to date with the embedded graph-data.
fn open_store(data: &Path) -> Result<KnowledgeStore, CliError> {
    fs::create_dir_all(data).map_err(io_error(format!("cannot create {}", data.display())))?;
    let store = KnowledgeStore::open(data)?;
    let started = Instant::now();
    let report = store.sync_base_data(&graph_data::embedded_graphs())?;
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

fn serve(data: &Path, bind: &str, timeout_s: f64, base: Option<&str>) -> Result<(), CliError> {
    if !(timeout_s.is_finite() && timeout_s > 0.0) {
        return Err(CliError::Usage(format!("--timeout-s must be a positive number of seconds, not {timeout_s}")));
    }
    let base = match base {
        Some(base) => PublicBase::new(base).map_err(|error| CliError::Usage(format!("--base: {error}")))?,
        None => PublicBase::default(),
    };
    let store = open_store(data)?;
    let triples = store.len()?;
    let search = Arc::new(open_search(data, &store)?);
    let reconciler = Arc::new(Reconciler::new(&store)?);
    let runtime = tokio::runtime::Runtime::new().map_err(io_error("cannot start the async runtime"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(io_error(format!("cannot listen on {bind}")))?;
        let address = listener.local_addr().map_err(io_error("cannot read the listening address"))?;
        println!("kansrijk: {triples} triples in {}", data.display());
        println!("kansrijk: listening on http://{address} (SPARQL endpoint: http://{address}/sparql)");
        let state = AppState { store, query_timeout: Duration::from_secs_f64(timeout_s), search, base, reconciler };
        http::serve(listener, state).await.map_err(io_error("the HTTP server stopped"))
    })
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
    let (index, rebuilt) = SearchIndex::open(data, store, &|done, total| {
        progress.set_length(total as u64);
        progress.set_position(done as u64);
    })?;
    progress.finish_and_clear();
    if rebuilt {
        eprintln!("kansrijk: indexed {} resources in {:.1} s", index.num_docs(), started.elapsed().as_secs_f64());
    }
    Ok(SearchEngine::new(index, store)?)
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
    let index = SearchIndex::rebuild(data, &store, &|done, total| {
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
    writeln!(out, "\n{} resultaten in {:.1} ms", answer.results.len(), answer.took_ms)
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
    let result = store.load(&sources, graph.as_ref(), |bytes| progress.set_position(bytes));
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
    let output = query.evaluate(&store, format)?;
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
        return Ok(store.dump(format, BufWriter::new(io::stdout().lock()))?);
    };
    // Write next to the target and rename, so the file is complete or absent.
    let partial = output.with_extension("partial");
    let file = File::create(&partial).map_err(io_error(format!("cannot create {}", partial.display())))?;
    let mut writer = BufWriter::new(file);
    store.dump(format, &mut writer)?;
    writer
        .into_inner()
        .map_err(|error| CliError::Io { context: partial.display().to_string(), source: error.into_error() })?
        .sync_all()
        .map_err(io_error(partial.display().to_string()))?;
    fs::rename(&partial, output).map_err(io_error(format!("cannot write {}", output.display())))
}

fn check(paths: &[PathBuf], shapes_file: Option<&Path>) -> Result<(), CliError> {
    let graphs = if paths.is_empty() { graph_data::embedded_graphs() } else { graph_data::read_paths(paths)? };
    let mut quads = Vec::new();
    for graph in &graphs {
        quads.extend(graph.quads()?);
    }
    let shapes_turtle = match shapes_file {
        Some(file) => fs::read(file).map_err(io_error(file.display().to_string()))?,
        None => graph_data::embedded_shapes().to_vec(),
    };
    let shapes = Shapes::from_turtle(&shapes_turtle)?;
    let violations = shapes.validate(&quads)?;
    let files: usize = graphs.iter().map(|graph| graph.files.len()).sum();
    if violations.is_empty() {
        println!("kansrijk: {} quads in {files} file(s) conform to the SHACL shapes", quads.len());
        return Ok(());
    }
    let mut stdout = io::stdout().lock();
    for violation in &violations {
        let path = violation.path.as_deref().unwrap_or("-");
        let value = violation.value.as_deref().map(|value| format!("\n  value: {value}")).unwrap_or_default();
        writeln!(stdout, "{}: {}\n  focus node: {}\n  path: {path}{value}", violation.severity, violation.message, violation.focus_node)
            .map_err(io_error("cannot write to standard output"))?;
    }
    Err(CliError::Violations(violations.len()))
}
