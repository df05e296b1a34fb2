# Writes the tseries package's data sets used by the public benchmark as long CSV (unique_id,ds,y) on stdout.
# Called by make_series.py; needs Debian's r-cran-tseries (tools/reference/setup-r.sh).
suppressMessages(library(tseries))
emit <- function(id, x) {
  x <- na.omit(x)
  tt <- time(x); f <- frequency(x)
  yr <- floor(tt + 1e-9)
  sub <- round((tt - yr) * f)
  ds <- if (f == 1) sprintf("%d-01-01", yr)
        else if (f == 4) sprintf("%d-%02d-01", yr, sub * 3 + 1)
        else if (f == 12) sprintf("%d-%02d-01", yr, sub + 1)
        else stop("frequency")
  cat(sprintf("%s,%s,%.10g\n", id, ds, as.numeric(x)), sep = "")
}
data(NelPlo); for (n in colnames(NelPlo)) emit(paste0("nelplo_", n), NelPlo[, n])
data(USeconomic); for (n in colnames(USeconomic)) emit(paste0("useconomic_", gsub("[()]", "", sub("log\\(", "log_", n))), USeconomic[, n])
data(tcm); for (n in colnames(tcm)) emit(paste0("tcm_", n), tcm[, n])
data(nino); emit("nino3", nino3); emit("nino3.4", nino3.4)
data(bev); emit("bev", bev)
