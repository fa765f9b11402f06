//! The W3C Reconciliation Service API (version 0.2) at `/reconcile`: the manifest, query
//! batches (`queries=`), data extension (`extend=`), suggest for entities, types and
//! properties, proposed properties and previews. Requests by GET or by POST form, refused with
//! a 400 when they are not UTF-8 or exceed a limit below. Batches, extensions, suggest and
//! proposed properties run off the async executor as [`Work::Reconcile`], each on the
//! reconciler of one snapshot.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Json, Response};
use oxigraph::sparql::CancellationToken;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::extract::Parameters;
use super::work::{CancelOnDrop, Work};
use super::{ApiError, AppState, body, pages};
use crate::rdf::vocab;
use crate::reconcile::{self, PropertyConstraint, ReconcileQuery, Reconciler};

/// Queries per batch at most; OpenRefine sends 10 at a time.
const MAX_BATCH: usize = 100;
/// Longest query text and property value: names and codes, with room for a long one.
const MAX_QUERY_BYTES: usize = 1_000;
/// Types per query at most: OpenRefine sends one; a client may offer a few alternatives.
const MAX_TYPES: usize = 10;
/// Property constraints per query at most: OpenRefine sends one per column matched on, and
/// each constraint is checked against every candidate.
const MAX_CONSTRAINTS: usize = 20;
/// Values per property constraint at most: a value or a short list of alternatives.
const MAX_CONSTRAINT_VALUES: usize = 20;
/// Longest IRI of an id, type or property: kansrijk's, CBS's and TOOI's IRIs are under 100 bytes.
const MAX_IRI_BYTES: usize = 1_000;
/// Ids per data extension at most: OpenRefine asks for 10 rows at a time, other clients up to
/// about 50.
const MAX_EXTEND_IDS: usize = 200;
/// Properties per data extension at most: a user adds a handful of columns at a time.
const MAX_EXTEND_PROPERTIES: usize = 50;
/// Cells (ids × properties) per data extension at most: four times 50 ids with 10 properties,
/// so that an answer stays within a few MB (1000 ids × 20000 properties once answered 590 MB).
const MAX_EXTEND_CELLS: usize = 2_000;
/// Largest settings of an extension property, as JSON: kansrijk offers no settings (the
/// manifest lists none) and ignores them, so a real client's are small.
const MAX_SETTINGS_BYTES: usize = 1_000;
/// Longest suggest prefix: what someone types in an auto-complete box (the longest label has
/// under 100 characters).
const MAX_PREFIX_BYTES: usize = 200;
/// Largest POST body: a full batch of the longest queries percent-encoded (three bytes for one)
/// is 300 kB; the rest is room for types and constraints.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The types a directory most likely reconciles against.
const DEFAULT_TYPES: [&str; 5] = ["Theme", "Tool", "Organisation", "Offer", "Municipality"];

pub async fn get(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let form = raw.unwrap_or_default();
    match utf8_form(form.as_bytes()) {
        Ok(_) => answer(state, form).await,
        Err(error) => error.into_response(),
    }
}

pub async fn post(State(state): State<AppState>, headers: HeaderMap, request_body: Body) -> Response {
    let form = body::read(&headers, request_body, MAX_BODY_BYTES, state.upload_timeout)
        .await
        .and_then(|bytes| utf8_form(&bytes).map(str::to_owned));
    match form {
        Ok(form) => answer(state, form).await,
        Err(error) => error.into_response(),
    }
}

/// The form as text; invalid UTF-8, also after percent-decoding, is refused rather than replaced.
fn utf8_form(form: &[u8]) -> Result<&str, ApiError> {
    let text = std::str::from_utf8(form).map_err(|_| bad("het formulier is geen geldige UTF-8"))?;
    super::error::require_utf8(Some(text))?;
    Ok(text)
}

/// Runs the request on a reconciliation worker, stopped when the client leaves.
async fn answer(state: AppState, form: String) -> Response {
    let cancellation = CancellationToken::new();
    let _stop_when_gone = CancelOnDrop(cancellation.clone());
    let reconciler = state.reconciler();
    let service = service_url(&state);
    let time_limit = state.query_timeout;
    let job = move || {
        let limits = BatchLimits { deadline: Instant::now() + time_limit, time_limit, cancellation };
        respond(&reconciler, &service, &form, &limits).map(|value| Json(value).into_response())
    };
    match state.workers.run(Work::Reconcile, job).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) | Err(error) => error.into_response(),
    }
}

/// When a batch stops before its last query: at its deadline, or when its client has gone.
struct BatchLimits {
    deadline: Instant,
    time_limit: Duration,
    cancellation: CancellationToken,
}

impl BatchLimits {
    fn check(&self) -> Result<(), ApiError> {
        if self.cancellation.is_cancelled() || Instant::now() > self.deadline {
            return Err(ApiError::Unavailable(format!(
                "de queries duurden langer dan {} s en zijn gestopt; stuur minder of kortere queries per verzoek",
                self.time_limit.as_secs_f64()
            )));
        }
        Ok(())
    }
}

fn respond(reconciler: &Reconciler, service: &str, form: &str, limits: &BatchLimits) -> Result<Value, ApiError> {
    let mut queries = None;
    let mut extend = None;
    for (name, value) in form_urlencoded::parse(form.as_bytes()) {
        match name.as_ref() {
            "queries" => queries = Some(value.into_owned()),
            "extend" => extend = Some(value.into_owned()),
            _ => {}
        }
    }
    match (queries, extend) {
        (Some(_), Some(_)) => Err(bad("geef queries of extend, niet allebei")),
        (Some(queries), None) => reconcile_batch(reconciler, &queries, limits),
        (None, Some(extend)) => extension(reconciler, &extend),
        (None, None) => Ok(manifest(reconciler, service)),
    }
}

fn service_url(state: &AppState) -> String {
    state.base.publish(vocab::BASE).trim_end_matches('/').to_owned()
}

fn manifest(reconciler: &Reconciler, service: &str) -> Value {
    let default_types: Vec<Value> = DEFAULT_TYPES
        .iter()
        .map(|local| {
            let id = format!("{}{local}", vocab::DEF);
            let name = reconciler.type_name(&id).unwrap_or(local).to_owned();
            json!({ "id": id, "name": name })
        })
        .collect();
    json!({
        "versions": ["0.2"],
        "name": "kansrijk – Kansrijke Start",
        "identifierSpace": vocab::ID,
        "schemaSpace": vocab::DEF,
        "documentation": format!("{service}/over"),
        "defaultTypes": default_types,
        "view": { "url": "{{id}}" },
        "preview": { "url": format!("{service}/reconcile/preview?id={{{{id}}}}"), "width": 400, "height": 200 },
        "suggest": {
            "entity": { "service_url": service, "service_path": "/reconcile/suggest/entity" },
            "type": { "service_url": service, "service_path": "/reconcile/suggest/type" },
            "property": { "service_url": service, "service_path": "/reconcile/suggest/property" },
        },
        "extend": {
            "propose_properties": { "service_url": service, "service_path": "/reconcile/propose_properties" },
            "property_settings": [],
        },
    })
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::BadRequest(message.into())
}

/// Refuses more than `limit` items of `what`, naming the limit.
fn at_most(count: usize, limit: usize, what: &str) -> Result<(), ApiError> {
    if count > limit {
        return Err(bad(format!("te veel {what} ({count}); hooguit {limit}")));
    }
    Ok(())
}

/// Refuses a text longer than `limit` bytes, naming the limit.
fn not_longer(text: &str, limit: usize, what: &str) -> Result<(), ApiError> {
    if text.len() > limit {
        return Err(bad(format!("{what} is te lang (meer dan {limit} bytes)")));
    }
    Ok(())
}

fn parse_json(name: &str, text: &str) -> Result<Value, ApiError> {
    serde_json::from_str(text).map_err(|error| bad(format!("{name} is geen geldige JSON: {error}")))
}

/// A property value as the spec allows it: text, number, boolean, `{"id": ...}` or a list of those.
fn constraint_values(value: &Value) -> Result<Vec<String>, ApiError> {
    match value {
        Value::String(text) => Ok(vec![text.clone()]),
        Value::Number(number) => Ok(vec![number.to_string()]),
        Value::Bool(flag) => Ok(vec![flag.to_string()]),
        Value::Object(object) => match object.get("id") {
            Some(Value::String(id)) => Ok(vec![id.clone()]),
            _ => Err(bad("een eigenschapswaarde als object heeft een \"id\" nodig")),
        },
        Value::Array(values) => values.iter().map(constraint_values).collect::<Result<Vec<_>, _>>().map(|all| all.concat()),
        Value::Null => Err(bad("een eigenschapswaarde mag niet null zijn")),
    }
}

fn parse_constraint(key: &str, property: &Value) -> Result<PropertyConstraint, ApiError> {
    let pid = property
        .get("pid")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(format!("query {key:?}: elke eigenschap heeft een \"pid\"")))?;
    not_longer(pid, MAX_IRI_BYTES, &format!("query {key:?}: een \"pid\""))?;
    let values = constraint_values(property.get("v").unwrap_or(&Value::Null))?;
    at_most(values.len(), MAX_CONSTRAINT_VALUES, &format!("waarden voor één eigenschap in query {key:?}"))?;
    for value in &values {
        not_longer(value, MAX_QUERY_BYTES, &format!("query {key:?}: een eigenschapswaarde"))?;
    }
    Ok(PropertyConstraint { property: pid.to_owned(), values })
}

fn parse_query(key: &str, value: &Value) -> Result<ReconcileQuery, ApiError> {
    let Value::Object(object) = value else { return Err(bad(format!("query {key:?} is geen object"))) };
    let text = match object.get("query") {
        Some(Value::String(text)) => {
            not_longer(text, MAX_QUERY_BYTES, &format!("query {key:?}"))?;
            text.clone()
        }
        None => String::new(),
        Some(_) => return Err(bad(format!("query {key:?}: \"query\" moet tekst zijn"))),
    };
    let types = match object.get("type") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(type_iri)) => vec![type_iri.clone()],
        Some(Value::Array(types)) => {
            at_most(types.len(), MAX_TYPES, &format!("typen in query {key:?}"))?;
            types
                .iter()
                .map(|t| t.as_str().map(str::to_owned).ok_or_else(|| bad(format!("query {key:?}: elk type is tekst"))))
                .collect::<Result<_, _>>()?
        }
        Some(_) => return Err(bad(format!("query {key:?}: \"type\" is tekst of een lijst"))),
    };
    for type_iri in &types {
        not_longer(type_iri, MAX_IRI_BYTES, &format!("query {key:?}: een type"))?;
    }
    let limit = match object.get("limit") {
        None | Some(Value::Null) => None,
        Some(limit) => Some(
            limit
                .as_f64()
                .filter(|limit| *limit >= 1.0)
                .map(|limit| limit.min(reconcile::MAX_LIMIT as f64) as usize)
                .ok_or_else(|| bad(format!("query {key:?}: \"limit\" is een positief getal")))?,
        ),
    };
    let properties = match object.get("properties") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(properties)) => {
            at_most(properties.len(), MAX_CONSTRAINTS, &format!("eigenschappen in query {key:?}"))?;
            properties.iter().map(|property| parse_constraint(key, property)).collect::<Result<_, _>>()?
        }
        Some(_) => return Err(bad(format!("query {key:?}: \"properties\" is een lijst"))),
    };
    if text.trim().is_empty() && properties.is_empty() {
        return Err(bad(format!("query {key:?} heeft geen \"query\"-tekst en geen eigenschappen")));
    }
    Ok(ReconcileQuery { text, types, limit, properties })
}

fn reconcile_batch(reconciler: &Reconciler, queries: &str, limits: &BatchLimits) -> Result<Value, ApiError> {
    let Value::Object(batch) = parse_json("queries", queries)? else {
        return Err(bad("queries is een JSON-object van de vorm {\"q0\": {\"query\": ...}}"));
    };
    at_most(batch.len(), MAX_BATCH, "queries in één verzoek")?;
    let parsed: Vec<(String, ReconcileQuery)> =
        batch.iter().map(|(key, value)| parse_query(key, value).map(|query| (key.clone(), query))).collect::<Result<_, _>>()?;
    let mut answers = Map::new();
    for (key, query) in parsed {
        limits.check()?;
        let candidates = reconciler.reconcile(&query).map_err(|error| bad(error.to_string()))?;
        answers.insert(key, json!({ "result": candidates }));
    }
    Ok(Value::Object(answers))
}

fn checked_iri(id: &str) -> Result<&str, ApiError> {
    not_longer(id, MAX_IRI_BYTES, "een id")?;
    oxiri::Iri::parse(id).map(|_| id).map_err(|error| bad(format!("{id:?} is geen geldige IRI: {error}")))
}

/// Counts the bytes written to it: the size of a JSON value without building its text.
#[derive(Default)]
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn extension_property(property: &Value) -> Result<&str, ApiError> {
    let id = property.get("id").and_then(Value::as_str).ok_or_else(|| bad("elke eigenschap heeft een \"id\""))?;
    not_longer(id, MAX_IRI_BYTES, "een eigenschap")?;
    if let Some(settings) = property.get("settings") {
        let mut size = ByteCount::default();
        serde_json::to_writer(&mut size, settings).map_err(|error| bad(format!("onleesbare settings: {error}")))?;
        if size.0 > MAX_SETTINGS_BYTES {
            return Err(bad(format!("de settings van {id:?} zijn te groot (meer dan {MAX_SETTINGS_BYTES} bytes)")));
        }
    }
    Ok(id)
}

fn extension(reconciler: &Reconciler, extend: &str) -> Result<Value, ApiError> {
    let request = parse_json("extend", extend)?;
    let ids = request.get("ids").and_then(Value::as_array).ok_or_else(|| bad("extend heeft een lijst \"ids\" nodig"))?;
    let properties =
        request.get("properties").and_then(Value::as_array).ok_or_else(|| bad("extend heeft een lijst \"properties\" nodig"))?;
    at_most(ids.len(), MAX_EXTEND_IDS, "ids in één verzoek")?;
    at_most(properties.len(), MAX_EXTEND_PROPERTIES, "eigenschappen in één verzoek")?;
    at_most(ids.len() * properties.len(), MAX_EXTEND_CELLS, "cellen (ids × eigenschappen) in één verzoek")?;
    let ids: Vec<&str> = ids
        .iter()
        .map(|id| id.as_str().ok_or_else(|| bad("elke id is tekst")).and_then(checked_iri))
        .collect::<Result<_, _>>()?;
    let properties: Vec<&str> = properties.iter().map(extension_property).collect::<Result<_, _>>()?;
    let meta: Vec<Value> = properties
        .iter()
        .map(|property| json!({ "id": property, "name": reconciler.property_name(property).unwrap_or(property) }))
        .collect();
    let mut rows = Map::new();
    for id in ids {
        let row: BTreeMap<&str, Value> =
            properties.iter().map(|property| (*property, json!(reconciler.values(id, property)))).collect();
        rows.insert(id.to_owned(), json!(row));
    }
    Ok(json!({ "meta": meta, "rows": rows }))
}

#[derive(Debug, Deserialize)]
pub struct SuggestParams {
    prefix: Option<String>,
    #[serde(rename = "type")]
    type_iri: Option<String>,
    limit: Option<usize>,
}

impl SuggestParams {
    fn prefix(&self) -> Result<&str, ApiError> {
        let prefix = self.prefix.as_deref().ok_or_else(|| bad("geef een prefix, bijvoorbeeld ?prefix=geld"))?;
        not_longer(prefix, MAX_PREFIX_BYTES, "de prefix")?;
        Ok(prefix)
    }

    fn type_iri(&self, reconciler: &Reconciler) -> Result<Option<&str>, ApiError> {
        let Some(type_iri) = &self.type_iri else { return Ok(None) };
        not_longer(type_iri, MAX_IRI_BYTES, "het type")?;
        reconciler.check_types(std::slice::from_ref(type_iri)).map_err(|error| bad(error.to_string()))?;
        Ok(Some(type_iri))
    }
}

/// Answers suggest parameters with `suggest` on a reconciliation worker.
async fn suggest_with(
    state: AppState,
    params: SuggestParams,
    suggest: fn(&Reconciler, &SuggestParams) -> Result<Value, ApiError>,
) -> Result<Json<Value>, ApiError> {
    let reconciler = state.reconciler();
    state.workers.run(Work::Reconcile, move || suggest(&reconciler, &params)).await?.map(Json)
}

pub async fn suggest_entity(
    State(state): State<AppState>,
    Parameters(params): Parameters<SuggestParams>,
) -> Result<Json<Value>, ApiError> {
    suggest_with(state, params, |reconciler, params| {
        let prefix = params.prefix()?;
        let type_iri = params.type_iri(reconciler)?;
        let result: Vec<Value> = reconciler
            .suggest(prefix, type_iri, params.limit.unwrap_or(10))
            .into_iter()
            .map(|candidate| {
                let mut entry = json!({ "id": candidate.id, "name": candidate.name, "notable": candidate.types });
                if let Some(description) = candidate.description {
                    entry["description"] = Value::from(description);
                }
                entry
            })
            .collect();
        Ok(json!({ "result": result }))
    })
    .await
}

fn matches_prefix(prefix: &str, id: &str, name: &str) -> bool {
    let prefix = prefix.to_lowercase();
    name.to_lowercase().contains(&prefix)
        || id.to_lowercase().rsplit(['#', '/']).next().is_some_and(|local| local.starts_with(&prefix))
}

pub async fn suggest_type(
    State(state): State<AppState>,
    Parameters(params): Parameters<SuggestParams>,
) -> Result<Json<Value>, ApiError> {
    suggest_with(state, params, |reconciler, params| {
        let prefix = params.prefix()?;
        let result: Vec<_> =
            reconciler.types().into_iter().filter(|named| matches_prefix(prefix, &named.id, &named.name)).collect();
        Ok(json!({ "result": result }))
    })
    .await
}

pub async fn suggest_property(
    State(state): State<AppState>,
    Parameters(params): Parameters<SuggestParams>,
) -> Result<Json<Value>, ApiError> {
    suggest_with(state, params, |reconciler, params| {
        let prefix = params.prefix()?;
        let result: Vec<_> =
            reconciler.properties(None).into_iter().filter(|named| matches_prefix(prefix, &named.id, &named.name)).collect();
        Ok(json!({ "result": result }))
    })
    .await
}

pub async fn propose_properties(
    State(state): State<AppState>,
    Parameters(params): Parameters<SuggestParams>,
) -> Result<Json<Value>, ApiError> {
    suggest_with(state, params, |reconciler, params| {
        let type_iri = params
            .type_iri(reconciler)?
            .ok_or_else(|| bad("geef een type, bijvoorbeeld ?type=https://w3id.org/kansrijk/def%23Municipality"))?;
        let mut properties = reconciler.properties(Some(type_iri));
        properties.truncate(params.limit.unwrap_or(usize::MAX));
        Ok(json!({ "type": type_iri, "properties": properties }))
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct PreviewParams {
    id: Option<String>,
}

pub async fn preview(State(state): State<AppState>, Parameters(params): Parameters<PreviewParams>) -> Result<Response, ApiError> {
    let id = params.id.ok_or_else(|| bad("geef een id"))?;
    let id = checked_iri(&id)?;
    match state.reconciler().entity(id) {
        Some(candidate) => Ok(pages::preview(&candidate).into_response()),
        None => {
            let unknown = format!("<p>Onbekend: {}</p>", maud::html! { (id) }.into_string());
            Ok((StatusCode::NOT_FOUND, Html(unknown)).into_response())
        }
    }
}
