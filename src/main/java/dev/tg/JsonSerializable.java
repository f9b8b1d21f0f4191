package dev.tg;

/** Marker for messages, events and snapshots that Pekko serializes with Jackson CBOR (bound in application.conf). */
public interface JsonSerializable {}
