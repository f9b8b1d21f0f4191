// DOM and API helpers. Text only ever goes in as text nodes, never as markup: messages contain anything.

/** An element with attributes (on* never) and children: strings become text nodes, null and false are skipped. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what {@code element} shows. */
export function show(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** {@code text} with every case-insensitive occurrence of {@code query} in a mark element. */
export function highlighted(text, query) {
  if (!text || !query) return [text || ''];
  const pattern = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index), el('mark', {}, match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

export function bar(done, total, label) {
  const percent = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  const fill = el('div', {class: 'fill'});
  fill.style.width = `${percent.toFixed(1)}%`; // through CSSOM: the page's policy refuses style attributes
  return el('div', {class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
    'aria-valuenow': Math.round(percent), title: label}, fill);
}

export function number(value) {
  return value === null || value === undefined ? '—' : Number(value).toLocaleString('en-US');
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds === 0) return 'done';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'}) : '—';
}

/** How long ago {@code iso} was, roughly. */
export function ago(iso) {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return seconds < 5 ? 'just now' : `${duration(seconds)} ago`;
}

/** What a message's content type is called ({@code messagePhoto}: photo). */
export function contentLabel(type) {
  return (type || 'message').replace(/^message/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

const TOKEN = 'tg-token';

/** The API's answer: its status and JSON body. A 401 asks for the token and retries once it is given. */
export async function api(path, options = {}) {
  const headers = {Accept: 'application/json'};
  const token = sessionStorage.getItem(TOKEN);
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, {method: options.method || 'GET', headers});
  if (response.status === 401) {
    await askForToken();
    return api(path, options);
  }
  const body = await response.json().catch(() => ({error: `${response.status} ${response.statusText}`}));
  return {status: response.status, ok: response.ok, body};
}

let tokenAsked = null;

function askForToken() {
  if (tokenAsked) return tokenAsked;
  const form = document.getElementById('token-form');
  form.hidden = false;
  document.getElementById('token-input').focus();
  tokenAsked = new Promise(resolve => {
    form.addEventListener('submit', event => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN, document.getElementById('token-input').value.trim());
      form.hidden = true;
      tokenAsked = null;
      resolve();
    }, {once: true});
  });
  return tokenAsked;
}

/** An error the API answered, as a page says it. */
export function problem(answer) {
  return el('p', {class: 'problem', role: 'alert'}, answer.body && answer.body.error ? answer.body.error
    : `the node answered ${answer.status}`);
}

/** The query parameters of the hash route ({@code #/chats?state=complete}). */
export function hashParams() {
  const hash = location.hash.slice(1);
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  return new URLSearchParams(query);
}
