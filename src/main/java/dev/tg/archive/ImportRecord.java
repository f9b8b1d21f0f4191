package dev.tg.archive;

/** A message brought in from an export: its archive form, and the export's own JSON of it (kept as written). */
public record ImportRecord(MessageRecord message, String exportJson) {}
