#!/usr/bin/env bash
# Installs what the covariate data exports need (Debian's R and the packages holding the data):
# r-cran-mlbench (ozone_export.R) and r-cran-dslabs (gapminder_export.R). Tests never need them.
# Then, from the repository root: Rscript tools/covariates/ozone_export.R; Rscript tools/covariates/gapminder_export.R
set -euo pipefail
if command -v Rscript >/dev/null && Rscript -e 'library(mlbench); library(dslabs)' >/dev/null 2>&1; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends r-base-core r-cran-mlbench r-cran-dslabs
