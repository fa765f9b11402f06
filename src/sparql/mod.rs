//! SPARQL query evaluation on the store, independent of HTTP: parsing, the query dataset
//! (with the union of the named graphs as default graph), cancellation, and writing results
//! in every standard format. The HTTP layer and the CLI both call this.

use std::sync::Arc;

use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator};

use crate::rdf::vocab;
use crate::search::SearchEngine;
use crate::store::StoreView;
use search_service::TextService;

pub mod bounds;
pub mod search_service;
mod syntax;

/// A query that ran longer than this may have held much memory.
const LONG_RUNNING: std::time::Duration = std::time::Duration::from_secs(1);

#[derive(Debug, thiserror::Error)]
pub enum SparqlError {
    #[error(transparent)]
    OutOfBounds(#[from] bounds::BoundsError),
    #[error("the query is not valid SPARQL 1.1: {0}")]
    Syntax(String),
    #[error("not a valid graph IRI: {0}")]
    InvalidGraphIri(String),
    #[error("the query was cancelled")]
    Cancelled,
    #[error("the query could not be evaluated: {0}")]
    Evaluation(String),
    #[error("de query sorteert meer dan {0} oplossingen; voeg een LIMIT toe of beperk het patroon")]
    TooManyToSort(usize),
    #[error("the store failed while evaluating the query: {0}")]
    Storage(String),
    #[error("cannot write the results: {0}")]
    Serialization(#[from] std::io::Error),
}

impl From<QueryEvaluationError> for SparqlError {
    fn from(error: QueryEvaluationError) -> Self {
        match error {
            QueryEvaluationError::Cancelled => Self::Cancelled,
            QueryEvaluationError::TooManySolutionsToSort(limit) => Self::TooManyToSort(limit),
            QueryEvaluationError::Dataset(error) => Self::Storage(error.to_string()),
            other => Self::Evaluation(other.to_string()),
        }
    }
}

/// The four SPARQL query forms; they decide which result formats apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryForm {
    Select,
    Ask,
    Construct,
    Describe,
}

impl QueryForm {
    pub fn returns_graph(self) -> bool {
        matches!(self, Self::Construct | Self::Describe)
    }
}

/// How results are written: a SPARQL results format or an RDF format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    Solutions(QueryResultsFormat),
    Graph(RdfFormat),
}

impl ResultFormat {
    /// The media type without parameters (`text/csv`, not `text/csv; charset=utf-8`).
    pub fn media_type(self) -> &'static str {
        let full = match self {
            Self::Solutions(format) => format.media_type(),
            Self::Graph(format) => format.media_type(),
        };
        full.split(';').next().unwrap_or(full).trim()
    }
}

const SOLUTION_FORMATS: [QueryResultsFormat; 4] =
    [QueryResultsFormat::Json, QueryResultsFormat::Xml, QueryResultsFormat::Csv, QueryResultsFormat::Tsv];

/// The RDF formats for CONSTRUCT and DESCRIBE, Turtle first.
pub fn graph_formats() -> [RdfFormat; 6] {
    [
        RdfFormat::Turtle,
        RdfFormat::NTriples,
        RdfFormat::RdfXml,
        RdfFormat::JsonLd { profile: Default::default() },
        RdfFormat::NQuads,
        RdfFormat::TriG,
    ]
}

/// The formats a query form can be answered in, the preferred one first.
pub fn result_formats(form: QueryForm) -> Vec<ResultFormat> {
    if form.returns_graph() {
        graph_formats().into_iter().map(ResultFormat::Graph).collect()
    } else {
        SOLUTION_FORMATS.into_iter().map(ResultFormat::Solutions).collect()
    }
}

/// A format named by a short name (`json`, `csv`, `ttl`, `jsonld`, ...) or a media type,
/// if it fits the query form.
pub fn format_by_name(name: &str, form: QueryForm) -> Option<ResultFormat> {
    let name = name.trim().to_ascii_lowercase();
    let candidate = if form.returns_graph() {
        let aliases = [
            ("turtle", "ttl"),
            ("ntriples", "nt"),
            ("n-triples", "nt"),
            ("rdfxml", "rdf"),
            ("xml", "rdf"),
            ("json-ld", "jsonld"),
            ("json", "jsonld"),
            ("nquads", "nq"),
            ("n-quads", "nq"),
        ];
        let extension = aliases.iter().find(|(alias, _)| *alias == name).map_or(name.as_str(), |(_, ext)| ext);
        RdfFormat::from_extension(extension).or_else(|| RdfFormat::from_media_type(&name)).map(ResultFormat::Graph)
    } else {
        QueryResultsFormat::from_extension(&name)
            .or_else(|| QueryResultsFormat::from_media_type(&name))
            .map(ResultFormat::Solutions)
    };
    candidate.filter(|format| result_formats(form).contains(format))
}

/// The RDF dataset a query runs on, as the SPARQL protocol's `default-graph-uri` and
/// `named-graph-uri` give it. Empty means: the query's own FROM clauses, or else the union
/// of all named graphs as default graph.
#[derive(Debug, Clone, Default)]
pub struct DatasetSelection {
    pub default_graphs: Vec<String>,
    pub named_graphs: Vec<String>,
}

impl DatasetSelection {
    fn is_empty(&self) -> bool {
        self.default_graphs.is_empty() && self.named_graphs.is_empty()
    }
}

/// A parsed query, ready to run once on the store.
pub struct Query {
    prepared: PreparedSparqlQuery,
    form: QueryForm,
}

fn graph_iri(iri: &str) -> Result<NamedNode, SparqlError> {
    NamedNode::new(iri).map_err(|_| SparqlError::InvalidGraphIri(iri.to_owned()))
}

impl Query {
    /// Parses `text` and fixes its dataset. `cancellation` stops the evaluation when cancelled;
    /// `search` answers `SERVICE kr:search` (see [`crate::sparql::search_service`]).
    pub fn parse(
        text: &str,
        dataset: &DatasetSelection,
        cancellation: CancellationToken,
        search: Option<Arc<SearchEngine>>,
    ) -> Result<Self, SparqlError> {
        bounds::check(text)?;
        let parsed = vocab::sparql_parser()
            .parse_query(text)
            .map_err(|error| SparqlError::Syntax(syntax::message(text, &error.to_string())))?;
        let form = match &parsed {
            spargebra::Query::Select { .. } => QueryForm::Select,
            spargebra::Query::Ask { .. } => QueryForm::Ask,
            spargebra::Query::Construct { .. } => QueryForm::Construct,
            spargebra::Query::Describe { .. } => QueryForm::Describe,
        };
        let mut evaluator = SparqlEvaluator::new().with_cancellation_token(cancellation);
        if let Some(engine) = search {
            evaluator = evaluator.with_service_handler(search_service::service_iri(), TextService::new(engine));
        }
        let mut prepared = evaluator.for_query(parsed);
        if !dataset.is_empty() {
            let default_graphs =
                dataset.default_graphs.iter().map(|iri| graph_iri(iri).map(GraphName::from)).collect::<Result<_, _>>()?;
            let named_graphs =
                dataset.named_graphs.iter().map(|iri| graph_iri(iri).map(NamedOrBlankNode::from)).collect::<Result<_, _>>()?;
            prepared.dataset_mut().set_default_graph(default_graphs);
            prepared.dataset_mut().set_available_named_graphs(named_graphs);
        } else if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        Ok(Self { prepared, form })
    }

    pub fn form(&self) -> QueryForm {
        self.form
    }

    /// Runs the query and writes all results in `format`. A query that ran long gives the memory
    /// it freed back to the system, so that one runaway does not leave the server large.
    pub fn evaluate(self, store: &StoreView, format: ResultFormat) -> Result<Vec<u8>, SparqlError> {
        let started = std::time::Instant::now();
        let outcome = self.write_results(store, format);
        if started.elapsed() > LONG_RUNNING {
            crate::memory::release_freed();
        }
        outcome
    }

    fn write_results(self, store: &StoreView, format: ResultFormat) -> Result<Vec<u8>, SparqlError> {
        let results = store.bind(self.prepared).execute()?;
        let buffer = Vec::new();
        Ok(match (results, format) {
            (QueryResults::Boolean(value), ResultFormat::Solutions(format)) => {
                QueryResultsSerializer::from_format(format).serialize_boolean_to_writer(buffer, value)?
            }
            (QueryResults::Solutions(solutions), ResultFormat::Solutions(format)) => {
                let mut writer = QueryResultsSerializer::from_format(format)
                    .serialize_solutions_to_writer(buffer, solutions.variables().to_vec())?;
                for solution in solutions {
                    writer.serialize(&solution?)?;
                }
                writer.finish()?
            }
            (QueryResults::Graph(triples), ResultFormat::Graph(format)) => {
                let mut writer = vocab::rdf_serializer(format).for_writer(buffer);
                for triple in triples {
                    writer.serialize_triple(&triple?)?;
                }
                writer.finish()?
            }
            (_, format) => {
                return Err(SparqlError::Evaluation(format!("{} does not fit a {:?} query", format.media_type(), self.form)));
            }
        })
    }
}
