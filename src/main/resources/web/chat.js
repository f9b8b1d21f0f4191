// A chat read from the archive (oldest to newest, paged), and search across the archive.
import {chatLink} from './dashboard.js';
import {api, contentLabel, el, highlighted, number, problem, show, time} from './dom.js';

const PAGE = 50;

/** The chat {@code chatId}, opened at message {@code at} when given. */
export function chat(view, chatId, account, at) {
  const list = el('ol', {class: 'messages'});
  const older = el('div', {class: 'pager'});
  const newer = el('div', {class: 'pager'});
  const accountParam = account ? `&account=${encodeURIComponent(account)}` : '';
  let stopped = false;

  async function load(anchor) {
    const answer = await api(`/chats/${chatId}/messages?limit=${PAGE}${anchor}${accountParam}`);
    if (stopped) return null;
    if (answer.status === 404) {
      show(view, el('h1', {}, 'Unknown chat'),
        el('p', {class: 'problem', role: 'alert', id: 'unknown-chat'},
          `No account of this node knows the chat ${chatId}: its archive has no such chat.`),
        el('p', {}, el('a', {href: '#/chats'}, 'All chats')));
      return null;
    }
    if (!answer.ok) {
      show(view, problem(answer));
      return null;
    }
    return answer.body;
  }

  function pagerButton(direction) {
    const toOlder = direction === 'older';
    const label = toOlder ? 'Older messages' : 'Newer messages';
    const button = el('button', {type: 'button', 'data-page': direction}, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      const answer = await load(toOlder ? `&before=${firstId()}` : `&after=${lastId()}`);
      if (!answer) return;
      const items = answer.page.messages.map(message => item(message, answer.account));
      if (toOlder) list.prepend(...items);
      else list.append(...items);
      pager(direction, toOlder ? answer.page.has_older : answer.page.has_newer);
    });
    return button;
  }

  function pager(direction, more) {
    show(direction === 'older' ? older : newer, more ? pagerButton(direction) : '');
  }

  const firstId = () => list.firstElementChild && list.firstElementChild.dataset.messageId;
  const lastId = () => list.lastElementChild && list.lastElementChild.dataset.messageId;

  async function open() {
    show(view, el('p', {class: 'muted'}, 'Reading the archive…'));
    const answer = await load(at ? `&around=${at}` : '');
    if (!answer) return;
    const header = el('div', {class: 'chat-head'});
    show(view, header, older, list, newer);
    describe(header, chatId, answer.account);
    show(list, answer.page.messages.length === 0 ? el('li', {class: 'muted'}, 'Nothing archived yet.') : '',
      answer.page.messages.map(message => item(message, answer.account)));
    pager('older', answer.page.has_older);
    pager('newer', answer.page.has_newer);
    const target = at && list.querySelector(`[data-message-id="${CSS.escape(at)}"]`);
    if (target) {
      target.classList.add('target');
      target.scrollIntoView({block: 'center'});
    } else {
      window.scrollTo(0, document.body.scrollHeight);
    }
  }

  open();
  return () => {
    stopped = true;
  };
}

async function describe(header, chatId, account) {
  const answer = await api(`/chats/${chatId}?account=${encodeURIComponent(account)}`);
  const progress = answer.ok ? answer.body.progress : null;
  show(header, el('h1', {}, progress ? progress.title : `Chat ${chatId}`),
    progress ? el('p', {class: 'muted'}, `${progress.chat_type}, ${progress.priority}, ${answer.body.state
      .replace(/_/g, ' ')}, ${number(progress.archived_messages)} messages archived`) : '');
}

function item(row, account) {
  const message = row.message;
  const versions = el('div', {class: 'versions'});
  const edited = message.edit_date || row.earlier_versions > 0;
  return el('li', {class: `message${message.outgoing ? ' outgoing' : ''}${message.deleted ? ' deleted' : ''}`,
    id: `m-${message.message_id}`, 'data-message-id': message.message_id},
  el('div', {class: 'meta'},
    el('strong', {}, message.sender_name || (message.sender_id ? `user ${message.sender_id}` : 'unknown sender')),
    ' ', el('time', {datetime: message.date}, time(message.date)),
    edited ? [' ', el('span', {class: 'badge'}, `edited ${time(message.edit_date)}`)] : '',
    message.deleted ? [' ', el('span', {class: 'badge deleted-badge'}, 'deleted')] : '',
    row.earlier_versions > 0 ? [' ', versionsButton(message, account, row.earlier_versions, versions)] : ''),
  message.reply_to_message_id ? el('a', {class: 'reply', href: chatLink(message.chat_id, account,
    message.reply_to_message_id)}, `↩ ${row.reply_sender || 'a message'}: `,
  row.reply_text ? excerpt(row.reply_text) : '(not archived)') : '',
  body(message),
  versions);
}

function body(message) {
  const label = message.content_type === 'messageText' ? null : el('span', {class: 'kind'},
    `[${contentLabel(message.content_type)}]`);
  return el('div', {class: 'text'}, label, label && message.text ? ' ' : '', message.text || '');
}

function versionsButton(message, account, count, target) {
  const button = el('button', {type: 'button', class: 'link', 'data-versions': message.message_id},
    `earlier versions (${count})`);
  button.addEventListener('click', async () => {
    if (target.firstChild) {
      show(target);
      return;
    }
    const answer = await api(`/messages/${message.chat_id}/${message.message_id}/versions`
      + `?account=${encodeURIComponent(account)}`);
    show(target, answer.ok ? el('ol', {}, answer.body.map(version => el('li', {},
      el('span', {class: 'muted'}, version.edit_date ? `edited ${time(version.edit_date)}: ` : 'original: '),
      version.text || `[${contentLabel(version.content_type)}]`))) : problem(answer));
  });
  return button;
}

function excerpt(text) {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** Search results for {@code query}, newest first, the query highlighted, each opening its chat at the message. */
export function search(view, query) {
  let stopped = false;
  show(view, el('h1', {}, 'Search'), el('p', {class: 'muted'}, `Searching for “${query}”…`));
  api(`/search?q=${encodeURIComponent(query)}&limit=100`).then(answer => {
    if (stopped) return;
    if (!answer.ok) {
      show(view, el('h1', {}, 'Search'), problem(answer));
      return;
    }
    show(view, el('h1', {}, 'Search'),
      el('p', {class: 'muted', id: 'hit-count'}, (answer.body.length === 1 ? '1 message contains'
        : `${answer.body.length} messages contain`) + ` “${query}”`
        + (answer.body.length === 100 ? ' (the newest 100 shown)' : '')),
      el('ol', {class: 'hits'}, answer.body.map(hit => el('li', {class: 'hit', 'data-message-id': hit.message_id},
        el('a', {href: chatLink(hit.chat_id, hit.account, hit.message_id)},
          el('div', {class: 'meta'}, el('strong', {}, hit.chat_title || String(hit.chat_id)), ' · ',
            hit.sender_name || 'unknown sender', ' · ', time(hit.date)),
          el('div', {class: 'text'}, highlighted(hit.text, query)))))));
  });
  return () => {
    stopped = true;
  };
}
