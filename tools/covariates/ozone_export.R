# Writes data/ozone-la-1976.csv and data/us-holidays-1976.csv (see docs/covariates.md).
# Needs r-cran-mlbench 2.1 (the Ozone data): apt-get install r-cran-mlbench
# Run from the repository root: Rscript tools/covariates/ozone_export.R
suppressMessages(library(mlbench))
data(Ozone)
date <- as.Date("1976-01-01") + 0:365
stopifnot(nrow(Ozone) == 366, all(as.integer(as.character(Ozone$V1)) == as.integer(format(date, "%m"))),
          all(as.integer(as.character(Ozone$V2)) == as.integer(format(date, "%d"))))
# Covariates' few gaps (temperature 2, humidity 15 of 366 days) are filled by linear interpolation (constant at the ends);
# the ozone gaps (5 days) stay empty: the reader fills them with --fill linear.
fill <- function(x) approx(seq_along(x), x, seq_along(x), rule = 2)$y
out <- data.frame(date = format(date, "%Y-%m-%d"), ozone = Ozone$V4,
                  temperature = fill(Ozone$V8), humidity = fill(Ozone$V7), wind = Ozone$V6)
write.csv(out, "data/ozone-la-1976.csv", row.names = FALSE, na = "", quote = FALSE)
# US federal holidays of 1976 as observed (5 U.S.C. 6103 then in force: Monday holidays since 1971, Veterans Day on the
# fourth Monday of October 1971-1977; Independence Day (a Sunday) observed Monday 5 July, Christmas (a Saturday) Friday 24 December).
h <- data.frame(date = c("1976-01-01", "1976-02-16", "1976-05-31", "1976-07-05", "1976-09-06", "1976-10-11", "1976-10-25", "1976-11-25", "1976-12-24"),
                name = c("New Year's Day", "Washington's Birthday", "Memorial Day", "Independence Day", "Labor Day", "Columbus Day",
                         "Veterans Day", "Thanksgiving", "Christmas"))
stopifnot(weekdays(as.Date(h$date[2:8])) %in% c("Monday", "Thursday"))
write.csv(h, "data/us-holidays-1976.csv", row.names = FALSE, quote = FALSE)
