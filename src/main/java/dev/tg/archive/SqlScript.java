package dev.tg.archive;

import java.util.ArrayList;
import java.util.List;

/** Splits a schema script into statements; a trigger's body keeps its inner semicolons. */
final class SqlScript {
  private SqlScript() {}

  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inTrigger = false;
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.startsWith("CREATE TRIGGER")) {
        inTrigger = true;
      }
      boolean ends = inTrigger ? trimmed.equals("END;") : trimmed.endsWith(";");
      if (ends) {
        statements.add(current.toString());
        current.setLength(0);
        inTrigger = false;
      }
    }
    return statements;
  }
}
