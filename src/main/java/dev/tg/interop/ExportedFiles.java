package dev.tg.interop;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an exported message's {@code photo} or {@code file} field says: the path of its file beside the export, or
 * Telegram Desktop's words for a file left out ({@code pushPath} in {@code export_output_json.cpp}).
 */
public interface ExportedFiles {
  String NOT_INCLUDED = "(File not included. Change data exporting settings to download.)";
  String TOO_LARGE = "(File exceeds maximum size. Change data exporting settings to download.)";
  String UNAVAILABLE = "(File unavailable, please try again later)";

  /** An export without files, as Telegram Desktop writes one whose settings leave media out. */
  ExportedFiles NONE = message -> NOT_INCLUDED;

  /** The field's value for this archived message (TDLib's JSON), which holds a file. */
  String field(JsonNode message);
}
