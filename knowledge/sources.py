"""The sources registry: every key the assistant may cite.

Only references listed in ``shared/evidence.md`` are held here, with the bibliographic
details that brief gives (authors, journal, year, volume/pages, PMID/DOI where known), and the few
identifiers and titles beyond it that were checked against the published record (listed in
``knowledge/ASSUMPTIONS.md``, "L-11"). ``title=None`` means "not checked", and the renderer then shows
the journal reference alone rather than an invented title.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional

# where a source is read: its PubMed page, or its DOI
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/{}/"
DOI = "https://doi.org/{}"


@dataclass(frozen=True)
class Source:
    key: str
    authors: str
    title: Optional[str]
    journal: str
    year: Optional[int]
    citation: str = ""  # volume:pages or similar
    pmid: Optional[str] = None
    doi: Optional[str] = None
    pmcid: Optional[str] = None
    url_hint: Optional[str] = None  # the site a seed reference names
    note: str = ""  # what the project uses this source for
    primary: tuple = ()  # for seed entries: primary sources supporting the same facts

    @property
    def url(self) -> Optional[str]:
        """Where a clinician looks it up: PubMed, else the DOI, else nothing."""
        if self.pmid:
            return PUBMED.format(self.pmid)
        if self.doi:
            return DOI.format(self.doi)
        return None

    def label(self) -> str:
        """A short name: "Hochhaus A, et al. Leukemia 2020", or the title of an entry without authors."""
        if self.authors and self.year:
            return f"{self.authors} {self.journal} {self.year}"
        return f"{self.authors}: {self.title}" if self.authors else f"{self.title} ({self.journal})"

    @property
    def secondary(self) -> bool:
        """Known only as the Smolecule summary cites it (a title and a site, no authors or year): a secondary
        source, listed after the primary sources cited beside it and named as what it is."""
        return bool(self.url_hint) and not self.authors

    def reference(self) -> str:
        """A one-line reference in Vancouver-like style; a secondary source says so first, and names the primary
        sources of the registry that support its facts."""
        if self.secondary:
            primary = "; ".join(SOURCES[k].label() for k in self.primary if k in SOURCES)
            return (
                f"Secondary source: {self.title} ({self.journal}), cited by title only, with no authors or year, in "
                f"the Smolecule summary (2026); site: {self.url_hint}."
                + (f" Where primary evidence was found: {primary}." if primary else "")
            )

        def sentence(text: str) -> str:
            return text if text.endswith((".", "?", "!")) else text + "."

        parts = [sentence(self.authors)] if self.authors else []
        if self.title:
            parts.append(sentence(self.title))
        where = self.journal
        if self.year:
            where += f" {self.year}"
            if self.citation:
                where += f";{self.citation}"
        parts.append(sentence(where))
        ids = []
        if self.doi:
            ids.append(f"doi:{self.doi}")
        if self.pmid:
            ids.append(f"PMID {self.pmid}")
        if self.pmcid:
            ids.append(self.pmcid)
        if ids:
            parts.append(" ".join(ids) + ".")
        return " ".join(parts)


SOURCES: Dict[str, Source] = {
    s.key: s
    for s in [
        # --- the six references of the Smolecule summary, kept by their title fragment ------
        Source(
            "seed-1",
            "",
            "Dose optimization strategy of the tyrosine kinase inhibitors imatinib",
            "PMC review",
            None,
            url_hint="pmc.ncbi.nlm.nih.gov",
            note=(
                "dose reduction goals; 4-6-weekly monitoring for 6-12 months after reduction; MR4 <= 0.01 %; most "
                "regain MMR on resuming"
            ),
            primary=("clark-2017", "clark-2019", "cervantes-2017"),
        ),
        Source(
            "seed-2",
            "",
            "Escalation of dose in imatinib: chronic-phase CML patients",
            "Medscape",
            None,
            url_hint="medscape.com",
            note="escalation after suboptimal response/failure, 600-800 mg, mutation-guided switch",
            primary=("kantarjian-2003", "jabbour-2009", "baccarani-2009", "branford-2009"),
        ),
        Source(
            "seed-3",
            "",
            "Imatinib dose reduction after major molecular response",
            "PubMed record",
            None,
            url_hint="pubmed.ncbi.nlm.nih.gov",
            note=(
                "MMR maintenance not compromised, MR4 maintenance may be; ddPCR MR4.5 at reduction predicts "
                "holding MMR/MR4"
            ),
            primary=("clark-2017", "cervantes-2017"),
        ),
        Source(
            "seed-4",
            "",
            "Monitoring treatment of chronic myeloid leukemia",
            "Haematologica",
            None,
            url_hint="haematologica.org",
            note="RQ-PCR on the IS, >= 10 mL blood, MMR <= 0.1 %",
            primary=("cross-2015", "eln-2020"),
        ),
        Source(
            "seed-5",
            "",
            "Pharmacokinetic/pharmacodynamic correlation and blood-level testing (imatinib)",
            "Nature journal",
            None,
            url_hint="nature.com",
            note="trough > 1000 ng/mL",
            primary=("picard-2007", "larson-2008", "guilhot-2012"),
        ),
        Source(
            "seed-6",
            "Arora B, et al.",
            "Therapeutic drug monitoring for imatinib: current status and Indian experience",
            "Indian J Med Paediatr Oncol",
            2013,
            "34:224-228",
            pmid="24516317",
            doi="10.4103/0971-5851.123752",
            note="trough at steady state, LC-MS/MS, indications for TDM",
            primary=("clarke-2021",),
        ),
        # --- guidelines -----------------------------------------------------------------------
        Source(
            "eln-2020",
            "Hochhaus A, et al.",
            "European LeukemiaNet 2020 recommendations for treating chronic myeloid leukemia",
            "Leukemia",
            2020,
            "34:966-984",
            pmid="32127639",
            doi="10.1038/s41375-020-0776-2",
            note="response milestones; mutations = failure; TFR criteria and monitoring after stopping",
        ),
        Source(
            "eln-2025",
            "Apperley JF, et al.",
            "European LeukemiaNet recommendations for the management of chronic myeloid leukemia",
            "Leukemia",
            2025,
            "39:1797-1813",
            pmid="40646132",
            doi="10.1038/s41375-025-02664-w",
            note="checked from the abstract only: advice to switch TKI on failure of molecular milestones modified "
            "to better account for individual patient circumstances; dose reduction rather than switching "
            "for toxicity; matured discontinuation data. Milestone numbers and TFR criteria not verified: "
            "the rules keep ELN 2020's",
        ),
        Source(
            "project-spec",
            "This project",
            "Imatinib dose-optimisation decision specification, v1.2: units and conversions",
            "project document (tests/reference/decision-spec.md)",
            None,
            note="the conversions the assistant performs on trough levels: ng/mL = µg/L, mg/L x 1000, µmol/L x "
            "493.6, nmol/L x 0.4936",
        ),
        Source(
            "gleevec-label",
            "Novartis Pharmaceuticals Corporation",
            "Gleevec (imatinib mesylate) tablets, for oral use: US prescribing information",
            "FDA-approved product label",
            None,
            "section 2, Dosage and Administration: dose modification for adverse reactions",
            note=(
                "severe non-haematological adverse reaction: withhold until resolved, then resume at a reduced dose "
                "(400 -> 300, 600 -> 400, 800 -> 600 mg/day; the same after bilirubin > 3 x ULN or transaminases > "
                "5 x ULN); chronic phase ANC < 1.0 or platelets < 50 x 10^9/L: stop until ANC >= 1.5 and platelets "
                ">= 75, resume at 400 mg, at 300 mg on recurrence; warnings: embryo-fetal toxicity, fluid retention "
                "and oedema, cytopenias (counts weekly in month 1, every 2 weeks in month 2), hepatotoxicity (liver "
                "tests before starting and monthly)"
            ),
        ),
        Source(
            "cross-2015",
            "Cross NCP, et al.",
            "Laboratory recommendations for scoring deep molecular responses",
            "Leukemia",
            2015,
            "29:999-1003",
            pmid="25652737",
            note="MR4 <= 0.01 %, MR4.5 <= 0.0032 %, MR5 <= 0.001 % and ABL1 copy requirements",
        ),
        Source(
            "nccn-2020",
            "Deininger MW, et al.",
            "NCCN Guidelines Insights: Chronic Myeloid Leukemia, Version 2.2021",
            "J Natl Compr Canc Netw",
            2020,
            "18:1385-1415",
            pmid="33022644",
            note="TFR: >= 3 years TKI and stable MR4 >= 2 years",
        ),
        # --- therapeutic drug monitoring ---------------------------------------------------
        Source(
            "picard-2007",
            "Picard S, et al.",
            "Trough imatinib plasma levels are associated with both cytogenetic and molecular responses to "
            "standard-dose imatinib in chronic myeloid leukemia",
            "Blood",
            2007,
            "109:3496-3499",
            note="trough threshold 1002 ng/mL for MMR; median 1350 vs 885 ng/mL",
        ),
        Source(
            "larson-2008",
            "Larson RA, et al.",
            "Imatinib pharmacokinetics and its correlation with response and safety in chronic-phase chronic "
            "myeloid leukemia: a subanalysis of the IRIS study",
            "Blood",
            2008,
            "111:4022-4028",
            note="day-29 trough 979 +/- 530 ng/mL; higher with CCyR; AEs commoner at higher levels",
        ),
        Source(
            "guilhot-2012",
            "Guilhot F, et al.",
            None,
            "Haematologica",
            2012,
            "97:731-738",
            note="TOPS PK: median trough by dose; < 1165 ng/mL with lower MMR/CCyR; toxicity at higher levels",
        ),
        Source(
            "zhuang-2018",
            "Zhuang W, et al.",
            "Can therapeutic drug monitoring increase the safety of imatinib in GIST patients?",
            "Cancer Med",
            2018,
            "7:317-324",
            pmid="29316372",
            doi="10.1002/cam4.1286",
            pmcid="PMC5806097",
            note="(GIST cohort) no upper limit of imatinib plasma concentration established",
        ),
        Source(
            "clarke-2021",
            "Clarke WA, et al.",
            None,
            "Eur J Cancer",
            2021,
            "157:428-440",
            pmid="34597977",
            note="IATDMCT consensus on imatinib TDM: LC-MS/MS reference method; target trough > 1000 ng/mL",
        ),
        Source(
            "optim",
            "Rousselot P / Johnson-Ansah H, et al.",
            "OPTIM-imatinib",
            "Blood 2015;126 (abstract); Pharmaceutics",
            2022,
            "14:1676",
            note="dose raised to reach >= 1000 ng/mL gave higher molecular response",
        ),
        # --- escalation and switching --------------------------------------------------------
        Source(
            "kantarjian-2003",
            "Kantarjian H, et al.",
            None,
            "Blood",
            2003,
            "101:473-475",
            note=(
                "400 -> 800 (or 300 -> 600) mg: 65 % regained haematological response; 56 % of cytogenetic "
                "resistance responded"
            ),
        ),
        Source(
            "jabbour-2009",
            "Jabbour E, et al.",
            None,
            "Blood",
            2009,
            "113:2154-2160",
            note="84 patients escalated; CCyR 40 % (52 % after cytogenetic failure, 5 % after haematological failure)",
        ),
        Source(
            "baccarani-2009",
            "Baccarani M, et al.",
            None,
            "Blood",
            2009,
            "113:4497",
            note="800 vs 400 mg up front in high-risk patients: CCyR at 1 year 64 % vs 58 % (n.s.)",
        ),
        Source(
            "branford-2009",
            "Branford S, et al.",
            None,
            "Blood",
            2009,
            "114:5426",
            note="mutations with poor response to nilotinib or dasatinib; T315I to both",
        ),
        Source(
            "soverini-2011",
            "Soverini S, et al.",
            None,
            "Blood",
            2011,
            "118:1208-1215",
            note="test on failure/warning; a detected mutation means a change of therapy",
        ),
        # --- dose reduction --------------------------------------------------------------------
        Source(
            "clark-2017",
            "Clark RE, et al.",
            "De-escalation of tyrosine kinase inhibitor therapy before complete treatment discontinuation in "
            "patients with chronic myeloid leukaemia (DESTINY): a non-randomised, phase 2 trial",
            "Lancet Haematol",
            2017,
            "4:e310-e316",
            note=(
                "entry >= 3 y TKI, >= 12 mo stable MMR; half dose 12 months; recurrence 2.5 % (MR4) vs 18.8 % "
                "(MMR only); all regained MMR within 4 months"
            ),
        ),
        Source(
            "clark-2019",
            "Clark RE, et al.",
            None,
            "Lancet Haematol",
            2019,
            "6:e375-e383",
            note="DESTINY final: 3-year recurrence-free survival 72 % (MR4) vs 36 % (MMR only)",
        ),
        Source(
            "cervantes-2017",
            "Cervantes F, et al.",
            None,
            "Ann Hematol",
            2017,
            "96:81-85",
            note=(
                "43 patients in sustained DMR reduced 400 -> 300 mg; none lost MMR (median 1.6 y); toxicity "
                "improved in 62 %"
            ),
        ),
        Source(
            "michel-2019",
            "Michel C, et al.",
            None,
            "Haematologica",
            2019,
            "104:955-962",
            note="800 -> 400 mg after MMR; 3-year molecular relapse-free survival 88 %",
        ),
        Source(
            "claudiani-2019",
            "Claudiani S, et al.",
            None,
            "Haematologica",
            2019,
            "104:2206",
            note="450 patients in MR3 who stayed on standard-dose TKI (not a dose-reduction study): sustained MR4 "
            "12 months: loss of MR3 0 % at 1 y, 2.6 % at 5 y; MR3 only: 4.4 % and 25.4 %. Cite for the "
            "stability of deep responses on standard dose, never for de-escalation",
        ),
        # --- adherence --------------------------------------------------------------------------
        Source(
            "marin-2010",
            "Marin D, et al.",
            "Adherence is the critical factor for achieving molecular responses in patients with chronic myeloid "
            "leukemia who achieve complete cytogenetic responses on imatinib",
            "J Clin Oncol",
            2010,
            "28:2381-2388",
            pmid="20385986",
            doi="10.1200/JCO.2009.26.3087",
            note="adherence <= 90 %: 6-year MMR 28.4 % vs 94.5 %; no molecular response at <= 80 %",
        ),
        Source(
            "noens-2009",
            "Noens L, et al.",
            None,
            "Blood",
            2009,
            "113:5401-5411",
            pmid="19349618",
            note="ADAGIO: one third non-adherent; 14.2 % took all doses",
        ),
        Source(
            "ibrahim-2011",
            "Ibrahim AR, et al.",
            "Poor adherence is the main reason for loss of CCyR and imatinib failure for chronic myeloid leukemia "
            "patients on long-term therapy",
            "Blood",
            2011,
            "117:3733",
            note="adherence <= 85 %: 2-year loss of CCyR 26.8 % vs 1.5 %",
        ),
    ]
}


def get(key: str) -> Source:
    try:
        return SOURCES[key]
    except KeyError:
        raise KeyError(f"unknown source key {key!r}; known keys: {', '.join(sorted(SOURCES))}") from None
