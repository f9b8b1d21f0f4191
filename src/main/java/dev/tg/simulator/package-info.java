/**
 * A simulated TDLib 1.8.65 talking to a simulated Telegram, behind the {@link dev.tg.telegram.TdJson} seam: the demo
 * ({@code tg node --demo}), every test and every benchmark run on it.
 *
 * <p>{@link dev.tg.simulator.SimulatedTelegram} is one account's world: a deterministic function of a
 * {@link dev.tg.simulator.WorldSpec}, an epoch and the clock, plus controls that make things happen and the ground
 * truth to check against. {@link dev.tg.simulator.SimulatedTdJson} is TDLib's JSON interface over it.
 *
 * <p>Where it is knowingly simpler than TDLib: {@code only_local} history is always empty (no message database);
 * secret chats have server-style message ids and a history like other chats; the upgraded-away basic group stays in
 * the main chat list; requests of TDLib methods it does not implement get the parse error TDLib gives unknown classes;
 * {@code getChatMessageCount} counts only with {@code searchMessagesFilterEmpty}.
 */
package dev.tg.simulator;
