//! `GET /api/search?q=...&limit=10[&offset=0][&type=...]`: the search engine's answer as JSON.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::extract::Parameters;
use super::work::Work;
use super::{ApiError, AppState};
use crate::search::Ask;

const DEFAULT_LIMIT: usize = 10;
/// Longer questions are refused: nobody types them, and they are a cheap way to load the server.
const MAX_QUESTION_BYTES: usize = 2_000;

/// Refuses a question longer than anyone types.
pub(super) fn check_length(question: &str) -> Result<(), ApiError> {
    if question.len() > MAX_QUESTION_BYTES {
        return Err(ApiError::BadRequest(format!("de zoekvraag is te lang (meer dan {MAX_QUESTION_BYTES} bytes)")));
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

pub async fn search(State(state): State<AppState>, Parameters(params): Parameters<SearchParams>) -> Result<Response, ApiError> {
    let question = params.q.unwrap_or_default();
    check_length(&question)?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = params.offset.unwrap_or(0);
    let engine = state.search();
    let ask = Ask { question: &question, limit, offset, kind: params.kind.as_deref() };
    let json = |json: String| ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response();
    if let Some(known) = engine.recall_json(&ask) {
        return Ok(json(known));
    }
    let answer = state
        .workers
        .run(Work::Search, move || engine.ask_json(&Ask { question: &question, limit, offset, kind: params.kind.as_deref() }))
        .await?;
    Ok(json(answer?))
}
