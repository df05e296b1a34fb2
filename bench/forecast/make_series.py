#!/usr/bin/env python3
"""Builds the public forecasting benchmark (series.csv, spec.csv) from Debian-packaged data.

Sources: python3-statsmodels' datasets (macrodata, elnino, elec_equip, fertility, danish_data, interest_inflation),
R's tseries package data (NelPlo, USeconomic, tcm, nino, bev; via tseries_export.R) and Hindsight's bundled
unemployment series (data/unemployment_long.csv). Nothing of R's own `datasets` or `forecast` packages, nor their copies
(statsmodels' nile, sunspots, co2, longley), is used: those are kept for independent evaluation.
Horizons follow the M4 competition: 6 yearly, 8 quarterly, 18 monthly. Needs tools/reference/setup-r.sh.
"""
import csv, os, subprocess, sys
import importlib
import statsmodels.datasets as ds
importlib.import_module("statsmodels.datasets.elec_equip")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEASON = {"yearly": 1, "quarterly": 4, "monthly": 12}
HORIZON = {"yearly": 6, "quarterly": 8, "monthly": 18}
STATSMODELS = "python3-statsmodels 0.13 datasets"
rows, spec = [], []


def add(uid, dates, values, freq, source, licence):
    ok = [i for i, v in enumerate(values) if v == v]  # NaN is missing: only leading/trailing gaps are allowed
    assert ok and all(values[i] == values[i] for i in range(ok[0], ok[-1] + 1)), uid
    pairs = [(dates[i], values[i]) for i in range(ok[0], ok[-1] + 1)]
    for d, v in pairs:
        rows.append((uid, d, "%.10g" % v))
    spec.append((uid, SEASON[freq], HORIZON[freq], freq, len(pairs), source, licence))


def quarter_dates(years, quarters):
    return ["%04d-%02d-01" % (int(y), 3 * (int(q) - 1) + 1) for y, q in zip(years, quarters)]


macro = ds.macrodata.load_pandas().data
for col in ["realgdp", "realcons", "realinv", "realgovt", "realdpi", "cpi", "m1", "tbilrate", "unemp", "pop", "infl", "realint"]:
    add("macro_" + col, quarter_dates(macro.year, macro.quarter), list(macro[col]), "quarterly",
        "US macroeconomic data 1959Q1-2009Q3 (FRED, BLS) via " + STATSMODELS + " macrodata", "public domain")

nino = ds.elnino.load_pandas().data
dates, vals = [], []
for _, r in nino.iterrows():
    for m, name in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]):
        dates.append("%04d-%02d-01" % (int(r.YEAR), m + 1)); vals.append(float(r[name]))
add("elnino_nino12", dates, vals, "monthly", "NOAA ERSST.V3B Nino 1+2 sea surface temperature via " + STATSMODELS + " elnino", "public domain")

elec = ds.elec_equip.load_pandas().data
add("eurostat_elec_equip", [d.strftime("%Y-%m-01") for d in elec.index], list(elec.iloc[:, 0]), "monthly",
    "Eurostat electrical equipment manufactured, euro area, via " + STATSMODELS + " elec_equip", "public domain (as statsmodels states)")

fert = ds.fertility.load_pandas().data
years = [c for c in fert.columns if c.isdigit()]
for country in ["Brazil", "China", "France", "India", "Japan", "Kenya", "Mexico", "Nigeria"]:
    r = fert[fert["Country Name"] == country].iloc[0]
    add("fertility_" + country.lower(), ["%s-01-01" % y for y in years], [float(r[y]) for y in years], "yearly",
        "World Bank WDI fertility rate (births per woman) via " + STATSMODELS + " fertility", "World Bank terms of use (CC BY 4.0)")

dan = ds.danish_data.load_pandas().data
for col in dan.columns:
    add("danish_" + col, [d.strftime("%Y-%m-01") for d in dan.index], list(dan[col]), "quarterly",
        "Danish money demand data 1974-1987 (Johansen and Juselius 1990) via " + STATSMODELS + " danish_data", "public domain (as statsmodels states)")

ii = ds.interest_inflation.load_pandas().data
for col in ["Dp", "R"]:
    add("interest_inflation_" + col, quarter_dates(ii.year, ii.quarter), list(ii[col]), "quarterly",
        "German inflation and interest rate 1972-1998 (Lutkepohl and Kratzig, JMulTi e6) via " + STATSMODELS + " interest_inflation", "public domain (as statsmodels states)")

FREQ = {"nelplo": "yearly", "bev": "yearly", "useconomic": "quarterly", "tcm": "monthly", "nino3": "monthly", "nino3.4": "monthly"}
SRC = {"nelplo": "Nelson and Plosser (1982) US macroeconomic series", "bev": "Beveridge wheat price index 1500-1869",
       "useconomic": "US economic variables 1954-1987 (Banerjee et al. 1993)", "tcm": "US Treasury constant maturity yields, monthly",
       "nino3": "NINO3 sea surface temperature index", "nino3.4": "NINO3.4 sea surface temperature index"}
out = subprocess.run(["Rscript", os.path.join(HERE, "tseries_export.R")], check=True, capture_output=True, text=True).stdout
series = {}
for line in out.splitlines():
    uid, d, v = line.split(",")
    series.setdefault(uid, []).append((d, float(v)))
for uid, pts in series.items():
    key = uid.split("_")[0]
    add(uid, [p[0] for p in pts], [p[1] for p in pts], FREQ[key], SRC[key] + " via Debian r-cran-tseries 0.10 data", "GPL-2 (tseries package data)")

with open(os.path.join(ROOT, "data", "unemployment_long.csv")) as f:
    un = {}
    for r in csv.DictReader(f):
        un.setdefault(r["series"], []).append((r["date"], float(r["value"])))
for name, pts in un.items():
    add("unemployment_" + name.lower().replace(" ", "_").replace(",", ""), [p[0] for p in pts], [p[1] for p in pts], "monthly",
        "US unemployed persons by industry (BLS CPS), Hindsight's bundled data/unemployment_long.csv", "public domain (US Government work)")

with open(os.path.join(HERE, "series.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(["unique_id", "ds", "y"]); w.writerows(rows)
with open(os.path.join(HERE, "spec.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(["unique_id", "season", "horizon", "frequency", "length", "source", "licence"]); w.writerows(spec)
print("%d series, %d values" % (len(spec), len(rows)), file=sys.stderr)
