"""The ``billing-fill`` suite: the learned billing fill on held-out generated SOWs and on the
hand-written batches written after the ones its recipe learns from.

Two readings of SOWs from the *test* families (writers and layouts no training document used),
scored on the eight scalar figure fields the fill may supply:

* the reader alone (``learned_*``): its best candidate per field against the generator's values,
  a wrong value counted as a false positive and a false negative. This is the number a worse
  model moves, since on generated text the rules leave almost nothing for the fill;
* the shipped reading (``filled_*``): the rules, their null fields filled by the model, through
  :func:`extraction.pipeline.analyse_document`, so the suite scores what the service returns.
  ``rules_*`` is the same reading without the fill's values, ``fills`` counts the values the fill
  supplied and ``fill_precision`` how many were right.

The SOWs the model was calibrated on are never scored (old models calibrated on the stream of
seed + 1 from position 0, new ones far down the stream of their own seed).

Leave-later-batches-out (``r22_*``, ``r19_r21_*``, ``r16_r18_*``;
:data:`training.billing_fill.LATER_SPLITS`): the model's recipe is fitted again on the generated
SOWs and the hand-written batches up to r21 (r18, r15), none for a model trained on generated SOWs
only, and today's rules, filled by that reader, read r22 (r19-r21, r16-r18); ``*_rules_*`` is the
rules alone on the same cases, ``*_learned_*`` the reader alone and ``*_gain`` the fill's F1 over
the rules. It judges the recipe on text written after its training data, so it goes down when a
change to the reader or its data stops carrying to new writers (the rules are fixed on each batch
after it is read, so the gain over them shrinks as they catch up; the reader alone does not move
with them). ``python -m evals.billing_fill`` prints those splits per field, beside a reader
trained on generated SOWs only, and (in a checkout) pooled over all fourteen billing fields as
``tests/extraction/test_billing_realistic`` scores them.
"""

from __future__ import annotations

import argparse
from typing import Any

from evals.suite import EvalContext, EvalResult, Headline
from extraction.billing.candidates import FIELD_KINDS, ITEM_KINDS, find_candidates
from extraction.billing.fill import LearnedBillingFill
from extraction.ingest import ingest
from extraction.pipeline import analyse_document
from training.billing_fill import (
    FILLED_LISTS,
    LaterReading,
    add_counts,
    billing_values,
    field_counts,
    generated_examples,
    handwritten_cases,
    later_counts,
    later_metrics,
    later_readers,
    milestone_counts,
    pooled,
    prf,
    read_later,
    reader_counts,
    split_name,
)
from training.sow_generator import generate_sow

#: Generated SOWs the leave-later-out readers learn from when the model does not say.
LATER_GENERATED = 300


def calibration_positions(model: LearnedBillingFill, seed: int) -> range:
    """The positions of the held-out stream of ``seed`` the model was calibrated on (maybe none)."""
    sources = model.training_sources
    held = int(sources.get("held_out_documents", 0))
    # Before the calibration moved down the stream, it read positions 0.. of seed + 1.
    calibration_seed = sources.get("calibration_seed", model.reader.random_state + 1)
    start = int(sources.get("calibration_start", 0))
    return range(start, start + held) if calibration_seed == seed else range(0)


def _rows(tables: dict[str, dict[str, list[int]]]) -> list[dict[str, Any]]:
    rows = []
    for name in FIELD_KINDS:
        row: dict[str, Any] = {"field": name}
        for reading, table in tables.items():
            row[reading] = table.get(name, [0, 0, 0])
            row[f"{reading}_f1"] = prf(*row[reading])[2]
        rows.append(row)
    return rows


class BillingFillSuite:
    name = "billing-fill"
    model_short_name = "billing-fill"

    def run(self, model: Any, context: EvalContext) -> EvalResult:
        if not isinstance(model, LearnedBillingFill):
            raise TypeError(f"the billing-fill suite scores a LearnedBillingFill, not {type(model).__name__}")
        count = int(context.options.get("documents", 40 if context.quick else 120))
        calibrated = calibration_positions(model, context.seed)
        positions = [i for i in range(count + len(calibrated)) if i not in calibrated][:count]
        skipped = [i for i in calibrated if i < positions[-1]] if positions else []
        docs, expected = [], []
        tables: dict[str, dict[str, list[int]]] = {"rules": {}, "filled": {}}
        fills = fills_right = 0
        for index in positions:
            sow = generate_sow(index, seed=context.seed, split="test")
            document = ingest(sow.text.encode("utf-8"), filename="sow.txt")
            want = {k: v["value"] for k, v in sow.billing.items() if k in FIELD_KINDS and v}
            docs.append(find_candidates([p.text for p in document.pages]))
            expected.append(want)
            billing = analyse_document(document, billing_fill=model, billing_fill_version="eval").billing
            filled = field_counts(billing_values(billing), want)
            add_counts(tables["filled"], filled)
            add_counts(tables["rules"], field_counts(billing_values(billing, learned=False), want))
            rules = billing_values(billing, learned=False)
            for name, value in billing_values(billing).items():
                if value is not None and rules[name] is None:
                    fills += 1
                    fills_right += filled[name][0]
        learned = reader_counts(model.reader, docs, expected)
        metrics: dict[str, float] = {"documents": float(len(positions))}
        for prefix, table in (("learned", learned), *tables.items()):
            p, r, f1 = pooled(table)
            metrics |= {f"{prefix}_precision": p, f"{prefix}_recall": r, f"{prefix}_f1": f1}
        for name in FIELD_KINDS:
            metrics[f"learned_f1.{name}"] = prf(*learned[name])[2]
        metrics["fills"] = float(fills)
        metrics["fill_precision"] = fills_right / fills if fills else 1.0
        result_tables = {"fields": _rows({"learned": learned, "filled": tables["filled"]})}
        headline = {
            "learned_f1": Headline("higher", 0.01),
            "learned_precision": Headline("higher", 0.02),
            "filled_f1": Headline("higher", 0.005),
        }
        notes = [
            f"{len(positions)} held-out-family generated SOWs (text), seed {context.seed}"
            + (f", its calibration SOWs {skipped[0]}-{skipped[-1]} skipped" if skipped else "")
            + "; learned = the reader alone, filled = rules then the fill (what the service returns)."
        ]
        later_generated = int(
            context.options.get(
                "later_generated", model.training_sources.get("generated_documents", LATER_GENERATED)
            )
        )
        # The model's own recipe: a model trained on no hand-written case is judged as one.
        sources = model.training_sources
        weight = sources.get("realistic_weight") if sources.get("realistic_cases") else None
        if later_generated:
            generated = generated_examples(later_generated, seed=context.seed)
            cases = handwritten_cases()
            for scored, reader, judged in later_readers(generated, cases, seed=context.seed, weight=weight):
                readings = read_later(reader, judged, lists=getattr(model, "lists", ()))
                counts = later_counts(readings)
                metrics |= later_metrics(scored, counts, milestone_counts(readings))
                result_tables[split_name(scored)] = _rows(counts)
            headline |= {
                "r22_filled_f1": Headline("higher", 0.01),
                "r19_r21_filled_f1": Headline("higher", 0.01),
            }
            learned_from = (
                "no hand-written case" if weight is None else "the hand-written batches up to r21 / r18 / r15"
            )
            notes.append(
                f"r22 / r19_r21 / r16_r18: the model's recipe refitted on {later_generated} generated SOWs "
                f"and {learned_from}; today's rules filled by it on the later batches "
                "(8 figure fields, values compared; milestones apart)."
            )
        return EvalResult(
            suite=self.name,
            model_short_name=self.model_short_name,
            metrics=metrics,
            headline=headline,
            tables=result_tables,
            notes=notes,
        )


SUITE = BillingFillSuite()


def _all_fields(readings: list[LaterReading], which: str) -> tuple[float, float, float]:
    """Pooled P/R/F1 over all 14 billing fields as the realistic suite scores them (a checkout)."""
    from evals.billing_candidates import count, load_scorer

    rt = load_scorer()
    total: dict[str, list[int]] = {}
    for reading in readings:
        got = getattr(reading, which).model_dump(mode="json")
        add_counts(total, count(rt, got, reading.case.expected, (*rt.SCALAR_FIELDS, *rt.LIST_FIELDS)))
    return pooled(total)


def main(argv: list[str] | None = None) -> dict[str, dict[str, dict[str, list[int]]]]:
    """Print the leave-later-out splits: rules, generated-only fill, fill with hand-written cases."""
    parser = argparse.ArgumentParser(prog="python -m evals.billing_fill")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--generated", type=int, default=LATER_GENERATED)
    parser.add_argument(
        "--lists", action="store_true", help="judge filling empty rates and milestones lists, unguarded"
    )
    parser.add_argument(
        "--scalars-only", action="store_true", help="the fill without its milestones (the earlier recipe)"
    )
    args = parser.parse_args(argv)
    generated = generated_examples(args.generated, seed=args.seed)
    cases = handwritten_cases()
    if args.lists:
        return _lists(generated, cases, seed=args.seed)
    lists = () if args.scalars_only else FILLED_LISTS
    items = None if lists else ()
    out = {}
    splits = zip(
        later_readers(generated, cases, seed=args.seed, items=items),
        later_readers(generated, cases, seed=args.seed, weight=None, items=items),
        strict=True,
    )
    for (scored, reader, judged), (_scored, generated_only, _judged) in splits:
        with_cases = read_later(reader, judged, lists=lists)
        without = read_later(generated_only, judged, lists=lists)
        alone = later_counts(without)
        tables = {
            "rules": alone["rules"],
            "generated_only": alone["filled"],
            "handwritten": later_counts(with_cases)["filled"],
            "learned_alone": later_counts(with_cases)["learned"],
        }
        out[split_name(scored)] = tables
        print(f"== {split_name(scored)}: {len(judged)} cases; P/R/F1 (tp/fp/fn)")
        print(f"{'field':28}" + "".join(f"{name:>30}" for name in tables))
        for name in (*FIELD_KINDS, "pooled 8"):
            cells = []
            for table in tables.values():
                row = (
                    [sum(r[i] for r in table.values()) for i in range(3)]
                    if name == "pooled 8"
                    else table[name]
                )
                p, r, f1 = prf(*row)
                cells.append(f"{p:.3f}/{r:.3f}/{f1:.3f} ({row[0]}/{row[1]}/{row[2]})".rjust(30))
            print(f"{name:28}" + "".join(cells))
        whole = [
            _all_fields(without, "rules"),
            _all_fields(without, "filled"),
            _all_fields(with_cases, "filled"),
        ]
        print(
            f"{'pooled 14 (realistic scorer)':28}"
            + "".join(f"{p:.3f}/{r:.3f}/{f1:.3f}".rjust(30) for p, r, f1 in whole)
        )
    return out


def _lists(generated: Any, cases: list[Any], *, seed: int) -> dict[str, dict[str, dict[str, list[int]]]]:
    """The list-fill experiment: the shipped scalar fill, then empty rates / milestones lists
    filled with the reader's items (``evals.billing_candidates.fill_items``), on each later split."""
    from evals.billing_candidates import count, fill_items, load_scorer

    rt = load_scorer()
    fields = (*rt.SCALAR_FIELDS, *rt.LIST_FIELDS)
    out = {}
    for scored, reader, judged in later_readers(generated, cases, seed=seed, items=tuple(ITEM_KINDS)):
        tables: dict[str, dict[str, list[int]]] = {"rules": {}, "fill8": {}, "fill10": {}}
        wrong = []
        for reading in read_later(reader, judged):
            case, got = reading.case, reading.filled.model_dump(mode="json")
            pages = [page.text for page in case.document.pages]
            currency = got["currency"]["value"] if got.get("currency") else None
            listed = fill_items(got, pages, reader.propose_items(case.candidates, currency=currency))
            for name, read in (
                ("rules", reading.rules.model_dump(mode="json")),
                ("fill8", got),
                ("fill10", listed),
            ):
                add_counts(tables[name], count(rt, read, case.expected, fields))
            for name in rt.LIST_FIELDS:
                if listed[name] and not got[name]:
                    tp, fp, _fn = count(rt, listed, case.expected, (name,))[name]
                    items = [item["value"] for item in listed[name]]
                    wrong += [f"  +{tp}/-{fp} {case.name} {name}: {items}"] if fp else []
        out[split_name(scored)] = tables
        print(f"== {split_name(scored)}: {len(judged)} cases; 14 fields as the realistic suite scores them")
        for name, table in tables.items():
            p, r, f1 = pooled(table)
            lists = "  ".join(f"{f} {table[f]}" for f in rt.LIST_FIELDS)
            print(f"{name:8} {p:.3f}/{r:.3f}/{f1:.3f}  {lists}")
        print("\n".join(["list fills with a wrong item:", *wrong]))
    return out


if __name__ == "__main__":
    main()
