//! Extractors that refuse bad input with a Dutch [`ApiError`] before a handler runs.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::ApiError;
use super::error::require_utf8;

/// The query string as `T`. Invalid UTF-8, also after percent-decoding, is refused rather than
/// replaced (serde_urlencoded would replace it silently), and parameters that do not fit `T`
/// get a 400 that names them.
pub struct Parameters<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Parameters<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        require_utf8(parts.uri.query())?;
        let Query(parameters) = Query::<T>::try_from_uri(&parts.uri)
            .map_err(|rejection| ApiError::BadRequest(format!("ongeldige parameters: {}", rejection.body_text())))?;
        Ok(Self(parameters))
    }
}
