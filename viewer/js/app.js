// The viewer's shell: sign-in gate, top bar, and hash routes
//   #/            queues of the signed-in specialist
//   #/queue/NAME  cases of one queue
//   #/case/ID     one case: images, prior, report form
import { ApiError, get, signedIn, signOut, userName } from './api.js';
import { h, clear } from './dom.js';
import { lang, setLang, t } from './i18n.js';
import { renderSignIn } from './signin.js';
import { renderQueues, renderQueue } from './queues.js';
import { renderCase } from './caseview.js';
import { failureContent } from './failure.js';

const root = document.getElementById('app');
let me = null;
let cleanup = null;
// Each navigation supersedes the ones before it. A page that finishes loading after the user
// has moved on is dropped with its listeners: its keyboard shortcuts would act on a case no
// longer on screen (Ctrl+Enter would submit that case's report).
let navigation = 0;

function topBar() {
  return h('header', { class: 'topbar' },
    h('a', { href: '#/', class: 'brand' }, t('appName')),
    h('span', { class: 'spacer' }),
    me ? h('span', { class: 'who', id: 'who' }, me.displayName || me.name) : null,
    h('button', { class: 'link', id: 'lang', onclick: () => { setLang(lang() === 'fr' ? 'en' : 'fr'); route(); } }, t('language')),
    me ? h('button', { class: 'link', id: 'signout', onclick: () => { signOut(); me = null; location.hash = '#/'; route(); } }, t('signOut')) : null);
}

async function whoAmI() {
  try {
    return await get('/relais/v1/me');
  } catch (e) {
    // An older hub without /me: the queues answer proves the account works.
    if (e instanceof ApiError && e.status === 404) return { name: userName(), role: 'specialist' };
    throw e;
  }
}

export async function route() {
  const current = ++navigation;
  const superseded = () => current !== navigation;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  clear(root);
  if (!signedIn()) {
    me = null;
    root.append(topBar(), renderSignIn(async () => { await route(); }));
    return;
  }
  try {
    if (!me) me = await whoAmI();
    if (superseded()) return;
  } catch (e) {
    if (superseded()) return;
    signOut();
    me = null;
    root.append(topBar(), renderSignIn(route, e instanceof ApiError && e.status === 401 ? t('badCredentials') : failureContent(e)));
    return;
  }
  if (me.role && !['specialist', 'coordinator', 'admin'].includes(me.role)) {
    signOut();
    const refused = me;
    me = null;
    root.append(topBar(), renderSignIn(route, `${t('notForRole')} (${refused.name}: ${refused.role})`));
    return;
  }
  const main = h('main', { id: 'main' });
  root.append(topBar(), main);
  const path = (location.hash || '#/').slice(1);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    let done;
    if (parts[0] === 'queue' && parts[1]) done = await renderQueue(main, parts[1], me);
    else if (parts[0] === 'case' && parts[1]) done = await renderCase(main, parts[1], me, superseded);
    else done = await renderQueues(main, me);
    if (superseded()) {
      if (done) done();
      return;
    }
    cleanup = done;
  } catch (e) {
    if (superseded()) return;
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      me = null;
      route();
      return;
    }
    main.append(h('p', { class: 'error failure', role: 'alert', id: 'page-error' }, failureContent(e)));
  }
}

window.addEventListener('hashchange', route);
route();
