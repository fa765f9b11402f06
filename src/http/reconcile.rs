//! The W3C Reconciliation Service API (version 0.2) at `/reconcile`: the manifest, query
//! batches (`queries=`), data extension (`extend=`), suggest for entities, types and
//! properties, proposed properties and previews. Requests by GET or by POST form.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiError, AppState, pages};
use crate::reconcile::{self, PropertyConstraint, ReconcileQuery};
use crate::vocab;

/// Queries per batch at most; OpenRefine sends 10 at a time.
const MAX_BATCH: usize = 100;
const MAX_QUERY_BYTES: usize = 1_000;
/// The types a directory most likely reconciles against.
const DEFAULT_TYPES: [&str; 5] = ["Theme", "Tool", "Organisation", "Offer", "Municipality"];

pub async fn get(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    respond(&state, raw.unwrap_or_default().as_bytes())
}

pub async fn post(State(state): State<AppState>, body: Bytes) -> Response {
    respond(&state, &body)
}

fn respond(state: &AppState, form: &[u8]) -> Response {
    let mut queries = None;
    let mut extend = None;
    for (name, value) in form_urlencoded::parse(form) {
        match name.as_ref() {
            "queries" => queries = Some(value.into_owned()),
            "extend" => extend = Some(value.into_owned()),
            _ => {}
        }
    }
    let answer = match (queries, extend) {
        (Some(_), Some(_)) => Err(ApiError::BadRequest("geef queries of extend, niet allebei".into())),
        (Some(queries), None) => reconcile_batch(state, &queries),
        (None, Some(extend)) => extension(state, &extend),
        (None, None) => Ok(manifest(state)),
    };
    match answer {
        Ok(value) => Json(value).into_response(),
        Err(error) => error.into_response(),
    }
}

fn service_url(state: &AppState) -> String {
    state.base.publish(vocab::BASE).trim_end_matches('/').to_owned()
}

fn manifest(state: &AppState) -> Value {
    let service = service_url(state);
    let default_types: Vec<Value> = DEFAULT_TYPES
        .iter()
        .map(|local| {
            let id = format!("{}{local}", vocab::DEF);
            let name = state.reconciler().type_name(&id).unwrap_or(local).to_owned();
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

fn parse_query(key: &str, value: &Value) -> Result<ReconcileQuery, ApiError> {
    let Value::Object(object) = value else { return Err(bad(format!("query {key:?} is geen object"))) };
    let text = match object.get("query") {
        Some(Value::String(text)) if text.len() > MAX_QUERY_BYTES => {
            return Err(bad(format!("query {key:?} is te lang (meer dan {MAX_QUERY_BYTES} bytes)")));
        }
        Some(Value::String(text)) => text.clone(),
        None => String::new(),
        Some(_) => return Err(bad(format!("query {key:?}: \"query\" moet tekst zijn"))),
    };
    let types = match object.get("type") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(type_iri)) => vec![type_iri.clone()],
        Some(Value::Array(types)) => types
            .iter()
            .map(|t| t.as_str().map(str::to_owned).ok_or_else(|| bad(format!("query {key:?}: elk type is tekst"))))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad(format!("query {key:?}: \"type\" is tekst of een lijst"))),
    };
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
        Some(Value::Array(properties)) => properties
            .iter()
            .map(|property| {
                let pid = property.get("pid").and_then(Value::as_str).ok_or_else(|| bad(format!("query {key:?}: elke eigenschap heeft een \"pid\"")))?;
                let values = constraint_values(property.get("v").unwrap_or(&Value::Null))?;
                Ok(PropertyConstraint { property: pid.to_owned(), values })
            })
            .collect::<Result<_, ApiError>>()?,
        Some(_) => return Err(bad(format!("query {key:?}: \"properties\" is een lijst"))),
    };
    if text.trim().is_empty() && properties.is_empty() {
        return Err(bad(format!("query {key:?} heeft geen \"query\"-tekst en geen eigenschappen")));
    }
    Ok(ReconcileQuery { text, types, limit, properties })
}

fn reconcile_batch(state: &AppState, queries: &str) -> Result<Value, ApiError> {
    let Value::Object(batch) = parse_json("queries", queries)? else {
        return Err(bad("queries is een JSON-object van de vorm {\"q0\": {\"query\": ...}}"));
    };
    if batch.len() > MAX_BATCH {
        return Err(bad(format!("te veel queries in één verzoek ({}); hooguit {MAX_BATCH}", batch.len())));
    }
    let parsed: Vec<(String, ReconcileQuery)> =
        batch.iter().map(|(key, value)| parse_query(key, value).map(|query| (key.clone(), query))).collect::<Result<_, _>>()?;
    let mut answers = Map::new();
    for (key, query) in parsed {
        let candidates = state.reconciler().reconcile(&query).map_err(|error| bad(error.to_string()))?;
        answers.insert(key, json!({ "result": candidates }));
    }
    Ok(Value::Object(answers))
}

fn checked_iri(id: &str) -> Result<&str, ApiError> {
    oxiri::Iri::parse(id).map(|_| id).map_err(|error| bad(format!("{id:?} is geen geldige IRI: {error}")))
}

fn extension(state: &AppState, extend: &str) -> Result<Value, ApiError> {
    let request = parse_json("extend", extend)?;
    let ids = request.get("ids").and_then(Value::as_array).ok_or_else(|| bad("extend heeft een lijst \"ids\" nodig"))?;
    let properties = request.get("properties").and_then(Value::as_array).ok_or_else(|| bad("extend heeft een lijst \"properties\" nodig"))?;
    if ids.len() > MAX_BATCH * 10 {
        return Err(bad(format!("te veel ids in één verzoek ({}); hooguit {}", ids.len(), MAX_BATCH * 10)));
    }
    let ids: Vec<&str> = ids
        .iter()
        .map(|id| id.as_str().ok_or_else(|| bad("elke id is tekst")).and_then(checked_iri))
        .collect::<Result<_, _>>()?;
    let properties: Vec<&str> = properties
        .iter()
        .map(|property| property.get("id").and_then(Value::as_str).ok_or_else(|| bad("elke eigenschap heeft een \"id\"")))
        .collect::<Result<_, _>>()?;
    let meta: Vec<Value> = properties
        .iter()
        .map(|property| json!({ "id": property, "name": state.reconciler().property_name(property).unwrap_or(property) }))
        .collect();
    let mut rows = Map::new();
    for id in ids {
        let row: BTreeMap<&str, Value> =
            properties.iter().map(|property| (*property, json!(state.reconciler().values(id, property)))).collect();
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

fn prefix(params: &SuggestParams) -> Result<&str, ApiError> {
    match params.prefix.as_deref() {
        Some(prefix) if prefix.len() > MAX_QUERY_BYTES => Err(bad("prefix is te lang")),
        Some(prefix) => Ok(prefix),
        None => Err(bad("geef een prefix, bijvoorbeeld ?prefix=geld")),
    }
}

pub async fn suggest_entity(State(state): State<AppState>, Query(params): Query<SuggestParams>) -> Result<Json<Value>, ApiError> {
    let prefix = prefix(&params)?;
    if let Some(type_iri) = &params.type_iri {
        state.reconciler().check_types(std::slice::from_ref(type_iri)).map_err(|error| bad(error.to_string()))?;
    }
    let result: Vec<Value> = state
        .reconciler()
        .suggest(prefix, params.type_iri.as_deref(), params.limit.unwrap_or(10))
        .into_iter()
        .map(|candidate| {
            let mut entry = json!({ "id": candidate.id, "name": candidate.name, "notable": candidate.types });
            if let Some(description) = candidate.description {
                entry["description"] = Value::from(description);
            }
            entry
        })
        .collect();
    Ok(Json(json!({ "result": result })))
}

fn matches_prefix(prefix: &str, id: &str, name: &str) -> bool {
    let prefix = prefix.to_lowercase();
    name.to_lowercase().contains(&prefix) || id.to_lowercase().rsplit(['#', '/']).next().is_some_and(|local| local.starts_with(&prefix))
}

pub async fn suggest_type(State(state): State<AppState>, Query(params): Query<SuggestParams>) -> Result<Json<Value>, ApiError> {
    let prefix = prefix(&params)?;
    let result: Vec<_> = state.reconciler().types().into_iter().filter(|named| matches_prefix(prefix, &named.id, &named.name)).collect();
    Ok(Json(json!({ "result": result })))
}

pub async fn suggest_property(State(state): State<AppState>, Query(params): Query<SuggestParams>) -> Result<Json<Value>, ApiError> {
    let prefix = prefix(&params)?;
    let result: Vec<_> = state
        .reconciler()
        .properties(None)
        .into_iter()
        .filter(|named| matches_prefix(prefix, &named.id, &named.name))
        .collect();
    Ok(Json(json!({ "result": result })))
}

pub async fn propose_properties(State(state): State<AppState>, Query(params): Query<SuggestParams>) -> Result<Json<Value>, ApiError> {
    let type_iri = params.type_iri.ok_or_else(|| bad("geef een type, bijvoorbeeld ?type=https://w3id.org/kansrijk/def%23Municipality"))?;
    state.reconciler().check_types(std::slice::from_ref(&type_iri)).map_err(|error| bad(error.to_string()))?;
    let mut properties = state.reconciler().properties(Some(&type_iri));
    properties.truncate(params.limit.unwrap_or(usize::MAX));
    Ok(Json(json!({ "type": type_iri, "properties": properties })))
}

#[derive(Debug, Deserialize)]
pub struct PreviewParams {
    id: Option<String>,
}

pub async fn preview(State(state): State<AppState>, Query(params): Query<PreviewParams>) -> Result<Response, ApiError> {
    let id = params.id.ok_or_else(|| bad("geef een id"))?;
    let id = checked_iri(&id)?;
    match state.reconciler().entity(id) {
        Some(candidate) => Ok(pages::preview(&candidate).into_response()),
        None => Ok((StatusCode::NOT_FOUND, Html(format!("<p>Onbekend: {}</p>", maud::html! { (id) }.into_string()))).into_response()),
    }
}
