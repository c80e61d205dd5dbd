"""Topic charts: interactive HTML (plotly) to explore, static PNG (matplotlib) for reports.

The HTML pages load ``plotly.min.js`` from beside them (written once per folder), so they work
offline from disk and every page stays small. Figures have fixed element ids and no
timestamps, so the same topics give the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from lived_experience.output import atomic_path, write_text_atomic
from lived_experience.topics.model import OUTLIER

NEW_CODE_COLOUR, KNOWN_COLOUR = "#d95f02", "#1b9e77"
MAX_TOPICS_SHOWN = 30


def _need_plotting() -> None:
    try:
        import matplotlib  # noqa: F401
        import plotly  # noqa: F401
    except ImportError as error:  # pragma: no cover
        from lived_experience.errors import TopicModelError

        raise TopicModelError(
            f"topic charts need {error.name}. Fix: pip install 'lived_experience[topics]'."
        ) from error


def _shown(topics: pd.DataFrame, limit: int | None = MAX_TOPICS_SHOWN) -> pd.DataFrame:
    real = topics[topics["topic"] != OUTLIER]
    return real if limit is None else real.head(limit)


def _how_many(topics: pd.DataFrame, shown: int) -> str:
    """'all 33 topics' or 'top 15 of 33 topics' (by number of answers)."""
    total = int((topics["topic"] != OUTLIER).sum())
    return f"all {total} topics" if shown >= total else f"top {shown} of {total} topics"


def column_words(column: str) -> str:
    """An attribute column as a reader says it: 'ethnic_group' -> 'ethnic group'."""
    return column.replace("_", " ").strip()


def _map_label(topic: int, label: str, words: int = 3) -> str:
    """A short label for the map: the topic number and its first keywords."""
    first = " ".join(str(label).replace("_", " ").split()[:words])
    return f"{topic}: {first}"


def _colours(topics: pd.DataFrame) -> list[str]:
    flags = topics.get("candidate_new_code", pd.Series(False, index=topics.index))
    return [NEW_CODE_COLOUR if bool(f) else KNOWN_COLOUR for f in flags.fillna(False)]


def intertopic_coordinates(vectors: np.ndarray) -> np.ndarray:
    """2-D positions of topic vectors (principal components; deterministic signs)."""
    if len(vectors) < 2:
        return np.zeros((len(vectors), 2))
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:2]
    signs = np.sign(components[np.arange(len(components)), np.abs(components).argmax(axis=1)])
    coordinates = centred @ (components * signs[:, None]).T
    if coordinates.shape[1] < 2:
        coordinates = np.hstack([coordinates, np.zeros((len(coordinates), 1))])
    return coordinates


def _bar_figure(topics: pd.DataFrame) -> object:
    import plotly.graph_objects as go

    shown = _shown(topics, None).iloc[::-1]
    hover = [
        f"topic {t}<br>{k}<br>nearest code: {c}"
        for t, k, c in zip(
            shown["topic"],
            shown["keywords"],
            shown.get("nearest_codes", pd.Series("", index=shown.index)),
            strict=True,
        )
    ]
    figure = go.Figure(
        go.Bar(
            x=shown["size"],
            y=[f"{t}: {label}" for t, label in zip(shown["topic"], shown["label"], strict=True)],
            orientation="h",
            marker_color=_colours(shown),
            hovertext=hover,
            hoverinfo="text+x",
        )
    )
    figure.update_layout(
        title={
            "text": f"Answers per topic ({_how_many(topics, len(shown))})<br><sup>orange: no "
            "codebook code covers it</sup>",
            "x": 0.01,
            "xanchor": "left",
        },
        xaxis={"title": "answers", "rangemode": "tozero"},
        height=max(400, 26 * len(shown) + 140),
        margin={"l": 320, "t": 90},
        template="plotly_white",
    )
    return figure


def _class_figure(by_group: pd.DataFrame, column: str, topics: pd.DataFrame) -> object:
    import plotly.graph_objects as go

    table = by_group[(by_group["group_column"] == column) & (by_group["topic"] != OUTLIER)]
    keep = _shown(topics)["topic"].tolist()
    pivot = (
        table[table["topic"].isin(keep)]
        .pivot(index="group", columns="topic", values="share")
        .reindex(columns=keep)
        .astype(float)
    )
    figure = go.Figure(
        go.Heatmap(
            z=(pivot * 100).round(1).to_numpy(),
            x=[f"{t}: {topics.set_index('topic').loc[t, 'label']}" for t in pivot.columns],
            y=[str(g) for g in pivot.index],
            colorscale="Blues",
            hoverongaps=False,
            colorbar={"title": "% of group's answers"},
        )
    )
    figure.update_layout(
        title={
            "text": f"Topics by {column_words(column)} ({_how_many(topics, len(keep))})<br>"
            "<sup>% of each group's answers; blank: fewer than k answers, suppressed</sup>",
            "x": 0.01,
            "xanchor": "left",
        },
        height=max(350, 30 * len(pivot) + 250),
        template="plotly_white",
    )
    return figure


def _map_figure(topics: pd.DataFrame, vectors: np.ndarray, topic_ids: list[int]) -> object:
    import plotly.graph_objects as go

    coordinates = intertopic_coordinates(vectors)
    table = topics.set_index("topic").loc[topic_ids]
    sizes = table["size"].to_numpy(dtype=float)
    figure = go.Figure(
        go.Scatter(
            x=coordinates[:, 0],
            y=coordinates[:, 1],
            mode="markers+text",
            text=[_map_label(t, label) for t, label in zip(topic_ids, table["label"], strict=True)],
            textposition="top center",
            textfont={"size": 10},
            marker={
                "size": 12 + 48 * np.sqrt(sizes / sizes.max()),
                "color": _colours(table.reset_index()),
                "opacity": 0.6,
                "line": {"width": 1, "color": "#333"},
            },
            hovertext=[f"{t}: {label}" for t, label in zip(topic_ids, table["label"], strict=True)],
            hoverinfo="text",
        )
    )
    figure.update_layout(
        title="Intertopic map (near topics are similar; size = answers)",
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=600,
        template="plotly_white",
    )
    return figure


def _write_html(figure: object, path: Path, div_id: str) -> Path:
    html = figure.to_html(  # type: ignore[attr-defined]
        include_plotlyjs="directory", full_html=True, div_id=div_id
    )
    write_text_atomic(path, html)
    return path


def _write_png(figure: object, path: Path) -> Path:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})  # type: ignore[attr-defined]
    with atomic_path(path) as tmp:
        tmp.write_bytes(buffer.getvalue())
    return path


def _bar_png(topics: pd.DataFrame, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = _shown(topics, None).iloc[::-1]
    figure, axes = plt.subplots(figsize=(10, max(3, 0.3 * len(shown) + 1.4)))
    axes.barh(
        [f"{t}: {label}" for t, label in zip(shown["topic"], shown["label"], strict=True)],
        shown["size"],
        color=_colours(shown),
    )
    axes.set_xlabel("answers")
    axes.set_title(
        f"Answers per topic ({_how_many(topics, len(shown))})\norange: no codebook code covers it",
        loc="left",
        fontsize=10,
    )
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    try:
        return _write_png(figure, path)
    finally:
        plt.close(figure)


def _class_png(by_group: pd.DataFrame, column: str, topics: pd.DataFrame, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = by_group[(by_group["group_column"] == column) & (by_group["topic"] != OUTLIER)]
    keep = _shown(topics)["topic"].tolist()[:15]
    pivot = (
        table[table["topic"].isin(keep)]
        .pivot(index="group", columns="topic", values="share")
        .reindex(columns=keep)
        .astype(float)
    )
    figure, axes = plt.subplots(figsize=(max(6, 0.55 * len(keep) + 3), 0.45 * len(pivot) + 2))
    image = axes.imshow(np.ma.masked_invalid(pivot.to_numpy() * 100), cmap="Blues", aspect="auto")
    axes.set_xticks(range(len(keep)), [str(t) for t in keep])
    axes.set_yticks(range(len(pivot)), [str(g) for g in pivot.index])
    axes.set_xlabel("topic (see topics.csv)")
    axes.set_title(
        f"Topics by {column_words(column)} ({_how_many(topics, len(keep))})\n"
        "% of each group's answers; blank = suppressed",
        loc="left",
        fontsize=10,
    )
    figure.colorbar(image, ax=axes, shrink=0.8)
    figure.tight_layout()
    try:
        return _write_png(figure, path)
    finally:
        plt.close(figure)


def _map_png(topics: pd.DataFrame, vectors: np.ndarray, topic_ids: list[int], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    coordinates = intertopic_coordinates(vectors)
    table = topics.set_index("topic").loc[topic_ids]
    sizes = table["size"].to_numpy(dtype=float)
    figure, axes = plt.subplots(figsize=(7, 6))
    axes.scatter(
        coordinates[:, 0],
        coordinates[:, 1],
        s=40 + 1500 * sizes / sizes.max(),
        c=_colours(table.reset_index()),
        alpha=0.5,
        edgecolors="#333",
    )
    for (x, y), topic, label in zip(coordinates, topic_ids, table["label"], strict=True):
        axes.annotate(_map_label(topic, label), (x, y), ha="center", va="bottom", fontsize=7)
    axes.set_axis_off()
    axes.set_title(
        "Intertopic map: near topics are similar; size = answers", loc="left", fontsize=10
    )
    figure.tight_layout()
    try:
        return _write_png(figure, path)
    finally:
        plt.close(figure)


def write_topic_charts(
    topics: pd.DataFrame,
    by_group: pd.DataFrame,
    vectors: np.ndarray,
    topic_ids: list[int],
    folder: str | Path,
) -> list[Path]:
    """Write the bar chart, one topics-per-class chart per group column and the intertopic
    map, each as HTML and PNG; return the paths written."""
    _need_plotting()
    import plotly.offline

    folder = Path(folder)
    written = [folder / "plotly.min.js"]
    write_text_atomic(written[0], plotly.offline.get_plotlyjs())
    written.append(_write_html(_bar_figure(topics), folder / "topics_barchart.html", "topics-bar"))
    written.append(_bar_png(topics, folder / "topics_barchart.png"))
    for column in dict.fromkeys(by_group["group_column"]):
        slug = str(column).replace(" ", "_")
        written.append(
            _write_html(
                _class_figure(by_group, column, topics),
                folder / f"topics_per_{slug}.html",
                f"topics-per-{slug}",
            )
        )
        written.append(_class_png(by_group, column, topics, folder / f"topics_per_{slug}.png"))
    written.append(
        _write_html(
            _map_figure(topics, vectors, topic_ids), folder / "intertopic_map.html", "topic-map"
        )
    )
    written.append(_map_png(topics, vectors, topic_ids, folder / "intertopic_map.png"))
    return written
