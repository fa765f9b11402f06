//! The SPARQL 1.1 Protocol at `/sparql`: queries by GET, by POST form and by POST
//! `application/sparql-query`; a service description or query page when no query is given.
//! Updates sent here are run as at `/update`, behind a token.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Triple, vocab::rdf};
use oxigraph::sparql::CancellationToken;

use super::extract::{BodyType, Credentials};
use super::negotiate::{self, Specificity};
use super::work::{CancelOnDrop, Work};
use super::{ApiError, AppState, body, pages};
use crate::rdf::vocab::{dct, formats, sd};
use crate::sparql::{DatasetSelection, Query, ResultFormat, SparqlError, bounds, format_by_name, graph_formats, result_formats};

/// Largest POST body: a query of the longest allowed text, percent-encoded.
const MAX_BODY_BYTES: usize = 3 * bounds::MAX_TEXT_BYTES + 64 * 1024;

/// The parameters of a protocol request, wherever they came from.
#[derive(Debug, Default)]
struct ProtocolRequest {
    query: Option<String>,
    update: Option<String>,
    dataset: DatasetSelection,
    format: Option<String>,
}

impl ProtocolRequest {
    fn add_pairs(&mut self, encoded: &[u8]) -> Result<(), ApiError> {
        for (name, value) in form_urlencoded::parse(encoded) {
            match name.as_ref() {
                "query" if self.query.is_some() => {
                    return Err(ApiError::BadRequest("geef precies één parameter query".into()));
                }
                "query" => self.query = Some(value.into_owned()),
                "update" if self.update.is_some() => {
                    return Err(ApiError::BadRequest("geef precies één parameter update".into()));
                }
                "update" => self.update = Some(value.into_owned()),
                "default-graph-uri" => self.dataset.default_graphs.push(value.into_owned()),
                "named-graph-uri" => self.dataset.named_graphs.push(value.into_owned()),
                "format" | "output" => self.format = Some(value.into_owned()),
                _ => {}
            }
        }
        Ok(())
    }
}

fn accept(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT).and_then(|value| value.to_str().ok())
}

pub async fn get(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let mut request = ProtocolRequest::default();
    if let Err(error) = request.add_pairs(raw.unwrap_or_default().as_bytes()) {
        return error.into_response();
    }
    respond(state, &headers, None, request).await
}

pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body_type: BodyType,
    credentials: Credentials,
    RawQuery(raw): RawQuery,
    request_body: Body,
) -> Response {
    let body = match body::read(&headers, request_body, MAX_BODY_BYTES, state.upload_timeout).await {
        Ok(body) => body,
        Err(error) => return error.into_response(),
    };
    let mut request = ProtocolRequest::default();
    let parsed = match body_type.essence() {
        Some("application/x-www-form-urlencoded") => {
            request.add_pairs(raw.unwrap_or_default().as_bytes()).and_then(|()| request.add_pairs(&body))
        }
        Some("application/sparql-query") => request.add_pairs(raw.unwrap_or_default().as_bytes()).and_then(|()| {
            if request.query.is_some() {
                return Err(ApiError::BadRequest("de query staat in de body; herhaal hem niet in de URL".into()));
            }
            let text =
                String::from_utf8(body.to_vec()).map_err(|_| ApiError::BadRequest("de query is geen geldige UTF-8".into()))?;
            request.query = Some(text);
            Ok(())
        }),
        Some("application/sparql-update") => String::from_utf8(body.to_vec())
            .map(|text| request.update = Some(text))
            .map_err(|_| ApiError::BadRequest("de update is geen geldige UTF-8".into())),
        Some(other) => Err(ApiError::UnsupportedMediaType(format!(
            "Content-Type {other} wordt niet ondersteund: stuur application/sparql-query, application/sparql-update of application/x-www-form-urlencoded"
        ))),
        None => Err(ApiError::UnsupportedMediaType(
            "Content-Type ontbreekt: stuur application/sparql-query, application/sparql-update of application/x-www-form-urlencoded"
                .into(),
        )),
    };
    if let Err(error) = parsed {
        return error.into_response();
    }
    respond(state, &headers, Some(credentials), request).await
}

/// Answers a protocol request; `credentials` are those of a POST, the only method that may
/// carry an update.
async fn respond(state: AppState, headers: &HeaderMap, credentials: Option<Credentials>, request: ProtocolRequest) -> Response {
    if let Some(update) = request.update {
        if request.query.is_some() {
            return ApiError::BadRequest("geef een query of een update, niet allebei".into()).into_response();
        }
        let Some(credentials) = credentials else {
            return ApiError::BadRequest("een SPARQL-update gaat met POST, niet met GET".into()).into_response();
        };
        return super::write::run_update(state, credentials, update).await;
    }
    let result = match request.query {
        Some(query) => run_query(state, accept(headers), query, request.dataset, request.format).await,
        None => describe_service(headers),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The format to answer in: an explicit `Accept` match first, then the `format` parameter,
/// then what a wildcard allows.
fn negotiate_format(
    accept: Option<&str>,
    format_parameter: Option<&str>,
    offered: &[ResultFormat],
    by_name: impl Fn(&str) -> Option<ResultFormat>,
) -> Result<ResultFormat, ApiError> {
    let offers: Vec<(&str, ResultFormat)> = offered.iter().map(|format| (format.media_type(), *format)).collect();
    let from_accept = negotiate::choose(accept, &offers);
    let from_parameter = format_parameter.map(|name| (name, by_name(name)));
    match (from_accept, from_parameter) {
        (Some((format, Specificity::Exact)), _) => Ok(format),
        (_, Some((_, Some(format)))) => Ok(format),
        (Some((format, Specificity::Wildcard)), None) => Ok(format),
        (_, Some((name, None))) => Err(ApiError::NotAcceptable(format!(
            "onbekend of ongeschikt formaat {name:?}; beschikbaar: {}",
            media_types(offered)
        ))),
        (None, None) => Err(ApiError::NotAcceptable(format!(
            "none of the accepted media types can be produced; available: {}",
            media_types(offered)
        ))),
    }
}

fn media_types(formats: &[ResultFormat]) -> String {
    formats.iter().map(|format| format.media_type()).collect::<Vec<_>>().join(", ")
}

async fn run_query(
    state: AppState,
    accept: Option<&str>,
    text: String,
    dataset: DatasetSelection,
    format_parameter: Option<String>,
) -> Result<Response, ApiError> {
    let cancellation = CancellationToken::new();
    // Stops the evaluation when the client leaves and this future is dropped, or at the timeout.
    let _stop_when_gone = CancelOnDrop(cancellation.clone());
    let accept = accept.map(ToOwned::to_owned);
    let snapshot = state.knowledge.snapshot();
    let limit = state.query_timeout;
    let token = cancellation.clone();
    let evaluation = state.workers.run(Work::Query, move || -> Result<(ResultFormat, Vec<u8>), ApiError> {
        let query = Query::parse(&text, &dataset, token, Some(Arc::clone(&snapshot.search)))
            .map_err(|error| query_error(error, limit))?;
        let form = query.form();
        let format = negotiate_format(accept.as_deref(), format_parameter.as_deref(), &result_formats(form), |name| {
            format_by_name(name, form)
        })?;
        let body = query.evaluate(&snapshot.store, format).map_err(|error| query_error(error, limit))?;
        Ok((format, body))
    });
    let (format, body) = match tokio::time::timeout(limit, evaluation).await {
        Ok(outcome) => outcome??,
        Err(_elapsed) => return Err(timeout_error(limit)),
    };
    Ok(([(header::CONTENT_TYPE, content_type_value(format)), (header::VARY, HeaderValue::from_static("accept"))], body)
        .into_response())
}

fn query_error(error: SparqlError, limit: std::time::Duration) -> ApiError {
    match error {
        SparqlError::Cancelled => timeout_error(limit),
        error @ (SparqlError::Storage(_) | SparqlError::Serialization(_)) => ApiError::internal(error),
        SparqlError::Syntax(detail) => ApiError::BadRequest(format!("de query is geen geldige SPARQL 1.1: {detail}")),
        SparqlError::InvalidGraphIri(iri) => ApiError::BadRequest(format!("geen geldige IRI van een graaf: {iri}")),
        SparqlError::Evaluation(detail) => ApiError::BadRequest(format!("de query kon niet worden uitgevoerd: {detail}")),
        client_error @ (SparqlError::OutOfBounds(_) | SparqlError::TooManyToSort(_)) => {
            ApiError::BadRequest(client_error.to_string())
        }
    }
}

fn timeout_error(limit: std::time::Duration) -> ApiError {
    ApiError::Unavailable(format!(
        "de query duurde langer dan de grens van {} s en is gestopt; beperk het patroon of voeg een LIMIT toe",
        limit.as_secs_f64()
    ))
}

fn content_type_value(format: ResultFormat) -> HeaderValue {
    let media_type = format.media_type();
    let textual =
        media_type.starts_with("text/") || media_type.contains("json") || media_type.contains("xml") || media_type.contains("n-");
    let value = if textual { format!("{media_type}; charset=utf-8") } else { media_type.to_owned() };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

/// GET `/sparql` without a query: the query page for browsers, otherwise the SPARQL 1.1
/// Service Description in the RDF format asked for.
fn describe_service(headers: &HeaderMap) -> Result<Response, ApiError> {
    let formats: Vec<ResultFormat> = graph_formats().into_iter().map(ResultFormat::Graph).collect();
    let mut offers: Vec<(&str, Option<ResultFormat>)> = formats.iter().map(|f| (f.media_type(), Some(*f))).collect();
    offers.push(("text/html", None));
    match negotiate::choose(accept(headers), &offers) {
        Some((None, _)) => Ok(pages::query_page()),
        Some((Some(ResultFormat::Graph(format)), _)) => {
            let body = service_description(headers, format).map_err(ApiError::internal)?;
            Ok((
                [
                    (header::CONTENT_TYPE, content_type_value(ResultFormat::Graph(format))),
                    (header::VARY, HeaderValue::from_static("accept")),
                ],
                body,
            )
                .into_response())
        }
        _ => Err(ApiError::NotAcceptable(format!(
            "the service description is available as {} and text/html",
            media_types(&formats)
        ))),
    }
}

fn service_description(headers: &HeaderMap, format: RdfFormat) -> std::io::Result<Vec<u8>> {
    let host = headers.get(header::HOST).and_then(|host| host.to_str().ok()).filter(|host| {
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
    });
    let endpoint = NamedNode::new_unchecked(format!("http://{}/sparql", host.unwrap_or("127.0.0.1:7878")));
    let service = NamedOrBlankNode::from(BlankNode::default());
    let dataset = NamedOrBlankNode::from(BlankNode::default());
    let default_graph = NamedOrBlankNode::from(BlankNode::default());
    let mut triples = vec![
        Triple::new(service.clone(), rdf::TYPE, sd::SERVICE),
        Triple::new(service.clone(), sd::ENDPOINT, endpoint),
        Triple::new(service.clone(), sd::SUPPORTED_LANGUAGE, sd::SPARQL11_QUERY),
        Triple::new(service.clone(), sd::FEATURE, sd::UNION_DEFAULT_GRAPH),
        Triple::new(service.clone(), sd::DEFAULT_DATASET, dataset.clone()),
        Triple::new(dataset.clone(), rdf::TYPE, sd::DATASET),
        Triple::new(dataset.clone(), sd::DEFAULT_GRAPH, default_graph.clone()),
        Triple::new(default_graph, rdf::TYPE, sd::GRAPH),
        Triple::new(
            service.clone(),
            dct::TITLE,
            Literal::new_language_tagged_literal_unchecked("Kansrijke Start kennisgraaf", "nl"),
        ),
    ];
    for result_format in [
        formats::SPARQL_RESULTS_JSON,
        formats::SPARQL_RESULTS_XML,
        formats::SPARQL_RESULTS_CSV,
        formats::SPARQL_RESULTS_TSV,
        formats::TURTLE,
        formats::N_TRIPLES,
        formats::RDF_XML,
        formats::JSON_LD,
        formats::N_QUADS,
        formats::TRIG,
    ] {
        triples.push(Triple::new(service.clone(), sd::RESULT_FORMAT, result_format));
    }
    let mut serializer = oxigraph::io::RdfSerializer::from_format(format)
        .with_prefix(sd::PREFIX, sd::NAMESPACE)
        .map_err(std::io::Error::other)?
        .for_writer(Vec::new());
    for triple in &triples {
        serializer.serialize_triple(triple)?;
    }
    serializer.finish()
}
