package dev.tg.cli;

/** A command cannot do what was asked; {@link Main} prints the message and exits with the code. */
final class CommandFailed extends RuntimeException {
  final int exitCode;

  CommandFailed(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  static CommandFailed failure(String message) {
    return new CommandFailed(Main.FAILURE, message);
  }

  static CommandFailed usage(String message) {
    return new CommandFailed(Main.USAGE, message);
  }
}
