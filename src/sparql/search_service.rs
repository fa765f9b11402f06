//! Full-text search inside SPARQL: a `SERVICE` with a reserved IRI that our search engine
//! answers, so that text hits and graph patterns combine in one query.
//!
//! ```sparql
//! SELECT ?hit ?score ?snippet ?provider WHERE {
//!   SERVICE kr:search { ?hit kr:query "nu niet zwanger Aalsmeer" ; kr:score ?score ; kr:snippet ?snippet ; kr:limit 5 }
//!   ?hit schema:provider ?provider .
//! } ORDER BY DESC(?score)
//! ```
//!
//! `kr:query` (a literal, required) is the question as `/api/search` takes it; `kr:score`,
//! `kr:snippet`, `kr:label` and `kr:type` bind the hit's score, snippet, label and type name;
//! `kr:limit` (default 10, at most 100) caps the hits.

use std::sync::Arc;

use oxigraph::model::{Literal, NamedNode, Term, Variable};
use oxigraph::sparql::{QueryEvaluationError, QuerySolutionIter, ServiceHandler};
use spargebra::algebra::GraphPattern;
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern};

use crate::rdf::vocab;
use crate::search::{Hit, SearchEngine};

/// The reserved service IRI, `kr:search`.
pub fn service_iri() -> NamedNode {
    vocab::kr::SEARCH.into_owned()
}

const DEFAULT_LIMIT: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum TextServiceError {
    #[error("SERVICE kr:search takes one basic graph pattern such as {{ ?hit kr:query \"...\" ; kr:score ?score }}")]
    NotABasicPattern,
    #[error("SERVICE kr:search needs `?hit kr:query \"question\"` with a variable subject and a literal question")]
    NoQuestion,
    #[error("SERVICE kr:search: {0} must have ?hit as subject and a variable as object")]
    BadBinding(String),
    #[error("SERVICE kr:search: kr:limit must be a whole number")]
    BadLimit,
    #[error("SERVICE kr:search: unknown property <{0}>; use kr:query, kr:score, kr:snippet, kr:label, kr:type, kr:limit")]
    UnknownProperty(String),
    #[error("SERVICE kr:search: {0}")]
    Search(String),
}

/// Answers `SERVICE kr:search` from the search engine.
pub struct TextService {
    engine: Arc<SearchEngine>,
}

impl TextService {
    pub fn new(engine: Arc<SearchEngine>) -> Self {
        Self { engine }
    }
}

/// What a `kr:search` pattern asks for.
#[derive(Default)]
struct Request {
    hit: Option<Variable>,
    question: Option<String>,
    limit: Option<usize>,
    score: Option<Variable>,
    snippet: Option<Variable>,
    label: Option<Variable>,
    kind: Option<Variable>,
}

fn local_name(predicate: &NamedNodePattern) -> Option<&str> {
    match predicate {
        NamedNodePattern::NamedNode(node) => node.as_str().strip_prefix(vocab::DEF),
        NamedNodePattern::Variable(_) => None,
    }
}

fn read_request(patterns: &[TriplePattern]) -> Result<Request, TextServiceError> {
    let mut request = Request::default();
    for pattern in patterns {
        let TermPattern::Variable(subject) = &pattern.subject else {
            return Err(TextServiceError::NoQuestion);
        };
        let name =
            local_name(&pattern.predicate).ok_or_else(|| TextServiceError::UnknownProperty(pattern.predicate.to_string()))?;
        match (name, &pattern.object) {
            ("query", TermPattern::Literal(question)) => {
                request.hit = Some(subject.clone());
                request.question = Some(question.value().to_owned());
            }
            ("limit", TermPattern::Literal(limit)) => {
                request.limit = Some(limit.value().parse().map_err(|_| TextServiceError::BadLimit)?);
            }
            ("query" | "limit", _) => return Err(TextServiceError::NoQuestion),
            (binding @ ("score" | "snippet" | "label" | "type"), TermPattern::Variable(variable)) => {
                let slot = match binding {
                    "score" => &mut request.score,
                    "snippet" => &mut request.snippet,
                    "label" => &mut request.label,
                    _ => &mut request.kind,
                };
                *slot = Some(variable.clone());
            }
            ("score" | "snippet" | "label" | "type", _) => return Err(TextServiceError::BadBinding(format!("kr:{name}"))),
            (other, _) => return Err(TextServiceError::UnknownProperty(format!("{}{other}", vocab::DEF))),
        }
    }
    let hit = request.hit.as_ref().ok_or(TextServiceError::NoQuestion)?;
    let other_subject = patterns.iter().any(|p| !matches!(&p.subject, TermPattern::Variable(v) if v == hit));
    if other_subject {
        return Err(TextServiceError::BadBinding("every property".to_owned()));
    }
    Ok(request)
}

/// A value of a hit that the pattern binds.
#[derive(Clone, Copy)]
enum Column {
    Hit,
    Score,
    Snippet,
    Label,
    Kind,
}

impl Column {
    fn value(self, hit: &Hit) -> Term {
        match self {
            Self::Hit => NamedNode::new_unchecked(hit.iri.clone()).into(),
            Self::Score => Literal::from(f64::from(hit.score)).into(),
            Self::Snippet => Literal::new_language_tagged_literal_unchecked(hit.snippet.clone(), "nl").into(),
            Self::Label => Literal::new_language_tagged_literal_unchecked(hit.label.clone(), "nl").into(),
            Self::Kind => Literal::new_simple_literal(hit.kind.clone()).into(),
        }
    }
}

impl ServiceHandler for TextService {
    type Error = TextServiceError;

    fn handle(
        &self,
        pattern: &GraphPattern,
        _base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, TextServiceError> {
        let GraphPattern::Bgp { patterns } = pattern else {
            return Err(TextServiceError::NotABasicPattern);
        };
        let request = read_request(patterns)?;
        let (Some(hit), Some(question)) = (request.hit, request.question) else {
            return Err(TextServiceError::NoQuestion);
        };
        let answer = self
            .engine
            .search(&question, request.limit.unwrap_or(DEFAULT_LIMIT), None)
            .map_err(|error| TextServiceError::Search(error.to_string()))?;
        let columns: Vec<(Variable, Column)> = [
            Some((hit, Column::Hit)),
            request.score.map(|variable| (variable, Column::Score)),
            request.snippet.map(|variable| (variable, Column::Snippet)),
            request.label.map(|variable| (variable, Column::Label)),
            request.kind.map(|variable| (variable, Column::Kind)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let variables: Arc<[Variable]> = columns.iter().map(|(variable, _)| variable.clone()).collect();
        let rows: Vec<Result<Vec<Option<Term>>, QueryEvaluationError>> =
            answer.results.iter().map(|hit| Ok(columns.iter().map(|(_, column)| Some(column.value(hit))).collect())).collect();
        Ok(QuerySolutionIter::from_tuples(variables, rows))
    }
}
