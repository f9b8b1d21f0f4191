// The dashboard: what `tg status` shows, polled from GET /status while the page is visible.
import {ago, api, bar, duration, el, number, problem, show, time} from './dom.js';

export const STATUS_POLL_MS = 2000;

/** Starts the dashboard in {@code view}; the function it returns stops it. */
export function dashboard(view) {
  let status = null;
  let timer = null;
  let ticker = null;
  let stopped = false;

  async function poll() {
    timer = null;
    if (stopped) return;
    if (!document.hidden) {
      const answer = await api('/status');
      if (stopped) return;
      if (answer.ok) {
        status = answer.body;
        render(view, status);
      } else {
        show(view, problem(answer));
      }
    }
    timer = setTimeout(poll, STATUS_POLL_MS);
  }

  show(view, el('p', {class: 'muted'}, 'Asking the node…'));
  poll();
  // the flood wait's countdown moves every second between two polls
  ticker = setInterval(() => status && renderBanner(view, status), 1000);
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(ticker);
  };
}

function render(view, status) {
  const chats = status.chats;
  const rates = status.rate_limit_status;
  show(view,
    el('div', {id: 'flood-banner'}),
    el('section', {class: 'cards'},
      card('Node', [
        ['Running for', duration(status.daemon_uptime_seconds), 'uptime'],
        ['Connection', status.connection_state, 'connection_state'],
        ['Telegram heard', ago(status.last_telegram_ping), 'last_telegram_ping']]),
      card('Messages', [
        ['Archived', number(status.synced_messages), 'synced_messages'],
        ['Contacts', number(status.contacts.total_contacts), 'total_contacts'],
        ['Contacts synced', ago(status.contacts.last_full_sync), 'last_full_sync']]),
      card('Chats', [
        ['Total', number(chats.total_chats), 'total_chats'],
        ['Complete', number(chats.fully_synced), 'fully_synced'],
        ['In progress', number(chats.partially_synced), 'partially_synced'],
        ['Not synced', number(chats.not_synced), 'not_synced'],
        ['Inaccessible', number(chats.inaccessible), 'inaccessible']]),
      card('Rate limiting', [
        ['Requests now', `${number(rates.requests_per_second)}/s`, 'requests_per_second'],
        ['Rate', `${rates.limit.toFixed(1)}/s` + (rates.limit < rates.configured_limit
          ? ` (lowered from ${rates.configured_limit})` : ''), 'limit'],
        ['In flight', number(rates.in_flight), 'in_flight'],
        ['Queued', number(rates.queued), 'queued'],
        ['Slowest request', rates.slow_request
          ? `${rates.slow_request.method}, ${rates.slow_request.seconds}s` : '—', 'slow_request']])),
    tiers(chats.by_priority),
    jobs(status.active_jobs),
    accounts(status.accounts),
    el('p', {class: 'muted', id: 'updated'}, `Updated ${new Date().toLocaleTimeString()}`));
  renderBanner(view, status);
}

function card(title, rows) {
  return el('article', {class: 'card'}, el('h2', {}, title),
    el('dl', {}, rows.map(([label, value, figure]) => [el('dt', {}, label),
      el('dd', {'data-figure': figure}, value)])));
}

function tiers(byPriority) {
  return el('section', {},
    el('h2', {}, 'By priority'),
    el('div', {class: 'tiers'}, Object.entries(byPriority).map(([tier, figures]) =>
      el('div', {class: 'tier', 'data-tier': tier},
        el('div', {class: 'tier-head'}, el('strong', {}, `${tier} ${figures.label}`),
          el('span', {class: 'muted'}, `${number(figures.complete)} of ${number(figures.total)} chats complete`)),
        bar(figures.synced_messages, figures.total_messages, `${tier} messages`),
        el('div', {class: 'muted', 'data-figure': `${tier}_messages`},
          `${number(figures.synced_messages)} of ${number(figures.total_messages)} messages`)))));
}

function jobs(active) {
  if (active.length === 0) return el('section', {}, el('h2', {}, 'Active jobs'), el('p', {class: 'muted'}, 'None.'));
  return el('section', {},
    el('h2', {}, `Active jobs (${active.length})`),
    el('div', {class: 'scroll'}, el('table', {id: 'jobs'},
      el('thead', {}, el('tr', {}, ['Chat', 'Job', 'Tier', 'Progress', 'Fetched', 'Started']
        .map(name => el('th', {}, name)))),
      el('tbody', {}, active.map(job => el('tr', {},
        el('td', {}, el('a', {href: chatLink(job.chat_id, job.account)}, job.chat_name || String(job.chat_id))),
        el('td', {}, job.job_type.replace(/_/g, ' ')),
        el('td', {}, job.priority),
        el('td', {}, job.progress_percent === null ? '—'
          : [bar(job.progress_percent, 100, `${job.progress_percent}%`), ` ${job.progress_percent}%`]),
        el('td', {class: 'num'}, number(job.messages_fetched)),
        el('td', {}, time(job.started_at))))))));
}

function accounts(list) {
  return el('section', {},
    el('h2', {}, 'Accounts'),
    el('ul', {class: 'accounts'}, list.map(account => el('li', {},
      el('strong', {}, account.name), ` — ${account.connection_state}, ${number(account.synced_messages)} messages`,
      account.chat_restarts > 0 ? `, ${account.chat_restarts} chat restarts after journal failures` : '',
      account.errors.map(error => el('div', {class: 'problem'}, error))))));
}

function renderBanner(view, status) {
  const banner = view.querySelector('#flood-banner');
  if (!banner) return;
  const flood = status.rate_limit_status.flood_wait;
  const left = flood ? Math.max(0, Math.ceil((Date.parse(flood.until) - Date.now()) / 1000)) : 0;
  if (!flood || left === 0) {
    show(banner);
    banner.className = '';
    return;
  }
  banner.className = 'banner';
  show(banner, el('strong', {}, 'Flood wait: '),
    `Telegram asked ${flood.account} to wait ${flood.seconds} s after ${flood.method}; no request goes out for `,
    el('span', {'data-figure': 'flood_seconds_left'}, `${left} s`), ' more.');
}

export function chatLink(chatId, account, at) {
  const params = new URLSearchParams();
  if (account) params.set('account', account);
  if (at) params.set('at', at);
  return `#/chat/${chatId}${params.size > 0 ? `?${params}` : ''}`;
}
