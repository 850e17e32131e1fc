// 托运工作台 The shipper's desk: my loads and shipments; post a load (places from the facilities or
// picked on the map); a load's suggested carriers with reasons and price; follow a shipment on the
// map with its ETA, its waybill, its fund-flow records and, for cold chain, its lot's page.
import { t, addStrings, fmtDateTime, fmtNum } from '../i18n.js';
import { api, apiOrNull } from '../api.js';
import { h, card, table, noData, errorBox, errorText, toast, loadCss, select } from '../ui.js';
import { baseMap, disposeMaps } from '../mapbase.js';
import {
  statusBadge, yuan, cargoText, placeText, km, tonnes, toLocalInput, fromLocalInput, showFieldErrors,
  roadRoute, suggestionFigures,
} from '../workbench.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "shipper.title": "托运工作台",
    "shipper.post": "发布货源",
    "shipper.my_loads": "我的货源",
    "shipper.my_waybills": "我的运单",
    "shipper.more": "加载更多",
    "shipper.goods": "货物",
    "shipper.route": "线路",
    "shipper.pickup": "装货时间",
    "shipper.delivery": "送达时间",
    "shipper.weight": "重量",
    "shipper.price": "运价",
    "shipper.status": "状态",
    "shipper.open": "查看",
    "shipper.note_number": "托运单号",
    "shipper.vehicle": "车辆",
    "shipper.consignee": "收货方",
    "shipper.back": "返回工作台",
    "shipper.post_title": "发布货源",
    "shipper.from_facility": "从物流设施选择",
    "shipper.pick_on_map": "在地图上点选",
    "shipper.picking": "点击地图设置：",
    "shipper.address": "地址",
    "shipper.point": "坐标",
    "shipper.window_start": "最早",
    "shipper.window_end": "最晚",
    "shipper.pickup_window": "装货时间窗",
    "shipper.delivery_window": "送达时间窗",
    "shipper.cargo": "货物类别",
    "shipper.temp_min": "最低温度 (°C)",
    "shipper.temp_max": "最高温度 (°C)",
    "shipper.dg_class": "危险品类别",
    "shipper.weight_kg": "毛重 (千克)",
    "shipper.volume_m3": "体积 (立方米)",
    "shipper.packages": "件数",
    "shipper.price_yuan": "报价 (元)",
    "shipper.submit": "发布",
    "shipper.posted": "货源已发布",
    "shipper.choose": "请选择",
    "shipper.suggestions": "推荐承运车辆",
    "shipper.no_suggestions": "暂无可承运车辆，原因如下：",
    "shipper.carrier": "承运人",
    "shipper.offer": "您的报价",
    "shipper.offer_low": "报价低于承运成本估算，提高到 {price} 以上更易成交",
    "shipper.rated": "核定载质量",
    "shipper.cancel_load": "取消货源",
    "shipper.cancelled": "货源已取消",
    "shipper.track": "货物跟踪",
    "shipper.eta": "预计到达",
    "shipper.remaining": "剩余里程",
    "shipper.last_fix": "最新定位",
    "shipper.no_fix": "暂无车辆定位",
    "shipper.delivered_at": "签收时间",
    "shipper.waybill": "电子运单",
    "shipper.payments": "资金流水",
    "shipper.no_payments": "暂无该运单的资金流水",
    "shipper.amount": "金额",
    "shipper.payee": "收款方",
    "shipper.paid_at": "付款时间",
    "shipper.cold_chain": "冷链追溯",
    "shipper.cold_chain_open": "查看温度曲线与可验证的交接记录",
    "shipper.total_amount": "运费",
    "shipper.despatch": "发车时间",
    "shipper.consignment": "托运时间",
    "shipper.drivers": "驾驶员",
    "shipper.checks": "监测规则结果",
    "shipper.planned_route": "规划线路"
  },
  "en": {
    "shipper.title": "Shipper desk",
    "shipper.post": "Post a load",
    "shipper.my_loads": "My loads",
    "shipper.my_waybills": "My waybills",
    "shipper.more": "Load more",
    "shipper.goods": "Goods",
    "shipper.route": "Route",
    "shipper.pickup": "Pickup",
    "shipper.delivery": "Delivery",
    "shipper.weight": "Weight",
    "shipper.price": "Price",
    "shipper.status": "Status",
    "shipper.open": "Open",
    "shipper.note_number": "Shipping note",
    "shipper.vehicle": "Vehicle",
    "shipper.consignee": "Consignee",
    "shipper.back": "Back to the desk",
    "shipper.post_title": "Post a load",
    "shipper.from_facility": "From a facility",
    "shipper.pick_on_map": "Pick on the map",
    "shipper.picking": "A click on the map sets:",
    "shipper.address": "Address",
    "shipper.point": "Coordinates",
    "shipper.window_start": "From",
    "shipper.window_end": "To",
    "shipper.pickup_window": "Pickup window",
    "shipper.delivery_window": "Delivery window",
    "shipper.cargo": "Cargo class",
    "shipper.temp_min": "Min temperature (°C)",
    "shipper.temp_max": "Max temperature (°C)",
    "shipper.dg_class": "Dangerous goods class",
    "shipper.weight_kg": "Gross weight (kg)",
    "shipper.volume_m3": "Volume (m³)",
    "shipper.packages": "Packages",
    "shipper.price_yuan": "Price offered (CNY)",
    "shipper.submit": "Post",
    "shipper.posted": "Load posted",
    "shipper.choose": "Choose",
    "shipper.suggestions": "Suggested vehicles",
    "shipper.no_suggestions": "No vehicle can take it now, because:",
    "shipper.carrier": "Carrier",
    "shipper.offer": "Your offer",
    "shipper.offer_low": "The offer is below the carrier's estimated cost; above {price} it is likelier to be taken",
    "shipper.rated": "Rated load",
    "shipper.cancel_load": "Cancel the load",
    "shipper.cancelled": "Load cancelled",
    "shipper.track": "Tracking",
    "shipper.eta": "ETA",
    "shipper.remaining": "Remaining",
    "shipper.last_fix": "Last position",
    "shipper.no_fix": "No position from the vehicle yet",
    "shipper.delivered_at": "Signed at",
    "shipper.waybill": "Electronic waybill",
    "shipper.payments": "Fund flow",
    "shipper.no_payments": "No fund-flow record for this waybill yet",
    "shipper.amount": "Amount",
    "shipper.payee": "Payee",
    "shipper.paid_at": "Paid at",
    "shipper.cold_chain": "Cold-chain trace",
    "shipper.cold_chain_open": "Temperature chart and verifiable custody history",
    "shipper.total_amount": "Freight",
    "shipper.despatch": "Despatched",
    "shipper.consignment": "Consigned",
    "shipper.drivers": "Drivers",
    "shipper.checks": "Monitoring rule results",
    "shipper.planned_route": "Planned route"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const L = () => window.L;
const enc = encodeURIComponent;

export function dispose() {
  disposeMaps();
}

export async function render(root, ctx) {
  loadCss('workbench');
  const v = ctx.params.get('v') || 'home';
  const id = ctx.params.get('id');
  if (v === 'post') return postView(root, ctx);
  if (v === 'load' && id) return loadView(root, ctx, id);
  if (v === 'waybill' && id) return waybillView(root, ctx, id);
  return homeView(root, ctx);
}

function head(title, ...extra) {
  return h('div', { class: 'page-head' }, h('h1', { text: title }), ...extra);
}

const back = () => h('a', { class: 'btn', href: '#/shipper', text: t('shipper.back') });

/** A paged table: `fetchPage(cursor)` gives `{items, next_cursor}`; rows from `row(item)`. */
function pagedTable(cols, fetchPage, row, attrs) {
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'btn', text: t('shipper.more'), hidden: true });
  const wrap = h('div', null, h('div', { class: 'table-wrap' },
    h('table', Object.assign({ class: 'table' }, attrs), h('thead', null, h('tr', null, cols.map((c) => h('th', { text: c })))), body)), more);
  let cursor = null;
  const load = async () => {
    const page = await fetchPage(cursor);
    for (const it of page.items) body.appendChild(row(it));
    if (!body.children.length) body.appendChild(h('tr', null, h('td', { colspan: cols.length }, noData())));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  };
  more.addEventListener('click', () => load().catch((e) => toast(errorText(e), 'error')));
  return { el: wrap, load };
}

async function homeView(root, ctx) {
  root.appendChild(head(t('shipper.title'),
    h('a', { class: 'btn btn-primary', id: 'post-load', href: '#/shipper?v=post', text: t('shipper.post') })));
  const loads = pagedTable(
    [t('shipper.goods'), t('shipper.route'), t('shipper.pickup'), t('shipper.weight'), t('shipper.price'), t('shipper.status'), ''],
    (c) => api(`/api/v1/loads?sort=-created_at&limit=10${c ? `&cursor=${enc(c)}` : ''}`),
    (l) => h('tr', { dataset: { load: l.id } },
      h('td', null, l.goods, h('div', { class: 'muted small', text: cargoText(l.cargo) })),
      h('td', { text: `${placeText(l.origin)} → ${placeText(l.destination)}` }),
      h('td', { text: fmtDateTime(l.pickup_window.start) }),
      h('td', { class: 'num', text: tonnes(l.weight) }),
      h('td', { class: 'num', text: yuan(l.price_offered) }),
      h('td', null, statusBadge('load', l.status)),
      h('td', null, h('a', { href: `#/shipper?v=load&id=${enc(l.id)}`, text: t('shipper.open') }))),
    { id: 'my-loads' });
  const waybills = pagedTable(
    [t('shipper.note_number'), t('shipper.goods'), t('shipper.consignee'), t('shipper.vehicle'), t('shipper.status'), ''],
    (c) => api(`/api/v1/waybills?sort=-created_at&limit=10${c ? `&cursor=${enc(c)}` : ''}`),
    (w) => h('tr', { dataset: { waybill: w.id } },
      h('td', { text: w.shipping_note_number }),
      h('td', { text: (w.goods || []).map((g) => g.description).join('、') }),
      h('td', { text: w.consignee.name }),
      h('td', { text: w.vehicle.plate }),
      h('td', null, statusBadge('waybill', w.status)),
      h('td', null, h('a', { href: `#/shipper?v=waybill&id=${enc(w.id)}`, text: t('shipper.track') }))),
    { id: 'my-waybills' });
  root.appendChild(h('div', { class: 'wb-grid' },
    card(t('shipper.my_loads'), loads.el), card(t('shipper.my_waybills'), waybills.el)));
  await Promise.all([loads.load(), waybills.load()]);
}

/** The nearest county seat's division code for a point (a Place needs one). */
function nearestCounty(counties, lat, lon) {
  let best = null;
  let bestD = Infinity;
  for (const f of counties) {
    const [x, y] = f.geometry.coordinates;
    const d = (x - lon) ** 2 + (y - lat) ** 2;
    if (d < bestD) { bestD = d; best = f.properties.code; }
  }
  return best;
}

function placeInputs(prefix, facilities) {
  const fac = select([['', t('shipper.choose')], ...facilities.map((f) => [f.id, f.name])], '', { name: `${prefix}_facility`, class: 'wb-facility' });
  const address = h('input', { name: `${prefix}.address`, autocomplete: 'off' });
  const point = h('input', { name: `${prefix}.point`, readonly: true, class: 'wb-point' });
  const box = h('fieldset', { class: 'wb-place', name: prefix, dataset: { place: prefix } },
    h('legend', { text: t(prefix === 'origin' ? 'wb.origin' : 'wb.destination') }),
    h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('shipper.from_facility') }), fac),
    h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('shipper.address') }), address),
    h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('shipper.point') }), point));
  return { box, fac, address, point, value: null };
}

function input(name, label, attrs = {}) {
  const el = h('input', Object.assign({ name, autocomplete: 'off' }, attrs));
  return { el, wrap: h('label', { class: 'field' }, h('span', { class: 'field-label', text: label }), el) };
}

async function postView(root, ctx) {
  root.appendChild(head(t('shipper.post_title'), back()));
  const [facs, counties] = await Promise.all([
    api('/api/v1/facilities?limit=200&sort=name').catch(() => ({ items: [] })),
    apiOrNull('/api/v1/map/layers/counties').catch(() => null),
  ]);
  const facilities = (facs.items || []).filter((f) => f.location);
  const countyPoints = (counties && counties.features) || [];
  const places = { origin: placeInputs('origin', facilities), destination: placeInputs('destination', facilities) };
  const markers = {};
  let map = null;
  const setPlace = (which, lat, lon, address, division) => {
    const p = places[which];
    p.value = { lat, lon, division: division || nearestCounty(countyPoints, lat, lon) };
    p.point.value = `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
    if (address !== undefined) p.address.value = address;
    if (map) {
      if (markers[which]) markers[which].setLatLng([lat, lon]);
      else markers[which] = L().marker([lat, lon], { title: t(which === 'origin' ? 'wb.origin' : 'wb.destination') }).addTo(map);
    }
  };
  for (const which of ['origin', 'destination']) {
    places[which].fac.addEventListener('change', () => {
      const f = facilities.find((x) => x.id === places[which].fac.value);
      if (f) setPlace(which, f.location.lat, f.location.lon, f.address || f.name, f.division_code);
    });
  }
  const now = Date.now();
  const iso = (hours) => new Date(now + hours * 3600e3).toISOString();
  const win = (prefix, a, b) => {
    const s = input(`${prefix}.start`, t('shipper.window_start'), { type: 'datetime-local', value: toLocalInput(iso(a)) });
    const e = input(`${prefix}.end`, t('shipper.window_end'), { type: 'datetime-local', value: toLocalInput(iso(b)) });
    return { s, e, box: h('fieldset', { class: 'wb-window', name: prefix }, h('legend', { text: t(`shipper.${prefix}`) }), s.wrap, e.wrap) };
  };
  const pw = win('pickup_window', 2, 6);
  const dw = win('delivery_window', 6, 30);
  const goods = input('goods', t('shipper.goods'));
  const cargo = select([['general', t('wb.cargo.general')], ['cold_chain', t('wb.cargo.cold_chain')], ['dangerous_goods', t('wb.cargo.dangerous_goods')]], 'general', { name: 'cargo' });
  const tmin = input('cargo.temperature.min', t('shipper.temp_min'), { inputmode: 'decimal', value: '2' });
  const tmax = input('cargo.temperature.max', t('shipper.temp_max'), { inputmode: 'decimal', value: '8' });
  const dg = input('cargo.class', t('shipper.dg_class'), { value: '3' });
  const cold = h('div', { class: 'wb-row', hidden: true }, tmin.wrap, tmax.wrap);
  const dang = h('div', { class: 'wb-row', hidden: true }, dg.wrap);
  cargo.addEventListener('change', () => {
    cold.hidden = cargo.value !== 'cold_chain';
    dang.hidden = cargo.value !== 'dangerous_goods';
  });
  const weight = input('weight', t('shipper.weight_kg'), { inputmode: 'decimal' });
  const volume = input('volume', t('shipper.volume_m3'), { inputmode: 'decimal' });
  const packages = input('packages', t('shipper.packages'), { inputmode: 'numeric' });
  const price = input('price_offered', t('shipper.price_yuan'), { inputmode: 'decimal' });
  const errors = h('div', { class: 'error', role: 'alert', id: 'post-errors', hidden: true });
  const picking = select([['origin', t('wb.origin')], ['destination', t('wb.destination')]], 'origin', { id: 'pick-which' });
  const mapEl = h('div', { class: 'wb-map', id: 'post-map' });
  const form = h('form', { class: 'wb-form', id: 'post-form', novalidate: true },
    errors,
    h('div', { class: 'wb-row' }, places.origin.box, places.destination.box),
    h('div', { class: 'wb-row' }, pw.box, dw.box),
    h('div', { class: 'wb-row' }, goods.wrap, h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('shipper.cargo') }), cargo)),
    cold, dang,
    h('div', { class: 'wb-row' }, weight.wrap, volume.wrap, packages.wrap, price.wrap),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'post-submit', text: t('shipper.submit') })));
  root.appendChild(h('div', { class: 'wb-split' },
    card(null, form),
    card(t('shipper.pick_on_map'), h('div', { class: 'wb-pick' }, h('span', { text: t('shipper.picking') }), picking), mapEl)));
  map = await baseMap(mapEl, { zoom: 11 });
  if (map) map.on('click', (e) => setPlace(picking.value, e.latlng.lat, e.latlng.lng));
  const num = (s) => {
    const x = s.trim();
    if (!x) return undefined;
    return Number.isFinite(Number(x)) ? Number(x) : x;
  };
  const place = (which) => {
    const p = places[which];
    if (!p.value) return undefined;
    return { point: { lat: p.value.lat, lon: p.value.lon }, address: p.address.value.trim(), division_code: p.value.division || '' };
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = {
      shipper_id: ctx.me.party_id,
      origin: place('origin'),
      destination: place('destination'),
      pickup_window: { start: fromLocalInput(pw.s.el.value), end: fromLocalInput(pw.e.el.value) },
      delivery_window: { start: fromLocalInput(dw.s.el.value), end: fromLocalInput(dw.e.el.value) },
      goods: goods.el.value.trim(),
      cargo: cargo.value === 'cold_chain'
        ? { kind: 'cold_chain', temperature: { min: num(tmin.el.value), max: num(tmax.el.value) } }
        : cargo.value === 'dangerous_goods' ? { kind: 'dangerous_goods', class: dg.el.value.trim() } : { kind: 'general' },
      weight: num(weight.el.value),
      volume: num(volume.el.value),
      packages: num(packages.el.value),
      price_offered: num(price.el.value),
    };
    const submit = form.querySelector('#post-submit');
    submit.disabled = true;
    try {
      const rec = await api('/api/v1/loads', { method: 'POST', body });
      toast(t('shipper.posted'));
      location.hash = `#/shipper?v=load&id=${enc(rec.id)}`;
    } catch (e) {
      showFieldErrors(form, errors, e);
    } finally {
      submit.disabled = false;
    }
  });
}

function lineOn(map, coords, color, dash) {
  return L().polyline(coords, { color, weight: 4, opacity: 0.85, dashArray: dash || null }).addTo(map);
}

async function loadView(root, ctx, id) {
  const load = await api(`/api/v1/loads/${enc(id)}`);
  const cancel = ['open', 'matched'].includes(load.status)
    ? h('button', { type: 'button', class: 'btn', id: 'cancel-load', text: t('shipper.cancel_load') }) : null;
  root.appendChild(head(`${load.goods} · ${placeText(load.origin)} → ${placeText(load.destination)}`, statusBadge('load', load.status), back(), cancel));
  if (cancel) {
    cancel.addEventListener('click', async () => {
      try {
        await api(`/api/v1/loads/${enc(id)}/status`, { method: 'POST', body: { status: 'cancelled' } });
        toast(t('shipper.cancelled'));
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (e) { toast(errorText(e), 'error'); }
    });
  }
  const facts = h('dl', { class: 'kv', id: 'load-facts' },
    [[t('shipper.cargo'), cargoText(load.cargo)], [t('shipper.weight'), tonnes(load.weight)],
      [t('shipper.volume_m3'), fmtNum(load.volume, 1)], [t('shipper.packages'), fmtNum(load.packages)],
      [t('shipper.pickup_window'), `${fmtDateTime(load.pickup_window.start)} – ${fmtDateTime(load.pickup_window.end)}`],
      [t('shipper.delivery_window'), `${fmtDateTime(load.delivery_window.start)} – ${fmtDateTime(load.delivery_window.end)}`],
      [t('shipper.offer'), yuan(load.price_offered)]].map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
  const mapEl = h('div', { class: 'wb-map', id: 'load-map' });
  const routeNote = h('p', { class: 'muted small', id: 'load-route' });
  const list = h('div', { id: 'suggestions', class: 'wb-cards' });
  root.appendChild(h('div', { class: 'wb-split' },
    h('div', null, card(null, facts, routeNote), card(t('shipper.suggestions'), list)),
    card(t('shipper.planned_route'), mapEl)));
  const o = [load.origin.point.lat, load.origin.point.lon];
  const d = [load.destination.point.lat, load.destination.point.lon];
  const [map, route] = await Promise.all([baseMap(mapEl), roadRoute([o, d]).catch(() => null)]);
  if (map) {
    L().marker(o).addTo(map).bindTooltip(t('wb.origin'));
    L().marker(d).addTo(map).bindTooltip(t('wb.destination'));
    if (route) map.fitBounds(lineOn(map, route.coords, '#0969da', route.road ? null : '6 6').getBounds().pad(0.1));
  }
  if (route) routeNote.textContent = `${km(route.distance_m)} · ${t('wb.hours', { n: fmtNum(route.duration_s / 3600, 1) })} · ${t(route.road ? 'wb.route_road' : 'wb.route_straight')}`;
  if (load.status !== 'open') {
    list.appendChild(noData());
    return;
  }
  try {
    const ans = await api(`/api/v1/matching/loads/${enc(id)}/vehicles?n=5`);
    renderSuggestions(list, load, ans);
  } catch (e) {
    list.appendChild(errorBox(e));
  }
}

function renderSuggestions(list, load, ans) {
  if (!ans.suggestions.length) {
    list.appendChild(h('p', { text: t('shipper.no_suggestions') }));
    list.appendChild(h('ul', { class: 'wb-reasons', id: 'no-suggestion-reasons' }, (ans.nearest || []).map((n) => h('li', { text: verdictText(n) }))));
    return;
  }
  for (const s of ans.suggestions) {
    const v = (ans.vehicles || {})[s.vehicle] || {};
    const cost = load.price_offered - s.margin;
    const low = s.margin < 0 ? h('p', { class: 'warn-text', text: t('shipper.offer_low', { price: yuan(Math.ceil(cost / 10) * 10) }) }) : null;
    list.appendChild(h('article', { class: 'wb-card', dataset: { vehicle: s.vehicle } },
      h('header', null, h('strong', { text: v.plate || s.vehicle }), ' ', h('span', { class: 'muted', text: v.party_name || '' })),
      h('dl', { class: 'kv' },
        h('dt', { text: t('shipper.rated') }), h('dd', { text: v.rated_load ? tonnes(v.rated_load) : t('common.dash') }),
        h('dt', { text: t('shipper.offer') }), h('dd', { text: yuan(load.price_offered) }),
        h('dt', { text: t('wb.cost') }), h('dd', { text: yuan(cost) }),
        h('dt', { text: t('wb.margin') }), h('dd', { text: yuan(s.margin) })),
      low, suggestionFigures(s)));
  }
}

/** One nearest-candidate verdict as a line: the candidate and the rules that exclude it. */
function verdictText(n) {
  const who = n.vehicle || n.load || n.id || '';
  const why = (n.excluded_by || []).map((r) => r.message);
  return `${who}: ${why.join('；') || n.note || ''}`;
}

async function waybillView(root, ctx, id) {
  const [w, trk] = await Promise.all([
    api(`/api/v1/waybills/${enc(id)}`),
    api(`/api/v1/waybills/${enc(id)}/tracking`).catch(() => null),
  ]);
  root.appendChild(head(`${t('shipper.waybill')} ${w.shipping_note_number}`, statusBadge('waybill', w.status), back()));
  const mapEl = h('div', { class: 'wb-map', id: 'track-map' });
  const eta = h('dl', { class: 'kv', id: 'tracking' });
  root.appendChild(h('div', { class: 'wb-split' },
    h('div', null, card(t('shipper.track'), eta), card(t('shipper.waybill'), waybillFacts(w)),
      card(t('shipper.payments'), h('div', { id: 'payments' })),
      card(t('shipper.cold_chain'), h('a', { href: '#/lot', id: 'lot-link', text: t('shipper.cold_chain_open') }))),
    card(t('shipper.planned_route'), mapEl)));
  const rows = [];
  if (trk) {
    if (trk.eta) rows.push([t('shipper.eta'), fmtDateTime(trk.eta.at)], [t('shipper.remaining'), km(trk.eta.remaining_m)]);
    rows.push([t('shipper.last_fix'), trk.last ? `${fmtDateTime(trk.last.time)} · ${fmtNum(trk.last.speed_kmh || 0)} km/h` : t('shipper.no_fix')]);
    if (trk.receipt_time) rows.push([t('shipper.delivered_at'), fmtDateTime(trk.receipt_time)]);
    rows.push(['', t(trk.road_network ? 'wb.route_road' : 'wb.route_straight')]);
  }
  for (const [k, v] of rows) eta.append(h('dt', { text: k }), h('dd', { text: v }));
  if (trk && trk.eta) eta.dataset.eta = trk.eta.at;
  const map = await baseMap(mapEl);
  if (map && trk) drawShipment(map, trk);
  await showPayments(w);
}

async function drawShipment(map, trk) {
  const pt = (p) => (p ? [p.lat, p.lon] : null);
  const from = pt(trk.consignor);
  const to = pt(trk.consignee);
  const bounds = [];
  if (from) { L().marker(from).addTo(map).bindTooltip(t('wb.origin')); bounds.push(from); }
  if (to) { L().marker(to).addTo(map).bindTooltip(t('wb.destination')); bounds.push(to); }
  const driven = trk.track.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
  if (driven.length > 1) lineOn(map, driven, '#1a7f37').getBounds().isValid();
  bounds.push(...driven);
  const last = trk.last ? pt(trk.last.point) : null;
  if (last) {
    L().circleMarker(last, { radius: 8, color: '#fff', weight: 2, fillColor: '#1a7f37', fillOpacity: 1 }).addTo(map)
      .bindTooltip(trk.plate || '', { permanent: true, direction: 'top' });
  }
  const start = last || from;
  if (start && to && trk.status === 'dispatched') {
    const rest = await roadRoute([start, to]).catch(() => null);
    if (rest) { lineOn(map, rest.coords, '#0969da', rest.road ? null : '6 6'); bounds.push(...rest.coords); }
  }
  if (bounds.length) map.fitBounds(L().latLngBounds(bounds).pad(0.1));
}

function waybillFacts(w) {
  const rows = [
    [t('shipper.goods'), (w.goods || []).map((g) => `${g.description} ${tonnes(g.gross_weight)}`).join('、')],
    [t('wb.origin'), `${w.consignor.name} · ${w.consignor.place}`],
    [t('wb.destination'), `${w.consignee.name} · ${w.consignee.place}`],
    [t('shipper.carrier'), (w.actual_carrier && w.actual_carrier.name) || w.carrier_id],
    [t('shipper.vehicle'), w.vehicle.plate],
    [t('shipper.drivers'), (w.drivers || []).map((d) => d.name).join('、')],
    [t('shipper.consignment'), fmtDateTime(w.consignment_time)],
    [t('shipper.despatch'), fmtDateTime(w.despatch_time)],
    [t('shipper.total_amount'), yuan(w.total_amount)],
  ];
  return h('dl', { class: 'kv', id: 'waybill-facts' }, rows.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v || t('common.dash') })]));
}

/** Fund-flow records that pay this waybill (found through its vehicle's plate). */
async function showPayments(w) {
  const box = document.getElementById('payments');
  if (!box) return;
  try {
    const page = await api(`/api/v1/payments?plate=${enc(w.vehicle.plate)}&limit=100`);
    const mine = page.items.filter((p) => (p.waybills || []).some((x) => x.waybill_id === w.id));
    const lines = mine.flatMap((p) => p.payments.map((l) => [p.document_number, l]));
    if (!lines.length) {
      box.appendChild(noData(t('shipper.no_payments')));
      return;
    }
    box.appendChild(table([{ label: t('shipper.payee') }, { label: t('shipper.amount'), cls: 'num' }, { label: t('shipper.paid_at') }],
      lines.map(([doc, l]) => h('tr', { dataset: { document: doc } }, h('td', { text: l.recipient }), h('td', { class: 'num', text: yuan(l.amount) }), h('td', { text: fmtDateTime(l.time) })))));
  } catch (e) {
    box.appendChild(errorBox(e));
  }
}
