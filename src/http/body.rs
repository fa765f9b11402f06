//! Request bodies read within a size and a time limit, the same way at every endpoint: a body
//! larger than its limit is refused 413 before or while it arrives, one that does not arrive in
//! time 408 (a slow client cannot hold a connection and a worker forever).

use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::http::{HeaderMap, header};

use super::ApiError;

/// Reads the whole body, at most `limit` bytes, within `timeout`.
pub async fn read(headers: &HeaderMap, body: Body, limit: usize, timeout: Duration) -> Result<Bytes, ApiError> {
    let announced =
        headers.get(header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()).and_then(|value| value.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        return Err(too_large(limit));
    }
    match tokio::time::timeout(timeout, to_bytes(body, limit)).await {
        Err(_elapsed) => Err(ApiError::RequestTimeout(format!(
            "de gegevens kwamen niet binnen {} s binnen; er is niets verwerkt",
            timeout.as_secs_f64()
        ))),
        Ok(Err(error))
            if std::error::Error::source(&error).is_some_and(|source| source.is::<http_body_util::LengthLimitError>()) =>
        {
            Err(too_large(limit))
        }
        Ok(Err(error)) => Err(ApiError::BadRequest(format!("de gegevens konden niet gelezen worden: {error}"))),
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

fn too_large(limit: usize) -> ApiError {
    let size = if limit >= 1024 * 1024 { format!("{} MB", limit / 1024 / 1024) } else { format!("{} kB", limit / 1024) };
    ApiError::PayloadTooLarge(format!("de gegevens zijn groter dan {size}; er is niets verwerkt"))
}
