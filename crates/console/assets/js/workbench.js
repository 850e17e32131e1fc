// What the shipper's and the carrier's workbenches share: field errors shown at their inputs, Beijing
// times in date-time inputs, places, statuses, a suggestion's figures and a road route on a map.
import { t, addStrings, fmtDateTime, fmtNum } from './i18n.js';
import { api, ApiError } from './api.js';
import { h, badge } from './ui.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "wb.status.load.open": "待匹配",
    "wb.status.load.matched": "已匹配",
    "wb.status.load.in_transit": "运输中",
    "wb.status.load.delivered": "已送达",
    "wb.status.load.cancelled": "已取消",
    "wb.status.waybill.draft": "草稿",
    "wb.status.waybill.confirmed": "已确认",
    "wb.status.waybill.dispatched": "已发车",
    "wb.status.waybill.signed": "已签收",
    "wb.status.waybill.receipted": "已回单",
    "wb.status.waybill.cancelled": "已作废",
    "wb.cargo.general": "普货",
    "wb.cargo.cold_chain": "冷链",
    "wb.cargo.dangerous_goods": "危险品",
    "wb.km": "{n} 公里",
    "wb.yuan": "{n} 元",
    "wb.hours": "{n} 小时",
    "wb.tonnes": "{n} 吨",
    "wb.m3": "{n} 立方米",
    "wb.errors_above": "请修改标出的字段：",
    "wb.route_road": "道路网络计算",
    "wb.route_straight": "未加载道路网络：直线估算",
    "wb.deadhead": "空驶到装货点",
    "wb.loaded": "重载里程",
    "wb.return": "空驶返回",
    "wb.margin": "承运毛利",
    "wb.cost": "承运成本估算",
    "wb.pickup_at": "计划装货",
    "wb.delivery_at": "预计送达",
    "wb.driving": "驾驶时长",
    "wb.reasons": "推荐理由",
    "wb.origin": "装货地",
    "wb.destination": "卸货地",
    "wb.no_reason": "—"
  },
  "en": {
    "wb.status.load.open": "Open",
    "wb.status.load.matched": "Matched",
    "wb.status.load.in_transit": "In transit",
    "wb.status.load.delivered": "Delivered",
    "wb.status.load.cancelled": "Cancelled",
    "wb.status.waybill.draft": "Draft",
    "wb.status.waybill.confirmed": "Confirmed",
    "wb.status.waybill.dispatched": "Dispatched",
    "wb.status.waybill.signed": "Signed",
    "wb.status.waybill.receipted": "Receipted",
    "wb.status.waybill.cancelled": "Cancelled",
    "wb.cargo.general": "General",
    "wb.cargo.cold_chain": "Cold chain",
    "wb.cargo.dangerous_goods": "Dangerous goods",
    "wb.km": "{n} km",
    "wb.yuan": "CNY {n}",
    "wb.hours": "{n} h",
    "wb.tonnes": "{n} t",
    "wb.m3": "{n} m³",
    "wb.errors_above": "Please correct the marked fields:",
    "wb.route_road": "by the road network",
    "wb.route_straight": "no road network loaded: straight-line estimate",
    "wb.deadhead": "Empty to pickup",
    "wb.loaded": "Loaded",
    "wb.return": "Empty return",
    "wb.margin": "Carrier margin",
    "wb.cost": "Carrier's estimated cost",
    "wb.pickup_at": "Pickup",
    "wb.delivery_at": "Delivery (ETA)",
    "wb.driving": "Driving",
    "wb.reasons": "Why",
    "wb.origin": "Pickup place",
    "wb.destination": "Delivery place",
    "wb.no_reason": "—"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const STATUS_KIND = {
  open: 'info', matched: 'ok', in_transit: 'warn', delivered: 'ok', cancelled: 'muted',
  draft: 'info', confirmed: 'info', dispatched: 'warn', signed: 'ok', receipted: 'ok',
};

/** A load's or waybill's status as a coloured badge. */
export function statusBadge(kind, status) {
  const key = `wb.status.${kind}.${status}`;
  return badge(t.has(key) ? t(key) : status, STATUS_KIND[status] || 'info');
}

/** A cargo class (`{kind: …}`) in words, with the cold chain's temperature range. */
export function cargoText(cargo) {
  const kind = (cargo && cargo.kind) || 'general';
  const key = `wb.cargo.${kind}`;
  let s = t.has(key) ? t(key) : kind;
  const temp = cargo && cargo.temperature;
  if (temp && temp.min !== undefined) s += ` ${temp.min}～${temp.max} °C`;
  return s;
}

/** The address of a `Place` or a waybill party, else its coordinates. */
export function placeText(p) {
  if (!p) return t('common.dash');
  const text = p.address || p.place || p.name;
  if (text) return text;
  return p.point ? `${p.point.lat.toFixed(4)}, ${p.point.lon.toFixed(4)}` : t('common.dash');
}

export const km = (m) => t('wb.km', { n: fmtNum(m / 1000, 1) });
/** An amount in yuan (not 万元): 1,650 元 / CNY 1,650. */
export const yuan = (v) => t('wb.yuan', { n: fmtNum(v, 0) });
export const tonnes = (kg) => t('wb.tonnes', { n: fmtNum(kg / 1000, 1) });

/** An RFC 3339 instant as the value of a `datetime-local` input in Beijing time. */
export function toLocalInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);
}

/** A `datetime-local` value read as Beijing time, as RFC 3339 (`…+08:00`); '' stays ''. */
export function fromLocalInput(v) {
  return v ? `${v}:00+08:00` : '';
}

/**
 * Shows an API error's violations at the inputs whose `name` is the field path (`origin.point.lat`
 * also marks an input named `origin`), and those with no input in `box`; returns how many were
 * placed at a field. Clears earlier marks first.
 */
export function showFieldErrors(form, box, err) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  box.textContent = '';
  box.hidden = true;
  if (!err) return 0;
  const violations = err instanceof ApiError && err.violations.length ? err.violations : null;
  if (!violations) {
    box.textContent = (err && err.message) || String(err);
    box.hidden = false;
    return 0;
  }
  const loose = [];
  let placed = 0;
  for (const v of violations) {
    const input = inputFor(form, v.field || '');
    if (!input) {
      loose.push(`${v.field}: ${v.message}`);
      continue;
    }
    input.setAttribute('aria-invalid', 'true');
    const label = input.closest('.field') || input.parentElement;
    label.appendChild(h('span', { class: 'field-error', dataset: { field: v.field }, text: v.message }));
    placed += 1;
  }
  if (loose.length || placed) {
    box.textContent = [t('wb.errors_above'), ...loose].join(' ');
    box.hidden = false;
  }
  return placed;
}

function inputFor(form, path) {
  let p = path;
  while (p) {
    const el = form.querySelector(`[name="${CSS.escape(p)}"]`);
    if (el) return el;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return null;
}

/**
 * The road route through `points` (`[lat, lon]`): `{ coords: [[lat, lon]…], distance_m, duration_s,
 * road }`; a straight line with `road: false` when no network is loaded.
 */
export async function roadRoute(points) {
  try {
    const body = { points: points.map(([lat, lon]) => ({ lat, lon })) };
    const r = await api('/api/v1/road/route', { method: 'POST', body });
    if (r && r.reachable && r.route) {
      return {
        coords: r.route.coordinates.map(([lon, lat]) => [lat, lon]),
        distance_m: r.route.distance_m, duration_s: r.route.duration_s, road: true,
      };
    }
  } catch (e) {
    if (!(e instanceof ApiError && e.missing)) throw e;
  }
  let m = 0;
  for (let i = 1; i < points.length; i += 1) m += haversine(points[i - 1], points[i]) * 1.3;
  return { coords: points, distance_m: m, duration_s: m / (45 / 3.6), road: false };
}

function haversine([la1, lo1], [la2, lo2]) {
  const r = Math.PI / 180;
  const a = Math.sin(((la2 - la1) * r) / 2) ** 2
    + Math.cos(la1 * r) * Math.cos(la2 * r) * Math.sin(((lo2 - lo1) * r) / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.sqrt(a));
}

/** A suggestion's figures as a definition list (km, times, margin and the engine's reasons). */
export function suggestionFigures(s) {
  const rows = [
    [t('wb.deadhead'), km(s.deadhead_km * 1000)],
    [t('wb.loaded'), km(s.loaded_km * 1000)],
    [t('wb.return'), km(s.return_km * 1000)],
    [t('wb.pickup_at'), fmtDateTime(s.pickup_at)],
    [t('wb.delivery_at'), fmtDateTime(s.delivery_at)],
    [t('wb.driving'), t('wb.hours', { n: fmtNum(s.driving_h, 1) })],
  ];
  return h('dl', { class: 'kv wb-figures' }, rows.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]),
    h('dt', { text: t('wb.reasons') }),
    h('dd', null, h('ul', { class: 'wb-reasons' }, (s.reasons || []).map((r) => h('li', { text: r })))));
}
