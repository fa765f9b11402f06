//! The dataset as a whole: its VoID/DCAT description at `/.well-known/void`, each named graph at
//! its own IRI (`/graph/factsheet`), the gzipped dumps, `sitemap.xml` and `robots.txt`. What
//! reads much of the store comes from the snapshot's [`crate::publish::dataset::DatasetCache`], computed
//! once per store state, with a strong `ETag` that `If-None-Match` turns into a 304.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::linked_data::{answer, decoded};
use super::work::Work;
use super::{ApiError, AppState};
use crate::publish::dataset::{DatasetFile, Rendered};

/// `/.well-known/void` and `/.well-known/void.<extension>`; `path` is one of those without the slash.
pub async fn void(state: &AppState, path: &str, headers: &HeaderMap) -> Response {
    answer(state, path, headers, |snapshot, base, _| snapshot.dataset.void(&snapshot.store, base).map(Some)).await
}

pub async fn graph(State(state): State<AppState>, name: Result<Path<String>, PathRejection>, headers: HeaderMap) -> Response {
    let name = match decoded(name) {
        Ok(name) => name,
        Err(error) => return error.into_response(),
    };
    answer(&state, &format!("graph/{name}"), &headers, |snapshot, base, iri| snapshot.dataset.graph(&snapshot.store, base, iri))
        .await
}

/// `/dump.nq.gz`: every graph.
pub async fn quads_dump(State(state): State<AppState>, headers: HeaderMap) -> Response {
    file(&state, DatasetFile::QuadsDump, &headers).await
}

/// `/dump.ttl.gz`: the union of the graphs.
pub async fn turtle_dump(State(state): State<AppState>, headers: HeaderMap) -> Response {
    file(&state, DatasetFile::TurtleDump, &headers).await
}

pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    file(&state, DatasetFile::Sitemap, &headers).await
}

/// Serves `file` from the snapshot's cache; the first request after a write computes it.
async fn file(state: &AppState, file: DatasetFile, headers: &HeaderMap) -> Response {
    let snapshot = state.knowledge.snapshot();
    let rendered = match snapshot.dataset.computed(file) {
        Some(rendered) => rendered,
        None => {
            let base = state.base.clone();
            match state.workers.run(Work::Read, move || snapshot.dataset.file(file, &snapshot.store, &base)).await {
                Ok(Ok(rendered)) => rendered,
                Ok(Err(error)) => return ApiError::from(error).into_response(),
                Err(error) => return error.into_response(),
            }
        }
    };
    let (content_type, attachment) = match file {
        DatasetFile::Sitemap => ("application/xml", None),
        DatasetFile::QuadsDump => ("application/gzip", Some("attachment; filename=\"kansrijk.nq.gz\"")),
        DatasetFile::TurtleDump => ("application/gzip", Some("attachment; filename=\"kansrijk.ttl.gz\"")),
    };
    let mut response = with_etag(headers, HeaderValue::from_static(content_type), rendered);
    if let Some(attachment) = attachment {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(attachment));
    }
    response
}

/// A 200 with `rendered` and its strong `ETag`, or a 304 without a body when the request's
/// `If-None-Match` names that tag already (compared weakly, as RFC 9110 asks) or is `*`.
pub fn with_etag(request: &HeaderMap, content_type: HeaderValue, rendered: Rendered) -> Response {
    let etag = format!("\"{}\"", rendered.fingerprint);
    let unchanged = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag);
    let etag = HeaderValue::from_str(&etag).expect("a quoted hex fingerprint is a valid header value");
    if unchanged {
        (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type), (header::ETAG, etag)], rendered.bytes).into_response()
    }
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let sitemap = state.base.publish(&format!("{}sitemap.xml", crate::rdf::vocab::BASE));
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))],
        format!("User-agent: *\nDisallow: /sparql\nDisallow: /api/\nDisallow: /dump.\nAllow: /\nSitemap: {sitemap}\n"),
    )
        .into_response()
}
