package dev.tg.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.telegram.TdJson;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * TDLib's JSON interface over a {@link SimulatedTelegram}: the same requests, answers, updates and errors as TDLib
 * 1.8.65, for any number of client ids, all received through one queue.
 */
public final class SimulatedTdJson implements TdJson {
  private final SimulatedTelegram telegram;
  private final LoginScript loginScript;
  private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final Map<Integer, SimulatedClient> clients = new HashMap<>();
  private int lastClientId;

  public SimulatedTdJson(SimulatedTelegram telegram, LoginScript loginScript) {
    this.telegram = telegram;
    this.loginScript = loginScript;
  }

  /** Logs in by itself, as if a session existed: for the demo. */
  public SimulatedTdJson(SimulatedTelegram telegram) {
    this(telegram, LoginScript.AUTO);
  }

  public SimulatedTelegram telegram() {
    return telegram;
  }

  @Override
  public int createClientId() {
    synchronized (telegram) {
      int clientId = ++lastClientId;
      SimulatedClient client = new SimulatedClient(clientId, telegram, loginScript, this::emit);
      clients.put(clientId, client);
      telegram.register(client.updates());
      return clientId;
    }
  }

  @Override
  public void send(int clientId, String request) {
    ObjectNode parsed = parse(request);
    synchronized (telegram) {
      telegram.touch();
      SimulatedClient client = clients.get(clientId);
      if (client == null) {
        emit(clientId, withExtra(TdObjects.error(400, "Invalid TDLib instance specified"), parsed));
      } else if (parsed == null) {
        emit(clientId, TdObjects.error(400, "Failed to parse request as JSON object"));
      } else {
        client.receive(parsed, telegram.clock().instant());
      }
    }
  }

  @Override
  public String receive(double timeoutSeconds) {
    try {
      return received.poll((long) (timeoutSeconds * 1_000_000), TimeUnit.MICROSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public String execute(String request) {
    ObjectNode parsed = parse(request);
    if (parsed == null) {
      return TdObjects.error(400, "Failed to parse request as JSON object").toString();
    }
    ObjectNode answer = switch (parsed.path("@type").asText()) {
      case "getOption" -> parsed.path("name").asText().equals("version")
          ? TdObjects.optionString(TdObjects.VERSION)
          : TdObjects.error(400, "The option can't be get synchronously");
      case "setLogVerbosityLevel", "setLogStream" -> TdObjects.ok();
      default -> TdObjects.error(400, "The method can't be executed synchronously");
    };
    return withExtra(answer, parsed).toString();
  }

  /** The other device scans the QR code shown by every client waiting for it. */
  public void confirmQr() {
    synchronized (telegram) {
      clients.values().forEach(client -> client.confirmQr(telegram.clock().instant()));
    }
  }

  private void emit(int clientId, ObjectNode object) {
    object.put("@client_id", clientId);
    received.add(object.toString());
  }

  private static ObjectNode withExtra(ObjectNode answer, ObjectNode request) {
    if (request != null && request.has("@extra")) {
      answer.set("@extra", request.get("@extra"));
    }
    return answer;
  }

  private static ObjectNode parse(String request) {
    try {
      JsonNode node = TdObjects.JSON.readTree(request);
      return node instanceof ObjectNode object ? object : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
