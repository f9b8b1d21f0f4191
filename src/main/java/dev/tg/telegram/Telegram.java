package dev.tg.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.JsonSerializable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The account's TDLib client as far as its authorization goes: wakes the instance, gives it its parameters, tells
 * the account once it is logged in (or why it is not), and ends when the client is closed. Every other update is
 * the account's to route.
 */
public final class Telegram extends AbstractBehavior<Telegram.Command> {

  public interface Command extends JsonSerializable {}

  /** {@code updateAuthorizationState} of this account's client. */
  public record AuthorizationChanged(String state) implements Command {}

  /** What the account hears from here. */
  public sealed interface Event extends JsonSerializable {}

  public enum LoggedIn implements Event {
    INSTANCE
  }

  public record NotLoggedIn(String problem) implements Event {}

  private final String account;
  private final TdClient client;
  private final ObjectNode tdlibParameters;
  private final ActorRef<Event> listener;
  private boolean loggedIn;

  private Telegram(ActorContext<Command> context, String account, TdClient client, ObjectNode tdlibParameters,
      ActorRef<Event> listener) {
    super(context);
    this.account = account;
    this.client = client;
    this.tdlibParameters = tdlibParameters;
    this.listener = listener;
    // a new TDLib instance says nothing until it gets its first request
    client.send(TdClient.request("getOption").put("name", "version"));
  }

  public static Behavior<Command> create(String account, TdClient client, ObjectNode tdlibParameters,
      ActorRef<Event> listener) {
    return Behaviors.setup(context -> new Telegram(context, account, client, tdlibParameters, listener));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(AuthorizationChanged.class, changed -> onState(changed.state())).build();
  }

  private Behavior<Command> onState(String state) {
    switch (state) {
      case "authorizationStateWaitTdlibParameters" -> client.send(tdlibParameters.deepCopy());
      case "authorizationStateReady" -> {
        if (!loggedIn) {
          loggedIn = true;
          listener.tell(LoggedIn.INSTANCE);
        }
      }
      case "authorizationStateClosed" -> {
        if (CoordinatedShutdown.get(getContext().getSystem()).getShutdownReason().isPresent()) {
          return Behaviors.stopped();
        }
        // the client is gone for good: the account restarts with a new one
        throw new IllegalStateException("TDLib client of account " + account + " closed");
      }
      case "authorizationStateLoggingOut", "authorizationStateClosing" -> {
        // Closed follows
      }
      default -> {
        String problem = "account " + account + " is not logged in (TDLib asks for " + state
            + "): run `tg login --account " + account + "`";
        getContext().getLog().error(problem);
        listener.tell(new NotLoggedIn(problem));
      }
    }
    return this;
  }
}
