//! Dereferenceable IRIs through the HTTP service (in process): content negotiation for every format, extension URLs,
//! 404 in the format asked, 406, the ontology at `/def`, `Link`/`Vary` headers, and `--base`.
//! Every RDF answer is parsed back and must say the same as the others.

use std::collections::HashSet;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::Triple;

mod common;
use common::{App, Response};

const THEME: &str = "/id/thema/tienerzwangerschap";
const FORMATS: [(&str, &str, RdfFormat); 4] = [
    ("text/turtle", "ttl", RdfFormat::Turtle),
    ("application/ld+json", "jsonld", RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() }),
    ("application/n-triples", "nt", RdfFormat::NTriples),
    ("application/rdf+xml", "rdf", RdfFormat::RdfXml),
];

fn get(server: &App, path: &str, accept: Option<&str>) -> Response {
    let mut request = server.get(path);
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    request.send()
}

fn header(response: &Response, name: &str) -> String {
    response.headers().get_all(name).iter().filter_map(|value| value.to_str().ok()).collect::<Vec<_>>().join(", ")
}

fn triples(body: &[u8], format: RdfFormat) -> HashSet<Triple> {
    RdfParser::from_format(format)
        .for_slice(body)
        .map(|quad| Triple::from(quad.unwrap_or_else(|error| panic!("{format:?} does not parse: {error}"))))
        .collect()
}

#[test]
fn every_format_by_accept_and_by_extension_says_the_same() {
    let server = App::new();
    let mut graphs = Vec::new();
    for (media_type, extension, format) in FORMATS {
        let by_accept = get(&server, THEME, Some(media_type));
        assert_eq!(by_accept.status(), 200, "{media_type}");
        assert!(
            header(&by_accept, "content-type").starts_with(media_type),
            "{media_type}: {}",
            header(&by_accept, "content-type")
        );
        assert!(header(&by_accept, "vary").contains("Accept"));
        assert_eq!(header(&by_accept, "content-location"), format!("{THEME}.{extension}"));
        let link = header(&by_accept, "link");
        for (other_type, other_extension, _) in FORMATS {
            assert!(link.contains(&format!("<{THEME}.{other_extension}>; rel=\"alternate\"; type=\"{other_type}\"")), "{link}");
        }
        let accepted = triples(&by_accept.bytes(), format);

        let by_extension = get(&server, &format!("{THEME}.{extension}"), Some("text/html"));
        assert_eq!(by_extension.status(), 200);
        assert!(header(&by_extension, "content-type").starts_with(media_type), "the extension wins over Accept");
        assert_eq!(triples(&by_extension.bytes(), format), accepted);
        graphs.push((media_type, accepted));
    }
    let (_, turtle) = &graphs[0];
    assert!(turtle.len() > 20, "a description with labels: {} triples", turtle.len());
    for (media_type, graph) in &graphs[1..] {
        assert_eq!(graph, turtle, "{media_type} says the same as Turtle");
    }
    let text: String = turtle.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
    assert!(
        text.contains("<https://w3id.org/kansrijk/id/instrument/zorgpadentool> <https://w3id.org/kansrijk/def#theme>"),
        "what links here"
    );
    assert!(text.contains("\"Zorgpadentool Kansrijke Start\"@nl"), "labels of linked resources");
}

#[test]
fn browsers_get_a_page_and_programs_without_preference_get_turtle() {
    let server = App::new();
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let page = get(&server, "/id/gemeente/gm0358", Some(browser));
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let html = page.text();
    assert!(html.contains("<h1>Aalsmeer</h1>"), "{html}");
    assert!(html.contains("GGD-regio Amsterdam") && html.contains("href=\"/id/ggd-regio/gg3406\""));
    assert!(html.contains("<script type=\"application/ld+json\">"), "the page embeds its JSON-LD");
    assert!(html.contains("href=\"/id/gemeente/gm0358.ttl\""), "the page links to its machine formats");
    for accept in [None, Some("*/*")] {
        let data = get(&server, "/id/gemeente/gm0358", accept);
        assert!(header(&data, "content-type").starts_with("text/turtle"), "{accept:?}");
    }
}

#[test]
fn unknown_iris_get_a_404_in_the_format_asked() {
    let server = App::new();
    for (media_type, extension, format) in FORMATS {
        let response = get(&server, "/id/thema/bestaat-niet", Some(media_type));
        assert_eq!(response.status(), 404, "{media_type}");
        assert!(header(&response, "content-type").starts_with(media_type));
        assert!(triples(&response.bytes(), format).is_empty(), "an empty {media_type} document");
        assert_eq!(get(&server, &format!("/id/thema/bestaat-niet.{extension}"), None).status(), 404);
    }
    let page = get(&server, "/id/thema/bestaat-niet", Some("text/html"));
    assert_eq!(page.status(), 404);
    assert!(page.text().contains("Niet gevonden"));
}

#[test]
fn formats_that_are_not_offered_get_a_406_with_the_choices() {
    let server = App::new();
    let response = get(&server, THEME, Some("image/png, application/pdf;q=0.5"));
    assert_eq!(response.status(), 406);
    let body = response.text();
    assert!(body.contains("text/turtle") && body.contains("application/ld+json"), "{body}");
    assert_eq!(get(&server, THEME, Some("text/turtle;q=0")).status(), 406);
}

#[test]
fn the_ontology_is_served_at_def() {
    let server = App::new();
    for (media_type, extension, format) in FORMATS {
        let response = get(&server, "/def", Some(media_type));
        assert_eq!(response.status(), 200, "{media_type}");
        let graph = triples(&response.bytes(), format);
        let text: String = graph.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
        assert!(text.contains("<https://w3id.org/kansrijk/def#Theme> <http://www.w3.org/2000/01/rdf-schema#label> \"Thema\"@nl"));
        let file = get(&server, &format!("/def.{extension}"), None);
        assert_eq!(triples(&file.bytes(), format), graph);

        let shapes = get(&server, "/def/shapes", Some(media_type));
        assert_eq!(shapes.status(), 200, "/def/shapes as {media_type}");
        let shapes = triples(&shapes.bytes(), format);
        let offer_shape = "<https://w3id.org/kansrijk/def/shapes#OfferShape> <http://www.w3.org/ns/shacl#targetClass> <https://w3id.org/kansrijk/def#Offer>";
        assert!(shapes.iter().any(|triple| triple.to_string() == offer_shape), "the shapes are served as {media_type}");
        // Blank nodes (SHACL lists) get new names in every parse: compare the rest, and the count.
        let without_blank_nodes = |triples: &HashSet<Triple>| -> HashSet<String> {
            triples.iter().map(ToString::to_string).filter(|triple| !triple.contains("_:")).collect()
        };
        let file = triples(&get(&server, &format!("/def/shapes.{extension}"), None).bytes(), format);
        assert_eq!(file.len(), shapes.len(), "/def/shapes.{extension}");
        assert_eq!(without_blank_nodes(&file), without_blank_nodes(&shapes), "/def/shapes.{extension}");
    }
}

#[test]
fn people_get_a_reference_of_each_class_with_what_its_shape_requires() {
    let server = App::new();
    let page = get(&server, "/def", Some("text/html"));
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let html = page.text();
    let offer_section = html.split("<h2 id=\"Offer\">").nth(1).expect("/def#Offer is an anchor");
    let offer_section = offer_section.split("<h2 id=").next().unwrap_or_default();
    let required =
        offer_section.split("<h3>Verplicht</h3>").nth(1).and_then(|rest| rest.split("<h3>").next()).expect("required part");
    for path in ["schema:provider", "schema:areaServed", "dct:source", "skos:prefLabel"] {
        assert!(required.contains(&format!("<code>{path}</code>")), "an offer requires {path}\n{required}");
    }
    assert!(required.contains("Elk aanbod heeft minstens één aanbieder"), "the shape's own message explains the rule");
    assert!(offer_section.contains("Voorbeeld in Turtle") && offer_section.contains("Voorbeeld in HSDS"));
    assert!(offer_section.contains("Inloopochtend jonge ouders Aalsmeer (voorbeeld)"), "the example of examples/ is shown");
    for anchor in ["id=\"Source\"", "id=\"Organisation\"", "id=\"Theme\"", "id=\"fictional\"", "id=\"eigenschappen\""] {
        assert!(html.contains(anchor), "{anchor}");
    }
}

#[test]
fn another_base_publishes_the_iris_under_that_base() {
    let server = App::options().base("https://kansrijk.example.nl/").start();
    let turtle = get(&server, "/id/gemeente/gm0358.nt", None).text();
    assert!(turtle.contains("<https://kansrijk.example.nl/id/gemeente/gm0358> <http://schema.org/containedInPlace> <https://kansrijk.example.nl/id/ggd-regio/gg3406>"), "{turtle}");
    assert!(!turtle.contains("https://w3id.org/kansrijk/"), "no IRI left under the w3id base");
    let json_ld = get(&server, "/id/gemeente/gm0358.jsonld", None).bytes();
    let graph = triples(&json_ld, RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() });
    assert!(graph.iter().any(|triple| triple.subject.to_string() == "<https://kansrijk.example.nl/id/gemeente/gm0358>"));
    assert!(graph.iter().all(|triple| !triple.to_string().contains("https://w3id.org/kansrijk/")));

    let (ok, _, stderr) = common::run(&["serve", "--base", "kansrijk.example.nl"]);
    assert!(!ok && stderr.contains("--base"), "a base that is no IRI is refused: {stderr}");
}

#[test]
fn the_dataset_describes_itself_and_offers_its_dumps() {
    use std::io::Read;

    let server = App::new();
    let void_response = get(&server, "/.well-known/void", Some("text/turtle"));
    assert_eq!(void_response.status(), 200);
    let void = triples(&void_response.bytes(), RdfFormat::Turtle);
    let text: Vec<String> = void.iter().map(ToString::to_string).collect();
    let has = |needle: &str| text.iter().any(|triple| triple.contains(needle));
    let dataset = "<https://w3id.org/kansrijk/id/dataset/kansrijk>";
    assert!(has(&format!("{dataset} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://rdfs.org/ns/void#Dataset>")));
    assert!(has(&format!("{dataset} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>")));
    assert!(has(&format!("{dataset} <http://rdfs.org/ns/void#sparqlEndpoint> <https://w3id.org/kansrijk/sparql>")));
    for graph in ["factsheet", "aankondiging", "cbs-regio", "ontologie"] {
        let subset = format!("<https://w3id.org/kansrijk/graph/{graph}>");
        assert!(has(&format!("{dataset} <http://rdfs.org/ns/void#subset> {subset}")), "{graph} is a subset");
        assert!(has(&format!("{subset} <http://purl.org/dc/terms/license>")), "{graph} states its licence");
        let own = get(&server, &format!("/graph/{graph}.nt"), None);
        assert_eq!(own.status(), 200, "the graph IRI {graph} dereferences");
        assert!(own.text().contains("http://purl.org/dc/terms/rights"));
    }
    let regions: usize = text
        .iter()
        .find(|triple| triple.starts_with("<https://w3id.org/kansrijk/graph/cbs-regio> <http://rdfs.org/ns/void#triples>"))
        .and_then(|triple| triple.split('"').nth(1))
        .and_then(|count| count.parse().ok())
        .expect("the size of the region graph");

    let dump = get(&server, "/dump.nq.gz", None);
    assert_eq!(header(&dump, "content-type"), "application/gzip");
    let mut nquads = Vec::new();
    flate2::read::GzDecoder::new(&dump.bytes()[..]).read_to_end(&mut nquads).expect("gzip");
    let region_graph = "<https://w3id.org/kansrijk/graph/cbs-regio>";
    let in_regions = RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(&nquads)
        .map(|quad| quad.expect("valid N-Quads"))
        .filter(|quad| quad.graph_name.to_string() == region_graph)
        .count();
    assert_eq!(in_regions, regions, "VoID counts what the dump holds");

    let mut turtle = Vec::new();
    flate2::read::GzDecoder::new(&get(&server, "/dump.ttl.gz", None).bytes()[..]).read_to_end(&mut turtle).expect("gzip");
    let union = triples(&turtle, RdfFormat::Turtle);
    assert!(union.iter().any(|triple| {
        triple
            .to_string()
            .starts_with("<https://w3id.org/kansrijk/id/gemeente/gm0358> <http://purl.org/dc/terms/identifier> \"GM0358\"")
    }));

    let sitemap = get(&server, "/sitemap.xml", None).text();
    assert!(sitemap.contains("<loc>https://w3id.org/kansrijk/id/thema/geldzorgen</loc>"));
    assert!(sitemap.matches("<url>").count() > 4_000, "every resource, postcodes included");
    let robots = get(&server, "/robots.txt", None).text();
    assert!(robots.contains("Sitemap: https://w3id.org/kansrijk/sitemap.xml"), "{robots}");
}

#[test]
fn the_demo_map_says_it_is_fictional_in_void_and_in_every_dump() {
    use std::io::Read;
    let server = App::options().demo().start();
    let fictional = "<https://w3id.org/kansrijk/def#fictional> \"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>";
    let void = triples(&get(&server, "/.well-known/void", Some("text/turtle")).bytes(), RdfFormat::Turtle);
    let void: Vec<String> = void.iter().map(ToString::to_string).collect();
    assert!(
        void.contains(&format!("<https://w3id.org/kansrijk/graph/demo-sociale-kaart> {fictional}")),
        "VoID marks the demo graph fictional: {void:?}"
    );

    let mut nquads = Vec::new();
    flate2::read::GzDecoder::new(&get(&server, "/dump.nq.gz", None).bytes()[..]).read_to_end(&mut nquads).expect("gzip");
    let demo = "<https://w3id.org/kansrijk/graph/demo-sociale-kaart>";
    let quads: Vec<_> = RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(&nquads)
        .map(|quad| quad.expect("valid N-Quads"))
        .filter(|quad| quad.graph_name.to_string() == demo)
        .collect();
    let subjects: HashSet<String> =
        quads.iter().filter(|quad| quad.subject.is_named_node()).map(|quad| quad.subject.to_string()).collect();
    let marked: HashSet<String> = quads
        .iter()
        .filter(|quad| format!("{} {}", quad.predicate, quad.object) == fictional)
        .map(|quad| quad.subject.to_string())
        .collect();
    assert!(subjects.len() >= 10, "the demo map is in the dump: {} resources", subjects.len());
    assert_eq!(subjects, marked, "every demo resource is marked fictional");

    let mut turtle = Vec::new();
    flate2::read::GzDecoder::new(&get(&server, "/dump.ttl.gz", None).bytes()[..]).read_to_end(&mut turtle).expect("gzip");
    let union: HashSet<String> = triples(&turtle, RdfFormat::Turtle).iter().map(ToString::to_string).collect();
    for subject in &subjects {
        assert!(
            union.contains(&format!("{subject} {fictional}")),
            "the union dump, which has no graph names, keeps the mark on {subject}"
        );
    }
}
