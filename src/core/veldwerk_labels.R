# veldwerk_labels.R: read a table of a Veldwerk anonymized export and apply
# the codebook's labels: coded variables become factors (levels in codebook
# order, labelled in Dutch or English), counts become integers, and every
# variable gets its label in the attribute "label".
#
# Use it from R:
#   source("veldwerk_labels.R")
#   long <- veldwerk_read("path/to/export", "trajectories_long", "nl")
# or from the command line, which prints the structure of the table:
#   Rscript veldwerk_labels.R path/to/export trajectories_wide en
#
# SPDX-License-Identifier: GPL-3.0-or-later

veldwerk_read <- function(dir = ".", table = "trajectories_long", language = "nl") {
  if (!language %in% c("nl", "en"))
    stop("language must be \"nl\" or \"en\"")
  data <- utils::read.csv(file.path(dir, paste0(table, ".csv")),
                          colClasses = "character", na.strings = "",
                          fileEncoding = "UTF-8", check.names = FALSE)
  book <- utils::read.csv(file.path(dir, "codebook.csv"),
                          colClasses = "character", na.strings = character(0),
                          fileEncoding = "UTF-8", check.names = FALSE)
  book <- book[book$table == table, ]
  variables <- book[book$code == "", ]
  for (i in seq_len(nrow(variables))) {
    name <- variables$variable[i]
    if (!name %in% names(data))
      next
    values <- book[book$variable == name & book$code != "", ]
    if (nrow(values) > 0) {
      data[[name]] <- factor(data[[name]], levels = values$code,
                             labels = values[[paste0("value_label_", language)]])
    } else if (variables$type[i] == "integer") {
      data[[name]] <- as.integer(data[[name]])
    }
    attr(data[[name]], "label") <- variables[[paste0("label_", language)]][i]
  }
  data
}

if (!interactive() && sys.nframe() == 0L) {
  args <- commandArgs(trailingOnly = TRUE)
  dir <- if (length(args) >= 1) args[1] else "."
  table <- if (length(args) >= 2) args[2] else "trajectories_long"
  language <- if (length(args) >= 3) args[3] else "nl"
  str(veldwerk_read(dir, table, language))
}
