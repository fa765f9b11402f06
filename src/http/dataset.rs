//! The dataset as a whole: its VoID/DCAT description at `/.well-known/void`, each named graph at
//! its own IRI (`/graph/factsheet`), the gzipped dumps, `sitemap.xml` and `robots.txt`.

use std::io::Write;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;
use oxigraph::io::RdfFormat;

use super::linked_data::answer;
use super::{ApiError, AppState};
use crate::dataset;

/// `/.well-known/void` and `/.well-known/void.<extension>`; `path` is one of those without the slash.
pub async fn void(state: &AppState, path: &str, headers: &HeaderMap) -> Response {
    answer(state, path, headers, |store, base, _| dataset::void(store, base).map(Some)).await
}

pub async fn graph(State(state): State<AppState>, Path(name): Path<String>, headers: HeaderMap) -> Response {
    answer(&state, &format!("graph/{name}"), &headers, dataset::graph).await
}

/// `/dump.nq.gz` (every graph) and `/dump.ttl.gz` (the union of the graphs).
pub async fn dump(state: AppState, format: RdfFormat) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let gzipped = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, ApiError> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        store.dump(format, &mut encoder).map_err(|error| ApiError::Internal(error.to_string()))?;
        encoder.flush().and_then(|()| encoder.finish()).map_err(|error| ApiError::Internal(error.to_string()))
    })
    .await
    .map_err(|error| ApiError::Internal(format!("dump task failed: {error}")))??;
    let name = if format == RdfFormat::NQuads { "kansrijk.nq.gz" } else { "kansrijk.ttl.gz" };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/gzip")),
            (header::CONTENT_DISPOSITION, HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(HeaderValue::from_static("attachment"))),
        ],
        gzipped,
    )
        .into_response())
}

pub async fn sitemap(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = state.store.clone();
    let resources = tokio::task::spawn_blocking(move || dataset::resources(&store))
        .await
        .map_err(|error| ApiError::Internal(format!("sitemap task failed: {error}")))?
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in ["", "sparql"].into_iter().map(|path| state.base.publish(&format!("{}{path}", crate::vocab::BASE))).chain(resources.iter().map(|iri| state.base.publish(iri))) {
        xml.push_str("<url><loc>");
        xml.push_str(&page.replace('&', "&amp;").replace('<', "&lt;"));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/xml"))], xml).into_response())
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let sitemap = state.base.publish(&format!("{}sitemap.xml", crate::vocab::BASE));
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))],
        format!("User-agent: *\nDisallow: /sparql\nDisallow: /api/\nDisallow: /dump.\nAllow: /\nSitemap: {sitemap}\n"),
    )
        .into_response()
}
