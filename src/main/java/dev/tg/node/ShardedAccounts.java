package dev.tg.node;

import dev.tg.status.SyncStatus.ClusterMember;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.StartEntity;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The accounts as entities of Cluster Sharding (tg.cluster.enabled), the entity id being the account's name: each
 * runs on one member, as the same leased account a single node runs, and moves when its node leaves or is downed.
 * Every node builds the same plans from its configuration, so whichever member a shard lands on can run it.
 */
final class ShardedAccounts {
  static final EntityTypeKey<Account.Command> TYPE = EntityTypeKey.create(Account.Command.class, "account");

  private final ClusterSharding sharding;

  private ShardedAccounts(ClusterSharding sharding) {
    this.sharding = sharding;
  }

  /**
   * Starts this node's shard region; {@code running} makes an account's behavior from its plan, and {@code local}
   * gets each account started on this node.
   */
  static ShardedAccounts start(ActorSystem<?> system, List<Node.AccountPlan> plans,
      Function<Node.AccountPlan, Behavior<Account.Command>> running, Map<String, ActorRef<Account.Command>> local) {
    Map<String, Node.AccountPlan> byName = plans.stream()
        .collect(Collectors.toMap(Node.AccountPlan::name, Function.identity()));
    ClusterSharding sharding = ClusterSharding.get(system);
    ActorRef<ShardingEnvelope<Account.Command>> region = sharding.init(Entity.of(TYPE, entity -> {
      Node.AccountPlan plan = byName.get(entity.getEntityId());
      if (plan == null) {
        return Behaviors.setup(context -> {
          // sharding tries it again later, here or elsewhere
          context.getLog().error("[{}] is not configured on this node, which cannot run it: every node of the "
              + "cluster must have the same accounts", entity.getEntityId());
          return Behaviors.stopped();
        });
      }
      return Behaviors.setup(context -> {
        local.put(plan.name(), context.getSelf());
        return running.apply(plan);
      });
    }).withStopMessage(Account.Stop.INSTANCE));
    // a shard starts its remembered accounts wherever it goes; these start an account that never ran yet
    plans.forEach(plan -> region.tell(StartEntity.create(Account.Command.class, plan.name())));
    return new ShardedAccounts(sharding);
  }

  EntityRef<Account.Command> entity(String account) {
    return sharding.entityRefFor(TYPE, account);
  }

  /** The cluster's members as this node sees them now. */
  static List<ClusterMember> members(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    CurrentClusterState state = cluster.state();
    Set<Member> unreachable = state.getUnreachable();
    return StreamSupport.stream(state.getMembers().spliterator(), false)
        .map(member -> new ClusterMember(member.address().toString(),
            member.status().toString().toLowerCase(Locale.ROOT), !unreachable.contains(member),
            member.equals(cluster.selfMember())))
        .toList();
  }
}
