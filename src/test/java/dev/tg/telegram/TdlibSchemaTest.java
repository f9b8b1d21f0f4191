package dev.tg.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The schema check both passes what TDLib documents and fails what it does not, naming the field. */
class TdlibSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TdlibSchema schema;

  @BeforeAll
  static void load() {
    schema = TdlibSchema.load(TdlibInstall.schema());
  }

  /** Requests as our code sends them; also the list the real library must parse ({@link NativeRequestShapesTest}). */
  static List<ObjectNode> wellFormedRequests(Path sessionDir) {
    ObjectNode loadChats = TdClient.request("loadChats").put("limit", 100);
    loadChats.putObject("chat_list").put("@type", "chatListMain");
    return List.of(
        getChatHistory().put("limit", 100),
        loadChats,
        TdlibParameters.of(sessionDir, 94575, "a3406de8d171bb422bb6ddf3bbd800e2", new byte[32], true),
        TdClient.request("getOption").put("name", "version"),
        TdClient.request("searchChatMessages").put("chat_id", -1001234567890L).put("query", "")
            .put("from_message_id", 0).put("offset", 0).put("limit", 1));
  }

  @Test
  void theSchemaIsThatOfTdlib1865() {
    assertThat(schema.version()).isEqualTo(TdlibLibrary.TDLIB_VERSION);
    assertThat(schema.commit()).isEqualTo("062f26052623dbecedb42075cab78a759e9f9987");
  }

  @Test
  void wellFormedRequestsConform() {
    assertThat(wellFormedRequests(Path.of("/var/lib/tg/session"))).allSatisfy(request ->
        assertThat(request(request)).as(request.toString()).isEmpty());
    assertThat(request(getChatHistory().put("limit", 100).put("@extra", 7))).isEmpty();
    assertThat(request(getChatHistory().put("limit", 100).set("@extra", json("{\"any\":[\"json\"]}")))).isEmpty();
  }

  @Test
  void anUnknownFunctionOrFieldIsNamed() {
    assertThat(request(json("{\"@type\":\"getChatHistoryy\",\"chat_id\":1}")))
        .containsExactly("getChatHistoryy: unknown function");
    assertThat(request(getChatHistory().put("limit", 100).put("limitt", 100)))
        .containsExactly("getChatHistory.limitt: unknown field");
    assertThat(request(json("{\"@type\":\"message\"}"))).containsExactly("message: not a function");
  }

  @Test
  void aFieldOfTheWrongJsonKindIsNamed() {
    assertThat(request(getChatHistory().put("limit", "100")))
        .containsExactly("getChatHistory.limit: expected number, got string \"100\"");
    assertThat(request(getChatHistory().put("limit", 100).put("only_local", 0)))
        .containsExactly("getChatHistory.only_local: expected boolean, got number 0");
    assertThat(request(json("{\"@type\":\"getOption\",\"name\":[\"version\"]}")))
        .containsExactly("getOption.name: expected string, got array");
  }

  @Test
  void anInt64InputMustBeAStringOfAnInteger() {
    assertThat(request(json("{\"@type\":\"getStickerSet\",\"set_id\":\"123\"}"))).isEmpty();
    assertThat(request(json("{\"@type\":\"getStickerSet\",\"set_id\":123}")))
        .containsExactly("getStickerSet.set_id: expected int64 as a string, got number 123");
    assertThat(request(json("{\"@type\":\"getStickerSet\",\"set_id\":\"0123\"}")))
        .containsExactly("getStickerSet.set_id: expected int64 as a string, got string \"0123\"");
    assertThat(request(json("{\"@type\":\"getCustomEmojiStickers\",\"custom_emoji_ids\":[\"1\",2]}")))
        .containsExactly("getCustomEmojiStickers.custom_emoji_ids[1]: expected int64 as a string, got number 2");
  }

  @Test
  void bytesMustBeBase64() {
    ObjectNode parameters = TdlibParameters.of(Path.of("/tmp/s"), 1, "hash", new byte[] {1, 2, 3, 4}, false);

    assertThat(request(parameters)).isEmpty();
    assertThat(request(parameters.put("database_encryption_key", "AQIDBA")))
        .containsExactly("setTdlibParameters.database_encryption_key: expected a base64 string, got string \"AQIDBA\"");
  }

  @Test
  void aNestedObjectMustBeOfATypeAllowedThere() {
    ObjectNode loadChats = TdClient.request("loadChats").put("limit", 10);

    loadChats.putObject("chat_list").put("@type", "message");
    assertThat(request(loadChats)).containsExactly(
        "loadChats.chat_list: expected ChatList (chatListMain, chatListArchive, chatListFolder), got message");
    loadChats.putObject("chat_list").put("@type", "chatListFolder").put("chat_folder_id", 2).put("folder", 1);
    assertThat(request(loadChats)).containsExactly("loadChats.chat_list.folder: unknown field");
    loadChats.putObject("chat_list").put("@type", "chatListFoo");
    assertThat(request(loadChats)).containsExactly("loadChats.chat_list: unknown type chatListFoo");
    loadChats.put("chat_list", "chatListMain");
    assertThat(request(loadChats)).containsExactly(
        "loadChats.chat_list: expected ChatList (chatListMain, chatListArchive, chatListFolder), got string "
            + "\"chatListMain\"");
  }

  @Test
  void aMissingTypeIsNamed() {
    assertThat(request(json("{\"limit\":1}"))).containsExactly("request: missing @type");
    ObjectNode loadChats = TdClient.request("loadChats").put("limit", 10);
    loadChats.putObject("chat_list");
    assertThat(request(loadChats)).containsExactly("loadChats.chat_list: missing @type");
  }

  @Test
  void wellFormedObjectsConform() {
    assertThat(object(updateNewMessage(message()))).isEmpty();
    assertThat(object(json("{\"@type\":\"error\",\"code\":400,\"message\":\"Bad Request\",\"@extra\":5,"
        + "\"@client_id\":1}"))).isEmpty();
    assertThat(object(json("{\"@type\":\"ok\",\"@client_id\":1}"))).isEmpty();
    assertThat(object(updateChatPosition("\"9221294780217032704\""))).isEmpty();
    // elements of messages.messages may be null
    ObjectNode messages = json("{\"@type\":\"messages\",\"total_count\":2}");
    messages.putArray("messages").add(message()).addNull();
    assertThat(object(messages)).isEmpty();
  }

  @Test
  void wrongObjectsFailNamingTheField() {
    assertThat(object(updateChatPosition("9221294780217032704")))
        .containsExactly("updateChatPosition.position.order: expected string, got number 9221294780217032704");
    ObjectNode message = message();
    message.remove("content");
    message.put("is_outgoingg", false);
    assertThat(object(updateNewMessage(message))).containsExactly(
        "updateNewMessage.message.is_outgoingg: unknown field",
        "updateNewMessage.message.content: missing required field");
    assertThat(object(json("{\"@type\":\"updateNewMessagee\"}"))).containsExactly("updateNewMessagee: unknown type");
    assertThat(object(json("{\"@type\":\"getChatHistory\"}")))
        .containsExactly("getChatHistory: not an object TDLib emits");
  }

  @Test
  void aNestedObjectOfTheWrongTypeIsNamed() {
    ObjectNode message = message();
    message.set("content", json("{\"@type\":\"formattedText\",\"text\":\"hi\",\"entities\":[]}"));
    assertThat(object(updateNewMessage(message))).singleElement(InstanceOfAssertFactories.STRING)
        .startsWith("updateNewMessage.message.content: expected MessageContent (")
        .endsWith(" types), got formattedText");

    message = message();
    ((ObjectNode) message.at("/content/text/entities/0/type")).put("@type", "textEntityTypeFoo");
    assertThat(object(updateNewMessage(message)))
        .containsExactly("updateNewMessage.message.content.text.entities[0].type: unknown type textEntityTypeFoo");

    assertThat(object(json("{\"@type\":\"updateChatLastMessage\",\"chat_id\":1,\"positions\":[null]}")))
        .containsExactly("updateChatLastMessage.positions[0]: expected chatPosition, got null");
  }

  @Test
  void anAnswerMustBeWhatTheFunctionReturnsOrAnError() {
    ObjectNode messages = json("{\"@type\":\"messages\",\"total_count\":0,\"messages\":[]}");
    ObjectNode chats = json("{\"@type\":\"chats\",\"total_count\":0,\"chat_ids\":[]}");

    assertThat(schema.checkAnswer("getChatHistory", messages)).isEmpty();
    assertThat(schema.checkAnswer("getChatHistory", json("{\"@type\":\"error\",\"code\":404,\"message\":\"x\"}")))
        .isEmpty();
    assertThat(schema.checkAnswer("getChatHistory", chats)).extracting(Object::toString)
        .containsExactly("answer to getChatHistory: expected messages or error, got chats");
  }

  @Test
  void theShapeCacheHidesNoViolation() {
    // a conforming shape is remembered; what differs from it in any checked respect is checked again
    assertThat(request(json("{\"@type\":\"getStickerSet\",\"set_id\":\"123\"}"))).isEmpty();
    assertThat(request(json("{\"@type\":\"getStickerSet\",\"set_id\":\"12x\"}"))).hasSize(1);
    assertThat(object(updateChatPosition("\"1\""))).isEmpty();
    assertThat(object(updateChatPosition("1"))).hasSize(1);

    ObjectNode broken = message();
    broken.put("chat_id", "1");
    ObjectNode messages = json("{\"@type\":\"messages\",\"total_count\":2}");
    messages.putArray("messages").add(message()).add(message());
    assertThat(object(messages)).isEmpty();
    messages.withArray("messages").add(broken);
    assertThat(object(messages)).containsExactly("messages.messages[2].chat_id: expected number, got string \"1\"");

    // a shape with violations is checked every time, and a second violation is found beside the first
    assertThat(object(messages)).hasSize(1);
    broken.remove("date");
    assertThat(object(messages)).containsExactly("messages.messages[2].chat_id: expected number, got string \"1\"",
        "messages.messages[2].date: missing required field");
  }

  @Test
  void aNumberFieldTakesAnyNumberSinceTheSchemaDoesNotTellIntegersFromDoubles() {
    // getChatHistory.limit is int32 in td_api.tl, but tdlib-types.d.ts says number, as for a double
    assertThat(request(getChatHistory().put("limit", 1.5))).isEmpty();
  }

  private static ObjectNode getChatHistory() {
    return TdClient.request("getChatHistory").put("chat_id", -1001234567890L).put("from_message_id", 0)
        .put("offset", 0).put("only_local", false);
  }

  /** A text message with every required field of {@code message} in TDLib 1.8.65, as TDLib prints it. */
  private static ObjectNode message() {
    return json("""
        {"@type":"message","id":1048576,
         "sender_id":{"@type":"messageSenderUser","user_id":777000},
         "chat_id":777000,"is_outgoing":false,"is_pinned":false,"is_from_offline":false,"can_be_saved":true,
         "has_timestamped_media":true,"is_channel_post":false,"is_paid_star_suggested_post":false,
         "is_paid_ton_suggested_post":false,"contains_unread_mention":false,"contains_unread_poll_votes":false,
         "date":1748736000,"edit_date":0,
         "interaction_info":{"@type":"messageInteractionInfo","view_count":3,"forward_count":0},
         "unread_reactions":[],"self_destruct_in":0,"auto_delete_in":0,"via_bot_user_id":0,
         "sender_business_bot_user_id":0,"sender_boost_count":0,"sender_tag":"","paid_message_star_count":0,
         "author_signature":"","media_album_id":"0","effect_id":"0","summary_language_code":"",
         "content":{"@type":"messageText",
           "text":{"@type":"formattedText","text":"Hello",
             "entities":[{"@type":"textEntity","offset":0,"length":5,"type":{"@type":"textEntityTypeBold"}}]}}}
        """);
  }

  private static ObjectNode updateNewMessage(ObjectNode message) {
    ObjectNode update = json("{\"@type\":\"updateNewMessage\",\"@client_id\":1}");
    update.set("message", message);
    return update;
  }

  private static ObjectNode updateChatPosition(String order) {
    return json("{\"@type\":\"updateChatPosition\",\"chat_id\":-1001234567890,\"position\":{\"@type\":"
        + "\"chatPosition\",\"list\":{\"@type\":\"chatListMain\"},\"order\":" + order + ",\"is_pinned\":false}}");
  }

  private static List<String> request(JsonNode request) {
    return schema.checkRequest(request).stream().map(Object::toString).toList();
  }

  private static List<String> object(JsonNode object) {
    return schema.checkObject(object).stream().map(Object::toString).toList();
  }

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError(text, e);
    }
  }
}
