"""The skill taxonomy: what a skill name means.

A skill has an id, a display name, aliases (synonyms and abbreviations), a
parent (a broader skill or a category) and close relations that earn partial
credit. Names are matched after normalisation (case, accents, spaces and
punctuation other than ``+`` and ``#`` are ignored: "Node.js" is "nodejs",
"C++" stays distinct from "C"). A name the taxonomy does not know is kept as a
``custom:`` skill, matched by its normalised spelling only and reported.

Credit between a person's skill and a required one (``similarity``):

- the same skill, or a narrower one (Sales Cloud counts as Salesforce): 1.0;
  these are the only matches that satisfy a hard ``min_level``;
- an explicit close relation: its credit (PostgreSQL ~ MySQL 0.6);
- a broader skill than the one asked for (Salesforce for Sales Cloud): 0.5;
- siblings under the same skill: 0.4; siblings under the same category: 0.15.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from staffing_recs.errors import TaxonomyError

CUSTOM_PREFIX = "custom:"
NARROWER_CREDIT = 1.0
BROADER_CREDIT = 0.5
SKILL_SIBLING_CREDIT = 0.4
CATEGORY_SIBLING_CREDIT = 0.15
# Misspellings are matched only for names this long, this similar (difflib ratio).
FUZZY_MIN_LENGTH = 6
FUZZY_CUTOFF = 0.88
# A misspelt word must be this long: short words ("ITSM", "ITBM") differ by meaning, not typing.
FUZZY_MIN_WORD = 5

_DROPPED = re.compile(r"[\s\-_./,;:()\[\]'’\"&®™©–—]+")
# Words that qualify a skill name without changing the skill ("Apex development", "Java 8",
# "Excel (advanced)", "PMP certified", "AWS Certified Solutions Architect – Associate").
QUALIFIERS = frozenset(
    [
        "development", "developer", "dev", "programming", "coding", "engineering", "skills", "skill",
        "experience", "knowledge", "certified", "certification", "certificate", "cert", "practitioner",
        "associate", "foundation", "foundations", "fundamentals", "specialist", "hands-on", "handson",
        "basic", "basics", "beginner", "intermediate", "advanced", "expert", "expertise", "proficient",
        "strong", "working", "senior", "junior", "i", "ii", "iii", "language", "framework", "platform",
        "tool", "tools", "technologies", "technology",
    ]
)  # fmt: skip
_VERSION = re.compile(r"^(?:v(?:er(?:sion)?)?\.?)?\d+(?:\.(?:\d+|x))*(?:\.?x)?\+?$", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[\s,;()\[\]–—]+|(?<=\s)-(?=\s)")
_GLUED_VERSION = re.compile(r"^([^\W\d_]{3,})\d+(?:\.(?:\d+|x))*$", re.IGNORECASE)
_PARTS_SPLIT = re.compile(r"\s*(?:/|&|\band\b|,|;|\+(?=\s))\s*", re.IGNORECASE)
_PARENTHESIS = re.compile(r"^(?P<outer>[^()]*)\((?P<inner>[^()]*)\)(?P<rest>[^()]*)$")
# Short or everyday-word aliases are read out of free text only in the exact
# case written in the taxonomy ("Go", "R", "SAP"), so "go live" is not Golang.
_EVERYDAY_WORDS = frozenset(
    [
        "go",
        "r",
        "c",
        "swift",
        "rust",
        "spring",
        "snow",
        "lean",
        "chef",
        "puppet",
        "express",
        "node",
        "shell",
        "elastic",
        "lightning",
        "mule",
        "dart",
        "hive",
        "lambda",
        "excel",
        "access",
        "sketch",
        "flow",
        "tableau",
        "kanban",
        "scrum",
        "prefect",
        "airflow",
        "spark",
        "glide",
        "discovery",
        "tax",
        "audit",
        "billing",
        "contracts",
        "compliance",
        "forecasting",
        "sourcing",
        "purchasing",
        "recruiting",
        "media",
        "power",
        "utilities",
        "travel",
        "industrial",
        "government",
        "federal",
        "defense",
        "defence",
        "banking",
        "retail",
        "insurance",
        "payers",
        "providers",
        "hospitals",
        "ca",
        "ar",
        "ap",
        "ba",
        "tf",
        "ts",
        "cv",
        "dl",
        "ml",
        "ea",
        "pm",
        "wp",
        "pg",
        "sf",
        "py",
        "ai",
        "bi",
        "qa",
        "cx",
        "hr",
        "fsi",
        "tom",
        "csm",
        "psm",
        "mes",
        "wms",
        "sem",
    ]
)


@functools.lru_cache(maxsize=65536)
def normalise_skill_name(name: str) -> str:
    """The key a skill name is matched by: case-, accent-, space- and punctuation-insensitive."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _DROPPED.sub("", folded)


@dataclass(frozen=True)
class SkillNode:
    id: str
    name: str
    kind: Literal["skill", "category"] = "skill"
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    related: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SkillMatch:
    """How one written skill name was understood."""

    written: str
    skill_id: str
    how: Literal["name", "alias", "contains", "fuzzy", "unknown"]

    @property
    def known(self) -> bool:
        return self.how != "unknown"


@dataclass(frozen=True)
class SkillMention:
    """A skill read out of free text, with its character span."""

    skill_id: str
    text: str
    start: int
    end: int


class SkillTaxonomy:
    """Skills, their aliases, hierarchy and close relations.

    Parameters
    ----------
    nodes : iterable of SkillNode
        Every skill and category; parents and relations must name nodes in the set.
    """

    def __init__(self, nodes: Iterable[SkillNode]) -> None:
        self._nodes: dict[str, SkillNode] = {}
        for node in nodes:
            self._nodes[node.id] = node
        self._check()
        self._index: dict[str, str] = {}
        for node in self._nodes.values():
            for written in (node.name, node.id, *node.aliases):
                key = normalise_skill_name(written)
                if key:
                    # The first spelling wins, so a firm's file (loaded after ours) cannot
                    # silently steal an alias; it extends ids it names explicitly instead.
                    self._index.setdefault(key, node.id)
        self._related: dict[str, dict[str, float]] = {nid: {} for nid in self._nodes}
        for node in self._nodes.values():
            for other, credit in node.related.items():
                # Close relations are symmetric; the larger stated credit wins.
                for a, b in ((node.id, other), (other, node.id)):
                    self._related[a][b] = max(credit, self._related[a].get(b, 0.0))
        self._matcher: Any = None
        self._fuzzy: list[str] | None = None
        self._fuzzy_words: dict[str, list[tuple[str, ...]]] = {}

    # ---------------------------------------------------------------- loading
    @classmethod
    def from_records(cls, records: Sequence[dict[str, Any]], *, source: str = "taxonomy") -> SkillTaxonomy:
        return cls(_nodes_from_records(records, source=source))

    @classmethod
    def default(cls) -> SkillTaxonomy:
        """The taxonomy shipped with Handoff (``staffing_recs/data/skills.json``)."""
        return _default_taxonomy()

    @classmethod
    def load(cls, path: Path | None = None) -> SkillTaxonomy:
        """The shipped taxonomy, extended with a firm's own file when ``path`` is given.

        Parameters
        ----------
        path : Path, optional
            A JSON file ``{"skills": [...]}`` (or a list) of the shipped file's shape.
            An entry whose id (or name) exists adds aliases and relations to it (and may
            move its parent); a new id adds a skill.

        Returns
        -------
        SkillTaxonomy
        """
        base = cls.default()
        if path is None:
            return base
        return base.extended(_read_records(path), source=str(path))

    def extended(self, records: Sequence[dict[str, Any]], *, source: str = "extension") -> SkillTaxonomy:
        """A new taxonomy: this one plus ``records`` (see ``load``)."""
        merged = dict(self._nodes)
        for position, record in enumerate(records):
            if not isinstance(record, dict):
                raise TaxonomyError(f"{source}: skills[{position}] must be an object")
            name = str(record.get("name") or record.get("id") or "").strip()
            if not name:
                raise TaxonomyError(f"{source}: skills[{position}] needs a name or an id")
            existing_id = (
                record.get("id")
                if record.get("id") in merged
                else self._index.get(normalise_skill_name(name))
            )
            new = _node_from_record(record, source=source, position=position)
            if existing_id is not None:
                old = merged[existing_id]
                merged[existing_id] = SkillNode(
                    id=old.id,
                    name=old.name,
                    kind=old.kind,
                    parent=new.parent if record.get("parent") else old.parent,
                    aliases=tuple(dict.fromkeys((*old.aliases, *new.aliases, new.name))),
                    related={**old.related, **new.related},
                )
            else:
                merged[new.id] = new
        # Firms write parents and relations by name as often as by id.
        names = dict(self._index)
        for node in merged.values():
            for written in (node.name, node.id, *node.aliases):
                names.setdefault(normalise_skill_name(written), node.id)

        def to_id(written: str) -> str:
            return written if written in merged else names.get(normalise_skill_name(written), written)

        resolved = [
            SkillNode(
                id=n.id,
                name=n.name,
                kind=n.kind,
                parent=to_id(n.parent) if n.parent else None,
                aliases=n.aliases,
                related={to_id(k): v for k, v in n.related.items()},
            )
            for n in merged.values()
        ]
        return SkillTaxonomy(resolved)

    def _check(self) -> None:
        for node in self._nodes.values():
            if node.parent is not None and node.parent not in self._nodes:
                raise TaxonomyError(f"skill {node.id!r}: parent {node.parent!r} is not in the taxonomy")
            for other, credit in node.related.items():
                if other not in self._nodes:
                    raise TaxonomyError(f"skill {node.id!r}: related {other!r} is not in the taxonomy")
                if not 0 < credit <= 1:
                    raise TaxonomyError(f"skill {node.id!r}: related credit {credit} is not in (0, 1]")
        for node in self._nodes.values():
            seen = {node.id}
            parent = node.parent
            while parent is not None:
                if parent in seen:
                    raise TaxonomyError(f"skill {node.id!r}: its parents form a cycle")
                seen.add(parent)
                parent = self._nodes[parent].parent

    # ---------------------------------------------------------------- lookups
    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._nodes

    def get(self, skill_id: str) -> SkillNode | None:
        return self._nodes.get(skill_id)

    @property
    def skill_ids(self) -> list[str]:
        return [n.id for n in self._nodes.values() if n.kind == "skill"]

    def display_name(self, skill_id: str) -> str:
        node = self._nodes.get(skill_id)
        if node is not None:
            return node.name
        return skill_id.removeprefix(CUSTOM_PREFIX)

    def resolve(self, written: str) -> SkillMatch:
        """Understand one skill name.

        Parameters
        ----------
        written : str
            A skill name as a person or request spells it.

        Returns
        -------
        SkillMatch
            ``how`` is ``"name"``/``"alias"`` for a direct hit, ``"contains"`` when a
            known skill was read inside a longer name ("Apex development"),
            ``"fuzzy"`` for a close misspelling ("Salesfroce"), else ``"unknown"``
            with a ``custom:`` id.
        """
        return self._resolve_cached(written)

    @functools.lru_cache(maxsize=65536)  # noqa: B019  (the taxonomy lives as long as its cache should)
    def _resolve_cached(self, written: str) -> SkillMatch:
        matches = self._resolve_all_cached(written)
        if len(matches) == 1:
            return matches[0]
        # Several unrelated skills in one name ("AWS/Azure"): as a requirement it is not
        # one skill, so it is kept as written rather than read as one of them.
        return SkillMatch(written, CUSTOM_PREFIX + normalise_skill_name(written), "unknown")

    def resolve_all(self, written: str) -> tuple[SkillMatch, ...]:
        """Every skill one written name holds: "C/C++" is two, "Kubernetes (EKS)" is EKS.

        Parameters
        ----------
        written : str

        Returns
        -------
        tuple of SkillMatch
            One match for a name that means one skill (possibly ``"unknown"``), several
            for names joined by ``/``, ``&``, ``and`` or commas whose parts are all known.
        """
        return self._resolve_all_cached(written)

    @functools.lru_cache(maxsize=65536)  # noqa: B019
    def _resolve_all_cached(self, written: str) -> tuple[SkillMatch, ...]:
        direct = self._exact(written)
        if direct is not None:
            return (direct,)
        qualified = self._without_qualifiers(written)
        if qualified is not None:
            return (qualified,)
        bracketed = _PARENTHESIS.match(written)
        if bracketed:
            # "Kubernetes (EKS)", "Serverless (AWS Lambda)", "Project Management Professional (PMP)".
            outer = self._one(bracketed.group("outer") + bracketed.group("rest"))
            inner = self._one(bracketed.group("inner"))
            known = [m for m in (outer, inner) if m is not None]
            if known:
                return (SkillMatch(written, self._narrowest([m.skill_id for m in known]), "contains"),)
        parts = [part for part in _PARTS_SPLIT.split(written) if part.strip()]
        if len(parts) > 1:
            matches = [self._one(part) for part in parts]
            if all(m is not None for m in matches):
                return self._several(written, [m.skill_id for m in matches if m is not None])
        # Known skills named inside a longer name ("Sales Cloud Consultant", "MongoDB Atlas"):
        # only by their distinctive names, never an everyday word ("Go-to-market" is not Go).
        mentioned = [m.skill_id for m in self._mentions(written, strict=False)]
        if mentioned:
            return self._several(written, mentioned)
        fuzzy = self._misspelt(written)
        if fuzzy is not None:
            return (fuzzy,)
        return (SkillMatch(written, CUSTOM_PREFIX + normalise_skill_name(written), "unknown"),)

    def _exact(self, written: str) -> SkillMatch | None:
        key = normalise_skill_name(written)
        skill_id = self._index.get(key)
        if skill_id is None:
            return None
        node = self._nodes[skill_id]
        how: Literal["name", "alias"] = "name" if normalise_skill_name(node.name) == key else "alias"
        return SkillMatch(written, skill_id, how)

    def _without_qualifiers(self, written: str) -> SkillMatch | None:
        words = [w for w in _WORD_SPLIT.split(written) if w and w != "-"]
        kept = [w for w in words if normalise_skill_name(w) not in QUALIFIERS and not _VERSION.match(w)]
        if kept and len(kept) < len(words):
            found = self._exact(" ".join(kept))
            if found is not None:
                return SkillMatch(written, found.skill_id, "contains")
        # A version glued to the name: "python3.x", "Vue3", "HTML5".
        unglued = [_GLUED_VERSION.sub(r"\1", w) for w in kept]
        if kept and unglued != kept:
            found = self._exact(" ".join(unglued))
            if found is not None:
                return SkillMatch(written, found.skill_id, "contains")
        return None

    def _one(self, part: str) -> SkillMatch | None:
        """A part of a longer name, read exactly or without its qualifiers; None if unknown."""
        if not part.strip():
            return None
        return self._exact(part) or self._without_qualifiers(part)

    def _several(self, written: str, skill_ids: list[str]) -> tuple[SkillMatch, ...]:
        """One match when the skills are one and its broader ones ("Salesforce / Sales Cloud"),
        else one per distinct skill."""
        ids = list(dict.fromkeys(skill_ids))
        narrowest = self._narrowest(ids)
        if all(self.satisfies(narrowest, other) for other in ids):
            return (SkillMatch(written, narrowest, "contains"),)
        return tuple(SkillMatch(written, skill_id, "contains") for skill_id in ids)

    def _narrowest(self, skill_ids: list[str]) -> str:
        """Of skills where each is the same as or broader than one of them, that one; else the first."""
        for candidate in skill_ids:
            if all(self.satisfies(candidate, other) for other in skill_ids):
                return candidate
        return skill_ids[0]

    def _misspelt(self, written: str) -> SkillMatch | None:
        """A close misspelling of a long name ("Salesfroce", "Kubernets"), word by word: the
        words that differ must be long ones, so "ServiceNow ITBM" is not "ServiceNow ITSM",
        and names with digits or ``+``/``#`` are never guessed ("Security+")."""
        key = normalise_skill_name(written)
        if len(key) < FUZZY_MIN_LENGTH or not key.isalpha():
            return None
        words = [normalise_skill_name(w) for w in written.split() if normalise_skill_name(w)]
        for close in difflib.get_close_matches(key, self._fuzzy_keys(), n=3, cutoff=FUZZY_CUTOFF):
            for candidate in self._fuzzy_words.get(close, ()):
                if len(candidate) != len(words):
                    continue
                if all(
                    a == b
                    or (
                        min(len(a), len(b)) >= FUZZY_MIN_WORD
                        and difflib.SequenceMatcher(None, a, b).ratio() >= FUZZY_CUTOFF
                    )
                    for a, b in zip(words, candidate, strict=True)
                ):
                    return SkillMatch(written, self._index[close], "fuzzy")
        return None

    def _fuzzy_keys(self) -> list[str]:
        if self._fuzzy is None:
            words: dict[str, list[tuple[str, ...]]] = {}
            for node in self._nodes.values():
                for form in (node.name, *node.aliases):
                    key = normalise_skill_name(form)
                    if len(key) >= FUZZY_MIN_LENGTH and key.isalpha():
                        split = tuple(w for w in map(normalise_skill_name, form.split()) if w)
                        words.setdefault(key, []).append(split)
            self._fuzzy_words = words
            self._fuzzy = list(words)
        return self._fuzzy

    def ancestors(self, skill_id: str) -> list[str]:
        """Broader skills and categories, nearest first."""
        return list(self._ancestors(skill_id))

    @functools.lru_cache(maxsize=65536)  # noqa: B019
    def _ancestors(self, skill_id: str) -> tuple[str, ...]:
        out: list[str] = []
        node = self._nodes.get(skill_id)
        while node is not None and node.parent is not None:
            out.append(node.parent)
            node = self._nodes.get(node.parent)
        return tuple(out)

    def satisfies(self, held: str, required: str) -> bool:
        """Whether holding ``held`` counts as holding ``required`` (same or narrower)."""
        return held == required or required in self._ancestors(held)

    @functools.lru_cache(maxsize=262144)  # noqa: B019
    def similarity(self, held: str, required: str) -> float:
        """Credit in [0, 1] that holding ``held`` earns toward ``required`` (see module doc)."""
        if self.satisfies(held, required):
            return NARROWER_CREDIT
        best = self._related.get(held, {}).get(required, 0.0)
        if required in self._nodes and held in self._ancestors(required):
            node = self._nodes[held]
            if node.kind == "skill":
                best = max(best, BROADER_CREDIT)
        held_node, required_node = self._nodes.get(held), self._nodes.get(required)
        if (
            held_node is not None
            and required_node is not None
            and held_node.parent is not None
            and held_node.parent == required_node.parent
            and held_node.kind == required_node.kind == "skill"
        ):
            parent_kind = self._nodes[held_node.parent].kind
            best = max(best, SKILL_SIBLING_CREDIT if parent_kind == "skill" else CATEGORY_SIBLING_CREDIT)
        return best

    # ---------------------------------------------------------------- free text
    def extract(self, text: str) -> list[SkillMention]:
        """Read the skills named in free text (a role description, a profile).

        Parameters
        ----------
        text : str

        Returns
        -------
        list of SkillMention
            Longest non-overlapping mentions, in text order.
        """
        return self._mentions(text, strict=True)

    def _mentions(self, text: str, *, strict: bool) -> list[SkillMention]:
        """Mentions of skills in ``text``; with ``strict=False`` short and everyday-word
        aliases ("Go", "R", "Excel") are left out, as inside a longer skill name. A
        mention glued to a hyphen ("Go-to-market", "Spring-loaded") is never a skill."""
        if not text or not text.strip():
            return []
        nlp, caseless, exact = self._phrase_matcher()
        doc = nlp.make_doc(text)
        from spacy.util import filter_spans

        spans = []
        for matcher in (caseless, exact) if strict else (caseless,):
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                if (end < len(doc) and doc[end].text == "-" and not span[-1].whitespace_) or (
                    start > 0 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
                ):
                    continue
                span.label_ = nlp.vocab.strings[match_id]
                spans.append(span)
        return [
            SkillMention(span.label_, span.text, span.start_char, span.end_char)
            for span in filter_spans(spans)
        ]

    def _phrase_matcher(self) -> tuple[Any, Any, Any]:
        if self._matcher is None:
            import spacy
            from spacy.matcher import PhraseMatcher

            nlp = spacy.blank("en")
            caseless = PhraseMatcher(nlp.vocab, attr="LOWER")
            exact = PhraseMatcher(nlp.vocab, attr="ORTH")
            for node in self._nodes.values():
                if node.kind != "skill":
                    continue
                loose: list[Any] = []
                strict: list[Any] = []
                for written in dict.fromkeys((node.name, *node.aliases)):
                    if normalise_skill_name(written) in _EVERYDAY_WORDS or len(written) <= 2:
                        strict.append(nlp.make_doc(written))
                        if written.lower() == written and len(written) <= 4:
                            strict.append(nlp.make_doc(written.upper()))
                    else:
                        loose.append(nlp.make_doc(written))
                if loose:
                    caseless.add(node.id, loose)
                if strict:
                    exact.add(node.id, strict)
            self._matcher = (nlp, caseless, exact)
        return self._matcher


def _read_records(path: Path) -> list[dict[str, Any]]:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"skills taxonomy file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TaxonomyError(f"skills taxonomy file {path} is not readable JSON: {error}") from None
    records = raw.get("skills") if isinstance(raw, dict) else raw
    if not isinstance(records, list):
        raise TaxonomyError(f'skills taxonomy file {path} must hold a list of skills or {{"skills": [...]}}')
    return records


def _node_from_record(record: dict[str, Any], *, source: str, position: int) -> SkillNode:
    name = str(record.get("name") or record.get("id") or "").strip()
    skill_id = str(record.get("id") or normalise_skill_name(name)).strip()
    aliases = record.get("aliases", record.get("synonyms", []))
    related = record.get("related", {})
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise TaxonomyError(f"{source}: skills[{position}] ({skill_id}): aliases must be a list of strings")
    if isinstance(related, list):
        related = {str(other): 0.5 for other in related}
    if not isinstance(related, dict):
        raise TaxonomyError(f"{source}: skills[{position}] ({skill_id}): related must map ids to credits")
    kind = record.get("kind", "skill")
    if kind not in ("skill", "category"):
        raise TaxonomyError(f"{source}: skills[{position}] ({skill_id}): kind must be skill or category")
    try:
        credits = {str(k): float(v) for k, v in related.items()}
    except (TypeError, ValueError):
        raise TaxonomyError(
            f"{source}: skills[{position}] ({skill_id}): related credits must be numbers"
        ) from None
    parent = record.get("parent")
    return SkillNode(
        id=skill_id,
        name=name,
        kind=kind,
        parent=str(parent) if parent else None,
        aliases=tuple(a.strip() for a in aliases if a.strip()),
        related=credits,
    )


def _nodes_from_records(records: Sequence[dict[str, Any]], *, source: str) -> list[SkillNode]:
    return [_node_from_record(r, source=source, position=i) for i, r in enumerate(records)]


@functools.lru_cache(maxsize=1)
def _default_taxonomy() -> SkillTaxonomy:
    text = resources.files("staffing_recs").joinpath("data/skills.json").read_text(encoding="utf-8")
    return SkillTaxonomy.from_records(json.loads(text)["skills"], source="skills.json")
