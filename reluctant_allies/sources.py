"""Source tiers: the one domain → tier table behind every ``source_tier`` in ``data/``.

A specialist judges a number by where it comes from. Every hand-curated row of the data
package carries a ``source_url`` and a ``source_tier``; the tier is not typed by hand but
read off this table by the URL's host, so the two cannot drift (the loader and the tests
compare them).

The rules (from the source audit, ``shared/research/turn2/source-audit.md``)
------------------------------------------------------------------------------
* **A** official, scholarly or institute: governments, ministries, their archives and
  official media *of record for their own acts* (kremlin.ru, mfa.gov.cn, mil.ru,
  mod.gov.cn, gov.cn, nato.int, the UN); intergovernmental bodies; scholarly presses,
  journals, DOI and PMC links; research institutes and pollsters' own pages.
* **B** wire agencies, papers of record and national official media reporting news:
  TASS, Reuters, AP, AFP, Xinhua, People's Daily, China Daily, China Military Online,
  CCTV, SCMP, Straits Times, BBC, The Moscow Times, Jiji/Kyodo via nippon.com, NHK …
  Borderline, kept in B and noted: Global Times, CGTN (state outlets, used only for what
  officials did) and NISCSS.
* **C** everything else: document mirrors (docslib, vdocuments, readkong, scribd),
  Wikipedia and its mirrors or proxies, aggregators, content farms, unknown blogs, small
  regional sites that reprint wires, non-canonical or staging hosts, any ``.tk`` site,
  and propaganda outlets (RT, Sputnik …) when used as sources of fact.

A C source is allowed only on a row whose ``confidence`` is ``weak``
(:func:`row_problems`). A host the table does not know is an error, not a guess: add it
to :data:`DOMAINS` with a tier and a reason first.

Matching: the URL's host is lower-cased and a trailing dot dropped; the longest entry of
:data:`DOMAINS` that equals the host or is a dot-separated suffix of it wins, so
``covid-19.chinadaily.com.cn`` is ``chinadaily.com.cn`` (B) while ``wiki.china.org.cn``
has its own entry (C). Entries starting with a dot (``.tk``) are top-level-domain rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "DOMAINS",
    "TIERS",
    "TIER_RULES",
    "Domain",
    "SourceError",
    "domain_of",
    "lookup",
    "row_problems",
    "tier",
    "tier_counts",
]

#: The tiers, best first.
TIERS = ("A", "B", "C")
#: One line per tier, printed on the Sources page.
TIER_RULES = {
    "A": "official, scholarly or institute (governments and their archives, "
    "intergovernmental bodies, scholarly presses and DOIs, research institutes, "
    "pollsters' own pages)",
    "B": "wire agency, paper of record or national official media reporting news",
    "C": "mirror, aggregator, content farm, unknown blog, small site reprinting a wire, "
    "non-canonical host, .tk site, or a propaganda outlet used for fact; "
    "allowed only on a row flagged weak",
}


@dataclass(frozen=True)
class Domain:
    tier: str
    why: str


class SourceError(ValueError):
    """A URL whose host the domain table does not know, or a malformed URL."""


def _d(tier: str, why: str) -> Domain:
    return Domain(tier, why)


#: host suffix -> tier and reason. Keep sorted within each tier; one entry per source site.
DOMAINS: dict[str, Domain] = {
    # --- A: official ------------------------------------------------------------------
    "bis.doc.gov": _d("A", "US Bureau of Industry and Security (former host)"),
    "ft.dk": _d("A", "Danish Parliament (Folketinget), committee annexes of official texts"),
    "urm.lt": _d("A", "Ministry of Foreign Affairs of Lithuania (EU member government)"),
    "archives.gov": _d("A", "US National Archives (Clinton White House archive)"),
    "archive.premier.gov.ru": _d("A", "Russian government archive"),
    "bis.gov": _d("A", "US Bureau of Industry and Security"),
    "chineseembassy.org": _d("A", "Chinese embassy"),
    "cia.gov": _d("A", "CIA Reading Room (declassified US government documents)"),
    "defense.gov": _d("A", "US Department of Defense"),
    "ecrats.org": _d("A", "SCO Regional Anti-Terrorist Structure"),
    "editorials.voa.gov": _d("A", "US-government editorial"),
    "everycrsreport.com": _d("A", "archive of Congressional Research Service reports"),
    "federalregister.gov": _d("A", "US Federal Register"),
    "gov.cn": _d("A", "government of China (incl. SCIO)"),
    "govinfo.gov": _d("A", "US Government Publishing Office"),
    "github.com": _d(
        "A", "a software project's own issue tracker: cited only for facts about that software"
    ),
    "hktdc.com": _d("A", "HKTDC, statutory body republishing official texts"),
    "kremlin.ru": _d("A", "President of Russia"),
    "mfa.gov.cn": _d("A", "Ministry of Foreign Affairs of China"),
    "mil.ru": _d("A", "Russian Ministry of Defence"),
    "mod.gov.cn": _d("A", "Ministry of National Defense of China"),
    "nato.int": _d("A", "NATO"),
    "state.gov": _d("A", "US Department of State (incl. its official blogs)"),
    "purl.fdlp.gov": _d("A", "US Federal Depository Library Program"),
    "share.america.gov": _d("A", "US Department of State"),
    "treasury.gov": _d("A", "US Treasury (OFAC)"),
    "un.org": _d("A", "United Nations"),
    "unric.org": _d("A", "UN Regional Information Centre"),
    "ustr.gov": _d("A", "Office of the US Trade Representative"),
    "valtioneuvosto.fi": _d("A", "Finnish government"),
    "webarchive.library.unt.edu": _d("A", "archived US government web pages (UNT)"),
    # --- A: scholarly, institutes, pollsters ------------------------------------------------
    "presidency.ucsb.edu": _d(
        "A", "American Presidency Project, UC Santa Barbara (scholarly archive)"
    ),
    "acronym.org.uk": _d("A", "Acronym Institute"),
    "armscontrol.org": _d("A", "Arms Control Association"),
    "aup.nl": _d("A", "Amsterdam University Press"),
    "bibliovault.org": _d("A", "BiblioVault, University of Chicago Press (publisher's book page)"),
    "bofit.fi": _d("A", "Bank of Finland Institute for Emerging Economies"),
    "carnegieendowment.org": _d("A", "Carnegie Endowment"),
    "chinausfocus.com": _d("A", "CISS's own report, republished by China-US Focus"),
    "csis.org": _d("A", "CSIS"),
    "doi.org": _d("A", "DOI of a scholarly publication"),
    "hdiplo.org": _d("A", "H-Diplo (scholarly review)"),
    "hsdl.org": _d("A", "Homeland Security Digital Library"),
    "icds.ee": _d("A", "International Centre for Defence and Security"),
    "jamestown.org": _d("A", "Jamestown Foundation"),
    "mybinder.org": _d("A", "the Binder service itself (a tool link, not a source of fact)"),
    "ncbi.nlm.nih.gov": _d("A", "PubMed Central full text of a journal article"),
    "osw.waw.pl": _d("A", "Centre for Eastern Studies (OSW)"),
    "oxfordre.com": _d("A", "Oxford Research Encyclopedias"),
    "pacforum.org": _d("A", "Pacific Forum"),
    "peaceagreements.org": _d("A", "PA-X Peace Agreements Database (Edinburgh)"),
    "pewresearch.org": _d("A", "Pew Research Center"),
    "routledge.com": _d("A", "Routledge (scholarly press)"),
    "semanticscholar.org": _d("A", "record of a peer-reviewed article"),
    "taylorfrancis.com": _d("A", "Taylor & Francis (scholarly press)"),
    "vydavatelstviupol.cz": _d("A", "Palacký University Press"),
    # --- B: wires, papers of record, official media ------------------------------------------
    "kuna.net.kw": _d("B", "Kuwait News Agency, national wire agency"),
    "news.trust.org": _d("B", "Reuters wire copy on the Thomson Reuters Foundation site"),
    "ajc.com": _d("B", "Atlanta Journal-Constitution (AP copy)"),
    "alarabiya.net": _d("B", "Al Arabiya"),
    "anews.com.tr": _d("B", "A News, national broadcaster (TASS relay)"),
    "apnews.com": _d("B", "Associated Press"),
    "bbc.co.uk": _d("B", "BBC"),
    "bne.eu": _d("B", "bne IntelliNews"),
    "bnnbloomberg.ca": _d("B", "Bloomberg via BNN"),
    "bostonglobe.com": _d("B", "Boston Globe"),
    "business-standard.com": _d("B", "Business Standard"),
    "cctv.com": _d("B", "CCTV"),
    "cgtn.com": _d("B", "CGTN (state outlet, used for what officials did; borderline)"),
    "channelnewsasia.com": _d("B", "CNA"),
    "chicagotribune.com": _d("B", "Chicago Tribune"),
    "china.org.cn": _d("B", "China.org.cn (official news portal)"),
    "chinadaily.com.cn": _d("B", "China Daily"),
    "chinadailyhk.com": _d("B", "China Daily Hong Kong"),
    "chinadiplomacy.org.cn": _d("B", "China Diplomacy (China.org.cn portal)"),
    "chinagate.cn": _d("B", "China.org.cn / Chinagate"),
    "chinamil.com.cn": _d("B", "China Military Online (PLA Daily)"),
    "cnbc.com": _d("B", "CNBC"),
    "cri.cn": _d("B", "China Radio International (state broadcaster, for what officials did)"),
    "deccanherald.com": _d("B", "Deccan Herald"),
    "dw.com": _d("B", "Deutsche Welle"),
    "eastday.com": _d("B", "Eastday (Shanghai official news portal)"),
    "ecns.cn": _d("B", "China News Service"),
    "foxbusiness.com": _d("B", "Fox Business"),
    "globaltimes.cn": _d(
        "B", "Global Times (state outlet, used for what officials did; borderline)"
    ),
    "hurriyetdailynews.com": _d("B", "Hürriyet Daily News (AFP copy)"),
    "independent.co.uk": _d("B", "The Independent"),
    "inform.kz": _d("B", "Kazinform (national news agency)"),
    "investing.com": _d("B", "Reuters text syndicated by Investing.com"),
    "iranintl.com": _d("B", "Iran International"),
    "japantimes.co.jp": _d("B", "Japan Times"),
    "japantoday.com": _d("B", "Japan Today (Kyodo/AFP copy)"),
    "jpost.com": _d("B", "Jerusalem Post (Reuters copy)"),
    "kbs.co.kr": _d("B", "KBS (public broadcaster)"),
    "koreaherald.com": _d("B", "Korea Herald"),
    "kyivindependent.com": _d("B", "Kyiv Independent"),
    "nanhai.org.cn": _d("B", "NISCSS (government think tank reposting news; borderline)"),
    "nationalpost.com": _d("B", "National Post"),
    "nna.jp": _d("B", "NNA (business news agency)"),
    "ng.ru": _d("B", "Nezavisimaya Gazeta"),
    "nhk.or.jp": _d("B", "NHK"),
    "nippon.com": _d("B", "Jiji/Kyodo via nippon.com"),
    "people.cn": _d("B", "People's Daily (Xinhua)"),
    "politico.com": _d("B", "Politico"),
    "politico.eu": _d("B", "Politico Europe"),
    "pravda.com.ua": _d("B", "Ukrainska Pravda"),
    "blogautore.repubblica.it": _d(
        "B", "La Repubblica correspondent's blog (rows on it stay flagged weak)"
    ),
    "reuters.com": _d("B", "Reuters"),
    "rfi.fr": _d("B", "RFI"),
    "rferl.org": _d("B", "RFE/RL"),
    "scmp.com": _d("B", "South China Morning Post"),
    "scrippsnews.com": _d("B", "Scripps News"),
    "shine.cn": _d("B", "Shanghai Daily (Xinhua relay)"),
    "standard.co.uk": _d("B", "Evening Standard"),
    "straitstimes.com": _d("B", "Straits Times"),
    "stripes.com": _d("B", "Stars and Stripes"),
    "swissinfo.ch": _d("B", "swissinfo (Reuters/Interfax feed)"),
    "tass.com": _d("B", "TASS"),
    "thedailystar.net": _d("B", "The Daily Star (Bangladesh)"),
    "thediplomat.com": _d("B", "The Diplomat"),
    "theguardian.com": _d("B", "The Guardian"),
    "thehindu.com": _d("B", "The Hindu"),
    "themoscowtimes.com": _d("B", "The Moscow Times"),
    "thestar.com": _d("B", "Toronto Star (AP copy)"),
    "todayonline.com": _d("B", "TODAY (Singapore)"),
    "unian.info": _d("B", "UNIAN news agency"),
    "voanews.com": _d("B", "Voice of America news"),
    "weekinchina.com": _d("B", "Week in China"),
    "xinhuanet.com": _d("B", "Xinhua"),
    # --- C: mirrors, wikis, aggregators, farms, blogs, reprints, propaganda ------------------
    ".tk": _d("C", ".tk site"),
    "29ru.net": _d("C", "regional aggregator"),
    "aaj.tv": _d("C", "small site reprinting wires"),
    "abccomputertech.com": _d("C", "unrelated low-quality site"),
    "afternoonvoice.com": _d("C", "unknown site"),
    "aiee.it": _d("C", "association repost"),
    "ajw-origin.potaufeu.asahi.com": _d("C", "non-canonical Asahi origin host"),
    "albrightstonebridge.com": _d("C", "consultancy page quoting an op-ed"),
    "archives.lincolndailynews.com": _d("C", "small local site reprinting wires"),
    "arnoldporter.com": _d("C", "law-firm client note"),
    "baonghean.vn": _d("C", "Vietnamese provincial paper"),
    "blogspot.com": _d("C", "personal blog"),
    "brecorder.com": _d("C", "small site reprinting wires"),
    "btimesonline.com": _d("C", "unknown site"),
    "businessinvestorguide.com": _d("C", "unknown blog (TASS/Interfax copy)"),
    "china-profile.com": _d("C", "personal site"),
    "clv-development.org": _d("C", "unknown site (Xinhua copy)"),
    "commondreams.org": _d("C", "advocacy site"),
    "digg.com": _d("C", "aggregator"),
    "docslib.org": _d("C", "document mirror"),
    "eir.news": _d("C", "LaRouche EIR"),
    "en.portnews.ru": _d("C", "trade press (RIA reprint)"),
    "gcaptain.com": _d("C", "trade press"),
    "getrussia.com": _d("C", "unknown site"),
    "hellenicshippingnews.com": _d("C", "aggregator"),
    "howlingpixel.com": _d("C", "Wikipedia mirror"),
    "hugheshubbard.com": _d("C", "law-firm client note"),
    "inforos.com": _d("C", "InfoRos (state-linked)"),
    "izdanie.info": _d("C", "RT repost"),
    "k2integrity.com": _d("C", "consultancy note"),
    "keyt.com": _d("C", "small local station reprinting wires"),
    "kurv.com": _d("C", "small local station reprinting wires"),
    "kvia.com": _d("C", "small local station reprinting wires"),
    "kyma.com": _d("C", "small local station reprinting wires"),
    "lakecountystar.com": _d("C", "small-town US site (AP reprint)"),
    "m.hxen.com": _d("C", "English-learning site (Xinhua copy)"),
    "manage.thediplomat.com": _d("C", "non-canonical CMS host"),
    "meritalk.com": _d("C", "trade blog"),
    "necn.com": _d("C", "small local station reprinting wires"),
    "news-pravda.com": _d("C", "'Pravda' network content farm"),
    "news.yahoo.com": _d("C", "aggregator"),
    "newsghana.com.gh": _d("C", "regional site (Xinhua copy)"),
    "newsnetnebraska.org": _d("C", "unknown regional site"),
    "readkong.com": _d("C", "document mirror"),
    "republicworld.com": _d("C", "low-reliability TV site"),
    "rigzone.com": _d("C", "trade press"),
    "rt.com": _d("C", "RT (propaganda outlet used for fact)"),
    "russialist.org": _d("C", "aggregator (Russia List)"),
    "san.com": _d("C", "low-reliability site"),
    "scribd.com": _d("C", "user upload"),
    "slconcordtimes.com": _d("C", "Sierra Leone site (wire reprint)"),
    "sofiaglobe.com": _d("C", "small site"),
    "sott.net": _d("C", "conspiracy site (RT repost)"),
    "sputnikglobe.com": _d("C", "Sputnik (propaganda outlet used for fact)"),
    "sputniknews.com": _d("C", "Sputnik (propaganda outlet used for fact)"),
    "stabroeknews.com": _d("C", "small site reprinting wires"),
    "the-uncensored-wiki.com": _d("C", "old Wikipedia mirror"),
    "thedailycpec.com": _d("C", "unknown site"),
    "thefrontierpost.com": _d("C", "regional site (RIA reprint)"),
    "theinfolist.com": _d("C", "Wikipedia mirror"),
    "twocircles.net": _d("C", "community site (RIA/IANS copy)"),
    "twt-stag.stag.aws.washtimes.com": _d("C", "staging host"),
    "urdupoint.com": _d("C", "aggregator (Sputnik copy)"),
    "vdocuments.mx": _d("C", "document mirror"),
    "vestikavkaza.ru": _d("C", "regional agency"),
    "vindobona.org": _d("C", "small Vienna diplomatic-news site"),
    "wiki.china.org.cn": _d("C", "wiki"),
    "wikipedia.org": _d("C", "Wikipedia (tertiary)"),
    "wilmerhale.com": _d("C", "law-firm client note"),
    "wikisum.wiki": _d("C", "Wikipedia summary mirror"),
    "yenisafak.com": _d("C", "partisan daily (secondary pickup)"),
    "zproxy.org": _d("C", "Wikipedia via proxy"),
}


def domain_of(url: str) -> str:
    """The URL's host, lower-cased, without a trailing dot; raises :class:`SourceError`."""
    try:
        host = urlsplit(str(url).strip()).hostname
    except ValueError as exc:
        raise SourceError(f"{url!r} is not a valid URL ({exc})") from None
    if not host:
        raise SourceError(f"{url!r} has no host")
    return host.rstrip(".")


def lookup(url: str, table: Mapping[str, Domain] = DOMAINS) -> tuple[str, Domain]:
    """The matching table key and its entry for ``url`` (longest suffix wins)."""
    host = domain_of(url)
    labels = host.split(".")
    for i in range(len(labels)):
        key = ".".join(labels[i:])
        if key in table:
            return key, table[key]
    tld = "." + labels[-1]
    if tld in table:
        return tld, table[tld]
    raise SourceError(
        f"unknown source domain {host!r} (URL {url}): add it to "
        "reluctant_allies.sources.DOMAINS with a tier and a reason"
    )


def tier(url: str, table: Mapping[str, Domain] = DOMAINS) -> str:
    """Tier (``"A"``, ``"B"`` or ``"C"``) of ``url`` by the domain table."""
    return lookup(url, table)[1].tier


def row_problems(
    rows: Iterable[Mapping[str, object]], table: Mapping[str, Domain] = DOMAINS
) -> list[tuple[int, str, str]]:
    """Rule violations in curated rows, as ``(row index, column, message)``.

    Per row: ``source_url`` has a known domain; ``source_tier`` is a tier and equals the
    table's tier for the URL; a tier-C row has ``confidence == "weak"``.
    """
    out: list[tuple[int, str, str]] = []
    for i, row in enumerate(rows):
        url, stored = row.get("source_url"), row.get("source_tier")
        if stored not in TIERS:
            out.append((i, "source_tier", f"{stored!r} is not a tier (one of {list(TIERS)})"))
            continue
        try:
            expected = tier(str(url), table)
        except SourceError as exc:
            out.append((i, "source_url", str(exc)))
            continue
        if stored != expected:
            out.append(
                (
                    i,
                    "source_tier",
                    f"stored tier {stored!r} differs from the domain table's {expected!r} "
                    f"for {domain_of(str(url))!r}",
                )
            )
        elif stored == "C" and row.get("confidence") != "weak":
            out.append(
                (
                    i,
                    "confidence",
                    f"a tier-C source ({domain_of(str(url))}) is allowed only on a row marked "
                    f"'weak', found {row.get('confidence')!r}",
                )
            )
    return out


def tier_counts(urls: Iterable[str], table: Mapping[str, Domain] = DOMAINS) -> dict[str, int]:
    """How many of ``urls`` fall in each tier (every tier present, zero included)."""
    counts = dict.fromkeys(TIERS, 0)
    for url in urls:
        counts[tier(url, table)] += 1
    return counts
