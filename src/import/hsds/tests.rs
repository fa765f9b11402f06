use std::collections::HashMap;
use std::sync::LazyLock;

use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use proptest::prelude::*;

use super::{HsdsError, MAX_LIST_ITEMS, MAX_REPORTED_PROBLEMS, MAX_SERVICES, Mapped, Problem, Problems, Resolver, map};
use crate::rdf::vocab::{dct, kr, schema, skos};

const DEMO: &[u8] = include_bytes!("../../../graph-data/demo/sociale-kaart-demo.hsds.json");

/// The embedded base data, read once.
static BASE: LazyLock<Vec<Quad>> =
    LazyLock::new(|| crate::data::embedded_graphs().iter().flat_map(|graph| graph.quads().expect("base data reads")).collect());

/// Names of the base data's regions and themes (labels and CBS codes, lower case) → IRI.
struct TestResolver {
    regions: HashMap<String, NamedNode>,
    themes: HashMap<String, NamedNode>,
}

static RESOLVER: LazyLock<TestResolver> = LazyLock::new(|| {
    let typed = |class: NamedNodeRef<'_>| -> Vec<NamedOrBlankNode> {
        BASE.iter()
            .filter(|quad| quad.predicate == rdf::TYPE && quad.object == Term::from(class))
            .map(|quad| quad.subject.clone())
            .collect()
    };
    let names = |subjects: Vec<NamedOrBlankNode>, predicates: &[NamedNodeRef<'_>]| -> HashMap<String, NamedNode> {
        let mut names = HashMap::new();
        for quad in BASE.iter().filter(|quad| subjects.contains(&quad.subject) && predicates.contains(&quad.predicate.as_ref())) {
            if let (NamedOrBlankNode::NamedNode(subject), Term::Literal(name)) = (&quad.subject, &quad.object) {
                names.entry(name.value().to_lowercase()).or_insert_with(|| subject.clone());
            }
        }
        names
    };
    TestResolver {
        regions: names(typed(kr::REGION), &[skos::PREF_LABEL, skos::ALT_LABEL, dct::IDENTIFIER]),
        themes: names(typed(kr::THEME_CLASS), &[skos::PREF_LABEL, skos::ALT_LABEL]),
    }
});

impl Resolver for TestResolver {
    fn region(&self, name: &str) -> Option<NamedNode> {
        self.regions.get(&name.to_lowercase()).cloned()
    }

    fn theme(&self, term: &str) -> Option<NamedNode> {
        self.themes.get(&term.to_lowercase()).cloned()
    }
}

fn graph() -> NamedNode {
    NamedNode::new_unchecked("https://w3id.org/kansrijk/graph/sociale-kaart-demo")
}

fn run(json: &str) -> Result<Mapped, HsdsError> {
    map(json.as_bytes(), &graph(), "test.hsds.json", &*RESOLVER)
}

fn problems(json: &str) -> Vec<Problem> {
    match run(json) {
        Err(HsdsError::Invalid(problems)) => {
            assert_eq!(problems.shown.len(), problems.total, "a few problems are all shown");
            problems.shown
        }
        other => panic!("expected problems, got {other:?}"),
    }
}

fn has(problems: &[Problem], pointer: &str, message: &str) -> bool {
    problems.iter().any(|problem| problem.pointer == pointer && problem.message.contains(message))
}

/// A minimal valid service; `extra` is spliced into its object.
fn service(id: &str, extra: &str) -> String {
    format!(
        r#"{{"id": "{id}", "name": "Proefaanbod (fictief)", "description": "Fictief.", "status": "active",
            "organization": {{"id": "org-1", "name": "Proeforganisatie (fictief)", "description": "Fictief."}},
            "service_areas": [{{"id": "area-{id}", "name": "Aalsmeer"}}]{extra}}}"#
    )
}

fn objects_of(quads: &[Quad], subject: &NamedNode, predicate: NamedNodeRef<'_>) -> Vec<Term> {
    quads
        .iter()
        .filter(|quad| quad.subject == NamedOrBlankNode::from(subject.clone()) && quad.predicate == predicate)
        .map(|quad| quad.object.clone())
        .collect()
}

fn subjects_of_type(quads: &[Quad], class: NamedNodeRef<'_>) -> Vec<NamedNode> {
    quads
        .iter()
        .filter(|quad| quad.predicate == rdf::TYPE && quad.object == Term::from(class))
        .filter_map(|quad| match &quad.subject {
            NamedOrBlankNode::NamedNode(node) => Some(node.clone()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect()
}

#[test]
fn demo_maps_every_service_and_organisation_once() {
    let mapped = match map(DEMO, &graph(), "sociale-kaart-demo.hsds.json", &*RESOLVER) {
        Ok(mapped) => mapped,
        Err(HsdsError::Invalid(problems)) => panic!("{problems:#?}"),
        Err(error) => panic!("{error}"),
    };
    assert_eq!((mapped.services, mapped.organizations), (10, 5));
    assert!(mapped.quads.iter().all(|quad| quad.graph_name == graph().into()));
    let offers = subjects_of_type(&mapped.quads, kr::OFFER);
    let organisations = subjects_of_type(&mapped.quads, kr::ORGANISATION);
    assert_eq!((offers.len(), organisations.len()), (10, 5));
    for offer in &offers {
        assert!(offer.as_str().starts_with("https://w3id.org/kansrijk/id/aanbod/sociale-kaart-demo--"), "{offer}");
        for predicate in [schema::PROVIDER, schema::AREA_SERVED, skos::PREF_LABEL, schema::DESCRIPTION, dct::SOURCE, kr::THEME] {
            assert!(!objects_of(&mapped.quads, offer, predicate).is_empty(), "{offer} has no {predicate}");
        }
    }
    let source = NamedNode::new_unchecked("https://w3id.org/kansrijk/id/bron/sociale-kaart-demo");
    assert_eq!(objects_of(&mapped.quads, &source, dct::PUBLISHER).len(), 5);
    let label = objects_of(&mapped.quads, &source, skos::PREF_LABEL);
    assert!(matches!(label.as_slice(), [Term::Literal(label)] if label.value() == "Sociale kaart sociale-kaart-demo.hsds.json"));
    // The PC4 area and the CBS codes resolve to the base data's regions.
    let areas: Vec<Term> = offers.iter().flat_map(|offer| objects_of(&mapped.quads, offer, schema::AREA_SERVED)).collect();
    for region in
        ["postcode/1431", "ggd-regio/gg3406", "gemeente/gm0363", "gemeente/gm0344", "gemeente/gm0193", "gemeente/gm0358"]
    {
        let region = Term::from(NamedNode::new_unchecked(format!("https://w3id.org/kansrijk/id/{region}")));
        assert!(areas.contains(&region), "no offer serves {region}");
    }
}

#[test]
fn demo_with_the_base_data_conforms_to_the_shapes() {
    let mapped = map(DEMO, &graph(), "sociale-kaart-demo.hsds.json", &*RESOLVER).expect("the demo maps");
    let shapes = crate::data::shacl::Shapes::from_turtle(crate::data::embedded_shapes()).expect("shapes read");
    let mapped_offers = mapped.quads.clone();
    let quads: Vec<Quad> = BASE.iter().cloned().chain(mapped.quads).collect();
    let violations = shapes.validate(&quads).expect("validation runs");
    assert!(violations.is_empty(), "{violations:#?}");
    // The check has teeth: offers without their provider violate the shapes.
    let without_providers: Vec<Quad> = quads.into_iter().filter(|quad| quad.predicate != schema::PROVIDER).collect();
    let violations = shapes.validate(&without_providers).expect("validation runs");
    for offer in subjects_of_type(&mapped_offers, kr::OFFER) {
        let focus = format!("<{}>", offer.as_str());
        assert!(
            violations.iter().any(|violation| violation.focus_node == focus && violation.message.contains("aanbieder")),
            "{offer}"
        );
    }
}

/// The values reached from `start` along `path` (predicate IRIs), through blank nodes too.
fn follow(quads: &[Quad], start: Term, path: &[NamedNodeRef<'_>]) -> Vec<Term> {
    path.iter().fold(vec![start], |terms, predicate| {
        quads
            .iter()
            .filter(|quad| quad.predicate == *predicate && terms.contains(&Term::from(quad.subject.clone())))
            .map(|quad| quad.object.clone())
            .collect()
    })
}

fn literals(terms: &[Term]) -> Vec<&str> {
    terms.iter().filter_map(|term| if let Term::Literal(literal) = term { Some(literal.value()) } else { None }).collect()
}

#[test]
fn contacts_places_audiences_and_languages_use_schema_org() {
    let mapped = map(DEMO, &graph(), "demo", &*RESOLVER).expect("the demo maps");
    let offer_named = |name: &str| -> Term {
        let label = Term::from(oxigraph::model::Literal::new_language_tagged_literal_unchecked(name, "nl"));
        let quad = mapped.quads.iter().find(|quad| quad.object == label).expect("the offer is there");
        Term::from(quad.subject.clone())
    };
    let teens = offer_named("Steunpunt tienermoeders Aalsmeer (fictief)");
    let (channel, location, address) = (schema::AVAILABLE_CHANNEL, schema::SERVICE_LOCATION, schema::ADDRESS);
    let postcode = follow(&mapped.quads, teens.clone(), &[channel, location, address, schema::POSTAL_CODE]);
    assert_eq!(literals(&postcode), ["1431 ZZ"]);
    let phone = follow(&mapped.quads, teens.clone(), &[channel, schema::SERVICE_PHONE, schema::TELEPHONE]);
    assert_eq!(literals(&phone), ["+31 297 000 001"]);
    let email = follow(&mapped.quads, teens.clone(), &[schema::CONTACT_POINT, schema::EMAIL]);
    assert_eq!(literals(&email), ["intake-tienermoeders@example.org"]);
    let ages = [schema::SUGGESTED_MIN_AGE, schema::SUGGESTED_MAX_AGE]
        .map(|age| follow(&mapped.quads, teens.clone(), &[schema::AUDIENCE, age]));
    assert_eq!(ages.map(|age| literals(&age).concat()), ["12", "23"]);
    let languages =
        follow(&mapped.quads, offer_named("Taalmaatje zwangerschap en geboorte (fictief)"), &[schema::AVAILABLE_LANGUAGE]);
    assert_eq!(literals(&languages), ["ar", "tr", "pl"]);
}

#[test]
fn unknown_fields_are_problems_with_their_position() {
    let json = format!("[\n{}\n]", service("a", r#", "foo": 1, "organization_idd": "x""#));
    let problems = problems(&json);
    assert!(has(&problems, "/0/foo", "onbekend veld `foo`"), "{problems:#?}");
    assert!(has(&problems, "/0/organization_idd", "onbekend veld `organization_idd`"));
    let foo = problems.iter().find(|problem| problem.pointer == "/0/foo").expect("reported");
    let line = json.lines().position(|line| line.contains("\"foo\"")).expect("in the text") + 1;
    let column = json.lines().nth(line - 1).and_then(|text| text.find("\"foo\"")).expect("in the line") + 1;
    assert_eq!((foo.line, foo.column), (Some(line), Some(column)));
}

#[test]
fn an_unknown_field_names_the_field_it_probably_means() {
    let json =
        format!("[{}]", service("a", r#", "naam": "x", "phone": [], "descriptoin": "x", "eligibility": "x", "wibble": 1"#));
    let problems = problems(&json);
    assert!(has(&problems, "/0/naam", "onbekend veld `naam`; bedoelt u `name`?"), "{problems:#?}");
    assert!(has(&problems, "/0/phone", "bedoelt u `phones`?"));
    assert!(has(&problems, "/0/descriptoin", "bedoelt u `description`?"));
    assert!(has(&problems, "/0/eligibility", "onbekend veld `eligibility`"));
    let wibble = problems.iter().find(|problem| problem.pointer == "/0/wibble").expect("reported");
    assert_eq!(wibble.message, "onbekend veld `wibble`", "no guess when nothing is close");
}

#[test]
fn a_taxonomy_term_that_is_no_theme_is_a_warning_with_its_position() {
    let attributes = |term: &str| {
        format!(
            r#", "attributes": [{{"id": "t", "link_entity": "service", "link_type": "theme",
                "taxonomy_term": {{"id": "term", "name": "{term}", "description": "Fictief."}}}}]"#
        )
    };
    let mapped = run(&format!("[\n{}\n]", service("a", &attributes("Schuldhulp"))))
        .expect("a term that is no theme is no reason to refuse");
    assert_eq!(mapped.services, 1);
    let [warning] = &mapped.warnings[..] else { panic!("one warning: {:#?}", mapped.warnings) };
    assert_eq!(warning.pointer, "/0/attributes/0/taxonomy_term/name");
    assert!(warning.message.contains("`Schuldhulp` is geen thema van kansrijk"), "{warning:?}");
    assert!(warning.line.is_some(), "the warning says where: {warning:?}");
    let known = run(&format!("[{}]", service("a", &attributes("Tienerzwangerschap")))).expect("maps");
    assert!(known.warnings.is_empty(), "{:?}", known.warnings);
}

#[test]
fn a_language_without_an_iso_code_is_a_warning() {
    let languages = r#", "languages": [{"id": "l1", "code": "ar"}, {"id": "l2", "name": "Tigrinya"}, {"id": "l3", "code": "arabisch"}, {"id": "l4"}]"#;
    let mapped = run(&format!("[{}]", service("a", languages))).expect("languages are never a reason to refuse");
    let warned: Vec<&str> = mapped.warnings.iter().map(|warning| warning.pointer.as_str()).collect();
    assert_eq!(warned, ["/0/languages/1", "/0/languages/2", "/0/languages/3"], "{:#?}", mapped.warnings);
    assert!(mapped.warnings[0].message.contains("`Tigrinya` zonder `code`"));
    assert!(mapped.warnings[1].message.contains("`arabisch` is geen ISO 639-code"));
}

#[test]
fn missing_required_fields_are_problems() {
    let json = r#"[{"id": "a", "status": "active", "description": "Fictief.",
        "organization": {"id": "org-1", "name": "Proeforganisatie (fictief)"},
        "service_areas": [{"name": "Aalsmeer"}]}]"#;
    let problems = problems(json);
    assert!(has(&problems, "/0", "verplicht veld `name` ontbreekt"), "{problems:#?}");
    assert!(has(&problems, "/0/organization", "verplicht veld `description` ontbreekt"));
    assert!(has(&problems, "/0/service_areas/0", "verplicht veld `id` ontbreekt"));
    assert!(problems.iter().all(|problem| problem.line.is_some()));
}

#[test]
fn wrong_types_and_values_are_problems() {
    let json = format!("[{}]", service("a", r#", "minimum_age": "twaalf", "email": "geen-adres", "url": "javascript:alert(1)""#))
        .replace(r#""status": "active""#, r#""status": "open""#);
    let problems = problems(&json);
    assert!(has(&problems, "/0/minimum_age", "`minimum_age` moet een getal zijn"), "{problems:#?}");
    assert!(has(&problems, "/0/status", "`status` moet een van active, inactive, defunct, temporarily closed zijn"));
    assert!(has(&problems, "/0/email", "`geen-adres` is geen geldig e-mailadres"));
    assert!(has(&problems, "/0/url", "geen geldig webadres"));
}

#[test]
fn areas_that_are_not_dutch_regions_are_problems() {
    let json = format!("[{}]", service("a", "")).replace(r#""name": "Aalsmeer""#, r#""name": "Atlantis""#);
    let problems = problems(&json);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(has(
        &problems,
        "/0/service_areas/0/name",
        "`Atlantis` is geen Nederlandse gemeente, GGD-regio, provincie of postcode"
    ));
    // A service area found through its URI (a TOOI IRI ends in the CBS code) is fine.
    let by_uri = json.replace(
        r#""name": "Atlantis""#,
        r#""name": "Atlantis", "uri": "https://identifier.overheid.nl/tooi/id/gemeente/gm0358""#,
    );
    assert_eq!(run(&by_uri).expect("maps").services, 1);
}

#[test]
fn services_need_an_area_a_provider_and_a_description() {
    let json = r#"[{"id": "a", "name": "Proefaanbod (fictief)", "status": "active"}]"#;
    let problems = problems(json);
    assert!(has(&problems, "/0", "werkgebied ontbreekt"), "{problems:#?}");
    assert!(has(&problems, "/0", "aanbieder ontbreekt"));
    assert!(has(&problems, "/0", "beschrijving ontbreekt"));
}

#[test]
fn malformed_json_names_line_and_column() {
    match run("[\n  {\"id\": \"a\",\n   \"name\" \"x\"}\n]") {
        Err(HsdsError::Json { line, column, message }) => {
            assert_eq!((line, column), (3, 11));
            assert!(message.contains("expected `:`"), "{message}");
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn a_service_id_twice_is_a_problem() {
    let json = format!("[{}, {}]", service("a", ""), service("a", ""));
    let problems = problems(&json);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(has(&problems, "/1/id", "dienst-id `a` komt al voor op /0"));
}

#[test]
fn an_empty_list_and_other_documents_are_problems() {
    assert!(has(&problems("[]"), "", "er staan geen diensten in het bestand"));
    assert!(has(&problems("42"), "", "verwacht een lijst met HSDS 3.0-diensten"));
    assert!(has(&problems(&service("a", "")), "", "één losse dienst"));
    assert!(has(&problems(r#"{"contents": []}"#), "/contents", "er staan geen diensten in het bestand"));
}

fn all_problems(json: &str) -> Problems {
    match run(json) {
        Err(HsdsError::Invalid(problems)) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn too_many_services_or_list_items_are_refused_before_mapping() {
    let many = format!("[{}]", vec!["{}"; MAX_SERVICES + 1].join(","));
    let problems = all_problems(&many);
    assert_eq!(problems.total, 1, "nothing else is checked: {problems:?}");
    assert_eq!(problems.shown[0].pointer, "");
    assert!(problems.shown[0].message.contains(&format!("{} diensten", MAX_SERVICES + 1)), "{problems:?}");
    let phones = vec![r#"{"id": "p", "number": "1"}"#; MAX_LIST_ITEMS + 1].join(",");
    let page = format!(r#"{{"contents": [{}]}}"#, service("a", &format!(r#", "phones": [{phones}]"#)));
    let problems = all_problems(&page);
    assert_eq!((problems.total, problems.shown[0].pointer.as_str()), (1, "/contents/0/phones"), "{problems:?}");
    assert_eq!(problems.shown[0].line, Some(3), "the line of `phones`");
}

#[test]
fn only_the_first_problems_are_listed_with_the_count_of_all() {
    let problems = all_problems(&format!("[{}]", vec!["{}"; 1000].join(",")));
    assert_eq!(problems.shown.len(), MAX_REPORTED_PROBLEMS);
    assert_eq!(problems.total, 6000, "three fields, a description, a provider and an area for each service");
    assert!(problems.shown.iter().all(|problem| problem.line.is_some()));
    let error = HsdsError::Invalid(problems).to_string();
    assert!(error.ends_with("(en nog 5999 problemen)"), "{error}");
}

#[test]
fn an_api_page_maps_its_contents() {
    let page = format!(
        r#"{{"total_items": 2, "total_pages": 1, "page_number": 1, "size": 2, "first_page": true, "last_page": true,
            "empty": false, "contents": [{}, {}]}}"#,
        service("a", ""),
        service("b", r#", "organization_id": "org-1""#),
    );
    let mapped = run(&page).expect("the page maps");
    assert_eq!((mapped.services, mapped.organizations), (2, 1));
    let problems = problems(
        &page.replace(r#""size": 2"#, r#""size": "2", "next_page": 2"#).replace(r#""name": "Aalsmeer""#, r#""name": "Atlantis""#),
    );
    assert!(has(&problems, "/size", "`size` moet een getal zijn"), "{problems:#?}");
    assert!(has(&problems, "/next_page", "onbekend veld `next_page`"));
    assert!(has(&problems, "/contents/1/service_areas/0/name", "`Atlantis`"));
}

#[test]
fn a_shared_organisation_is_mapped_once_and_may_be_named_by_id() {
    let named_only = r#"{"id": "b", "name": "Tweede aanbod (fictief)", "description": "Fictief.", "status": "active",
        "organization_id": "org-1", "service_areas": [{"id": "area-b", "name": "GM0358"}]}"#;
    let mapped = run(&format!("[{}, {named_only}]", service("a", ""))).expect("maps");
    assert_eq!((mapped.services, mapped.organizations), (2, 1));
    let organisation = NamedNode::new_unchecked("https://w3id.org/kansrijk/id/organisatie/sociale-kaart-demo--org-1");
    assert_eq!(objects_of(&mapped.quads, &organisation, rdf::TYPE).len(), 2);
    let different = format!("[{}, {}]", service("a", ""), service("b", "").replace("Proeforganisatie", "Andere organisatie"));
    assert!(has(&problems(&different), "/1/organization", "organisatie `org-1` staat al op /0/organization met andere gegevens"));
    let unknown = format!("[{}]", named_only.replace("org-1", "org-9"));
    assert!(has(&problems(&unknown), "/0", "organisatie `org-9` staat nergens in het bestand"));
}

#[test]
fn inactive_services_are_checked_but_not_mapped() {
    let inactive = service("b", "").replace(r#""status": "active""#, r#""status": "defunct""#);
    let mapped = run(&format!("[{}, {inactive}]", service("a", ""))).expect("maps");
    assert_eq!(mapped.services, 1);
    assert!(has(&problems(&format!("[{inactive}]")), "", "geen actief aanbod"));
}

#[test]
fn ids_are_percent_encoded_in_iris() {
    let mapped = run(&format!("[{}]", service("a/b c", ""))).expect("maps");
    let offers = subjects_of_type(&mapped.quads, kr::OFFER);
    assert_eq!(offers[0].as_str(), "https://w3id.org/kansrijk/id/aanbod/sociale-kaart-demo--a%2Fb%20c");
}

#[test]
fn deep_nesting_and_odd_input_do_not_panic() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(run(&deep), Err(HsdsError::Json { .. })));
    for input in
        ["", "null", "\u{feff}[]", "[1, \"x\", null]", r#"[{"id": 1}]"#, r#"{"contents": 3}"#, r#"[{"organization": []}]"#]
    {
        let _ = run(input);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any edit of the demo file maps or is reported, and never panics.
    #[test]
    fn edited_demo_files_never_panic(at in 0..DEMO.len(), cut in 0usize..40, insert in "[\\[\\]{}\",:a-z0-9 \n]{0,8}") {
        let mut edited = DEMO.to_vec();
        let end = (at + cut).min(edited.len());
        edited.splice(at..end, insert.bytes());
        if let Err(HsdsError::Invalid(problems)) = map(&edited, &graph(), "x", &*RESOLVER) {
            prop_assert!(!problems.is_empty());
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = map(&bytes, &graph(), "x", &*RESOLVER);
    }
}
