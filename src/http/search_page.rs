//! The search results page at `/zoeken`: the same answer and why as `/api/search`, with the
//! understood place shown and changeable, the other place a name could mean, and filters by
//! type, role and phase. A plain form: it works without JavaScript.


use axum::extract::{Query, RawQuery, State};
use axum::response::Html;
use maud::html;
use serde::Deserialize;

use super::work::Work;
use super::pages::{href, layout, search_form};
use super::{ApiError, AppState};
use crate::question::PlaceKind;
use crate::search::{SearchError, SearchResponse, dutch_type};

const RESULTS_PER_PAGE: usize = 20;

/// Filter by type: (value of `type=`, Dutch name).
const TYPES: &[(&str, &str)] = &[
    ("aanbod", "Aanbod"),
    ("instrument", "Instrument"),
    ("programma", "Programma"),
    ("thema", "Thema"),
    ("document", "Document"),
    ("e-learning", "E-learning"),
    ("organisatie", "Organisatie"),
    ("cijfer", "Cijfer"),
];
/// Roles and phases narrow a search by adding their name to the question, where question
/// understanding turns them into a constraint: (value, Dutch name).
const ROLES: &[(&str, &str)] = &[("huisarts", "Huisarts"), ("POH", "POH"), ("POH-GGZ", "POH-GGZ"), ("doktersassistent", "Doktersassistent")];
const PHASES: &[(&str, &str)] = &[("kinderwens", "Preconceptie"), ("zwangerschap", "Zwangerschap"), ("na de geboorte", "Na de geboorte")];

#[derive(Debug, Default, Deserialize)]
pub struct SearchPageParams {
    #[serde(default)]
    q: String,
    plaats: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    rol: Option<String>,
    fase: Option<String>,
}

fn place_kind(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Postcode => "postcodegebied",
        PlaceKind::Municipality => "gemeente",
        PlaceKind::GgdRegion => "GGD-regio",
        PlaceKind::Province => "provincie",
        PlaceKind::Country => "land",
    }
}

/// The question the engine answers: the words typed, plus the chosen place, role and phase.
fn question(params: &SearchPageParams) -> String {
    let known = |value: &Option<String>, allowed: &[(&str, &str)]| {
        value.as_deref().filter(|value| allowed.iter().any(|(allowed, _)| allowed == value)).map(str::to_owned)
    };
    [Some(params.q.trim().to_owned()), known(&params.rol, ROLES), known(&params.fase, PHASES), params.plaats.clone()]
        .into_iter()
        .flatten()
        .map(|part| part.trim().to_owned())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn select(name: &str, label: &str, options: &[(&str, &str)], chosen: Option<&str>) -> maud::Markup {
    html! {
        label for=(name) { (label) }
        " "
        select id=(name) name=(name) {
            option value="" { "alle" }
            @for (value, text) in options {
                option value=(value) selected[chosen == Some(*value)] { (text) }
            }
        }
    }
}

pub async fn page(State(state): State<AppState>, RawQuery(raw): RawQuery, Query(params): Query<SearchPageParams>) -> Result<Html<String>, ApiError> {
    super::require_utf8(raw.as_deref())?;
    let asked = question(&params);
    super::search::check_length(&asked)?;
    let kind = params.kind.clone().filter(|kind| !kind.is_empty());
    let answer = if asked.is_empty() {
        None
    } else {
        let engine = state.search();
        let (question, kind) = (asked.clone(), kind.clone());
        let answer =
            state.workers.run(Work::Search, move || engine.search(&question, RESULTS_PER_PAGE, kind.as_deref())).await?;
        match answer {
            Ok(answer) => Some(answer),
            Err(error @ SearchError::UnknownType(..)) => return Err(ApiError::BadRequest(error.to_string())),
            Err(error) => return Err(ApiError::Internal(error.to_string())),
        }
    };
    let title = if asked.is_empty() { "Zoeken".to_owned() } else { format!("Zoeken: {asked}") };
    Ok(Html(layout(&title, None, results(&params, &asked, kind.as_deref(), answer.as_ref())).into_string()))
}

fn results(params: &SearchPageParams, asked: &str, kind: Option<&str>, answer: Option<&SearchResponse>) -> maud::Markup {
    let text_without_place = answer.map_or(params.q.as_str(), |answer| answer.understood.text.as_str());
    html! {
        h1 { "Zoeken" }
        (search_form(asked))
        form method="get" action="/zoeken" class="filters" aria-label="Filters" {
            input type="hidden" name="q" value=(params.q);
            @if let Some(place) = &params.plaats { input type="hidden" name="plaats" value=(place); }
            (select("type", "Soort", TYPES, kind)) " "
            (select("rol", "Rol", ROLES, params.rol.as_deref())) " "
            (select("fase", "Fase", PHASES, params.fase.as_deref())) " "
            button type="submit" { "Filter" }
        }
        @if let Some(answer) = answer {
            @for region in &answer.understood.regions {
                section aria-labelledby="plaats-kop" {
                    h2 id="plaats-kop" { "Plaats" }
                    p {
                        "Gezocht in " a href=(href(&region.iri)) { (region.label) } " (" (place_kind(region.kind)) ", " (region.code) ")."
                        @for alternative in &region.alternatives {
                            " Bedoelt u de " (place_kind(alternative.kind)) " "
                            a href={ "/zoeken?q=" (encode(text_without_place)) "&plaats=" (encode(&format!("{} {}", place_kind(alternative.kind), alternative.label))) } { (alternative.label) }
                            "?"
                        }
                    }
                    form method="get" action="/zoeken" {
                        input type="hidden" name="q" value=(text_without_place);
                        label for="andere-plaats" { "Andere plaats" }
                        " "
                        input id="andere-plaats" name="plaats" type="text" size="24" value=(region.label);
                        " "
                        button type="submit" { "Zoek daar" }
                    }
                }
            }
            @if let Some(message) = &answer.message { p role="status" { (message) } }
            @if !answer.understood.concepts.is_empty() {
                p { "Herkend: " (answer.understood.concepts.iter().map(|concept| concept.label.as_str()).collect::<Vec<_>>().join(", ")) "." }
            }
            section aria-labelledby="resultaten" {
                h2 id="resultaten" { (answer.results.len()) " resultaten" }
                ol class="resultaten" {
                    @for hit in &answer.results {
                        li {
                            a href=(href(&hit.iri)) { strong { (hit.label) } } " · " (dutch_type(&hit.kind).unwrap_or(&hit.kind))
                            @if !hit.snippet.is_empty() { br; (hit.snippet) }
                            @if !hit.why.is_empty() {
                                br;
                                small { "Waarom: " (hit.why.join("; ")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_role_and_phase_join_the_question_and_unknown_filters_are_ignored() {
        let params = SearchPageParams {
            q: " geldzorgen ".into(),
            plaats: Some("Aalsmeer".into()),
            rol: Some("POH".into()),
            fase: Some("iets anders".into()),
            ..SearchPageParams::default()
        };
        assert_eq!(question(&params), "geldzorgen POH Aalsmeer");
    }
}
