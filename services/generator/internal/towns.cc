#include "services/generator/internal/towns.h"

#include <array>

namespace rebook::generator::internal {
namespace {
// Populations are rounded, recent figures in thousands; they only size the offices.
constexpr std::array<Town, 1> kKoelnTowns = {{{"Köln", 1084}}};
constexpr std::array<Town, 1> kDuesseldorfTowns = {{{"Düsseldorf", 620}}};
constexpr std::array<Town, 1> kDortmundTowns = {{{"Dortmund", 588}}};
constexpr std::array<Town, 1> kEssenTowns = {{{"Essen", 583}}};
constexpr std::array<Town, 1> kDuisburgTowns = {{{"Duisburg", 498}}};
constexpr std::array<Town, 1> kBochumTowns = {{{"Bochum", 364}}};
constexpr std::array<Town, 1> kWuppertalTowns = {{{"Wuppertal", 355}}};
constexpr std::array<Town, 1> kBielefeldTowns = {{{"Bielefeld", 334}}};
constexpr std::array<Town, 1> kBonnTowns = {{{"Bonn", 330}}};
constexpr std::array<Town, 1> kMuensterTowns = {{{"Münster", 316}}};
constexpr std::array<Town, 1> kMoenchengladbachTowns = {{{"Mönchengladbach", 261}}};
constexpr std::array<Town, 1> kGelsenkirchenTowns = {{{"Gelsenkirchen", 260}}};
constexpr std::array<Town, 1> kAachenTowns = {{{"Aachen", 249}}};
constexpr std::array<Town, 1> kKrefeldTowns = {{{"Krefeld", 227}}};
constexpr std::array<Town, 1> kOberhausenTowns = {{{"Oberhausen", 209}}};
constexpr std::array<Town, 1> kHagenTowns = {{{"Hagen", 189}}};
constexpr std::array<Town, 1> kHammTowns = {{{"Hamm", 179}}};
constexpr std::array<Town, 1> kMuelheimanderRuhrTowns = {{{"Mülheim an der Ruhr", 170}}};
constexpr std::array<Town, 1> kLeverkusenTowns = {{{"Leverkusen", 163}}};
constexpr std::array<Town, 1> kSolingenTowns = {{{"Solingen", 159}}};
constexpr std::array<Town, 1> kHerneTowns = {{{"Herne", 156}}};
constexpr std::array<Town, 1> kBottropTowns = {{{"Bottrop", 117}}};
constexpr std::array<Town, 1> kRemscheidTowns = {{{"Remscheid", 111}}};
constexpr std::array<Town, 5> kRheinKreisNeussTowns = {
    {{"Neuss", 154}, {"Grevenbroich", 63}, {"Dormagen", 64}, {"Meerbusch", 56}, {"Kaarst", 43}}};
constexpr std::array<Town, 6> kRheinSiegKreisTowns = {{{"Siegburg", 41},
                                                       {"Troisdorf", 75},
                                                       {"Sankt Augustin", 55},
                                                       {"Hennef", 48},
                                                       {"Bornheim", 48},
                                                       {"Königswinter", 41}}};
constexpr std::array<Town, 6> kKreisRecklinghausenTowns = {{{"Recklinghausen", 111},
                                                            {"Marl", 84},
                                                            {"Dorsten", 75},
                                                            {"Castrop-Rauxel", 73},
                                                            {"Gladbeck", 75},
                                                            {"Herten", 62}}};
constexpr std::array<Town, 3> kKreisPaderbornTowns = {
    {{"Paderborn", 152}, {"Delbrück", 32}, {"Bad Lippspringe", 16}}};
constexpr std::array<Town, 3> kKreisGueterslohTowns = {
    {{"Gütersloh", 101}, {"Rheda-Wiedenbrück", 49}, {"Verl", 26}}};
constexpr std::array<Town, 6> kKreisUnnaTowns = {{{"Unna", 59},
                                                  {"Lünen", 86},
                                                  {"Kamen", 43},
                                                  {"Bergkamen", 48},
                                                  {"Schwerte", 46},
                                                  {"Werne", 30}}};
constexpr std::array<Town, 5> kEnnepeRuhrKreisTowns = {
    {{"Schwelm", 28}, {"Witten", 96}, {"Hattingen", 54}, {"Sprockhövel", 25}, {"Gevelsberg", 31}}};
constexpr std::array<Town, 10> kKreisMettmannTowns = {{{"Mettmann", 38},
                                                       {"Ratingen", 87},
                                                       {"Velbert", 81},
                                                       {"Hilden", 55},
                                                       {"Langenfeld", 59},
                                                       {"Monheim am Rhein", 41},
                                                       {"Erkrath", 44},
                                                       {"Haan", 30},
                                                       {"Heiligenhaus", 26},
                                                       {"Wülfrath", 21}}};
constexpr std::array<Town, 6> kRheinErftKreisTowns = {{{"Bergheim", 62},
                                                       {"Kerpen", 66},
                                                       {"Hürth", 60},
                                                       {"Frechen", 52},
                                                       {"Erftstadt", 50},
                                                       {"Pulheim", 54}}};
constexpr std::array<Town, 2> kKreisDuerenTowns = {{{"Düren", 92}, {"Jülich", 33}}};
constexpr std::array<Town, 3> kKreisViersenTowns = {
    {{"Viersen", 77}, {"Nettetal", 42}, {"Kempen", 35}}};
constexpr std::array<Town, 5> kKreisWeselTowns = {
    {{"Wesel", 61}, {"Moers", 104}, {"Dinslaken", 67}, {"Voerde", 36}, {"Kamp-Lintfort", 38}}};
constexpr std::array<Town, 4> kKreisKleveTowns = {
    {{"Kleve", 52}, {"Goch", 34}, {"Emmerich am Rhein", 31}, {"Geldern", 34}}};
constexpr std::array<Town, 4> kKreisBorkenTowns = {
    {{"Borken", 42}, {"Bocholt", 71}, {"Gronau", 49}, {"Ahaus", 39}}};
constexpr std::array<Town, 5> kKreisSteinfurtTowns = {
    {{"Steinfurt", 34}, {"Rheine", 77}, {"Ibbenbüren", 52}, {"Greven", 37}, {"Emsdetten", 36}}};
constexpr std::array<Town, 2> kKreisCoesfeldTowns = {{{"Coesfeld", 36}, {"Dülmen", 47}}};
constexpr std::array<Town, 4> kKreisWarendorfTowns = {
    {{"Warendorf", 37}, {"Ahlen", 53}, {"Oelde", 29}, {"Beckum", 37}}};
constexpr std::array<Town, 3> kKreisHerfordTowns = {
    {{"Herford", 67}, {"Bünde", 45}, {"Löhne", 40}}};
constexpr std::array<Town, 3> kKreisMindenLuebbeckeTowns = {
    {{"Minden", 82}, {"Bad Oeynhausen", 49}, {"Lübbecke", 26}}};
constexpr std::array<Town, 3> kKreisLippeTowns = {
    {{"Detmold", 75}, {"Lemgo", 41}, {"Bad Salzuflen", 54}}};
constexpr std::array<Town, 3> kOberbergischerKreisTowns = {
    {{"Gummersbach", 51}, {"Wiehl", 25}, {"Radevormwald", 22}}};
constexpr std::array<Town, 3> kRheinischBergischerKreisTowns = {
    {{"Bergisch Gladbach", 112}, {"Overath", 27}, {"Wermelskirchen", 35}}};
constexpr std::array<Town, 4> kKreisHeinsbergTowns = {
    {{"Heinsberg", 42}, {"Erkelenz", 44}, {"Geilenkirchen", 28}, {"Hückelhoven", 40}}};
constexpr std::array<Town, 4> kStaedteregionAachenTowns = {
    {{"Stolberg", 57}, {"Eschweiler", 56}, {"Herzogenrath", 46}, {"Würselen", 38}}};
constexpr std::array<Town, 2> kKreisEuskirchenTowns = {{{"Euskirchen", 58}, {"Mechernich", 28}}};
constexpr std::array<Town, 2> kKreisHoexterTowns = {{{"Höxter", 29}, {"Warburg", 23}}};
constexpr std::array<Town, 11> kKreisSiegenWittgensteinTowns = {{{"Siegen", 102},
                                                                 {"Kreuztal", 31},
                                                                 {"Netphen", 23},
                                                                 {"Bad Berleburg", 19},
                                                                 {"Hilchenbach", 15},
                                                                 {"Wilnsdorf", 20},
                                                                 {"Burbach", 15},
                                                                 {"Freudenberg", 17},
                                                                 {"Bad Laasphe", 13},
                                                                 {"Erndtebrück", 7},
                                                                 {"Neunkirchen", 13}}};
constexpr std::array<Town, 7> kKreisOlpeTowns = {{{"Olpe", 24},
                                                  {"Attendorn", 24},
                                                  {"Lennestadt", 25},
                                                  {"Finnentrop", 17},
                                                  {"Drolshagen", 12},
                                                  {"Wenden", 19},
                                                  {"Kirchhundem", 11}}};
constexpr std::array<Town, 12> kHochsauerlandkreisTowns = {{{"Meschede", 30},
                                                            {"Arnsberg", 73},
                                                            {"Brilon", 25},
                                                            {"Schmallenberg", 25},
                                                            {"Sundern", 27},
                                                            {"Winterberg", 12},
                                                            {"Medebach", 8},
                                                            {"Hallenberg", 4},
                                                            {"Olsberg", 14},
                                                            {"Bestwig", 10},
                                                            {"Eslohe", 9},
                                                            {"Marsberg", 19}}};
constexpr std::array<Town, 15> kMaerkischerKreisTowns = {{{"Lüdenscheid", 72},
                                                          {"Iserlohn", 92},
                                                          {"Menden", 52},
                                                          {"Hemer", 34},
                                                          {"Plettenberg", 25},
                                                          {"Altena", 16},
                                                          {"Meinerzhagen", 20},
                                                          {"Kierspe", 16},
                                                          {"Halver", 16},
                                                          {"Schalksmühle", 10},
                                                          {"Neuenrade", 12},
                                                          {"Werdohl", 17},
                                                          {"Balve", 11},
                                                          {"Herscheid", 7},
                                                          {"Nachrodt-Wiblingwerde", 6}}};
constexpr std::array<Town, 9> kKreisSoestTowns = {{{"Soest", 48},
                                                   {"Lippstadt", 68},
                                                   {"Werl", 31},
                                                   {"Warstein", 25},
                                                   {"Erwitte", 16},
                                                   {"Geseke", 21},
                                                   {"Rüthen", 11},
                                                   {"Bad Sassendorf", 12},
                                                   {"Möhnesee", 12}}};
constexpr std::array<Town, 4> kLandkreisGiessenTowns = {
    {{"Gießen", 90}, {"Pohlheim", 18}, {"Lich", 14}, {"Grünberg", 14}}};
constexpr std::array<Town, 3> kLahnDillKreisTowns = {
    {{"Wetzlar", 53}, {"Dillenburg", 23}, {"Herborn", 21}}};
constexpr std::array<Town, 3> kLandkreisMarburgBiedenkopfTowns = {
    {{"Marburg", 77}, {"Stadtallendorf", 21}, {"Biedenkopf", 14}}};
constexpr std::array<Town, 2> kLandkreisFuldaTowns = {{{"Fulda", 69}, {"Künzell", 17}}};
constexpr std::array<Town, 2> kVogelsbergkreisTowns = {{{"Lauterbach", 14}, {"Alsfeld", 16}}};
constexpr std::array<Town, 1> kDresdenTowns = {{{"Dresden", 560}}};
constexpr std::array<Town, 5> kLandkreisZwickauTowns = {{{"Zwickau", 87},
                                                         {"Limbach-Oberfrohna", 24},
                                                         {"Glauchau", 22},
                                                         {"Werdau", 20},
                                                         {"Crimmitschau", 18}}};
constexpr std::array<Town, 4> kLandkreisMeissenTowns = {
    {{"Meißen", 28}, {"Radebeul", 34}, {"Riesa", 30}, {"Coswig", 21}}};
constexpr std::array<Town, 3> kLandkreisSaechsischeSchweizOsterzgebirgeTowns = {
    {{"Pirna", 39}, {"Freital", 40}, {"Heidenau", 16}}};

const std::array<District, 5> kSuedwestfalen = {{
    {"Kreis Siegen-Wittgenstein", "DE-NW", 57072, "271", false, kKreisSiegenWittgensteinTowns},
    {"Kreis Olpe", "DE-NW", 57462, "2761", false, kKreisOlpeTowns},
    {"Hochsauerlandkreis", "DE-NW", 59872, "291", false, kHochsauerlandkreisTowns},
    {"Märkischer Kreis", "DE-NW", 58507, "2351", false, kMaerkischerKreisTowns},
    {"Kreis Soest", "DE-NW", 59494, "2921", false, kKreisSoestTowns},
}};
const std::array<District, 5> kHessen = {{
    {"Landkreis Gießen", "DE-HE", 35390, "641", false, kLandkreisGiessenTowns},
    {"Lahn-Dill-Kreis", "DE-HE", 35578, "6441", false, kLahnDillKreisTowns},
    {"Landkreis Marburg-Biedenkopf", "DE-HE", 35037, "6421", false,
     kLandkreisMarburgBiedenkopfTowns},
    {"Landkreis Fulda", "DE-HE", 36037, "661", false, kLandkreisFuldaTowns},
    {"Vogelsbergkreis", "DE-HE", 36341, "6641", false, kVogelsbergkreisTowns},
}};
const std::array<District, 4> kSachsen = {{
    {"Dresden", "DE-SN", 1067, "351", true, kDresdenTowns},
    {"Landkreis Zwickau", "DE-SN", 8056, "375", false, kLandkreisZwickauTowns},
    {"Landkreis Meißen", "DE-SN", 1662, "3521", false, kLandkreisMeissenTowns},
    {"Landkreis Sächsische Schweiz-Osterzgebirge", "DE-SN", 1796, "3501", false,
     kLandkreisSaechsischeSchweizOsterzgebirgeTowns},
}};
const std::array<District, 54> kNordrheinWestfalen = {{
    {"Köln", "DE-NW", 50667, "221", true, kKoelnTowns},
    {"Düsseldorf", "DE-NW", 40210, "211", true, kDuesseldorfTowns},
    {"Dortmund", "DE-NW", 44135, "231", true, kDortmundTowns},
    {"Essen", "DE-NW", 45127, "201", true, kEssenTowns},
    {"Duisburg", "DE-NW", 47051, "203", true, kDuisburgTowns},
    {"Bochum", "DE-NW", 44787, "234", true, kBochumTowns},
    {"Wuppertal", "DE-NW", 42103, "202", true, kWuppertalTowns},
    {"Bielefeld", "DE-NW", 33602, "521", true, kBielefeldTowns},
    {"Bonn", "DE-NW", 53111, "228", true, kBonnTowns},
    {"Münster", "DE-NW", 48143, "251", true, kMuensterTowns},
    {"Mönchengladbach", "DE-NW", 41061, "2161", true, kMoenchengladbachTowns},
    {"Gelsenkirchen", "DE-NW", 45879, "209", true, kGelsenkirchenTowns},
    {"Aachen", "DE-NW", 52062, "241", true, kAachenTowns},
    {"Krefeld", "DE-NW", 47798, "2151", true, kKrefeldTowns},
    {"Oberhausen", "DE-NW", 46045, "208", true, kOberhausenTowns},
    {"Hagen", "DE-NW", 58095, "2331", true, kHagenTowns},
    {"Hamm", "DE-NW", 59065, "2381", true, kHammTowns},
    {"Mülheim an der Ruhr", "DE-NW", 45468, "208", true, kMuelheimanderRuhrTowns},
    {"Leverkusen", "DE-NW", 51373, "214", true, kLeverkusenTowns},
    {"Solingen", "DE-NW", 42651, "212", true, kSolingenTowns},
    {"Herne", "DE-NW", 44623, "2323", true, kHerneTowns},
    {"Bottrop", "DE-NW", 46236, "2041", true, kBottropTowns},
    {"Remscheid", "DE-NW", 42853, "2191", true, kRemscheidTowns},
    {"Rhein-Kreis Neuss", "DE-NW", 41460, "2131", false, kRheinKreisNeussTowns},
    {"Rhein-Sieg-Kreis", "DE-NW", 53721, "2241", false, kRheinSiegKreisTowns},
    {"Kreis Recklinghausen", "DE-NW", 45657, "2361", false, kKreisRecklinghausenTowns},
    {"Kreis Paderborn", "DE-NW", 33098, "5251", false, kKreisPaderbornTowns},
    {"Kreis Gütersloh", "DE-NW", 33330, "5241", false, kKreisGueterslohTowns},
    {"Kreis Unna", "DE-NW", 59423, "2303", false, kKreisUnnaTowns},
    {"Ennepe-Ruhr-Kreis", "DE-NW", 58332, "2336", false, kEnnepeRuhrKreisTowns},
    {"Kreis Mettmann", "DE-NW", 40822, "2104", false, kKreisMettmannTowns},
    {"Rhein-Erft-Kreis", "DE-NW", 50126, "2271", false, kRheinErftKreisTowns},
    {"Kreis Düren", "DE-NW", 52349, "2421", false, kKreisDuerenTowns},
    {"Kreis Viersen", "DE-NW", 41747, "2162", false, kKreisViersenTowns},
    {"Kreis Wesel", "DE-NW", 46483, "281", false, kKreisWeselTowns},
    {"Kreis Kleve", "DE-NW", 47533, "2821", false, kKreisKleveTowns},
    {"Kreis Borken", "DE-NW", 46325, "2861", false, kKreisBorkenTowns},
    {"Kreis Steinfurt", "DE-NW", 48565, "2551", false, kKreisSteinfurtTowns},
    {"Kreis Coesfeld", "DE-NW", 48653, "2541", false, kKreisCoesfeldTowns},
    {"Kreis Warendorf", "DE-NW", 48231, "2581", false, kKreisWarendorfTowns},
    {"Kreis Herford", "DE-NW", 32052, "5221", false, kKreisHerfordTowns},
    {"Kreis Minden-Lübbecke", "DE-NW", 32423, "571", false, kKreisMindenLuebbeckeTowns},
    {"Kreis Lippe", "DE-NW", 32756, "5231", false, kKreisLippeTowns},
    {"Oberbergischer Kreis", "DE-NW", 51643, "2261", false, kOberbergischerKreisTowns},
    {"Rheinisch-Bergischer Kreis", "DE-NW", 51465, "2202", false, kRheinischBergischerKreisTowns},
    {"Kreis Heinsberg", "DE-NW", 52525, "2452", false, kKreisHeinsbergTowns},
    {"Städteregion Aachen", "DE-NW", 52222, "2402", false, kStaedteregionAachenTowns},
    {"Kreis Euskirchen", "DE-NW", 53879, "2251", false, kKreisEuskirchenTowns},
    {"Kreis Höxter", "DE-NW", 37671, "5271", false, kKreisHoexterTowns},
    {"Kreis Siegen-Wittgenstein", "DE-NW", 57072, "271", false, kKreisSiegenWittgensteinTowns},
    {"Kreis Olpe", "DE-NW", 57462, "2761", false, kKreisOlpeTowns},
    {"Hochsauerlandkreis", "DE-NW", 59872, "291", false, kHochsauerlandkreisTowns},
    {"Märkischer Kreis", "DE-NW", 58507, "2351", false, kMaerkischerKreisTowns},
    {"Kreis Soest", "DE-NW", 59494, "2921", false, kKreisSoestTowns},
}};

}  // namespace

std::span<const District> SuedwestfalenDistricts() { return kSuedwestfalen; }
std::span<const District> HessenDistricts() { return kHessen; }
std::span<const District> SachsenDistricts() { return kSachsen; }
std::span<const District> NordrheinWestfalenDistricts() { return kNordrheinWestfalen; }

}  // namespace rebook::generator::internal
