"""Made-up name, place and company material for the synthetic world (benchmarks/world.py).

Lists are ordered roughly by frequency: the generator draws them with a Zipf-like skew, so a few
first names and surnames are very common (namesakes happen by themselves) and the long tail is rare.
"""

from __future__ import annotations

MALE = (
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew "
    "Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason "
    "Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel "
    "Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron José Adam Nathan Henry Douglas "
    "Zachary Peter Kyle Noah Ethan Jeremy Walter Christian Keith Roger Terry Austin Sean Gerald Carl Harold "
    "Dylan Arthur Lawrence Jordan Jesse Bryan Bruce Gabriel Logan Alan Juan Albert Elijah Wayne Randy "
    "Vincent Mason Roy Ralph Russell Bradley Philip Eugene Liam Oliver Lucas Mateo Luis Carlos Miguel "
    "Andrés Jürgen Björn Søren Łukasz Dmitri Hiroshi Kenji Wei Arjun Rahul Mohammed Omar Ahmed Chidi Kwame "
    "Pierre François Jérôme Matthias Lukas Jonas Sebastián Nicolás Íñigo Giuseppe Luca Marco Pieter Sven "
    "Lars Mikhail Sergei Ravi Santiago Tomás Joaquín Mathéo Émile Stéphane Håkon Ólafur Jiří Zoltán"
).split()

FEMALE = (
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret "
    "Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca "
    "Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha "
    "Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane Ruth Julie Olivia Joyce "
    "Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline "
    "Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia Grace "
    "Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie "
    "Kayla Alexis Lori Alexandra Zoë Chloé Renée Amélie Hélène Mónica Inés Lucía Sofía Élodie Françoise "
    "Anneke Sanne Ingrid Astrid Małgorzata Agnieszka Zofia Ekaterina Natasha Yuki Mei Priya Aisha Fatima "
    "Amara Chiamaka Siobhán Aoife Niamh Giulia Chiara Francesca Josephine Rosalía Begoña Dörte Solveig"
).split()

# canonical first name -> nicknames it appears under (Bob/Robert, Liz/Elizabeth, Sasha/Alexander...)
NICKNAMES = {
    "Robert": ("Bob", "Rob", "Bobby"), "William": ("Bill", "Will", "Billy"), "Elizabeth": ("Liz", "Beth", "Betty", "Lizzie"),
    "Katherine": ("Kate", "Kathy", "Katie"), "Catherine": ("Cathy", "Kate", "Cat"), "Alexander": ("Sasha", "Alex", "Xander"),
    "Margaret": ("Peggy", "Maggie", "Meg"), "James": ("Jim", "Jimmy", "Jamie"), "Richard": ("Dick", "Rick", "Rich"),
    "Michael": ("Mike", "Mikey"), "Jennifer": ("Jen", "Jenny"), "Thomas": ("Tom", "Tommy"), "Joseph": ("Joe", "Joey"),
    "Christopher": ("Chris", "Kit"), "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",), "Anthony": ("Tony",),
    "Patricia": ("Pat", "Patty", "Trish"), "Susan": ("Sue", "Susie"), "Deborah": ("Deb", "Debbie"), "Debra": ("Deb", "Debbie"),
    "Rebecca": ("Becky", "Becca"), "Edward": ("Ed", "Ted", "Eddie"), "Charles": ("Charlie", "Chuck"),
    "Nicholas": ("Nick", "Nicky"), "Benjamin": ("Ben", "Benny"), "Samuel": ("Sam", "Sammy"), "Jonathan": ("Jon",),
    "Andrew": ("Andy", "Drew"), "Stephen": ("Steve",), "Steven": ("Steve",), "Timothy": ("Tim", "Timmy"),
    "Victoria": ("Vicky", "Tori"), "Alexandra": ("Sasha", "Alex", "Lexi"), "Isabella": ("Bella", "Izzy"),
    "Abigail": ("Abby",), "Samantha": ("Sam", "Sammy"), "Christina": ("Tina", "Chrissy"), "Josephine": ("Jo", "Josie"),
    "Francesca": ("Fran", "Frankie"), "Giuseppe": ("Beppe", "Peppe"), "José": ("Pepe",), "Dmitri": ("Dima",),
    "Ekaterina": ("Katya",), "Natasha": ("Tasha",), "Mikhail": ("Misha",), "Sergei": ("Seryozha",),
    "Kenneth": ("Ken", "Kenny"), "Gregory": ("Greg",), "Raymond": ("Ray",), "Lawrence": ("Larry",),
    "Patrick": ("Pat", "Paddy"), "Gerald": ("Jerry", "Gerry"), "Ronald": ("Ron", "Ronnie"), "Donald": ("Don", "Donnie"),
    "Douglas": ("Doug",), "Zachary": ("Zach", "Zack"), "Frances": ("Fran",), "Kathleen": ("Kathy", "Kate"),
    "Kimberly": ("Kim",), "Pamela": ("Pam",), "Cynthia": ("Cindy",), "Jacqueline": ("Jackie",), "Dorothy": ("Dot", "Dottie"),
    "Judith": ("Judy",), "Theresa": ("Terry", "Tess"), "Teresa": ("Terry", "Tess"), "Melissa": ("Missy", "Mel"),
    "Stephanie": ("Steph",), "Jessica": ("Jess", "Jessie"), "Christine": ("Chris", "Chrissy"), "Danielle": ("Dani",),
    "Philip": ("Phil",), "Bradley": ("Brad",), "Vincent": ("Vince", "Vinny"), "Walter": ("Walt",), "Eugene": ("Gene",),
    "Albert": ("Al", "Bert"), "Arthur": ("Art",), "Harold": ("Harry", "Hal"), "Russell": ("Russ",), "Nathan": ("Nate",),
    "Joshua": ("Josh",), "Jeffrey": ("Jeff",), "Gabriel": ("Gabe",), "Peter": ("Pete",), "Francisco": ("Paco",),
    "Santiago": ("Santi",), "Sebastián": ("Seba",), "Johannes": ("Hans",), "Matthias": ("Matze",),
}

SURNAMES_COMMON = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis "
    "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera "
    "Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart "
    "Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim "
    "Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
    "Sanders Patel Myers Long Ross Foster Jiménez Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker "
    "Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Fernández "
    "González Sánchez Pérez Gómez Martín Dubois Lefèvre Moreau Laurent Simon Michel Leroy Roux Fournier Girard "
    "Bonnet Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci O'Brien O'Neill O'Connor McCarthy "
    "MacDonald Walsh Byrne Ryan Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Ivanov Ivanova "
    "Petrov Smirnov Popescu Horvat Novák Svoboda Dvořák Nielsen Jensen Hansen Pedersen Andersen Larsen Johansson "
    "Karlsson Nilsson Eriksson Lindqvist Østergaard Sørensen Tanaka Suzuki Sato Takahashi Watanabe Wang Li Zhang "
    "Liu Chen Yang Huang Zhao Wu Zhou Park Choi Jung Singh Kumar Sharma Gupta Khan Ali Hussain Ahmed Okafor "
    "Okeke Mensah Adeyemi Haddad Nasser Cohen Levi Friedman Santos Oliveira Souza Pereira Costa Ferreira "
    "Rodrigues Gallagher Fitzgerald Núñez Ibáñez Güneş Yılmaz Öztürk Çelik"
).split() + ["van der Berg", "de Vries", "van Dijk", "De Luca", "da Silva", "de la Cruz", "Mac an tSaoir"]

# syllables of the rare-surname long tail (Brakenholt, Kelisdale, Varenquist...)
RARE_A = ("Al Bar Bel Bran Cal Cor Dal Dor El Fal Gar Gil Hal Har Ival Jar Kel Kor Lan Lor Mal Mor Nel Nor Ost Pel "
          "Quin Ral Ros Sal Sel Tal Tor Ul Val Ver Wal Wen Yar Zel Brack Creig Dunn Fenn Grim Hask Lind Penn Stan "
          "Thorn Ab Ber Cas Dre Esk Fro Hel Isk Jun Kas Lev Mar Nov Orl Pra Rad Sto Tre Vol Wik Zar").split()
RARE_B = ("", "a", "e", "i", "o", "u", "en", "er", "in", "on", "ar", "el", "is", "an", "ov", "ik", "am", "os", "ur",
          "ey", "ol", "ad", "et", "im", "uk")
RARE_C = ("berg by dale den field ford gate ham holt hurst ley lin low mann mere more ner rick ridge sen shaw son "
          "stein ston ton ville wick worth wood ski escu ini ez ard eau ovich quist strom ak oglu enko stad vik "
          "land bach").split()

COMPANY_WORDS = ("Harbor Oak Cedar Summit Pioneer Northwind Bluebird Copper Granite Lantern Meadow Riverside "
                 "Silverline Sunrise Evergreen Falcon Maple Orchard Beacon Compass Juniper Willow Aspen Sparrow "
                 "Redwood Cobalt Ember Prairie Quarry Tidewater Atlas Kestrel Hollow Larch Marigold Thistle").split()
COMPANY_KINDS = ("Design Studio|Consulting|Logistics|Dental|Bakery|Architects|Ceramics|Legal|Analytics|Builders|"
                 "Veterinary|Press|Labs|Florists|Outfitters|Accounting|Media|Coffee|Realty|Clinic").split("|")
COMPANY_SUFFIX = ("", "", "", " LLC", " Inc", " Ltd", " GmbH", " & Co")

JOB_TITLES = ("Owner|Manager|Office Manager|Designer|Engineer|Accountant|Director|Sales Lead|Buyer|Assistant|"
              "Consultant|Founder|Analyst|Nurse|Teacher").split("|")

FREE_MAIL = (("gmail.com", 40), ("yahoo.com", 11), ("hotmail.com", 8), ("outlook.com", 8), ("icloud.com", 7),
             ("aol.com", 3), ("proton.me", 2), ("comcast.net", 2), ("web.de", 2), ("gmx.de", 2), ("orange.fr", 2),
             ("free.fr", 1), ("btinternet.com", 1), ("yahoo.co.uk", 2), ("live.com", 2), ("me.com", 1),
             ("googlemail.com", 1), ("mail.com", 1))
DOMAIN_TYPOS = {"gmail.com": ("gmial.com", "gmail.con", "gmai.com", "gamil.com"), "yahoo.com": ("yaho.com", "yahoo.con"),
                "hotmail.com": ("hotmial.com", "hotmail.co"), "outlook.com": ("outlok.com",), "icloud.com": ("iclod.com",)}

# city, region code, region name, country code, country name, postal style, area codes (landline/US), weight
CITIES = (
    ("New York", "NY", "New York", "US", "United States", "us:100,101,102,103", "212,646,917", 60),
    ("Brooklyn", "NY", "New York", "US", "United States", "us:112", "718,347", 25),
    ("Los Angeles", "CA", "California", "US", "United States", "us:900", "213,323,310", 45),
    ("San Francisco", "CA", "California", "US", "United States", "us:941", "415,628", 20),
    ("San Diego", "CA", "California", "US", "United States", "us:921", "619,858", 15),
    ("Chicago", "IL", "Illinois", "US", "United States", "us:606", "312,773", 35),
    ("Houston", "TX", "Texas", "US", "United States", "us:770", "713,832", 30),
    ("Austin", "TX", "Texas", "US", "United States", "us:787", "512,737", 15),
    ("Dallas", "TX", "Texas", "US", "United States", "us:752", "214,469,972", 20),
    ("Phoenix", "AZ", "Arizona", "US", "United States", "us:850", "602,480", 20),
    ("Philadelphia", "PA", "Pennsylvania", "US", "United States", "us:191", "215,267", 20),
    ("Pittsburgh", "PA", "Pennsylvania", "US", "United States", "us:152", "412", 8),
    ("Seattle", "WA", "Washington", "US", "United States", "us:981", "206", 15),
    ("Portland", "OR", "Oregon", "US", "United States", "us:972", "503,971", 12),
    ("Portland", "ME", "Maine", "US", "United States", "us:041", "207", 4),
    ("Denver", "CO", "Colorado", "US", "United States", "us:802", "303,720", 14),
    ("Boston", "MA", "Massachusetts", "US", "United States", "us:021", "617,857", 15),
    ("Cambridge", "MA", "Massachusetts", "US", "United States", "us:021", "617", 5),
    ("Miami", "FL", "Florida", "US", "United States", "us:331", "305,786", 15),
    ("Atlanta", "GA", "Georgia", "US", "United States", "us:303", "404,678", 15),
    ("Nashville", "TN", "Tennessee", "US", "United States", "us:372", "615", 10),
    ("Minneapolis", "MN", "Minnesota", "US", "United States", "us:554", "612", 10),
    ("Detroit", "MI", "Michigan", "US", "United States", "us:482", "313", 10),
    ("Baltimore", "MD", "Maryland", "US", "United States", "us:212", "410,443", 8),
    ("Newark", "NJ", "New Jersey", "US", "United States", "us:071", "973", 6),
    ("Jersey City", "NJ", "New Jersey", "US", "United States", "us:073", "201", 6),
    ("Providence", "RI", "Rhode Island", "US", "United States", "us:029", "401", 5),
    ("Hartford", "CT", "Connecticut", "US", "United States", "us:061", "860", 4),
    ("Burlington", "VT", "Vermont", "US", "United States", "us:054", "802", 3),
    ("Salt Lake City", "UT", "Utah", "US", "United States", "us:841", "801", 6),
    ("Las Vegas", "NV", "Nevada", "US", "United States", "us:891", "702", 8),
    ("Albuquerque", "NM", "New Mexico", "US", "United States", "us:871", "505", 5),
    ("New Orleans", "LA", "Louisiana", "US", "United States", "us:701", "504", 6),
    ("St. Louis", "MO", "Missouri", "US", "United States", "us:631", "314", 6),
    ("Columbus", "OH", "Ohio", "US", "United States", "us:432", "614", 8),
    ("Raleigh", "NC", "North Carolina", "US", "United States", "us:276", "919", 6),
    ("Charlotte", "NC", "North Carolina", "US", "United States", "us:282", "704", 8),
    ("Madison", "WI", "Wisconsin", "US", "United States", "us:537", "608", 4),
    ("Anchorage", "AK", "Alaska", "US", "United States", "us:995", "907", 2),
    ("Honolulu", "HI", "Hawaii", "US", "United States", "us:968", "808", 3),
    ("Toronto", "ON", "Ontario", "CA", "Canada", "ca:M", "416,647", 10),
    ("Montréal", "QC", "Québec", "CA", "Canada", "ca:H", "514,438", 6),
    ("Vancouver", "BC", "British Columbia", "CA", "Canada", "ca:V", "604,778", 5),
    ("London", "", "Greater London", "GB", "United Kingdom", "gb:NW1,E8,SW1A,N1,SE1,W1F,EC1V,SW9", "20", 12),
    ("Manchester", "", "Greater Manchester", "GB", "United Kingdom", "gb:M1,M3,M4,M14,M20", "161", 4),
    ("Leeds", "", "West Yorkshire", "GB", "United Kingdom", "gb:LS1,LS2,LS6", "113", 3),
    ("Bristol", "", "Bristol", "GB", "United Kingdom", "gb:BS1,BS5,BS8", "117", 3),
    ("Edinburgh", "", "Scotland", "GB", "United Kingdom", "gb:EH1,EH3,EH8", "131", 3),
    ("Berlin", "", "Berlin", "DE", "Germany", "de:10,12,13", "30", 6),
    ("München", "", "Bayern", "DE", "Germany", "de:80,81", "89", 4),
    ("Köln", "", "Nordrhein-Westfalen", "DE", "Germany", "de:50,51", "221", 3),
    ("Hamburg", "", "Hamburg", "DE", "Germany", "de:20,21,22", "40", 3),
    ("Paris", "", "Île-de-France", "FR", "France", "fr:750", "1", 5),
    ("Lyon", "", "Auvergne-Rhône-Alpes", "FR", "France", "fr:690", "4", 2),
    ("Madrid", "", "Comunidad de Madrid", "ES", "Spain", "es:280", "91", 3),
    ("Amsterdam", "", "Noord-Holland", "NL", "Netherlands", "nl:10", "20", 3),
    ("Dublin", "", "County Dublin", "IE", "Ireland", "ie:D02,D04,D06,D08", "1", 2),
    ("Sydney", "NSW", "New South Wales", "AU", "Australia", "au:20", "2", 2),
)

STREET_NAMES = ("Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Church High Mill River Sunset Highland "
                "Jefferson Lincoln Franklin Walnut Chestnut Spring Center Union Market King Queen Victoria Station "
                "Harbour Grand Madison Adams Willow Birch Meadow Forest Ridge Valley Cherry Dogwood Hawthorn").split()
STREET_TYPES = (("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Boulevard", "Blvd"), ("Lane", "Ln"),
                ("Drive", "Dr"), ("Court", "Ct"), ("Place", "Pl"), ("Way", "Way"), ("Terrace", "Ter"))
DE_STREETS = "Linden Haupt Bahnhof Schiller Goethe Berliner Garten Kirch Wald Rosen Mühlen Schul Königs Markt".split()
DE_SUFFIX = ("straße", "weg", "allee", "platz")
FR_STREETS = ("rue de la Paix", "avenue Victor Hugo", "rue de Rivoli", "rue des Lilas", "boulevard Saint-Germain",
              "rue du Général Leclerc", "rue Saint-Honoré", "place de la République", "rue Mouffetard")
ES_STREETS = ("Calle Mayor", "Calle de Alcalá", "Gran Vía", "Calle de Serrano", "Paseo del Prado", "Calle de Toledo")
NL_STREETS = ("Prinsengracht", "Keizersgracht", "Herengracht", "Damstraat", "Kalverstraat", "Overtoom")
UNIT_FORMS = ("Apt {n}", "Apt {n}B", "Suite {n}00", "Unit {n}", "Flat {n}", "#{n}")

PRODUCTS = (("Speckled Mug - Blue", "MUG-BLU", 24.00), ("Linen Tea Towel", "TOWEL-01", 16.00),
            ("Stoneware Bowl, Large", "BOWL-L", 38.00), ("Planter - Sage", "PLANT-SG", 29.50),
            ("Gift Card $50", "GIFT-50", 50.00), ("Espresso Cup Set (2)", "ESP-2", 32.00),
            ("Serving Platter", "PLAT-1", 64.00), ("Candle - Fig", "CNDL-FIG", 18.00),
            ("Ceramic Teapot", "POT-CER", 42.00), ("Workshop Seat", "WKSHP", 85.00))
TICKET_SUBJECTS = ("Where is my order?", "Order arrived damaged", "Change delivery address", "Refund request",
                   "Wholesale pricing question", "Gift card not received", "Invoice copy please",
                   "Cancel my subscription", "Product question", "Unsubscribe me please", "Discount code not working")
