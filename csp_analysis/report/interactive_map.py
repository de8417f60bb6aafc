"""``interactive_map.html``: the wards as polygons to pan, zoom and hover, in one self-contained page.

The page is for the HTML output only (a page of its own beside ``index.html``, never in the document,
so ``assessment.html``, the PDF and the Word file are unchanged). It is made with ``offlinefolium``
(the PyPI package ``folium-offline``), which writes Leaflet's script and style into the page instead of
linking to a CDN, and it has no base tiles: it works with no network at all. Only Leaflet's own script
and style are embedded (not jQuery, Bootstrap or the icon fonts folium adds by default), which keeps
the page small.

Every string from data (ward names, Gi* classes) is escaped with :func:`~csp_analysis.report.escape.html_text`
before it reaches the tooltip, which Leaflet sets as HTML, and none is written into the page's script:
the tooltips are hidden elements of the page, which the script copies by each ward's index.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from csp_analysis import formatting as fmt
from csp_analysis.report.escape import html_text

INTERACTIVE_MAP = "interactive_map.html"

#: Five sequential classes (ColorBrewer YlOrRd), light to dark; wards with no value are grey.
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_VALUE = "#d9d9d9"

_LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
_LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"


def _map_class():
    """``offlinefolium.Map`` embedding Leaflet alone (the keys name the embedded copies, not links)."""
    import offlinefolium

    class LeafletOnlyMap(offlinefolium.Map):
        default_js = [("leaflet", _LEAFLET_JS)]
        default_css = [("leaflet_css", _LEAFLET_CSS)]

    return LeafletOnlyMap


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def class_breaks(values: pd.Series, k: int = len(PALETTE)) -> list[float]:
    """Upper bounds of up to ``k`` quantile classes of the non-missing ``values`` (distinct, ascending)."""
    present = values.dropna().astype(float)
    if present.empty:
        return []
    return sorted(set(np.quantile(present, np.linspace(0, 1, k + 1)[1:]).round(6).tolist()))


def colour(value: float | None, breaks: list[float]) -> str:
    """The palette colour of ``value`` given :func:`class_breaks` (grey for a missing value)."""
    if value is None or math.isnan(value) or not breaks:
        return NO_VALUE
    index = next((i for i, upper in enumerate(breaks) if value <= upper), len(breaks) - 1)
    # spread fewer classes than colours over the whole palette
    return PALETTE[round(index * (len(PALETTE) - 1) / max(len(breaks) - 1, 1))]


def tooltip_html(row: pd.Series, *, use_rate: bool) -> str:
    """One ward's tooltip: name, count, rate, change and Gi* class, each data string escaped."""
    rate = _number(row.get("rate_per_1000"))
    change = _number(row.get("change"))
    pct = row.get("pct_change")
    lines = [
        f"<strong>{html_text(row['ward_name'])}</strong>",
        f"Records: {fmt.count(row['current'])}",
        "Rate per 1,000 residents: " + ("n/a" if rate is None else f"{rate:.1f}"),
        "Change: " + ("n/a" if change is None else f"{fmt.signed_count(change)} ({fmt.pct(pct)})"),
        f"Gi* class: {html_text(row.get('hotspot_class', 'not tested'))}",
    ]
    if not use_rate:
        lines[2] = "Rate per 1,000 residents: n/a (no population)"
    return "<br>".join(lines)


def ward_features(wards: gpd.GeoDataFrame, rows: pd.DataFrame) -> tuple[dict, list[float], bool]:
    """The GeoJSON of the wards in WGS84 with an index ``i``, a ``fill`` colour and an escaped ``tooltip`` each.

    ``rows`` are one category's rows of the ward table (``ward_code``, ``ward_name``, ``current``,
    ``change``, ``pct_change``, ``rate_per_1000``, ``hotspot_class``). Colours follow the rate or, when
    no ward has one (no population), the count. Returns the collection, the class breaks and whether
    the rate was used.
    """
    table = rows.drop(columns="ward_name", errors="ignore") if "ward_name" in wards else rows
    joined = wards.merge(table, on="ward_code", how="left")
    use_rate = "rate_per_1000" in joined and joined["rate_per_1000"].notna().any()
    values = joined["rate_per_1000" if use_rate else "current"].astype(float)
    breaks = class_breaks(values)
    joined["current"] = joined["current"].fillna(0)
    shapes = joined.to_crs(4326).geometry
    features = []
    for (_, row), value, shape in zip(joined.iterrows(), values, shapes):
        features.append({
            "type": "Feature",
            "properties": {"i": len(features), "fill": colour(_number(value), breaks),
                           "tooltip": tooltip_html(row, use_rate=use_rate)},
            "geometry": shape.__geo_interface__,
        })
    return {"type": "FeatureCollection", "features": features}, breaks, use_rate


def _legend(title: str, breaks: list[float], use_rate: bool) -> str:
    measure = "Rate per 1,000 residents" if use_rate else "Records (no population: counts)"
    items, lower = [], None
    for i, upper in enumerate(breaks):
        fill = colour(upper, breaks)
        span = f"up to {upper:,.1f}" if lower is None else f"{lower:,.1f} to {upper:,.1f}"
        items.append(f'<li><span style="background:{fill}"></span>{span}</li>')
        lower = upper
    items.append(f'<li><span style="background:{NO_VALUE}"></span>no value</li>')
    return (
        '<div class="csp-map-legend"><h1>' + html_text(title) + "</h1><p>" + measure
        + " (hover over a ward for its figures)</p><ul>" + "".join(items) + "</ul></div>"
    )


_STYLE = """<style>
html, body {margin: 0; height: 100%; font-family: sans-serif;}
.leaflet-container {background: #ffffff;}
.csp-map-legend {position: absolute; top: 10px; right: 10px; z-index: 1000; background: #fff; padding: 6px 10px;
  border: 1px solid #999; font-size: 13px; max-width: 18em;}
.csp-map-legend h1 {font-size: 15px; margin: 0 0 4px;}
.csp-map-legend p {margin: 0 0 4px;}
.csp-map-legend ul {list-style: none; margin: 0; padding: 0;}
.csp-map-legend span {display: inline-block; width: 14px; height: 14px; margin-right: 6px; border: 1px solid #666;
  vertical-align: middle;}
</style>"""


def build_map(wards: gpd.GeoDataFrame, rows: pd.DataFrame, title: str) -> str:
    """The page's HTML (see :func:`ward_features` for ``rows``)."""
    import offlinefolium
    from branca.element import Element
    from offlinefolium.utilities import JsCode

    collection, breaks, use_rate = ward_features(wards, rows)
    # The tooltips (the only text from data) go into the page as hidden elements, never into its script:
    # the script carries each ward's index and colour alone and copies the (escaped) element's markup.
    tips = "".join(f'<div id="csp-tip-{f["properties"]["i"]}">{f["properties"].pop("tooltip")}</div>'
                   for f in collection["features"])
    west, south, east, north = wards.to_crs(4326).total_bounds
    m = _map_class()(location=[(south + north) / 2, (west + east) / 2], zoom_start=12, tiles=None,
                     attribution_control=False, control_scale=True)
    offlinefolium.GeoJson(
        collection, name="Wards",
        style_function=lambda feature: {"fillColor": feature["properties"]["fill"], "color": "#444444",
                                        "weight": 1, "fillOpacity": 0.75},
        highlight_function=lambda feature: {"weight": 3, "color": "#000000"},
        on_each_feature=JsCode(
            "function (feature, layer) {"
            " var tip = document.getElementById('csp-tip-' + Number(feature.properties.i));"
            " if (tip) { layer.bindTooltip(tip.innerHTML, {sticky: true}); } }"),
    ).add_to(m)
    m.fit_bounds([[south, west], [north, east]])
    root = m.get_root()
    root.header.add_child(Element(f"<title>{html_text(title)}</title>"), name="csp_title")
    root.header.add_child(Element(_STYLE), name="csp_style")
    root.html.add_child(Element(_legend(title, breaks, use_rate)), name="csp_legend")
    root.html.add_child(Element(f'<div id="csp-tips" hidden>{tips}</div>'), name="csp_tips")
    return root.render()


def write_map(folder: Path, wards: gpd.GeoDataFrame, rows: pd.DataFrame, title: str) -> Path:
    """Write ``folder/interactive_map.html`` and return its path."""
    path = Path(folder) / INTERACTIVE_MAP
    path.write_text(build_map(wards, rows, title), encoding="utf-8")
    return path
