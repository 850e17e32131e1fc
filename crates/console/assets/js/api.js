// The platform's API as the console uses it: same-origin fetch with the session cookie, the CSRF
// token on writes, and errors turned into ApiError with the server's message.

const CSRF_KEY = 'wuliu.csrf';
const USER_KEY = 'wuliu.user';

/** An API error: HTTP status, the error's stable code and its message (and violations). */
export class ApiError extends Error {
  constructor(status, code, message, violations) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.violations = violations || [];
  }
  /** The endpoint does not exist (yet) on this server: the page shows "no data". */
  get missing() {
    return this.status === 404 || this.status === 405 || this.status === 501;
  }
}

/** The logged-in user as the login returned it, or null. */
export function savedUser() {
  try {
    return JSON.parse(sessionStorage.getItem(USER_KEY) || 'null');
  } catch {
    return null;
  }
}

export function saveLogin(body) {
  sessionStorage.setItem(CSRF_KEY, body.csrf_token || '');
  sessionStorage.setItem(USER_KEY, JSON.stringify({
    user: body.user, role: body.role, party_id: body.party_id || null, region: body.region,
  }));
}

export function clearLogin() {
  sessionStorage.removeItem(CSRF_KEY);
  sessionStorage.removeItem(USER_KEY);
}

let onUnauthorized = () => {};
/** Called when the API answers 401 to a logged-in page (the session expired or was revoked). */
export function setUnauthorizedHandler(f) {
  onUnauthorized = f;
}

async function errorOf(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const e = body && body.error;
  return new ApiError(res.status, (e && e.code) || `http.${res.status}`,
    (e && e.message) || res.statusText || `HTTP ${res.status}`, e && e.violations);
}

/**
 * Calls the API. `method` defaults to GET; a `body` is sent as JSON. Returns the parsed JSON (null for
 * 204). Throws ApiError.
 */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = sessionStorage.getItem(CSRF_KEY);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res;
  try {
    res = await fetch(path, {
      method, headers, signal, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', String((err && err.message) || err));
  }
  if (!res.ok) {
    const e = await errorOf(res);
    if (res.status === 401 && path !== '/api/v1/login') onUnauthorized(e);
    throw e;
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/** Like `api` but a missing endpoint (404) gives `null` instead of an error. */
export async function apiOrNull(path, opts) {
  try {
    return await api(path, opts);
  } catch (e) {
    if (e instanceof ApiError && e.missing) return null;
    throw e;
  }
}
