"""Per-person habits learned from a firm's own history, for the controls that ask whether a
batch breaks them (``anomaly.controls``: ``returned_after_dormancy``,
``billed_on_booked_day``, ``same_entry_every_day``, ``copied_from_colleague``,
``billed_no_charge_work``, ``vague_narrative``, ``overtime_on_short_day``).

Each test is relative to what the firm's people did in the history, never to a convention
of ours: a long silence is long against the person's own longest gap, a repeated block is
unusual only for someone whose history never repeats one, billable time on a day filled by
non-billable time only for someone (and a firm) whose history does not mix them, and two
people's identical entry only when the text is rare in the firm and the project's history
holds no such pairs. Everything is computed on integer codes (group-bys, no row loops), and
the description column is factorized only for the few rows that can hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from anomaly.features import Factorized, TimeEntryHistory, _day_number, group_ids, group_size

__all__ = [
    "Habits",
    "booked_day_rows",
    "dormant_return_day",
    "learn_habits",
    "narrative_words",
    "no_charge_words",
    "overtime_roles",
    "repeated_blocks",
    "twin_rows",
]

#: A non-billable entry "fills" a day when it reaches this share of the person's usual day.
BOOKED_DAY_SHARE = 0.9
#: A repeated entry is a block when it carries at least this share of the person's usual day.
BLOCK_DAY_SHARE = 0.5
#: ...and recurs, unchanged, on at least this many days of the batch.
BLOCK_MIN_DAYS = 10
#: A description seen this often in the history is the firm's common text (a stand-up, "leave").
COMMON_TEXT_COUNT = 3
#: The most entries an identical (project, day, hours, text) group may hold to read as a copy
#: rather than a meeting everyone booked.
TWIN_MAX_GROUP = 3
#: ...of a text the frame uses at most this often (a ticket reference, not a routine).
RARE_TEXT_USES = 6
#: A silence is dormancy beyond this many days and twice the person's own longest gap.
DORMANT_MIN_DAYS = 28
#: A word is evidence of how the firm records work once this many history entries hold it.
NO_CHARGE_MIN_USES = 10
#: Words: runs of letters (any script), two or more; figures, codes' digits and marks are not.
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Worked days of history before a person's own rhythm is evidence.
_ENOUGH_DAYS = 20
#: A role is billed only past the day (an overtime or premium category) when this low a
#: quantile of the working days that bill it is longer than the firm's median working day...
OVERTIME_DAY_QUANTILE = 0.02
#: ...over at least this many distinct person-days.
OVERTIME_MIN_DAYS = 20


@dataclass
class Habits:
    """What the habit controls compare a batch with; per-person arrays follow ``persons``."""

    persons: pd.Index
    last_day: np.ndarray  # day number of the person's last worked day in the history
    longest_gap: np.ndarray  # longest stretch of days between two of their worked days
    worked_days: np.ndarray
    block_days: np.ndarray  # most days one unchanged block entry of theirs recurs
    booked_days: np.ndarray  # days filled by one non-billable entry
    booked_billed: np.ndarray  # of which they billed time too
    firm_last_day: int
    #: The longest gap anyone with enough history had: a silence no longer is the firm's
    #: ordinary (a summer of leave).
    firm_longest_gap: float = 0.0
    #: Share of the people with enough history whose history holds a block of
    #: ``BLOCK_MIN_DAYS`` or more: where blocks are how many people log, one more is no news.
    firm_block_share: float = 0.0
    common_texts: frozenset[str] = field(default_factory=frozenset)
    project_twin_share: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    firm_twin_share: float = 0.0
    #: word (lower case) -> share of the history's entries holding it that were billable, for
    #: words on at least ``NO_CHARGE_MIN_USES`` entries (``billed_no_charge_work``, ``vague_narrative``).
    word_billable_share: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    #: Per person: median words of their billable narratives, and the most hours per word any
    #: of those billed (``vague_narrative``); NaN without billable history.
    narrative_words: np.ndarray = field(default_factory=lambda: np.zeros(0))
    hours_per_word_max: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: role (lower case) -> the shortest working day (``OVERTIME_DAY_QUANTILE``) the history
    #: bills it on, for the roles billed only on days longer than the firm's median working
    #: day (``overtime_on_short_day``); empty where none is.
    overtime_roles: dict[str, float] = field(default_factory=dict)


def _words(text: object) -> list[str]:
    return sorted(set(_WORD.findall(str(text).lower())))


def _word_billable_share(text: Factorized, billable: np.ndarray) -> pd.Series:
    """Per word, the share of the entries holding it that were billable (counted per distinct
    text, then spread over its words)."""
    if not len(text.uniques):
        return pd.Series(dtype=float)
    uses = np.bincount(text.codes, minlength=len(text.uniques))
    billed = np.bincount(text.codes, weights=billable.astype(float), minlength=len(text.uniques))
    per_text = pd.DataFrame({"word": [_words(t) for t in text.uniques], "uses": uses, "billed": billed})
    per_word = per_text.explode("word").dropna(subset=["word"]).groupby("word")[["uses", "billed"]].sum()
    per_word = per_word[per_word["uses"] >= NO_CHARGE_MIN_USES]
    return (per_word["billed"] / per_word["uses"]).astype(float)


def narrative_words(texts: np.ndarray) -> np.ndarray:
    """Words in each text (at least 1: an empty narrative counts as one word)."""
    return np.array([max(len(_WORD.findall(str(t))), 1) for t in texts], dtype=float)


def _narrative_habits(
    pcode: np.ndarray, n: int, hours: np.ndarray, billable: np.ndarray, text: Factorized
) -> tuple[np.ndarray, np.ndarray]:
    """Per person: median words per billable narrative and the most hours per word billed."""
    words = narrative_words(text.uniques)[text.codes] if len(text.uniques) else np.ones(len(hours))
    rows = billable & (pcode >= 0)
    frame = pd.DataFrame({"p": pcode[rows], "w": words[rows], "hpw": hours[rows] / words[rows]})
    usual, most = np.full(n, np.nan), np.full(n, np.nan)
    if len(frame):
        groups = frame.groupby("p")
        median, peak = groups["w"].median(), groups["hpw"].max()
        usual[median.index.to_numpy()] = median.to_numpy()
        most[peak.index.to_numpy()] = peak.to_numpy()
    return usual, most


def no_charge_words(
    texts: np.ndarray, word_share: pd.Series, below: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct text: the mean billable share of its two least-billed known words (NaN when
    it holds none) and the least-billed word itself ('' when none). With ``below``, only texts
    holding a word billed under that share are read (the mean of two cannot fall below it
    otherwise); the others are NaN too.

    Two words, not one, so a single word the firm also uses on internal time ('review' on a
    training day) does not speak for the whole narrative."""
    share = np.full(len(texts), np.nan)
    word = np.full(len(texts), "", dtype=object)
    if below is not None:
        low = sorted(word_share.index[word_share.to_numpy() < below], key=len, reverse=True)
        if not low:
            return share, word
        # A known word as a whole run of letters, as _WORD reads it.
        holds_low = re.compile(r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, low)) + r")(?![^\W\d_])")
        rows = [k for k, text in enumerate(texts) if holds_low.search(str(text).lower())]
    else:
        rows = list(range(len(texts)))
    if not len(word_share):
        return share, word
    lookup = word_share.to_dict()
    for k in rows:
        known = sorted((lookup[w], w) for w in _words(texts[k]) if w in lookup)
        if known:
            share[k] = float(np.mean([v for v, _ in known[:2]]))
            word[k] = known[0][1]
    return share, word


def _first_of_group(group: np.ndarray) -> np.ndarray:
    """Whether each row is the first of its group (non-negative group numbers, not
    necessarily dense)."""
    first = np.zeros(len(group), dtype=bool)
    if len(group):
        index = np.full(int(group.max()) + 1, -1, dtype=np.int64)
        index[group[::-1]] = np.arange(len(group) - 1, -1, -1)
        first[index[index >= 0]] = True
    return first


def _person_days(
    person: np.ndarray, day: np.ndarray, person_day: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (person, day) pairs (``person_day``: their dense group of each row), sorted by
    person then day; one row per pair is picked by scatter, so only the pairs are sorted."""
    rows = np.flatnonzero(_first_of_group(person_day))
    low = int(day[rows].min())
    span = int(day[rows].max()) - low + 1
    key = np.sort(person[rows].astype(np.int64) * span + (day[rows] - low))
    return key // span, key % span + low


def _runs(person: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (inclusive) of each person's run in a person-sorted array."""
    starts = np.flatnonzero(np.r_[True, person[1:] != person[:-1]])
    return starts, np.r_[starts[1:], len(person)] - 1


def _worked_gaps(
    pcode: np.ndarray, day: np.ndarray, person_day: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per person: last worked day, longest gap between worked days, number of worked days."""
    last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    gap = np.zeros(n)
    count = np.zeros(n)
    if not len(pcode):
        return last, gap, count
    person, worked = _person_days(pcode, day, person_day)
    starts, ends = _runs(person)
    owner = person[starts]
    last[owner] = worked[ends]
    count[owner] = ends - starts + 1
    steps = np.r_[np.diff(worked), 0].astype(float)
    steps[ends] = 0.0  # the step from one person's last day to the next person's first
    gap[owner] = np.maximum.reduceat(steps, starts)
    return last, gap, count


def booked_day_rows(
    person_day: np.ndarray, hours: np.ndarray, billable: np.ndarray, usual_day: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows on a day that one non-billable entry fills (``booked``), and the billable rows of
    such days (``billed``)."""
    fills = ~billable & (hours >= BOOKED_DAY_SHARE * usual_day)
    if not fills.any():
        empty = np.zeros(len(hours), dtype=bool)
        return empty, empty
    booked = np.bincount(person_day, weights=fills)[person_day] > 0
    return booked, booked & billable


def repeated_blocks(
    person: np.ndarray,
    project: np.ndarray,
    day: np.ndarray,
    hours: np.ndarray,
    billable: np.ndarray,
    usual_day: np.ndarray,
    text: Factorized,
    own_block_days: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a billable entry of at least half the person's day whose project, hours and text
    (``text``: the descriptions' codes) recur unchanged, and on how many distinct days each such
    entry recurs (0 elsewhere). ``own_block_days`` (per row): the longest block the person's
    history already holds; rows it would excuse whatever their count are not counted."""
    days = np.zeros(len(person))
    least = BLOCK_MIN_DAYS // 2
    # Cheap counts first (no hashing): a block needs its text and its person on enough rows.
    uses = np.bincount(text.codes, minlength=len(text.uniques))
    rows = np.flatnonzero(billable & (hours >= BLOCK_DAY_SHARE * usual_day) & (uses[text.codes] >= least))
    if len(rows):
        per_person = np.bincount(person[rows])[person[rows]]
        rows = rows[per_person >= least]
    if len(rows):
        # Person and text are dense codes: their pairs are counted without hashing.
        pair = group_ids(person[rows], text.codes[rows])
        per_pair = group_size(pair)
        keep = per_pair >= least
        if own_block_days is not None:
            # A key recurs on no more days than its person has rows of its text here.
            keep &= own_block_days[rows] < 0.5 * per_pair
        rows = rows[keep]
    if not len(rows):
        return rows, days
    cents = np.round(hours[rows] * 100).astype(np.int64)
    key = group_ids(person[rows], project[rows], cents, text.codes[rows])
    repeated = group_size(key) >= least
    rows, key = rows[repeated], key[repeated]
    if not len(rows):
        return rows, days
    first = _first_of_group(group_ids(key, day[rows]))
    days[rows] = np.bincount(key, weights=first)[key]
    return rows, days


def twin_rows(
    person: np.ndarray,
    project: np.ndarray,
    day: np.ndarray,
    hours: np.ndarray,
    billable: np.ndarray,
    text: Factorized,
    common_texts: frozenset[str],
) -> tuple[np.ndarray, np.ndarray]:
    """Billable rows sharing project, day, hours and a text that is rare in the firm (not common
    in the history, used at most ``RARE_TEXT_USES`` times in the frame) with an entry of another
    person, in groups of at most ``TWIN_MAX_GROUP``; and each row's group. With ``person`` and
    ``project`` passed the other way round: one person's rows of a day repeated on another project."""
    uses = np.bincount(text.codes, minlength=len(text.uniques))
    rare_here = (uses >= 2) & (uses <= RARE_TEXT_USES)
    candidates = np.flatnonzero(rare_here)
    rare_here[candidates] = [
        bool(str(u).strip()) and str(u) not in common_texts for u in text.uniques[candidates].tolist()
    ]
    rows = np.flatnonzero(billable & rare_here[text.codes])
    if not len(rows):
        return rows, rows
    cents = np.round(hours[rows] * 100).astype(np.int64)
    group = group_ids(project[rows], day[rows], cents, text.codes[rows])
    size = group_size(group)
    keep = (size >= 2) & (size <= TWIN_MAX_GROUP)
    rows, group = rows[keep], group[keep]
    if not len(rows):
        return rows, rows
    keep = _distinct_per_group(group, person[rows]) >= 2
    return rows[keep], group[keep]


def _distinct_per_group(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    first = _first_of_group(group_ids(group, value))
    return np.bincount(group, weights=first)[group]


def dormant_return_day(
    prow: np.ndarray, day: np.ndarray, person_day: np.ndarray, habits: Habits, *, known: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the day its (known) person came back after a silence longer than
    ``DORMANT_MIN_DAYS``, twice their own longest gap and anyone's longest gap in the history
    (the firm's own silence between the history and the batch not counted), int64 max where
    the person never went dormant; and that silence in days (0 where none). ``person_day``:
    each row's (person, day) group."""
    never = np.iinfo(np.int64).max
    out = np.full(len(day), never, dtype=np.int64)
    quiet = np.zeros(len(day))
    n_known = len(habits.persons)
    if not n_known:
        return out, quiet
    enough = known & (habits.worked_days[np.minimum(prow, n_known - 1)] >= _ENOUGH_DAYS)
    rows = np.flatnonzero(enough)
    if not len(rows):
        return out, quiet
    person, days = prow[rows].astype(np.int64), day[rows]
    p, worked = _person_days(person, days, person_day[rows])
    starts, _ = _runs(p)
    previous = np.r_[0, worked[:-1]]
    previous[starts] = habits.last_day[p[starts]]
    silence = (worked - previous).astype(float)
    # The firm's own pause between the history and the batch is nobody's dormancy.
    silence[starts] -= max(0, int(days.min()) - habits.firm_last_day - 1)
    limit = np.maximum(max(DORMANT_MIN_DAYS, habits.firm_longest_gap), 2.0 * habits.longest_gap[p])
    back = np.flatnonzero(silence > limit)
    if not len(back):
        return out, quiet
    # Sorted by person then day: a person's first return is the first of their run of returns.
    first = back[_first_of_group(p[back])]
    return_day = np.full(n_known, never, dtype=np.int64)
    return_day[p[first]] = worked[first]
    silent_for = np.zeros(n_known)
    silent_for[p[first]] = silence[first]
    after = days >= return_day[person]
    out[rows] = np.where(after, return_day[person], never)
    quiet[rows] = np.where(after, silent_for[person], 0.0)
    return out, quiet


def overtime_roles(
    role: np.ndarray, person_day: np.ndarray, hours: np.ndarray, billable: np.ndarray, working: np.ndarray
) -> dict[str, float]:
    """The roles the history bills only on long working days, with the shortest such day
    (``OVERTIME_DAY_QUANTILE`` of the distinct person-days billing the role): a category
    paid past the day's straight hours. A role is any other role when some of its working
    days are no longer than the firm's median working day; weekend days (``working`` False)
    are not read, where premium time may start at the first hour."""
    if not len(role):
        return {}
    day_hours = np.bincount(person_day, weights=hours)
    first = _first_of_group(person_day)
    median_day = float(np.median(day_hours[person_day[first & working]])) if (first & working).any() else 0.0
    roles = Factorized(role)
    rows = np.flatnonzero(billable & working)
    if not len(rows):
        return {}
    # One row per (role, person-day): the day's total, counted once.
    pair = group_ids(roles.codes[rows], person_day[rows])
    once = rows[_first_of_group(pair)]
    per_role = pd.Series(day_hours[person_day[once]]).groupby(roles.codes[once])
    counts, floors = per_role.size(), per_role.quantile(OVERTIME_DAY_QUANTILE)
    out: dict[str, float] = {}
    for code in floors.index[(counts >= OVERTIME_MIN_DAYS).to_numpy() & (floors > median_day).to_numpy()]:
        out[str(roles.uniques[int(code)]).lower()] = float(floors[code])
    return out


def learn_habits(frame: pd.DataFrame, history: TimeEntryHistory) -> Habits:
    """Learn the habits from validated history, on ``history``'s people (the model's
    ``TimeEntryHistory`` of the same frame: its person index and usual days)."""
    persons, usual_day = history.persons, history.med_day
    n = len(persons)
    pcode = persons.get_indexer(pd.Index(frame["person_id"].to_numpy(dtype=object)))
    day = _day_number(frame["work_date"])
    hours = frame["hours"].to_numpy(dtype=float)
    billable = frame["billable"].to_numpy(dtype=bool)
    project = Factorized(frame["project_id"].to_numpy(dtype=object))
    text = Factorized(frame["description"].to_numpy(dtype=object))
    usual = usual_day[np.where(pcode >= 0, pcode, n)]
    person_day = group_ids(pcode, day)
    last, gap, worked = _worked_gaps(pcode, day, person_day, n)

    booked, billed = booked_day_rows(person_day, hours, billable, usual)
    first_of_day = _first_of_group(person_day)
    booked_days = np.bincount(pcode[booked & first_of_day], minlength=n).astype(float)
    billed_day = np.bincount(person_day, weights=billed)[person_day] > 0
    booked_billed = np.bincount(pcode[billed_day & first_of_day], minlength=n).astype(float)

    rows, days = repeated_blocks(pcode, project.codes, day, hours, billable, usual, text)
    block_days = np.zeros(n)
    if len(rows):
        np.maximum.at(block_days, pcode[rows], days[rows])

    common_code = np.bincount(text.codes, minlength=len(text.uniques)) >= COMMON_TEXT_COUNT
    common = frozenset(str(t) for t in text.uniques[common_code].tolist())
    twins, _ = twin_rows(pcode, project.codes, day, hours, billable, text, frozenset())
    # Only rare texts can make a suspicious pair; pairs of common text are not counted.
    has_twin = np.zeros(len(day))
    has_twin[twins[~common_code[text.codes[twins]]]] = 1.0
    per_project = np.bincount(project.codes, minlength=len(project.uniques))
    twin_share = np.bincount(project.codes, weights=has_twin, minlength=len(project.uniques)) / np.maximum(
        per_project, 1
    )
    enough = worked >= _ENOUGH_DAYS
    usual_words, most_per_word = _narrative_habits(pcode, n, hours, billable, text)
    weekend = history.weekend[np.where(pcode >= 0, pcode, len(history.weekend) - 1), (day + 3) % 7]
    overtime = overtime_roles(frame["role"].to_numpy(dtype=object), person_day, hours, billable, ~weekend)
    return Habits(
        persons=persons,
        last_day=last,
        longest_gap=gap,
        worked_days=worked,
        block_days=block_days,
        booked_days=booked_days,
        booked_billed=booked_billed,
        firm_last_day=int(day.max()) if len(day) else 0,
        firm_longest_gap=float(gap[enough].max()) if enough.any() else 0.0,
        firm_block_share=float((block_days[enough] >= BLOCK_MIN_DAYS).mean()) if enough.any() else 0.0,
        common_texts=common,
        project_twin_share=pd.Series(twin_share, index=pd.Index(project.uniques)),
        firm_twin_share=float(has_twin.mean()) if len(has_twin) else 0.0,
        word_billable_share=_word_billable_share(text, billable),
        narrative_words=usual_words,
        hours_per_word_max=most_per_word,
        overtime_roles=overtime,
    )
