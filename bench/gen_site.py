#!/usr/bin/env python3
"""Generates one synthetic council site twice: as a quorum site and as a Hugo site.

    python3 bench/gen_site.py N OUT        # writes OUT/quorum/ and OUT/hugo/

The same N items (about 45% minutes, 30% news, 20% advice, the rest annual reports,
one per year, and pages), with the same Dutch text (400 to 1,500 words with headings,
lists, tables and links, some to other items), topics (1 to 4 of 60), policy areas
(1 to 2 of 12) and twenty years of dates, go into both. The output depends only on N:
a fixed seed makes every run byte-identical, so measurements can be compared.
"""

import datetime
import os
import random
import re
import sys

FIRST_DAY = datetime.date(2006, 1, 1)
DAYS = 20 * 365
YEARS = list(range(2006, 2026))

POLICY_AREAS = {
    "wmo": "Wmo en ondersteuning",
    "jeugd": "Jeugd en gezin",
    "participatie": "Participatie en werk",
    "armoede": "Armoede en minima",
    "schulden": "Schuldhulpverlening",
    "beschermd-wonen": "Beschermd wonen en opvang",
    "zorg": "Gezondheid en zorg",
    "inclusie": "Toegankelijkheid en inclusie",
    "mantelzorg": "Mantelzorg en vrijwilligers",
    "wonen": "Wonen en leefbaarheid",
    "onderwijs": "Onderwijs en passend onderwijs",
    "veiligheid": "Zorg en veiligheid",
}

TOPICS = """eenzaamheid energiearmoede minimaregelingen kindpakket vroegsignalering
mantelzorgwaardering respijtzorg dagbesteding huishoudelijke-hulp hulpmiddelen
woningaanpassing cliëntondersteuning keukentafelgesprek eigen-bijdrage wachttijden
jeugdhulp jeugdbescherming passend-onderwijs leerlingenvervoer thuiszitters
schuldhulp budgetbeheer bijstand re-integratie beschut-werk statushouders inburgering
taalachterstand digitale-inclusie laaggeletterdheid toegankelijkheid vn-verdrag
openbaar-vervoer doelgroepenvervoer valpreventie dementie ouderenzorg wijkteams
sociaal-team huisartsen ggz verslavingszorg dakloosheid maatschappelijke-opvang
beschermd-wonen uitstroom huisvesting levensloopbestendig wonen-met-zorg
vrijwilligerswerk sport-en-bewegen gezondheidsverschillen preventie inspraak
participatieraad verordening inkoop aanbesteding begroting jaarrekening
klachtenregeling privacy""".split()

WORDS = """de het een en van in op met voor door over naar bij uit als dat die
gemeente adviesraad college inwoners ondersteuning zorg beleid regeling advies
wethouder raad vergadering verslag besluit voorstel evaluatie uitvoering wijk
mantelzorgers jongeren ouderen gezinnen kinderen cliënten aanbieders budget
kosten wachtlijst toegang informatie brief reactie termijn afspraken
samenwerking signalen knelpunten ervaring vraag antwoord onderzoek cijfers
resultaten doelen maatregelen kwaliteit toegankelijk betaalbaar dichtbij
tijdig passend duidelijk zorgvuldig bespreekt adviseert vraagt stelt
constateert onderschrijft benadrukt verzoekt ontvangt bespreken nemen
geven blijven worden moeten kunnen willen zullen verder daarnaast echter
vooral ook nog wel niet meer minder goed beter snel eerder later
jaarlijks regionaal lokaal gezamenlijk inhoudelijk financieel sociaal""".split()

HEADINGS = """Opening en mededelingen|Vaststelling van de agenda|Verslag vorige vergadering
|Ingekomen stukken|Advies in voorbereiding|Gesprek met de wethouder|Terugkoppeling werkgroepen
|Signalen uit de wijken|Rondvraag|Sluiting|Aanleiding|Onze werkwijze|Wat wij horen van inwoners
|Onze adviezen|Tot slot|Achtergrond|Wat verandert er|Meer informatie""".replace("\n", "").split("|")

NAMES = """Hanneke Verhoef|Joost Brinkman|Pieter-Jan Smit|Fatma Yildiz|Gerard Kok|Anneke Lammers
|Wilma Oosterhof|Hamid Bouzian|Els Wolters|Yvonne Bakker|Sanne de Wit|Mohammed El Amrani""".replace(
    "\n", ""
).split("|")


class Item:
    """One content item, written the same way in both formats."""

    def __init__(self, kind, slug, date, title):
        self.kind = kind
        self.slug = slug
        self.date = date
        self.title = title
        self.topics = []
        self.areas = []
        self.fields = []  # extra quorum front matter lines
        self.body = []  # blocks of Markdown; links to items are written @@index@@
        self.year = None

    def source(self):
        return f"{self.kind}/{self.slug}.md"


def sentence(rng, words):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, words):
    out, left = [], words
    while left > 0:
        n = min(left, rng.randint(8, 20))
        out.append(sentence(rng, n))
        left -= n
    return " ".join(out)


def make_body(rng, index, links_to):
    """Paragraphs of 400 to 1,500 words with headings, a list, a table and links."""
    target = rng.randint(400, 1500)
    blocks, words, section = [], 0, 0
    while words < target:
        if words == 0 or rng.random() < 0.25:
            section += 1
            blocks.append(f"## {section}. {rng.choice(HEADINGS)}")
        kind = rng.random()
        if kind < 0.12:
            items = [sentence(rng, rng.randint(4, 10)) for _ in range(rng.randint(3, 6))]
            blocks.append("\n".join(f"- {i}" for i in items))
            words += sum(len(i.split()) for i in items)
        elif kind < 0.17:
            rows = ["| Onderwerp | Aantal | Toelichting |", "| --- | ---: | --- |"]
            for _ in range(rng.randint(3, 6)):
                rows.append(f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} | {sentence(rng, 5)} |")
            blocks.append("\n".join(rows))
            words += 20
        else:
            n = rng.randint(40, 110)
            text = paragraph(rng, n)
            if rng.random() < 0.15:
                text += f" Zie ook [de website van de gemeente](https://www.example.nl/{rng.choice(WORDS)})."
            if links_to and rng.random() < 0.08:
                text += f" Dit sluit aan bij [een eerder stuk](@@{rng.choice(links_to)}@@)."
            blocks.append(text)
            words += n
    return blocks


def plan(n):
    """The kinds of the N items: 45% minutes, 30% news, 20% advice, the rest reports
    (one per year, so at most twenty) and pages."""
    minutes = n * 45 // 100
    news = n * 30 // 100
    advice = n * 20 // 100
    rest = n - minutes - news - advice
    reports = min(len(YEARS), rest // 2)
    pages = rest - reports
    return [("minutes", minutes), ("news", news), ("advice", advice), ("annual-reports", reports), ("pages", pages)]


def make_items(n):
    rng = random.Random(20260101 + n)
    items = []
    for kind, count in plan(n):
        for k in range(count):
            date = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))
            if kind == "minutes":
                item = Item(kind, f"{date}-{k:06d}", date, f"Vergadering {date}")
            elif kind == "news":
                item = Item(kind, f"{date}-nieuws-{k:06d}", date, f"Nieuws: {paragraph(rng, 5)[:-1]}")
            elif kind == "advice":
                item = Item(kind, f"{date.year}-advies-{k:06d}", date, f"Advies over {rng.choice(TOPICS).replace('-', ' ')}")
            elif kind == "annual-reports":
                year = YEARS[k]
                date = datetime.date(year + 1, 3, 1 + k % 28)
                item = Item(kind, str(year), date, f"Jaarverslag {year}")
                item.year = year
            else:
                item = Item(kind, f"pagina-{k:06d}", None, f"Pagina {k}: {rng.choice(TOPICS)}")
            item.topics = sorted(rng.sample(TOPICS, rng.randint(1, 4)))
            item.areas = sorted(rng.sample(sorted(POLICY_AREAS), rng.randint(1, 2)))
            items.append(item)
    for i, item in enumerate(items):
        # Links go to items made before this one, so every target exists.
        item.body = make_body(rng, i, list(range(max(0, i - 500), i)))
        add_fields(rng, item)
    return items


def add_fields(rng, item):
    f = item.fields
    if item.kind == "minutes":
        approved = item.date + datetime.timedelta(days=28)
        f.append('status = "approved"')
        f.append(f"approved_on = {approved}")
        f.append('meeting = "Openbare vergadering"')
        f.append('location = "Stadhuis, commissiekamer"')
        attendees = rng.sample(NAMES, 6)
        f.append("attendees = [" + ", ".join(f'"{a}"' for a in attendees) + "]")
        if rng.random() < 0.3:
            due = item.date + datetime.timedelta(days=30)
            f.append(
                f'actions = [{{ id = "A-{item.slug}", what = "{sentence(rng, 6)}", '
                f'who = "{rng.choice(NAMES)}", due = {due}, done = {str(rng.random() < 0.7).lower()} }}]'
            )
    elif item.kind == "advice":
        f.append(f"solicited = {str(rng.random() < 0.6).lower()}")
        f.append('addressed_to = "College van burgemeester en wethouders"')
        f.append(f'reference = "ASD-{item.slug}"')
        if rng.random() < 0.85:
            answered = item.date + datetime.timedelta(days=rng.randint(10, 90))
            f.append(f'response = {{ date = {answered}, summary = "{sentence(rng, 12)}" }}')
    elif item.kind == "annual-reports":
        f.append(f"year = {item.year}")
    elif item.kind == "pages":
        f.append(f"weight = {rng.randint(1, 100)}")


def url_of(item):
    return f"/{item.kind}/{item.slug}/"


def body_text(item, items, link):
    text = "\n\n".join(item.body) + "\n"
    return re.sub(r"@@(\d+)@@", lambda m: link(items[int(m.group(1))]), text)


def quote_list(values):
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_quorum(root, items):
    areas = "\n".join(f'{k} = "{v}"' for k, v in POLICY_AREAS.items())
    write(
        f"{root}/quorum.toml",
        'title = "Adviesraad Sociaal Domein Benchmark"\n'
        'base_url = "https://adviesraad.example.nl"\n'
        'language = "nl"\n'
        'theme = "default"\n'
        'description = "Een gegenereerde raad om quorum mee te meten."\n\n'
        '[council]\nname = "Adviesraad Sociaal Domein Benchmark"\nmunicipality = "Meetstad"\n\n'
        f"[policy_areas]\n{areas}\n\n[advice]\nresponse_term_days = 42\n",
    )
    for item in items:
        lines = ["+++"]
        if item.kind != "minutes":
            lines.append(f'title = "{item.title}"')
        if item.date:
            lines.append(f"date = {item.date}")
        lines.append(f"topics = {quote_list(item.topics)}")
        lines.append(f"policy_areas = {quote_list(item.areas)}")
        lines += item.fields
        lines.append("+++")
        text = "\n".join(lines) + "\n\n" + body_text(item, items, lambda t: f"@/{t.source()}")
        write(f"{root}/content/{item.source()}", text)


HUGO_CONFIG = """baseURL = "https://adviesraad.example.nl/"
languageCode = "nl"
title = "Adviesraad Sociaal Domein Benchmark"
paginate = 20
disableKinds = ["sitemap", "robotsTXT"]

[taxonomies]
topic = "topics"
policy_area = "policy_areas"
year = "years"

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
"""

# Minimal templates comparable to quorum's: a base with navigation, item pages with
# their metadata and taxonomy links, paginated lists of 20, taxonomy indexes.
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}"></head>
<body>
<header><a href="{{ site.BaseURL }}">{{ site.Title }}</a>
<nav><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><a href="{{ "index.xml" | relURL }}">RSS</a></footer>
</body></html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ with .Date }}<p><time datetime="{{ .Format "2006-01-02" }}">{{ .Format "2 January 2006" }}</time></p>{{ end }}
<ul>{{ range .GetTerms "topics" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul>{{ range .GetTerms "policy_areas" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .TableOfContents }}
{{ .Content }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Paginator.Pages }}<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ with .Date }}<time datetime="{{ .Format "2006-01-02" }}">{{ .Format "2 January 2006" }}</time>{{ end }}
<p>{{ .Summary }}</p></li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range first 10 (where site.RegularPages "Section" "news") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
}


def write_hugo(root, items):
    write(f"{root}/hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        write(f"{root}/layouts/{name}", text)
    for item in items:
        lines = ["+++", f'title = "{item.title}"']
        if item.date:
            lines.append(f"date = {item.date}")
        year = item.year or (item.date.year if item.date else None)
        lines.append(f"topics = {quote_list(item.topics)}")
        lines.append(f"policy_areas = {quote_list(item.areas)}")
        if year:
            lines.append(f'years = ["{year}"]')
        lines.append("+++")
        text = "\n".join(lines) + "\n\n" + body_text(item, items, url_of)
        write(f"{root}/content/{item.source()}", text)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_site.py N OUT")
    n, out = int(sys.argv[1]), sys.argv[2]
    items = make_items(n)
    write_quorum(f"{out}/quorum", items)
    write_hugo(f"{out}/hugo", items)


if __name__ == "__main__":
    main()
