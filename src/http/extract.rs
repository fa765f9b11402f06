//! Extractors that read what a request says about itself (its query string, the media type of
//! its body, its credentials) in one place, and refuse bad input with a Dutch [`ApiError`]
//! before a handler runs.

use std::convert::Infallible;

use axum::extract::{FromRequestParts, Query};
use axum::http::header::{self, HeaderName};
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

/// The media type of the request body: `Content-Type` without its parameters, in lower case;
/// `None` when the header is absent or not readable as text.
pub struct BodyType(Option<String>);

impl BodyType {
    /// The media type, such as `text/turtle`.
    pub fn essence(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for BodyType {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        let essence = header_text(parts, header::CONTENT_TYPE)
            .map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
        Ok(Self(essence))
    }
}

/// The `Authorization` header as sent, for [`WriteTokens::authenticate`], which checks its
/// scheme and token.
///
/// [`WriteTokens::authenticate`]: crate::write::tokens::WriteTokens::authenticate
#[derive(Clone)]
pub struct Credentials(Option<String>);

impl Credentials {
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Credentials {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Self(header_text(parts, header::AUTHORIZATION).map(str::to_owned)))
    }
}

fn header_text(parts: &Parts, name: HeaderName) -> Option<&str> {
    parts.headers.get(name).and_then(|value| value.to_str().ok())
}
