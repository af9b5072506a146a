"""Name, street and city lists for the synthetic company (static data, no logic)."""

FIRST_F = (
    "Anna", "Maria", "Julia", "Laura", "Sarah", "Lena", "Katharina", "Sophie", "Lisa", "Hannah",
    "Johanna", "Christina", "Sabine", "Petra", "Monika", "Claudia", "Susanne", "Andrea", "Birgit",
    "Nicole", "Stefanie", "Jana", "Franziska", "Miriam", "Ines", "Gisela", "Ursula", "Renate",
    "Elif", "Zeynep", "Olga", "Natalia", "Greta", "Paula", "Clara", "Emilia", "Marie", "Leonie",
)
FIRST_M = (
    "Thomas", "Michael", "Andreas", "Stefan", "Christian", "Markus", "Frank", "Peter", "Jan",
    "Tobias", "Daniel", "Alexander", "Sebastian", "Florian", "Matthias", "Martin", "Klaus",
    "Jürgen", "Uwe", "Wolfgang", "Lukas", "Felix", "Jonas", "Paul", "Max", "Leon", "Niklas",
    "Mehmet", "Ahmet", "Piotr", "Sergej", "Dmitri", "Henrik", "Oliver", "Simon", "David", "Ben",
)
LAST = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
    "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler",
    "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz",
    "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther",
    "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht",
    "Yilmaz", "Kaya", "Nowak", "Kowalski", "Popescu", "Ivanov",
)
STREETS = (
    "Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße", "Bergstraße",
    "Birkenweg", "Lindenstraße", "Kirchstraße", "Waldstraße", "Ringstraße", "Schillerstraße",
    "Goethestraße", "Mühlenweg", "Am Markt", "Rosenweg", "Friedhofstraße", "Wiesenweg",
    "Parkstraße", "Feldstraße", "Mozartstraße", "Kastanienallee", "Ahornweg", "Uhlandstraße",
)
CITIES = (  # (city, postcode prefix, landline area code)
    ("Berlin", "10", "30"), ("Hamburg", "20", "40"), ("München", "80", "89"),
    ("Köln", "50", "221"), ("Frankfurt am Main", "60", "69"), ("Stuttgart", "70", "711"),
    ("Düsseldorf", "40", "211"), ("Leipzig", "04", "341"), ("Dortmund", "44", "231"),
    ("Essen", "45", "201"), ("Bremen", "28", "421"), ("Dresden", "01", "351"),
    ("Hannover", "30", "511"), ("Nürnberg", "90", "911"), ("Münster", "48", "251"),
)
MAIL_DOMAINS = ("web.de", "gmx.de", "gmail.com", "t-online.de", "posteo.de", "outlook.de",
                "yahoo.de", "mailbox.org", "freenet.de")
MOBILE_PREFIXES = ("151", "152", "157", "160", "162", "170", "171", "172", "175", "176", "177",
                   "178", "179")
ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                       "Ü": "Ue"})
