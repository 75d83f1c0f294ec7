# epiR epi.ssdxsesp (Buderer 1996, absolute error). Usage: Rscript epir_ssdxsesp.R > epir_ssdxsesp.json
suppressMessages({library(epiR); library(jsonlite)})
grid <- expand.grid(test = c(0.7, 0.85, 0.9, 0.95), Py = c(0.05, 0.2, 0.5), epsilon = c(0.03, 0.05, 0.1),
                    conf.level = c(0.9, 0.95), type = c("se", "sp"), stringsAsFactors = FALSE)
rows <- lapply(seq_len(nrow(grid)), function(i) {
  g <- grid[i, ]
  f <- epi.ssdxsesp(test = g$test, type = g$type, Py = g$Py, epsilon = g$epsilon, error = "absolute",
                    nfractional = TRUE, conf.level = g$conf.level)
  r <- epi.ssdxsesp(test = g$test, type = g$type, Py = g$Py, epsilon = g$epsilon, error = "absolute",
                    nfractional = FALSE, conf.level = g$conf.level)
  c(as.list(g), n_fractional = f, n = r)
})
cat(toJSON(list(rows = rows, versions = list(R = R.version.string, epiR = as.character(packageVersion("epiR")))),
           auto_unbox = TRUE, digits = NA, pretty = TRUE))
