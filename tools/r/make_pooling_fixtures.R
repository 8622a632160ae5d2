# Reference results for nelm.evidence.pooling, computed by R metafor.
#
# Fixtures (run from the repository root; writes tests/fixtures/metafor/*.json):
#   Rscript tools/r/make_pooling_fixtures.R
#   Rscript tools/r/make_pooling_fixtures.R --out DIR
# One data set (used by tests/evidence/test_pooling_live_R.py):
#   Rscript tools/r/make_pooling_fixtures.R --input studies.csv --output fits.json
#   (CSV columns id,xi,ni; writes {"r_version", "metafor_version", "fits": [...]})
#
# Every fit is
#   res <- rma(measure = "PLO", xi = xi, ni = ni, method = M, test = T)
#   pr  <- predict(res)                          # logit scale
#   prt <- predict(res, transf = transf.ilogit)  # back-transformed (proportion)
# for M in REML, DL, PM, FE and T in "z", "knha", with metafor's default control
# settings. Needs only base R and metafor (Debian: apt-get install r-cran-metafor); the
# JSON is written by the small writer below so that no other package is required.

suppressPackageStartupMessages(library(metafor))

DATASETS <- list(
  list(name = "k2", description = "two studies, the smallest pool allowed",
       id = c("a", "b"), xi = c(12, 30), ni = c(40, 55)),
  list(name = "k3", description = "three studies",
       id = c("a", "b", "c"), xi = c(5, 16, 14), ni = c(40, 31, 30)),
  list(name = "zero-event", description = "one study with no events (0.5 added to its cells)",
       id = c("a", "b", "c", "d", "e"), xi = c(0, 3, 9, 2, 14), ni = c(15, 22, 30, 18, 41)),
  list(name = "all-events", description = "one study where every patient had the event",
       id = c("a", "b", "c", "d"), xi = c(20, 11, 30, 8), ni = c(20, 18, 33, 12)),
  list(name = "homogeneous", description = "near-identical proportions: tau^2 = 0",
       id = c("a", "b", "c", "d", "e"), xi = c(25, 26, 49, 30, 12),
       ni = c(50, 52, 100, 61, 24)),
  list(name = "heterogeneous", description = "proportions from 6% to 80%: large tau^2",
       id = c("a", "b", "c", "d", "e", "f"), xi = c(5, 40, 12, 70, 20, 3),
       ni = c(50, 50, 60, 90, 25, 40)),
  list(name = "k15", description = "fifteen studies of five-year-survival size",
       id = sprintf("s%02d", 1:15),
       xi = c(104, 89, 62, 40, 251, 33, 66, 41, 48, 70, 27, 97, 44, 26, 148),
       ni = c(170, 120, 85, 64, 339, 47, 108, 52, 74, 95, 40, 150, 61, 33, 211))
)
METHODS <- c("REML", "DL", "PM", "FE")
TESTS <- c("z", "knha")

# ---------------------------------------------------------------- a minimal JSON writer
json_string <- function(x) {
  x <- gsub("\\", "\\\\", x, fixed = TRUE)
  x <- gsub("\"", "\\\"", x, fixed = TRUE)
  x <- gsub("\n", "\\n", x, fixed = TRUE)
  paste0("\"", x, "\"")
}
json_number <- function(x) {
  ifelse(is.na(x) | is.null(x), "null", sprintf("%.17g", x))
}
json_value <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    if (is.null(names(x))) {
      parts <- vapply(x, json_value, "", indent = inner)
      return(paste0("[\n", inner, paste(parts, collapse = paste0(",\n", inner)), "\n", indent, "]"))
    }
    parts <- vapply(names(x), function(n) paste0(json_string(n), ": ",
                                                   json_value(x[[n]], inner)), "")
    return(paste0("{\n", inner, paste(parts, collapse = paste0(",\n", inner)), "\n", indent, "}"))
  }
  if (inherits(x, "AsIs") || length(x) != 1) {
    if (length(x) == 0) return("[]")
    values <- if (is.character(x)) json_string(x) else if (is.logical(x))
      ifelse(x, "true", "false") else json_number(x)
    return(paste0("[", paste(values, collapse = ", "), "]"))
  }
  if (is.character(x)) return(json_string(x))
  if (is.logical(x)) return(if (is.na(x)) "null" else if (x) "true" else "false")
  json_number(x)
}

# ------------------------------------------------------------------------------ fits
versions <- list(
  r_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor"))
)

fit_one <- function(id, xi, ni, method, test) {
  warnings <- character(0)
  res <- withCallingHandlers(
    rma(measure = "PLO", xi = xi, ni = ni, method = method, test = test),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  pr <- predict(res)
  prt <- predict(res, transf = transf.ilogit)
  pick <- function(p, name) if (is.null(p[[name]])) NA_real_ else unname(p[[name]])
  list(
    method = method,
    test = test,
    call = sprintf(paste0("rma(measure = \"PLO\", xi = xi, ni = ni, method = \"%s\", ",
                          "test = \"%s\"); predict(res, transf = transf.ilogit)"),
                   method, test),
    warnings = I(warnings),
    result = list(
      yi = I(as.numeric(res$yi)),
      vi = I(as.numeric(res$vi)),
      weights = I(unname(as.numeric(weights(res)))),
      beta = as.numeric(res$beta),
      se = as.numeric(res$se),
      ci_lb = as.numeric(res$ci.lb),
      ci_ub = as.numeric(res$ci.ub),
      pi_lb = pick(pr, "pi.lb"),
      pi_ub = pick(pr, "pi.ub"),
      pred_transf = pick(prt, "pred"),
      ci_lb_transf = pick(prt, "ci.lb"),
      ci_ub_transf = pick(prt, "ci.ub"),
      pi_lb_transf = pick(prt, "pi.lb"),
      pi_ub_transf = pick(prt, "pi.ub"),
      tau2 = as.numeric(res$tau2),
      I2 = as.numeric(res$I2),
      H2 = as.numeric(res$H2),
      QE = as.numeric(res$QE),
      QEp = as.numeric(res$QEp),
      k = res$k,
      s2w = as.numeric(res$s2w),
      dfs = if (test == "z") NA_real_ else as.numeric(res$dfs)
    )
  )
}

write_json <- function(value, path) {
  writeLines(json_value(value), path, useBytes = TRUE)
}

args <- commandArgs(trailingOnly = TRUE)
arg <- function(flag, default = NULL) {
  at <- match(flag, args)
  if (is.na(at)) default else args[[at + 1]]
}

input <- arg("--input")
if (!is.null(input)) {
  data <- read.csv(input, stringsAsFactors = FALSE)
  fits <- list()
  for (method in METHODS) for (test in TESTS)
    fits[[length(fits) + 1]] <- fit_one(data$id, data$xi, data$ni, method, test)
  write_json(c(versions, list(data = list(id = I(data$id), xi = I(data$xi), ni = I(data$ni)),
                              fits = fits)),
             arg("--output", "fits.json"))
} else {
  out <- arg("--out", file.path("tests", "fixtures", "metafor"))
  dir.create(out, recursive = TRUE, showWarnings = FALSE)
  for (ds in DATASETS) for (method in METHODS) for (test in TESTS) {
    fit <- fit_one(ds$id, ds$xi, ds$ni, method, test)
    name <- sprintf("%s__%s__%s", ds$name, method, test)
    fixture <- c(
      list(name = name, dataset = ds$name, description = ds$description),
      versions,
      list(generated_by = "tools/r/make_pooling_fixtures.R",
           data = list(id = I(ds$id), xi = I(ds$xi), ni = I(ds$ni))),
      fit
    )
    write_json(fixture, file.path(out, paste0(name, ".json")))
  }
  cat(sprintf("wrote %d fixtures to %s with %s, metafor %s\n",
              length(DATASETS) * length(METHODS) * length(TESTS), out,
              versions$r_version, versions$metafor_version))
}
