# Reference fixtures for Hindsight's ETS (src/Hindsight.Forecasting/Classical/Ets) from R's forecast::ets (8.20).
# Usage: Rscript tools/reference/ets_fixtures.R [out.json]   (default tests/fixtures/forecast/ets_r.json)
# Series: bench/forecast/series.csv + spec.csv when they exist (columns unique_id,ds,y and unique_id,season,horizon),
# otherwise real series from Debian's python3-statsmodels datasets and R's tseries package (never R's own
# datasets/forecast series, kept for independent evaluation). For each series, train = all but the last horizon values
# as ts(frequency = season); fits ets(train) (auto) and fixed model types, writing parameters, initial states,
# loglik/AICc and forecasts with 80/95 % intervals. Also Nelder-Mead reference optima from stats::optim.
suppressPackageStartupMessages({ library(forecast); library(tseries) })
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "tests/fixtures/forecast/ets_r.json"

num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
arr <- function(x) paste0("[", paste(num(as.numeric(x)), collapse = ","), "]")
str <- function(s) paste0("\"", s, "\"")
obj <- function(...) { kv <- list(...); paste0("{", paste(sprintf("\"%s\":%s", names(kv), unlist(kv)), collapse = ","), "}") }

series <- list()
add <- function(id, y, season, horizon) series[[length(series) + 1]] <<- list(id = id, y = as.numeric(y), season = season, horizon = horizon)

bench <- "/work/main/bench/forecast"
if (file.exists(file.path(bench, "series.csv")) && file.exists(file.path(bench, "spec.csv"))) {
  s <- read.csv(file.path(bench, "series.csv"), stringsAsFactors = FALSE)
  spec <- read.csv(file.path(bench, "spec.csv"), stringsAsFactors = FALSE)
  for (i in seq_len(nrow(spec))) {
    d <- s[s$unique_id == spec$unique_id[i], ]
    d <- d[order(d$ds), ]
    add(spec$unique_id[i], d$y, spec$season[i], spec$horizon[i])
  }
} else {
  sm <- "/usr/lib/python3/dist-packages/statsmodels/datasets"
  macro <- read.csv(file.path(sm, "macrodata/macrodata.csv"))
  add("macro_realgdp", macro$realgdp, 4, 8)
  add("macro_cpi", macro$cpi, 4, 8)
  add("macro_unemp", macro$unemp, 4, 8)
  add("macro_infl", macro$infl, 4, 8)
  add("macro_tbilrate", macro$tbilrate, 4, 8)
  el <- read.csv(file.path(sm, "elnino/elnino.csv"))
  elv <- as.numeric(t(as.matrix(el[, -1])))
  add("elnino", elv[1:240], 12, 12)
  add("elnino_short", elv[1:42], 12, 12)   # 30 training values < 3 seasons: initstate's Fourier path
  ee <- read.csv(file.path(sm, "elec_equip/elec_equip.csv"))
  add("elec_equip", ee[, 2], 12, 12)
  dk <- read.csv(file.path(sm, "danish_data/data.csv"), fileEncoding = "UTF-8-BOM")
  add("danish_lrm", dk$lrm, 4, 8)
  add("danish_ibo", dk$ibo, 4, 8)
  fe <- read.csv(file.path(sm, "fertility/fertility.csv"), check.names = FALSE)
  for (cc in c("IND", "BRA", "USA")) {
    v <- as.numeric(fe[fe[, 2] == cc, -(1:4)]); v <- v[!is.na(v)]
    add(paste0("fertility_", cc), v, 1, 6)
  }
  data(NelPlo)
  add("nelplo_gnp_capita", na.omit(gnp.capita), 1, 6)
  add("nelplo_unemp", na.omit(unemp), 1, 6)
  add("nelplo_ip", na.omit(ip), 1, 6)
  add("nelplo_sp500", na.omit(sp500), 1, 6)
  data(tcm)
  add("tcm1y", tail(as.numeric(tcm1y), 240), 12, 12)
  add("tcm10y", tail(as.numeric(tcm10y), 180), 12, 12)
  data(USeconomic)
  add("useconomic_gnp", exp(USeconomic[, "log(GNP)"]), 4, 8)
  add("useconomic_m1", exp(USeconomic[, "log(M1)"]), 4, 8)
  data(bev)
  add("bev", tail(as.numeric(bev), 120), 1, 10)
  data(ice.river)
  add("ice_flow_weekly", colMeans(matrix(as.numeric(ice.river[1:(7 * 150), "flow.vat"]), 7)), 1, 10)
  add("quarterly_short", macro$realinv[1:14], 4, 4)   # 10 training values: quarterly with Fourier initial states
}

fixed_models <- function(y, m) {
  pos <- min(y) > 0
  ms <- c("ANN", "AAN", "AAdN")
  if (pos) ms <- c(ms, "MNN", "MAN", "MAdN")
  if (m > 1 && m <= 24) {
    ms <- c(ms, "ANA", "AAA", "AAdA")
    if (pos) ms <- c(ms, "MNA", "MAA", "MNM", "MAM", "MAdM")
  }
  ms
}

fit_json <- function(fit, h, x) {
  fc <- forecast(fit, h = h, level = c(80, 95))
  comp <- fit$components
  method <- paste0(comp[1], comp[2], ifelse(comp[4] == "TRUE", "d", ""), comp[3])
  p <- fit$par
  g <- function(nm) if (nm %in% names(p)) num(p[[nm]]) else "null"
  isets <- !is.null(fit$loglik)
  obj(model = str(method), fallback = ifelse(isets, "false", "true"),
      alpha = g("alpha"), beta = g("beta"), gamma = g("gamma"), phi = g("phi"),
      initstate = arr(fit$initstate),
      laststate = arr(fit$states[nrow(fit$states), ]),
      loglik = if (isets) num(fit$loglik) else "null", aic = if (isets) num(fit$aic) else "null",
      aicc = if (isets) num(fit$aicc) else "null", bic = if (isets) num(fit$bic) else "null",
      mse = if (isets) num(fit$mse) else "null",
      sigma2 = num(fit$sigma2),
      mean = arr(fc$mean), lower80 = arr(fc$lower[, 1]), upper80 = arr(fc$upper[, 1]),
      lower95 = arr(fc$lower[, 2]), upper95 = arr(fc$upper[, 2]))
}

entries <- character(0)
for (s in series) {
  n <- length(s$y); h <- s$horizon; m <- s$season
  train <- ts(s$y[1:(n - h)], frequency = m)
  fits <- character(0)
  auto <- tryCatch(fit_json(ets(train), h), error = function(e) { message(s$id, " auto: ", conditionMessage(e)); NULL })
  if (!is.null(auto)) fits <- c(fits, sprintf("\"auto\":%s", auto))
  ses <- tryCatch(fit_json(ets(train, "ANN", opt.crit = "mse"), h), error = function(e) NULL)
  if (!is.null(ses)) fits <- c(fits, sprintf("\"ses\":%s", ses))
  for (mod in fixed_models(s$y[1:(n - h)], m)) {
    damped <- grepl("d", mod)
    spec <- gsub("d", "", mod)
    j <- tryCatch(suppressWarnings(fit_json(ets(train, spec, damped = damped), h)), error = function(e) { message(s$id, " ", mod, ": ", conditionMessage(e)); NULL })
    if (!is.null(j)) fits <- c(fits, sprintf("\"%s\":%s", mod, j))
  }
  entries <- c(entries, obj(id = str(s$id), season = s$season, horizon = h, y = arr(s$y),
                            fits = paste0("{", paste(fits, collapse = ","), "}")))
}

# Nelder-Mead references: stats::optim(method = "Nelder-Mead") with default control is R's nmmin
# (alpha 1, beta 0.5, gamma 2, reltol sqrt(eps), abstol -Inf, maxit 500).
rosen <- function(p) 100 * (p[2] - p[1]^2)^2 + (1 - p[1])^2
o1 <- optim(c(-1.2, 1), rosen, method = "Nelder-Mead")
quad <- function(p) sum((p - c(1, -2, 3, 0.5))^2 * c(1, 10, 100, 1000)) + p[1] * p[2]
o2 <- optim(c(0, 0, 0, 0), quad, method = "Nelder-Mead")
o3 <- optim(c(-1.2, 1), rosen, method = "Nelder-Mead", control = list(maxit = 40))
nm <- function(name, start, o, maxit) obj(name = str(name), start = arr(start), maxit = maxit, par = arr(o$par), value = num(o$value),
                                          fncount = o$counts[["function"]], convergence = o$convergence)
nms <- c(nm("rosenbrock", c(-1.2, 1), o1, 500), nm("quadratic4", c(0, 0, 0, 0), o2, 500), nm("rosenbrock_maxit40", c(-1.2, 1), o3, 40))

writeLines(paste0("{\"generator\":\"tools/reference/ets_fixtures.R\",\"forecast\":\"", packageVersion("forecast"), "\",",
                  "\"neldermead\":[", paste(nms, collapse = ","), "],\n\"series\":[\n", paste(entries, collapse = ",\n"), "]}"), out)
cat("wrote", out, length(entries), "series\n")
