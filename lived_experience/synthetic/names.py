"""Invented people for the synthetic data, grouped by the name origins of the NHS workforce.

The lists are deliberately separate from the anonymiser's gazetteer
(``lived_experience/anonymise/data/``) so that measuring recall on the synthetic gold is not
just measuring the gazetteer against itself; they overlap only where common names are common.
The origin group of every planted name is written to the gold file, so recall can be reported
per origin and a bias against South Asian or African names shows up as a number.
"""

from __future__ import annotations

#: origin group -> (first names, surnames)
NAMES_BY_ORIGIN: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "white_british": (
        ("Sarah", "James", "Emma", "Oliver", "Claire", "Gareth", "Hannah", "Martin", "Lucy",
         "Stephen", "Rebecca", "Craig", "Joanne", "Darren", "Helen", "Neil", "Kirsty", "Paul"),
        ("Thompson", "Hartley", "Walker", "Roberts", "Clarke", "Hughes", "Whitfield",
         "Atkinson", "Pearson", "Barker", "Ashworth", "Holloway", "Marsden", "Fletcher"),
    ),
    "irish": (
        ("Siobhan", "Ciaran", "Aoife", "Niamh", "Declan", "Sinead", "Padraig", "Orla",
         "Eoin", "Roisin", "Cathal", "Grainne"),
        ("O'Sullivan", "Murphy", "Kavanagh", "O'Brien", "Doherty", "Gallagher", "McCarthy",
         "Byrne", "Quinn", "Fitzgerald"),
    ),
    "south_asian": (
        ("Priya", "Rajesh", "Anjali", "Imran", "Farhana", "Sanjay", "Nusrat", "Harpreet",
         "Sunita", "Arjun", "Ayesha", "Manpreet", "Deepa", "Kamran", "Shabana", "Vikram",
         "Rubina", "Tahir"),
        ("Patel", "Sharma", "Chaudhry", "Begum", "Rahman", "Sandhu", "Gill", "Iqbal",
         "Nair", "Krishnan", "Hussain", "Malik", "Mistry", "Bhatt", "Chowdhury", "Reddy"),
    ),
    "black_african": (
        ("Adebayo", "Chiamaka", "Oluwaseun", "Ngozi", "Kwame", "Abena", "Chinedu",
         "Funmilayo", "Tendai", "Blessing", "Precious", "Emeka", "Yetunde", "Kofi", "Amara",
         "Babajide", "Nomvula", "Tariro"),
        ("Okonkwo", "Adeyemi", "Mensah", "Okafor", "Boateng", "Oyelaran", "Nwosu",
         "Asante", "Mutasa", "Adekunle", "Eze", "Owusu", "Chikwanha", "Ogunleye"),
    ),
    "black_caribbean": (
        ("Marcia", "Delroy", "Joy", "Winston", "Beverley", "Clive", "Paulette", "Everton",
         "Hyacinth", "Leroy", "Grace", "Desmond", "Sonia", "Errol"),
        ("Campbell", "Francis", "Gayle", "McKenzie", "Grant", "Reid", "Bailey", "Ellis",
         "Forbes", "Wilks", "Samuels", "Lindo"),
    ),
    "east_asian": (
        ("Wei", "Mei Ling", "Jun", "Xiaoling", "Hiroshi", "Yuki", "Min-jun", "Ji-woo",
         "Thanh", "Linh", "Haruka", "Jia"),
        ("Zhang", "Chen", "Wong", "Liu", "Tanaka", "Nguyen", "Kim", "Park", "Huang", "Lim",
         "Tran", "Yamamoto"),
    ),
    "filipino": (
        ("Maricel", "Rodel", "Jocelyn", "Arnel", "Marites", "Jerome", "Rowena", "Efren",
         "Lorna", "Ramil", "Analyn", "Jonel"),
        ("Santos", "Dela Cruz", "Reyes", "Bautista", "Mendoza", "Villanueva", "Garcia",
         "Aquino", "Manalo", "Pascual", "Soriano"),
    ),
    "eastern_european": (
        ("Agnieszka", "Tomasz", "Katarzyna", "Andrei", "Ioana", "Marek", "Jelena", "Dragan",
         "Zuzana", "Bogdan", "Milena", "Piotr"),
        ("Kowalski", "Nowak", "Popescu", "Wisniewska", "Horvath", "Ionescu", "Petrovic",
         "Novotna", "Dabrowski", "Kovacs", "Lewandowska"),
    ),
    "arab": (
        ("Omar", "Fatima", "Khalid", "Layla", "Youssef", "Mariam", "Tariq", "Noor", "Samir",
         "Rania", "Hamza", "Salma"),
        ("Al-Sayed", "Haddad", "Mansour", "Khalil", "Nasser", "Abdullah", "Farouk",
         "Saleh", "Hamdan", "El-Amin"),
    ),
}

ORIGINS: tuple[str, ...] = tuple(NAMES_BY_ORIGIN)

#: Titles used in front of names; the gold span covers the name, not the title.
TITLES_WITH_SURNAME = ("Dr", "Mr", "Mrs", "Ms", "Miss", "Prof")
TITLES_WITH_FIRST_NAME = ("Sister", "Nurse", "Matron")
