package dev.tg.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The updates one simulated TDLib instance sends about the world, once it is logged in: new, edited, changed and
 * deleted messages, scheduled messages, chats leaving and entering lists, secret chats, users, the connection.
 */
final class ClientUpdates implements WorldListener {
  private final SimulatedTelegram telegram;
  private final ClientView view;
  private final BooleanSupplier ready;
  private final Consumer<ObjectNode> emit;
  private final Consumer<Instant> tick;
  private final List<Runnable> heldUpdates = new ArrayList<>();
  private final Set<WorldChat> skippedChats = new LinkedHashSet<>();

  ClientUpdates(
      SimulatedTelegram telegram, ClientView view, BooleanSupplier ready, Consumer<ObjectNode> emit,
      Consumer<Instant> tick) {
    this.telegram = telegram;
    this.view = view;
    this.ready = ready;
    this.emit = emit;
    this.tick = tick;
  }

  /** Whether an update about the chat may go out: logged in, and a chat this instance has at all. */
  private boolean hears(WorldChat chat) {
    return ready.getAsBoolean() && view.sees(chat);
  }

  /**
   * While offline, TDLib fetches what private chats and basic groups missed once it is back, but skips the gaps of
   * supergroups and channels: there only the last message moves. Returns true if the update must not go out now.
   */
  private boolean deferredWhileOffline(WorldChat chat, Runnable update, boolean movesLastMessage) {
    if (!telegram.isOffline()) {
      return false;
    }
    if (!chat.kind.isSupergroup()) {
      heldUpdates.add(update);
    } else if (movesLastMessage) {
      skippedChats.add(chat);
    }
    return true;
  }

  /** An update of the account's own (scheduled messages, secret chats): it waits for the network, whatever the chat. */
  private void whenOnline(Runnable update) {
    if (telegram.isOffline()) {
      heldUpdates.add(update);
    } else {
      update.run();
    }
  }

  @Override
  public void messageAdded(WorldChat chat, long messageId) {
    if (!hears(chat) || deferredWhileOffline(chat, () -> messageAdded(chat, messageId), true)) {
      return;
    }
    int index = chat.history.indexOf(messageId);
    if (!view.hearsUpdatesOf(chat) || index < 0 || chat.history.isDeleted(index)) {
      view.sendLastMessage(chat);
      return;
    }
    view.announceChat(chat);
    emit(TdObjects.update("updateNewMessage", "message", view.messageObject(chat, index)));
    view.sendLastMessage(chat);
  }

  @Override
  public void messagesSkipped(WorldChat chat) {
    if (hears(chat) && !deferredWhileOffline(chat, () -> messagesSkipped(chat), true)) {
      view.sendLastMessage(chat);
    }
  }

  /** MessagesManager::update_message: an edit is updateMessageContent, then updateMessageEdited. */
  @Override
  public void messageEdited(WorldChat chat, long messageId) {
    ObjectNode message = sendContent(chat, messageId, () -> messageEdited(chat, messageId));
    if (message != null) {
      emit(TdObjects.object("updateMessageEdited")
          .put("chat_id", chat.id)
          .put("message_id", messageId)
          .put("edit_date", message.path("edit_date").asInt()));
    }
  }

  /**
   * MessagesManager::on_external_update_message_content (a link preview arrived): updateMessageContent alone, and
   * updateChatLastMessage if it is the chat's last message (send_update_last_message_if_needed).
   */
  @Override
  public void messageContentChanged(WorldChat chat, long messageId) {
    if (sendContent(chat, messageId, () -> messageContentChanged(chat, messageId)) != null
        && chat.history.lastLiveIndex() == chat.history.indexOf(messageId)) {
      view.sendLastMessage(chat);
    }
  }

  /** Sends updateMessageContent if the instance hears it now; returns the message, or null if nothing went out. */
  private ObjectNode sendContent(WorldChat chat, long messageId, Runnable later) {
    if (!hears(chat) || !view.knows(chat) || deferredWhileOffline(chat, later, false) || !view.hearsUpdatesOf(chat)) {
      return null;
    }
    int index = chat.history.indexOf(messageId);
    if (index < 0 || chat.history.isDeleted(index)) {
      return null;
    }
    ObjectNode message = view.messageObject(chat, index);
    ObjectNode content = TdObjects.object("updateMessageContent").put("chat_id", chat.id).put("message_id", messageId);
    content.set("new_content", message.get("content"));
    emit(content);
    return message;
  }

  @Override
  public void messagesDeleted(WorldChat chat, long[] messageIds, boolean permanent) {
    if (!hears(chat) || !view.knows(chat)
        || deferredWhileOffline(chat, () -> messagesDeleted(chat, messageIds, permanent), permanent)) {
      return;
    }
    if (permanent && view.database() != null) {
      view.database().delete(chat.id, messageIds);
    }
    if (!permanent || view.hearsUpdatesOf(chat)) {
      emit(deleteMessages(chat, messageIds, permanent));
    }
    int last = chat.history.lastLiveIndex();
    long lastId = last < 0 ? 0 : chat.history.messageIdAt(last);
    if (permanent && Arrays.stream(messageIds).anyMatch(deletedId -> deletedId > lastId)) {
      view.sendLastMessage(chat);
    }
  }

  private static ObjectNode deleteMessages(WorldChat chat, long[] messageIds, boolean permanent) {
    ObjectNode update = TdObjects.object("updateDeleteMessages").put("chat_id", chat.id);
    ArrayNode ids = update.putArray("message_ids");
    for (long messageId : messageIds) {
      ids.add(messageId);
    }
    return update.put("is_permanent", permanent).put("from_cache", !permanent);
  }

  /** A new scheduled message: updateNewMessage with its scheduling_state, never updateChatLastMessage. */
  @Override
  public void scheduledMessageAdded(WorldChat chat, WorldChat.ScheduledMessage message) {
    if (hears(chat)) {
      whenOnline(() -> {
        view.announceChat(chat);
        emit(TdObjects.update("updateNewMessage", "message", view.scheduledMessageObject(chat, message)));
        view.sendHasScheduledMessages(chat);
      });
    }
  }

  /**
   * MessagesManager::on_update_delete_scheduled_messages: the scheduled message goes with updateDeleteMessages
   * (is_permanent true, from_cache false, send_update_delete_messages), then the sent message arrives as any new one.
   */
  @Override
  public void scheduledMessageSent(WorldChat chat, long scheduledMessageId, long messageId) {
    if (!hears(chat)) {
      return;
    }
    whenOnline(() -> {
      if (view.forgetScheduledMessage(scheduledMessageId)) {
        emit(deleteMessages(chat, new long[] {scheduledMessageId}, true));
      }
      view.sendHasScheduledMessages(chat);
    });
    if (messageId != 0) {
      messageAdded(chat, messageId);
    }
  }

  @Override
  public void chatChanged(WorldChat chat) {
    if (hears(chat)) {
      view.groupChanged(chat);
    }
  }

  @Override
  public void membershipChanged(WorldChat chat) {
    if (hears(chat)) {
      view.groupChanged(chat);
      view.refreshPosition(chat);
    }
  }

  /**
   * With use_secret_chats, SecretChatActor::on_update_chat(encryptedChatRequested) goes straight to SendAccept: the
   * chat is Pending, then Ready once accepted, and a chat of the account.
   */
  @Override
  public void secretChatRequested(WorldChat chat) {
    if (!ready.getAsBoolean() || !view.usesSecretChats()) {
      return;
    }
    whenOnline(() -> {
      telegram.secretChatAccepted(chat);
      view.announceUser(chat.partnerUserId);
      emit(TdObjects.update("updateSecretChat", "secret_chat", TdObjects.secretChat(chat, false)));
      view.announceChat(chat);
    });
  }

  @Override
  public void userChanged(SimUser user) {
    if (ready.getAsBoolean()) {
      view.userChanged(user);
    }
  }

  /** MessagesManager::on_dialog_title_updated: only to instances that announced the chat. */
  @Override
  public void titleChanged(WorldChat chat) {
    if (ready.getAsBoolean() && view.knows(chat)) {
      emit(TdObjects.object("updateChatTitle").put("chat_id", chat.id).put("title", chat.title));
    }
  }

  @Override
  public void connectionLost() {
    if (ready.getAsBoolean()) {
      emit(TdObjects.connectionState("connectionStateWaitingForNetwork"));
    }
  }

  @Override
  public void connectionRestored() {
    if (!ready.getAsBoolean()) {
      return;
    }
    emit(TdObjects.connectionState("connectionStateConnecting"));
    emit(TdObjects.connectionState("connectionStateUpdating"));
    List<Runnable> held = List.copyOf(heldUpdates);
    heldUpdates.clear();
    held.forEach(Runnable::run);
    skippedChats.forEach(view::sendLastMessage);
    skippedChats.clear();
    emit(TdObjects.connectionState("connectionStateReady"));
    tick.accept(telegram.clock().instant());
  }

  /**
   * UpdatesManager::run_get_difference calls before_get_difference, which tells StateManager it is not synchronized
   * (Updating) until the difference is applied (Ready); here the difference holds nothing.
   */
  @Override
  public void routineUpdate() {
    if (ready.getAsBoolean() && !telegram.isOffline()) {
      emit(TdObjects.connectionState("connectionStateUpdating"));
      emit(TdObjects.connectionState("connectionStateReady"));
    }
  }

  @Override
  public void tick(Instant now) {
    tick.accept(now);
    if (view.database() != null) {
      view.database().flushIfDue();
    }
  }

  @Override
  public void releaseFiles() {
    if (view.database() != null) {
      view.database().close();
    }
  }

  private void emit(ObjectNode object) {
    emit.accept(object);
  }
}
