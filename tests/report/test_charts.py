"""The monthly trend chart: a line breaks at a month with no data, and an empty panel has limits."""

from __future__ import annotations

import io
import math

import pandas as pd

from csp_analysis.periods import Period
from csp_analysis.report.charts import monthly_small_multiples


def test_the_trend_line_breaks_at_a_missing_month():
    monthly = pd.DataFrame({"Burglary": [5, 7, 9]}, index=["2021-01", "2021-02", "2021-04"])  # no March
    figure = monthly_small_multiples(monthly, Period.from_strings("2021-01", "2021-02"),
                                     Period.from_strings("2021-03", "2021-04"))
    line = figure.axes[0].lines[0]
    assert list(line.get_xdata()) == [0, 1, 2, 3]
    y = list(line.get_ydata())
    assert y[:2] == [5, 7] and math.isnan(y[2]) and y[3] == 9


def test_a_panel_with_no_numbers_gets_limits_not_nan():
    monthly = pd.DataFrame({"Burglary": [float("nan")] * 2}, index=["2021-01", "2021-02"])
    figure = monthly_small_multiples(monthly, Period.from_strings("2021-01", "2021-01"),
                                     Period.from_strings("2021-02", "2021-02"))
    assert figure.axes[0].get_ylim() == (0.0, 1.0)
    figure.savefig(io.BytesIO(), format="png")  # draws without "Axis limits cannot be NaN"
