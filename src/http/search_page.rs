//! The search results page at `/zoeken`: the same answer and why as `/api/search`, with the
//! understood place shown and changeable (and, when a typo was corrected, a way to search as
//! typed), the other place a name could mean, each result's contact fields and marked snippet,
//! facets with their counts, filters by type, role and phase, and pages of results. A plain
//! form: it works without JavaScript.

use axum::extract::State;
use axum::response::Html;
use maud::html;
use serde::Deserialize;

use super::extract::Parameters;
use super::pages::{contact_fields, href, layout, search_form};
use super::work::Work;
use super::{ApiError, AppState};
use crate::rdf::kinds;
use crate::search::question::PlaceKind;
use crate::search::{Ask, Hit, MAX_OFFSET, SearchResponse};

const RESULTS_PER_PAGE: usize = 20;

/// Roles and phases narrow a search by adding their name to the question, where question
/// understanding turns them into a constraint: (value, Dutch name).
const ROLES: &[(&str, &str)] =
    &[("huisarts", "Huisarts"), ("POH", "POH"), ("POH-GGZ", "POH-GGZ"), ("doktersassistent", "Doktersassistent")];
const PHASES: &[(&str, &str)] =
    &[("kinderwens", "Preconceptie"), ("zwangerschap", "Zwangerschap"), ("na de geboorte", "Na de geboorte")];
/// The facet values (IRIs) behind the role and phase filters, in the order of `ROLES` and `PHASES`.
const ROLE_IRIS: [&str; 4] = ["rol/huisarts", "rol/poh", "rol/poh-ggz", "rol/doktersassistent"];
const PHASE_IRIS: [&str; 3] = ["fase/preconceptie", "fase/zwangerschap", "fase/na-de-geboorte"];
const ID: &str = "https://w3id.org/kansrijk/id/";

#[derive(Clone, Debug, Default, Deserialize)]
pub struct SearchPageParams {
    #[serde(default)]
    q: String,
    plaats: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    rol: Option<String>,
    fase: Option<String>,
    /// The page of results, from 1.
    pagina: Option<usize>,
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

/// A filter as a select; `counts` gives the number of matches per option, when known.
fn select(name: &str, label: &str, options: &[(&str, &str)], chosen: Option<&str>, counts: &[Option<usize>]) -> maud::Markup {
    html! {
        label for=(name) { (label) }
        " "
        select id=(name) name=(name) {
            option value="" { "alle" }
            @for (position, (value, text)) in options.iter().enumerate() {
                option value=(value) selected[chosen == Some(*value)] {
                    (text)
                    @if let Some(Some(count)) = counts.get(position) { " (" (count) ")" }
                }
            }
        }
    }
}

/// "1 resultaat", "79 resultaten".
fn results_count(count: usize) -> String {
    if count == 1 { "1 resultaat".to_owned() } else { format!("{count} resultaten") }
}

/// The page's link with `pagina` set.
fn page_link(params: &SearchPageParams, page: usize) -> String {
    let mut link = format!("/zoeken?q={}", encode(&params.q));
    for (name, value) in [("plaats", &params.plaats), ("type", &params.kind), ("rol", &params.rol), ("fase", &params.fase)] {
        if let Some(value) = value.as_deref().filter(|value| !value.is_empty()) {
            link.push_str(&format!("&{name}={}", encode(value)));
        }
    }
    if page > 1 {
        link.push_str(&format!("&pagina={page}"));
    }
    link
}

/// The link that filters the current search by a type.
fn type_link(params: &SearchPageParams, kind: &str) -> String {
    let filtered = SearchPageParams { kind: Some(kind.to_owned()), pagina: None, ..params.clone() };
    page_link(&filtered, 1)
}

/// The snippet with its matched words in `<mark>`.
fn marked_snippet(hit: &Hit) -> maud::Markup {
    let characters: Vec<char> = hit.snippet.chars().collect();
    let mut pieces = Vec::new();
    let mut at = 0;
    for &(from, to) in &hit.marks {
        if from < at || to > characters.len() {
            continue;
        }
        pieces.push((characters[at..from].iter().collect::<String>(), false));
        pieces.push((characters[from..to].iter().collect::<String>(), true));
        at = to;
    }
    pieces.push((characters[at..].iter().collect::<String>(), false));
    html! { @for (text, marked) in pieces { @if marked { mark { (text) } } @else { (text) } } }
}

pub async fn page(
    State(state): State<AppState>,
    Parameters(params): Parameters<SearchPageParams>,
) -> Result<Html<String>, ApiError> {
    let asked = question(&params);
    super::search::check_length(&asked)?;
    let kind = params.kind.clone().filter(|kind| !kind.is_empty());
    let answer = if asked.is_empty() {
        None
    } else {
        let engine = state.search();
        let (question, kind) = (asked.clone(), kind.clone());
        let offset = params.pagina.unwrap_or(1).saturating_sub(1).saturating_mul(RESULTS_PER_PAGE).min(MAX_OFFSET);
        let answer = state
            .workers
            .run(Work::Search, move || {
                engine.ask(&Ask { question: &question, limit: RESULTS_PER_PAGE, offset, kind: kind.as_deref() })
            })
            .await?;
        Some(answer?)
    };
    let title = if asked.is_empty() { "Zoeken".to_owned() } else { format!("Zoeken: {asked}") };
    Ok(Html(layout(&title, None, results(&params, &asked, kind.as_deref(), answer.as_ref())).into_string()))
}

fn results(params: &SearchPageParams, asked: &str, kind: Option<&str>, answer: Option<&SearchResponse>) -> maud::Markup {
    let text_without_place = answer.map_or(params.q.as_str(), |answer| answer.understood.text.as_str());
    let facet_counts = |iris: &[&str], facet: Option<&std::collections::BTreeMap<String, usize>>| {
        iris.iter().map(|iri| facet.map(|counts| counts.get(&format!("{ID}{iri}")).copied().unwrap_or(0))).collect::<Vec<_>>()
    };
    let role_counts = facet_counts(&ROLE_IRIS, answer.map(|answer| &answer.facets.role));
    let type_options: Vec<(&str, &str)> = kinds::searchable().map(|kind| (kind.slug, kind.slug)).collect();
    let type_counts: Vec<Option<usize>> =
        kinds::searchable().map(|kind| answer.map(|answer| answer.facets.kind.get(kind.class).copied().unwrap_or(0))).collect();
    let phase_counts = facet_counts(&PHASE_IRIS, answer.map(|answer| &answer.facets.phase));
    html! {
        h1 { "Zoeken" }
        (search_form(asked))
        form method="get" action="/zoeken" class="filters" aria-label="Filters" {
            input type="hidden" name="q" value=(params.q);
            @if let Some(place) = &params.plaats { input type="hidden" name="plaats" value=(place); }
            (select("type", "Soort", &type_options, kind, &type_counts)) " "
            (select("rol", "Rol", ROLES, params.rol.as_deref(), &role_counts)) " "
            (select("fase", "Fase", PHASES, params.fase.as_deref(), &phase_counts)) " "
            button type="submit" { "Filter" }
        }
        @if let Some(answer) = answer {
            @for region in &answer.understood.regions {
                section aria-labelledby="plaats-kop" {
                    h2 id="plaats-kop" { "Plaats" }
                    p {
                        "Gezocht in " a href=(href(&region.iri)) { (region.label) } " (" (place_kind(region.kind)) ", " (region.code) ")."
                        @if region.corrected {
                            " U typte ‘" (region.matched) "’: bedoelde u " (region.label) "? "
                            a href={ "/zoeken?q=" (encode(&region.literal_question(asked))) } { "Zoek letterlijk op ‘" (region.matched) "’" }
                            "."
                        }
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
            @if answer.facets.kind.len() > 1 || kind.is_some() {
                nav aria-label="Soorten" class="facetten" {
                    "Soort: "
                    @if kind.is_some() {
                        a href=(page_link(&SearchPageParams { kind: None, pagina: None, ..params.clone() }, 1)) { "alle" } " · "
                    }
                    @for (class, count) in &answer.facets.kind {
                        @let name = kinds::dutch_name(class);
                        a href=(type_link(params, name)) aria-current=[(kind == Some(name)).then_some("true")] { (name) " (" (count) ")" }
                        " "
                    }
                }
            }
            section aria-labelledby="resultaten" {
                h2 id="resultaten" {
                    (results_count(answer.total))
                    @if answer.total > answer.results.len() && !answer.results.is_empty() {
                        ", " (answer.offset + 1) "–" (answer.offset + answer.results.len()) " hieronder"
                    }
                }
                ol class="resultaten" start=(answer.offset + 1) {
                    @for hit in &answer.results {
                        li {
                            a href=(href(&hit.iri)) { strong { (hit.label) } } " · " (kinds::dutch_name(&hit.kind))
                            @if !hit.snippet.is_empty() { br; (marked_snippet(hit)) }
                            @if !hit.contact.is_empty() { (contact_fields(&hit.contact)) }
                            @if !hit.why.is_empty() {
                                br;
                                small { "Waarom: " (hit.why.join("; ")) }
                            }
                        }
                    }
                }
                (paging(params, answer))
            }
        }
    }
}

/// Links to the previous and next page of results.
fn paging(params: &SearchPageParams, answer: &SearchResponse) -> maud::Markup {
    let page = answer.offset / RESULTS_PER_PAGE + 1;
    let last = answer.total.min(MAX_OFFSET + RESULTS_PER_PAGE).div_ceil(RESULTS_PER_PAGE).max(1);
    html! {
        @if last > 1 {
            nav aria-label="Pagina's" class="paginering" {
                @if page > 1 { a href=(page_link(params, page - 1)) rel="prev" { "Vorige" } " " }
                "Pagina " (page) " van " (last)
                @if page < last { " " a href=(page_link(params, page + 1)) rel="next" { "Volgende" } }
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
