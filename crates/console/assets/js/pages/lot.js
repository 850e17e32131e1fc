// 冷链批次与账本核验 Cold-chain lot explorer: a lot's history as a timeline (EPCIS events: what,
// where, when, who, custody hand-overs), its temperature chart with the allowed band and excursions,
// and the verification of its ledger bundle IN THE BROWSER (ledgerverify.js: leaf hashes, inclusion
// proofs, Ed25519 signatures by WebCrypto; the server's own verdict is never asked). A buyer opens
// it without a login from the lot's QR code (`#/lot?id=<lot>&share=<code>`); logged-in users also
// see the lots they may read. `#/lot?mode=upload` checks a bundle file offline.
import { t, addStrings, fmtDateTime, fmtNum } from '../i18n.js';
import { api, apiOrNull, ApiError } from '../api.js';
import { h, clear, card, chart, noData, errorBox, errorText, badge, select, field, loadCss } from '../ui.js';
import { verifyBundle, fingerprint, keyId, identifierKey, ed25519Supported } from '../ledgerverify.js';
import qrcode from '../../vendor/qrcode/qrcode.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "lot.title": "冷链批次与账本核验",
    "lot.subtitle": "扫码查看批次的全程记录，并在浏览器里自行核验账本证明，不必信任服务器。",
    "lot.search_label": "批次标识",
    "lot.search_placeholder": "例如 urn:epc:class:lgtin:6901234.054321.LZ26A01",
    "lot.open": "查看",
    "lot.mode_lot": "查看批次",
    "lot.mode_upload": "核验上传的证明包",
    "lot.recent": "我可查看的批次",
    "lot.recent_none": "账本中暂无您可查看的批次。",
    "lot.recent_events": "{n} 条事件，最近 {time}",
    "lot.need_share": "请扫描批次二维码（含分享码）打开，或登录后查看。",
    "lot.not_found": "找不到该批次，或分享码不对。",
    "lot.verdict": "核验结果",
    "lot.verified": "已核验",
    "lot.failed": "核验失败",
    "lot.verifying": "正在核验…",
    "lot.verified_detail": "{n} 条事件全部在账本中且未被篡改，树头签名有效，批次链完整。",
    "lot.failed_detail": "{bad} / {n} 条事件未通过，共 {f} 个问题。",
    "lot.failed_event": "事件 {id}（{step}，{time}）",
    "lot.failures": "问题",
    "lot.bundle_level": "整体",
    "lot.no_ed25519": "此浏览器不支持 WebCrypto Ed25519，无法核验签名。",
    "lot.tree_head": "签名树头",
    "lot.tree_size": "树大小",
    "lot.root_hash": "根哈希",
    "lot.signed_at": "签名时间",
    "lot.key_id": "公钥 ID",
    "lot.fingerprint": "公钥指纹",
    "lot.signature_ok": "签名有效",
    "lot.signature_bad": "签名无效",
    "lot.server_key_same": "与本服务器公布的公钥一致（同一来源，并非独立核对）",
    "lot.server_key_differs": "与本服务器公布的公钥不同！",
    "lot.trusted_key": "我信任的公钥（十六进制，可选）",
    "lot.trusted_key_hint": "粘贴从可信渠道（如监管部门公告）获得的账本公钥，核验将要求签名来自此公钥。",
    "lot.trusted_key_ok": "签名来自您信任的公钥",
    "lot.trusted_key_bad": "签名不是来自您信任的公钥",
    "lot.trusted_key_save": "使用此公钥",
    "lot.trusted_key_clear": "清除",
    "lot.timeline": "批次履历",
    "lot.event_ok": "已核验",
    "lot.event_bad": "未通过",
    "lot.where": "地点",
    "lot.who": "记录方",
    "lot.custody_to": "交接给 {party}（{kind}）",
    "lot.custody_from": "来自 {party}（{kind}）",
    "lot.kind.owning_party": "所有权",
    "lot.kind.possessing_party": "实际占有",
    "lot.kind.location": "地点",
    "lot.readings": "{n} 个温度读数，{min}～{max} °C",
    "lot.leaf": "叶 #{n}",
    "lot.product": "品名",
    "lot.temperature": "温度记录",
    "lot.class": "温度类别",
    "lot.class.chilled": "冷鲜 0～4 °C",
    "lot.class.frozen": "冷冻 ≤ −18 °C",
    "lot.class.refrigerated": "冷藏 0～10 °C",
    "lot.class.ice_temperature": "冰温 −2～2 °C",
    "lot.class.ultra_low": "超低温 ≤ −50 °C",
    "lot.class.controlled_ambient": "控温 10～25 °C",
    "lot.band": "允许范围",
    "lot.excursion": "超温",
    "lot.excursions": "超出范围 {n} 次，共 {min} 分钟",
    "lot.no_excursion": "全程在允许范围内",
    "lot.no_readings": "该批次没有温度读数。",
    "lot.unverified_readings": "注意：部分读数所在事件未通过核验。",
    "lot.qr": "批次二维码",
    "lot.qr_hint": "扫码即可在手机上查看并核验此批次（无需登录）。",
    "lot.qr_none": "登录并有权查看此批次的用户可生成二维码。",
    "lot.print": "打印",
    "lot.upload_title": "核验证明包",
    "lot.upload_hint": "粘贴或选择从账本导出的 JSON 证明包（GET /ledger/lots/{lot}/bundle），在本机离线核验。",
    "lot.upload_file": "选择文件",
    "lot.upload_text": "证明包 JSON",
    "lot.verify": "核验",
    "lot.upload_parse": "不是有效的 JSON：{reason}",
    "lot.step.commissioning": "生产赋码",
    "lot.step.shipping": "发货",
    "lot.step.transporting": "运输",
    "lot.step.arriving": "到达",
    "lot.step.departing": "出发",
    "lot.step.receiving": "收货",
    "lot.step.storing": "储存",
    "lot.step.packing": "装箱",
    "lot.step.unpacking": "拆箱",
    "lot.step.loading": "装车",
    "lot.step.unloading": "卸车",
    "lot.step.inspecting": "检验",
    "lot.step.sensor_reporting": "温度上报",
    "lot.step.creating_class_instance": "加工",
    "lot.step.accepting": "验收"
  },
  "en": {
    "lot.title": "Cold-chain lots and ledger proofs",
    "lot.subtitle": "Scan a lot to see its whole history and check the ledger's proofs yourself, in your browser, without trusting the server.",
    "lot.search_label": "Lot identifier",
    "lot.search_placeholder": "e.g. urn:epc:class:lgtin:6901234.054321.LZ26A01",
    "lot.open": "Open",
    "lot.mode_lot": "Lot",
    "lot.mode_upload": "Verify an uploaded bundle",
    "lot.recent": "Lots you may read",
    "lot.recent_none": "The ledger holds no lot you may read.",
    "lot.recent_events": "{n} events, latest {time}",
    "lot.need_share": "Open this page from the lot's QR code (it carries a share code), or log in.",
    "lot.not_found": "No such lot, or the share code is wrong.",
    "lot.verdict": "Verdict",
    "lot.verified": "Verified",
    "lot.failed": "Verification failed",
    "lot.verifying": "Verifying…",
    "lot.verified_detail": "All {n} events are in the ledger and unaltered, the tree head's signature is valid and the lot's chain is complete.",
    "lot.failed_detail": "{bad} of {n} events failed; {f} problems in all.",
    "lot.failed_event": "event {id} ({step}, {time})",
    "lot.failures": "Problems",
    "lot.bundle_level": "bundle",
    "lot.no_ed25519": "This browser's WebCrypto cannot verify Ed25519 signatures.",
    "lot.tree_head": "Signed tree head",
    "lot.tree_size": "Tree size",
    "lot.root_hash": "Root hash",
    "lot.signed_at": "Signed at",
    "lot.key_id": "Key ID",
    "lot.fingerprint": "Key fingerprint",
    "lot.signature_ok": "signature valid",
    "lot.signature_bad": "signature invalid",
    "lot.server_key_same": "Same as the key this server publishes (same source, not an independent check)",
    "lot.server_key_differs": "Differs from the key this server publishes!",
    "lot.trusted_key": "Public key I trust (hex, optional)",
    "lot.trusted_key_hint": "Paste the ledger's public key from a channel you trust (e.g. the regulator's notice); verification then requires signatures by that key.",
    "lot.trusted_key_ok": "Signed by the key you trust",
    "lot.trusted_key_bad": "Not signed by the key you trust",
    "lot.trusted_key_save": "Use this key",
    "lot.trusted_key_clear": "Clear",
    "lot.timeline": "History",
    "lot.event_ok": "verified",
    "lot.event_bad": "failed",
    "lot.where": "Where",
    "lot.who": "Recorded by",
    "lot.custody_to": "handed to {party} ({kind})",
    "lot.custody_from": "from {party} ({kind})",
    "lot.kind.owning_party": "ownership",
    "lot.kind.possessing_party": "possession",
    "lot.kind.location": "place",
    "lot.readings": "{n} temperature readings, {min} to {max} °C",
    "lot.leaf": "leaf #{n}",
    "lot.product": "Product",
    "lot.temperature": "Temperature",
    "lot.class": "Temperature class",
    "lot.class.chilled": "Chilled 0–4 °C",
    "lot.class.frozen": "Frozen ≤ −18 °C",
    "lot.class.refrigerated": "Refrigerated 0–10 °C",
    "lot.class.ice_temperature": "Ice temperature −2–2 °C",
    "lot.class.ultra_low": "Ultra-low ≤ −50 °C",
    "lot.class.controlled_ambient": "Controlled 10–25 °C",
    "lot.band": "Allowed band",
    "lot.excursion": "Excursion",
    "lot.excursions": "{n} excursions, {min} minutes out of range",
    "lot.no_excursion": "In range all the way",
    "lot.no_readings": "This lot has no temperature readings.",
    "lot.unverified_readings": "Note: some readings come from events that failed verification.",
    "lot.qr": "Lot QR code",
    "lot.qr_hint": "Scan to view and verify this lot on a phone (no login needed).",
    "lot.qr_none": "Users who may read this lot can make its QR code after logging in.",
    "lot.print": "Print",
    "lot.upload_title": "Verify a bundle",
    "lot.upload_hint": "Paste or choose a JSON bundle exported from the ledger (GET /ledger/lots/{lot}/bundle); it is checked here, offline.",
    "lot.upload_file": "Choose file",
    "lot.upload_text": "Bundle JSON",
    "lot.verify": "Verify",
    "lot.upload_parse": "Not valid JSON: {reason}",
    "lot.step.commissioning": "Commissioned",
    "lot.step.shipping": "Shipped",
    "lot.step.transporting": "In transport",
    "lot.step.arriving": "Arrived",
    "lot.step.departing": "Departed",
    "lot.step.receiving": "Received",
    "lot.step.storing": "Stored",
    "lot.step.packing": "Packed",
    "lot.step.unpacking": "Unpacked",
    "lot.step.loading": "Loaded",
    "lot.step.unloading": "Unloaded",
    "lot.step.inspecting": "Inspected",
    "lot.step.sensor_reporting": "Sensor report",
    "lot.step.creating_class_instance": "Processed",
    "lot.step.accepting": "Accepted"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const KEY_STORE = 'wuliu.lot.trusted_key';
/** Allowed bands (°C) of the ledger's temperature classes (crates/ledger/src/coldchain/classes.rs). */
const CLASSES = {
  chilled: [0, 4], frozen: [null, -18], refrigerated: [0, 10], ice_temperature: [-2, 2],
  ultra_low: [null, -50], controlled_ambient: [10, 25],
};

let state = { seq: 0 };

export function dispose() {
  state.seq += 1;
}

function short(s, n = 12) {
  const v = String(s || '');
  return v.length > n ? `${v.slice(0, n)}…` : v;
}

function bare(v) {
  // CBV values as bare words: urn:epcglobal:cbv:bizstep:shipping → shipping.
  const s = String(v || '');
  const m = s.match(/(?:cbv:[a-z]+:|cbv\/[A-Za-z]+-)([a-z_]+)$/);
  return m ? m[1] : s;
}

function stepName(step) {
  const s = bare(step);
  const key = `lot.step.${s}`;
  return t.has(key) ? t(key) : (s || t('common.dash'));
}

function kindName(kind) {
  const k = bare(kind);
  const key = `lot.kind.${k}`;
  return t.has(key) ? t(key) : k;
}

/** The lot's page URL at this server's origin (what the QR code encodes). */
export function lotUrl(id, share) {
  const q = new URLSearchParams({ id });
  if (share) q.set('share', share);
  return `${location.origin}/#/lot?${q.toString()}`;
}

/** The QR code's module matrix (rows of booleans) for `text`, error correction M. */
export function qrMatrix(text) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const rows = [];
  for (let r = 0; r < n; r += 1) {
    const row = [];
    for (let c = 0; c < n; c += 1) row.push(qr.isDark(r, c));
    rows.push(row);
  }
  return rows;
}

/** The QR code of `text` as an SVG element (one path; a 4-module quiet zone). */
function qrSvg(text) {
  const m = qrMatrix(text);
  const n = m.length;
  const size = n + 8;
  const NS = 'http' + '://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('class', 'lot-qr-svg');
  svg.setAttribute('role', 'img');
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.dataset.modules = String(n);
  const bg = document.createElementNS(NS, 'rect');
  bg.setAttribute('width', String(size));
  bg.setAttribute('height', String(size));
  bg.setAttribute('fill', '#fff');
  svg.appendChild(bg);
  let d = '';
  m.forEach((row, r) => row.forEach((dark, c) => {
    if (dark) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  }));
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.appendChild(path);
  return svg;
}

// --- reading the events ---

/** Temperature readings of an event: [{ time (ms), value (°C), low, high }]. */
function readingsOf(ev) {
  const out = [];
  for (const el of Array.isArray(ev.sensorElementList) ? ev.sensorElementList : []) {
    const meta = (el && el.sensorMetadata) || {};
    for (const r of Array.isArray(el && el.sensorReport) ? el.sensorReport : []) {
      if (!r || !/Temperature$/.test(String(r.type || ''))) continue;
      const f = String(r.uom || 'CEL') === 'FAH' ? (x) => (x - 32) * 5 / 9 : (x) => x;
      const num = (x) => (typeof x === 'number' ? f(x) : null);
      const value = num(r.value) ?? num(r.meanValue);
      const low = num(r.minValue) ?? value;
      const high = num(r.maxValue) ?? value;
      const time = Date.parse(r.time || meta.time || ev.eventTime);
      if (Number.isNaN(time) || (value === null && low === null && high === null)) continue;
      out.push({ time, value: value ?? (low + high) / 2, low, high });
    }
  }
  return out;
}

/** The temperature class the lot names (`ilmd` of its commissioning), if any. */
function lotClass(rows) {
  for (const r of rows) {
    const c = r.event && r.event.ilmd && r.event.ilmd['wuliu:temperatureClass'];
    if (c && CLASSES[c]) return c;
  }
  return null;
}

function productOf(rows) {
  for (const r of rows) {
    const p = r.event && r.event.ilmd && r.event.ilmd['wuliu:product'];
    if (p) return String(p);
  }
  return null;
}

/** Excursions of time-ordered `readings` outside [min, max]: [{ from, to }] (ms). */
function excursions(readings, [min, max]) {
  const out = [];
  let open = null;
  const outside = (r) => (max !== null && r.high > max) || (min !== null && r.low < min);
  for (const r of readings) {
    if (outside(r)) {
      if (!open) open = { from: r.time, to: r.time };
      else open.to = r.time;
    } else if (open) {
      open.to = r.time;
      out.push(open);
      open = null;
    }
  }
  if (open) out.push(open);
  return out;
}

// --- rendering ---

function verdictBox(result, bundleRows) {
  const bad = result.entries.filter((e) => !e.ok);
  const box = h('div', {
    class: `lot-verdict ${result.ok ? 'lot-verdict-ok' : 'lot-verdict-bad'}`, id: 'lot-verdict',
    dataset: { verdict: result.ok ? 'verified' : 'failed' }, role: 'status',
  },
  h('div', { class: 'lot-verdict-mark', text: result.ok ? '✓' : '✗' }),
  h('div', null,
    h('strong', { class: 'lot-verdict-title', text: result.ok ? t('lot.verified') : t('lot.failed') }),
    h('div', { class: 'lot-verdict-detail', text: result.ok
      ? t('lot.verified_detail', { n: result.entries.length })
      : t('lot.failed_detail', { bad: bad.length, n: result.entries.length, f: result.failures.length }) })));
  if (result.ok) return box;
  const list = h('ul', { class: 'lot-failures', id: 'lot-failures' });
  for (const f of result.failures) {
    const row = f.entry === null || f.entry === undefined ? null : bundleRows[f.entry];
    const ev = row && row.event;
    const where = ev
      ? t('lot.failed_event', { id: ev.eventID || `#${f.entry}`, step: stepName(ev.bizStep), time: fmtDateTime(ev.eventTime) })
      : t('lot.bundle_level');
    list.appendChild(h('li', { dataset: { code: f.code, entry: f.entry ?? '' } },
      h('code', { text: f.code }), ' ', h('strong', { text: where }), ' — ', f.reason));
  }
  box.appendChild(h('details', { class: 'lot-failures-wrap', open: true }, h('summary', { text: t('lot.failures') }), list));
  return box;
}

async function headCard(result, serverKey, onKey) {
  const fp = await fingerprint(result.publicKey);
  const stored = localStorage.getItem(KEY_STORE) || '';
  const input = h('input', { id: 'lot-trusted-key', class: 'lot-key-input', value: stored, spellcheck: 'false', placeholder: '64 hex', autocomplete: 'off' });
  const keyLines = [];
  if (result.keyPinned) {
    keyLines.push(badge(result.keyTrusted ? t('lot.trusted_key_ok') : t('lot.trusted_key_bad'), result.keyTrusted ? 'ok' : 'bad'));
  }
  if (serverKey) {
    const same = serverKey.toLowerCase() === String(result.publicKey || '').toLowerCase();
    keyLines.push(h('div', { class: same ? 'muted small' : 'lot-warn', id: 'lot-server-key', dataset: { same: same ? 'yes' : 'no' },
      text: same ? t('lot.server_key_same') : t('lot.server_key_differs') }));
  }
  return card(t('lot.tree_head'),
    h('dl', { class: 'kv lot-kv' },
      h('dt', { text: t('lot.tree_size') }), h('dd', { text: fmtNum(result.treeSize) }),
      h('dt', { text: t('lot.signed_at') }), h('dd', { text: result.timestampMs ? fmtDateTime(new Date(result.timestampMs).toISOString()) : t('common.dash') }),
      h('dt', { text: t('lot.root_hash') }), h('dd', null, h('code', { class: 'lot-hash', text: result.rootHash || '' })),
      h('dt', { text: t('lot.key_id') }), h('dd', null, h('code', { id: 'lot-key-id', text: result.keyId || '' }), ' ',
        badge(result.signatureOk ? t('lot.signature_ok') : t('lot.signature_bad'), result.signatureOk ? 'ok' : 'bad')),
      h('dt', { text: t('lot.fingerprint') }), h('dd', null, h('code', { class: 'lot-hash', id: 'lot-fingerprint', text: fp }))),
    ...keyLines,
    h('div', { class: 'lot-key-form' },
      field(t('lot.trusted_key'), input),
      h('div', { class: 'lot-key-actions' },
        h('button', { type: 'button', class: 'btn btn-small', id: 'lot-trusted-save', text: t('lot.trusted_key_save'),
          onclick: () => { localStorage.setItem(KEY_STORE, input.value.trim()); onKey(); } }),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', text: t('lot.trusted_key_clear'),
          onclick: () => { localStorage.removeItem(KEY_STORE); onKey(); } }))),
    h('p', { class: 'muted small', text: t('lot.trusted_key_hint') }));
}

function timelineCard(rows) {
  const items = rows.map((row) => {
    const ev = row.event || {};
    const rec = ev['wuliu:record'] || {};
    const by = rec.capturedBy ? `${rec.capturedBy.party || t('common.dash')} · ${rec.capturedBy.role || ''}` : t('common.dash');
    const where = (ev.bizLocation && ev.bizLocation.id) || (ev.readPoint && ev.readPoint.id) || t('common.dash');
    const custody = [];
    for (const s of Array.isArray(ev.sourceList) ? ev.sourceList : []) {
      if (/party$/.test(bare(s.type))) custody.push(t('lot.custody_from', { party: s.source, kind: kindName(s.type) }));
    }
    for (const d of Array.isArray(ev.destinationList) ? ev.destinationList : []) {
      if (/party$/.test(bare(d.type))) custody.push(t('lot.custody_to', { party: d.destination, kind: kindName(d.type) }));
    }
    const temps = readingsOf(ev);
    const tempLine = temps.length ? t('lot.readings', {
      n: temps.length, min: fmtNum(Math.min(...temps.map((x) => x.low)), 1), max: fmtNum(Math.max(...temps.map((x) => x.high)), 1),
    }) : null;
    return h('li', {
      class: `lot-event ${row.ok ? 'lot-event-ok' : 'lot-event-bad'}`,
      dataset: { ok: row.ok ? 'yes' : 'no', leafHash: row.leafHash, leafIndex: String(row.leafIndex), eventId: ev.eventID || '' },
    },
    h('span', { class: 'lot-event-mark', title: row.ok ? t('lot.event_ok') : t('lot.event_bad'), text: row.ok ? '✓' : '✗' }),
    h('div', { class: 'lot-event-body' },
      h('div', { class: 'lot-event-head' },
        h('strong', { text: stepName(ev.bizStep) }),
        ev.disposition ? h('span', { class: 'muted', text: ` · ${bare(ev.disposition)}` }) : null,
        h('time', { class: 'lot-event-time', text: fmtDateTime(ev.eventTime) })),
      h('div', { class: 'lot-event-line' }, h('span', { class: 'muted', text: `${t('lot.where')}${t('common.colon')}` }), where),
      h('div', { class: 'lot-event-line' }, h('span', { class: 'muted', text: `${t('lot.who')}${t('common.colon')}` }), by),
      custody.map((c) => h('div', { class: 'lot-event-custody', text: c })),
      tempLine ? h('div', { class: 'lot-event-line', text: tempLine }) : null,
      h('div', { class: 'lot-event-proof muted small' },
        h('span', { text: t('lot.leaf', { n: row.leafIndex }) }), ' ',
        h('code', { title: row.leafHash, text: short(row.leafHash, 16) })),
      row.ok ? null : h('ul', { class: 'lot-event-failures' }, row.failures.map((f) => h('li', null, h('code', { text: f.code }), ' ', f.reason)))));
  });
  return card(t('lot.timeline'), h('ol', { class: 'lot-timeline', id: 'lot-timeline' }, items));
}

function temperatureCard(rows) {
  const readings = [];
  let unverified = false;
  for (const r of rows) {
    if (!r.event) continue;
    const rs = readingsOf(r.event);
    if (rs.length && !r.ok) unverified = true;
    readings.push(...rs);
  }
  readings.sort((a, b) => a.time - b.time);
  const body = h('div', { class: 'lot-temp' });
  const wrap = card(t('lot.temperature'), body);
  if (!readings.length) {
    body.appendChild(noData(t('lot.no_readings')));
    return { el: wrap, draw: () => {} };
  }
  const initial = lotClass(rows) || 'chilled';
  const sel = select(Object.keys(CLASSES).map((c) => [c, t(`lot.class.${c}`)]), initial, { id: 'lot-class' });
  const summary = h('div', { class: 'lot-excursions', id: 'lot-excursions' });
  const plot = h('div', { class: 'chart chart-md lot-chart', id: 'lot-chart' });
  body.append(h('div', { class: 'lot-temp-tools' }, field(t('lot.class'), sel), summary), plot);
  if (unverified) body.appendChild(h('p', { class: 'lot-warn', text: t('lot.unverified_readings') }));
  let instance = null;
  const draw = () => {
    const band = CLASSES[sel.value];
    const ex = excursions(readings, band);
    const minutes = Math.round(ex.reduce((a, e) => a + (e.to - e.from), 0) / 60000);
    summary.dataset.count = String(ex.length);
    summary.dataset.minutes = String(minutes);
    clear(summary).appendChild(ex.length
      ? badge(t('lot.excursions', { n: ex.length, min: minutes }), 'bad')
      : badge(t('lot.no_excursion'), 'ok'));
    const values = readings.map((r) => r.value);
    const lo = Math.min(...values, band[0] ?? Infinity, band[1] ?? Infinity);
    const hi = Math.max(...values, band[1] ?? -Infinity, band[0] ?? -Infinity);
    const pad = Math.max(1, (hi - lo) * 0.15);
    const yMin = Math.floor(lo - pad);
    const yMax = Math.ceil(hi + pad);
    const option = {
      animation: false,
      grid: { left: 44, right: 16, top: 28, bottom: 36 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${fmtNum(v, 1)} °C` },
      xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', name: '°C', min: yMin, max: yMax },
      series: [{
        name: t('lot.temperature'), type: 'line', showSymbol: readings.length < 60, symbolSize: 4,
        data: readings.map((r) => [r.time, r.value]), lineStyle: { width: 2, color: '#2563eb' }, itemStyle: { color: '#2563eb' },
        markArea: {
          silent: true,
          data: [
            [{ name: t('lot.band'), yAxis: band[0] ?? yMin, itemStyle: { color: 'rgba(22,163,74,0.10)' }, label: { color: '#15803d', position: 'insideTopLeft' } },
              { yAxis: band[1] ?? yMax }],
            ...ex.map((e) => [{ name: t('lot.excursion'), xAxis: e.from, itemStyle: { color: 'rgba(220,38,38,0.22)' }, label: { color: '#b91c1c' } },
              { xAxis: e.to === e.from ? e.from + 60000 : e.to }]),
          ],
        },
        markLine: {
          silent: true, symbol: 'none', lineStyle: { color: '#15803d', type: 'dashed' }, label: { formatter: '{c} °C' },
          data: band.filter((b) => b !== null).map((b) => ({ yAxis: b })),
        },
      }],
    };
    if (instance) instance.setOption(option, true);
    else instance = chart(plot, option);
  };
  sel.addEventListener('change', draw);
  return { el: wrap, draw };
}

function qrCard(id, share) {
  if (!share) return card(t('lot.qr'), h('p', { class: 'muted', text: t('lot.qr_none') }));
  const url = lotUrl(id, share);
  const svg = qrSvg(url);
  const box = h('div', { class: 'lot-qr', id: 'lot-qr', dataset: { url } });
  box.appendChild(svg);
  return h('section', { class: 'card lot-qr-card' },
    h('h2', { class: 'card-title', text: t('lot.qr') }),
    box,
    h('div', { class: 'lot-qr-id', text: id }),
    h('p', { class: 'muted small lot-qr-hint', text: t('lot.qr_hint') }),
    h('div', { class: 'lot-qr-url small' }, h('a', { href: url, id: 'lot-qr-link', text: url })),
    h('button', { type: 'button', class: 'btn btn-small lot-print', id: 'lot-print', text: t('lot.print'), onclick: () => window.print() }));
}

/** Verifies `bundle` and renders verdict, tree head, timeline, chart (and the QR card) into `out`. */
async function showBundle(out, bundle, { expectedSubject, serverKey, qr, isCurrent }) {
  const seq = state.seq;
  clear(out).appendChild(h('div', { class: 'lot-verdict', dataset: { verdict: 'pending' }, text: t('lot.verifying') }));
  const trusted = (localStorage.getItem(KEY_STORE) || '').trim() || null;
  let result;
  if (!(await ed25519Supported())) {
    clear(out).appendChild(h('div', { class: 'error', id: 'lot-verdict', dataset: { verdict: 'failed' }, text: t('lot.no_ed25519') }));
    return;
  }
  result = await verifyBundle(bundle, { trustedKeyHex: trusted, expectedSubject });
  if (seq !== state.seq || !isCurrent()) return;
  const rows = result.entries;
  const temp = temperatureCard(rows);
  const product = productOf(rows);
  const again = () => showBundle(out, bundle, { expectedSubject, serverKey, qr, isCurrent });
  clear(out).append(
    h('div', { class: 'lot-subject' },
      h('code', { class: 'lot-subject-id', id: 'lot-subject', text: result.subject }),
      product ? h('span', { class: 'lot-product', text: `${t('lot.product')}${t('common.colon')}${product}` }) : null),
    verdictBox(result, rows),
    h('div', { class: 'lot-grid' },
      h('div', { class: 'lot-main' }, temp.el, timelineCard(rows)),
      h('div', { class: 'lot-side' }, qr || null, await headCard(result, serverKey, again))));
  temp.draw();
}

async function recentLots(me) {
  const res = await api('/epcis/events?limit=500');
  const lots = new Map();
  for (const e of (res && res.events) || []) {
    const ev = e.event || {};
    for (const q of Array.isArray(ev.quantityList) ? ev.quantityList : []) {
      if (!q || !q.epcClass) continue;
      const cur = lots.get(q.epcClass) || { id: q.epcClass, n: 0, last: '' };
      cur.n += 1;
      if (String(ev.eventTime) > cur.last) cur.last = ev.eventTime;
      lots.set(q.epcClass, cur);
    }
  }
  const list = [...lots.values()].sort((a, b) => (a.last < b.last ? 1 : -1)).slice(0, 20);
  if (!list.length) return card(t('lot.recent'), noData(t('lot.recent_none')));
  return card(t('lot.recent'), h('ul', { class: 'lot-recent', id: 'lot-recent', dataset: { party: me.party_id || '' } },
    list.map((l) => h('li', null,
      h('a', { href: `#/lot?${new URLSearchParams({ id: l.id })}`, dataset: { lot: l.id }, text: l.id }),
      h('span', { class: 'muted small', text: t('lot.recent_events', { n: l.n, time: fmtDateTime(l.last) }) })))));
}

function uploadView(out, ctx, serverKey) {
  const text = h('textarea', { id: 'lot-upload-text', class: 'lot-upload-text', rows: 8, spellcheck: 'false', placeholder: '{"format": "wuliu-ledger-bundle/2", …}' });
  const file = h('input', { type: 'file', id: 'lot-upload-file', accept: '.json,application/json' });
  const msg = h('div', { class: 'error hidden', role: 'alert', id: 'lot-upload-error' });
  const result = h('div', { id: 'lot-upload-result' });
  const run = async () => {
    msg.classList.add('hidden');
    let bundle;
    try {
      bundle = JSON.parse(text.value);
    } catch (e) {
      msg.textContent = t('lot.upload_parse', { reason: e.message });
      msg.classList.remove('hidden');
      return;
    }
    await showBundle(result, bundle, { expectedSubject: null, serverKey, qr: null, isCurrent: ctx.isCurrent });
  };
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    text.value = await f.text();
    await run();
  });
  out.append(card(t('lot.upload_title'),
    h('p', { class: 'muted', text: t('lot.upload_hint') }),
    h('div', { class: 'lot-upload' }, field(t('lot.upload_file'), file), field(t('lot.upload_text'), text)),
    h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn btn-primary', id: 'lot-upload-verify', text: t('lot.verify'), onclick: run })),
    msg), result);
}

async function lotView(out, ctx, id, serverKey) {
  const share = ctx.params.get('share');
  const enc = encodeURIComponent(id);
  if (!share && !ctx.me) {
    out.appendChild(h('div', { class: 'card', dataset: { state: 'need-share' } }, h('p', { text: t('lot.need_share') })));
    return;
  }
  let bundle;
  try {
    bundle = await api(`/ledger/lots/${enc}/bundle${share ? `?share=${encodeURIComponent(share)}` : ''}`);
  } catch (e) {
    out.appendChild(e instanceof ApiError && e.status === 404
      ? h('div', { class: 'card', dataset: { state: 'not-found' } }, h('p', { text: t('lot.not_found') }), h('p', { class: 'muted small', text: errorText(e) }))
      : errorBox(e));
    return;
  }
  let code = share;
  if (!code && ctx.me) {
    const s = await apiOrNull(`/ledger/lots/${enc}/share`).catch(() => null);
    code = s && s.share;
  }
  await showBundle(out, bundle, { expectedSubject: id, serverKey, qr: qrCard(id, code), isCurrent: ctx.isCurrent });
}

/** Waits (briefly) for lot.css, so the chart is sized by the page's own layout when it is drawn. */
async function cssReady() {
  loadCss('lot');
  const link = document.querySelector('link[href="/assets/css/lot.css"]');
  if (!link || link.sheet) return;
  await new Promise((resolve) => {
    link.addEventListener('load', resolve, { once: true });
    link.addEventListener('error', resolve, { once: true });
    setTimeout(resolve, 3000);
  });
}

export async function render(main, ctx) {
  await cssReady();
  state = { seq: state.seq + 1 };
  const id = (ctx.params.get('id') || '').trim();
  const mode = ctx.params.get('mode') === 'upload' ? 'upload' : 'lot';
  const input = h('input', { id: 'lot-search', class: 'lot-search-input', value: id, placeholder: t('lot.search_placeholder'), spellcheck: 'false' });
  const form = h('form', { class: 'lot-search', id: 'lot-search-form' }, field(t('lot.search_label'), input),
    h('button', { type: 'submit', class: 'btn btn-primary', text: t('lot.open') }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = input.value.trim();
    if (v) location.hash = `#/lot?${new URLSearchParams({ id: v })}`;
  });
  const tabs = h('nav', { class: 'lot-tabs' },
    h('a', { href: id ? `#/lot?${new URLSearchParams({ id })}` : '#/lot', class: mode === 'lot' ? 'active' : null, id: 'lot-tab-lot', text: t('lot.mode_lot') }),
    h('a', { href: '#/lot?mode=upload', class: mode === 'upload' ? 'active' : null, id: 'lot-tab-upload', text: t('lot.mode_upload') }));
  main.appendChild(h('div', { class: 'page-head lot-head' },
    h('div', null, h('h1', { text: t('lot.title') }), h('p', { class: 'muted lot-lead', text: t('lot.subtitle') })), tabs));
  const out = h('div', { class: 'lot-out' });
  const serverKeyP = apiOrNull('/ledger/public-key').then((k) => (k && k.public_key_hex) || null).catch(() => null);
  if (mode === 'upload') {
    main.appendChild(out);
    uploadView(out, ctx, await serverKeyP);
    return;
  }
  main.appendChild(form);
  main.appendChild(out);
  if (id) await lotView(out, ctx, id, await serverKeyP);
  if (ctx.me && ctx.isCurrent()) {
    try {
      main.appendChild(await recentLots(ctx.me));
    } catch (e) {
      main.appendChild(errorBox(e));
    }
  }
}

// Exposed for the browser test: the page's own hashing of a key id, and the identifier keys.
export { keyId, identifierKey };
