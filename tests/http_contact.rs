//! Answers a GP can act on: an offer's page shows its provider, website, phone (a `tel:` link),
//! e-mail (a `mailto:` link), address, contact point and area under Dutch labels, takes the
//! provider's website, phone and e-mail where the offer has none and says so, and never shows a
//! raw vocabulary IRI, "(anoniem)" or a link a browser would run; one resource's contact and the
//! bulk reader search uses agree.

mod common;

use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use common::App;
use kansrijk::catalog::contact::{Contact, Contacts};
use kansrijk::store::KnowledgeStore;

const GRAPH: &str = "https://w3id.org/kansrijk/graph/sociale-kaart-aalsmeer";
const TOKEN: &str = "0123456789abcdef-contact";
/// Offers and organisations of an HSDS import are named `id/<kind>/<graph slug>--<HSDS id>`.
const OFFER: &str = "/id/aanbod/sociale-kaart-aalsmeer--contact-test-1";
const OFFER_WITHOUT_CONTACT: &str = "/id/aanbod/sociale-kaart-aalsmeer--contact-test-2";
const PROVIDER: &str = "/id/organisatie/sociale-kaart-aalsmeer--contact-test-org";

/// A small social map, every record fictional: one offer with phones, a contact point and a
/// location, one with nothing of its own but its provider.
const MAP: &str = r#"[
  {
    "id": "contact-test-1",
    "name": "Babyspreekuur Aalsmeer (fictief)",
    "description": "Testaanbod (fictief): een spreekuur voor ouders van baby's. Dit aanbod bestaat niet.",
    "url": "https://example.org/contact-test/babyspreekuur",
    "email": "babyspreekuur@example.org",
    "status": "active",
    "organization": {
      "id": "contact-test-org",
      "name": "Stichting Testouders (fictief)",
      "description": "Testorganisatie (fictief) voor de contactgegevens van kansrijk; deze organisatie bestaat niet.",
      "website": "https://example.org/contact-test/stichting",
      "email": "stichting@example.org",
      "phones": [{ "id": "contact-test-phone-org", "number": "+31 20 000 0009" }]
    },
    "service_areas": [{ "id": "contact-test-area-1", "name": "Aalsmeer" }],
    "phones": [
      { "id": "contact-test-phone-1", "number": "+31 297 000 123", "description": "Fictief nummer; niet in gebruik." }
    ],
    "contacts": [
      {
        "id": "contact-test-contact-1",
        "name": "Wijkverpleegkundige Test (fictief)",
        "title": "Wijkverpleegkundige",
        "department": "Zorg & <Welzijn>",
        "email": "wijk@example.org",
        "phones": [{ "id": "contact-test-phone-2", "number": "0297 000 456" }]
      }
    ],
    "service_at_locations": [
      {
        "id": "contact-test-at-1",
        "location": {
          "id": "contact-test-location-1",
          "location_type": "physical",
          "name": "Testhuis (fictief)",
          "addresses": [
            {
              "id": "contact-test-address-1",
              "address_1": "Proefweg 7",
              "city": "Aalsmeer",
              "state_province": "Noord-Holland",
              "postal_code": "1431 XX",
              "country": "NL",
              "address_type": "physical"
            }
          ]
        }
      }
    ]
  },
  {
    "id": "contact-test-2",
    "name": "Wandelgroep zwangeren Aalsmeer (fictief)",
    "description": "Testaanbod (fictief) zonder eigen website, telefoon of e-mail. Dit aanbod bestaat niet.",
    "status": "active",
    "organization": {
      "id": "contact-test-org",
      "name": "Stichting Testouders (fictief)",
      "description": "Testorganisatie (fictief) voor de contactgegevens van kansrijk; deze organisatie bestaat niet.",
      "website": "https://example.org/contact-test/stichting",
      "email": "stichting@example.org",
      "phones": [{ "id": "contact-test-phone-org", "number": "+31 20 000 0009" }]
    },
    "service_areas": [{ "id": "contact-test-area-2", "name": "Aalsmeer" }]
  }
]"#;

/// A server that accepts writes to [`GRAPH`] with [`TOKEN`]; the token file lives as long as it.
fn writable_server() -> (App, tempfile::TempDir) {
    let tokens = tempfile::tempdir().expect("temp dir");
    let file = tokens.path().join("tokens");
    std::fs::write(&file, format!("contact {TOKEN} {GRAPH}\n")).expect("token file written");
    (App::options().write_token_file(&file).start(), tokens)
}

fn put(server: &App, content_type: &str, body: &str) {
    let response = server
        .put(&format!("/store?graph={GRAPH}"))
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(CONTENT_TYPE, content_type)
        .body(body.to_owned())
        .send();
    let status = response.status();
    assert!(status.is_success(), "{status}: {}", response.text());
}

fn page(server: &App, path: &str) -> String {
    let response = server.get(path).header(ACCEPT, "text/html").send();
    assert_eq!(response.status(), 200, "{path}");
    response.text()
}

/// What a reader sees of a page: its text without scripts, styles and tags (so without the
/// JSON-LD and the links' addresses), with entities decoded as far as these tests need.
fn visible_text(page: &str) -> String {
    let mut text = String::new();
    let mut rest = page;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        let tag = &rest[start..];
        let skipped_to = ["script", "style"]
            .iter()
            .find(|name| tag.starts_with(&format!("<{name}")))
            .and_then(|name| tag.find(&format!("</{name}>")).map(|end| end + name.len() + 3))
            .or_else(|| tag.find('>').map(|end| end + 1))
            .unwrap_or(tag.len());
        rest = &tag[skipped_to..];
    }
    text.push_str(rest);
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// No raw IRI or placeholder in what a page says; code samples (`<pre>`, such as the Turtle
/// example on `/def`) show IRIs on purpose.
fn assert_no_raw_terms(path: &str, page: &str) {
    let mut prose = String::new();
    for (index, part) in page.split("<pre>").enumerate() {
        prose.push_str(if index == 0 { part } else { part.split_once("</pre>").map_or("", |(_, after)| after) });
    }
    let text = visible_text(&prose);
    for raw in ["http://schema.org/", "http://www.w3.org/", "http://purl.org/", "(anoniem)"] {
        assert!(!text.contains(raw), "{path} shows {raw:?}: {text}");
    }
}

#[test]
fn an_offer_page_shows_how_to_reach_it_under_dutch_labels() {
    let (server, _tokens) = writable_server();
    put(&server, "application/json", MAP);

    let offer = page(&server, OFFER);
    assert!(offer.contains("<h1>Babyspreekuur Aalsmeer (fictief)</h1>"), "the fictional offer stays marked as such");
    let contact = offer.find("<h2 id=\"contact\">Contact</h2>").expect("a Contact block");
    let facts = offer.find("<h2 id=\"gegevens\">");
    assert!(facts.is_none_or(|facts| contact < facts), "contact comes before the other facts");
    for expected in [
        "<dt>Aanbieder</dt><dd><a href=\"/id/organisatie/sociale-kaart-aalsmeer--contact-test-org\">\
         Stichting Testouders (fictief)</a></dd>",
        "<dt>Website</dt><dd><a href=\"https://example.org/contact-test/babyspreekuur\">\
         https://example.org/contact-test/babyspreekuur</a></dd>",
        "<dt>Telefoon</dt><dd><a href=\"tel:+31297000123\">+31 297 000 123</a> – \
         Fictief nummer; niet in gebruik.</dd>",
        "<dt>E-mail</dt><dd><a href=\"mailto:babyspreekuur@example.org\">babyspreekuur@example.org</a></dd>",
        "<dt>Adres</dt><dd>Testhuis (fictief), Proefweg 7, 1431 XX Aalsmeer</dd>",
        "<dt>Werkgebied</dt><dd><a href=\"/id/gemeente/gm0358\">Aalsmeer</a> (gemeente)</dd>",
    ] {
        assert!(offer.contains(expected), "{expected}\n{offer}");
    }
    let point = "<dt>Contactpersoon</dt><dd>Wijkverpleegkundige Test (fictief) \
                 (Wijkverpleegkundige, Zorg &amp; &lt;Welzijn&gt;), <a href=\"tel:0297000456\">0297 000 456</a>, \
                 <a href=\"mailto:wijk@example.org\">wijk@example.org</a></dd>";
    assert!(offer.contains(point), "the contact point with its role, phone and e-mail, escaped\n{offer}");
    let main = &offer[offer.find("<main>").expect("main")..];
    assert!(!main.contains("<Welzijn>"), "nothing from the data reaches the page unescaped");
    assert!(!offer.contains("van de aanbieder"), "the offer's own details are not the provider's");
    assert_no_raw_terms(OFFER, &offer);

    let fallback = page(&server, OFFER_WITHOUT_CONTACT);
    for expected in [
        "<dt>Website</dt><dd><a href=\"https://example.org/contact-test/stichting\">\
         https://example.org/contact-test/stichting</a> (van de aanbieder)</dd>",
        "<dt>Telefoon</dt><dd><a href=\"tel:+31200000009\">+31 20 000 0009</a> (van de aanbieder)</dd>",
        "<dt>E-mail</dt><dd><a href=\"mailto:stichting@example.org\">stichting@example.org</a> (van de aanbieder)</dd>",
    ] {
        assert!(fallback.contains(expected), "{expected}\n{fallback}");
    }
    assert_no_raw_terms(OFFER_WITHOUT_CONTACT, &fallback);

    let provider = page(&server, PROVIDER);
    let own_phone = "<dt>Telefoon</dt><dd><a href=\"tel:+31200000009\">+31 20 000 0009</a></dd>";
    assert!(provider.contains(own_phone), "{provider}");
    assert_no_raw_terms(PROVIDER, &provider);
}

#[test]
fn a_page_links_only_what_a_browser_can_open_and_names_every_property_in_dutch() {
    let (server, _tokens) = writable_server();
    let offer = "https://w3id.org/kansrijk/id/aanbod/contact-test-handgeschreven";
    put(
        &server,
        "text/turtle",
        &format!(
            r#"@prefix kr: <https://w3id.org/kansrijk/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
<{offer}> a kr:Offer ;
  skos:prefLabel "Handgeschreven testaanbod (fictief)"@nl ;
  schema:description "Testaanbod (fictief), met de hand in Turtle geschreven; het bestaat niet."@nl ;
  schema:provider <https://w3id.org/kansrijk/id/organisatie/ggd-kennemerland> ;
  schema:areaServed <https://w3id.org/kansrijk/id/ggd-regio/gg3406> ;
  schema:url <javascript:alert(1)> ;
  schema:sameAs <javascript:alert(2)> ;
  schema:telephone <tel:+31-297-000-789> ;
  schema:email <mailto:handgeschreven@example.org> ;
  schema:address [ a schema:PostalAddress ; schema:streetAddress "Proefweg 9" ; schema:postalCode "1431 XY" ;
                   schema:addressLocality "Aalsmeer" ] ;
  schema:audience [ a schema:PeopleAudience ; schema:suggestedMinAge 16 ; schema:healthCondition "zwanger" ] ;
  kr:theme <https://w3id.org/kansrijk/id/thema/tienerzwangerschap> ;
  dct:source <https://w3id.org/kansrijk/id/bron/factsheet-huisartsenpraktijk> .
"#
        ),
    );
    let path = "/id/aanbod/contact-test-handgeschreven";
    let html = page(&server, path);
    assert!(!html.to_lowercase().contains("href=\"javascript:"), "no link that runs a script\n{html}");
    for expected in [
        "<dt>Telefoon</dt><dd><a href=\"tel:+31297000789\">+31-297-000-789</a></dd>",
        "<dt>E-mail</dt><dd><a href=\"mailto:handgeschreven@example.org\">handgeschreven@example.org</a></dd>",
        "<dt>Adres</dt><dd>Proefweg 9, 1431 XY Aalsmeer</dd>",
        "(GGD-regio)</dd>",
        "Vanaf leeftijd: 16",
    ] {
        assert!(html.contains(expected), "{expected}\n{html}");
    }
    let unnamed = visible_text(&html).contains("Health condition: zwanger");
    assert!(unnamed, "a property without a Dutch name is named by its term, in words\n{html}");
    assert_no_raw_terms(path, &html);
}

#[test]
fn a_base_offer_and_a_ggd_page_show_provider_and_area() {
    let server = App::new();
    let path = "/id/aanbod/prenataal-huisbezoek-gm0405";
    let offer = page(&server, path);
    assert!(offer.contains("<h2 id=\"contact\">Contact</h2>"), "{offer}");
    for expected in [
        "<dt>Aanbieder</dt><dd><a href=\"/id/organisatie/gemeente-hoorn\">Gemeente Hoorn</a></dd>",
        "<dt>Werkgebied</dt><dd><a href=\"/id/gemeente/gm0405\">Hoorn</a> (gemeente)</dd>",
    ] {
        assert!(offer.contains(expected), "{expected}\n{offer}");
    }
    assert_no_raw_terms(path, &offer);
    let ggd = page(&server, "/id/organisatie/ggd-kennemerland");
    assert!(ggd.contains("<dt>Werkgebied</dt>") && ggd.contains("(GGD-regio)</dd>"), "{ggd}");
    for path in ["/def", "/id/gemeente/gm0358", "/id/thema/geldzorgen", "/id/bron/factsheet-huisartsenpraktijk"] {
        assert_no_raw_terms(path, &page(&server, path));
    }
}

#[test]
fn one_contact_and_the_bulk_reader_agree() {
    let data = common::loaded_data_dir();
    let map = data.path().join("contact-test.hsds.json");
    std::fs::write(&map, MAP).expect("map written");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/graph-data/demo/sociale-kaart-demo.hsds.json");
    let data_path = data.path().to_str().expect("utf-8");
    for (graph, file) in [(GRAPH, map.to_str().expect("utf-8")), ("https://w3id.org/kansrijk/graph/demo-kopie", demo)] {
        let (ok, _, stderr) = common::run(&["--data", data_path, "import", "--graph", graph, file]);
        assert!(ok, "import of {file}: {stderr}");
    }
    let store = KnowledgeStore::open(data.path()).expect("store opens").view().expect("a view");
    let contacts = Contacts::from_store(&store).expect("bulk read");
    let resources = store
        .select(&format!(
            "SELECT DISTINCT ?r WHERE {{ VALUES ?class {{ {} }} ?r a ?class }}",
            kansrijk::rdf::kinds::searchable_values()
        ))
        .expect("searchable resources");
    let mut with_contact = 0;
    for iri in resources.into_iter().filter_map(|row| row.into_iter().next().flatten()) {
        let one = Contact::of(&store, &iri).expect("one contact");
        assert_eq!(contacts.get(&iri), (!one.is_empty()).then_some(&one), "{iri}");
        with_contact += usize::from(!one.is_empty());
    }
    assert_eq!(contacts.len(), with_contact);
    assert!(with_contact > 390, "base offers, GGDs and the imported offers have contacts: {with_contact}");

    let fallback = contacts
        .get(&format!("https://w3id.org/kansrijk{OFFER_WITHOUT_CONTACT}"))
        .expect("the offer without its own details has its provider's");
    let json = serde_json::to_value(fallback).expect("JSON");
    assert_eq!(json["from_provider"], serde_json::json!(["urls", "phones", "emails"]), "{json}");
    assert_eq!(json["phones"][0]["number"], "+31 20 000 0009", "{json}");
    assert_eq!(json["areas"][0]["kind"], "municipality", "{json}");
    let left_out = json.get("addresses").is_none() && json.get("contact_points").is_none();
    assert!(left_out, "empty fields are left out: {json}");
}
