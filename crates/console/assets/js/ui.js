// Small DOM helpers: elements are built with textContent (never innerHTML with data), charts are
// tracked so a page change disposes them.
import { t } from './i18n.js';
import { ApiError } from './api.js';

/**
 * `h('div', {class: 'card', dataset: {metric: 'x'}, onclick: f}, child, 'text', [more])`.
 * Attribute values that are null/undefined/false are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style') Object.assign(el.style, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Removes every child of `el`. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

const charts = new Set();
/** An ECharts instance on `el` with `option`; disposed by `disposeCharts` on page change. */
export function chart(el, option) {
  if (!window.echarts) {
    el.appendChild(noData(t('common.charts_unavailable')));
    return null;
  }
  const c = window.echarts.init(el, null, { renderer: 'canvas' });
  c.setOption(option);
  charts.add(c);
  return c;
}

export function disposeCharts() {
  for (const c of charts) c.dispose();
  charts.clear();
}

let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => charts.forEach((c) => c.resize()), 100);
});

/** The "no data" state: a box saying 暂无数据 / No data, with an optional explanation. */
export function noData(detail) {
  return h('div', { class: 'nodata' }, h('strong', { text: t('common.no_data') }),
    detail ? h('span', { text: detail }) : null);
}

/** An error box for an API error (localised title by status plus the server's message). */
export function errorBox(err) {
  if (err instanceof ApiError && err.missing) return noData(t('common.endpoint_missing'));
  return h('div', { class: 'error', role: 'alert' }, errorText(err));
}

/** One line saying what went wrong, in the current language. */
export function errorText(err) {
  if (err instanceof ApiError) {
    const key = `error.http_${err.status}`;
    const title = t.has(key) ? t(key) : t('error.generic');
    const parts = [title];
    if (err.violations && err.violations.length) {
      parts.push(err.violations.map((v) => `${v.field}: ${v.message}`).join('; '));
    } else if (err.message) {
      parts.push(err.message);
    }
    return parts.join(t('common.colon'));
  }
  return `${t('error.generic')}${t('common.colon')}${(err && err.message) || err}`;
}

/** A brief message at the bottom of the screen. */
export function toast(text, kind = 'ok') {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.className = `toast toast-${kind}`;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 4000);
}

/** A progress bar for a fraction 0..1 (null: no data). */
export function progressBar(fraction, status) {
  if (fraction === null || fraction === undefined) {
    return h('span', { class: 'muted', text: t('common.dash') });
  }
  const pct = Math.max(0, Math.min(1, fraction)) * 100;
  const bar = h('span', { class: `bar bar-${status || 'on_track'}` });
  bar.style.width = `${pct.toFixed(1)}%`;
  return h('span', { class: 'progress', title: `${pct.toFixed(1)}%` },
    h('span', { class: 'track' }, bar), h('span', { class: 'progress-num', text: `${pct.toFixed(0)}%` }));
}

/** A coloured badge. */
export function badge(text, kind) {
  return h('span', { class: `badge badge-${kind}`, text });
}

/** A card with a title and body. */
export function card(title, ...body) {
  return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title', text: title }) : null, ...body);
}

/** A table: `cols` = [{ label, cls }], `rows` = arrays of cells (strings or nodes). */
export function table(cols, rows, attrs) {
  return h('div', { class: 'table-wrap' },
    h('table', Object.assign({ class: 'table' }, attrs || {}),
      h('thead', null, h('tr', null, cols.map((c) => h('th', { class: c.cls || null, text: c.label })))),
      h('tbody', null, rows)));
}

/** A `<select>` of [value, label] options. */
export function select(options, value, attrs) {
  return h('select', attrs, options.map(([v, label]) => h('option', { value: v, selected: v === value, text: label })));
}

/** Today's Beijing calendar day, YYYY-MM-DD. */
export function beijingToday() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

/** A labelled form field. */
export function field(label, input) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label', text: label }), input);
}

/** Adds a page's own stylesheet (`/assets/css/<name>.css`) to the document once. */
export function loadCss(name) {
  const href = `/assets/css/${name}.css`;
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.appendChild(h('link', { rel: 'stylesheet', href }));
}

/** The Leaflet map tiles of the deployment (`/assets/config.json`), fetched once. */
let configPromise = null;
export function consoleConfig() {
  if (!configPromise) configPromise = fetch('/assets/config.json').then((r) => r.json()).catch(() => ({}));
  return configPromise;
}
