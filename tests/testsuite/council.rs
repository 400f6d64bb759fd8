//! What only quorum has: the advice register, the action list, meetings with their
//! calendar, cross references, annual-report figures, open data and JSON-LD.

use crate::util::TestSite;

fn council() -> TestSite {
    let site = TestSite::fixture("council");
    site.build_ok();
    site
}

#[test]
fn advice_register_shows_every_status_with_days() {
    let site = council();
    let register = site.read("adviezen/index.html");
    assert!(
        register.contains("Beantwoord na 35 dagen"),
        "answered: response 35 days after the advice"
    );
    assert!(
        register.contains("Wacht 21 dagen op reactie"),
        "awaiting: sent 21 days before today"
    );
    assert!(
        register.contains("Geen reactie na 82 dagen (termijn: 42 dagen)"),
        "overdue past the response term"
    );
    assert!(register.contains("Gevraagd advies") && register.contains("Ongevraagd advies"));
    // Browsable without JavaScript: one static page per status, year and policy area.
    let answered = site.read("adviezen/status/beantwoord/index.html");
    assert!(
        answered.contains("Advies inkoop jeugdhulp")
            && !answered.contains("Advies Wmo-verordening")
    );
    let overdue = site.read("adviezen/status/te-laat/index.html");
    assert!(overdue.contains("Ongevraagd advies &lt;armoede&gt;"));
    assert!(
        site.read("adviezen/status/wacht-op-reactie/index.html")
            .contains("Advies Wmo-verordening")
    );
    assert!(
        site.read("adviezen/jaar/2026/index.html")
            .contains("Advies inkoop jeugdhulp")
    );
    let wmo = site.read("adviezen/beleidsterreinen/wmo/index.html");
    assert!(wmo.contains("Advies Wmo-verordening") && !wmo.contains("Advies inkoop jeugdhulp"));
    assert!(
        wmo.contains("aria-current=\"page\">Wmo en ondersteuning"),
        "the current filter is marked"
    );
}

#[test]
fn advice_page_has_a_timeline() {
    let site = council();
    let page = site.read("adviezen/2026-jeugd/index.html");
    let requested = page.find("Adviesaanvraag ontvangen").unwrap();
    let sent = page.find("Advies uitgebracht").unwrap();
    let response = page.find("Reactie van de gemeente</strong>").unwrap();
    assert!(requested < sent && sent < response);
    assert!(page.contains("Het college neemt de aanbevelingen over."));
    let waiting = site.read("adviezen/2026-wmo/index.html");
    assert!(waiting.contains(
        "Reactie verwacht uiterlijk</strong>: <time datetime=\"2026-12-13\">13 december 2026</time>"
    ));
}

#[test]
fn action_list_follows_actions_across_minutes() {
    let site = council();
    let actions = site.read("actielijst/index.html");
    let (open, closed) = actions.split_once("id=\"closed-title\"").unwrap();
    assert!(open.contains("Wethouder uitnodigen") && open.contains("Armoedebeleid agenderen"));
    assert!(open.contains("Over datum"), "A-1 was due 2026-10-01");
    assert!(!open.contains("Reactie op advies jeugd bespreken"));
    assert!(closed.contains("Reactie op advies jeugd bespreken"));
    assert!(closed.contains("href=\"/verslagen/2026-09-08/\">Vergadering 8 september 2026</a></td>\n    <td><a href=\"/verslagen/2026-10-13/\""), "raised in September, closed in October");
    assert!(
        open.find("A-1").unwrap() < open.find("A-3").unwrap(),
        "open actions by due date"
    );
}

#[test]
fn minutes_link_to_their_approval_and_meeting() {
    let site = council();
    let minutes = site.read("verslagen/2026-09-08/index.html");
    assert!(minutes.contains("<a href=\"/verslagen/2026-10-13/\"><time datetime=\"2026-10-13\">13 oktober 2026</time></a>"));
    assert!(minutes.contains("href=\"/vergaderingen/2026-09-08/\""));
    assert!(
        minutes.contains("<a href=\"#advies-jeugd\">Advies jeugd</a>"),
        "table of contents"
    );
    assert!(
        site.read("verslagen/2026-10-13/index.html")
            .contains("Concept")
    );
}

#[test]
fn meetings_page_splits_upcoming_and_past() {
    let site = council();
    let meetings = site.read("vergaderingen/index.html");
    let (upcoming, past) = meetings.split_once("id=\"past-title\"").unwrap();
    assert!(
        upcoming.find("24 november 2026").unwrap() < upcoming.find("8 december 2026").unwrap(),
        "soonest first"
    );
    assert!(past.contains("13 oktober 2026") && past.contains("Vervallen"));
    let home = site.read("index.html");
    let next = home.split_once("next-meeting-title").unwrap().1;
    assert!(
        next.contains("24 november 2026"),
        "the moved meeting's new date is next"
    );
    let meeting = site.read("vergaderingen/2026-09-08/index.html");
    assert!(
        meeting.contains("Met de beleidsmedewerker")
            && meeting.contains("href=\"/verslagen/2026-09-08/\"")
    );
}

#[test]
fn calendar_imports_cleanly() {
    let site = council();
    let ics = site.read("agenda.ics");
    assert!(ics.lines().all(|l| l.len() <= 76), "folded at 75 octets");
    assert!(
        ics.split("\r\n").count() > 20 && !ics.replace("\r\n", "").contains('\n'),
        "CRLF line endings"
    );
    let calendar = ical::IcalParser::new(ics.as_bytes())
        .next()
        .unwrap()
        .expect("agenda.ics parses");
    assert_eq!(calendar.timezones.len(), 1);
    assert_eq!(calendar.events.len(), 6);
    let prop = |event: &ical::parser::ical::component::IcalEvent, name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let uids: Vec<String> = calendar.events.iter().map(|e| prop(e, "UID")).collect();
    assert!(uids.contains(&"2026-12-08@wmoraad.example.nl".to_string()));
    let cancelled = calendar
        .events
        .iter()
        .find(|e| prop(e, "UID").starts_with("2026-08-11"))
        .unwrap();
    assert_eq!(prop(cancelled, "STATUS"), "CANCELLED");
    assert_eq!(
        prop(cancelled, "DTSTART"),
        "20260811",
        "a meeting without a time is a whole day"
    );
    let moved = calendar
        .events
        .iter()
        .find(|e| prop(e, "UID").starts_with("2026-11-10"))
        .unwrap();
    assert_eq!(prop(moved, "STATUS"), "CANCELLED");
    assert!(prop(moved, "DESCRIPTION").contains("24 november 2026"));
    let long = calendar
        .events
        .iter()
        .find(|e| prop(e, "UID").starts_with("2026-11-24"))
        .unwrap();
    assert!(
        prop(long, "DESCRIPTION").contains("vijfenzeventig octetten ruim overschrijdt"),
        "unfolds back"
    );
    assert_eq!(
        prop(long, "LOCATION"),
        "Bibliotheek\\; leeszaal / https://vergadering.example.nl/wmoraad"
    );
    // Stable across builds: UIDs and DTSTAMPs come from the content.
    site.build_ok();
    assert_eq!(site.read("agenda.ics"), ics);
}

#[test]
fn two_meetings_on_one_date_need_times() {
    let site = TestSite::fixture("council");
    site.write(
        "content/meetings/2026-12-08-extra.md",
        "+++\ndate = 2026-12-08\n+++\n",
    );
    let run = site.quorum(&["build"]).failure();
    assert!(run.stderr().contains("error: 2 meetings on 2026-12-08, and this one has no start time\n  --> content/meetings/2026-12-08-extra.md"), "{}", run.stderr());
}

#[test]
fn items_list_what_mentions_them_and_what_is_related() {
    let site = council();
    let advice = site.read("adviezen/2026-jeugd/index.html");
    let mentioned = advice.split_once("id=\"mentioned-in-title\"").unwrap().1;
    assert!(
        mentioned
            .split("</section>")
            .next()
            .unwrap()
            .contains("href=\"/verslagen/2026-09-08/\"")
    );
    let related = advice.split_once("id=\"related-title\"").unwrap().1;
    assert!(
        related.contains("Open avond over jeugdhulp"),
        "shares topic and policy area"
    );
}

#[test]
fn annual_report_counts_the_year() {
    let site = council();
    let report = site.read("jaarverslagen/2026/index.html");
    let figures = report.split_once("id=\"figures-title\"").unwrap().1;
    assert!(figures.contains("<dt>Vergaderingen</dt><dd>2</dd>"));
    assert!(figures.contains("<dt>Gevraagd advies</dt><dd>2</dd>"));
    assert!(figures.contains("<dt>Ongevraagd advies</dt><dd>1</dd>"));
    assert!(
        figures.contains("<dd>35 dagen</dd>"),
        "average response time"
    );
    assert!(figures.contains("href=\"/nieuws/2026-10-20-open-avond/\""));
}

#[test]
fn open_data_round_trips() {
    let site = council();
    let json =
        |path: &str| -> serde_json::Value { serde_json::from_str(&site.read(path)).unwrap() };
    let index = json("api/index.json");
    assert_eq!(
        index["lists"]["advice"],
        "https://wmoraad.example.nl/api/advice.json"
    );
    let list = json("api/advice.json");
    assert_eq!(list["count"], 3);
    let advice = json("api/advice/2026-jeugd.json");
    assert_eq!(advice["type"], "Paper");
    assert_eq!(advice["status"], "answered");
    assert_eq!(advice["responseDays"], 35);
    assert_eq!(
        advice["web"],
        "https://wmoraad.example.nl/adviezen/2026-jeugd/"
    );
    assert_eq!(advice["body"]["text"], "De raad adviseert.");
    assert_eq!(advice["addressedTo"], "College van B&W");
    let meeting = json("api/meetings/2026-09-08.json");
    assert_eq!(meeting["type"], "Meeting");
    assert_eq!(meeting["start"], "2026-09-08T19:30:00+02:00");
    assert_eq!(meeting["agendaItem"][1]["name"], "Advies jeugd");
    assert_eq!(
        meeting["minutes"],
        "https://wmoraad.example.nl/api/minutes/2026-09-08.json"
    );
    let minutes = json("api/minutes/2026-10-13.json");
    assert_eq!(minutes["actions"][0]["done"], true);
    let tricky = json("api/advice/2026-armoede.json");
    assert_eq!(tricky["name"], "Ongevraagd advies <armoede> & \"minima\"");
}

#[test]
fn item_pages_carry_safe_json_ld() {
    let site = council();
    let ld = |path: &str| -> serde_json::Value {
        let html = site.read(path);
        let script = html
            .split_once("<script type=\"application/ld+json\">")
            .unwrap()
            .1;
        let json = script.split_once("</script>").unwrap().0;
        assert!(!json.contains('<'), "no markup can break out of the script");
        serde_json::from_str(json).unwrap()
    };
    let meeting = ld("vergaderingen/2026-12-08/index.html");
    assert_eq!(meeting["@graph"][0]["@type"], "Event");
    assert_eq!(
        meeting["@graph"][0]["startDate"],
        "2026-12-08T19:30:00+01:00"
    );
    assert_eq!(meeting["@graph"][1]["@type"], "BreadcrumbList");
    assert_eq!(meeting["@graph"][2]["@type"], "GovernmentOrganization");
    let advice = ld("adviezen/2026-armoede/index.html");
    assert_eq!(advice["@graph"][0]["@type"], "Report");
    assert_eq!(
        advice["@graph"][0]["name"],
        "Ongevraagd advies <armoede> & \"minima\""
    );
    assert_eq!(
        ld("nieuws/2026-10-20-open-avond/index.html")["@graph"][0]["@type"],
        "NewsArticle"
    );
    assert_eq!(
        ld("index.html")["@graph"][0]["@type"],
        "GovernmentOrganization"
    );
}

#[test]
fn advice_and_policy_areas_have_feeds() {
    let site = council();
    let advice = feed_rs::parser::parse(site.read("adviezen/feed.xml").as_bytes()).unwrap();
    assert_eq!(advice.entries.len(), 3);
    let jeugd =
        feed_rs::parser::parse(site.read("beleidsterreinen/jeugd/feed.xml").as_bytes()).unwrap();
    let titles: Vec<_> = jeugd
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "Open avond over jeugdhulp",
            "Vergadering 8 september 2026",
            "Advies inkoop jeugdhulp"
        ]
    );
    assert!(site.read("adviezen/index.html").contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Adviezen (RSS)\" href=\"/adviezen/feed.xml\">"));
    assert!(
        site.read("beleidsterreinen/jeugd/index.html")
            .contains("href=\"/beleidsterreinen/jeugd/feed.xml\"")
    );
}
