package dev.tg.archive;

import com.fasterxml.jackson.databind.JsonNode;

/** A TDLib {@code user}, with what the contact list keeps. */
public record UserRecord(
    long id,
    String firstName,
    String lastName,
    String username,
    String phoneNumber,
    boolean contact,
    boolean mutualContact,
    long lastSeenEpochSeconds,
    String rawJson) {

  public static UserRecord of(JsonNode user) {
    JsonNode usernames = user.path("usernames").path("active_usernames");
    JsonNode status = user.path("status");
    long lastSeen = status.has("was_online") ? status.path("was_online").asLong() : status.path("expires").asLong();
    return new UserRecord(
        user.path("id").asLong(),
        user.path("first_name").asText(""),
        user.path("last_name").asText(""),
        usernames.isArray() && !usernames.isEmpty() ? usernames.get(0).asText() : null,
        user.path("phone_number").asText(""),
        user.path("is_contact").asBoolean(),
        user.path("is_mutual_contact").asBoolean(),
        lastSeen,
        user.toString());
  }

  public String displayName() {
    return (firstName + " " + lastName).trim();
  }
}
