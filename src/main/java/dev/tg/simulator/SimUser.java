package dev.tg.simulator;

/** Ground truth about one user of the world. */
public record SimUser(
    long id, String firstName, String lastName, String username, String phoneNumber, boolean contact, boolean mutualContact) {

  SimUser withName(String first, String last) {
    return new SimUser(id, first, last, username, phoneNumber, contact, mutualContact);
  }

  SimUser withContact(boolean isContact) {
    return new SimUser(id, firstName, lastName, username, phoneNumber, isContact, isContact && mutualContact);
  }
}
