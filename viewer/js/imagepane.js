// One image viewport: a photo with zoom and pan up to full resolution, an ultrasound clip with
// play/pause/step/speed, or a grey image (X-ray) with window/level by drag, presets and invert.
// Images come from the hub's rendering endpoint sized for the viewport first; a sharper one is
// fetched only when zooming shows more pixels than the current one has. Measurements (a ruler,
// an elliptical area) are drawn over the image in an SVG layer that follows zoom and pan.
import { frameUrl, instanceFacts } from './api.js';
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { formatMeasurement, measure } from './measure.js';

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const SPEEDS = [0.25, 0.5, 1, 2, 4];
const MAX_ZOOM = 16;
// Below Chromium's six connections per host, leaving room for the image on screen.
const CLIP_FRAMES_IN_FLIGHT = 4;
const ENLARGED_QUALITY = 95;

export class ImagePane {
  constructor(container, title) {
    this.root = h('section', { class: 'pane', tabindex: '0' });
    this.titleEl = h('h3', { class: 'pane-title' }, title || '');
    this.toolbar = h('div', { class: 'toolbar' });
    this.img = h('img', { class: 'frame', alt: '', draggable: false });
    this.overlay = svg('svg', { class: 'measure-overlay' });
    // What the image is, over it: the patient and study date at the top, frame, window and zoom
    // at the bottom. Hidden and shown for every pane of the case at once (onOverlayToggled).
    this.infoTop = h('div', { class: 'info-top' });
    this.infoBottom = h('div', { class: 'info-bottom' });
    this.info = h('div', { class: 'image-info', 'aria-hidden': 'true' }, this.infoTop, this.infoBottom);
    this.stage = h('div', { class: 'stage' }, this.img, this.overlay, this.info);
    this.overlayShown = true;
    this.onOverlayToggled = null;
    this.root.dataset.overlay = 'shown';
    this.status = h('div', { class: 'pane-status' });
    this.measureList = h('ol', { class: 'measures' });
    this.root.append(this.titleEl, this.toolbar, this.stage, this.status, this.measureList);
    this.measurements = [];
    // Set by the case view: the report fields a measurement can fill ([{id, label}]), and
    // filling one.
    this.reportTargets = () => [];
    this.toReport = null;
    container.append(this.root);
    this.urls = new Set();
    this.generation = 0;
    this.shownTicket = 0;
    // Called with (instance, reason) when an image cannot be shown: the case keeps the failure
    // on the image and its thumbnail, and a report then needs its author's confirmation.
    this.onFailure = null;
    this.bindPointer();
  }

  // The failure stays on the pane until another image is opened: a notice that fades would let
  // a specialist report on an image never seen.
  showFailure(reason) {
    this.clearFailure();
    this.root.dataset.failed = 'true';
    // The reason is often the hub's (English) words: apart from the sentence, smaller.
    this.failureEl = h('div', { class: 'pane-failure failure', role: 'alert' },
      h('span', { class: 'failure-sentence' }, t('imageNotShown')), h('small', { class: 'failure-detail' }, reason));
    this.stage.append(this.failureEl);
    this.status.textContent = '';
    if (this.onFailure && this.instance) this.onFailure(this.instance, reason);
  }

  clearFailure() {
    delete this.root.dataset.failed;
    if (this.failureEl) this.failureEl.remove();
    this.failureEl = null;
  }

  setTitle(text) {
    this.titleEl.textContent = text;
  }

  // The patient's name and the study's date, for the overlay.
  setImageLabel(patient, studyDate) {
    this.infoTop.replaceChildren(h('span', { class: 'info-patient' }, patient || ''), h('span', { class: 'info-date' }, studyDate || ''));
  }

  showOverlay(shown) {
    this.overlayShown = shown;
    this.root.dataset.overlay = shown ? 'shown' : 'hidden';
    const button = this.toolbar.querySelector('button[data-tool="overlay"]');
    if (button) button.setAttribute('aria-pressed', String(shown));
  }

  toggleOverlay() {
    if (this.onOverlayToggled) this.onOverlayToggled(!this.overlayShown);
    else this.showOverlay(!this.overlayShown);
  }

  destroy() {
    this.stop();
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls.clear();
    this.root.remove();
  }

  track(url) {
    this.urls.add(url);
    return url;
  }

  // instance: {id, frames?}. A failure is shown on the pane (and reported through onFailure),
  // not thrown.
  async load(instance) {
    this.stop();
    const generation = ++this.generation;
    this.instance = instance;
    this.root.dataset.instance = instance.id;
    this.clearFailure();
    this.status.textContent = t('loading');
    try {
      await this.open(instance, generation);
    } catch (e) {
      if (generation === this.generation) this.showFailure(e.message);
    }
  }

  async open(instance, generation) {
    this.facts = await instanceFacts(instance.id);
    if (generation !== this.generation) return;
    this.frameCount = Math.max(1, this.facts.frames || instance.frames || 1);
    this.frame = 0;
    this.zoom = 1;
    this.panX = 0;
    this.panY = 0;
    this.inverted = false;
    this.window = this.facts.window ? { ...this.facts.window } : null;
    this.tool = this.defaultTool();
    this.measurements = [];
    this.draft = null;
    this.renderMeasurements();
    // urls: frames fetched; pending: frames on their way (the preload's requests).
    this.cine = this.frameCount > 1
      ? { urls: new Array(this.frameCount), pending: new Array(this.frameCount), playing: false, speed: 1, timer: null }
      : null;
    this.buildToolbar();
    this.layout();
    await this.showFrame(0);
    if (this.cine) this.preloadClip(generation);
  }

  // The image's on-screen size at zoom 1: the whole frame fitted in the stage.
  layout() {
    const box = this.stage.getBoundingClientRect();
    const cols = this.facts.columns || 1;
    const rows = this.facts.rows || 1;
    const scale = Math.min(box.width / cols, box.height / rows);
    this.fitWidth = Math.max(1, Math.round(cols * scale));
    this.fitHeight = Math.max(1, Math.round(rows * scale));
    this.img.style.width = `${this.fitWidth}px`;
    this.img.style.height = `${this.fitHeight}px`;
    this.applyTransform();
  }

  previewWidth() {
    return Math.min(this.facts.columns, Math.ceil(this.fitWidth * (window.devicePixelRatio || 1)));
  }

  // A frame smaller than its place on screen (a 256-column ultrasound in an 860-pixel pane) is
  // enlarged by the browser, which interpolates smoothly (image-rendering: auto); what it cannot
  // smooth are the JPEG's 8×8 blocks, magnified with the pixels (from about 1.5 times on). Such
  // frames are few kilobytes, so they come at a quality where the blocks do not show.
  enlarged() {
    return this.fitWidth * this.zoom * (window.devicePixelRatio || 1) > this.facts.columns * 1.5;
  }

  renderParams(width, requested) {
    const quality = this.enlarged() ? Math.max(requested, ENLARGED_QUALITY) : requested;
    const p = { width, quality };
    if (this.window && this.facts.grey) {
      p['window-center'] = Math.round(this.window.center * 100) / 100;
      p['window-width'] = Math.max(1, Math.round(this.window.width * 100) / 100);
    }
    return p;
  }

  async fetchFrame(frame, width, quality) {
    return this.track(await frameUrl(this.instance.id, frame, this.renderParams(width, quality)));
  }

  // Only the latest request for the image on screen may replace it: a slow rendering (the full
  // 12 MP photo) must not land over a later one (another zoom step, window, or frame). Null
  // when a later request has been made meanwhile.
  async fetchShown(frame, width, quality) {
    const ticket = ++this.shownTicket;
    const url = await this.fetchFrame(frame, width, quality);
    return ticket === this.shownTicket ? url : null;
  }

  async showFrame(frame) {
    const generation = this.generation;
    this.frame = frame;
    const width = this.previewWidth();
    let url = this.cine && this.cine.urls[frame];
    const pending = !url && this.cine && this.cine.pending[frame];
    if (pending) {
      // Wait for the preload's request rather than send another: on a slow link a second
      // download of the same frame would only delay every frame after it.
      const ticket = ++this.shownTicket;
      url = await pending.catch(() => null);
      if (ticket !== this.shownTicket) return;
    }
    if (url) {
      ++this.shownTicket;  // supersedes any rendering still on its way
    } else {
      try {
        url = await this.fetchShown(frame, width, 85);
      } catch (e) {
        if (generation === this.generation) this.showFailure(e.message);
        return;
      }
      if (!url) return;
      if (this.cine && !this.windowChanged) this.cine.urls[frame] = url;
    }
    if (generation !== this.generation) return;
    await this.swap(url, width);
    this.updateStatus();
  }

  swap(url, width) {
    return new Promise((resolve) => {
      const done = () => {
        this.loadedWidth = width;
        this.root.dataset.loadedWidth = String(width);
        resolve();
      };
      this.img.onload = done;
      this.img.onerror = () => {
        done();
        this.showFailure(t('imageUnreadable'));
      };
      this.img.src = url;
    });
  }

  // After a zoom: fetch a sharper rendering if the screen now shows more pixels than we have.
  async refine(force) {
    const needed = Math.ceil(this.fitWidth * this.zoom * (window.devicePixelRatio || 1));
    const columns = this.facts.columns;
    if (!force && needed <= this.loadedWidth * 1.1) return;
    if (this.loadedWidth >= columns) return;
    // Round up to a few fixed steps so that zooming reuses cached renderings.
    let width = columns;
    for (const step of [512, 1024, 2048, 4096]) {
      if (step >= needed && step < columns) {
        width = step;
        break;
      }
    }
    if (force) width = columns;
    const generation = this.generation;
    const frame = this.frame;
    this.status.textContent = t('loading');
    const url = await this.fetchShown(frame, width, 90);
    if (!url || generation !== this.generation || frame !== this.frame) return;
    await this.swap(url, width);
    this.updateStatus();
  }

  applyTransform() {
    this.img.style.transform = `translate(${this.panX}px, ${this.panY}px) scale(${this.zoom})`;
    this.img.classList.toggle('inverted', !!this.inverted);
    this.root.dataset.zoom = this.zoom.toFixed(2);
    if (this.facts) this.root.dataset.enlarged = String(this.enlarged());
    if (this.facts) this.updateStatus();
    this.drawMeasurements();
  }

  defaultTool() {
    return this.facts && this.facts.grey ? 'wl' : 'pan';
  }

  // ruler or area; the same again goes back to the image's own tool (pan, or window/level).
  setTool(tool) {
    if (!this.facts) return;
    this.tool = this.tool === tool ? this.defaultTool() : tool;
    this.draft = null;
    this.stage.dataset.tool = this.tool;
    for (const b of this.toolbar.querySelectorAll('button[data-tool]')) {
      if (['ruler', 'area', 'wl'].includes(b.dataset.tool)) b.setAttribute('aria-pressed', String(b.dataset.tool === this.tool));
    }
    this.drawMeasurements();
  }

  stopMeasuring() {
    if (this.tool === 'ruler' || this.tool === 'area') this.setTool(this.tool);
  }

  clearMeasurements() {
    this.measurements = [];
    this.draft = null;
    this.renderMeasurements();
  }

  // Image pixel coordinates (column, row) under a point of the window; the image's box on
  // screen already includes zoom and pan.
  imagePoint(clientX, clientY) {
    const box = this.img.getBoundingClientRect();
    const x = ((clientX - box.left) / box.width) * this.facts.columns;
    const y = ((clientY - box.top) / box.height) * this.facts.rows;
    return { x: Math.min(this.facts.columns, Math.max(0, x)), y: Math.min(this.facts.rows, Math.max(0, y)) };
  }

  // Stage coordinates of an image point, for the overlay.
  stagePoint(p) {
    const box = this.img.getBoundingClientRect();
    const stage = this.stage.getBoundingClientRect();
    return {
      x: box.left - stage.left + (p.x / this.facts.columns) * box.width,
      y: box.top - stage.top + (p.y / this.facts.rows) * box.height,
    };
  }

  drawMeasurements() {
    clear(this.overlay);
    if (!this.facts || !this.img.getBoundingClientRect().width) return;
    const shapes = this.measurements.map((m, k) => ({ ...m, number: k + 1 }));
    if (this.draft) shapes.push({ ...this.draft, result: measure(this.draft.kind, this.draft.points, this.facts), number: null });
    for (const m of shapes) {
      const [a, b] = m.points.map((p) => this.stagePoint(p));
      const g = svg('g', { class: `measure ${m.kind}${m.number === null ? ' draft' : ''}${m.result.calibrated ? '' : ' uncalibrated'}` });
      if (m.kind === 'length') {
        g.append(svg('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y }));
        for (const p of [a, b]) g.append(svg('circle', { cx: p.x, cy: p.y, r: 3 }));
      } else {
        g.append(svg('ellipse', { cx: (a.x + b.x) / 2, cy: (a.y + b.y) / 2, rx: Math.abs(b.x - a.x) / 2, ry: Math.abs(b.y - a.y) / 2 }));
      }
      const text = `${m.number ? `${m.number}: ` : ''}${formatMeasurement(m.result, t('uncalibrated'))}`;
      const label = svg('text', { x: Math.max(a.x, b.x) + 6, y: Math.min(a.y, b.y) - 6 }, text);
      g.append(label);
      this.overlay.append(g);
    }
  }

  // The list under the image: each measurement's value, and where the report has a number
  // field of a fitting unit, the field to put it in.
  renderMeasurements() {
    clear(this.measureList);
    this.root.dataset.measures = String(this.measurements.length);
    for (const [k, m] of this.measurements.entries()) {
      const text = formatMeasurement(m.result, t('uncalibrated'));
      const row = h('li', { class: 'measure-row', dataset: { measure: String(k + 1), value: String(m.result.value), unit: m.result.unit } },
        h('span', { class: 'measure-value' }, `${k + 1}: ${text}`));
      const targets = m.result.calibrated && this.toReport ? this.reportTargets(m.result) : [];
      if (targets.length) {
        const field = h('select', { class: 'measure-field', 'aria-label': t('toReportTitle') },
          ...targets.map((f) => h('option', { value: f.id }, f.label)));
        row.append(field, h('button', { type: 'button', class: 'to-report', title: t('toReportTitle'),
          onclick: () => this.toReport(m.result, field.value, text) }, t('toReport')));
      }
      this.measureList.append(row);
    }
    // The list takes height from the stage: fit the image to what is left.
    if (this.facts) this.layout();
    else this.drawMeasurements();
  }

  zoomBy(factor, cx, cy) {
    const old = this.zoom;
    const zoom = Math.min(MAX_ZOOM, Math.max(1, old * factor));
    if (zoom === old) return;
    // Keep the point under the cursor (stage coordinates from the centre) where it is.
    const px = cx ?? 0;
    const py = cy ?? 0;
    this.panX = px - ((px - this.panX) * zoom) / old;
    this.panY = py - ((py - this.panY) * zoom) / old;
    this.zoom = zoom;
    if (zoom === 1) {
      this.panX = 0;
      this.panY = 0;
    }
    this.applyTransform();
    this.refine(false);
  }

  fit() {
    this.zoom = 1;
    this.panX = 0;
    this.panY = 0;
    this.applyTransform();
  }

  fullResolution() {
    // Show the image's pixels one to one (or fill the stage if it is smaller).
    const target = Math.max(1, this.facts.columns / (this.fitWidth * (window.devicePixelRatio || 1)));
    this.zoom = Math.min(MAX_ZOOM, target);
    this.applyTransform();
    return this.refine(true);
  }

  invert() {
    this.inverted = !this.inverted;
    this.applyTransform();
    this.updateStatus();
  }

  setWindow(center, width, final) {
    this.window = { center, width: Math.max(1, width) };
    this.windowChanged = true;
    if (this.cine) {
      this.cine.urls = new Array(this.frameCount);
      this.cine.pending = new Array(this.frameCount);
    }
    clearTimeout(this.windowTimer);
    const draw = async () => {
      const generation = this.generation;
      const width = final ? this.previewWidth() : Math.ceil(this.previewWidth() / 2);
      const url = await this.fetchShown(this.frame, width, final ? 90 : 70);
      if (!url) return;
      if (generation === this.generation) await this.swap(url, width);
      this.updateStatus();
      if (final && this.zoom > 1) this.refine(false);
    };
    this.windowTimer = setTimeout(draw, final ? 0 : 60);
    this.updateStatus();
  }

  preset(name) {
    const base = this.facts.window;
    if (!base) return;
    const presets = {
      default: [base.center, base.width],
      wide: [base.center, base.width * 2],
      narrow: [base.center, base.width / 2],
      bright: [base.center - base.width / 4, base.width],
      dark: [base.center + base.width / 4, base.width],
    };
    const [c, w] = presets[name] || presets.default;
    this.setWindow(c, w, true);
  }

  // Cine: every frame at the display width, a few requests in flight at once. On a mobile
  // link the round trip, not the hub, bounds frames fetched one after another (a 20-frame clip
  // at 150 ms is 3 s of waiting alone); taken in order, so playing can start on the first ones.
  async preloadClip(generation) {
    const width = Math.min(this.previewWidth(), 800);
    let next = 0;
    const fetchInTurn = async () => {
      while (next < this.frameCount) {
        const k = next++;
        if (generation !== this.generation || !this.cine) return;
        // A new window replaces the arrays, so frames rendered with the old one are dropped.
        const { urls, pending } = this.cine;
        if (urls[k]) continue;
        pending[k] = this.fetchFrame(k, width, 80);
        try {
          urls[k] = await pending[k];
        } catch (_) {
          return;
        } finally {
          pending[k] = undefined;
        }
        if (generation === this.generation && this.cine) {
          this.root.dataset.preloaded = String(this.cine.urls.filter(Boolean).length);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CLIP_FRAMES_IN_FLIGHT, this.frameCount) }, fetchInTurn));
  }

  play() {
    if (!this.cine || this.cine.playing) return;
    this.cine.playing = true;
    this.root.dataset.playing = 'true';
    const interval = () => (this.facts.frameTimeMs || 40) / this.cine.speed;
    const tick = async () => {
      if (!this.cine || !this.cine.playing) return;
      await this.showFrame((this.frame + 1) % this.frameCount);
      if (this.cine && this.cine.playing) this.cine.timer = setTimeout(tick, interval());
    };
    this.cine.timer = setTimeout(tick, interval());
    this.updateToolbarState();
  }

  pause() {
    if (!this.cine) return;
    this.cine.playing = false;
    clearTimeout(this.cine.timer);
    this.root.dataset.playing = 'false';
    this.updateToolbarState();
  }

  stop() {
    if (this.cine) this.pause();
  }

  togglePlay() {
    if (!this.cine) return;
    if (this.cine.playing) this.pause();
    else this.play();
  }

  step(delta) {
    if (this.frameCount <= 1) return;
    this.pause();
    this.showFrame((this.frame + delta + this.frameCount) % this.frameCount);
  }

  setSpeed(speed) {
    if (this.cine) this.cine.speed = speed;
    this.updateStatus();
  }

  updateStatus() {
    const parts = [`${this.facts.columns}×${this.facts.rows}`];
    if (this.frameCount > 1) parts.push(`${t('frames')} ${this.frame + 1}/${this.frameCount}`);
    if (this.cine) parts.push(`${t('speed')} ×${this.cine.speed}`);
    if (this.window && this.facts.grey) parts.push(`C ${Math.round(this.window.center)} / W ${Math.round(this.window.width)}`);
    if (this.inverted) parts.push(t('invert'));
    parts.push(`${Math.round(this.zoom * 100)} %`);
    this.status.textContent = parts.join(' · ');
    this.infoBottom.replaceChildren(
      h('span', { class: 'info-frame' }, this.frameCount > 1 ? `${t('frame')} ${this.frame + 1}/${this.frameCount}` : ''),
      h('span', { class: 'info-window' }, this.window && this.facts.grey ? `C ${Math.round(this.window.center)} / W ${Math.round(this.window.width)}` : ''),
      h('span', { class: 'info-zoom' }, `${t('zoom')} ${Math.round(this.zoom * 100)} %`));
    this.root.dataset.frame = String(this.frame);
    if (this.window) this.root.dataset.window = `${Math.round(this.window.center)},${Math.round(this.window.width)}`;
    if (this.frameSlider) this.frameSlider.value = String(this.frame);
  }

  updateToolbarState() {
    if (this.playButton) {
      const playing = this.cine && this.cine.playing;
      this.playButton.textContent = playing ? `II ${t('pause')}` : `▶ ${t('play')}`;
      this.playButton.setAttribute('aria-pressed', playing ? 'true' : 'false');
    }
  }

  buildToolbar() {
    clear(this.toolbar);
    const button = (text, title, action, extra = {}) => h('button', { type: 'button', title, onclick: action, ...extra }, text);
    this.toolbar.append(
      button('+', t('zoomIn'), () => this.zoomBy(1.5), { dataset: { tool: 'zoom-in' } }),
      button('−', t('zoomOut'), () => this.zoomBy(1 / 1.5), { dataset: { tool: 'zoom-out' } }),
      button(t('fit'), t('fit'), () => this.fit(), { dataset: { tool: 'fit' } }),
      button('1:1', t('fullRes'), () => this.fullResolution(), { dataset: { tool: 'full' } }));
    if (this.facts.grey) {
      const presets = h('select', { title: t('presets'), dataset: { tool: 'presets' }, onchange: (e) => this.preset(e.target.value) },
        ...['default', 'wide', 'narrow', 'bright', 'dark'].map((p) =>
          h('option', { value: p }, t(`preset${p[0].toUpperCase()}${p.slice(1)}`))));
      this.toolbar.append(
        button(t('windowLevel'), t('windowLevel'), () => this.setTool('wl'), { dataset: { tool: 'wl' } }),
        presets,
        button(t('invert'), t('invert'), () => this.invert(), { dataset: { tool: 'invert' } }));
    }
    this.toolbar.append(
      button(`↔ ${t('ruler')}`, t('rulerTitle'), () => this.setTool('ruler'), { dataset: { tool: 'ruler' }, 'aria-pressed': 'false' }),
      button(`◯ ${t('area')}`, t('areaTitle'), () => this.setTool('area'), { dataset: { tool: 'area' }, 'aria-pressed': 'false' }),
      button(`✕ ${t('clearMeasures')}`, t('clearMeasuresTitle'), () => this.clearMeasurements(), { dataset: { tool: 'clear-measures' } }),
      button(t('overlay'), t('overlayTitle'), () => this.toggleOverlay(), { dataset: { tool: 'overlay' }, 'aria-pressed': String(this.overlayShown) }));
    if (this.cine) {
      this.playButton = button('', t('play'), () => this.togglePlay(), { dataset: { tool: 'play' } });
      this.frameSlider = h('input', { type: 'range', min: '0', max: String(this.frameCount - 1), value: '0', dataset: { tool: 'frame' },
        oninput: (e) => { this.pause(); this.showFrame(Number(e.target.value)); } });
      const speed = h('select', { title: t('speed'), dataset: { tool: 'speed' }, onchange: (e) => this.setSpeed(Number(e.target.value)) },
        ...SPEEDS.map((s) => h('option', { value: String(s), selected: s === 1 }, `×${s}`)));
      this.toolbar.append(
        button('◀|', t('prevFrame'), () => this.step(-1), { dataset: { tool: 'prev' } }),
        this.playButton,
        button('|▶', t('nextFrame'), () => this.step(1), { dataset: { tool: 'next' } }),
        this.frameSlider, speed);
      this.updateToolbarState();
    }
    this.stage.dataset.tool = this.tool;
  }

  // A drag of a few screen pixels is a tap, not a measurement.
  finishMeasurement() {
    const draft = this.draft;
    this.draft = null;
    if (draft && draft.end && Math.hypot(draft.end.x - draft.x, draft.end.y - draft.y) >= 4) {
      this.measurements.push({ kind: draft.kind, points: draft.points, result: measure(draft.kind, draft.points, this.facts) });
    }
    this.renderMeasurements();
  }

  bindPointer() {
    let drag = null;
    this.stage.addEventListener('wheel', (e) => {
      if (!this.facts) return;
      e.preventDefault();
      const box = this.stage.getBoundingClientRect();
      this.zoomBy(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - box.left - box.width / 2, e.clientY - box.top - box.height / 2);
    }, { passive: false });
    this.stage.addEventListener('pointerdown', (e) => {
      if (!this.facts) return;
      this.stage.setPointerCapture(e.pointerId);
      if (this.tool === 'ruler' || this.tool === 'area') {
        e.preventDefault();  // no text selection or native drag, which would cancel the pointer
        const p = this.imagePoint(e.clientX, e.clientY);
        this.draft = { kind: this.tool === 'ruler' ? 'length' : 'area', points: [p, p], x: e.clientX, y: e.clientY };
        drag = { measuring: true };
        return;
      }
      const windowing = this.tool === 'wl' && this.facts.grey && this.window && !e.shiftKey;
      drag = { x: e.clientX, y: e.clientY, panX: this.panX, panY: this.panY, window: this.window && { ...this.window }, windowing, moved: false };
    });
    this.stage.addEventListener('pointermove', (e) => {
      if (!drag) return;
      if (drag.measuring) {
        if (!this.draft) return;
        this.draft.points[1] = this.imagePoint(e.clientX, e.clientY);
        this.draft.end = { x: e.clientX, y: e.clientY };
        this.drawMeasurements();
        return;
      }
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
      if (!drag.moved) return;
      if (drag.windowing) {
        // Horizontal: contrast (width); vertical: brightness (centre); a stage width of drag
        // doubles or halves the window.
        const scale = drag.window.width / Math.max(1, this.stage.clientWidth);
        this.setWindow(drag.window.center + dy * scale, drag.window.width + dx * scale * 2, false);
      } else {
        this.panX = drag.panX + dx;
        this.panY = drag.panY + dy;
        this.applyTransform();
      }
    });
    const end = () => {
      if (drag && drag.measuring) this.finishMeasurement();
      if (drag && drag.windowing && drag.moved && this.window) this.setWindow(this.window.center, this.window.width, true);
      drag = null;
    };
    this.stage.addEventListener('pointerup', end);
    // Taken away by the browser (a gesture, a dialog): a measurement half drawn is dropped.
    this.stage.addEventListener('pointercancel', () => {
      if (drag && drag.measuring) {
        drag = null;
        this.draft = null;
        this.drawMeasurements();
        return;
      }
      end();
    });
    this.stage.addEventListener('dragstart', (e) => e.preventDefault());
    this.stage.addEventListener('dblclick', () => { if (this.tool !== 'ruler' && this.tool !== 'area') this.fit(); });
  }
}
