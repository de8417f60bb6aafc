"""What the reviewer sees: styled tables, embedded figures and headline notes, deterministic."""

from __future__ import annotations

import io
import logging
import re

import matplotlib
import matplotlib.pyplot
import pandas as pd
import PIL.Image
from IPython import get_ipython
from IPython.display import HTML, Image, Markdown, display

from csp_analysis.report.escape import html_text, markdown_text

FIGURE_DPI = 110


def configure() -> None:
    """Display defaults for every section notebook (fixed fonts and sizes, quiet logs)."""
    matplotlib.rcParams.update({
        "figure.dpi": FIGURE_DPI,
        "savefig.dpi": FIGURE_DPI,
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    })
    pd.set_option("display.max_rows", 200)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    shell = get_ipython()
    if type(shell).__name__ == "ZMQInteractiveShell":  # a notebook kernel, not a script or test
        # In a report the sections state exclusions and gaps in words; log lines would only clutter it.
        logging.getLogger("csp_analysis").setLevel(logging.ERROR)
        shell.kernel.log.addFilter(_shutdown_interrupt)


def _shutdown_interrupt(record: logging.LogRecord) -> bool:
    """False for the kernel's 'KeyboardInterrupt caught' line: jupyter_client interrupts every kernel
    it shuts down, so papermill's finished runs printed it on the console. Every other line passes."""
    return not record.getMessage().startswith("KeyboardInterrupt caught in kernel")


def figure_png(figure) -> bytes:
    """Render a figure to a compact PNG with no timestamp or software metadata (byte-stable).

    The image is reduced to a palette of at most 256 colours by octree (no dithering): charts and
    maps look the same (fills and legend keys within a few levels of their colour, where median cut
    lost rare colours) and the file is about 40% smaller than with median cut.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi, bbox_inches="tight", metadata={"Software": None})
    matplotlib.pyplot.close(figure)
    buffer.seek(0)
    palette = PIL.Image.open(buffer).convert("RGB").quantize(
        colors=256, method=PIL.Image.Quantize.FASTOCTREE, dither=PIL.Image.Dither.NONE)
    compact = io.BytesIO()
    palette.save(compact, format="png", optimize=True)
    return compact.getvalue()


def show_figure(png: bytes, alt: str) -> Image:
    """An embedded PNG for the notebook and its HTML rendering, with alternative text (plain text:
    the page template escapes it into the ``alt`` attribute)."""
    return Image(data=png, format="png", alt=alt)


class Items:
    """Several outputs shown in order as one: what a section function returns for a cell to show.

    Items that are None (a part with nothing to show) are left out.
    """

    def __init__(self, *items):
        self.items = [item for item in items if item is not None]

    def _ipython_display_(self) -> None:
        for item in self.items:
            if isinstance(item, Items):
                item._ipython_display_()
            else:
                display(item)


def decimals(column: pd.Series, most: int = 2) -> int:
    """The fewest decimal places (up to ``most``) that show every value of a column exactly.

    >>> decimals(pd.Series([35.9, 12.0])), decimals(pd.Series([1.25, 3.0])), decimals(pd.Series([2.0]))
    (1, 2, 0)
    """
    values = column.dropna().astype(float)
    return next((d for d in range(most) if (values.round(d) - values).abs().max() < 1e-9), most) if len(values) else 0


def show_table(table: pd.DataFrame, caption: str | None = None, *, table_id: str = "table") -> HTML:
    """A read-only HTML table; every cell escaped, so strings from data render as text.

    Floats show as many decimals as their column needs (at most two: 35.9, not 35.90); an index of
    labels (not row numbers) becomes the first column, headed by the index's name.
    """
    if table.index.name is not None or not pd.api.types.is_integer_dtype(table.index):
        table = table.reset_index(names=table.index.name or "")
    styler = (table.style.hide(axis="index").format(escape="html", na_rep="", precision=2, thousands=",")
              .format_index(escape="html", axis="columns"))
    for column in (c for c in table.columns if pd.api.types.is_float_dtype(table[c])):
        styler = styler.format(f"{{:,.{decimals(table[column])}f}}", subset=[column], na_rep="")
    styler = (
        styler
        .set_uuid(table_id)
        .set_table_attributes('class="csp-table"')
    )
    text = [c for c in table.columns if not _numeric_looking(table[c])]
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left"}).set_table_styles(
            [{"selector": f"th.col{table.columns.get_loc(c)}", "props": "text-align: left"} for c in text],
            overwrite=False)
    if caption:
        styler = styler.set_caption(html_text(caption))
    return HTML(styler.to_html())


_NUMBER = re.compile(r"^([+-]?[\d,]*\.?\d+%?|n/a|<0\.001|Equal|\[c\])?$")


def _numeric_looking(column: pd.Series) -> bool:
    """Numbers, or numbers as the tables write them ('+1,423', '+23.9%', 'n/a'): aligned right."""
    if pd.api.types.is_numeric_dtype(column):
        return True
    return column.dropna().astype(str).str.match(_NUMBER).all()


def note(text: str | None) -> Markdown | None:
    """Narrative text (Markdown); None (nothing to say) shows nothing. Escaped by
    :func:`~csp_analysis.report.escape.markdown_text`, so names taken from the configuration or the
    data (area, wards, case types, locations) can never inject HTML, a link or an image."""
    if text is None:
        return None
    return Markdown(markdown_text(text))


def synthetic_banner(is_synthetic: bool) -> Markdown:
    """The label every output of the demonstration carries."""
    if not is_synthetic:
        return Markdown("")
    return Markdown(
        "> **Synthetic demonstration data.** Every figure in this report comes from a fictional district "
        "generated by the project to show how the assessment works. None of it describes a real place."
    )
