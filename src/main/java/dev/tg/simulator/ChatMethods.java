package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tg.simulator.SimChat.ChatList;

/** One TDLib instance's answers to the chat-list methods (loadChats, getChats) and to create*Chat. */
final class ChatMethods {
  private final World world;
  private final ClientView view;

  ChatMethods(World world, ClientView view) {
    this.world = world;
    this.view = view;
  }

  ObjectNode loadChats(ObjectNode request, ServerCall call) {
    ObjectNode refusal = checkChatListRequest(request, call);
    if (refusal != null) {
      return refusal;
    }
    int loaded = view.loadMore(chatList(request), request.path("limit").asInt());
    return loaded == 0 ? TdObjects.error(404, "Not Found") : TdObjects.ok();
  }

  /** What loadChats and getChats check alike: the limit, the chat list, then the server; null to go on. */
  private ObjectNode checkChatListRequest(ObjectNode request, ServerCall call) {
    if (request.path("limit").asInt() <= 0) {
      return TdObjects.error(400, "Parameter limit must be positive");
    }
    return chatList(request) == null ? TdObjects.error(400, "Chat list not found") : call.reachServer(0);
  }

  ObjectNode getChats(ObjectNode request, ServerCall call) {
    ObjectNode refusal = checkChatListRequest(request, call);
    if (refusal != null) {
      return refusal;
    }
    ChatList list = chatList(request);
    int limit = request.path("limit").asInt();
    view.loadMore(list, limit - view.loadedCount(list));
    ObjectNode chats = TdObjects.object("chats").put("total_count", view.chatsInOrder(list, false).size());
    ArrayNode ids = chats.putArray("chat_ids");
    view.chatsInOrder(list, true).stream().limit(limit).forEach(chat -> ids.add(chat.id));
    return chats;
  }

  /** The list a request names; a missing one is the main list; null for lists the world has not (folders). */
  private static ChatList chatList(ObjectNode request) {
    return switch (request.path("chat_list").path("@type").asText("chatListMain")) {
      case "", "chatListMain" -> ChatList.MAIN;
      case "chatListArchive" -> ChatList.ARCHIVE;
      default -> null;
    };
  }

  /**
   * Requests.cpp CreateChatRequest → MessagesManager::create_dialog, for the chat of a user, basic group,
   * supergroup or secret chat: "Chat info not found" unless the instance knows the user or group
   * (DialogManager::have_dialog_info_force; e.g. the basic group a supergroup was upgraded from, known from its full
   * info), "Can't access the chat" unless it may read it (DialogManager::have_input_peer); with force (always for a
   * secret chat) the chat is created at once, else TDLib asks the server for the dialog.
   */
  ObjectNode createChat(ObjectNode request, ServerCall call) {
    String type = request.path("@type").asText();
    WorldChat chat = chatToCreate(type, request);
    if (chat == null || !knowsInfoOf(chat)) {
      return TdObjects.error(400, "Chat info not found");
    }
    if (!view.hasReadAccess(chat)) {
      return TdObjects.error(400, "Can't access the chat");
    }
    boolean force = type.equals("createSecretChat") || request.path("force").asBoolean();
    if (!force && !view.knows(chat)) {
      ObjectNode refusal = call.reachServer(chat.id);
      if (refusal != null) {
        return refusal;
      }
    }
    view.announceChat(chat);
    return view.chatObject(chat);
  }

  /** The chat a create*Chat request names by its user or group, as DialogId derives chat ids from them. */
  private WorldChat chatToCreate(String type, ObjectNode request) {
    WorldChat chat = switch (type) {
      case "createPrivateChat" -> world.chat(request.path("user_id").asLong());
      case "createBasicGroupChat" -> world.chat(-request.path("basic_group_id").asLong());
      case "createSupergroupChat" -> world.chat(-1_000_000_000_000L - request.path("supergroup_id").asLong());
      default -> world.chat(request.path("secret_chat_id").asLong() - 2_000_000_000_000L);
    };
    boolean kindMatches = chat != null && switch (type) {
      case "createPrivateChat" -> chat.kind == ChatKind.PRIVATE;
      case "createBasicGroupChat" -> chat.kind == ChatKind.BASIC_GROUP;
      case "createSupergroupChat" -> chat.kind.isSupergroup();
      default -> chat.kind == ChatKind.SECRET && view.sees(chat);
    };
    return kindMatches ? chat : null;
  }

  /** DialogManager::have_dialog_info_force: the user, group or secret chat was announced to this instance. */
  private boolean knowsInfoOf(WorldChat chat) {
    return switch (chat.kind) {
      case PRIVATE -> view.knowsUser(chat.partnerUserId);
      case SECRET -> view.knows(chat);
      case BASIC_GROUP, SUPERGROUP, CHANNEL -> view.knowsGroup(chat);
    };
  }
}
