package dev.tg.scheduler;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** A scheduler for tests that isolate what asks for tokens: every request gets one at once, the rest is ignored. */
public final class GrantingScheduler {
  private GrantingScheduler() {}

  public static ActorRef<Scheduler.Command> spawn(ActorTestKit testKit) {
    AtomicLong grants = new AtomicLong();
    return testKit.spawn(Behaviors.receive(Scheduler.Command.class)
        .onMessage(Scheduler.RequestToken.class, request -> {
          request.replyTo().tell(new Scheduler.TokenGranted(grants.incrementAndGet()));
          return Behaviors.same();
        })
        .onAnyMessage(message -> Behaviors.same())
        .build());
  }
}
