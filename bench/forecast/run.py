#!/usr/bin/env python3
"""Public forecasting benchmark: Hindsight's models beside R's ets, thetaf and auto.arima, in one run.

    python3 bench/forecast/run.py [--models naive,drift,ar,ets,theta,arima,auto] [--no-r] [--no-build] [--csv out.csv]

Runs tools/reference/forecast_benchmark.R (R's forecast package: train = all but the last horizon values of each series
as a ts with frequency = season) and then

    hindsight evaluate --data bench/forecast/series.csv --spec bench/forecast/spec.csv --models ... --json

(the same holdout: the last horizon values of each series, the season and horizon from spec.csv), and prints one table:
per model the median and mean MASE (each series scaled by its training part's in-sample seasonal naive error), the
median and mean sMAPE, the series scored and the wall time. Python 3 standard library only.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_MODELS = "naive,snaive,drift,ar,ets,theta,otm,dotm,arima,auto"


def hindsight_command(no_build):
    """The command that runs the CLI (built in Release first unless --no-build)."""
    project = os.path.join(ROOT, "src", "Hindsight.Cli")
    if not no_build:
        subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", "-nologo", project], check=True, stdout=subprocess.DEVNULL)
    exe = os.path.join(project, "bin", "Release", "net10.0", "Hindsight.Cli")
    if os.path.exists(exe):
        return [exe]
    return ["dotnet", exe + ".dll"]


def known_models(cli):
    """Model names the CLI's evaluate --models accepts (read from its help)."""
    out = subprocess.run(cli + ["evaluate", "--help"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "--models" in line and ":" in line:
            names = line.split(":", 1)[1].split("(")[0]
            return {n.strip() for n in names.split(",") if n.strip()}
    return set()


def run_r(series, spec):
    out = os.path.join(tempfile.mkdtemp(prefix="hindsight-bench-"), "r.csv")
    start = time.monotonic()
    subprocess.run(["Rscript", os.path.join(ROOT, "tools", "reference", "forecast_benchmark.R"), series, spec, out], check=True)
    wall = time.monotonic() - start
    rows = {}
    with open(out, newline="") as f:
        for r in csv.DictReader(f):
            rows.setdefault(r["model"], []).append(r)
    result = []
    for model, rs in rows.items():
        ok = [r for r in rs if r["error"] == ""]
        result.append({
            "source": "R forecast",
            "model": {"ets": "ets()", "theta": "thetaf()", "arima": "auto.arima()"}.get(model, model),
            "mase": [float(r["mase"]) for r in ok if r["mase"] not in ("", "NA", "Inf")],
            "smape": [float(r["smape"]) for r in ok if r["smape"] not in ("", "NA")],
            "failed": len(rs) - len(ok),
            "seconds": sum(float(r["seconds"]) for r in rs),
        })
    return result, wall


def run_hindsight(cli, series, spec, models):
    start = time.monotonic()
    proc = subprocess.run(cli + ["evaluate", "--data", series, "--spec", spec, "--models", models, "--json", "--quiet"],
                          capture_output=True, text=True)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"hindsight evaluate failed ({proc.returncode}): {proc.stderr.strip()}")
    doc = json.loads(proc.stdout)
    result = []
    for m in doc["models"]:
        per = m["perSeries"]
        result.append({
            "source": "Hindsight",
            "model": m["name"] + (f" ({', '.join(sorted({a['chosen'] for a in m['auto']}))})" if m.get("auto") else ""),
            "mase": [p["mase"] for p in per if p["mase"] is not None],
            "smape": [p["smape"] for p in per],
            "failed": len(m["failed"]),
            "seconds": m["fitSeconds"] + m["predictSeconds"],
        })
    return result, wall, doc


def fmt(values, f):
    return f"{f(values):.3f}" if values else "-"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--series", default=os.path.join(HERE, "series.csv"))
    p.add_argument("--spec", default=os.path.join(HERE, "spec.csv"))
    p.add_argument("--models", default=DEFAULT_MODELS, help="Hindsight models (names the CLI does not know are left out)")
    p.add_argument("--no-r", action="store_true", help="skip R")
    p.add_argument("--no-build", action="store_true", help="use the CLI as built")
    p.add_argument("--csv", help="also write the table as CSV here")
    a = p.parse_args()

    cli = hindsight_command(a.no_build)
    known = known_models(cli)
    asked = [m.strip() for m in a.models.split(",") if m.strip()]
    models = [m for m in asked if not known or m in known]
    skipped = [m for m in asked if m not in models]
    rows = []
    if not a.no_r:
        r_rows, r_wall = run_r(a.series, a.spec)
        rows += r_rows
        print(f"R (ets, thetaf, auto.arima): {r_wall:.1f} s wall")
    h_rows, h_wall, doc = run_hindsight(cli, a.series, a.spec, ",".join(models))
    rows += h_rows
    print(f"Hindsight evaluate --models {','.join(models)}: {h_wall:.1f} s wall ({doc['series']} series)")
    if skipped:
        print(f"not in this build of Hindsight: {', '.join(skipped)}")

    header = ["source", "model", "series", "failed", "median MASE", "mean MASE", "median sMAPE", "mean sMAPE", "seconds"]
    table = [[r["source"], r["model"], str(len(r["mase"])), str(r["failed"]), fmt(r["mase"], statistics.median), fmt(r["mase"], statistics.fmean),
              fmt(r["smape"], statistics.median), fmt(r["smape"], statistics.fmean), f"{r['seconds']:.2f}"] for r in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(header))
    print(line(["-" * w for w in widths]))
    for t in table:
        print(line(t))
    print("MASE: mean |y - f| over the horizon / mean |x_t - x_{t-m}| over the training part (m = the series' season);"
          " sMAPE: mean 200 |y - f| / (|y| + |f|). Seconds: fit + forecast of every series (R: per model; Hindsight: per model).")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(table)


if __name__ == "__main__":
    main()
