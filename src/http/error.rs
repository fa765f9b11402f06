//! The one error edge of the HTTP service. Handlers return [`ApiError`]; the errors of the
//! engine become one through the `From` impls here (client mistakes a 4xx with a Dutch message,
//! everything else a 500 that logs its whole source chain and tells the client only that the
//! server log has the details). Nothing else in `http/` turns an error into a status.
//!
//! One body per kind of API: the JSON APIs (search, reconciliation, writes) answer errors as
//! `application/problem+json` (RFC 9457: `type`, `title`, `status`, `detail`, and members of
//! their own such as the `violations` of a refused write); the SPARQL protocol, linked data and
//! the dataset answer plain text, as their clients expect; pages answer HTML.

use std::error::Error;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::publish::linked_data::LinkedDataError;
use crate::search::SearchError;
use crate::store::StoreError;

/// An error answered to the client: a status and a Dutch message.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    RequestTimeout(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("de server is druk: er wachtten al te veel zware verzoeken; probeer het over {} s opnieuw", .0.as_secs())]
    Busy(Duration),
    #[error("interne fout; de details staan in het serverlog")]
    Internal(#[source] Box<dyn Error + Send + Sync>),
}

impl ApiError {
    /// A failure the client did not cause: answered 500, logged with its source chain.
    pub fn internal(error: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::Internal(error.into())
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable(_) | Self::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An error and its sources, `outer: inner: innermost`, for the log.
struct Chain<'a>(&'a (dyn Error + 'static));

impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(formatter, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(source) = &self {
            tracing::error!(error = %Chain(source.as_ref()), "internal error");
        }
        let mut response =
            (self.status(), [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))], format!("{self}\n"))
                .into_response();
        let headers = response.headers_mut();
        match self {
            Self::Busy(wait) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(wait.as_secs().max(1)));
            }
            Self::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"kansrijk\""));
            }
            _ => {}
        }
        response.extensions_mut().insert(Problem { detail: self.to_string() });
        response
    }
}

/// What an [`ApiError`] said, kept on its plain-text answer so that [`as_problem_json`] can
/// answer it again as a problem.
#[derive(Debug, Clone)]
struct Problem {
    detail: String,
}

/// The Dutch title of a problem with `status`.
fn title(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "Ongeldig verzoek",
        StatusCode::UNAUTHORIZED => "Niet aangemeld",
        StatusCode::FORBIDDEN => "Niet toegestaan",
        StatusCode::NOT_FOUND => "Niet gevonden",
        StatusCode::METHOD_NOT_ALLOWED => "Methode niet toegestaan",
        StatusCode::NOT_ACCEPTABLE => "Formaat niet beschikbaar",
        StatusCode::REQUEST_TIMEOUT => "Verzoek kwam te traag binnen",
        StatusCode::PAYLOAD_TOO_LARGE => "Verzoek te groot",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Mediatype niet ondersteund",
        StatusCode::UNPROCESSABLE_ENTITY => "Gegevens afgekeurd",
        StatusCode::SERVICE_UNAVAILABLE => "Nu niet beschikbaar",
        _ => "Interne fout",
    }
}

/// An `application/problem+json` answer: `status`, its title, the Dutch `detail`, and the
/// problem's own `members` (the fields of a JSON object).
pub(super) fn problem(status: StatusCode, detail: &str, members: Value) -> Response {
    let mut body = json!({ "type": "about:blank", "title": title(status), "status": status.as_u16(), "detail": detail });
    if let (Value::Object(fields), Value::Object(members)) = (&mut body, members) {
        fields.extend(members);
    }
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"))], body.to_string()).into_response()
}

/// For the routes of the JSON APIs: an [`ApiError`] answers as a problem, keeping its headers.
pub(super) async fn as_problem_json(response: Response) -> Response {
    let Some(Problem { detail }) = response.extensions().get::<Problem>().cloned() else { return response };
    let (mut parts, _) = response.into_parts();
    let (_, body) = problem(parts.status, &detail, Value::Null).into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    Response::from_parts(parts, Body::new(body))
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        Self::internal(error)
    }
}

impl From<LinkedDataError> for ApiError {
    fn from(error: LinkedDataError) -> Self {
        Self::internal(error)
    }
}

impl From<SearchError> for ApiError {
    fn from(error: SearchError) -> Self {
        match error {
            SearchError::UnknownType(..) => Self::BadRequest(error.to_string()),
            other => Self::internal(other),
        }
    }
}

/// serde_urlencoded replaces invalid UTF-8 in a query string silently; say so instead.
pub(super) fn require_utf8(raw_query: Option<&str>) -> Result<(), ApiError> {
    if raw_query.is_some_and(|raw| percent_encoding::percent_decode_str(raw).decode_utf8().is_err()) {
        return Err(ApiError::BadRequest("de zoekparameters zijn geen geldige UTF-8".to_owned()));
    }
    Ok(())
}
