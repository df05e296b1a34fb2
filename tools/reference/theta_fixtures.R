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

# Edge cases (synthetic): R's fallbacks for constant, very short, short seasonal, zero and negative series.
edges <- list(
  list(id = "edge_constant", m = 12, h = 6, y = rep(5, 30)),
  list(id = "edge_zero", m = 4, h = 4, y = rep(0, 20)),
  list(id = "edge_n2", m = 1, h = 3, y = c(3, 5)),
  list(id = "edge_n4", m = 1, h = 3, y = c(3, 5, 4, 6)),
  list(id = "edge_n5", m = 1, h = 3, y = c(3, 5, 4, 6, 8)),
  list(id = "edge_n6_monthly", m = 12, h = 3, y = c(3, 5, 4, 6, 8, 7)),
  list(id = "edge_short_seasonal", m = 12, h = 6, y = 10 + sin(2 * pi * (1:20) / 12) * 3 + (1:20) / 5),
  list(id = "edge_zeros_seasonal", m = 12, h = 12, y = rep(c(0, 0, 5, 10, 20, 30, 30, 20, 10, 5, 0, 0), 4) + rep(0:3, each = 12)),
  list(id = "edge_negative_seasonal", m = 4, h = 8, y = 10 * sin(2 * pi * (1:40) / 4 + 0.3) - 3 + (1:40) / 10))

items <- character(0)
decomposed <- character(0)
entry <- function(id, m, h, train, bench) {
  x <- ts(train, frequency = m)
  fc <- tryCatch(thetaf(x, h = h), error = function(e) NULL)
  if (is.null(fc)) {
    return(paste0("{", paste(c(sprintf("\"id\":\"%s\"", id), sprintf("\"season\":%d", m), sprintf("\"horizon\":%d", h),
      sprintf("\"train\":[%s]", paste(sprintf("%.9g", train), collapse = ",")), "\"error\":true"), collapse = ","), "}"))
  }
  seasonal <- !is.na(seas_stat(x, m)) && seas_stat(x, m) > qnorm(0.95)
  adjusted <- x
  if (seasonal) {
    d <- decompose(x, "multiplicative")
    if (!any(abs(d$seasonal) < 1e-04)) adjusted <- seasadj(d)
  }
  ses_fit <- ses(adjusted, h = h)
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
  if (bench && m > 1 && length(train) >= 2 * m && sum(decomposed == key) < 4) { # the first 4 series per season
    decomposed <<- c(decomposed, key)
    d <- decompose(x, type = "multiplicative")
    a <- decompose(x, type = "additive")
    fields <- c(fields,
      sprintf("\"acf\":%s", num(as.numeric(acf(x, lag.max = 2 * m, plot = FALSE)$acf))),
      sprintf("\"decomposeTrend\":%s", num(d$trend)),
      sprintf("\"decomposeFigure\":%s", num(d$figure)),
      sprintf("\"decomposeRandom\":%s", num(d$random)),
      sprintf("\"additiveFigure\":%s", num(a$figure)))
  }
  paste0("{", paste(fields, collapse = ","), "}")
}
for (i in seq_len(nrow(spec))) {
  id <- spec$unique_id[i]; m <- spec$season[i]; h <- spec$horizon[i]
  y <- series$y[series$unique_id == id]
  items <- c(items, entry(id, m, h, f32(head(y, length(y) - h)), TRUE))
}
edge_items <- vapply(edges, function(e) entry(e$id, e$m, e$h, f32(e$y), FALSE), "")
dir.create(dirname(out), showWarnings = FALSE, recursive = TRUE)
writeLines(c("{\"generator\":\"tools/reference/theta_fixtures.R\",",
             sprintf("\"r\":\"%s\",\"forecast\":\"%s\",", R.version$version.string, as.character(packageVersion("forecast"))),
             "\"series\":[", paste(items, collapse = ",\n"), "],",
             "\"edges\":[", paste(edge_items, collapse = ",\n"), "]}"), out)
cat("wrote", out, "with", length(items), "series\n")
