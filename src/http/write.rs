//! Writes over HTTP: the SPARQL 1.1 Graph Store HTTP Protocol at `/store` (GET, HEAD, PUT,
//! POST, DELETE of `?graph=IRI` or `?default`) and SPARQL 1.1 Update at `/update` (and
//! `/sparql`). Writes need `Authorization: Bearer <token>`; a refused write answers 401 or
//! 403, one beyond the limits of a write 413 (or 400 for nesting), an invalid one 422 with the
//! first SHACL violations or HSDS problems and their count, and nothing is written.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode};
use serde_json::json;
use std::sync::Arc;

use super::extract::{BodyType, Credentials};
use super::work::Work;
use super::{ApiError, AppState, body, error, negotiate};
use crate::import::hsds::{HsdsError, MAX_REPORTED_PROBLEMS, Problems};
use crate::live::LiveError;
use crate::rdf::files::RdfFileError;
use crate::store::{CommitGate, StoreError};
use crate::write::tokens::{GraphTarget, Refusal};
use crate::write::{Provenance, WriteError, WriteReport};

/// Largest body a write may send.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

const GRAPH_FORMATS: [RdfFormat; 4] = [RdfFormat::Turtle, RdfFormat::NTriples, RdfFormat::RdfXml, RdfFormat::NQuads];

/// Errors of a write, as HTTP problems.
enum WriteProblem {
    Api(ApiError),
    Refused(Refusal),
    Invalid(Vec<crate::data::shacl::Violation>),
    Hsds(Problems),
}

impl From<ApiError> for WriteProblem {
    fn from(error: ApiError) -> Self {
        Self::Api(error)
    }
}

impl From<LiveError> for WriteProblem {
    fn from(error: LiveError) -> Self {
        match error {
            LiveError::Write(WriteError::Refused(refusal)) => Self::Refused(refusal),
            LiveError::Write(WriteError::Invalid(violations)) => Self::Invalid(violations),
            LiveError::Write(WriteError::Hsds { source: HsdsError::Invalid(problems), .. }) => Self::Hsds(problems),
            LiveError::Write(WriteError::Limit(limit)) if limit.is_size() => {
                Self::Api(ApiError::PayloadTooLarge(limit.to_string()))
            }
            LiveError::Write(error @ WriteError::Rdf(RdfFileError::EntityExpansion { .. })) => {
                Self::Api(ApiError::PayloadTooLarge(error.to_string()))
            }
            LiveError::Write(
                error @ (WriteError::Rdf(_)
                | WriteError::Limit(_)
                | WriteError::UpdateSyntax(_)
                | WriteError::UpdateOutOfBounds(_)
                | WriteError::OtherGraph { .. }
                | WriteError::Hsds { .. }),
            ) => Self::Api(ApiError::BadRequest(error.to_string())),
            LiveError::Write(
                error @ (WriteError::UnsupportedUpdate(_)
                | WriteError::BaseResource { .. }
                | WriteError::DescribedElsewhere { .. }),
            ) => Self::Api(ApiError::Forbidden(error.to_string())),
            LiveError::Write(WriteError::Store(error @ StoreError::Update(_))) => {
                Self::Api(ApiError::BadRequest(error.to_string()))
            }
            LiveError::Write(WriteError::Store(StoreError::UpdateCancelled)) => Self::Api(ApiError::Unavailable(
                "de update duurde langer dan de tijdgrens en is gestopt; er is niets geschreven".into(),
            )),
            other => Self::Api(ApiError::internal(other)),
        }
    }
}

impl IntoResponse for WriteProblem {
    fn into_response(self) -> Response {
        match self {
            Self::Api(error) => error.into_response(),
            Self::Refused(refusal) if refusal.is_unauthenticated() => ApiError::Unauthorized(refusal.to_string()).into_response(),
            Self::Refused(refusal) => ApiError::Forbidden(refusal.to_string()).into_response(),
            Self::Invalid(violations) => error::problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("{} SHACL-overtreding(en){}; er is niets geschreven", violations.len(), first_shown(violations.len())),
                json!({
                    "total": violations.len(),
                    "violations": &violations[..violations.len().min(MAX_REPORTED_PROBLEMS)],
                }),
            ),
            Self::Hsds(problems) => error::problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!(
                    "{} probleem/problemen in het HSDS-bestand{}; er is niets geschreven",
                    problems.total,
                    first_shown(problems.total)
                ),
                json!({ "total": problems.total, "problems": problems.shown }),
            ),
        }
    }
}

/// Says that only the first problems are listed, when there are more.
fn first_shown(total: usize) -> String {
    if total > MAX_REPORTED_PROBLEMS { format!(" (de eerste {MAX_REPORTED_PROBLEMS} staan in de lijst)") } else { String::new() }
}

/// `?graph=IRI` or `?default`, exactly one.
fn target(raw_query: Option<&str>) -> Result<GraphTarget, ApiError> {
    super::error::require_utf8(raw_query)?;
    let mut target = None;
    for (name, value) in form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes()) {
        let this = match name.as_ref() {
            "graph" => {
                let iri = oxiri::Iri::parse(value.as_ref())
                    .map_err(|error| ApiError::BadRequest(format!("graph `{value}` is geen absolute IRI: {error}")))?;
                GraphTarget::Named(iri.into_inner().to_owned())
            }
            "default" => GraphTarget::Default,
            _ => continue,
        };
        if target.replace(this).is_some() {
            return Err(ApiError::BadRequest("geef precies één van `graph=IRI` en `default`".into()));
        }
    }
    target.ok_or_else(|| ApiError::BadRequest("geef de graaf op: `/store?graph=IRI` of `/store?default`".into()))
}

fn graph_name(target: &GraphTarget) -> GraphName {
    match target {
        GraphTarget::Named(iri) => NamedNode::new_unchecked(iri.as_str()).into(),
        GraphTarget::Default => GraphName::DefaultGraph,
    }
}

/// Reads the body of a write within the size and time limits.
async fn read_body(state: &AppState, headers: &HeaderMap, request_body: Body) -> Result<Bytes, WriteProblem> {
    Ok(body::read(headers, request_body, MAX_BODY_BYTES, state.upload_timeout).await?)
}

/// What a write body holds.
#[derive(Clone, Copy)]
enum Upload {
    Rdf(RdfFormat),
    /// Open Referral HSDS 3.0 JSON (`application/json`).
    Hsds,
}

/// What a write does with its body.
enum Payload {
    Rdf(RdfFormat),
    /// An HSDS import replacing this graph.
    Hsds(NamedNode),
}

fn upload_format(body_type: &BodyType) -> Result<Upload, ApiError> {
    let media_type = body_type
        .essence()
        .ok_or_else(|| ApiError::UnsupportedMediaType("Content-Type ontbreekt; stuur bijvoorbeeld text/turtle".into()))?;
    if media_type == "application/json" {
        return Ok(Upload::Hsds);
    }
    RdfFormat::from_media_type(media_type).map(Upload::Rdf).ok_or_else(|| {
        ApiError::UnsupportedMediaType(format!(
            "Content-Type {media_type} wordt niet ondersteund: stuur text/turtle, application/trig, application/n-triples, application/n-quads, application/rdf+xml, application/ld+json of HSDS 3.0 als application/json"
        ))
    })
}

/// The Graph Store protocol at `/store`.
pub async fn graph_store(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    body_type: BodyType,
    credentials: Credentials,
    RawQuery(raw): RawQuery,
    body: Body,
) -> Response {
    let outcome = match method {
        Method::GET | Method::HEAD => read_graph(&state, &headers, raw.as_deref(), method == Method::HEAD).await,
        Method::PUT | Method::POST | Method::DELETE => {
            write_graph(state, &method, (&headers, &body_type, &credentials), raw.as_deref(), body).await
        }
        _ => Err(ApiError::MethodNotAllowed("/store kent GET, HEAD, PUT, POST en DELETE".into()).into()),
    };
    outcome.unwrap_or_else(IntoResponse::into_response)
}

async fn read_graph(state: &AppState, headers: &HeaderMap, raw: Option<&str>, head: bool) -> Result<Response, WriteProblem> {
    let target = target(raw)?;
    let graph = graph_name(&target);
    let offers: Vec<(&str, RdfFormat)> = GRAPH_FORMATS.iter().map(|format| (format.media_type(), *format)).collect();
    let accept = headers.get(header::ACCEPT).and_then(|value| value.to_str().ok());
    let format = match accept {
        None => RdfFormat::Turtle,
        Some(_) => negotiate::choose(accept, &offers).map(|(format, _)| format).ok_or_else(|| {
            ApiError::NotAcceptable(format!("beschikbaar: {}", GRAPH_FORMATS.map(|format| format.media_type()).join(", ")))
        })?,
    };
    let snapshot = state.knowledge.snapshot();
    let bytes = state
        .workers
        .run(Work::Read, move || -> Result<_, ApiError> {
            if let GraphName::NamedNode(node) = &graph
                && !snapshot.store.contains_named_graph(node)?
            {
                return Err(ApiError::NotFound(format!("graaf <{}> bestaat niet", node.as_str())));
            }
            let mut writer = crate::rdf::vocab::rdf_serializer(format).for_writer(Vec::new());
            for quad in snapshot.store.quads_for_pattern(None, None, None, Some(graph.as_ref())) {
                writer.serialize_triple(quad?.as_ref()).map_err(ApiError::internal)?;
            }
            writer.finish().map_err(ApiError::internal)
        })
        .await??;
    let content_type = HeaderValue::from_static(format.media_type());
    let length = bytes.len();
    let body = if head { Body::empty() } else { Body::from(bytes) };
    Ok(([(header::CONTENT_TYPE, content_type), (header::CONTENT_LENGTH, HeaderValue::from(length))], body).into_response())
}

async fn write_graph(
    state: AppState,
    method: &Method,
    (headers, body_type, credentials): (&HeaderMap, &BodyType, &Credentials),
    raw: Option<&str>,
    body: Body,
) -> Result<Response, WriteProblem> {
    let target = target(raw)?;
    let writer = state.tokens.authenticate(credentials.as_deref()).map_err(WriteProblem::Refused)?;
    writer.may_write(&target).map_err(WriteProblem::Refused)?;
    let provenance = Provenance {
        agent: writer.name.to_owned(),
        action: format!("Graph Store {method}"),
        file: headers
            .get("content-disposition")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split("filename=").nth(1))
            .map(|name| name.trim_matches('"').to_owned()),
    };
    let graph = graph_name(&target);
    let knowledge = state.knowledge.clone();
    if *method == Method::DELETE {
        let existed = state.workers.run(Work::Write, move || knowledge.write(|writes| writes.delete_graph(&graph))).await??;
        return Ok(if existed {
            StatusCode::NO_CONTENT.into_response()
        } else {
            ApiError::NotFound("deze graaf bestaat niet".into()).into_response()
        });
    }
    let format = upload_format(body_type)?;
    let replace = *method == Method::PUT;
    let payload = match (format, &graph) {
        (Upload::Rdf(format), _) => Payload::Rdf(format),
        (Upload::Hsds, GraphName::NamedNode(node)) if replace => Payload::Hsds(node.clone()),
        (Upload::Hsds, GraphName::NamedNode(_)) => {
            return Err(ApiError::BadRequest("een HSDS-import vervangt de hele graaf: gebruik PUT".into()).into());
        }
        (Upload::Hsds, _) => {
            return Err(ApiError::BadRequest("een HSDS-import gaat naar een benoemde graaf: `/store?graph=IRI`".into()).into());
        }
    };
    let body = read_body(&state, headers, body).await?;
    let (created, report): (bool, WriteReport) = state
        .workers
        .run(Work::Write, move || {
            knowledge.write(|writes| {
                let created = match &graph {
                    GraphName::NamedNode(node) => !writes.holds_graph(node)?,
                    _ => false,
                };
                let report = match payload {
                    Payload::Hsds(node) => writes.replace_with_hsds("body", &body, &node, &provenance),
                    Payload::Rdf(format) => {
                        let quads = writes.parse("body", &body, format, &graph)?;
                        if replace {
                            writes.replace_graph(&graph, quads, &provenance)
                        } else {
                            writes.add_to_graph(&graph, quads, &provenance)
                        }
                    }
                }?;
                Ok((created, report))
            })
        })
        .await??;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(report)).into_response())
}

/// A SPARQL update, from `/update` or `/sparql`. It runs under the query time limit and stops,
/// uncommitted, at that limit or when the client leaves; once it has begun to commit it finishes.
pub async fn run_update(state: AppState, credentials: Credentials, text: String) -> Response {
    let tokens = state.tokens.clone();
    let knowledge = state.knowledge.clone();
    let gate = Arc::new(CommitGate::default());
    let _stop_when_gone = CancelGateOnDrop(Arc::clone(&gate));
    let job_gate = Arc::clone(&gate);
    let job = state.workers.run(Work::Write, move || {
        let writer = tokens.authenticate(credentials.as_deref())?;
        let provenance = Provenance { agent: writer.name.to_owned(), action: "SPARQL-update".into(), file: None };
        knowledge.write(|writes| writes.update(&text, &job_gate, |target| writer.may_write(target), &provenance))
    });
    let mut job = std::pin::pin!(job);
    let outcome = tokio::select! {
        outcome = &mut job => outcome,
        () = tokio::time::sleep(state.query_timeout) => {
            if gate.cancel() {
                return ApiError::Unavailable(format!(
                    "de update duurde langer dan de tijdgrens van {} s en is gestopt; er is niets geschreven",
                    state.query_timeout.as_secs_f64()
                ))
                .into_response();
            }
            job.await
        }
    };
    match outcome {
        Ok(Ok(report)) => Json(report).into_response(),
        Ok(Err(error)) => WriteProblem::from(error).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Cancels an update that has not begun to commit when its request is dropped.
struct CancelGateOnDrop(Arc<CommitGate>);

impl Drop for CancelGateOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// `POST /update`: `application/sparql-update` or a form with `update=`.
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    body_type: BodyType,
    credentials: Credentials,
    body: Body,
) -> Response {
    let outcome = async {
        let bytes = read_body(&state, &headers, body).await?;
        let text = match body_type.essence() {
            Some("application/sparql-update") => {
                String::from_utf8(bytes.to_vec()).map_err(|_| ApiError::BadRequest("de update is geen geldige UTF-8".into()))?
            }
            Some("application/x-www-form-urlencoded") => form_urlencoded::parse(&bytes)
                .find(|(name, _)| name == "update")
                .map(|(_, value)| value.into_owned())
                .ok_or_else(|| ApiError::BadRequest("het formulier mist `update`".into()))?,
            _ => {
                return Err(ApiError::UnsupportedMediaType(
                    "stuur application/sparql-update of application/x-www-form-urlencoded met update=".into(),
                )
                .into());
            }
        };
        Ok::<_, WriteProblem>(run_update(state, credentials, text).await)
    };
    outcome.await.unwrap_or_else(IntoResponse::into_response)
}
