/**
 * A simulated TDLib 1.8.65 talking to a simulated Telegram, behind the {@link dev.tg.telegram.TdJson} seam: the demo
 * ({@code tg node --demo}), every test and every benchmark run on it.
 *
 * <p>{@link dev.tg.simulator.SimulatedTelegram} is one account's world: a deterministic function of a
 * {@link dev.tg.simulator.WorldSpec}, an epoch and the clock, plus controls that make things happen and the ground
 * truth to check against. {@link dev.tg.simulator.SimulatedTdJson} is TDLib's JSON interface over it. Every object it
 * emits has the fields of td_api.tl 1.8.65 ({@code tdlib-types.d.ts}).
 *
 * <p>What it imitates, where TDLib (commit 062f26052) does it, and the test that shows it:
 * <table>
 *   <caption>Imitated behaviours</caption>
 *   <tr><th>Behaviour</th><th>TDLib source or schema entry</th><th>Test</th></tr>
 *   <tr><td>A new instance is silent until its first request, then sends the version and
 *     WaitTdlibParameters</td><td>Td.cpp Td::request, Td::send_update</td>
 *     <td>LoginTest.newClientIsSilentUntilItsFirstRequest</td></tr>
 *   <tr><td>Answers in order after the round trip, with the request's {@code @extra}</td>
 *     <td>ClientJson.cpp ClientJson::send, ClientJson::receive</td>
 *     <td>ServerBehaviourTest.roundTripDelaysAnswersInOrder</td></tr>
 *   <tr><td>Synchronous execute of getOption version and setLogVerbosityLevel; unknown classes are parse
 *     errors</td><td>SynchronousRequests.cpp; ClientJson.cpp to_request ("Failed to parse JSON object as TDLib
 *     request")</td><td>LoginTest.unknownMethodsAndSynchronousExecute</td></tr>
 *   <tr><td>setTdlibParameters checks; login by code, email, password, registration, QR (scanned by itself or
 *     on demand); a remembered session; close and logOut, then "Request aborted"</td>
 *     <td>Td.cpp Td::get_parameters; AuthManager.cpp; Client.cpp ("Request aborted")</td>
 *     <td>LoginTest</td></tr>
 *   <tr><td>setAuthenticationPhoneNumber and requestQrCodeAuthentication from any waiting state, not only
 *     WaitPhoneNumber</td><td>AuthManager::set_phone_number, AuthManager::request_qr_code_authentication</td>
 *     <td>LoginTest.premiumPurchaseIsAStateLeftOnlyAnotherWay</td></tr>
 *   <tr><td>authorizationStateWaitPremiumPurchase {store_product_id, premium_day_count, support_email_address,
 *     support_email_subject} after the phone number ({@link dev.tg.simulator.LoginScript#withPremiumPurchase})</td>
 *     <td>AuthManager::on_sent_code (auth.sentCodePaymentRequired); schema
 *     authorizationStateWaitPremiumPurchase</td><td>LoginTest.premiumPurchaseIsAStateLeftOnlyAnotherWay</td></tr>
 *   <tr><td>use_secret_chats false: no secret chat exists for the instance</td>
 *     <td>SecretChatsManager::on_update_chat (ignored unless use_secret_chats_)</td>
 *     <td>ChatListTest.withoutSecretChatsTheInstanceHasNone</td></tr>
 *   <tr><td>use_secret_chats true: an incoming secret chat is accepted by TDLib itself 2 s after the request
 *     (Pending, then Ready), counted by acceptedSecretChats</td><td>SecretChatsManager::on_update_chat
 *     (online_process_time_ 2 s); SecretChatActor::on_update_chat(encryptedChatRequested) → SendAccept</td>
 *     <td>ChatListTest.withSecretChatsTdlibAcceptsAnIncomingOneByItself</td></tr>
 *   <tr><td>Chat ids by DialogId's ranges; "Invalid chat identifier specified"; "Chat not found" only for ids the
 *     instance never announced: a deleted or left chat stays known</td>
 *     <td>DialogManager::check_dialog_access; MessagesManager::get_dialog_force</td>
 *     <td>ChatHistoryTest.badAndUnknownChatsAreRefused, chatNeverAnnouncedToThisClientIsNotFound,
 *     deletedChatLeavesTheListStaysKnownAndIsRefused</td></tr>
 *   <tr><td>updateNewChat, and the chat's users and groups, before anything names a chat</td>
 *     <td>MessagesManager::send_update_new_chat; Dependencies::resolve_force</td>
 *     <td>ChatListTest.loadChatsAnnouncesEveryChatOfTheMainListInPagesThenAnswersNotFound</td></tr>
 *   <tr><td>loadChats announces the list in pages with updateChatPosition, then 404 Not Found; the archive is
 *     chatListArchive and holds archived private chats and groups</td>
 *     <td>MessagesManager::load_dialog_list; schema chatPosition, chatListArchive</td>
 *     <td>ChatListTest.loadChatsAnnouncesEveryChatOfTheMainListInPagesThenAnswersNotFound,
 *     archivedChatsAreOnlyInTheArchiveList</td></tr>
 *   <tr><td>Chats the account is not in (channels messages were forwarded from, {@code forward_info
 *     {origin: messageOriginChannel}}) are announced with no positions and are in no list; they are public, so
 *     readable</td><td>MessageOrigin::add_dependencies, Dependencies::resolve_force →
 *     DialogManager::force_create_dialog; ChatManager::have_input_peer_channel (public channel)</td>
 *     <td>ChatListTest.chatsForwardedFromAreAnnouncedWithoutPositionsAndInNoList</td></tr>
 *   <tr><td>Only the account's chats have positions: a left supergroup or channel leaves its list (order "0"),
 *     a left basic group stays; rejoining brings the position back</td>
 *     <td>DialogManager::is_dialog_removed_from_dialog_list; MessagesManager::update_dialog_pos</td>
 *     <td>ChatListTest.leftSupergroupLeavesItsListAndIsRefusedUntilRejoined,
 *     leftBasicGroupKeepsItsPositionAndItsHistoryButGetsNoMessages</td></tr>
 *   <tr><td>History of a left (private) supergroup or channel: "Can't access the chat" at once; of a left basic
 *     group: readable, up to the leaving</td><td>ChatManager::have_input_peer_channel,
 *     ChatManager::have_input_peer_chat (Read allowed after leaving)</td>
 *     <td>ChatListTest.leftSupergroupLeavesItsListAndIsRefusedUntilRejoined,
 *     leftBasicGroupKeepsItsPositionAndItsHistoryButGetsNoMessages</td></tr>
 *   <tr><td>Access lost without TDLib being told: CHANNEL_PRIVATE from the server once, then TDLib emulates leaving
 *     (banned, order "0") and answers "Can't access the chat" itself</td>
 *     <td>ChatManager::on_get_channel_error → on_get_channel_forbidden; MessagesManager::get_dialog_history</td>
 *     <td>ChatHistoryTest.inaccessibleChatAnswersChannelPrivateThenCantAccess</td></tr>
 *   <tr><td>A deleted chat leaves its list and is refused "Can't access the chat", still known</td>
 *     <td>DialogManager::is_dialog_removed_from_dialog_list; DialogManager::have_input_peer</td>
 *     <td>ChatHistoryTest.deletedChatLeavesTheListStaysKnownAndIsRefused</td></tr>
 *   <tr><td>The basic group upgraded to a supergroup is in no list; supergroupFullInfo.upgraded_from_basic_group_id
 *     (with its updateBasicGroup) and messageChatUpgradeFrom name it; createBasicGroupChat gives its chat (force:
 *     at once, else after a server trip), whose history stays readable</td>
 *     <td>DialogManager::is_dialog_removed_from_dialog_list (inactive group); MessagesManager::create_dialog,
 *     Requests.cpp CreateChatRequest; ChatManager::have_input_peer_chat</td>
 *     <td>ChatListTest.upgradedBasicGroupIsInNoListAndCreateBasicGroupChatGivesItsChat,
 *     createBasicGroupChatWithoutForceAsksTheServer, upgradedBasicGroupPointsToItsSupergroup</td></tr>
 *   <tr><td>createPrivateChat, createBasicGroupChat, createSupergroupChat, createSecretChat: "Chat info not found"
 *     unless the instance knows the user or group, "Can't access the chat" unless it may read the chat; with force
 *     (always for a secret chat) at once, else after a server trip for a chat it does not know</td>
 *     <td>Requests.cpp CreateChatRequest; MessagesManager::create_dialog; DialogManager::have_dialog_info_force,
 *     DialogManager::have_input_peer</td>
 *     <td>ChatListTest.createChatOfEachKindNeedsItsUserOrGroupAndReadAccess</td></tr>
 *   <tr><td>supergroup.member_count may be 0: getSupergroupFullInfo tells it; changes come as updateBasicGroup,
 *     updateSupergroup and updateSupergroupFullInfo</td><td>schema supergroup.member_count,
 *     supergroupFullInfo</td><td>ChatListTest.hiddenSupergroupMemberCountIsInTheFullInfo,
 *     LiveUpdatesTest.memberCountChangesAreTold</td></tr>
 *   <tr><td>getChatHistory's checks, in TDLib's order and words</td><td>MessagesManager::get_dialog_history</td>
 *     <td>ChatHistoryTest.badArgumentsAreRefused</td></tr>
 *   <tr><td>The history window: from_message_id excluded with offset 0, negative offsets add newer messages, a
 *     local id starts below it, limit capped at 100</td><td>OrderedMessages::get_history;
 *     MessagesManager.h MAX_GET_HISTORY</td><td>ChatHistoryTest.offsetZeroExcludesTheFromMessage,
 *     negativeOffsetAddsNewerMessagesAndKeepsTheFromMessage, fromALocalIdBetweenMessagesStartsBelowIt,
 *     limitAboveOneHundredIsCapped, pagingDownToTheStartReturnsEveryMessageExactlyOnce</td></tr>
 *   <tr><td>The first page of a chat is its last message only; later pages may be short, never empty before the
 *     start; total_count is the number returned</td><td>MessagesManager::get_dialog_history (returns what it has,
 *     get_messages_object(-1, ...)), load_messages</td>
 *     <td>ChatHistoryTest.firstCallForAChatReturnsOnlyTheLastMessage,
 *     someLaterPagesAreShortButNeverEmptyBeforeTheStart</td></tr>
 *   <tr><td>use_message_database: every message answered or announced is kept in db.sqlite
 *     (messages keyed by dialog_id, message_id; JSON as the value), written on a thread of its own; only_local
 *     answers from it; nothing without it; logOut deletes it</td>
 *     <td>MessagesManager::add_message_to_database, delete_message_from_database, load_messages_impl; MessageDb.cpp;
 *     TdDb.cpp get_sqlite_path, TdDb::destroy</td>
 *     <td>ChatHistoryTest.messageDatabaseKeepsWhatTheInstanceSawAndAnswersOnlyLocal,
 *     onlyLocalReturnsNothingWithoutAMessageDatabase</td></tr>
 *   <tr><td>getMessage; a missing message is 404 Not Found</td><td>Requests.cpp GetMessageRequest</td>
 *     <td>ChatHistoryTest.getMessageAndMessageCount</td></tr>
 *   <tr><td>getChatMessageCount refuses searchMessagesFilterEmpty (and a missing filter); counts photos,
 *     documents, links; a count learnt is answered locally, return_local answers -1 for one not learnt; secret
 *     chats, FailedToSend and the unread filters are counted locally</td>
 *     <td>MessagesManager::get_dialog_message_count; get_message_content_index_mask (MessageContent.cpp);
 *     invalidate_message_indexes</td><td>ChatHistoryTest.messageCountRefusesTheEmptyFilter,
 *     messageCountCountsByContentThenKnowsItLocally</td></tr>
 *   <tr><td>searchChatMessages: its checks; matching messages newest first, paged as the history, total_count
 *     their number (the chat's for an empty query without filter), next_from_message_id the last one; a query
 *     matches texts ignoring case</td><td>MessagesManager::search_dialog_messages,
 *     on_get_dialog_messages_search_result, get_found_chat_messages_object</td>
 *     <td>ChatHistoryTest.searchWithoutQueryCountsTheChatAndPagesLikeTheHistory,
 *     searchWithAQueryMatchesTextsIgnoringCase, searchArgumentsAreChecked</td></tr>
 *   <tr><td>Search in a secret chat: 500 "Message search is not supported in secret chats"</td>
 *     <td>MessagesManager::search_dialog_messages (DialogType::SecretChat)</td>
 *     <td>ChatHistoryTest.searchInSecretChatsIsNotSupported</td></tr>
 *   <tr><td>setSearchTotalsUnknown: the server's SEARCH_QUERY_EMPTY becomes an empty result, total_count 0</td>
 *     <td>Requests.cpp SearchChatMessagesRequest::do_send_error</td>
 *     <td>ChatHistoryTest.searchAnswersNoTotalWhenTheServerSaysSearchQueryEmpty</td></tr>
 *   <tr><td>A new message: updateNewMessage, then updateChatLastMessage with the chat's positions</td>
 *     <td>MessagesManager::send_update_new_message, send_update_chat_last_message</td>
 *     <td>LiveUpdatesTest.postedMessageArrivesAsNewMessageAndLastMessage</td></tr>
 *   <tr><td>Supergroups and channels send their updates only while open</td><td>schema openChat</td>
 *     <td>LiveUpdatesTest.supergroupSendsNewMessagesOnlyWhileOpen</td></tr>
 *   <tr><td>The first openChat of a supergroup or channel asks the server for its difference (and the recent
 *     members of a group below 195): logged, flood-limited, faulty like any server request</td>
 *     <td>MessagesManager::open_dialog (get_channel_difference, get_channel_participants)</td>
 *     <td>ServerBehaviourTest.openingASupergroupOrChannelAsksTheServer, openingChatsSpendsTheFloodBudget</td></tr>
 *   <tr><td>Skipped supergroup updates, during outages too: only the last message moves</td>
 *     <td>MessagesManager::on_get_channel_difference (channelDifferenceTooLong)</td>
 *     <td>LiveUpdatesTest.skippedUpdatesOnlyMoveTheLastMessage, outageHoldsRequestsAndSkipsSupergroupGaps</td></tr>
 *   <tr><td>An edit is updateMessageContent, then updateMessageEdited</td><td>MessagesManager::update_message</td>
 *     <td>LiveUpdatesTest.editIsContentThenEdited</td></tr>
 *   <tr><td>A link preview arriving (texts with a link, posted or live) is updateMessageContent alone (and
 *     updateChatLastMessage for the last message): no edit, no new version; links are textEntityTypeUrl</td>
 *     <td>WebPagesManager::on_web_page_changed → MessagesManager::on_external_update_message_content,
 *     send_update_last_message_if_needed; schema messageText.link_preview</td>
 *     <td>LiveUpdatesTest.linkPreviewArrivingIsAContentUpdateWithoutAnEdit,
 *     liveTrafficBringsContentUpdatesThatAreNoEdits</td></tr>
 *   <tr><td>Deletions: is_permanent for real ones, from_cache when TDLib unloads messages</td>
 *     <td>MessagesManager::send_update_delete_messages; MessagesManager::unload_dialog</td>
 *     <td>LiveUpdatesTest.permanentDeletionAndCacheUnloadAreTold</td></tr>
 *   <tr><td>Scheduled messages: updateNewMessage with scheduling_state messageSchedulingStateSendAtDate and a
 *     scheduled id, never in the history; when sent, updateDeleteMessages of that id (is_permanent, not
 *     from_cache), then the message as a new one; updateChatHasScheduledMessages on each change</td>
 *     <td>MessageId.h (SCHEDULED_MASK, MessageId(ScheduledServerMessageId, send_date));
 *     MessagesManager::on_update_delete_scheduled_messages, send_update_chat_has_scheduled_messages</td>
 *     <td>LiveUpdatesTest.scheduledMessageIsApartFromTheHistoryUntilItIsSent</td></tr>
 *   <tr><td>Contacts: getContacts; a removed contact is only updateUser with is_contact false</td>
 *     <td>UserManager::on_update_user_is_contact</td>
 *     <td>ChatListTest.contactsAndUsers, LiveUpdatesTest.contactChangesAreUserUpdates</td></tr>
 *   <tr><td>A user's new name is the new title of their private and secret chats (updateChatTitle)</td>
 *     <td>UserManager::update_user → MessagesManager::on_dialog_title_updated</td>
 *     <td>LiveUpdatesTest.aPrivateChatsTitleFollowsItsPartnersNewName</td></tr>
 *   <tr><td>Outages: WaitingForNetwork, Connecting, Updating, Ready; server requests wait; private chats and
 *     basic groups get what they missed</td><td>StateManager::get_real_state;
 *     UpdatesManager::get_difference</td><td>LiveUpdatesTest.outageHoldsRequestsAndSkipsSupergroupGaps</td></tr>
 *   <tr><td>Updating then Ready is routine, without outages and without a gap, at times drawn from the seed</td>
 *     <td>UpdatesManager::run_get_difference → before_get_difference (StateManager::on_synchronized)</td>
 *     <td>LiveUpdatesTest.updatingIsRoutineWithoutAnyOutage, routineUpdatesComeAtTimesDrawnFromTheSeed</td></tr>
 *   <tr><td>Flood waits: TDLib resends by itself while one request's flood waits stay within 60 s in all, then
 *     answers 429 "Too Many Requests: retry after N" with the last wait</td>
 *     <td>NetQueryDelayer::delay; NetQuery.h total_timeout_limit_</td>
 *     <td>ServerBehaviourTest.shortFloodWaitIsASlowAnswer,
 *     aFloodRightAfterAFloodWaitDoublesAndTheWaitsOfOneRequestAddUpToA429</td></tr>
 *   <tr><td>No per-request timeout: a lost request is never answered</td><td>NetQuery.h (no deadline)</td>
 *     <td>ServerBehaviourTest.timedOutRequestsAreNeverAnswered</td></tr>
 *   <tr><td>File ids are the instance's own, given in the order it first shows a file; remote.unique_id is the
 *     file's everywhere (a pool of files is shared between chats)</td><td>FileManager (FileId per run);
 *     schema remoteFile.unique_id</td><td>FilesTest.fileIdsAreTheInstancesOwnAndTheUniqueIdIsTheFilesEverywhere</td></tr>
 *   <tr><td>downloadFile: priority 1..32, offsets, "File not found"; synchronous answers once the file is whole,
 *     or "File download has failed or was canceled" for any failure (a file gone from the server); updateFile
 *     per 64 KiB part at the world's bandwidth; the file under files_directory/photos, voice, ...</td>
 *     <td>FileManager::download_file, on_user_file_download_finished; PartsManager::init; FileType.cpp
 *     get_file_type_name</td><td>FilesTest.aSynchronousDownloadAnswersTheWholeFileWithTheWorldsBytesAfterItsPartsAtTheBandwidth,
 *     aGoneFileFailsAsEveryFailedDownloadDoesAndAnUnknownIdIsNotFound; MediaGroundTruthTest</td></tr>
 *   <tr><td>With use_file_database, a new instance knows the complete copies an earlier one left in its files
 *     directory, and the ready parts of a download it did not finish, which the next download goes on from</td>
 *     <td>files/FileDb.h (local location by remote location); FileManager::flush_to_pmc (a partial local location
 *     too); FileDownloader::init (the partial location's ready parts)</td>
 *     <td>MediaGroundTruthTest.downloadsStoppedByARestartResumeWithTheNewInstancesFileIds;
 *     FilesTest.aDownloadAnInstanceDidNotFinishGoesOnInTheNextFromItsReadyParts</td></tr>
 *   <tr><td>getFile is offline: the instance's file, or 404 "Not Found" for an id it never gave</td>
 *     <td>Requests::on_request(getFile); Td::send_result</td>
 *     <td>FilesTest.aGoneFileFailsAsEveryFailedDownloadDoesAndAnUnknownIdIsNotFound</td></tr>
 *   <tr><td>downloadFile not synchronous answers at once; cancelDownloadFile answers ok and stops it; deleteFile
 *     unlinks the local copy</td><td>Requests.cpp cancelDownloadFile; FileManager::delete_file</td>
 *     <td>FilesTest.anAsynchronousDownloadAnswersAtOnceAndACancelFailsNothingButStopsIt</td></tr>
 *   <tr><td>getMessage of a message the instance has shown is answered without the server</td>
 *     <td>MessagesManager::get_message_force_from_server (get_message_force first)</td>
 *     <td>FilesTest.getMessageOfAShownMessageNeedsNoServer</td></tr>
 *   <tr><td>int64 as JSON strings, null object fields left out</td><td>td/generate/tl_json_converter.cpp</td>
 *     <td>ChatListTest.int64ValuesAreStrings</td></tr>
 *   <tr><td>Every object emitted, and every request the tests send, conforms to the schema</td>
 *     <td>tdlib-types.d.ts 1.8.65</td><td>SimulatorConformanceTest</td></tr>
 * </table>
 *
 * <p>Where it is knowingly simpler than TDLib: secret chats have server-style message ids and a history like other
 * chats (TDLib's is local only, load_messages_impl); getChatHistory reads the message database only with
 * {@code only_local}, and no database is kept without a {@code database_directory}; searches never read the
 * database; foreign chats are only forward origins (not the chats of replies or of senders); opening a chat asks
 * for the difference and members, not the pinned message or the action bar; scheduled messages are not kept in
 * the database; a secret chat one instance accepted is seen by the others too; a new instance tells nothing of
 * what changed before it started (TDLib's getDifference from its saved pts would bring the edits and deletions of
 * private chats and basic groups, UpdatesManager::on_get_difference, though without a message database it drops the
 * deletions of messages it has not loaded, MessagesManager::get_dialog_by_message_id); server errors are
 * "Requested data is inaccessible"; the server's flood control (not in TDLib's source) is a guess: a sliding
 * second, the rest of a running wait for every request during it, twice the wait for a flood right after one;
 * requests of TDLib methods it does not implement get the parse error TDLib gives unknown classes;
 * downloads are of whole files (offset and limit are checked, not used), a download cancelled or failed within one
 * instance starts again from zero (TDLib keeps its ready parts), and a file reference never expires.
 */
package dev.tg.simulator;
