"""Plotting helpers every eval suite uses, so that figures look alike across reports.

Each helper returns a ``matplotlib.figure.Figure`` built without ``pyplot`` (no
global figure state, safe in threads and in the service); a suite appends
``(title, figure)`` to ``EvalResult.figures`` and ``evals.report`` embeds it in
the HTML report as a base64 PNG.

Helpers
-------
precision_recall_figure
    One or more precision-recall curves, average precision in the legend.
reliability_figure
    A reliability diagram (calibration curve) for predicted probabilities,
    with the expected calibration error in the title and a count histogram.
bar_figure
    Horizontal bars of one metric per class, kind or rule.
confusion_matrix_figure
    A confusion matrix from true and predicted labels (counts, or row
    fractions with ``normalize=True``).
score_histogram_figure
    Score distributions per group (e.g. normal vs anomalous), with an
    optional threshold line.
expected_calibration_error
    The number the reliability diagram shows, for use as a metric.
figure_to_png_base64
    Render a figure to a base64 PNG string (what the report embeds).

Example
-------
>>> from evals.plots import precision_recall_figure
>>> fig = precision_recall_figure({"auto_renewal": ([0, 1, 1], [0.1, 0.8, 0.6])})
>>> result.figures.append(("Precision-recall per clause type", fig))
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# One palette and size for every report, so suites look alike.
_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
_DEFAULT_SIZE = (6.4, 4.2)


def new_figure(*, width: float = _DEFAULT_SIZE[0], height: float = _DEFAULT_SIZE[1]) -> Figure:
    """A blank figure with the Agg canvas attached, for suites drawing their own plot.

    Parameters
    ----------
    width, height : float
        Size in inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def figure_to_png_base64(figure: Figure) -> str:
    """Render ``figure`` as a PNG and return it base64-encoded (ASCII).

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    str
        Base64 text suitable for ``<img src="data:image/png;base64,...">``.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _binary_arrays(y_true: Sequence[int] | np.ndarray, scores: Sequence[float] | np.ndarray) -> tuple:
    truth = np.asarray(y_true, dtype=int).ravel()
    values = np.asarray(scores, dtype=float).ravel()
    if truth.shape != values.shape:
        raise ValueError(f"y_true has {truth.size} values but scores has {values.size}")
    return truth, values


def precision_recall_figure(
    curves: Mapping[str, tuple[Sequence[int] | np.ndarray, Sequence[float] | np.ndarray]],
    *,
    title: str = "Precision-recall",
    max_curves: int = 12,
) -> Figure:
    """Precision-recall curves, one per entry, average precision in the legend.

    Parameters
    ----------
    curves : mapping of str to (y_true, scores)
        For each label, binary truths (1 = positive) and scores where higher
        means more likely positive. Labels without a positive are drawn as
        a note in the legend rather than a curve.
    title : str
        Axes title.
    max_curves : int
        Draw at most this many curves (the first ones in mapping order), so
        a 40-class suite stays legible; summarise the rest in a table.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve

    figure = new_figure()
    axes = figure.add_subplot()
    for index, (label, (y_true, scores)) in enumerate(list(curves.items())[:max_curves]):
        truth, values = _binary_arrays(y_true, scores)
        colour = _COLOURS[index % len(_COLOURS)]
        if truth.sum() == 0:
            axes.plot([], [], color=colour, label=f"{label} (no positives)")
            continue
        precision, recall, _ = precision_recall_curve(truth, values)
        average_precision = average_precision_score(truth, values)
        axes.step(
            recall, precision, where="post", color=colour, label=f"{label} (AP {average_precision:.2f})"
        )
    axes.set_xlabel("Recall")
    axes.set_ylabel("Precision")
    axes.set_xlim(0.0, 1.0)
    axes.set_ylim(0.0, 1.05)
    axes.set_title(title)
    axes.grid(alpha=0.3)
    if curves:
        axes.legend(loc="lower left", fontsize="small")
    return figure


def _calibration_bins(
    y_true: np.ndarray, probabilities: np.ndarray, bins: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per equal-width bin: mean predicted probability, observed positive rate, count."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    # Right-closed last bin so a probability of exactly 1.0 is counted.
    indices = np.clip(np.digitize(probabilities, edges[1:-1], right=False), 0, bins - 1)
    counts = np.bincount(indices, minlength=bins)
    predicted_sum = np.bincount(indices, weights=probabilities, minlength=bins)
    observed_sum = np.bincount(indices, weights=y_true, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        predicted_mean = np.where(counts > 0, predicted_sum / np.maximum(counts, 1), np.nan)
        observed_rate = np.where(counts > 0, observed_sum / np.maximum(counts, 1), np.nan)
    return predicted_mean, observed_rate, counts


def expected_calibration_error(
    y_true: Sequence[int] | np.ndarray, probabilities: Sequence[float] | np.ndarray, *, bins: int = 10
) -> float:
    """Expected calibration error: the count-weighted mean gap between confidence and accuracy.

    Parameters
    ----------
    y_true : sequence of int
        Binary truths (1 = the predicted event happened / the value was right).
    probabilities : sequence of float
        Predicted probabilities in [0, 1].
    bins : int
        Number of equal-width bins.

    Returns
    -------
    float
        In [0, 1]; lower is better. 0.0 for empty input.
    """
    truth, values = _binary_arrays(y_true, probabilities)
    if truth.size == 0:
        return 0.0
    predicted_mean, observed_rate, counts = _calibration_bins(truth, np.clip(values, 0.0, 1.0), bins)
    filled = counts > 0
    gaps = np.abs(predicted_mean[filled] - observed_rate[filled])
    return float(np.sum(gaps * counts[filled]) / truth.size)


def reliability_figure(
    y_true: Sequence[int] | np.ndarray,
    probabilities: Sequence[float] | np.ndarray,
    *,
    bins: int = 10,
    title: str = "Reliability",
) -> Figure:
    """A reliability diagram: observed rate against mean predicted probability per bin.

    Parameters
    ----------
    y_true : sequence of int
        Binary truths (1 = correct / positive).
    probabilities : sequence of float
        Predicted probabilities (confidences) in [0, 1].
    bins : int
        Number of equal-width bins.
    title : str
        Axes title; the expected calibration error is appended.

    Returns
    -------
    matplotlib.figure.Figure
        Top: the calibration curve against the diagonal; bottom: counts per bin.
    """
    truth, values = _binary_arrays(y_true, probabilities)
    values = np.clip(values, 0.0, 1.0)
    predicted_mean, observed_rate, counts = _calibration_bins(truth, values, bins)
    ece = expected_calibration_error(truth, values, bins=bins)

    figure = new_figure(height=5.0)
    curve_axes, count_axes = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    curve_axes.plot([0, 1], [0, 1], linestyle="--", color="#999999", label="perfectly calibrated")
    filled = counts > 0
    curve_axes.plot(
        predicted_mean[filled], observed_rate[filled], marker="o", color=_COLOURS[0], label="model"
    )
    curve_axes.set_ylabel("Observed rate")
    curve_axes.set_ylim(0.0, 1.05)
    curve_axes.set_title(f"{title} (ECE {ece:.3f})")
    curve_axes.grid(alpha=0.3)
    curve_axes.legend(loc="upper left", fontsize="small")
    centres = (np.arange(bins) + 0.5) / bins
    count_axes.bar(centres, counts, width=1.0 / bins, color=_COLOURS[0], alpha=0.6, edgecolor="white")
    count_axes.set_xlabel("Predicted probability")
    count_axes.set_ylabel("Count")
    count_axes.set_xlim(0.0, 1.0)
    return figure


def bar_figure(
    values: Mapping[str, float],
    *,
    metric: str,
    title: str | None = None,
    reference: float | None = None,
    value_range: tuple[float, float] | None = (0.0, 1.0),
) -> Figure:
    """Horizontal bars of one metric per class, kind or rule, in mapping order.

    Parameters
    ----------
    values : mapping of str to float
        Label -> metric value.
    metric : str
        The metric's name, used as the axis label.
    title : str, optional
        Axes title; defaults to ``"<metric> per class"``.
    reference : float, optional
        Draws a vertical dashed line (e.g. the macro average or a target).
    value_range : (float, float) or None
        Axis limits; None lets matplotlib choose (for unbounded metrics).

    Returns
    -------
    matplotlib.figure.Figure
    """
    labels = list(values)
    numbers = [float(values[label]) for label in labels]
    figure = new_figure(height=max(2.0, 0.32 * len(labels) + 1.2))
    axes = figure.add_subplot()
    positions = np.arange(len(labels))
    axes.barh(positions, numbers, color=_COLOURS[0])
    axes.set_yticks(positions, labels=labels, fontsize="small")
    axes.invert_yaxis()
    for position, number in zip(positions, numbers, strict=True):
        axes.text(number, float(position), f" {number:.2f}", va="center", fontsize="x-small")
    if reference is not None:
        axes.axvline(reference, linestyle="--", color=_COLOURS[3], label=f"reference {reference:.2f}")
        axes.legend(loc="lower right", fontsize="small")
    if value_range is not None:
        axes.set_xlim(*value_range)
    axes.set_xlabel(metric)
    axes.set_title(title or f"{metric} per class")
    axes.grid(axis="x", alpha=0.3)
    return figure


def confusion_matrix_figure(
    y_true: Sequence[str | int],
    y_pred: Sequence[str | int],
    *,
    labels: Sequence[str | int] | None = None,
    normalize: bool = False,
    title: str = "Confusion matrix",
) -> Figure:
    """A confusion matrix: rows are true labels, columns predicted ones.

    Parameters
    ----------
    y_true, y_pred : sequence
        True and predicted labels, same length.
    labels : sequence, optional
        Label order; defaults to the sorted union of both.
    normalize : bool
        Show each row as fractions of its true label instead of counts.
    title : str
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sklearn.metrics import confusion_matrix

    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}")
    order = list(labels) if labels is not None else sorted({*y_true, *y_pred}, key=str)
    matrix = confusion_matrix(list(y_true), list(y_pred), labels=order).astype(float)
    if normalize:
        totals = matrix.sum(axis=1, keepdims=True)
        matrix = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
    size = max(3.5, 0.45 * len(order) + 2.0)
    figure = new_figure(width=size + 1.0, height=size)
    axes = figure.add_subplot()
    image = axes.imshow(matrix, cmap="Blues", vmin=0.0, vmax=1.0 if normalize else None)
    figure.colorbar(image, ax=axes, shrink=0.8)
    names = [str(label) for label in order]
    axes.set_xticks(range(len(order)), labels=names, rotation=45, ha="right", fontsize="small")
    axes.set_yticks(range(len(order)), labels=names, fontsize="small")
    threshold = matrix.max() / 2.0 if matrix.size else 0.0
    for row in range(len(order)):
        for column in range(len(order)):
            cell = matrix[row, column]
            text = f"{cell:.2f}" if normalize else f"{int(cell)}"
            colour = "white" if cell > threshold else "black"
            axes.text(column, row, text, ha="center", va="center", color=colour, fontsize="x-small")
    axes.set_xlabel("Predicted")
    axes.set_ylabel("True")
    axes.set_title(title)
    return figure


def score_histogram_figure(
    scores_by_group: Mapping[str, Sequence[float] | np.ndarray],
    *,
    threshold: float | None = None,
    bins: int = 40,
    title: str = "Score distribution",
    xlabel: str = "Score",
) -> Figure:
    """Overlaid score histograms per group (e.g. normal vs anomalous items).

    Parameters
    ----------
    scores_by_group : mapping of str to sequence of float
        Group label -> scores.
    threshold : float, optional
        Draws the decision threshold as a vertical line.
    bins : int
        Number of bins shared by all groups.
    title, xlabel : str
        Axes title and x label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    figure = new_figure()
    axes = figure.add_subplot()
    arrays = {label: np.asarray(scores, dtype=float).ravel() for label, scores in scores_by_group.items()}
    non_empty = [values for values in arrays.values() if values.size]
    if non_empty:
        combined = np.concatenate(non_empty)
        edges = [float(edge) for edge in np.histogram_bin_edges(combined, bins=bins)]
        for index, (label, values) in enumerate(arrays.items()):
            if values.size:
                axes.hist(
                    values,
                    bins=edges,
                    alpha=0.55,
                    density=True,
                    color=_COLOURS[index % len(_COLOURS)],
                    label=f"{label} (n={values.size})",
                )
    if threshold is not None:
        axes.axvline(threshold, linestyle="--", color="black", label=f"threshold {threshold:.3g}")
    axes.set_xlabel(xlabel)
    axes.set_ylabel("Density")
    axes.set_title(title)
    axes.grid(alpha=0.3)
    if arrays or threshold is not None:
        axes.legend(loc="upper right", fontsize="small")
    return figure


__all__ = [
    "bar_figure",
    "confusion_matrix_figure",
    "expected_calibration_error",
    "figure_to_png_base64",
    "new_figure",
    "precision_recall_figure",
    "reliability_figure",
    "score_histogram_figure",
]
