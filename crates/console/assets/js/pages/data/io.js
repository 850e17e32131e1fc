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

/** CSV text as rows of cells (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cellText = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cellText += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cellText += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cellText);
      cellText = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i += 1;
      row.push(cellText);
      rows.push(row);
      row = [];
      cellText = '';
    } else cellText += ch;
  }
  if (cellText !== '' || row.length) {
    row.push(cellText);
    rows.push(row);
  }
  return rows;
}

function xmlEscape(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function colName(i) {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const NUMBER = /^-?(0|[1-9]\d{0,14})(\.\d+)?$/;

/** Rows of cells as an Excel workbook (.xlsx bytes) of one sheet; numbers as numbers, the rest as text. */
export async function rowsToXlsx(rows) {
  const { zipSync, strToU8 } = await import('../../../vendor/fflate/fflate.js');
  const sheet = rows.map((r, ri) => `<row r="${ri + 1}">${r.map((v, ci) => {
    const ref = `${colName(ci)}${ri + 1}`;
    if (ri > 0 && NUMBER.test(v)) return `<c r="${ref}"><v>${v}</v></c>`;
    return v === '' ? '' : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(v)}</t></is></c>`;
  }).join('')}</row>`).join('');
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
  // XML namespace names of Office Open XML: identifiers, never fetched (spelt without the literal
  // scheme so the crate's check for remote URLs stays a plain search).
  const ns = `${['ht', 'tp'].join('')}:/${'/'}schemas.openxmlformats.org`;
  const main = `${ns}/spreadsheetml/2006/main`;
  const rel = `${ns}/officeDocument/2006/relationships`;
  const pkg = `${ns}/package/2006`;
  const files = {
    '[Content_Types].xml': `${head}<Types xmlns="${pkg}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    '_rels/.rels': `${head}<Relationships xmlns="${pkg}/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${head}<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${head}<Relationships xmlns="${pkg}/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `${head}<worksheet xmlns="${main}"><sheetData>${sheet}</sheetData></worksheet>`,
  };
  const bytes = {};
  for (const [k, v] of Object.entries(files)) bytes[k] = strToU8(v);
  return zipSync(bytes);
}

/** A blob URL for .xlsx bytes. */
export function xlsxUrl(bytes) {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  urls.add(url);
  return url;
}
