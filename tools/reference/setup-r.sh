#!/usr/bin/env bash
# Installs the reference R (Debian's r-base-core 4.2 and r-cran-forecast 8.20) used to regenerate the classical
# forecasting fixtures and to run R beside Hindsight in bench/forecast. Also the Debian packages whose data the
# public forecasting benchmark is built from (python3-statsmodels, r-cran-tseries). Tests never need any of them.
set -euo pipefail
if command -v Rscript >/dev/null && Rscript -e 'library(forecast); library(tseries)' >/dev/null 2>&1 \
   && /usr/bin/python3 -c "import statsmodels.api" 2>/dev/null; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  r-base-core r-cran-forecast r-cran-tseries python3-statsmodels
