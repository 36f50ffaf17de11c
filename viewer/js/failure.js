// A failure as the user reads it: one sentence in their language, and apart from it, smaller,
// the hub's own words (English, for whoever looks after the hub). Never the two run together.
import { ApiError } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

const SENTENCE_BY_STATUS = { 400: 'refused', 401: 'badCredentials', 403: 'forbidden', 404: 'notFound', 409: 'conflict', 422: 'refused' };

export function explain(e) {
  if (e instanceof ApiError) {
    return { sentence: t(SENTENCE_BY_STATUS[e.status] || (e.status >= 500 ? 'hubFailed' : 'error')), detail: e.message };
  }
  // fetch() rejects with a TypeError when the hub cannot be reached at all.
  if (e instanceof TypeError && /fetch|network/i.test(e.message)) return { sentence: t('unreachable'), detail: e.message };
  return { sentence: t('error'), detail: e && e.message ? e.message : String(e) };
}

// Children for a message element: the sentence, then the detail on a smaller line.
export function failureContent(e) {
  const { sentence, detail } = explain(e);
  return [h('span', { class: 'failure-sentence' }, sentence),
    detail && detail !== sentence ? h('small', { class: 'failure-detail', lang: 'en' }, detail) : null];
}
