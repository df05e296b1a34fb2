# Reference values of R's forecast::thetaf (forecast 8.20) and stats::acf / stats::decompose for Hindsight's theta tests.
# Usage: Rscript tools/reference/theta_fixtures.R [bench/forecast] [tests/fixtures/forecast/theta_r.json]
# For every series of series.csv (long: unique_id,ds,y) with its season and horizon from spec.csv, the training part
# (all but the last `horizon` values, rounded to float32 as Hindsight reads them) goes through thetaf(ts(train, frequency =
# season), h = horizon); the fixture keeps the training values, the seasonality decision, alpha, the ses initial level,
# drift, sigma2, forecasts and 80/95 % intervals, and acf/decompose outputs of the seasonal series.
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
bench <- if (length(args) >= 1) args[1] else "bench/forecast"
out <- if (length(args) >= 2) args[2] else "tests/fixtures/forecast/theta_r.json"

series <- read.csv(file.path(bench, "series.csv"), stringsAsFactors = FALSE)
spec <- read.csv(file.path(bench, "spec.csv"), stringsAsFactors = FALSE)

f32 <- function(x) readBin(writeBin(as.numeric(x), raw(), size = 4), "double", size = 4, n = length(x))
num <- function(x) {
  s <- ifelse(is.na(x), "null", sprintf("%.17g", x))
  paste0("[", paste(s, collapse = ","), "]")
}
one <- function(x) if (is.na(x)) "null" else sprintf("%.17g", x)

# thetaf's seasonality statistic, recomputed as thetaf does (for the fixture only)
seas_stat <- function(x, m) {
  n <- length(x)
  if (m > 1 && !is.constant(x) && n > 2 * m) {
    r <- as.numeric(acf(x, lag.max = m, plot = FALSE)$acf)[-1]
    stat <- sqrt((1 + 2 * sum(r[-m]^2)) / n)
    abs(r[m]) / stat
  } else NA
}

items <- character(0)
decomposed <- character(0)
for (i in seq_len(nrow(spec))) {
  id <- spec$unique_id[i]; m <- spec$season[i]; h <- spec$horizon[i]
  y <- series$y[series$unique_id == id]
  train <- f32(head(y, length(y) - h))
  x <- ts(train, frequency = m)
  fc <- thetaf(x, h = h)
  ses_fit <- ses(if (!is.na(seas_stat(x, m)) && seas_stat(x, m) > qnorm(0.95)) seasadj(decompose(x, "multiplicative")) else x, h = h)
  seasonal <- !is.na(seas_stat(x, m)) && seas_stat(x, m) > qnorm(0.95)
  fields <- c(
    sprintf("\"id\":\"%s\"", id), sprintf("\"season\":%d", m), sprintf("\"horizon\":%d", h),
    sprintf("\"train\":[%s]", paste(sprintf("%.9g", train), collapse = ",")), # float32 values: 9 digits round-trip
    sprintf("\"seasonal\":%s", if (seasonal) "true" else "false"),
    sprintf("\"statistic\":%s", one(seas_stat(x, m))),
    sprintf("\"alpha\":%s", one(fc$model$alpha)),
    sprintf("\"level0\":%s", one(ses_fit$model$par["l"])),
    sprintf("\"drift\":%s", one(fc$model$drift)),
    sprintf("\"sigma2\":%s", one(fc$model$sigma)),
    sprintf("\"mean\":%s", num(fc$mean)),
    sprintf("\"lower80\":%s", num(fc$lower[, 1])), sprintf("\"upper80\":%s", num(fc$upper[, 1])),
    sprintf("\"lower95\":%s", num(fc$lower[, 2])), sprintf("\"upper95\":%s", num(fc$upper[, 2])))
  key <- as.character(m)
  if (m > 1 && length(train) >= 2 * m && sum(decomposed == key) < 4) { # the first 4 series per season
    decomposed <- c(decomposed, key)
    d <- decompose(x, type = "multiplicative")
    a <- decompose(x, type = "additive")
    fields <- c(fields,
      sprintf("\"acf\":%s", num(as.numeric(acf(x, lag.max = 2 * m, plot = FALSE)$acf))),
      sprintf("\"decomposeTrend\":%s", num(d$trend)),
      sprintf("\"decomposeFigure\":%s", num(d$figure)),
      sprintf("\"decomposeRandom\":%s", num(d$random)),
      sprintf("\"additiveFigure\":%s", num(a$figure)))
  }
  items <- c(items, paste0("{", paste(fields, collapse = ","), "}"))
}
dir.create(dirname(out), showWarnings = FALSE, recursive = TRUE)
writeLines(c("{\"generator\":\"tools/reference/theta_fixtures.R\",",
             sprintf("\"r\":\"%s\",\"forecast\":\"%s\",", R.version$version.string, as.character(packageVersion("forecast"))),
             "\"series\":[", paste(items, collapse = ",\n"), "]}"), out)
cat("wrote", out, "with", length(items), "series\n")
