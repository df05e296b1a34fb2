# Reference numbers for Hindsight's ARIMA (src/Hindsight.Forecasting/Classical/Arima) from R's stats::arima and
# forecast::auto.arima / Arima (R 4.2, forecast 8.20, urca): for every series of the public benchmark, the training part
# (all but the last `horizon` values, ts frequency = season): auto.arima (order, coefficients, loglik, AICc, sigma2,
# forecasts and 80/95 intervals), ndiffs / nsdiffs / seasonal strength / KPSS, STL of a few seasonal series, and a few
# fixed orders through Arima(). Also optim(method = "BFGS") on two test functions.
#
#   Rscript tools/reference/arima_fixtures.R [bench/forecast/series.csv] [bench/forecast/spec.csv] [tests/fixtures/forecast/arima_r.json]
suppressPackageStartupMessages({ library(forecast); library(urca) })
args <- commandArgs(trailingOnly = TRUE)
series_csv <- if (length(args) >= 1) args[1] else "bench/forecast/series.csv"
spec_csv <- if (length(args) >= 2) args[2] else "bench/forecast/spec.csv"
out_json <- if (length(args) >= 3) args[3] else "tests/fixtures/forecast/arima_r.json"

source("tools/reference/json_out.R")

model_json <- function(fit, h) {
  fc <- forecast(fit, h = h, level = c(80, 95))
  a <- fit$arma
  obj(order = num(c(a[1], a[6], a[2], a[3], a[7], a[4], a[5])),
      names = strs(names(coef(fit))), coef = num(unname(coef(fit))),
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
items <- character(0)
stl_left <- 6
for (i in seq_len(nrow(spec))) {
  id <- spec$unique_id[i]; m <- spec$season[i]; h <- spec$horizon[i]
  y <- long$y[long$unique_id == id]
  train <- ts(head(y, length(y) - h), frequency = m)
  n <- length(train)
  t0 <- proc.time()[["elapsed"]]
  auto <- safe(model_json(auto.arima(train), h))
  secs <- proc.time()[["elapsed"]] - t0
  fixed <- c(
    o111 = safe(model_json(Arima(train, order = c(1, 1, 1)), h)),
    o200mean = safe(model_json(Arima(train, order = c(2, 0, 0), include.mean = TRUE), h)),
    o011drift = safe(model_json(Arima(train, order = c(0, 1, 1), include.drift = TRUE), h)))
  if (m > 1) fixed <- c(fixed, airline = safe(model_json(Arima(train, order = c(0, 1, 1), seasonal = c(0, 1, 1)), h)))
  nd <- ndiffs(train)
  lag <- trunc(3 * sqrt(n) / 13)
  kstat <- ur.kpss(as.numeric(train), type = "mu", use.lag = lag)@teststat
  seas <- "null"; nsd <- "null"; stl_json <- "null"
  if (m > 1 && n > 2 * m) {
    nsd <- one(nsdiffs(train))
    seas <- one(forecast:::seas.heuristic(train))
    if (stl_left > 0) {
      s <- stl(train, s.window = 11)
      stl_json <- obj(seasonal = num(as.numeric(s$time.series[, "seasonal"])), trend = num(as.numeric(s$time.series[, "trend"])))
      stl_left <- stl_left - 1
    }
  }
  items <- c(items, obj(id = str(id), season = one(m), horizon = one(h), train = num(as.numeric(train)),
    ndiffs = one(nd), nsdiffs = nsd, seasonal_strength = seas, kpss = one(kstat), kpss_lag = one(lag), stl = stl_json,
    auto = auto, auto_seconds = one(secs), fixed = paste0("{", paste(sprintf("\"%s\":%s", names(fixed), fixed), collapse = ","), "}")))
  message(sprintf("%-40s %5.2fs %s", id, secs, substr(auto, 1, 60)))
}

rosen <- function(x) 100 * (x[2] - x[1]^2)^2 + (1 - x[1])^2
o1 <- optim(c(-1.2, 1), rosen, method = "BFGS")
quad <- function(x) sum((x - c(1, -2, 3))^2 * c(1, 10, 100)) + 0.1 * x[1] * x[2]
o2 <- optim(c(0, 0, 0), quad, method = "BFGS", control = list(parscale = c(1, 0.5, 2)))
bfgs <- paste0("[", obj(name = str("rosenbrock"), start = num(c(-1.2, 1)), parscale = num(c(1, 1)), par = num(o1$par), value = one(o1$value),
  counts = num(unname(o1$counts)), convergence = one(o1$convergence)), ",",
  obj(name = str("quadratic"), start = num(c(0, 0, 0)), parscale = num(c(1, 0.5, 2)), par = num(o2$par), value = one(o2$value),
  counts = num(unname(o2$counts)), convergence = one(o2$convergence)), "]")

writeLines(paste0("{\"r\":", str(R.version.string), ",\"forecast\":", str(as.character(packageVersion("forecast"))),
  ",\"bfgs\":", bfgs, ",\"series\":[\n", paste(items, collapse = ",\n"), "\n]}"), out_json)
