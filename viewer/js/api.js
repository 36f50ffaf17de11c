// The hub's REST API as the viewer uses it. Credentials live in sessionStorage only (gone when
// the tab closes) and travel as HTTP Basic on every request, images included (fetched as
// blobs, since an <img> cannot carry an Authorization header).
const TOKEN = 'relais.token';
const USER = 'relais.user';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function signIn(name, password) {
  const bytes = new TextEncoder().encode(`${name}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  sessionStorage.setItem(TOKEN, btoa(binary));
  sessionStorage.setItem(USER, name);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(USER);
}

export function signedIn() {
  return sessionStorage.getItem(TOKEN) !== null;
}

export function userName() {
  return sessionStorage.getItem(USER) || '';
}

function headers(extra = {}) {
  const h = { ...extra };
  const token = sessionStorage.getItem(TOKEN);
  if (token) h.Authorization = `Basic ${token}`;
  return h;
}

async function failure(response) {
  let body = null;
  let message = `${response.status} ${response.statusText}`;
  try {
    body = await response.json();
    if (body && body.error) message = body.error;
  } catch (_) {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, message, body);
}

export async function request(method, path, body) {
  // credentials 'omit': our Authorization header still goes, but a 401 answer (which carries
  // a Basic challenge) must not make the browser pop up its own password dialog.
  const init = { method, credentials: 'omit', headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body === undefined ? {} : body);

// A rendered frame as an object URL. The browser's HTTP cache still applies (the answers are
// private, immutable and carry an ETag), so revisiting a frame costs no transfer.
export async function frameUrl(instanceId, frame, params, signal) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  }
  const path = `/relais/v1/instances/${encodeURIComponent(instanceId)}/frames/${frame}/rendered?${query}`;
  const response = await fetch(path, { headers: headers(), credentials: 'omit', signal });
  if (!response.ok) throw await failure(response);
  return URL.createObjectURL(await response.blob());
}

export function instanceFacts(instanceId) {
  return get(`/relais/v1/instances/${encodeURIComponent(instanceId)}/rendering`);
}

// Tolerant readers: lists may come bare or wrapped ({"cases": [...]}).
export function asList(value, key) {
  if (Array.isArray(value)) return value;
  if (value && Array.isArray(value[key])) return value[key];
  if (value && Array.isArray(value.items)) return value.items;
  return [];
}
