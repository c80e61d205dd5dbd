"""Invented names the anonymiser's gazetteer has never seen, planted in realistic sentences.

The synthetic gold's names overlap the gazetteer (one team wrote both), so its recall is
optimistic. These names are checked to be absent from the gazetteer, so only spaCy's NER
and the title and context cues can find them: the honest measure of recall by name origin.
Used by ``bench/heldout_names.py`` and the tests.
"""

from __future__ import annotations

from lived_experience.anonymise.gazetteer import load_gazetteer

HELD_OUT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "white_british": (
        (
            "Alistair",
            "Bethany",
            "Callum",
            "Felicity",
            "Imogen",
            "Jeremy",
            "Marcus",
            "Naomi",
            "Rupert",
            "Tabitha",
        ),
        (
            "Braithwaite",
            "Cartwright",
            "Entwistle",
            "Fairbrother",
            "Hargreaves",
            "Ollerenshaw",
            "Pickersgill",
            "Rowntree",
            "Sowerby",
            "Whitworth",
        ),
    ),
    "irish": (
        (
            "Aoibheann",
            "Caoilfhionn",
            "Donnacha",
            "Fiachra",
            "Muireann",
            "Odhran",
            "Ruairi",
            "Saoirse",
            "Tiernan",
            "Blathnaid",
        ),
        (
            "Ni Bhriain",
            "Mac Giolla",
            "O'Flaherty",
            "Cassidy",
            "Donoghue",
            "Geraghty",
            "Hennessy",
            "Lenihan",
            "Moriarty",
            "Tierney",
        ),
    ),
    "south_asian": (
        (
            "Anushka",
            "Bhavesh",
            "Darshana",
            "Gurinder",
            "Haripriya",
            "Jaswinder",
            "Mehreen",
            "Parminder",
            "Shoaib",
            "Tejinder",
        ),
        (
            "Bhattacharya",
            "Chakraborty",
            "Deshpande",
            "Gangopadhyay",
            "Jhaveri",
            "Kulkarni",
            "Muthusamy",
            "Ramaswamy",
            "Srinivasan",
            "Venkatesh",
        ),
    ),
    "black_african": (
        (
            "Adaobi",
            "Chukwuemeka",
            "Ebunoluwa",
            "Ifeanyichukwu",
            "Kelechi",
            "Mosunmola",
            "Nnamdi",
            "Oluwadamilare",
            "Tinotenda",
            "Uchenna",
        ),
        (
            "Adegbite",
            "Akinwunmi",
            "Chukwuma",
            "Ezeokafor",
            "Nwachukwu-Obi",
            "Obiageli",
            "Ogbonnaya",
            "Olatunji",
            "Onyekachi",
            "Zvobgo",
        ),
    ),
    "black_caribbean": (
        (
            "Dionne",
            "Jahmal",
            "Kemar",
            "Latoya",
            "Odane",
            "Shanika",
            "Tevin",
            "Trevor-Ann",
            "Yanique",
            "Zhané",
        ),
        (
            "Barrett",
            "Bennett-Coley",
            "Clarke-Whyte",
            "Dunkley",
            "Gooden",
            "McFarlane",
            "Nembhard",
            "Rattray",
            "Stennett",
            "Walters",
        ),
    ),
    "east_asian": (
        (
            "Chenxi",
            "Daisuke",
            "Hyejin",
            "Jiahui",
            "Kaito",
            "Minh Anh",
            "Seojun",
            "Xinyi",
            "Yuxuan",
            "Zhiwei",
        ),
        (
            "Hashimoto",
            "Kobayashi",
            "Matsumoto",
            "Ouyang",
            "Seo",
            "Shimizu",
            "Tsang",
            "Vuong",
            "Xiong",
            "Yoon",
        ),
    ),
    "filipino": (
        (
            "Anabelle",
            "Cristeta",
            "Dindo",
            "Erlinda",
            "Gerlie",
            "Jericho",
            "Lovelyn",
            "Marivic",
            "Rhodora",
            "Wilfredo",
        ),
        (
            "Buenaventura",
            "Dimaculangan",
            "Evangelista",
            "Lumibao",
            "Macaraeg",
            "Pangilinan",
            "Sarmiento",
            "Tagle",
            "Untalan",
            "Yap",
        ),
    ),
    "eastern_european": (
        (
            "Bartosz",
            "Dorota",
            "Grzegorz",
            "Jadwiga",
            "Mihaela",
            "Radoslaw",
            "Silviu",
            "Stanislava",
            "Wieslaw",
            "Zbigniew",
        ),
        (
            "Brzezinski",
            "Ciobanu",
            "Grabowska",
            "Jankowski",
            "Mazurkiewicz",
            "Szczepanski",
            "Vasilescu",
            "Wojciechowska",
            "Zajac",
            "Zielonka",
        ),
    ),
    "arab": (
        (
            "Abdelrahman",
            "Ghada",
            "Ibtisam",
            "Jamila",
            "Mahmoud",
            "Nawal",
            "Raed",
            "Suhail",
            "Wafa",
            "Yazan",
        ),
        (
            "Al-Khatib",
            "Barakat",
            "Darwish",
            "El-Masri",
            "Hijazi",
            "Jabari",
            "Kanaan",
            "Qasemi",
            "Shalabi",
            "Zoubi",
        ),
    ),
}

TEMPLATES = (
    "I raised it with {full} and nothing happened.",
    "My line manager {full} shouts at me in front of patients.",
    "{full} from the day team undermines me constantly.",
    "Dr {last} told me I was not ready for promotion.",
    "Sister {first} gives the worst patients to the overseas nurses.",
    "A colleague called {first} keeps mispronouncing my name.",
    "I work with {first} and she has been really supportive.",
    "i told {lower} about it but she did nothing.",
    "Our matron, {full}, is the only one who ever stood up for me.",
    "Thanks to {full}, who chairs the network, I found support.",
)


def texts_and_spans() -> list[tuple[str, str, list[tuple[int, int]]]]:
    gazetteer = load_gazetteer()
    rows = []
    for origin, (firsts, lasts) in HELD_OUT.items():
        for first, last in zip(firsts, lasts, strict=True):
            parts = [p.lower() for p in f"{first} {last}".replace("-", " ").split()]
            if any(p in gazetteer for p in parts):
                continue  # only names the gazetteer has never seen
            for template in TEMPLATES:
                values = {
                    "full": f"{first} {last}",
                    "first": first,
                    "last": last,
                    "lower": f"{first} {last}".lower(),
                }
                text = template.format(**values)
                spans = []
                for key in ("full", "lower", "last", "first"):
                    token = "{" + key + "}"
                    if token in template:
                        start = template.index(token)
                        prefix = template[:start].format(**values)
                        spans.append((len(prefix), len(prefix) + len(values[key])))
                        break
                rows.append((origin, text, spans))
    return rows
