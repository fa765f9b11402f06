//! The HTTP service (axum): routes, shared state, and the mapping of errors to HTTP
//! problems. Handlers call the library (`store`, `sparql`, `search`); nothing here touches
//! RocksDB or Tantivy.

mod body;
mod dataset;
mod def_page;
mod error;
mod extract;
mod linked_data;
mod negotiate;
mod pages;
mod reconcile;
mod search;
mod search_page;
mod server;
mod sparql;
mod work;
mod write;

pub use error::ApiError;
pub use server::ConnectionLimits;
pub use work::Workers;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Request, header};
use axum::response::Response;
use axum::routing::{any, get, post};
use tokio::net::TcpListener;
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};

use crate::live::KnowledgeBase;
use crate::publish::linked_data::{DocumentFormat, PublicBase};
use crate::reconcile::Reconciler;
use crate::search::SearchEngine;
use crate::write::tokens::WriteTokens;

/// What every handler can reach. A handler reads one snapshot of the knowledge base per
/// request (`knowledge.snapshot()`, or the parts [`AppState::search`] and
/// [`AppState::reconciler`] when it needs only one), and runs store reads and CPU-bound work
/// through `workers`, off the async executor.
#[derive(Clone)]
pub struct AppState {
    /// Longest a SPARQL query may run before it is cancelled.
    pub query_timeout: Duration,
    /// The search index, engine and reconciler of the store's current state; swapped by writes.
    pub knowledge: Arc<KnowledgeBase>,
    /// Longest a client may take to send the body of a write (a slow-loris upload is cut off).
    pub upload_timeout: Duration,
    /// Who may write (`--write-token-file`); empty: nobody.
    pub tokens: Arc<WriteTokens>,
    /// Where the published IRIs are served (`--base`).
    pub base: PublicBase,
    /// The limits on heavy work per kind.
    pub workers: Arc<Workers>,
}

impl AppState {
    /// The search engine of the current snapshot.
    pub fn search(&self) -> Arc<SearchEngine> {
        Arc::clone(&self.knowledge.snapshot().search)
    }

    /// The reconciler of the current snapshot.
    pub fn reconciler(&self) -> Arc<Reconciler> {
        Arc::clone(&self.knowledge.snapshot().reconciler)
    }
}

pub fn router(state: AppState) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS])
        .allow_headers(Any)
        .max_age(Duration::from_secs(86_400));
    let mut router = Router::new();
    for with_extensions in ["def", "def/shapes", ".well-known/void"] {
        let paths = std::iter::once(with_extensions.to_owned())
            .chain(DocumentFormat::ALL.map(|format| format!("{with_extensions}.{}", format.extension())));
        for path in paths {
            router = router.route(
                &format!("/{path}"),
                get(move |State(state): State<AppState>, headers: HeaderMap| async move {
                    if path.starts_with("def/shapes") {
                        linked_data::shapes(&state, &path, &headers).await
                    } else if path.starts_with("def") {
                        linked_data::ontology(&state, &path, &headers).await
                    } else {
                        dataset::void(&state, &path, &headers).await
                    }
                }),
            );
        }
    }
    router
        .route("/", get(pages::home))
        .route("/zoeken", get(search_page::page))
        .route("/over", get(pages::about))
        .route("/id/{*path}", get(linked_data::resource))
        .route("/graph/{name}", get(dataset::graph))
        .route("/dump.nq.gz", get(dataset::quads_dump))
        .route("/dump.ttl.gz", get(dataset::turtle_dump))
        .route("/reconcile/preview", get(reconcile::preview))
        .route("/sitemap.xml", get(dataset::sitemap))
        .route("/robots.txt", get(dataset::robots))
        .route("/sparql", get(sparql::get).post(sparql::post))
        .merge(json_apis())
        .fallback(pages::not_found)
        .layer(cors)
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        // One `debug` line per answered request (method, path without the query, status, latency),
        // and a `warn` line for a 5xx answer or a response body that failed; an internal error is
        // also logged at `error` where it is answered (`ApiError::Internal`).
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<Body>| {
                    tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
                })
                .on_request(())
                .on_response(|response: &Response, latency: Duration, _: &tracing::Span| {
                    let latency_ms = format_args!("{:.1}", latency.as_secs_f64() * 1e3);
                    tracing::debug!(status = response.status().as_u16(), %latency_ms, "answered");
                })
                .on_eos(())
                .on_failure(DefaultOnFailure::new().level(tracing::Level::WARN)),
        )
        .with_state(state)
}

/// The JSON APIs: their errors answer as `application/problem+json` (see [`error`]).
fn json_apis() -> Router<AppState> {
    Router::new()
        .route("/api/search", get(search::search))
        .route("/reconcile", get(reconcile::get).post(reconcile::post))
        .route("/reconcile/suggest/entity", get(reconcile::suggest_entity))
        .route("/reconcile/suggest/type", get(reconcile::suggest_type))
        .route("/reconcile/suggest/property", get(reconcile::suggest_property))
        .route("/reconcile/propose_properties", get(reconcile::propose_properties))
        .route("/update", post(write::update))
        .route("/store", any(write::graph_store))
        .route_layer(axum::middleware::map_response(error::as_problem_json))
}

/// Serves until Ctrl-C or SIGTERM, within the connection limits.
pub async fn serve(listener: TcpListener, state: AppState, limits: ConnectionLimits) -> std::io::Result<()> {
    server::serve(listener, router(state), limits, shutdown_signal()).await
}

async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
