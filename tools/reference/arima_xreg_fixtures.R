# Reference numbers for Hindsight's ARIMA with regressors (R's `xreg`: regression with ARIMA errors) from R 4.2 +
# forecast 8.20: on real series of the public benchmark (bench/forecast/series.csv) with a regressor from the same source
# (another series on the same dates), a linear trend or Fourier terms, fixed orders through Arima(order=, xreg=) and
# auto.arima(xreg=): the regressors (training and future), chosen order, coefficients (with the xreg betas), loglik, AIC,
# AICc, sigma2, forecasts with the future regressors and 80/95 intervals; R's error where R stops.
#
#   Rscript tools/reference/arima_xreg_fixtures.R [bench/forecast/series.csv] [bench/forecast/spec.csv] [tests/fixtures/forecast/arima_xreg_r.json]
suppressPackageStartupMessages({ library(forecast) })
args <- commandArgs(trailingOnly = TRUE)
series_csv <- if (length(args) >= 1) args[1] else "bench/forecast/series.csv"
spec_csv <- if (length(args) >= 2) args[2] else "bench/forecast/spec.csv"
out_json <- if (length(args) >= 3) args[3] else "tests/fixtures/forecast/arima_xreg_r.json"

source("tools/reference/json_out.R")
cols <- function(m) paste0("[", paste(apply(m, 2, num), collapse = ","), "]")  # a matrix as a list of its columns

model_json <- function(fit, future) {
  fc <- forecast(fit, xreg = future, level = c(80, 95))
  a <- fit$arma
  obj(order = num(c(a[1], a[6], a[2], a[3], a[7], a[4], a[5])),
      names = strs(names(coef(fit))), coef = num(unname(coef(fit))), se = num(sqrt(diag(fit$var.coef))),
      loglik = one(fit$loglik), aic = one(fit$aic), aicc = one(fit$aicc), bic = one(fit$bic), sigma2 = one(fit$sigma2),
      drift = if ("drift" %in% names(coef(fit))) "true" else "false",
      mean = if ("intercept" %in% names(coef(fit))) "true" else "false",
      method = str(forecast:::arima.string(fit, padding = FALSE)),
      forecast = num(as.numeric(fc$mean)),
      lower80 = num(as.numeric(fc$lower[, 1])), upper80 = num(as.numeric(fc$upper[, 1])),
      lower95 = num(as.numeric(fc$lower[, 2])), upper95 = num(as.numeric(fc$upper[, 2])))
}
safe <- function(expr) tryCatch(expr, error = function(e) obj(error = str(conditionMessage(e))))

long <- read.csv(series_csv, stringsAsFactors = FALSE)
spec <- read.csv(spec_csv, stringsAsFactors = FALSE)
values <- function(id) long$y[long$unique_id == id]
dates <- function(id) long$ds[long$unique_id == id]

items <- character(0)
# kind: "fixed" (Arima with order, include.mean, include.drift, method) or "auto" (auto.arima); regressor: another series
# id of the same source (same dates), "trend" (1..n, then n+1..n+h), "fourier2" (forecast::fourier with K = 2), or
# "collinear" (a series and twice it) / "constant" (a column of 3s) for R's errors
add <- function(name, id, kind, regressor, order = c(0, 0, 0), seasonal = c(0, 0, 0), mean = TRUE, drift = FALSE, method = "CSS-ML") {
  m <- spec$season[spec$unique_id == id]; h <- spec$horizon[spec$unique_id == id]
  y <- values(id)
  n <- length(y) - h
  train <- ts(head(y, n), frequency = m)
  if (regressor == "trend") {
    xr <- matrix(1:n, ncol = 1, dimnames = list(NULL, "trend")); fut <- matrix(n + 1:h, ncol = 1, dimnames = list(NULL, "trend"))
  } else if (regressor == "fourier2") {
    xr <- fourier(train, K = 2); fut <- fourier(train, K = 2, h = h)
  } else if (regressor == "constant") {
    xr <- matrix(3, n, 1, dimnames = list(NULL, "three")); fut <- matrix(3, h, 1, dimnames = list(NULL, "three"))
  } else if (startsWith(regressor, "collinear:")) {
    other <- sub("collinear:", "", regressor); z <- values(other)
    xr <- cbind(a = head(z, n), b = 2 * head(z, n)); fut <- cbind(a = tail(z, h), b = 2 * tail(z, h))
  } else {
    stopifnot(identical(dates(regressor), dates(id)))
    z <- values(regressor)
    xr <- matrix(head(z, n), ncol = 1, dimnames = list(NULL, regressor)); fut <- matrix(tail(z, h), ncol = 1, dimnames = list(NULL, regressor))
  }
  t0 <- proc.time()[["elapsed"]]
  model <- if (kind == "auto") safe(model_json(auto.arima(train, xreg = xr), fut))
           else safe(model_json(Arima(train, order = order, seasonal = seasonal, xreg = xr, include.mean = mean,
                                      include.drift = drift, method = method), fut))
  secs <- proc.time()[["elapsed"]] - t0
  items <<- c(items, obj(name = str(name), id = str(id), kind = str(kind), regressor = str(regressor), season = one(m),
    horizon = one(h), order = num(c(order, seasonal)), include_mean = tolower(mean), include_drift = tolower(drift),
    method_arg = str(method), train = num(as.numeric(train)), xreg_names = strs(colnames(xr)), xreg = cols(xr),
    future_xreg = cols(fut), actual = num(tail(y, h)), model = model, seconds = one(secs)))
  message(sprintf("%-28s %5.2fs %s", name, secs, substr(model, 1, 90)))
}

# fixed orders: one regressor (no intercept, d = 1), intercept + regressor (SVD rotation of 2 columns), drift + regressor,
# a trend, Fourier terms (4 columns) with a seasonal ARIMA, exact ML, CSS
add("cons_dpi_110", "macro_realcons", "fixed", "macro_realdpi", order = c(1, 1, 0))
add("cons_dpi_011_drift", "macro_realcons", "fixed", "macro_realdpi", order = c(0, 1, 1), drift = TRUE)
add("unemp_infl_200", "macro_unemp", "fixed", "macro_infl", order = c(2, 0, 0))
add("tbil_infl_101_ml", "macro_tbilrate", "fixed", "macro_infl", order = c(1, 0, 1), method = "ML")
add("brazil_trend_110", "fertility_brazil", "fixed", "trend", order = c(1, 1, 0))
add("brazil_trend_200", "fertility_brazil", "fixed", "trend", order = c(2, 0, 0))
add("construction_fourier_111", "unemployment_construction", "fixed", "fourier2", order = c(1, 1, 1))
add("construction_fourier_airline", "unemployment_construction", "fixed", "fourier2", order = c(0, 1, 1), seasonal = c(0, 1, 1))
add("lrm_lry_110_css", "danish_lrm", "fixed", "danish_lry", order = c(1, 1, 0), method = "CSS")
add("rl_rs_201", "useconomic_rl", "fixed", "useconomic_rs", order = c(2, 0, 1))
add("infl_R_100_nomean", "interest_inflation_Dp", "fixed", "interest_inflation_R", order = c(1, 0, 0), mean = FALSE)
# auto.arima with regressors
add("auto_cons_dpi", "macro_realcons", "auto", "macro_realdpi")
add("auto_unemp_infl", "macro_unemp", "auto", "macro_infl")
add("auto_lrm_lry", "danish_lrm", "auto", "danish_lry")
add("auto_rl_rs", "useconomic_rl", "auto", "useconomic_rs")
add("auto_brazil_trend", "fertility_brazil", "auto", "trend")
add("auto_construction_fourier", "unemployment_construction", "auto", "fourier2")
add("auto_manufacturing_fourier", "unemployment_manufacturing", "auto", "fourier2")
add("auto_Dp_R", "interest_inflation_Dp", "auto", "interest_inflation_R")
# R's errors
add("auto_collinear", "macro_realcons", "auto", "collinear:macro_realdpi")
add("fixed_collinear", "macro_realcons", "fixed", "collinear:macro_realdpi", order = c(1, 0, 0))
add("fixed_constant_mean", "macro_unemp", "fixed", "constant", order = c(1, 0, 0))

writeLines(paste0("{\"r\":", str(R.version.string), ",\"forecast\":", str(as.character(packageVersion("forecast"))),
  ",\"cases\":[\n", paste(items, collapse = ",\n"), "\n]}"), out_json)
