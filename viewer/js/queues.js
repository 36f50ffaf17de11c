// The specialist's queues, and the cases of one queue ordered by urgency then age.
import { asList, get, post } from './api.js';
import { h, toast } from './dom.js';
import { failureContent } from './failure.js';
import { ago, bodySiteWithSide, isAnonymousName, patientName, specialtyName, stateName, t, waited } from './i18n.js';

// Beyond these waits a case is shown overdue (teleexpertise answer targets, per priority).
export const OVERDUE_HOURS = { urgent: 4, routine: 72 };
const OPEN_STATES = ['queued', 'claimed', 'info-requested'];
// While the unit is asked for more information the answer waits on the unit, not on the
// specialists: such a case is not shown overdue.
const WAITING_ON_SPECIALISTS = ['queued', 'claimed'];

export function isOverdue(c, now = Date.now()) {
  const limit = OVERDUE_HOURS[c.priority] ?? OVERDUE_HOURS.routine;
  const created = typeof c.createdAt === 'number' ? c.createdAt * 1000 : Date.parse(c.createdAt);
  return WAITING_ON_SPECIALISTS.includes(c.state) && now - created > limit * 3600 * 1000;
}

function queueName(q) {
  return q.name || q.queue || q.id;
}

function queueCount(q) {
  return q.count ?? q.waiting ?? q.queued ?? q.total ?? 0;
}

function oldestWait(q) {
  const since = q.oldestCreatedAt || q.oldestWaitingSince || q.oldest || q.oldestQueuedAt;
  if (typeof since === 'number') return waited(new Date(since * 1000).toISOString());  // unix seconds
  if (since) return waited(since);
  const seconds = q.oldestWaitingSeconds ?? q.oldestWaitSeconds;
  if (typeof seconds === 'number') return waited(new Date(Date.now() - seconds * 1000).toISOString());
  return '';
}

export async function renderQueues(main, me) {
  const queues = asList(await get('/relais/v1/queues'), 'queues');
  main.append(h('h1', {}, t('queues')));
  if (queues.length === 0) {
    main.append(h('p', {}, t('noQueues')));
    return null;
  }
  const list = h('ul', { class: 'queues', id: 'queues' });
  for (const q of queues) {
    const name = queueName(q);
    const count = queueCount(q);
    const oldest = oldestWait(q);
    list.append(h('li', {},
      h('a', { href: `#/queue/${encodeURIComponent(name)}`, class: 'queue', dataset: { queue: name } },
        h('span', { class: 'queue-name' }, specialtyName(name)),
        h('span', { class: 'count', title: t('waiting') }, `${count} ${t('waiting')}`),
        q.urgent ? h('span', { class: 'badge urgent' }, `${q.urgent} ${t('urgent')}`) : null,
        oldest ? h('span', { class: 'age' }, `${t('oldest')}: ${oldest}`) : null)));
  }
  main.append(list);
  if (me && me.specialties && me.specialties.length === 1 && queues.length === 1) list.querySelector('a').focus();
  return null;
}

export async function renderQueue(main, queue, me) {
  // The open states only, asked for by name: a page of every state would fill up with the
  // queue's old reported cases and cut off new ones. The hub lists them urgent first, then
  // oldest first.
  const query = new URLSearchParams({ queue, state: OPEN_STATES.join(','), limit: '500' });
  const cases = asList(await get(`/relais/v1/cases?${query}`), 'cases');
  main.append(h('nav', {}, h('a', { href: '#/' }, `← ${t('queues')}`)), h('h1', {}, `${t('queue')} ${specialtyName(queue)}`));
  if (cases.length === 0) {
    main.append(h('p', { id: 'no-cases' }, t('noCases')));
    return null;
  }
  const table = h('table', { class: 'cases', id: 'cases' },
    h('thead', {}, h('tr', {},
      h('th', {}, t('priority')), h('th', {}, t('patient')), h('th', {}, t('unit')), h('th', {}, t('question')),
      h('th', {}, t('received')), h('th', {}, t('state')), h('th', {}))));
  const body = h('tbody');
  for (const c of cases) {
    const overdue = isOverdue(c);
    const mine = c.claimedBy && me && c.claimedBy === me.name;
    const actions = h('div', { class: 'row-actions' },
      h('a', { href: `#/case/${c.id}`, class: 'button', dataset: { action: 'open' } }, t('open')));
    if (c.state === 'queued') {
      actions.append(h('button', { dataset: { action: 'claim' }, onclick: () => act(c.id, 'claim') }, t('claim')));
    } else if (mine && c.state === 'claimed') {
      actions.append(h('button', { dataset: { action: 'release' }, onclick: () => act(c.id, 'release') }, t('release')));
    }
    body.append(h('tr', { class: [overdue ? 'overdue' : '', c.priority === 'urgent' ? 'urgent' : ''].join(' '), dataset: { caseId: c.id } },
      h('td', {}, h('span', { class: `badge ${c.priority}` }, t(c.priority === 'urgent' ? 'urgent' : 'routine')),
        overdue ? h('span', { class: 'badge overdue' }, t('overdue')) : null),
      h('td', { class: ['patient', isAnonymousName(c.patient && c.patient.name) ? 'anonymous' : ''].join(' ') },
        patientName(c.patient), c.patient && c.patient.id ? h('small', { class: 'patient-id' }, `ID ${c.patient.id}`) : null),
      h('td', {}, c.unit || ''),
      h('td', { class: 'question' }, (c.request && c.request.question) || '',
        bodySiteWithSide(c.request) ? h('small', { class: 'site' }, bodySiteWithSide(c.request)) : null),
      h('td', { title: c.createdAt }, ago(c.createdAt)),
      h('td', {}, stateName(c.state), c.claimedBy ? h('small', {}, ` (${mine ? t('you') : c.claimedBy})`) : null,
        c.newImages ? [' ', h('span', { class: 'badge new-images' }, t('newImages'))] : null),
      h('td', { class: 'actions' }, actions)));
  }
  table.append(body);
  main.append(table);

  async function act(id, verb) {
    try {
      await post(`/relais/v1/cases/${id}/${verb}`);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      toast(failureContent(e), 'error');
    }
  }
  return null;
}
