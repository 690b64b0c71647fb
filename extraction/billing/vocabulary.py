# ruff: noqa: E501  (word lists read better one tradition a line)
"""The words contracts use for billing fields, by field and language: data, not code paths.

The extractor's patterns interpolate these lists, so a word a contract tradition uses is
added here once and every rule that reads that field knows it. Entries are regular
expression fragments (lower case, matched case-insensitively, whitespace as ``\\s+``).
English entries cover US, UK, AU/NZ, CA, IN, SG, ZA, IE, Gulf and government procurement
drafting; then German (de), French (fr), Spanish (es), Dutch (nl), Italian (it),
Portuguese (pt), Swedish/Norwegian/Danish (sv/no/da) and Polish (pl).

What each list is for:

``RATE_UNIT_WORDS``
    the unit of time after "per" ("per Tag", "par jour", "za godzinę").
``PER_WORDS``
    the word that joins a rate to its unit ("per", "par", "pro", "je", "por", "za", "pr.").
``RATE_LABELS``
    a label naming a rate and its unit before the figure ("Tagessatz", "taux journalier").
``TOTAL_LABELS``
    a label naming a fixed or total price ("Festpreis", "prix forfaitaire", "Tender Sum").
``CAP_LABELS``
    a label naming a ceiling on the fees ("Kostenobergrenze", "montant maximum", "takpris").
``IS_WORDS``
    the verb or preposition between such a label and its amount ("beträgt", "est de", "wynosi").
``CAP_AFTER``
    a cap said after its amount ("auf 80.000 € begrenzt", "45 000 € HT maximum").
``PRICE_WORDS``
    a plain price word, a weak total anchor as "fee of" is in English ("die Vergütung beträgt").
``BILLED_AT``
    "billed at" before a rate's figure ("fatturate a", "à razão de", "debiteras med").
``FOR_ROLE`` / ``ROLE_WORDS``
    "for" before a role after a rate ("pour un consultant junior"), and roles in those languages.
``TERM_START_WORDS`` / ``TERM_END_WORDS``
    a verb that starts or ends the term before its date ("beginnt am", "prend fin le", "kończy się").
``MODEL_WORDS``
    the pricing basis in those languages ("Festpreis", "en régie", "löpande räkning", "ryczałt").
``PAY_VERBS``
    "will pay" in those languages ("pagará", "zahlt", "zapłaci").
``FEE_HEADINGS``
    a heading (or a word in a sentence) that puts the text around it in fee context.
``PAYMENT_TERM_LABELS``
    a label before "N days" that makes it a payment term ("Zahlungsziel", "Paiement", "termin płatności").
``WITHIN_WORDS``
    "within" before "N days" ("innerhalb von", "sous", "entro", "w ciągu").
``INVOICE_WORDS``
    the invoice the days count from ("Rechnungseingang", "date de facture", "faktury").
``DAY_WORDS``
    "days" in the languages above (with their inflections).
``EXPENSE_WORDS`` / ``EXPENSES_INCLUDED`` / ``EXPENSES_BILLED``
    expenses in those languages, and the words that include them in the price or bill them on.
``PRICE_COLUMNS`` / ``TOTAL_ROWS`` / ``TAX_WORDS``
    a table's price column and closing total row in those languages, and taxes beside a fee.
``RETENTION_WORDS``
    money held back from payments until completion ("Einbehalt", "retenue de garantie").
``THAT_IS``
    "that is" between an estimated effort and its amount ("ofwel", "soit", "czyli").
``ABOUT_WORDS``
    approximators before an estimated amount ("in the order of", "rund", "environ").
``MONTHLY_WORDS``
    invoicing once a month in those languages ("al final de cada mes", "co miesiąc").
``SCHEDULE_LABELS``
    a schedule's label line ("Échéancier de paiement :", "in drei Raten fällig:").
``BIWEEKLY_WORDS`` / ``LATE_WORDS`` / ``PER_MONTH_WORDS`` / ``PER_YEAR_WORDS``
    invoicing every second week, late-payment interest and its period, in those languages.
``IMMEDIATE_WORDS``
    payment on receipt of the invoice in those languages ("sofort ohne Abzug fällig").
``AS_FOLLOWS``
    "as follows" before a schedule's items ("da seguinte forma:", "wie folgt:").
``EVENT_WORDS``
    the billing event after a share ("à la signature", "bij opdracht", "na acceptatie").
``TERM_LABELS``
    a label naming the term ("Term", "Laufzeit", "durée", "looptijd", "okres obowiązywania").
``TERM_RANGES``
    the from/to words of a period ("vom … bis …", "du … au …", "od … do …").
``MONTH_NAMES``
    month names and abbreviations by month number, for dates written in those languages.
"""

from __future__ import annotations

RATE_UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "hour": (
        "hour", "hr", "h",
        "stunde", "std\\.?",  # de
        "heure",  # fr
        "hora",  # es, pt
        "uur",  # nl
        "ora",  # it
        "timme", "time", "tim",  # sv, no/da
        "godzin[ęay]", "godz\\.?", "roboczogodzin[ęay]",  # pl
    ),
    "day": (
        "day", "diem",
        "tag", "arbeitstag", "personentag", "manntag",  # de
        "jour", "jour[\\s-]homme", "homme[\\s-]jour",  # fr
        "d[ií]a", "jornada",  # es, pt
        "dag", "werkdag", "mandag",  # nl, sv/no/da
        "giorno", "giornata", "giornata/uomo",  # it
        "dzie[nń]", "dniówk[ęa]", "osobodzie[nń]",  # pl
    ),
    "week": ("week", "wk", "woche", "semaine", "semana", "settimana", "vecka", "uke", "uge", "tydzie[nń]"),
    "month": (
        "month", "mo", "monat", "mois", "mes", "m[eê]s", "maand", "mese", "m[åa]nad", "m[åa]ned", "miesi[aą]c",
    ),
}  # fmt: skip

PER_WORDS: tuple[str, ...] = (
    "per", "/", "an?", "each", "for\\s+each",
    "pro", "je",  # de
    "par", "de\\s+l'?",  # fr ("95 € de l'heure")
    "por", "al", "a\\s+la",  # es
    "per", "al", "alla",  # it
    "por", "ao", "à",  # pt
    "per", "pr\\.?", "om",  # nl, sv/no/da
    "za",  # pl
)  # fmt: skip

RATE_LABELS: dict[str, tuple[str, ...]] = {
    "hour": (
        "hourly\\s+(?:charge[\\s-]?out\\s+|billing\\s+|bill\\s+)?rates?", "charge[\\s-]?out\\s+rates?\\s+per\\s+hour",
        "stundens[äa]tze[ns]?", "stundens[äa]tze?", "stundenverrechnungss[äa]tze?",  # de
        "taux\\s+horaires?", "tarifs?\\s+horaires?",  # fr
        "tarifa\\s+(?:por\\s+hora|horaria)", "precio\\s+por\\s+hora", "valor\\s+(?:por\\s+)?hora",  # es
        "uurtarie[fv]e?n?", "uurprijs",  # nl
        "tariffa\\s+oraria", "costo\\s+orario",  # it
        "taxa\\s+hor[aá]ria", "valor\\s+(?:da\\s+)?hora(?:\\s+t[eé]cnica)?",  # pt
        "timpris(?:er|et|erna)?", "timarvode", "timtaxa", "timesats(?:er)?", "timepris(?:er)?", "timeløn",  # sv/no/da
        "hourly\\s+(?:tariffs?|fees|charges)", "tarifas\\s+(?:por\\s+hora|horarias)",
        "stawk[aięio]\\s+godzinow[aąeyj]+", "stawk[aię]\\s+za\\s+(?:jedn[aą]\\s+)?(?:roboczo)?godzin[ęe]",  # pl
    ),
    "day": (
        "daily\\s+rates?", "day\\s+rates?", "per\\s+diem\\s+rates?", "man[\\s-]?day\\s+rates?", "person[\\s-]?day\\s+rates?",
        "tagess[äa]tze[ns]?", "tagess[äa]tze?", "tagessatzes",  # de
        "taux\\s+journaliers?", "tarifs?\\s+journaliers?", "tarif\\s+jour", "prix\\s+de\\s+journ[ée]e", "tjm",  # fr
        "tarifa\\s+diaria", "precio\\s+por\\s+d[ií]a",  # es
        "dagtarie[fv]e?n?", "dagprijs",  # nl
        "tariffa\\s+giornaliera", "costo\\s+giornaliero",  # it
        "taxa\\s+di[aá]ria", "valor\\s+di[aá]rio",  # pt
        "dagpris(?:er|et)?", "dagarvode", "dagsats(?:er)?", "dagspris(?:er)?",  # sv/no/da
        "daily\\s+(?:tariffs?|fees|charges)", "day\\s+tariffs?",
        "stawk[aięio]\\s+dzienn[aąeyj]+", "stawk[aię]\\s+za\\s+(?:jeden\\s+)?(?:osobodzie[nń]|dzie[nń](?:\\s+roboczy)?)",  # pl
    ),
    "week": ("weekly\\s+rates?", "wochensatz", "tarif\\s+hebdomadaire", "veckopris", "ukepris"),
    "month": ("monthly\\s+rates?", "monatssatz", "monatspauschale", "tarif\\s+mensuel", "tarifa\\s+mensual", "m[åa]nadspris"),
}  # fmt: skip

TOTAL_LABELS: tuple[str, ...] = (
    # English: fixed, total and contract prices as firms and procurement name them
    "tender\\s+sum", "contract\\s+sum", "agreed\\s+fee", "engagement\\s+fee", "professional\\s+fees?",
    "(?:purchase\\s+)?order\\s+value", "po\\s+value", "total\\s+contract\\s+value", "contract\\s+(?:value|price|amount)",
    "lump[\\s-]+sum\\s+price", "quoted\\s+price", "quotation\\s+amount",
    # de
    "festpreis", "pauschalpreis", "pauschalhonorar", "pauschalverg[üu]tung", "gesamtpreis", "gesamtverg[üu]tung",
    "gesamthonorar", "auftragswert", "verg[üu]tung\\s+pauschal",
    # fr
    "r[ée]mun[ée]ration\\s+(?:forfaitaire|globale|totale)", "prix\\s+(?:forfaitaire|global|total|ferme)", "montant\\s+(?:forfaitaire|global|total)",
    "honoraires?\\s+(?:forfaitaires?|globaux|global|totaux|total)", "forfait",
    # es
    "precio\\s+(?:fijo|cerrado|total|global)", "importe\\s+(?:total|fijo|global)", "honorarios\\s+(?:fijos|totales)",
    # nl
    "vaste\\s+prijs", "aanneemsom", "totaalprijs", "totale\\s+prijs", "vaste\\s+vergoeding",
    # it
    "compenso\\s+(?:complessivo|totale|forfettario|fisso)",
    "corrispettivo\\s+(?:forfettario|forfetario|complessivo|totale|fisso)", "prezzo\\s+(?:fisso|forfettario|complessivo|totale)",
    "importo\\s+(?:complessivo|totale)",
    # pt
    "pre[çc]o\\s+(?:fixo|global|total)", "valor\\s+(?:total|global|fixo)", "honor[aá]rios\\s+(?:fixos|totais)",
    # sv/no/da
    "fast\\s?pris", "totalpris", "samlet\\s+pris", "fast\\s+arvode", "fastpris", "(?:det\\s+)?fasta\\s+priset", "(?:den\\s+)?faste\\s+pris(?:en)?",
    # pl
    "wynagrodzenie\\s+(?:ryczałtowe|całkowite|łączne)", "cena\\s+(?:ryczałtowa|całkowita|łączna)",
)  # fmt: skip

CAP_LABELS: tuple[str, ...] = (
    "upper\\s+limit", "funding\\s+limit", "spending\\s+limit", "budget\\s+limit", "fee\\s+limit", "expenditure\\s+limit",
    "maximum\\s+(?:contract\\s+)?(?:value|amount|sum|price)", "not[\\s-]+to[\\s-]+exceed\\s+(?:amount|value|price)",
    # de
    "kostenobergrenze", "h[öo]chstbetrag", "kostendach", "obergrenze", "budgetobergrenze", "maximalbetrag",
    # fr
    "montant\\s+maximum", "montant\\s+maximal", "plafond", "dans\\s+la\\s+limite\\s+d'?(?:un|une)?\\s*(?:montant\\s+)?(?:maximum|maximal|global)?\\s*de",
    # es
    "importe\\s+m[aá]ximo", "presupuesto\\s+m[aá]ximo", "tope\\s+(?:m[aá]ximo\\s+)?de", "hasta\\s+un\\s+m[aá]ximo\\s+de",
    # nl
    "maximaal\\s+bedrag", "met\\s+een\\s+maximum\\s+van", "maximum\\s+van", "plafondbedrag", "ten\\s+hoogste",
    # it
    "importo\\s+massimo", "tetto\\s+massimo", "massimale",
    # pt
    "valor\\s+m[aá]ximo", "teto", "limite\\s+m[aá]ximo",
    # sv/no/da
    "takpris", "kostnadstak", "maxbelopp", "kostnadsramme", "maksimalbel[øo]p", "beløbsramme",
    # pl
    "ceiling\\s+(?:amount|value|sum)", "limitation\\s+of\\s+expenditure\\s+of", "subject\\s+to\\s+a\\s+(?:maximum|ceiling|cap)\\s+of",
    "begrenzt\\s+auf", "gedeckelt\\s+auf", "h[öo]chstens", "maximal",  # de
    "plafonn[ée]e?s?\\s+[àa]", "ne\\s+(?:pourra|peut|saurait)\\s+(?:pas\\s+)?(?:d[ée]passer|exc[ée]der)",  # fr
    "l[ií]mite\\s+m[aá]ximo\\s+de", "sin\\s+(?:poder\\s+)?superar", "no\\s+(?:podr[aá]\\s+)?(?:exceder|superar)",  # es
    "niet\\s+(?:te\\s+)?overschrijden", "maximaal",  # nl
    "fino\\s+a\\s+(?:un\\s+)?massimo\\s+di", "non\\s+potr[àa]\\s+(?:superare|eccedere)",  # it
    "n[ãa]o\\s+poder[aá]\\s+(?:exceder|ultrapassar)", "limitad[oa]\\s+a",  # pt
    "f[åa]r\\s+inte\\s+[öo]verstiga", "h[öo]gst", "maksimalt", "ikke\\s+overstige",  # sv/no/da
    "nie\\s+(?:mo[żz]e\\s+)?przekroczy[ćc]?", "maksymalnie",  # pl
    "maksymaln[ae]\\s+wynagrodzenie", "wynagrodzenie\\s+maksymalne", "kwot[ay]\\s+maksymaln[aej]", "do\\s+kwoty",
)  # fmt: skip

CAP_AFTER: tuple[str, ...] = (
    "begrenzt", "gedeckelt", "nicht\\s+[üu]berschritten",  # de ("ist auf 80.000 € begrenzt")
    "maximum", "au\\s+maximum", "maximale?",  # fr
    "como\\s+m[aá]ximo", "m[aá]ximo",  # es, pt
    "maximaal",  # nl
    "al\\s+massimo",  # it
)  # fmt: skip

IS_WORDS: tuple[str, ...] = (
    "is", "of", "shall\\s+be", "will\\s+be", "amounts\\s+to", ":", "=",
    "beträgt", "betragen", "von", "in\\s+h[öo]he\\s+von", "von\\s+insgesamt", "insgesamt",  # de
    "au\\s+total\\s+de", "en\\s+total\\s+de", "in\\s+totaal", "[łl][aą]cznie",
    "est\\s+de", "s'[ée]l[èe]ve\\s+[àa]", "de", "fix[ée]e?s?\\s+(?:forfaitairement\\s+)?[àa]",  # fr
    "es\\s+de", "asciende\\s+a", "ser[aá]\\s+de", "de",  # es
    "bedraagt", "van", "is",  # nl
    "è\\s+di", "[èe]\\s+pari\\s+a", "ammonta\\s+a", "di", "pari\\s+a",  # it
    "[ée]\\s+de", "ser[aá]\\s+de", "de",  # pt
    "är", "uppgår\\s+till", "om", "er", "på", "utgjør",  # sv/no/da
    "wynosi", "w\\s+wysoko[śs]ci", "w\\s+kwocie",  # pl
)  # fmt: skip

# A price word with no qualifier ("die Vergütung beträgt", "wynagrodzenie w kwocie"): a weak anchor,
# as "fee of" is in English.
PRICE_WORDS: tuple[str, ...] = (
    "verg[üu]tung", "honorar", "preis", "prix", "montant", "honoraires", "precio", "importe", "honorarios",
    "vergoeding", "prijs", "bedrag", "cantidad", "quantia", "somme", "corrispettivo", "compenso", "prezzo", "importo", "pre[çc]o", "valor",
    "honor[aá]rios", "arvode", "ers[äa]ttning", "pris", "vederlag", "wynagrodzenie", "cena", "kwot[aęy]",
)  # fmt: skip

# "billed at" in the other languages: a verb or phrase that leads to a rate's figure.
BILLED_AT: tuple[str, ...] = (
    "abgerechnet\\s+(?:zu|mit)", "berechnet\\s+(?:zu|mit)", "zum\\s+preis\\s+von", "zu\\s+einem\\s+satz\\s+von",  # de
    "factur[ée]e?s?\\s+(?:[àa]|au\\s+(?:tarif|taux)\\s+de)", "au\\s+(?:tarif|taux)\\s+de", "sur\\s+la\\s+base\\s+de",  # fr
    "facturar[aá]n?\\s+a", "facturad[oa]s?\\s+a", "a\\s+raz[oó]n\\s+de", "al\\s+precio\\s+de",  # es
    "gefactureerd\\s+(?:tegen|[àa])", "tegen\\s+(?:een\\s+)?(?:tarief\\s+van)?",  # nl
    "fatturat[eoia]\\s+a", "al\\s+prezzo\\s+di", "alla\\s+tariffa\\s+di",  # it
    "remunerad[oa]s?\\s+(?:[àa]\\s+raz[ãa]o\\s+de|a|por)", "al\\s+costo\\s+di", "al\\s+costo\\s+unitario\\s+di", "[àa]\\s+raz[ãa]o\\s+de", "cobrad[oa]s?\\s+a",  # pt
    "debiteras\\s+(?:med|till)", "faktureras\\s+(?:med|till)", "faktureres\\s+(?:med|til)", "afregnes\\s+(?:med|til)",  # sv/no/da
    "wed[łl]ug\\s+stawki", "po\\s+stawce", "rozliczan[ea]\\s+(?:wed[łl]ug|po)",  # pl
)  # fmt: skip

# "for" before a role after a rate ("600 € HT pour un consultant junior", "125 € für Berater").
FOR_ROLE: tuple[str, ...] = (
    "for", "pour(?:\\s+(?:un|une|le|la|les))?", "f[üu]r(?:\\s+(?:einen|eine|den|die|das))?",
    "para(?:\\s+(?:un|una|el|la|o|a|os|as))?", "voor(?:\\s+(?:een|de|het))?", "per\\s+(?:un|una|il|la|lo)",
    "dla", "f[öo]r(?:\\s+(?:en|ett))?",
)  # fmt: skip

# Roles named in the other languages, beside the English ones.
ROLE_WORDS: tuple[str, ...] = (
    "berater", "entwickler", "projektleiter", "fachexperte", "consultante?", "d[ée]veloppeur", "chef\\s+de\\s+projet",
    "consultor[ae]?", "desarrollador", "adviseur", "ontwikkelaar", "consulente", "sviluppatore",
    "konsult", "konsulent", "seniorkonsulent", "utvecklare", "specjalist[a-z]*", "konsultant", "programista",
)  # fmt: skip

# The pricing basis in the other languages (the English cues are the extractor's own).
MODEL_WORDS: dict[str, tuple[str, ...]] = {
    "fixed_fee": (
        "festpreis\\w*", "pauschal(?:preis|honorar|verg[üu]tung|betrag)?", "zum\\s+festpreis",  # de
        "prix\\s+forfaitaire", "forfaitaire(?:ment)?", "au\\s+forfait", "prix\\s+ferme\\s+et\\s+d[ée]finitif",  # fr
        "precio\\s+(?:fijo|cerrado)", "(?:a\\s+)?tanto\\s+alzado", "suma\\s+alzada", "(?:cantidad|suma)\\s+cerrada", "importe\\s+cerrado", "honorarios\\s+(?:fijos|cerrados)",  # es
        "vaste\\s+(?:prijs|vergoeding|aanneemsom)", "aanneemsom",  # nl
        "prezzo\\s+(?:fisso|forfettario|a\\s+corpo)", "corrispettivo\\s+(?:forfettario|forfetario|fisso)", "a\\s+corpo",  # it
        "pre[çc]o\\s+(?:fixo|global\\s+fixo)", "empreitada\\s+(?:por\\s+)?pre[çc]o\\s+global",  # pt
        "fast\\s?pris", "fast\\s+(?:arvode|honorar|vederlag)",  # sv/no/da
        "wynagrodzeni[ea]\\s+rycza[łl]towe\\w*", "rycza[łl]t\\w*",  # pl
    ),
    # a flat fee per month for a running service, in English drafting a retainer
    "retainer": (
        "monatliche[nr]?\\s+(?:pauschale|festverg[üu]tung|grundgeb[üu]hr)", "monatspauschale", "forfait\\s+mensuel",
        "redevance\\s+mensuelle", "cuota\\s+(?:fija\\s+)?mensual", "tarifa\\s+plana\\s+mensual", "igualas?\\s+mensual(?:es)?",
        "vast\\s+maandbedrag", "maandelijkse\\s+(?:vaste\\s+)?vergoeding", "canone\\s+mensile", "avença\\s+mensal",
        "mensalidade\\s+fixa", "fast\\s+m[åa]nads(?:arvode|avgift)", "m[åa]nedlig\\s+fast\\s+(?:honorar|vederlag)",
        "rycza[łl]t\\s+miesi[eę]czny", "miesi[eę]czne\\s+wynagrodzenie\\s+rycza[łl]towe", "abonament\\s+miesi[eę]czny",
    ),
    "time_and_materials": (
        "tats[äa]chlich(?:e[nr]?)?\\s+(?:aufwand|stunden|geleistete[nr]?\\s+stunden)", "temps\\s+pass[ée]",
        "horas\\s+efectivamente\\s+(?:dedicadas|trabajadas|prestadas)", "tiempo\\s+efectivamente\\s+dedicado",
        "ore\\s+effettivamente\\s+(?:prestate|lavorate)", "horas\\s+efetivamente\\s+trabalhadas",
        "faktiskt\\s+nedlagd\\s+tid", "faktisk\\s+medg[åa]tt\\s+tid", "rzeczywi[śs]cie\\s+przepracowan\\w+\\s+godzin",
        "nach\\s+zeitaufwand", "auf\\s+zeitbasis",
        "nach\\s+(?:tats[äa]chlichem\\s+)?aufwand\\s+(?:abgerechnet|verg[üu]tet|berechnet)", "auf\\s+stundenbasis",  # de
        "en\\s+r[ée]gie", "au\\s+temps\\s+pass[ée]",  # fr
        "por\\s+administraci[oó]n", "por\\s+horas\\s+(?:efectivamente\\s+)?trabajadas",  # es
        "op\\s+basis\\s+van\\s+nacalculatie", "op\\s+uurbasis", "tegen\\s+uurtarief",  # nl
        "a\\s+consuntivo", "a\\s+tempo\\s+e\\s+materiali", "remunerat[ei]\\s+a\\s+giornata", "a\\s+giornata",  # it
        "por\\s+hora\\s+trabalhada", "por\\s+horas\\s+trabalhadas", "por\\s+administra[çc][ãa]o",  # pt
        "l[öo]pande\\s+r[äa]kning", "debiteras\\s+l[öo]pande", "etter\\s+medg[åa]tt\\s+tid", "efter\\s+medg[åa]et\\s+tid", "p[åa]\\s+timebasis",  # sv/no/da
        "faktycznie\\s+przepracowanych\\s+godzin", "rozliczeni[ea]\\s+(?:godzinowe|wed[łl]ug\\s+stawek|wed[łl]ug\\s+faktycznie\\s+przepracowanych\\s+godzin)",  # pl
    ),
}  # fmt: skip

# "will pay" in the other languages: a sentence that pays an amount is about the fee.
PAY_VERBS: tuple[str, ...] = (
    "zahlt", "bezahlt", "zahlen", "paiera", "payera", "pagar[aá]", "pagar[aá]n", "abonar[aá]", "pagher[aà]", "corrisponder[aà]",
    "betaalt", "betalen", "betalar", "betaler", "zap[łl]aci", "wyp[łl]aci",
)  # fmt: skip

FEE_HEADINGS: tuple[str, ...] = (
    "verg[üu]tung", "honorar", "preis", "kosten", "zahlung",  # de
    "prix", "honoraires", "r[ée]mun[ée]ration", "tarifs?", "paiement", "facturation", "modalit[ée]s\\s+financi[èe]res",
    "conditions\\s+financi[èe]res", "[ée]ch[ée]ancier", "somme",  # fr
    "condiciones\\s+econ[óo]micas", "investimento", "condi[çc][õo]es\\s+comerciais", "condizioni\\s+economiche",
    "precio", "honorarios", "remuneraci[oó]n", "tarifas?", "pago", "facturaci[oó]n",  # es
    "vergoeding", "prijs", "tarieven", "betaling", "facturering", "honorarium",  # nl
    "corrispettiv[oi]", "compenso", "prezzo", "tariff[ae]", "pagamento", "fatturazione",  # it
    "pre[çc]o", "honor[aá]rios", "remunera[çc][ãa]o", "pagamento", "fatura[çc][ãa]o",  # pt
    "arvode", "pris", "ersättning", "betalning", "fakturering", "vederlag", "betaling", "honorar",  # sv/no/da
    "wynagrodzenie", "cena", "p[łl]atno[śs][ćc]", "rozliczenie", "stawki",  # pl
)  # fmt: skip

PAYMENT_TERM_LABELS: tuple[str, ...] = (
    "payment\\s+terms?", "terms\\s+of\\s+payment", "payables?", "payment\\s+period", "credit\\s+terms?",
    "zahlungsziel", "zahlungsfrist", "zahlungsbedingungen", "zahlbar", "zu\\s+(?:be)?zahlen",  # de
    "conditions\\s+de\\s+(?:paiement|r[èe]glement)", "modalit[ée]s\\s+de\\s+(?:paiement|r[èe]glement)",  # fr
    "condiciones\\s+de\\s+pago", "forma\\s+de\\s+pago",  # es
    "betalingsvoorwaarden", "condizioni\\s+di\\s+pagamento", "modalit[àa]\\s+di\\s+pagamento",  # nl, it
    "condi[çc][õo]es\\s+de\\s+pagamento", "warunki\\s+p[łl]atno[śs]ci",  # pt, pl
    "pay[ée]e?s?", "r[ée]gl[ée]e?s?",  # fr
    "pagad[oa]s?", "abonad[oa]s?", "pagaderas?", "pagaderos?", "pagar[aá]n?", "abonar[aá]n?",  # es
    "pagat[eoia]", "saldat[eoia]", "pagamenti", "effettuat[ie]",  # it
    "pag[oa]s", "efetuados?",  # pt
    "betaalbaar", "voldaan", "betalning", "betalas", "betales", "betalt",  # nl, sv/no/da
    "p[łl]atn[ey]", "p[łl]atno[śs][ćc]", "zap[łl]acon[ey]",  # pl
    "d[ée]lai\\s+de\\s+paiement", "paiement", "r[èe]glement",  # fr ("Paiement à 30 jours")
    "plazo\\s+de\\s+pago", "pago",  # es
    "betaaltermijn", "betalingstermijn", "betaling",  # nl
    "termini\\s+di\\s+pagamento", "pagamento",  # it, pt
    "prazo\\s+de\\s+pagamento",  # pt
    "betalningsvillkor", "betalningsvillkoren", "betalingsfrist", "betalingsbetingelser",  # sv/no/da
    "termin\\s+p[łl]atno[śs]ci",  # pl
)  # fmt: skip

WITHIN_WORDS: tuple[str, ...] = (
    "innerhalb(?:\\s+von)?", "binnen",  # de, nl
    "sous", "dans\\s+un\\s+d[ée]lai\\s+de", "au\\s+plus\\s+tard",  # fr
    "dentro\\s+de(?:\\s+los)?", "en\\s+(?:un|el)\\s+plazo\\s+(?:m[aá]ximo\\s+)?de", "a\\s+m[aá]s\\s+tardar",  # es
    "uiterlijk",  # nl
    "entro",  # it
    "no\\s+prazo\\s+de", "em\\s+at[ée]",  # pt
    "inom", "innen", "inden\\s+for", "senast", "senest",  # sv, no, da
    "w\\s+terminie", "w\\s+ci[aą]gu", "najp[óo][źz]niej",  # pl
)  # fmt: skip

INVOICE_WORDS: tuple[str, ...] = (
    "nota\\s+fiscal", "rechnung\\w*", "factur\\w*", "factuur\\w*", "fattur\\w*", "fatur\\w*", "faktur\\w*",
)  # fmt: skip

DAY_WORDS: tuple[str, ...] = (
    "days?", "tagen?", "tage", "jours?", "d[ií]as", "dias", "dagen", "dagar", "dager", "dagers", "dage", "dages", "giorni", "dni",
)  # fmt: skip

TERM_LABELS: tuple[str, ...] = (
    "term", "contract\\s+term", "engagement\\s+term", "period", "contract\\s+period", "engagement\\s+period",
    "duration", "period\\s+of\\s+(?:engagement|services)", "base\\s+year",
    "laufzeit", "vertragslaufzeit", "vertragsdauer", "leistungszeitraum", "dauer",  # de
    "dur[ée]e", "dur[ée]e\\s+du\\s+contrat", "p[ée]riode",  # fr
    "duraci[oó]n", "vigencia", "plazo\\s+de\\s+ejecuci[oó]n", "periodo",  # es
    "looptijd", "duur", "contractperiode",  # nl
    "durata", "periodo\\s+di\\s+esecuzione",  # it
    "dura[çc][ãa]o", "vig[êe]ncia", "prazo\\s+de\\s+vig[êe]ncia",  # pt
    "l[öo]ptid", "avtalsperiod", "avtaleperiode", "varighet", "l[øo]betid", "aftaleperiode",  # sv/no/da
    "okres\\s+obowi[aą]zywania", "czas\\s+trwania", "termin\\s+realizacji", "okres",  # pl
)  # fmt: skip

# A cover block's or details schedule's label before the term's first or last day
# ("Commencement Date: 16 August 2027", "Start date | 1.9.2027", "Vertragsbeginn:", "Fin de mission :").
# A label of another date of the order ("Order Date", "Date of issue") is in neither list.
TERM_START_LABELS: tuple[str, ...] = (
    "start(?:ing)?(?:\\s+date)?", "commencement(?:\\s+date)?", "date\\s+of\\s+commencement", "effective\\s+date",
    "(?:services?|work|project|engagement|assignment|contract|order)\\s+start", "kick[\\s-]?off(?:\\s+date)?",
    "period\\s+(?:start|from)", "term\\s+start",
    "(?:vertrags|leistungs|projekt|auftrags|einsatz)?beginn", "start(?:termin|datum)", "laufzeitbeginn",  # de
    "d[ée]but(?:\\s+(?:de\\s+la\\s+mission|du\\s+mandat|des\\s+travaux|des\\s+prestations|du\\s+contrat))?",
    "date\\s+de\\s+(?:d[ée]but|d[ée]marrage|commencement|prise\\s+d'effet)", "d[ée]marrage",  # fr
    "(?:fecha\\s+de\\s+)?inicio(?:\\s+de\\s+(?:los\\s+trabajos|los\\s+servicios|la\\s+prestaci[oó]n))?", "comienzo",  # es
    "(?:ingangs|aanvangs|start)datum", "aanvang", "ingang",  # nl
    "(?:data\\s+(?:di|de)\\s+)?in[ií]cio(?:\\s+(?:attivit[àa]|dei\\s+servizi|dos\\s+servi[çc]os))?", "decorrenza",  # it, pt
    "startdatum", "(?:avtals|uppdrags)start", "oppstart", "startdato", "tilltr[äa]de",  # sv/no/da
    "(?:data\\s+)?rozpocz[ęe]cia(?:\\s+(?:prac|us[łl]ug|realizacji))?", "pocz[aą]tek",  # pl
)  # fmt: skip

TERM_END_LABELS: tuple[str, ...] = (
    "end(?:\\s+date)?", "expiry(?:\\s+date)?", "expiration(?:\\s+date)?", "completion(?:\\s+date)?",
    "(?:date|time)\\s+for\\s+(?:practical\\s+)?completion", "termination\\s+date", "finish(?:\\s+date)?",
    "(?:services?|work|project|engagement|assignment|contract|order)\\s+end", "period\\s+(?:end|to)", "term\\s+end",
    "final\\s+report(?:\\s+(?:by|due))?", "delivery\\s+of\\s+(?:the\\s+)?final\\s+report",
    "(?:vertrags|leistungs|projekt|auftrags|einsatz|laufzeit)?ende", "end(?:termin|datum)", "abschluss", "fertigstellung",  # de
    "fin(?:\\s+(?:de\\s+la\\s+mission|du\\s+mandat|des\\s+travaux|des\\s+prestations|du\\s+contrat))?",
    "date\\s+de\\s+(?:fin|cl[ôo]ture|livraison\\s+finale)", "(?:remise|livraison)\\s+du\\s+rapport\\s+final", "[ée]ch[ée]ance",  # fr
    "(?:fecha\\s+de\\s+)?(?:fin|finalizaci[oó]n|terminaci[oó]n)(?:\\s+de\\s+(?:los\\s+trabajos|los\\s+servicios))?", "entrega\\s+del\\s+informe\\s+final",  # es
    "(?:eind|opleverings)datum", "einde", "oplevering",  # nl
    "(?:data\\s+(?:di|de)\\s+)?(?:fine|scadenza|t[ée]rmino|conclus[ãa]o|conclusione)(?:\\s+(?:attivit[àa]|dei\\s+servizi|dos\\s+servi[çc]os))?",  # it, pt
    "slutdatum", "(?:avtals|uppdrags)slut", "slutdato", "sluttdato", "ophør",  # sv/no/da
    "(?:data\\s+)?zako[ńn]czenia(?:\\s+(?:prac|us[łl]ug|realizacji))?", "koniec", "termin\\s+zako[ńn]czenia",  # pl
)  # fmt: skip

# A stated duration of the term: its lead-in ("for a period of", "für die Dauer von", "pour une durée
# de"), its units by kind, and the word that ties it to its first day ("from", "ab", "à compter du").
PERIOD_LEAD_WORDS: tuple[str, ...] = (
    "period\\s+of", "for", "continue\\w*\\s+for", "term\\s+of", "duration\\s+of", "run\\s+for", "last\\s+for",
    "(?:term|duration)(?:\\s+of\\s+(?:this|the)\\s+(?:engagement|agreement|contract|sow|assignment|order))?\\s+(?:is|shall\\s+be|will\\s+be)",
    "(?:f[üu]r\\s+)?(?:die|eine)\\s+(?:dauer|laufzeit)\\s+von", "(?:laufzeit|dauer)\\s+(?:von|betr[äa]gt)", "l[äa]uft\\s+(?:f[üu]r\\s+)?",  # de
    "(?:pour\\s+)?une\\s+dur[ée]e\\s+(?:ferme\\s+)?(?:de|d')", "dur[ée]e\\s+(?:est\\s+)?de", "p[ée]riode\\s+de",  # fr
    "(?:por\\s+)?(?:un|el)\\s+(?:plazo|per[ií]odo|periodo)\\s+de", "duraci[oó]n\\s+(?:ser[aá]\\s+)?de", "durante",  # es
    "(?:voor\\s+)?(?:de|een)\\s+(?:duur|periode|looptijd)\\s+van", "looptijd\\s+van", "duur\\s+van",  # nl
    "per\\s+(?:la\\s+durata\\s+di|un\\s+periodo\\s+di)", "durata\\s+(?:[èe]\\s+)?di", "periodo\\s+di",  # it
    "pelo\\s+prazo\\s+de", "por\\s+(?:um\\s+)?(?:prazo|per[ií]odo)\\s+de", "prazo\\s+de", "dura[çc][ãa]o\\s+de",  # pt
    "under\\s+en\\s+period\\s+(?:av|om|på)", "för\\s+en\\s+period\\s+(?:av|om)", "i\\s+en\\s+periode\\s+(?:på|av)", "l[öo]ptid\\s+(?:om|på)", "l[øo]ber\\s+i",  # sv/no/da
    "na\\s+okres", "przez\\s+okres", "okres\\s+obowi[aą]zywania\\s+wynosi",  # pl
)  # fmt: skip

PERIOD_UNITS: dict[str, tuple[str, ...]] = {
    "month": (
        "calendar\\s+months?", "months?", "monate[n]?", "monat", "mois", "mes(?:es)?", "maand(?:en)?", "mes[ei]",
        "m[eê]s(?:es)?", "m[åa]nader", "m[åa]nad(?:er)?", "m[åa]ned(?:er)?", "miesi[ęe]cy", "miesi[aą]c[ea]?",
    ),
    "week": ("weeks?", "wochen?", "semaines?", "semanas?", "weken", "week", "settimane?", "veckor", "vecka", "uker?", "uger?", "tygodni(?:e)?", "tydzie[ńn]"),
    "year": ("years?", "jahre[n]?", "jahr", "ans?", "ann[ée]es?", "a[ñn]os?", "jaar", "jaren", "ann[oi]", "anos?", "[åa]r", "lat", "rok"),
}  # fmt: skip

PERIOD_FROM_WORDS: tuple[str, ...] = (
    "from", "commencing(?:\\s+on)?", "starting(?:\\s+on)?", "beginning(?:\\s+on)?", "with\\s+effect\\s+from",
    "ab(?:\\s+dem)?", "vom", "beginnend\\s+(?:am|mit\\s+dem)",  # de
    "[àa]\\s+compter\\s+du", "[àa]\\s+partir\\s+du",  # fr
    "a\\s+(?:partir|contar)\\s+(?:del|de|do|da)", "desde\\s+el",  # es, pt
    "vanaf", "met\\s+ingang\\s+van", "ingaande",  # nl
    "a\\s+(?:decorrere|partire)\\s+dal", "dal",  # it
    "fr[åa]n(?:\\s+och\\s+med)?", "fra(?:\\s+og\\s+med)?",  # sv/no/da
    "od(?:\\s+dnia)?", "licz[aą]c\\s+od(?:\\s+dnia)?",  # pl
)  # fmt: skip

# Small counts written out in the other languages ("doze meses", "zwölf Monate", "dix-huit mois").
FOREIGN_COUNTS: dict[int, tuple[str, ...]] = {
    1: ("einen?", "un[ea]?", "één", "een", "uno", "um", "uma", "ett", "en", "et", "jeden", "jeden"),
    2: ("zwei", "deux", "dos", "twee", "due", "dois", "duas", "två", "to", "dwa"),
    3: ("drei", "trois", "tres", "drie", "tre", "três", "tr[eê]s", "tre", "trzy"),
    4: ("vier", "quatre", "cuatro", "quattro", "quatro", "fyra", "fire", "cztery"),
    5: ("fünf", "cinq", "cinco", "vijf", "cinque", "fem", "pi[ęe][ćc]"),
    6: ("sechs", "six", "seis", "zes", "sei", "sex", "seks", "sze[śs][ćc]"),
    7: ("sieben", "sept", "siete", "zeven", "sette", "sete", "sju", "syv", "siedem"),
    8: ("acht", "huit", "ocho", "otto", "oito", "åtta", "otte", "åtte", "osiem"),
    9: ("neun", "neuf", "nueve", "negen", "nove", "nio", "ni", "dziewi[ęe][ćc]"),
    10: ("zehn", "dix", "diez", "tien", "dieci", "dez", "tio", "ti", "dziesi[ęe][ćc]"),
    11: ("elf", "onze", "once", "undici", "elva", "elleve", "jedena[śs]cie"),
    12: ("zwölf", "zwoelf", "douze", "doce", "twaalf", "dodici", "doze", "tolv", "dwana[śs]cie"),
    18: ("achtzehn", "dix-huit", "dieciocho", "achttien", "diciotto", "dezoito", "arton", "atten", "osiemna[śs]cie"),
    24: ("vierundzwanzig", "vingt-quatre", "veinticuatro", "vierentwintig", "ventiquattro", "vinte\\s+e\\s+quatro", "tjugofyra", "tjuefire", "dwadzie[śs]cia\\s+cztery"),
    36: ("sechsunddreißig", "trente-six", "treinta\\s+y\\s+seis", "zesendertig", "trentasei", "trinta\\s+e\\s+seis", "trettiosex", "trettiseks", "trzydzie[śs]ci\\s+sze[śs][ćc]"),
}  # fmt: skip

# A verb that starts or ends the term before its date ("beginnt am", "prend effet le", "endet am").
TERM_START_WORDS: tuple[str, ...] = (
    "beginnt\\s+(?:am|mit\\s+dem)", "tritt\\s+am", "ab\\s+dem", "mit\\s+wirkung\\s+(?:vom|zum|ab\\s+dem)",  # de
    "prend\\s+effet\\s+(?:le|[àa]\\s+compter\\s+du)", "commence\\s+le", "d[ée]bute\\s+le", "[àa]\\s+compter\\s+du", "[àa]\\s+partir\\s+du",  # fr
    "comienza\\s+el", "entra(?:r[aá])?\\s+en\\s+vigor\\s+el", "iniciar[aá]\\s+el", "a\\s+partir\\s+del",  # es
    "begint\\s+op", "gaat\\s+in\\s+op", "ingaande", "met\\s+ingang\\s+van", "(?:starten|beginnen|start)\\s+op",  # nl
    "inizia\\s+il", "decorre\\s+dal", "a\\s+partire\\s+dal", "a\\s+decorrere\\s+dal",  # it
    "inicia(?:r[aá])?\\s+em", "a\\s+partir\\s+de", "com\\s+in[ií]cio\\s+em",  # pt
    "b[öo]rjar\\s+(?:att\\s+g[äa]lla\\s+)?(?:den\\s+)?", "fr[åa]n\\s+och\\s+med", "starter\\s+(?:den\\s+)?", "g[æa]lder\\s+fra\\s+(?:den\\s+)?",  # sv/no/da
    "rozpoczyna\\s+si[ęe]", "obowi[aą]zuje\\s+od", "od\\s+dnia",  # pl
    "beginnen\\s+am", "startet\\s+am", "d[ée]buteront\\s+le", "d[ée]marre(?:ra)?\\s+le",  # de, fr
    "comenzar[aá]n?\\s+el", "empezar[aá]n?\\s+el", "se\\s+iniciar[aá]n?\\s+el", "avr[àa]\\s+inizio\\s+il", "inizier[àa]\\s+il",  # es, it
    "come[çc]ar[aá]o?\\s+em", "p[åa]b[öo]rjas(?:\\s+den)?", "inleds(?:\\s+den)?", "startar(?:\\s+den)?", "rozpocznie\\s+si[ęe]",  # pt, sv, pl
)  # fmt: skip

TERM_END_WORDS: tuple[str, ...] = (
    "endet\\s+am", "bis\\s+(?:zum|einschlie[ßs]lich)",  # de
    "se\\s+termine\\s+le", "prend\\s+fin\\s+le", "jusqu'au",  # fr
    "finaliza(?:r[aá])?\\s+el", "terminar[aá]\\s+el", "termina\\s+el", "hasta\\s+el",  # es
    "eindigt\\s+op", "tot\\s+en\\s+met", "af\\s+op", "(?:afgerond|opgeleverd|klaar)\\s+op",  # nl
    "termina\\s+il", "scade\\s+il", "fino\\s+al",  # it
    "terminar[aá]\\s+em", "termina\\s+em", "at[ée]",  # pt
    "slutar\\s+(?:att\\s+g[äa]lla\\s+)?(?:den\\s+)?", "till\\s+och\\s+med", "slutter\\s+(?:den\\s+)?", "udl[øo]ber\\s+(?:den\\s+)?",  # sv/no/da
    "ko[ńn]czy\\s+si[ęe]", "do\\s+dnia",  # pl
    "enden\\s+am", "abgeschlossen\\s+(?:am|bis\\s+zum)", "s'ach[èe]ve(?:ra|ront|nt)?\\s+le", "prendr(?:a|ont)\\s+fin\\s+le",  # de, fr
    "finalizar[aá]n\\s+el", "concluir[aá]n?\\s+el", "terminar[aá]n\\s+el", "terminer[àa]\\s+il", "si\\s+concluder[àa]\\s+il",  # es, it
    "(?:ska\\s+vara\\s+)?slutf[öo]r[dt]", "avslutas(?:\\s+den)?", "upph[öo]r(?:\\s+den)?", "zako[ńn]czy\\s+si[ęe]",  # sv, pl
)  # fmt: skip

# "at the latest" set between a term's verb and its date ("finalizarán, como muy tarde, el",
# "eindigt uiterlijk op", "ska vara slutfört senast"): read past, so the verb still dates the end.
LATEST_WORDS: tuple[str, ...] = (
    "at\\s+the\\s+latest", "no\\s+later\\s+than", "sp[äa]testens", "au\\s+plus\\s+tard", "como\\s+muy\\s+tarde",
    "a\\s+m[aá]s\\s+tardar", "uiterlijk", "al\\s+pi[uù]\\s+tardi", "o\\s+mais\\s+tardar", "senast", "senest", "najp[óo][źz]niej",
)  # fmt: skip

# Invoicing once a month in the other languages ("al final de cada mes", "chaque mois", "co miesiąc").
MONTHLY_WORDS: tuple[str, ...] = (
    "jeden\\s+monat", "zum\\s+monatsende", "monatsweise",  # de
    "chaque\\s+mois", "fin\\s+de\\s+(?:chaque\\s+)?mois", "mensuellement",  # fr
    "(?:al\\s+final\\s+de\\s+)?cada\\s+mes", "mensualmente", "mensual",  # es
    "elke\\s+maand", "maandelijks", "per\\s+maand",  # nl
    "ogni\\s+mese", "mensilmente", "mensile",  # it
    "cada\\s+m[êe]s", "mensalmente", "mensal", "mensais",  # pt
    "mensuales", "mensuels", "mensuelles", "mensili", "monatliche[nr]?",
    "varje\\s+m[åa]nad", "m[åa]nadsvis", "hver\\s+m[åa]ned", "m[åa]nedlig", "m[åa]natligen",  # sv/no/da
    "co\\s+miesi[aą]c", "miesi[eę]cznie", "raz\\s+w\\s+miesi[aą]cu",  # pl
    "einmal\\s+im\\s+monat", "une\\s+fois\\s+par\\s+mois", "una\\s+vez\\s+al\\s+mes", "cadenza\\s+mensile",
    "una\\s+volta\\s+al\\s+mese", "uma\\s+vez\\s+por\\s+m[êe]s", "en\\s+g[åa]ng\\s+(?:per|i)\\s+m[åa]naden?", "[ée][ée]n\\s+keer\\s+per\\s+maand",
)  # fmt: skip

# Expenses in the other languages, and how a contract says they are included or billed on.
EXPENSE_WORDS: tuple[str, ...] = (
    "reisekosten", "spesen", "auslagen", "nebenkosten",  # de
    "frais\\s+de\\s+(?:d[ée]placement|voyage|mission|s[ée]jour)", "d[ée]bours",  # fr
    "gastos\\s+de\\s+(?:viaje|desplazamiento|viaje\\s+y\\s+alojamiento)", "dietas",  # es
    "reiskosten", "onkosten", "verblijfkosten",  # nl
    "spese\\s+(?:di\\s+)?(?:viaggio|trasferta|vive)",  # it
    "despesas\\s+de\\s+(?:viagem|desloca[çc][ãa]o|estadia)",  # pt
    "resekostnader", "utl[äa]gg", "reisekostnader", "utlegg", "rejseudgifter", "rejseomkostninger",  # sv/no/da
    "koszty\\s+(?:podr[óo][żz]y|dojazdu|delegacji|przejazdu)",  # pl
)  # fmt: skip

EXPENSES_INCLUDED: tuple[str, ...] = (
    "(?:im|in\\s+den?)\\s+\\w+\\s+enthalten", "inbegriffen", "abgegolten",  # de
    "(?:inclus|compris)\\s+dans", "incluid[oa]s\\s+en", "inbegrepen\\s+in", "inclus[ei]\\s+nel",  # fr, es, nl, it
    "inclu[íi]d[oa]s\\s+n[oa]", "ing[åa]r\\s+i", "inkludert\\s+i", "indeholdt\\s+i", "wliczone\\s+w", "zawarte\\s+w",  # pt, sv/no/da, pl
)  # fmt: skip

EXPENSES_BILLED: tuple[str, ...] = (
    "nach\\s+(?:tats[äa]chlichem\\s+)?aufwand\\s+(?:erstattet|abgerechnet|berechnet)", "gesondert\\s+(?:berechnet|abgerechnet|erstattet)", "zus[äa]tzlich\\s+berechnet",  # de
    "refactur[ée]e?s?", "factur[ée]e?s?\\s+en\\s+sus", "au\\s+r[ée]el",  # fr
    "se\\s+facturar[aá]n\\s+(?:aparte|por\\s+separado)", "reembolsad[oa]s",  # es, pt
    "doorbelast", "apart\\s+in\\s+rekening\\s+gebracht",  # nl
    "rimborsat[ei]", "fatturat[ei]\\s+a\\s+parte",  # it
    "ers[äa]tts", "faktureras\\s+separat", "dekkes", "refunderes", "faktureres\\s+separat",  # sv/no/da
    "zwracane", "refundowane", "p[łl]atne\\s+osobno",  # pl
)  # fmt: skip

# Costs other than the fees, as a cost or expenses clause names them beside the words above
# ("Mileage ... and reproduction costs", "Third-party Costs", "gastos", "despesas", "koszty").
EXPENSE_COST_WORDS: tuple[str, ...] = (
    "mileage", "per\\s+diem", "third[\\s-]party\\s+costs", "reproduction\\s+costs", "lodging", "accommodation", "boarding",
    "direct\\s+costs", "reimbursables", "incidental\\s+costs",
    "gastos", "despesas", "desloca[çc][õo]es", "frais", "kosten", "koszty", "kostnader", "omkostninger", "resor", "spese",
)  # fmt: skip

# A price said to cover every cost, or costs said not to be billed ("Le forfait comprend l'ensemble
# des frais", "Wynagrodzenie obejmuje wszystkie koszty", "No separate travel ... charges shall be payable").
EXPENSES_NOT_BILLED: tuple[str, ...] = (
    "includ\\w*\\s+all\\s+(?:[\\w,'\\s-]{0,40}?\\s)?costs", "inclusive\\s+of\\s+all\\s+(?:[\\w,\\s-]{0,40}?\\s)?costs",
    "no\\s+separate\\s+[\\w\\s,]{0,50}?(?:charges|costs|expenses)\\s+(?:shall|will)\\s+be\\s+(?:payable|charged|billed|reimbursed)",
    "no\\s+[\\w\\s,]{0,40}?(?:costs|expenses|charges)\\s+(?:are|will\\s+be|shall\\s+be)\\s+(?:recoverable|reimbursable|payable|chargeable|billable|charged|billed|invoiced|reimbursed)",
    "includ\\w*\\s+all\\s+travel",
    "no\\s+claims?\\s+for\\s+(?:any\\s+)?additional\\s+costs", "(?:are|is)\\s+included\\s+in\\s+the\\s+(?:\\w+\\s+)?(?:fee|price|sum|retainer)",
    "(?:umfasst|beinhaltet|deckt)\\s+(?:alle|s[äa]mtliche)\\s+(?:kosten|auslagen|nebenkosten)", "(?:kosten|auslagen|spesen)\\b[^.;]{0,40}?\\bwerden\\s+nicht\\s+(?:gesondert\\s+)?(?:erstattet|verg[üu]tet|berechnet)",  # de
    "(?:comprend|inclut|couvre)\\s+(?:l'ensemble\\s+des|tous\\s+les)\\s+frais", "aucun\\s+frais\\s+ne\\s+sera\\s+(?:factur|rembours)\\w*",  # fr
    "(?:incluyen?|comprenden?|cubren?)\\s+(?:todos\\s+los|la\\s+totalidad\\s+de\\s+los)\\s+gastos", "no\\s+se\\s+(?:facturar|reembolsar)[aá]n\\s+gastos",  # es
    "(?:inclui|abrange|compreende)\\s+todas\\s+as\\s+despesas", "despesas\\b[^.;]{0,40}?\\bn[ãa]o\\s+(?:ser[ãa]o|s[ãa]o)\\s+(?:faturad|reembolsad)as",  # pt
    "omvat\\s+alle\\s+kosten", "inclusief\\s+alle\\s+(?:kosten|onkosten)", "kosten\\b[^.;]{0,40}?\\bworden\\s+niet\\s+(?:vergoed|doorbelast)",  # nl
    "(?:comprende|include)\\s+tutte\\s+le\\s+spese", "nessun\\s+rimborso\\s+(?:delle\\s+|di\\s+)?spese",  # it
    "inklusive\\s+(?:resor|resekostnader|alla\\s+kostnader)", "ers[äa]ttning\\s+f[öo]r\\s+\\w+\\s+utg[åa]r\\s+inte", "inkluderer\\s+alle\\s+(?:kostnader|omkostninger)",  # sv/no/da
    "obejmuje\\s+(?:wszystkie|wszelkie)\\s+koszty", "koszty\\b[^.;]{0,40}?\\bnie\\s+(?:s[aą]\\s+)?zwracane",  # pl
)  # fmt: skip

# Costs passed on to the client, beyond EXPENSES_BILLED ("we will charge you for disbursements",
# "se facturarán al coste", "são faturadas pelo custo", "passed through to the Client at cost").
EXPENSES_PASSED_ON: tuple[str, ...] = (
    "charge\\s+you\\s+for\\s+(?:\\w+\\s+){0,2}(?:disbursements|expenses|costs)", "passed\\s+through\\s+to\\s+[^.;]{0,30}?\\s+at\\s+cost",
    "billed\\s+at\\s+(?:actual\\s+)?cost", "(?:are|is)\\s+reimbursable", "at\\s+cost\\s+(?:plus|without\\s+mark-?up)",
    "(?:werden|wird)\\s+(?:zum\\s+selbstkostenpreis|zu\\s+selbstkosten)\\s+(?:berechnet|abgerechnet)",  # de
    "factur[ée]e?s\\s+au\\s+(?:co[ûu]t\\s+)?r[ée]el", "factur[ée]e?s\\s+[àa]\\s+prix\\s+co[ûu]tant",  # fr
    "(?:se\\s+)?facturar[aá]n\\s+al\\s+coste", "factur(?:ad|ar)[oa]s?\\s+al\\s+(?:coste|costo)",  # es
    "(?:s[ãa]o|ser[ãa]o)\\s+faturad[oa]s\\s+(?:pelo|ao)\\s+custo", "faturad[oa]s\\s+(?:pelo|ao)\\s+(?:seu\\s+)?custo",  # pt
    "tegen\\s+kostprijs", "a\\s+pi[eè]\\s+di\\s+lista", "till\\s+sj[äa]lvkostnad", "til\\s+kostpris", "wed[łl]ug\\s+rzeczywistych\\s+koszt[óo]w",
)  # fmt: skip

# Money held back from payments until completion ("Sicherheitseinbehalt", "retenue de garantie").
RETENTION_WORDS: tuple[str, ...] = (
    "retainage", "retention", "hold\\s*back", "holdback",
    "(?:sicherheits)?einbehalt", "retenue\\s+de\\s+garantie", "retenci[óo]n(?:\\s+de\\s+garant[íi]a)?",
    "inhouding", "ritenuta(?:\\s+di\\s+garanzia)?", "reten[çc][ãa]o", "kaucj[aię]\\s+gwarancyjn[aąe]",
    "kwot[aęy]\\s+zatrzyman[aąe]", "innehållande", "tilbakehold(?:else)?", "tilbageholdelse",
)  # fmt: skip

# A table column of prices or rates, and a table's closing total row, in the other languages.
PRICE_COLUMNS: tuple[str, ...] = (
    "tarief", "tarieven", "tarifs?", "tarifas?", "tariff[ae]", "satz", "s[äa]tze", "preis", "prix", "precio", "prezzo",
    "pre[çc]o", "pris", "stawk[ai]", "cena", "honorar", "betrag", "montant", "importe", "importo", "valor", "bedrag", "belopp",
)  # fmt: skip

# A payment schedule table's event and share columns in the other languages ("Anlass | Anteil |
# Betrag", "Jalon | Pourcentage | Montant", "Hito | Porcentaje | Importe").
MILESTONE_COLUMNS: tuple[str, ...] = (
    "anlass", "ereignis", "meilenstein", "zahlungsausl[öo]ser", "teilleistung", "jalon", "[ée]v[ée]nement", "[ée]tape",
    "hito", "evento", "mijlpaal", "gebeurtenis", "tappa", "marco", "etapa", "milstolpe", "delbetalning", "h[äa]ndelse",
    "milep[æa]l", "kamie[ńn]\\s+milowy", "etap", "zdarzenie",
)  # fmt: skip

SHARE_COLUMNS: tuple[str, ...] = (
    "anteil", "quote", "\\bpart\\b", "pourcentage", "porcentaje", "aandeel", "percentuale", "quota", "percentagem",
    "andel", "udzia[łl]", "procent",
)  # fmt: skip

# Liability, in the other languages: a cap on it is no cap on the fees ("Onze aansprakelijkheid is
# beperkt tot ... met een maximum van € 250.000").
LIABILITY_WORDS: tuple[str, ...] = (
    "liabilit\\w*", "haftung\\w*", "haftet", "responsabilit[ée]", "responsabilidad", "responsabilit[àa]", "responsabilidade",
    "aansprakelijk\\w*", "ansvar\\w*", "erstatningsansvar", "odpowiedzialno[śs][ćc]\\w*",
)  # fmt: skip

TOTAL_ROWS: tuple[str, ...] = (
    "gesamt(?:summe|betrag|preis)?", "summe", "total(?:e|t)?", "totaal", "montant\\s+total", "importe\\s+total",
    "importo\\s+totale", "valor\\s+total", "summa", "razem", "suma", "og[óo][łl]em",
)  # fmt: skip

# Taxes written beside a fee ("VAT at 20%", "HST (13%)", "MwSt.", "TVA", "IVA", "GST").
TAX_WORDS: tuple[str, ...] = (
    "vat", "gst", "hst", "pst", "qst", "tps", "tvq", "sales\\s+tax", "mwst\\.?", "ust\\.?", "umsatzsteuer",
    "tva", "iva", "btw", "moms", "mva", "vat/gst", "igst", "cgst", "sgst", "service\\s+tax", "consumption\\s+tax",
)  # fmt: skip

# "that is" between an estimated effort and its amount ("160 uur, ofwel ongeveer € 20.000").
THAT_IS: tuple[str, ...] = (
    "i\\.\\s?e\\.", "that\\s+is", "equivalent\\s+to", "corresponding\\s+to", "ofwel", "oftewel", "d\\.?\\s?w\\.?\\s?z\\.?",
    "d\\.\\s?h\\.", "das\\s+hei[ßs]t", "soit", "c'est-[àa]-dire", "es\\s+decir", "o\\s+sea", "ossia", "cio[èe]", "ou\\s+seja",
    "dvs\\.?", "det\\s+vil\\s+si", "czyli", "tj\\.", "som\\s+motsvarar",
)  # fmt: skip

# Approximators between an estimate's verb and its amount ("in the order of", "circa", "rund").
ABOUT_WORDS: tuple[str, ...] = (
    "approximately", "approx\\.?", "around", "about", "roughly", "circa", "c\\.", "some",
    "in\\s+the\\s+(?:order|region)\\s+of", "of\\s+the\\s+order\\s+of", "an\\s+estimated",
    "rund", "ca\\.", "etwa", "environ", "aproximadamente", "ongeveer", "circa", "cerca\\s+di", "cerca\\s+de", "ungef[äa]r", "omkring", "oko[łl]o",
)  # fmt: skip

# A schedule's label line ("Échéancier de paiement :", "wird in drei Raten fällig:", "Zahlungsplan:").
SCHEDULE_LABELS: tuple[str, ...] = (
    "zahlungsplan", "raten", "teilzahlungen", "abschlagszahlungen",  # de
    "[ée]ch[ée]ancier(?:\\s+de\\s+(?:paiement|facturation))?", "tranches", "[ée]ch[ée]ances",  # fr
    "calendario\\s+de\\s+pagos", "plazos", "hitos\\s+de\\s+pago",  # es
    "betaalschema", "betalingsschema", "termijnen",  # nl
    "(?:piano|calendario)\\s+dei\\s+pagamenti", "in\\s+(?:due|tre|quattro|cinque|sei)\\s+rate",  # it
    "cronograma\\s+de\\s+pagamentos?", "parcelas",  # pt
    "betalningsplan", "betalingsplan", "delbetalningar",  # sv/no/da
    "harmonogram\\s+p[łl]atno[śs]ci", "raty", "transze",  # pl
    "calendario\\s+de\\s+hitos", "hitos",  # es
    # "payable in three parts": a count of parts announces their list
    "in\\s+(?:zwei|drei|vier|f[üu]nf)\\s+(?:raten|teilbetr[äa]gen|tranchen|teilzahlungen)",
    "en\\s+(?:deux|trois|quatre|cinq)\\s+(?:tranches|versements|[ée]ch[ée]ances|fois)",
    "en\\s+(?:dos|tres|cuatro|cinco)\\s+(?:plazos|pagos|hitos|tramos)", "in\\s+(?:twee|drie|vier|vijf)\\s+termijnen",
    "in\\s+(?:due|tre|quattro|cinque)\\s+(?:rate|tranche|soluzioni)", "em\\s+(?:duas|tr[êe]s|quatro|cinco)\\s+(?:parcelas|presta[çc][õo]es|tranches)",
    "i\\s+(?:två|tre|fyra|fem)\\s+(?:delbetalningar|delar|rater)", "w\\s+(?:dw[óo]ch|trzech|czterech|pi[ęe]ciu)\\s+(?:cz[ęe][śs]ciach|ratach|transzach)",
)  # fmt: skip

# Invoicing every second week in the other languages.
BIWEEKLY_WORDS: tuple[str, ...] = (
    "alle\\s+zwei\\s+wochen", "zweiw[öo]chentlich", "toutes\\s+les\\s+deux\\s+semaines", "cada\\s+dos\\s+semanas",
    "quincenal(?:mente)?", "ogni\\s+due\\s+settimane", "quindicinale", "a\\s+cada\\s+duas\\s+semanas", "quinzenal(?:mente)?",
    "tweewekelijks", "om\\s+de\\s+twee\\s+weken", "varannan\\s+vecka", "annenhver\\s+uke", "hver\\s+anden\\s+uge",
    "co\\s+dwa\\s+tygodnie", "hver\\s+14\\.?\\s+dag", "alle\\s+14\\s+tage", "tous\\s+les\\s+quinze\\s+jours",
    "iedere\\s+twee\\s+weken", "var\\s+14:?e\\s+dag", "co\\s+14\\s+dni", "ogni\\s+14\\s+giorni",
)  # fmt: skip

# Payment on receipt of the invoice in the other languages: a term of 0 days.
IMMEDIATE_WORDS: tuple[str, ...] = (
    "sofort\\s+(?:nach\\s+(?:erhalt|rechnungserhalt)\\s+)?(?:ohne\\s+abzug\\s+)?(?:f[äa]llig|zahlbar|zu\\s+zahlen)",
    "payables?\\s+[àa]\\s+r[ée]ception(?:\\s+de\\s+(?:la\\s+)?facture)?", "[àa]\\s+r[ée]ception\\s+de\\s+(?:la\\s+)?facture",
    "al\\s+contado", "a\\s+la\\s+vista", "(?:te\\s+voldoen\\s+)?(?:direct\\s+)?bij\\s+ontvangst(?:\\s+van\\s+de\\s+factuur)?",
    "a\\s+vista\\s+fattura", "[àa]\\s+vista", "omg[åa]ende", "netto\\s+kontant", "natychmiast",
)  # fmt: skip

# Late-payment interest, and "per month" / "per year" after a rate of it, in the other languages.
LATE_WORDS: tuple[str, ...] = (
    "verzugszinsen", "zinsen", "verzug", "int[ée]r[êe]ts?\\s+(?:de\\s+retard|moratoires)", "p[ée]nalit[ée]s\\s+de\\s+retard",
    "intereses\\s+(?:de\\s+demora|moratorios)", "demora", "interessi\\s+(?:di\\s+mora|moratori)", "ritardato\\s+pagamento",
    "juros(?:\\s+de\\s+mora)?", "atraso", "(?:wettelijke\\s+)?(?:handels)?rente", "dr[öo]jsm[åa]lsr[äa]nta", "forsinkelsesrente",
    "morarente", "odsetki(?:\\s+ustawowe)?", "op[óo][źz]nieni[ea]",
)  # fmt: skip

PER_MONTH_WORDS: tuple[str, ...] = (
    "ao\\s+m[êe]s", "al\\s+mes", "mensual(?:es)?", "par\\s+mois", "pro\\s+monat", "im\\s+monat", "al\\s+mese", "mensile",
    "per\\s+maand", "per\\s+m[åa]nad", "i\\s+m[åa]neden", "pr\\.?\\s+m[åa]ned", "miesi[eę]cznie", "w\\s+skali\\s+miesi[aą]ca",
)  # fmt: skip

PER_YEAR_WORDS: tuple[str, ...] = (
    "ao\\s+ano", "al\\s+a[ñn]o", "anual(?:es)?", "par\\s+an", "l'an", "annuel(?:le)?", "pro\\s+jahr", "j[äa]hrlich", "p\\.\\s?a\\.",
    "all'anno", "annu[oa]", "per\\s+jaar", "per\\s+[åa]r", "om\\s+[åa]ret", "rocznie", "w\\s+skali\\s+roku",
)  # fmt: skip

# "as follows:" before a schedule's items ("da seguinte forma:", "wie folgt:", "als volgt:").
AS_FOLLOWS: tuple[str, ...] = (
    "wie\\s+folgt", "folgenderma[ßs]en", "nach\\s+folgendem\\s+zahlungsplan",  # de
    "comme\\s+suit", "selon\\s+l'[ée]ch[ée]ancier\\s+suivant", "de\\s+la\\s+mani[èe]re\\s+suivante", "suivant\\s+l'[ée]ch[ée]ancier",  # fr
    "como\\s+sigue", "de\\s+la\\s+siguiente\\s+(?:forma|manera)", "(?:seg[uú]n|conforme\\s+al)\\s+(?:el\\s+)?siguiente\\s+calendario(?:\\s+de\\s+\\w+)?",  # es
    "als\\s+volgt", "volgens\\s+(?:het\\s+)?(?:volgende\\s+)?schema",  # nl
    "come\\s+segue", "secondo\\s+(?:il\\s+)?seguente\\s+(?:piano|calendario|schema)", "nelle\\s+seguenti\\s+modalit[àa]",  # it
    "(?:da|na)\\s+seguinte\\s+forma", "conforme\\s+(?:o\\s+)?cronograma\\s+abaixo", "nas\\s+seguintes\\s+parcelas",  # pt
    "enligt\\s+f[öo]ljande", "som\\s+f[øo]lger", "s[åa]ledes",  # sv/no/da
    "jak\\s+nast[ęe]puje", "nast[ęe]puj[aą]co", "wed[łl]ug\\s+(?:poni[żz]szego\\s+)?harmonogramu",  # pl
)  # fmt: skip

# The billing event after a share ("30 % à la signature", "40% bij opdracht", "20% na acceptatie").
EVENT_WORDS: tuple[str, ...] = (
    "(?:up)?on", "at", "after", "following", "against", "when", "once", "within",
    "à", "au", "aux", "apr[èe]s", "lors\\s+de",  # fr
    "bei", "nach", "mit",  # de
    "a\\s+la", "al", "tras", "despu[ée]s\\s+de", "con",  # es
    "bij", "na",  # nl
    "alla", "al", "all'", "dopo",  # it
    "na", "no", "nas", "nos", "ap[óo]s", "com",  # pt
    "ved", "etter", "vid", "efter",  # sv/no/da
    "po", "przy", "w\\s+dniu",  # pl
)  # fmt: skip

TERM_RANGES: tuple[tuple[str, str], ...] = (
    ("from", "(?:to|until|through|till)"),
    ("vom|von|ab\\s+dem", "bis(?:\\s+zum)?"),  # de
    ("du", "au|jusqu'au"),  # fr
    ("del|desde\\s+el", "al|hasta\\s+el"),  # es
    ("van", "tot(?:\\s+en\\s+met)?|t/m"),  # nl
    ("dal", "al"),  # it
    ("de", "a|at[ée]"),  # pt
    ("fr[åa]n", "till|t\\.o\\.m\\.?"),  # sv
    ("fra", "til"),  # no/da
    ("od", "do"),  # pl
    ("between", "and"),  # "the Services will be delivered between 6 April 2027 and 30 September 2027"
)  # fmt: skip

MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("januar", "jänner", "janvier", "enero", "januari", "gennaio", "janeiro", "januar", "stycznia", "styczeń"),
    2: ("februar", "février", "fevrier", "febrero", "februari", "febbraio", "fevereiro", "lutego", "luty"),
    3: ("märz", "maerz", "mars", "marzo", "maart", "março", "marco", "mars", "marca", "marzec"),
    4: ("april", "avril", "abril", "aprile", "kwietnia", "kwiecień"),
    5: ("mai", "mayo", "mei", "maggio", "maio", "maj", "maja"),
    6: ("juni", "juin", "junio", "giugno", "junho", "czerwca", "czerwiec"),
    7: ("juli", "juillet", "julio", "luglio", "julho", "lipca", "lipiec"),
    8: ("august", "août", "aout", "agosto", "augustus", "augusti", "sierpnia", "sierpień"),
    9: ("september", "septembre", "septiembre", "settembre", "setembro", "września", "wrzesień"),
    10: ("oktober", "octobre", "octubre", "ottobre", "outubro", "października", "październik"),
    11: ("november", "novembre", "noviembre", "novembro", "listopada", "listopad"),
    12: ("dezember", "décembre", "decembre", "diciembre", "december", "dicembre", "dezembro", "grudnia", "grudzień"),
}  # fmt: skip


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """One non-capturing group matching any of ``words``, longest first (so "tagessatz" wins
    over "tag"). Words that open with a plain letter are grouped by it ("t(?:agessatz|ag)"):
    the regular expression engine then tries one small group at each position instead of every
    word, which keeps these long lists cheap to scan. Match case-insensitively."""
    unique = sorted(set(words), key=len, reverse=True)
    grouped: dict[str, list[str]] = {}
    other: list[str] = []
    for word in unique:
        if word[0].isalpha() and (len(word) == 1 or word[1] not in "?*+{") and "|" not in word:
            grouped.setdefault(word[0].lower(), []).append(word[1:])
        else:
            other.append(f"(?:{word})")  # a fragment with its own alternatives stays whole
    parts = [*other, *(f"{first}(?:{'|'.join(rest)})" for first, rest in grouped.items())]
    return "(?:" + "|".join(parts) + ")"


__all__ = [
    "ABOUT_WORDS",
    "AS_FOLLOWS",
    "BILLED_AT",
    "BIWEEKLY_WORDS",
    "CAP_AFTER",
    "CAP_LABELS",
    "DAY_WORDS",
    "EVENT_WORDS",
    "EXPENSES_BILLED",
    "EXPENSES_INCLUDED",
    "EXPENSES_NOT_BILLED",
    "EXPENSES_PASSED_ON",
    "EXPENSE_COST_WORDS",
    "EXPENSE_WORDS",
    "FEE_HEADINGS",
    "FOREIGN_COUNTS",
    "FOR_ROLE",
    "IMMEDIATE_WORDS",
    "INVOICE_WORDS",
    "IS_WORDS",
    "LATEST_WORDS",
    "LATE_WORDS",
    "LIABILITY_WORDS",
    "MILESTONE_COLUMNS",
    "MODEL_WORDS",
    "MONTHLY_WORDS",
    "MONTH_NAMES",
    "PAYMENT_TERM_LABELS",
    "PAY_VERBS",
    "PERIOD_FROM_WORDS",
    "PERIOD_LEAD_WORDS",
    "PERIOD_UNITS",
    "PER_MONTH_WORDS",
    "PER_WORDS",
    "PER_YEAR_WORDS",
    "PRICE_COLUMNS",
    "PRICE_WORDS",
    "RATE_LABELS",
    "RATE_UNIT_WORDS",
    "RETENTION_WORDS",
    "ROLE_WORDS",
    "SCHEDULE_LABELS",
    "SHARE_COLUMNS",
    "TAX_WORDS",
    "TERM_END_LABELS",
    "TERM_END_WORDS",
    "TERM_LABELS",
    "TERM_RANGES",
    "TERM_START_LABELS",
    "TERM_START_WORDS",
    "THAT_IS",
    "TOTAL_LABELS",
    "TOTAL_ROWS",
    "WITHIN_WORDS",
    "alternation",
]
