package dev.tg.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.tg.config.NodeSettings;
import dev.tg.config.TgConfig;
import dev.tg.simulator.ChatKind;
import dev.tg.simulator.SimChat;
import dev.tg.simulator.SimulatedTelegram;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test node on the tiny demo world its own configuration names (seed, no live traffic), so that the crash test's
 * checker rebuilds the very same world from the node's configuration.
 */
final class DemoNodes {
  static final long SEED = 7;

  private DemoNodes() {}

  static Map<String, Object> overrides() {
    Map<String, Object> overrides = new LinkedHashMap<>(TestNode.fast());
    overrides.put("tg.demo.world", "tiny");
    overrides.put("tg.demo.seed", SEED);
    overrides.put("tg.demo.rtt", "1ms");
    overrides.put("tg.demo.live-messages-per-second", 0);
    return overrides;
  }

  /** The world {@code tg node --demo} would run on in {@code dataDir} with {@link #overrides()}. */
  static SimulatedTelegram world(Path dataDir) {
    Config config = TgConfig.load(null).withValue("tg.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()));
    for (Map.Entry<String, Object> override : overrides().entrySet()) {
      config = config.withValue(override.getKey(), ConfigValueFactory.fromAnyRef(override.getValue()));
    }
    return NodeLauncher.demoWorld(NodeSettings.from(config), NodeLauncher.DEMO_ACCOUNT, SEED);
  }

  /** The longest chat of the kind the node syncs whole (at most medium-group-max members), never upgraded. */
  static SimChat fullySynced(SimulatedTelegram world, ChatKind kind) {
    return world.chats().stream()
        .filter(chat -> chat.kind() == kind && chat.memberCount() <= 100 && chat.upgradeLinkedChatId() == 0)
        .max(Comparator.comparingInt(chat -> world.groundTruth(chat.id()).size())).orElseThrow();
  }
}
