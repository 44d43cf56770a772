#include "services/generator/internal/name_pools.h"

#include <array>

namespace rebook::generator::internal {
namespace {

using SV = std::string_view;

constexpr std::array<SV, 36> kGermanFemale = {
    "Anna",      "Maria", "Sophie",  "Laura",   "Julia",     "Katharina", "Sandra",  "Sabine",
    "Claudia",   "Petra", "Andrea",  "Nicole",  "Stefanie",  "Monika",    "Ursula",  "Heike",
    "Susanne",   "Lena",  "Emma",    "Mia",     "Hannah",    "Lea",       "Johanna", "Christine",
    "Birgit",    "Ines",  "Kerstin", "Anja",    "Franziska", "Jana",      "Doreen",  "Manuela",
    "Charlotte", "Marie", "Karin",   "Gabriele"};
constexpr std::array<SV, 44> kGermanMale = {
    "Thomas",   "Michael",   "Andreas",   "Stefan",  "Peter",      "Frank",       "Jörg",
    "Uwe",      "Matthias",  "Christian", "Markus",  "Daniel",     "Tobias",      "Sebastian",
    "Jan",      "Lukas",     "Felix",     "Paul",    "Leon",       "Jonas",       "Maximilian",
    "Florian",  "Alexander", "Martin",    "Torsten", "Ralf",       "Dirk",        "Steffen",
    "Sven",     "René",      "Ronny",     "Mario",   "Karl-Heinz", "Hans-Jürgen", "Klaus",
    "Wolfgang", "Dieter",    "Erik",      "Tim",     "Philipp",    "Finn",        "Ben",
    "Elias",    "Noah"};
constexpr std::array<SV, 104> kGermanFamily = {
    "Müller",     "Schmidt",   "Schneider", "Fischer", "Weber",   "Meyer",      "Wagner",
    "Becker",     "Schulz",    "Hoffmann",  "Schäfer", "Koch",    "Bauer",      "Richter",
    "Klein",      "Wolf",      "Schröder",  "Neumann", "Schwarz", "Zimmermann", "Braun",
    "Krüger",     "Hofmann",   "Hartmann",  "Lange",   "Schmitt", "Werner",     "Schmitz",
    "Krause",     "Meier",     "Lehmann",   "Schmid",  "Schulze", "Maier",      "Köhler",
    "Herrmann",   "König",     "Walter",    "Mayer",   "Huber",   "Kaiser",     "Fuchs",
    "Peters",     "Lang",      "Scholz",    "Möller",  "Weiß",    "Jung",       "Hahn",
    "Schubert",   "Vogel",     "Friedrich", "Keller",  "Günther", "Frank",      "Berger",
    "Winkler",    "Roth",      "Beck",      "Lorenz",  "Baumann", "Franke",     "Albrecht",
    "Schuster",   "Simon",     "Ludwig",    "Böhm",    "Winter",  "Kraus",      "Martin",
    "Schumacher", "Krämer",    "Vogt",      "Stein",   "Jäger",   "Otto",       "Sommer",
    "Groß",       "Seidel",    "Heinrich",  "Brandt",  "Haas",    "Schreiber",  "Graf",
    "Schulte",    "Dietrich",  "Ziegler",   "Kuhn",    "Kühn",    "Pohl",       "Engel",
    "Horn",       "Busch",     "Bergmann",  "Voigt",   "Sauer",   "Arnold",     "Pfeiffer",
    "Kretschmer", "Hentschel", "Schöne",    "Heinze",  "Uhlig",   "Böttcher"};

constexpr std::array<SV, 12> kTurkishFemale = {"Ayşe",  "Fatma", "Emine", "Zeynep",
                                               "Elif",  "Merve", "Esra",  "Selin",
                                               "Derya", "Tuğba", "Özlem", "Sevgi"};
constexpr std::array<SV, 14> kTurkishMale = {"Mehmet", "Ahmet", "Mustafa", "Ali",   "Hüseyin",
                                             "Hasan",  "Murat", "Emre",    "Burak", "Can",
                                             "Yusuf",  "Ömer",  "Kemal",   "Serkan"};
constexpr std::array<SV, 22> kTurkishFamily = {
    "Yılmaz", "Kaya",    "Demir",  "Şahin",  "Çelik", "Yıldız", "Yıldırım", "Öztürk",
    "Aydın",  "Özdemir", "Arslan", "Doğan",  "Kılıç", "Aslan",  "Çetin",    "Kara",
    "Koç",    "Kurt",    "Özkan",  "Şimşek", "Polat", "Korkmaz"};

constexpr std::array<SV, 14> kArabicFemale = {"Fatima", "Aisha", "Mariam", "Noor",  "Rania",
                                              "Lina",   "Hiba",  "Rasha",  "Amira", "Yasmin",
                                              "Layla",  "Salma", "Dima",   "Reem"};
constexpr std::array<SV, 15> kArabicMale = {"Mohammad", "Ahmad", "Mahmoud", "Omar",     "Khaled",
                                            "Yousef",   "Ali",   "Hussein", "Abdullah", "Ibrahim",
                                            "Rami",     "Samer", "Tarek",   "Bilal",    "Hamza"};
constexpr std::array<SV, 24> kArabicFamily = {
    "Al-Hassan", "Al-Ahmad", "Haddad", "Khalil",   "Mansour", "Nasser", "Saleh",     "Hamdan",
    "Ibrahim",   "Youssef",  "Othman", "Darwish",  "Aziz",    "Kassem", "Al-Khatib", "Hamoud",
    "Sabbagh",   "Shaheen",  "Masri",  "Suleiman", "Al-Ali",  "Abdo",   "Jaber",     "Barakat"};

constexpr std::array<SV, 13> kUkrainianFemale = {
    "Olena",    "Iryna",      "Nataliia",  "Oksana", "Tetiana", "Yuliia", "Svitlana",
    "Kateryna", "Anastasiia", "Viktoriia", "Halyna", "Daryna",  "Sofiia"};
constexpr std::array<SV, 11> kUkrainianMale = {"Oleksandr", "Andrii",    "Serhii", "Dmytro",
                                               "Mykola",    "Volodymyr", "Yurii",  "Ivan",
                                               "Bohdan",    "Taras",     "Maksym"};
constexpr std::array<SV, 22> kUkrainianFamily = {
    "Kovalenko", "Bondarenko",  "Tkachenko", "Shevchenko", "Kravchenko", "Boiko",
    "Melnyk",    "Koval",       "Oliinyk",   "Shevchuk",   "Polishchuk", "Lysenko",
    "Moroz",     "Marchenko",   "Savchenko", "Rudenko",    "Petrenko",   "Kovalchuk",
    "Tkachuk",   "Ponomarenko", "Hnatiuk",   "Zinchenko"};

constexpr std::array<SV, 10> kRussianFemale = {"Olga",    "Natalia",  "Tatiana",    "Elena",
                                               "Irina",   "Svetlana", "Yekaterina", "Marina",
                                               "Ludmila", "Valentina"};
constexpr std::array<SV, 10> kRussianMale = {"Aleksandr", "Sergei", "Dmitri", "Andrei", "Alexei",
                                             "Nikolai",   "Viktor", "Igor",   "Pavel",  "Yevgeni"};
constexpr std::array<SV, 14> kRussianFamily = {
    "Ivanov",    "Smirnov", "Kuznetsov", "Popov",   "Vasiliev", "Petrov",  "Sokolov",
    "Mikhailov", "Novikov", "Fedorov",   "Morozov", "Volkov",   "Lebedev", "Semenov"};

constexpr std::array<SV, 9> kPolishFemale = {"Anna",      "Katarzyna", "Magdalena",
                                             "Agnieszka", "Joanna",    "Małgorzata",
                                             "Monika",    "Ewa",       "Aleksandra"};
constexpr std::array<SV, 10> kPolishMale = {"Piotr",  "Krzysztof", "Tomasz", "Paweł", "Michał",
                                            "Marcin", "Łukasz",    "Jakub",  "Kamil", "Mateusz"};
constexpr std::array<SV, 14> kPolishFamily = {
    "Nowak",     "Kowalski",  "Wiśniewski", "Wójcik",    "Kowalczyk", "Kamiński", "Lewandowski",
    "Zieliński", "Szymański", "Woźniak",    "Dąbrowski", "Kozłowski", "Mazur",    "Krawczyk"};

constexpr std::array<SV, 8> kRomanianFemale = {"Ioana",     "Elena",   "Maria",    "Andreea",
                                               "Alexandra", "Mihaela", "Cristina", "Gabriela"};
constexpr std::array<SV, 9> kRomanianMale = {
    "Andrei", "Ion", "Mihai", "Alexandru", "Florin", "Adrian", "Bogdan", "Constantin", "Ionuț"};
constexpr std::array<SV, 12> kRomanianFamily = {"Popescu", "Ionescu",  "Popa",    "Pop",
                                                "Radu",    "Dumitru",  "Stan",    "Stoica",
                                                "Matei",   "Munteanu", "Ciobanu", "Rusu"};

constexpr std::array<SV, 10> kVietnameseFemale = {"Lan",  "Mai",  "Hoa",   "Thu",  "Huong",
                                                  "Linh", "Ngoc", "Trang", "Thao", "Hanh"};
constexpr std::array<SV, 10> kVietnameseMale = {"Minh",  "Tuan", "Hung", "Duc",  "Quang",
                                                "Thanh", "Long", "Nam",  "Dung", "Hai"};
constexpr std::array<SV, 14> kVietnameseFamily = {"Nguyen", "Tran", "Le",  "Pham", "Hoang",
                                                  "Huynh",  "Phan", "Vu",  "Vo",   "Dang",
                                                  "Bui",    "Do",   "Ngo", "Duong"};

constexpr std::array<SV, 12> kPersianFemale = {"Fatemeh", "Zahra",  "Maryam",   "Masoumeh",
                                               "Shirin",  "Parisa", "Nasrin",   "Sara",
                                               "Mahsa",   "Soraya", "Farzaneh", "Nilofar"};
constexpr std::array<SV, 13> kPersianMale = {"Ali",   "Reza",  "Mohammad", "Hossein", "Mehdi",
                                             "Ahmad", "Farid", "Amir",     "Hamid",   "Jawad",
                                             "Karim", "Navid", "Ramin"};
constexpr std::array<SV, 18> kPersianFamily = {
    "Ahmadi",  "Hosseini", "Mohammadi", "Rezaei", "Karimi", "Rahimi",
    "Hashemi", "Sadeghi",  "Moradi",    "Jafari", "Azizi",  "Haidari",
    "Noori",   "Sultani",  "Akbari",    "Safi",   "Amiri",  "Popal"};

constexpr std::array<SV, 10> kIndianFemale = {"Priya", "Ananya", "Divya",     "Sneha",   "Kavya",
                                              "Pooja", "Neha",   "Aishwarya", "Lakshmi", "Deepika"};
constexpr std::array<SV, 11> kIndianMale = {"Rahul",  "Arjun",  "Vikram",  "Rohan",
                                            "Aditya", "Suresh", "Karthik", "Sanjay",
                                            "Amit",   "Pranav", "Nikhil"};
constexpr std::array<SV, 16> kIndianFamily = {
    "Sharma", "Patel",    "Singh", "Kumar", "Reddy", "Iyer", "Nair",       "Gupta",
    "Rao",    "Krishnan", "Menon", "Joshi", "Mehta", "Das",  "Chatterjee", "Pillai"};

constexpr std::array<SV, 10> kEnglishFemale = {"Emily",  "Sarah", "Jessica", "Olivia", "Grace",
                                               "Chioma", "Ngozi", "Abena",   "Hannah", "Rachel"};
constexpr std::array<SV, 11> kEnglishMale = {"James",  "John",    "David",    "Michael",
                                             "Daniel", "Chinedu", "Emeka",    "Kwame",
                                             "Thomas", "Samuel",  "Oluwaseun"};
constexpr std::array<SV, 14> kEnglishFamily = {
    "Smith",   "Johnson", "Brown",   "Williams", "Taylor", "Okafor", "Adeyemi",
    "Okonkwo", "Mensah",  "Boateng", "Evans",    "Walker", "Nwosu",  "Campbell"};

constexpr std::array<SV, 9> kSpanishFemale = {"María",  "Lucía", "Carmen",  "Sofía", "Valentina",
                                              "Camila", "Paula", "Daniela", "Isabel"};
constexpr std::array<SV, 10> kSpanishMale = {"José",  "Juan",      "Carlos", "Luis",     "Javier",
                                             "Diego", "Alejandro", "Andrés", "Santiago", "Mateo"};
constexpr std::array<SV, 15> kSpanishFamily = {
    "García", "Rodríguez", "González", "Fernández", "López",   "Martínez", "Sánchez", "Pérez",
    "Gómez",  "Hernández", "Díaz",     "Torres",    "Ramírez", "Flores",   "Castillo"};

const std::array<NamePool, kOriginCount> kPools = {{
    {kGermanFemale, kGermanMale, kGermanFamily, false, false, "de", "", 0},
    {kTurkishFemale, kTurkishMale, kTurkishFamily, false, false, "tr", "", 0},
    {kArabicFemale, kArabicMale, kArabicFamily, false, false, "ar", "", 0},
    {kUkrainianFemale, kUkrainianMale, kUkrainianFamily, false, false, "uk", "ru", 0.25},
    {kRussianFemale, kRussianMale, kRussianFamily, true, false, "ru", "", 0},
    {kPolishFemale, kPolishMale, kPolishFamily, true, false, "pl", "", 0},
    {kRomanianFemale, kRomanianMale, kRomanianFamily, false, false, "ro", "", 0},
    {kVietnameseFemale, kVietnameseMale, kVietnameseFamily, false, true, "vi", "", 0},
    {kPersianFemale, kPersianMale, kPersianFamily, false, false, "fa", "ps", 0.15},
    {kIndianFemale, kIndianMale, kIndianFamily, false, false, "en", "hi", 0.1},
    {kEnglishFemale, kEnglishMale, kEnglishFamily, false, false, "en", "", 0},
    {kSpanishFemale, kSpanishMale, kSpanishFamily, false, false, "es", "", 0},
}};

// Real streets of Halle (Saale), each with a postcode of its district. House numbers are made up.
constexpr std::array<StreetArea, 64> kHalleStreets = {{
    {"Große Ulrichstraße", "06108"},
    {"Kleine Ulrichstraße", "06108"},
    {"Große Steinstraße", "06108"},
    {"Leipziger Straße", "06108"},
    {"Schmeerstraße", "06108"},
    {"Rannische Straße", "06108"},
    {"Große Märkerstraße", "06108"},
    {"Brüderstraße", "06108"},
    {"Hansering", "06108"},
    {"Waisenhausring", "06108"},
    {"Universitätsring", "06108"},
    {"Emil-Abderhalden-Straße", "06108"},
    {"Glauchaer Straße", "06110"},
    {"Steinweg", "06110"},
    {"Franckeplatz", "06110"},
    {"Böllberger Weg", "06110"},
    {"Merseburger Straße", "06110"},
    {"Torstraße", "06110"},
    {"Delitzscher Straße", "06112"},
    {"Freiimfelder Straße", "06112"},
    {"Landsberger Straße", "06112"},
    {"Reideburger Straße", "06112"},
    {"Volkmannstraße", "06112"},
    {"Ludwig-Wucherer-Straße", "06108"},
    {"Reilstraße", "06114"},
    {"Burgstraße", "06114"},
    {"Große Brunnenstraße", "06114"},
    {"Lessingstraße", "06114"},
    {"Richard-Wagner-Straße", "06114"},
    {"Humboldtstraße", "06114"},
    {"Advokatenweg", "06114"},
    {"Paracelsusstraße", "06114"},
    {"Bernburger Straße", "06108"},
    {"Magdeburger Straße", "06112"},
    {"Trothaer Straße", "06118"},
    {"Dessauer Straße", "06118"},
    {"Frohe Zukunft", "06118"},
    {"Kaiserslauterer Straße", "06118"},
    {"Kröllwitzer Straße", "06120"},
    {"Talstraße", "06120"},
    {"Weinbergweg", "06120"},
    {"Heideallee", "06120"},
    {"Blücherstraße", "06122"},
    {"Zerbster Straße", "06124"},
    {"Azaleenstraße", "06122"},
    {"Hemingwaystraße", "06126"},
    {"Wolfgang-Borchert-Straße", "06126"},
    {"Tangermünder Straße", "06126"},
    {"Am Gastronom", "06124"},
    {"Richard-Paulick-Straße", "06124"},
    {"Nietlebener Straße", "06126"},
    {"Südstadtring", "06128"},
    {"Paul-Suhr-Straße", "06130"},
    {"Elsa-Brändström-Straße", "06110"},
    {"Vogelweide", "06110"},
    {"Damaschkestraße", "06130"},
    {"Huttenstraße", "06110"},
    {"Beesener Straße", "06110"},
    {"Weißenfelser Straße", "06132"},
    {"Regensburger Straße", "06132"},
    {"Karlsruher Allee", "06132"},
    {"Hallorenring", "06108"},
    {"Willy-Brandt-Straße", "06110"},
    {"Berliner Straße", "06112"},
}};

constexpr std::array<SV, 30> kGenericStreets = {"Hauptstraße",
                                                "Bahnhofstraße",
                                                "Schulstraße",
                                                "Gartenstraße",
                                                "Dorfstraße",
                                                "Kirchstraße",
                                                "Bergstraße",
                                                "Lindenstraße",
                                                "Waldstraße",
                                                "Ringstraße",
                                                "Wiesenweg",
                                                "Am Markt",
                                                "Mühlenweg",
                                                "Birkenweg",
                                                "Goethestraße",
                                                "Schillerstraße",
                                                "Feldstraße",
                                                "Poststraße",
                                                "Rosenstraße",
                                                "Jahnstraße",
                                                "Blumenstraße",
                                                "Industriestraße",
                                                "Am Sportplatz",
                                                "Raiffeisenstraße",
                                                "Eichendorffstraße",
                                                "Kastanienallee",
                                                "Talstraße",
                                                "Mozartstraße",
                                                "Friedrich-Ebert-Straße",
                                                "Am Anger"};

// Reserved for documentation (RFC 2606 / RFC 6761): they can never reach a real mailbox.
constexpr std::array<SV, 7> kEmailDomains = {"example.com",   "example.net",  "example.org",
                                             "mail.example",  "post.example", "web.example",
                                             "online.example"};

constexpr std::array<SV, 17> kMobilePrefixes = {"151", "152", "157", "159", "160", "162",
                                                "163", "170", "171", "172", "173", "174",
                                                "175", "176", "177", "178", "179"};

}  // namespace

const NamePool& PoolOf(Origin origin) { return kPools[static_cast<int>(origin)]; }
std::span<const StreetArea> HalleStreets() { return kHalleStreets; }
std::span<const std::string_view> GenericStreets() { return kGenericStreets; }
std::span<const std::string_view> EmailDomains() { return kEmailDomains; }
std::span<const std::string_view> MobilePrefixes() { return kMobilePrefixes; }

}  // namespace rebook::generator::internal
