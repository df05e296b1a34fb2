# JSON writers shared by the ARIMA fixture scripts (source it from the repository root): numbers at full precision
# ("%.17g"), NA as null, infinities as +-1e308, strings with their double quotes turned into single ones.
num <- function(x) {
  if (length(x) == 0) return("[]")
  s <- ifelse(is.na(x), "null", ifelse(is.infinite(x), ifelse(x > 0, "1e308", "-1e308"), sprintf("%.17g", x)))
  paste0("[", paste(s, collapse = ","), "]")
}
one <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) "null" else sprintf("%.17g", x)
str <- function(x) paste0("\"", gsub("\"", "'", x), "\"")
strs <- function(x) paste0("[", paste(vapply(x, str, ""), collapse = ","), "]")
obj <- function(...) { kv <- list(...); paste0("{", paste(sprintf("\"%s\":%s", names(kv), unlist(kv)), collapse = ","), "}") }
