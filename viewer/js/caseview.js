// One case: patient header, the request, series thumbnails, one or two image panes (the
// current case and, for follow-up, the patient's prior case), and the report form.
import { asList, frameUrl, get, post } from './api.js';
import { h, toast } from './dom.js';
import { ago, bodySiteWithSide, dicomDate, isAnonymousName, patientName, specialtyName, stateName, t } from './i18n.js';
import { ImagePane } from './imagepane.js';
import { ReportForm } from './reportform.js';
import { failureContent } from './failure.js';
import { isOverdue } from './queues.js';

export function instancesOfSeries(series) {
  return asList(series.instances, 'instances').map((i) => (typeof i === 'string'
    ? { id: i }
    : { id: i.orthancId || i.id || i.ID, frames: i.frames || i.numberOfFrames || 1, sopInstanceUid: i.sopInstanceUid,
      number: i.number, addedAt: i.addedAt }));
}

// Images the unit sent after routing and after the latest information request: the answer the
// specialist waits for. Late images older than that request were there when it was asked.
export function isNewImage(instance, infoRequest) {
  if (!instance.addedAt) return false;
  return !infoRequest || !infoRequest.at || Date.parse(instance.addedAt) >= Date.parse(infoRequest.at);
}

// Series without pixels: the hub's own report (SR, and its PDF as DOC), key images, presentation
// states. The image route refuses them (415), so they would only be broken thumbnails, or a
// broken first image when one is listed first.
const NOT_IMAGES = new Set(['SR', 'DOC', 'KO', 'PR']);

export function seriesOfCase(c) {
  const series = asList(c.series, 'series').filter((s) => !NOT_IMAGES.has(s.modality));
  if (series.length) return series;
  const instances = asList(c.instances, 'instances');
  return instances.length ? [{ description: '', instances }] : [];
}

function firstInstance(c) {
  for (const s of seriesOfCase(c)) {
    const list = instancesOfSeries(s);
    if (list.length) return list[0];
  }
  return null;
}

// The image a case opens on: the first that answers the information request, since that is
// what the specialist comes back for; else the first image.
function openingInstance(c) {
  for (const s of seriesOfCase(c)) {
    const fresh = instancesOfSeries(s).find((i) => isNewImage(i, c.infoRequest));
    if (fresh) return fresh;
  }
  return firstInstance(c);
}

function patientLine(p = {}) {
  return [patientName(p), p.id && `ID ${p.id}`, p.sex && `${t('sex')} ${p.sex}`, p.birthDate && `${t('born')} ${dicomDate(p.birthDate)}`]
    .filter(Boolean).join(' · ');
}

// Who sent the study: a modality or unit by DICOM (its AET, from its address), or an account
// over HTTP.
export function senderLine(sender) {
  if (!sender) return '';
  const where = sender.ip ? ` (${sender.ip})` : '';
  if (sender.origin === 'DicomProtocol' && sender.aet) return `${sender.aet}${where}`;
  if (sender.account) return `${sender.account}${where}`;
  return sender.aet ? `${sender.aet}${where}` : (sender.ip || '');
}

// What the images are: the study's date, its modalities (from the series with pixels), its
// description, the unit and the sender.
function studyLine(c) {
  const study = c.study || {};
  const modalities = [...new Set(seriesOfCase(c).map((s) => s.modality).filter(Boolean))].join(', ');
  return [study.date && t('studyOf', { date: dicomDate(study.date) }), modalities, study.description,
    `${t('unit')} ${c.unit || '—'}`, senderLine(c.sender) && `${t('sentBy')} ${senderLine(c.sender)}`]
    .filter(Boolean).join(' · ');
}

// superseded(): whether the user has navigated elsewhere meanwhile; then nothing is built.
export async function renderCase(main, caseId, me, superseded = () => false) {
  let c = await get(`/relais/v1/cases/${encodeURIComponent(caseId)}`);
  if (superseded()) return () => {};
  const priors = asList(c.priors, 'priors').filter((p) => String(p.id) !== String(c.id));
  const listeners = [];
  const panes = [];
  let active = null;

  const mine = () => c.state === 'claimed' && c.claimedBy === me.name;
  // Opening the case clears the hub's flag for its holder; this view keeps saying it.
  const newImagesOnOpening = Boolean(c.newImages);
  const header = h('header', { class: 'case-header', id: 'case-header' });
  const actions = h('div', { class: 'case-actions' });
  function drawHeader() {
    header.replaceChildren(
      h('nav', {}, h('a', { href: `#/queue/${encodeURIComponent(c.queue)}`, id: 'back-to-queue' }, `← ${t('queue')} ${specialtyName(c.queue)}`)),
      h('h1', { id: 'patient', class: isAnonymousName(c.patient && c.patient.name) ? 'anonymous' : null }, patientLine(c.patient)),
      h('p', { class: 'case-study', id: 'study' }, studyLine(c)),
      h('p', { class: 'case-meta' },
        h('span', { class: `badge ${c.priority}` }, t(c.priority === 'urgent' ? 'urgent' : 'routine')),
        isOverdue(c) ? h('span', { class: 'badge overdue' }, t('overdue')) : null,
        newImagesOnOpening ? h('span', { class: 'badge new-images', id: 'new-images' }, t('newImages')) : null,
        h('span', { id: 'case-state', dataset: { state: c.state } }, stateName(c.state)),
        c.claimedBy ? h('span', {}, `${t('claimedBy')} ${c.claimedBy === me.name ? t('you') : c.claimedBy}`) : null,
        bodySiteWithSide(c.request) ? h('span', { id: 'header-body-site' }, bodySiteWithSide(c.request)) : null,
        h('span', { title: c.createdAt }, `${t('received')} ${ago(c.createdAt)}`.trim())),
      actions);
    actions.replaceChildren();
    if (c.state === 'queued') actions.append(h('button', { class: 'primary', id: 'claim', onclick: () => transition('claim') }, t('claim')));
    if (mine()) {
      actions.append(
        h('button', { id: 'release', onclick: () => transition('release') }, t('release')),
        h('button', { id: 'request-info', onclick: askInformation }, t('requestInfo')));
    }
    actions.append(h('button', { id: 'compare', disabled: priors.length === 0, title: priors.length ? '' : t('noPrior'), onclick: toggleCompare },
      priors.length ? t('compare') : t('noPrior')));
    if (form) form.refreshEnabled();
  }

  async function transition(verb, body) {
    try {
      await post(`/relais/v1/cases/${c.id}/${verb}`, body);
      if (verb === 'release' || verb === 'request-info') {
        location.hash = `#/queue/${encodeURIComponent(c.queue)}`;
        return;
      }
      c = { ...c, ...(await get(`/relais/v1/cases/${c.id}`)) };
      drawHeader();
    } catch (e) {
      toast(failureContent(e), 'error');
    }
  }

  function askInformation() {
    const text = h('textarea', { id: 'info-message', rows: 4, required: true });
    const dialog = h('dialog', { id: 'info-dialog' },
      h('form', { method: 'dialog', onsubmit: async (e) => {
        e.preventDefault();
        if (!text.value.trim()) return;
        dialog.close();
        await transition('request-info', { message: text.value.trim() });
        toast(t('infoSent'));
      } },
      h('label', { for: 'info-message' }, t('requestInfoPrompt')), text,
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel')),
        h('button', { type: 'submit', class: 'primary', id: 'info-send' }, t('send')))));
    document.body.append(dialog);
    dialog.addEventListener('close', () => dialog.remove());
    dialog.showModal();
    text.focus();
  }

  const request = c.request || {};
  const clinical = h('section', { class: 'clinical', id: 'clinical' },
    h('dl', {},
      h('dt', {}, t('question')), h('dd', { id: 'question' }, request.question || '—'),
      request.history ? [h('dt', {}, t('history')), h('dd', {}, request.history)] : null,
      bodySiteWithSide(request) ? [h('dt', {}, t('bodySite')), h('dd', { id: 'body-site' }, bodySiteWithSide(request))] : null,
      c.infoRequest ? [h('dt', {}, t('infoRequest')), h('dd', { id: 'info-request' }, c.infoRequest.message,
        h('small', {}, ` (${t('askedBy', { who: c.infoRequest.by, when: ago(c.infoRequest.at) })})`))] : null,
      c.infoRequest && c.infoRequest.answer ? [h('dt', {}, t('infoAnswer')),
        h('dd', { id: 'info-answer' }, c.infoRequest.answer.message,
          h('small', {}, ` (${t('askedBy', { who: c.infoRequest.answer.by, when: ago(c.infoRequest.answer.at) })})`))]
        : null));

  const thumbs = h('aside', { class: 'thumbnails', id: 'thumbnails' }, h('h2', {}, t('series')));
  const viewer = h('div', { class: 'panes', id: 'panes' });
  const side = h('div', { class: 'side' });
  const layout = h('div', { class: 'case-layout' }, thumbs, viewer, side);
  main.append(header, clinical, layout);

  let form = null;
  drawHeader();

  // The overlay stays hidden or shown across images and panes while the case is open.
  let overlayShown = true;
  function setOverlay(shown) {
    overlayShown = shown;
    panes.forEach((p) => p.showOverlay(shown));
  }
  function connectOverlay(pane, theCase) {
    pane.setImageLabel(patientName(theCase.patient), theCase.study && dicomDate(theCase.study.date));
    pane.onOverlayToggled = setOverlay;
    pane.showOverlay(overlayShown);
  }

  const current = new ImagePane(viewer, t('current'));
  // Images of this case that could not be shown (instance id -> reason): marked on their
  // thumbnails for as long as the case is open, and named in the report's submission.
  const undisplayed = new Map();
  function markUndisplayed(instance, reason) {
    undisplayed.set(instance.id, reason);
    for (const button of thumbs.querySelectorAll('button.thumb')) {
      if (button.dataset.instance !== instance.id || button.classList.contains('failed')) continue;
      button.classList.add('failed');
      button.title = t('imageFailed', { reason });
      button.append(h('span', { class: 'failed-mark' }, t('notDisplayed')));
    }
  }
  current.onFailure = markUndisplayed;
  connectMeasurements(current);
  connectOverlay(current, c);
  current.root.id = 'pane-current';
  panes.push(current);
  setActive(current);

  // A calibrated measurement goes into a number field of the report with a fitting unit.
  function connectMeasurements(pane) {
    pane.reportTargets = (m) => (form ? form.measurementTargets(m) : []);
    pane.toReport = (m, fieldId, text) => {
      const field = form && form.fillFromMeasurement(fieldId, m);
      if (field) toast(t('measureCopied', { value: text, field }));
    };
  }

  function setActive(pane) {
    active = pane;
    for (const p of panes) p.root.classList.toggle('active', p === pane);
  }
  current.root.addEventListener('pointerdown', () => setActive(current));

  async function addThumbnails(target, theCase, pane) {
    for (const series of seriesOfCase(theCase)) {
      const instances = instancesOfSeries(series);
      const fresh = instances.map((i) => isNewImage(i, theCase.infoRequest));
      const group = h('div', { class: 'series' },
        h('h3', {}, [series.modality, series.description || series.seriesDescription].filter(Boolean).join(' · ') || '—',
          h('small', {}, ` (${instances.length} ${t(instances.length === 1 ? 'image' : 'images')})`),
          fresh.some(Boolean) ? [' ', h('span', { class: 'badge new-images' }, t('newImages'))] : null));
      for (const [k, instance] of instances.entries()) {
        const img = h('img', { alt: '', loading: 'lazy' });
        const button = h('button', { class: fresh[k] ? 'thumb new' : 'thumb', dataset: { instance: instance.id },
          title: instance.frames > 1 ? `${instance.frames} ${t('frames')}` : '',
          onclick: () => { setActive(pane); pane.load(instance).catch((e) => toast(failureContent(e), 'error')); } },
        img, instance.frames > 1 ? h('span', { class: 'cine-mark' }, `▶ ${instance.frames}`) : null,
        fresh[k] ? h('span', { class: 'new-mark' }, t('newImage')) : null);
        group.append(button);
        frameUrl(instance.id, 0, { width: 160, quality: 75 }).then((url) => { img.src = url; })
          .catch((e) => { if (theCase === c) markUndisplayed(instance, e.message); });
      }
      target.append(group);
    }
  }
  await addThumbnails(thumbs, c, current);

  const first = openingInstance(c);
  if (first) current.load(first).catch((e) => toast(failureContent(e), 'error'));

  let priorPane = null;
  // While the prior opens, a second press (the C key twice) must not open another pane.
  let openingPrior = false;
  async function toggleCompare() {
    if (openingPrior) return;
    if (priorPane) {
      priorPane.destroy();
      panes.splice(panes.indexOf(priorPane), 1);
      priorPane = null;
      viewer.classList.remove('two');
      setActive(current);
      current.layout();
      return;
    }
    openingPrior = true;
    let priorCase;
    try {
      priorCase = await get(`/relais/v1/cases/${encodeURIComponent(priors[0].id)}`);
    } finally {
      openingPrior = false;
    }
    viewer.classList.add('two');
    // Dated by the study (when the images were taken), not by when the case reached the hub.
    const priorDate = priorCase.study && priorCase.study.date ? dicomDate(priorCase.study.date) : (priorCase.createdAt || '').slice(0, 10);
    priorPane = new ImagePane(viewer, `${t('prior')} · ${priorDate}`);
    priorPane.root.id = 'pane-prior';
    connectMeasurements(priorPane);
    connectOverlay(priorPane, priorCase);
    panes.push(priorPane);
    priorPane.root.addEventListener('pointerdown', () => setActive(priorPane));
    const priorFirst = firstInstance(priorCase);
    // Both panes now share the width: fit the current one again before loading the prior.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    current.layout();
    if (priorFirst) await priorPane.load(priorFirst);
    const priorThumbs = h('div', { class: 'prior-thumbs' }, h('h2', {}, t('prior')));
    thumbs.append(priorThumbs);
    await addThumbnails(priorThumbs, priorCase, priorPane);
  }

  form = new ReportForm(side, {
    caseId: c.id,
    queue: c.queue,
    bodySite: bodySiteWithSide(c.request),
    undisplayedImages: () => [...undisplayed].map(([instance, reason]) => ({ instance, reason })),
    canSubmit: mine,
    evaluatedInstances: () => [],
    onSubmitted: () => {
      c.state = 'reported';
      drawHeader();
      setTimeout(() => { location.hash = `#/queue/${encodeURIComponent(c.queue)}`; }, 800);
    },
  });
  form.load()
    .then(() => panes.forEach((p) => p.facts && p.renderMeasurements()))  // measured before the form came
    .catch((e) => side.append(h('p', { class: 'error failure' }, failureContent(e))));
  side.append(h('p', { class: 'hint' }, t('shortcuts')));

  const onKey = (e) => {
    const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement && document.activeElement.tagName);
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.submit();
      return;
    }
    if (typing || !active || !active.facts) return;
    const actionsByKey = {
      '+': () => active.zoomBy(1.5), '=': () => active.zoomBy(1.5), '-': () => active.zoomBy(1 / 1.5),
      '0': () => active.fit(), '1': () => active.fullResolution(), i: () => active.invert(), I: () => active.invert(),
      ' ': () => active.togglePlay(), ArrowRight: () => active.step(1), ArrowLeft: () => active.step(-1),
      c: () => { if (priors.length) toggleCompare(); }, C: () => { if (priors.length) toggleCompare(); },
      o: () => active.toggleOverlay(), O: () => active.toggleOverlay(),
      m: () => active.setTool('ruler'), M: () => active.setTool('ruler'), a: () => active.setTool('area'), A: () => active.setTool('area'),
      Escape: () => active.stopMeasuring(), Delete: () => active.clearMeasurements(),
    };
    const action = actionsByKey[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };
  document.addEventListener('keydown', onKey);
  listeners.push(() => document.removeEventListener('keydown', onKey));
  const onResize = () => panes.forEach((p) => p.facts && p.layout());
  window.addEventListener('resize', onResize);
  listeners.push(() => window.removeEventListener('resize', onResize));

  return () => {
    listeners.forEach((f) => f());
    panes.forEach((p) => p.destroy());
  };
}
