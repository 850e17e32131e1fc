// Files in and out of the data pages: writes with If-Match and raw bodies, CSV text, Excel (.xlsx)
// sheets read in the browser (fflate unzips, DOMParser reads the sheet XML), downloads as blobs.
import { ApiError } from '../../api.js';

const CSRF_KEY = 'wuliu.csrf';

/**
 * A request to the API with extra headers and a raw body (a CSV file) or JSON. Returns the parsed
 * answer; throws ApiError (status, code, message, violations).
 */
export async function send(path, { method = 'GET', json, raw, type, headers = {} } = {}) {
  const h = Object.assign({ Accept: 'application/json' }, headers);
  let body;
  if (json !== undefined) {
    h['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (raw !== undefined) {
    h['Content-Type'] = type || 'application/octet-stream';
    body = raw;
  }
  if (method !== 'GET') {
    const csrf = sessionStorage.getItem(CSRF_KEY);
    if (csrf) h['X-CSRF-Token'] = csrf;
  }
  let res;
  try {
    res = await fetch(path, { method, headers: h, body, credentials: 'same-origin', cache: 'no-store' });
  } catch (err) {
    throw new ApiError(0, 'network', String((err && err.message) || err));
  }
  let data = null;
  const text = await res.text();
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!res.ok) {
    const e = data && data.error;
    throw new ApiError(res.status, (e && e.code) || `http.${res.status}`, (e && e.message) || res.statusText, e && e.violations);
  }
  return data;
}

/** One CSV cell, quoted when needed. */
function cell(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows (arrays of cells) as CSV text. */
export function toCsv(rows) {
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const urls = new Set();
/** A blob URL for `text` (UTF-8 with a byte-order mark, so Excel reads the Chinese). */
export function csvUrl(text) {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  urls.add(url);
  return url;
}

/** Revokes the blob URLs made for downloads (on page change). */
export function revokeUrls() {
  for (const u of urls) URL.revokeObjectURL(u);
  urls.clear();
}

/** Starts the download of `url` as `name`. */
export function download(url, name) {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** The import report (the API's `rows`) as CSV: one line per problem, accepted rows on one line. */
export function reportCsv(report) {
  const rows = [['row', 'line', 'outcome', 'id', 'field', 'code', 'message']];
  for (const r of report.rows || []) {
    if (r.errors && r.errors.length) {
      for (const e of r.errors) rows.push([r.row, r.line ?? '', r.outcome, r.id || '', e.field || '', e.code || '', e.message || '']);
    } else {
      rows.push([r.row, r.line ?? '', r.outcome, r.id || '', '', '', '']);
    }
  }
  return toCsv(rows);
}

function colIndex(ref) {
  let n = 0;
  for (const ch of ref.replace(/[0-9]/g, '')) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function parseXml(files, name) {
  const bytes = files[name];
  if (!bytes) return null;
  return new DOMParser().parseFromString(new TextDecoder('utf-8').decode(bytes), 'application/xml');
}

function all(doc, tag) {
  return doc ? [...doc.getElementsByTagNameNS('*', tag)] : [];
}

function textOf(el) {
  return all(el, 't').map((x) => x.textContent).join('');
}

/** The first sheet's path inside the .xlsx (through the workbook's relationships). */
function firstSheet(files) {
  const wb = parseXml(files, 'xl/workbook.xml');
  const rels = parseXml(files, 'xl/_rels/workbook.xml.rels');
  const sheet = all(wb, 'sheet')[0];
  if (sheet && rels) {
    const rid = sheet.getAttribute('r:id') || [...sheet.attributes].find((a) => a.localName === 'id')?.value;
    const rel = all(rels, 'Relationship').find((r) => r.getAttribute('Id') === rid);
    if (rel) {
      const target = rel.getAttribute('Target').replace(/^\//, '');
      return target.startsWith('xl/') ? target : `xl/${target}`;
    }
  }
  return 'xl/worksheets/sheet1.xml';
}

/**
 * An Excel workbook (`ArrayBuffer` of an .xlsx) as CSV text of its first sheet. Numbers are kept as
 * written in the file; text cells (shared or inline) as text.
 */
export async function xlsxToCsv(buffer) {
  const { unzipSync } = await import('../../../vendor/fflate/fflate.js');
  const files = unzipSync(new Uint8Array(buffer));
  const shared = all(parseXml(files, 'xl/sharedStrings.xml'), 'si').map(textOf);
  const sheet = parseXml(files, firstSheet(files));
  if (!sheet) throw new Error('no worksheet in the .xlsx file');
  const rows = [];
  for (const row of all(sheet, 'row')) {
    const r = Number(row.getAttribute('r') || rows.length + 1) - 1;
    const cells = [];
    let next = 0;
    for (const c of all(row, 'c')) {
      const ref = c.getAttribute('r');
      const i = ref ? colIndex(ref) : next;
      next = i + 1;
      const type = c.getAttribute('t');
      const v = all(c, 'v')[0];
      let value = v ? v.textContent : '';
      if (type === 's') value = shared[Number(value)] ?? '';
      else if (type === 'inlineStr') value = textOf(c);
      else if (type === 'b') value = value === '1' ? 'true' : 'false';
      cells[i] = value;
    }
    rows[r] = cells;
  }
  const width = Math.max(0, ...rows.filter(Boolean).map((r) => r.length));
  const dense = [];
  for (const r of rows) {
    const line = Array.from({ length: width }, (_, i) => (r && r[i] !== undefined ? r[i] : ''));
    if (line.some((x) => x !== '')) dense.push(line);
  }
  return toCsv(dense);
}
