# Writes data/gapminder-life-expectancy.csv (see docs/covariates.md): life expectancy at birth of 185 countries, yearly
# 1960-2016, with each country's continent and region (static categories) and its fertility (a past covariate).
# Needs r-cran-dslabs 0.7.4 (the gapminder data): bash tools/covariates/setup.sh
# Run from the repository root: Rscript tools/covariates/gapminder_export.R
suppressMessages(library(dslabs))
data(gapminder)
g <- gapminder[order(gapminder$country, gapminder$year), ]
stopifnot(nrow(g) == 185 * 57, !anyNA(g$life_expectancy), all(table(g$country) == 57))
# Six country names hold a comma ("Congo, Dem. Rep."): written without it ("Congo Dem. Rep."), so no cell needs quoting.
g$country <- gsub(",", "", as.character(g$country), fixed = TRUE)
stopifnot(length(unique(g$country)) == 185, !any(grepl("\"", g$country)))
# Fertility has 187 gaps: every country's 2016 value and two more; each country's are filled by linear interpolation
# (the last value carried forward at the end). Life expectancy, continent and region have none.
fill <- function(x) approx(seq_along(x), x, seq_along(x), rule = 2)$y
fertility <- ave(g$fertility, g$country, FUN = fill)
out <- data.frame(series = g$country, date = sprintf("%d-01-01", g$year), life_expectancy = g$life_expectancy,
                  fertility = round(fertility, 3), continent = g$continent, region = g$region)
write.csv(out, "data/gapminder-life-expectancy.csv", row.names = FALSE, na = "", quote = FALSE)
