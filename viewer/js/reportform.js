// The report form of a specialty, generated from its template (GET /relais/v1/templates/{q}):
// one input per field, checked as the user types with the same rules the hub applies, kept as
// a draft in localStorage until the report is accepted.
import { ApiError, get, post } from './api.js';
import { h, toast } from './dom.js';
import { label, lang, t } from './i18n.js';
import { fitsUnit, inUnit } from './measure.js';
import { failureContent } from './failure.js';

// A number's unit as the reader writes it ("SA" in French for weeks of gestation): the
// template's label, else its UCUM code.
function unitLabel(unit) {
  return label(unit.label) || unit.ucum || '';
}

function draftKey(caseId) {
  return `relais.draft.case.${caseId}`;
}

export function loadDraft(caseId) {
  try {
    return JSON.parse(localStorage.getItem(draftKey(caseId)) || 'null');
  } catch (_) {
    return null;
  }
}

// The rules of the hub's validation (ReportValues), so mistakes show before submitting.
export function checkField(field, value) {
  const empty = value === undefined || value === null || value === '' ||
    (field.type === 'coded' && (!value.code && !value.meaning));
  if (empty) return field.required ? t('required') : '';
  switch (field.type) {
    case 'text':
      return field.maxLength && value.length > field.maxLength ? t('tooLong', { n: field.maxLength }) : '';
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return t('mustBeNumber');
      const unit = field.unit ? ` ${unitLabel(field.unit)}` : '';
      if (field.min !== undefined && value < field.min) return `${t('atLeast')} ${field.min}${unit}`;
      if (field.max !== undefined && value > field.max) return `${t('atMost')} ${field.max}${unit}`;
      return '';
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? '' : t('badDate');
    case 'choice':
      return (field.options || []).some((o) => o.id === value) ? '' : t('required');
    case 'coded':
      if (!value.code) return `${t('code')}: ${t('required')}`;
      if (!value.meaning) return `${t('meaning')}: ${t('required')}`;
      return '';
    default:
      return '';
  }
}

function fields(template) {
  return (template.sections || []).flatMap((s) => s.fields || []);
}

export class ReportForm {
  // options: {caseId, queue, canSubmit, onSubmitted, evaluatedInstances()}
  constructor(container, options) {
    this.options = options;
    this.root = h('section', { class: 'report', id: 'report' });
    container.append(this.root);
    this.inputs = new Map();
    this.messages = new Map();
  }

  async load() {
    this.template = await get(`/relais/v1/templates/${encodeURIComponent(this.options.queue)}`);
    this.render();
    const draft = loadDraft(this.options.caseId);
    if (draft && draft.values) {
      this.setValues(draft.values);
      this.status(t('draftRestored'));
    }
  }

  render() {
    const tpl = this.template;
    const form = h('form', { id: 'report-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); this.submit(); } });
    form.append(h('h2', {}, label(tpl.title) || t('report')));
    if (this.options.bodySite) {
      form.append(h('p', { class: 'report-site', id: 'report-body-site' }, `${t('bodySite')} : ${this.options.bodySite}`));
    }
    for (const section of tpl.sections || []) {
      const fieldset = h('fieldset', {}, h('legend', {}, label(section.label)));
      for (const field of section.fields || []) fieldset.append(this.fieldRow(field));
      form.append(fieldset);
    }
    this.statusEl = h('p', { class: 'form-status', role: 'status', id: 'report-status' });
    this.submitButton = h('button', { type: 'submit', class: 'primary', id: 'report-submit', disabled: !this.options.canSubmit() }, t('submit'));
    form.append(this.statusEl, h('div', { class: 'form-actions' }, this.submitButton));
    this.form = form;
    this.root.append(form);
  }

  refreshEnabled() {
    if (this.submitButton) this.submitButton.disabled = !this.options.canSubmit();
  }

  fieldRow(field) {
    const id = `field-${field.id}`;
    const message = h('span', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
    this.messages.set(field.id, message);
    const changed = () => {
      this.validateField(field);
      this.saveDraft();
    };
    let control;
    switch (field.type) {
      case 'text':
        control = h('textarea', { id, name: field.id, rows: 3, maxlength: field.maxLength || undefined, oninput: changed });
        break;
      case 'number':
        control = h('input', { id, name: field.id, type: 'number', step: 'any', min: field.min, max: field.max, oninput: changed });
        break;
      case 'date':
        control = h('input', { id, name: field.id, type: 'date', oninput: changed, onchange: changed });
        break;
      case 'choice':
        control = h('select', { id, name: field.id, onchange: changed },
          h('option', { value: '' }, '—'),
          ...(field.options || []).map((o) => h('option', { value: o.id }, label(o.label))));
        break;
      case 'coded': {
        const schemes = field.codingSchemes || [];
        const scheme = h('select', { id: `${id}-scheme`, 'aria-label': t('scheme'), onchange: changed },
          ...schemes.map((s) => h('option', { value: s }, s)));
        const code = h('input', { id: `${id}-code`, placeholder: t('code'), 'aria-label': t('code'), size: 10, oninput: changed });
        const meaning = h('input', { id: `${id}-meaning`, placeholder: t('meaning'), 'aria-label': t('meaning'), maxlength: 64, oninput: changed });
        control = h('span', { class: 'coded', id }, scheme, code, meaning);
        control.readValue = () => ({ scheme: scheme.value, code: code.value.trim(), meaning: meaning.value.trim() });
        control.writeValue = (v) => {
          if (!v) return;
          if (v.scheme) scheme.value = v.scheme;
          code.value = v.code || '';
          meaning.value = v.meaning || '';
        };
        break;
      }
      default:
        control = h('input', { id, name: field.id, oninput: changed });
    }
    this.inputs.set(field.id, { field, control });
    const unit = field.unit ? h('span', { class: 'unit' }, unitLabel(field.unit)) : null;
    return h('div', { class: `field${field.required ? ' required' : ''}`, dataset: { field: field.id } },
      h('label', { for: field.type === 'coded' ? `${id}-code` : id }, label(field.label), field.required ? ' *' : ''),
      h('div', { class: 'control' }, control, unit),
      message);
  }

  // The number fields a measurement (measure.js) can fill: a length into mm or cm, an area
  // into mm² or cm².
  measurementTargets(m) {
    if (!this.template) return [];
    return fields(this.template)
      .filter((f) => f.type === 'number' && f.unit && fitsUnit(m, f.unit.ucum))
      .map((f) => ({ id: f.id, label: `${label(f.label)} (${unitLabel(f.unit)})` }));
  }

  // Puts the measurement, in the field's unit, into the field; the field's label when done.
  fillFromMeasurement(fieldId, m) {
    const entry = this.inputs.get(fieldId);
    if (!entry || !entry.field.unit || !fitsUnit(m, entry.field.unit.ucum)) return null;
    entry.control.value = String(inUnit(m, entry.field.unit.ucum));
    this.validateField(entry.field);
    this.saveDraft();
    const row = entry.control.closest('.field');
    if (row) {
      row.classList.add('filled');
      row.scrollIntoView({ block: 'nearest' });
    }
    return label(entry.field.label);
  }

  readValue(field) {
    const { control } = this.inputs.get(field.id);
    if (control.readValue) {
      const v = control.readValue();
      return v.code || v.meaning ? v : null;
    }
    const raw = control.value;
    if (raw === '') return null;
    if (field.type === 'number') return control.valueAsNumber;
    return raw;
  }

  values() {
    const out = {};
    for (const field of fields(this.template)) {
      const v = this.readValue(field);
      if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) out[field.id] = v;
      else if (field.type === 'number' && this.inputs.get(field.id).control.value !== '') out[field.id] = NaN;
    }
    return out;
  }

  setValues(values) {
    for (const [id, value] of Object.entries(values)) {
      const entry = this.inputs.get(id);
      if (!entry) continue;
      if (entry.control.writeValue) entry.control.writeValue(value);
      else entry.control.value = value;
    }
  }

  showProblem(fieldId, text) {
    const message = this.messages.get(fieldId);
    if (!message) return;
    message.textContent = text;
    const row = message.closest('.field');
    if (row) row.classList.toggle('invalid', !!text);
  }

  validateField(field) {
    const problem = checkField(field, this.readValue(field));
    this.showProblem(field.id, problem);
    return !problem;
  }

  validateAll() {
    let ok = true;
    for (const field of fields(this.template)) ok = this.validateField(field) && ok;
    return ok;
  }

  saveDraft() {
    const values = this.values();
    for (const k of Object.keys(values)) if (typeof values[k] === 'number' && Number.isNaN(values[k])) delete values[k];
    localStorage.setItem(draftKey(this.options.caseId), JSON.stringify({ values, savedAt: new Date().toISOString() }));
    this.status(t('draftSaved'));
  }

  status(text, kind = '') {
    if (!this.statusEl) return;
    this.statusEl.replaceChildren(...[text].flat().filter(Boolean));
    this.statusEl.className = `form-status ${kind}`;
  }

  // Resolves true when the specialist confirms that the report does not rest on the images that
  // could not be displayed; the hub records the confirmation in the case's audit trail.
  confirmUndisplayed(count) {
    return new Promise((resolve) => {
      let confirmed = false;
      const dialog = h('dialog', { class: 'confirm', id: 'undisplayed-confirm' },
        h('form', { method: 'dialog', onsubmit: () => { confirmed = true; } },
          h('p', {}, t('undisplayedConfirm', { n: count })),
          h('div', { class: 'form-actions' },
            h('button', { type: 'button', id: 'undisplayed-cancel', onclick: () => dialog.close() }, t('cancel')),
            h('button', { type: 'submit', class: 'primary', id: 'undisplayed-submit' }, t('confirmSubmit')))));
      document.body.append(dialog);
      dialog.addEventListener('close', () => {
        dialog.remove();
        resolve(confirmed);
      });
      dialog.showModal();
    });
  }

  async submit() {
    if (!this.options.canSubmit()) {
      this.status(t('claimFirst'), 'error');
      return;
    }
    if (!this.validateAll()) {
      this.status(t('fixErrors'), 'error');
      const first = this.form.querySelector('.field.invalid input, .field.invalid textarea, .field.invalid select');
      if (first) first.focus();
      return;
    }
    const undisplayed = this.options.undisplayedImages ? this.options.undisplayedImages() : [];
    if (undisplayed.length && !(await this.confirmUndisplayed(undisplayed.length))) return;
    this.submitButton.disabled = true;
    try {
      const body = { values: this.values(), language: lang() };
      if (undisplayed.length) {
        body.undisplayedImages = undisplayed;
        body.confirmUndisplayed = true;
      }
      const evaluated = this.options.evaluatedInstances ? this.options.evaluatedInstances() : [];
      if (evaluated.length) body.evaluatedInstances = evaluated;
      const answer = await post(`/relais/v1/cases/${this.options.caseId}/report`, body);
      localStorage.removeItem(draftKey(this.options.caseId));
      this.status(t('reportSent'), 'ok');
      toast(t('reportSent'));
      if (this.options.onSubmitted) this.options.onSubmitted(answer);
    } catch (e) {
      if (e instanceof ApiError && e.body && Array.isArray(e.body.problems)) {
        for (const p of e.body.problems) this.showProblem(p.field, p.message);
      }
      this.status(failureContent(e), 'error');
      this.refreshEnabled();
    }
  }
}
