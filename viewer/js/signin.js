import { signIn } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

// The sign-in form; credentials are checked by the first API call after it.
export function renderSignIn(onSignedIn, message) {
  const name = h('input', { id: 'signin-user', name: 'user', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', {
    class: 'signin',
    onsubmit: async (event) => {
      event.preventDefault();
      signIn(name.value.trim(), password.value);
      await onSignedIn();
    },
  },
  h('h1', {}, t('signInTitle')),
  message ? h('p', { class: 'error', role: 'alert', id: 'signin-error' }, message) : null,
  h('label', {}, t('user'), name),
  h('label', {}, t('password'), password),
  h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, t('signIn')));
  return form;
}
