package dev.tg.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Base64;

/** The {@code setTdlibParameters} request of an account: where TDLib keeps its session, and who we are. */
public final class TdlibParameters {
  private TdlibParameters() {}

  public static ObjectNode of(
      Path sessionDir, int apiId, String apiHash, byte[] databaseEncryptionKey, boolean useTestDc) {
    return TdClient.request("setTdlibParameters")
        .put("use_test_dc", useTestDc)
        .put("database_directory", sessionDir.resolve("db").toString())
        .put("files_directory", sessionDir.resolve("files").toString())
        .put("database_encryption_key", Base64.getEncoder().encodeToString(databaseEncryptionKey))
        // TDLib remembers its files across runs: a partial download goes on, and a file the node had not yet taken
        // when it stopped is known (and deleted) by the next run instead of lying in files/ forever
        .put("use_file_database", true)
        .put("use_chat_info_database", true)
        // the archive is the node's message database: TDLib's own would hold every message a second time
        .put("use_message_database", false)
        // with secret chats on, TDLib accepts incoming ones by itself (SecretChatActor), racing the user's phone
        .put("use_secret_chats", false)
        .put("api_id", apiId)
        .put("api_hash", apiHash)
        .put("system_language_code", "en")
        .put("device_model", "tg sync node")
        .put("system_version", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put("application_version", TdlibParameters.class.getPackage().getImplementationVersion() == null
            ? "dev"
            : TdlibParameters.class.getPackage().getImplementationVersion());
  }
}
