// The page's router: #/ dashboard, #/chats, #/chat/ID?account=&at=, #/search?q=. Each view stops its polling
// when another one opens.
import {chat, search} from './chat.js';
import {chats} from './chats.js';
import {dashboard} from './dashboard.js';
import {el, hashParams, show} from './dom.js';

const view = document.getElementById('view');
let stop = () => {};

function route() {
  stop();
  const path = location.hash.slice(1).split('?')[0] || '/';
  const params = hashParams();
  const chatPath = path.match(/^\/chat\/(-?\d+)$/);
  document.querySelectorAll('[data-nav]').forEach(link => link.classList.toggle('current',
    link.dataset.nav === (path === '/' ? 'dashboard' : path.startsWith('/chat') ? 'chats' : '')));
  if (path === '/') stop = dashboard(view);
  else if (path === '/chats') stop = chats(view);
  else if (chatPath) stop = chat(view, chatPath[1], params.get('account'), params.get('at'));
  else if (path === '/search' && params.get('q')) stop = search(view, params.get('q'));
  else {
    stop = () => {};
    show(view, el('h1', {}, 'Not a page'), el('p', {class: 'problem', role: 'alert'}, `There is no page ${path} here.`),
      el('p', {}, el('a', {href: '#/'}, 'Dashboard')));
  }
  window.scrollTo(0, 0);
}

document.getElementById('search-form').addEventListener('submit', event => {
  event.preventDefault();
  const query = document.getElementById('search-input').value.trim();
  if (query) location.hash = `#/search?q=${encodeURIComponent(query)}`;
});
// a view paused while the tab was hidden resumes at once
document.addEventListener('visibilitychange', () => !document.hidden && route());
window.addEventListener('hashchange', route);
route();
