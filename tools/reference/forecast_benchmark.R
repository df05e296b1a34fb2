#!/usr/bin/env Rscript
# R's forecast package on the public benchmark, the reference column of bench/forecast/run.py.
#
#   Rscript tools/reference/forecast_benchmark.R bench/forecast/series.csv bench/forecast/spec.csv out.csv
#
# For each series of spec.csv (unique_id, season, horizon): train = all but the last `horizon` values, as a ts with
# frequency = season; ets(), thetaf() and auto.arima() (forecast package defaults) forecast `horizon` values, scored on the
# held-out values by
#   MASE  = mean |y - f| / mean_{t > m} |x_t - x_{t-m}|   (x the training values, m the season; lag 1 when m = 1)
#   sMAPE = mean 200 |y - f| / (|y| + |f|)                (a 0/0 term counts as 0)
# Writes one row per (series, model): unique_id,model,season,horizon,mase,smape,seconds,forecast,error
# (forecast: the values joined by ';' with 17 significant digits; error: R's message when the model failed, else empty).
suppressPackageStartupMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: forecast_benchmark.R series.csv spec.csv out.csv")
series <- read.csv(args[1], stringsAsFactors = FALSE)
spec <- read.csv(args[2], stringsAsFactors = FALSE)

smape <- function(y, f) {
  den <- abs(y) + abs(f)
  mean(ifelse(den > 0, 200 * abs(y - f) / den, 0))
}
mase_scale <- function(x, m) {
  lag <- if (m >= 1 && length(x) > m) m else 1
  mean(abs(diff(x, lag = lag)))
}
models <- list(
  ets = function(x, h) forecast(ets(x), h = h)$mean,
  theta = function(x, h) thetaf(x, h = h)$mean,
  arima = function(x, h) forecast(auto.arima(x), h = h)$mean
)

rows <- list()
for (i in seq_len(nrow(spec))) {
  id <- spec$unique_id[i]
  m <- as.integer(spec$season[i])
  h <- as.integer(spec$horizon[i])
  s <- series[series$unique_id == id, ]
  s <- s[order(s$ds), ]
  y <- as.numeric(s$y)
  n <- length(y)
  train <- ts(y[seq_len(n - h)], frequency = m)
  test <- y[(n - h + 1):n]
  scale <- mase_scale(as.numeric(train), m)
  for (name in names(models)) {
    t0 <- proc.time()[["elapsed"]]
    f <- tryCatch(as.numeric(models[[name]](train, h)), error = function(e) conditionMessage(e))
    seconds <- proc.time()[["elapsed"]] - t0
    if (is.character(f)) {
      rows[[length(rows) + 1]] <- data.frame(unique_id = id, model = name, season = m, horizon = h, mase = NA, smape = NA,
        seconds = seconds, forecast = "", error = gsub("[\r\n]+", " ", f), stringsAsFactors = FALSE)
    } else {
      rows[[length(rows) + 1]] <- data.frame(unique_id = id, model = name, season = m, horizon = h,
        mase = mean(abs(test - f)) / scale, smape = smape(test, f), seconds = seconds,
        forecast = paste(sprintf("%.17g", f), collapse = ";"), error = "", stringsAsFactors = FALSE)
    }
  }
}
out <- do.call(rbind, rows)
out$mase <- ifelse(is.na(out$mase), "", sprintf("%.17g", out$mase))
out$smape <- ifelse(is.na(out$smape), "", sprintf("%.17g", out$smape))
out$seconds <- sprintf("%.4f", out$seconds)
write.csv(out, args[3], row.names = FALSE, quote = TRUE)
