// The chats table of `tg chats`: filtered by the API (tier, state), sorted here, refreshed while visible.
import {chatLink} from './dashboard.js';
import {api, bar, duration, el, hashParams, number, problem, show} from './dom.js';

export const CHATS_POLL_MS = 5000;
const STATES = ['complete', 'in_progress', 'not_synced', 'left', 'inaccessible', 'deleted'];
const TIERS = ['P0', 'P1', 'P2', 'P3', 'P4'];

/** How each sortable column orders chats. */
const COLUMNS = [
  {name: 'Chat', key: view => view.progress.title.toLowerCase()},
  {name: 'Type', key: view => view.progress.chat_type, narrow: true},
  {name: 'Tier', key: view => view.progress.priority},
  {name: 'State', key: view => view.state},
  {name: 'Archived', key: view => view.progress.archived_messages},
  {name: 'Coverage', key: view => coverage(view)},
  {name: 'ETA', key: view => view.eta_seconds === null ? Infinity : view.eta_seconds},
  {name: 'Queue', key: view => view.queue_position === null ? Infinity : view.queue_position},
  {name: 'Files', key: view => selectedFiles(view)},
];

/** Files the policy selects for the chat: stored, waiting and failed (as `tg chats` counts them). */
function selectedFiles(view) {
  const media = view.media;
  return media ? media.stored_files + media.waiting_files + media.failed_files : 0;
}

function coverage(view) {
  const total = Math.max(view.progress.known_total, view.progress.archived_messages);
  return view.state === 'complete' ? 1 : total > 0 ? view.progress.archived_messages / total : 0;
}

export function chats(view) {
  const params = hashParams();
  const filter = {priority: params.get('priority') || '', state: params.get('state') || ''};
  const sort = {column: Number(params.get('sort') || 0), descending: params.get('order') === 'desc'};
  let timer = null;
  let stopped = false;
  let list = [];
  const table = el('div', {class: 'scroll'});
  const note = el('p', {class: 'muted'});

  function navigate() {
    const query = new URLSearchParams();
    if (filter.priority) query.set('priority', filter.priority);
    if (filter.state) query.set('state', filter.state);
    if (sort.column) query.set('sort', sort.column);
    if (sort.descending) query.set('order', 'desc');
    history.replaceState(null, '', `#/chats${query.size > 0 ? `?${query}` : ''}`);
    refresh();
  }

  async function refresh() {
    clearTimeout(timer);
    timer = null;
    if (stopped) return;
    if (!document.hidden) {
      const query = new URLSearchParams();
      if (filter.priority) query.set('priority', filter.priority);
      if (filter.state) query.set('state', filter.state);
      const answer = await api(`/chats${query.size > 0 ? `?${query}` : ''}`);
      if (stopped) return;
      if (!answer.ok) {
        show(table, problem(answer));
      } else {
        list = answer.body;
        render();
      }
    }
    timer = setTimeout(refresh, CHATS_POLL_MS);
  }

  function render() {
    const column = COLUMNS[sort.column] || COLUMNS[0];
    const sorted = [...list].sort((a, b) => {
      const x = column.key(a);
      const y = column.key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (sort.descending ? -1 : 1);
    });
    show(note, `${list.length} chats`);
    show(table, el('table', {id: 'chats'},
      el('thead', {}, el('tr', {}, COLUMNS.map((col, index) => el('th', {class: col.narrow ? 'wide-only' : null,
        'aria-sort': index === sort.column ? (sort.descending ? 'descending' : 'ascending') : null},
      sortButton(col.name, index))), el('th', {}, ''))),
      el('tbody', {}, sorted.map(row))));
  }

  function sortButton(name, index) {
    const button = el('button', {class: 'link', type: 'button', 'data-sort': index},
      name, index === sort.column ? (sort.descending ? ' ▼' : ' ▲') : '');
    button.addEventListener('click', () => {
      sort.descending = sort.column === index ? !sort.descending : false;
      sort.column = index;
      navigate();
    });
    return button;
  }

  function row(view) {
    const progress = view.progress;
    const total = Math.max(progress.known_total, progress.archived_messages);
    return el('tr', {'data-chat-id': progress.chat_id, 'data-state': view.state},
      el('td', {}, el('a', {href: chatLink(progress.chat_id, view.account)},
        progress.title || String(progress.chat_id))),
      el('td', {class: 'wide-only'}, progress.chat_type),
      el('td', {}, progress.priority),
      el('td', {class: 'state'}, view.state.replace(/_/g, ' ')),
      el('td', {class: 'num'}, `${number(progress.archived_messages)}${total > 0 ? ` / ${number(total)}` : ''}`),
      el('td', {title: view.covered_to > 0 ? `ids ${view.covered_from} … ${view.covered_to}` : 'nothing yet'},
        bar(coverage(view) * 100, 100, 'coverage'),
        el('span', {class: 'muted'}, ` ${Math.round(coverage(view) * 100)}%`)),
      el('td', {}, duration(view.eta_seconds)),
      el('td', {class: 'num'}, view.queue_position === null ? '—' : `#${view.queue_position}`),
      el('td', {class: 'num', title: files(view.media)},
        selectedFiles(view) === 0 ? '—' : `${number(view.media.stored_files)} / ${number(selectedFiles(view))}`),
      el('td', {}, view.state === 'not_synced' ? syncButton(view) : ''));
  }

  function files(media) {
    return media ? `${number(media.stored_files)} stored, ${number(media.waiting_files)} waiting, `
      + `${number(media.failed_files)} failed, ${number(media.skipped_files)} skipped by the policy` : 'no files';
  }

  function syncButton(view) {
    const button = el('button', {type: 'button', class: 'sync'}, 'Sync now');
    button.addEventListener('click', async () => {
      button.disabled = true;
      const account = encodeURIComponent(view.account);
      const answer = await api(`/chats/${view.progress.chat_id}/sync?account=${account}`, {method: 'POST'});
      if (!answer.ok) button.replaceWith(problem(answer));
      refresh();
    });
    return button;
  }

  show(view,
    el('h1', {}, 'Chats'),
    el('div', {class: 'filters'},
      select('Tier', 'priority', TIERS, filter, navigate),
      select('State', 'state', STATES, filter, navigate),
      note),
    table);
  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function select(label, name, options, filter, changed) {
  const control = el('select', {name, 'aria-label': label},
    el('option', {value: ''}, `${label}: all`),
    options.map(option => el('option', {value: option, selected: filter[name] === option},
      `${label}: ${option.replace(/_/g, ' ')}`)));
  control.addEventListener('change', () => {
    filter[name] = control.value;
    changed();
  });
  return el('label', {}, control);
}
