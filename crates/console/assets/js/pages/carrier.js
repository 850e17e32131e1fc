// 承运工作台 The carrier's (and driver's) desk: my trucks; for a truck, the loads that fit it now, or
// once it is free from a time, or after the trip it is on (return loads, 回程货), each with why it
// fits and what it pays; accept or decline in one tap; my waybills moved along their lifecycle.
// Built for a phone's width as much as for the office screen.
import { t, addStrings, fmtDateTime } from '../i18n.js';
import { api } from '../api.js';
import { h, card, noData, errorBox, errorText, toast, loadCss, select } from '../ui.js';
import { statusBadge, yuan, cargoText, placeText, tonnes, toLocalInput, fromLocalInput, suggestionFigures } from '../workbench.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "carrier.title": "承运工作台",
    "carrier.my_trucks": "我的车辆",
    "carrier.pick_truck": "选择车辆",
    "carrier.truck_status.available": "空闲",
    "carrier.truck_status.busy": "运输中",
    "carrier.truck_status.maintenance": "维修",
    "carrier.truck_status.retired": "停用",
    "carrier.loads": "适合该车的货源",
    "carrier.when": "时间",
    "carrier.now": "现在（车辆所在地）",
    "carrier.free_from": "空闲后（指定时间）",
    "carrier.after_trip": "本趟送达后（回程货）",
    "carrier.free_at": "车辆在 {place} 于 {time} 起可接单",
    "carrier.search": "查找",
    "carrier.pays": "运费",
    "carrier.accept": "接单",
    "carrier.decline": "不接",
    "carrier.driver": "驾驶员",
    "carrier.decline_reason": "不接原因",
    "carrier.reason.price": "运价太低",
    "carrier.reason.time": "时间不合适",
    "carrier.reason.route": "线路不顺",
    "carrier.reason.other": "其他",
    "carrier.accepted": "已接单，已生成运单草稿 {note}",
    "carrier.declined": "已拒绝该货源，不再推荐给本车",
    "carrier.none": "暂无适合该车的货源，最近的几条不合适的原因：",
    "carrier.no_trip": "该车没有进行中的运单",
    "carrier.my_waybills": "我的运单",
    "carrier.status_filter": "状态",
    "carrier.all": "全部",
    "carrier.move_to": "改为{status}",
    "carrier.moved": "运单已改为{status}",
    "carrier.more": "加载更多",
    "carrier.no_drivers": "本公司没有登记驾驶员",
    "carrier.weight": "重量"
  },
  "en": {
    "carrier.title": "Carrier desk",
    "carrier.my_trucks": "My trucks",
    "carrier.pick_truck": "Truck",
    "carrier.truck_status.available": "Available",
    "carrier.truck_status.busy": "On a trip",
    "carrier.truck_status.maintenance": "Maintenance",
    "carrier.truck_status.retired": "Retired",
    "carrier.loads": "Loads for this truck",
    "carrier.when": "When",
    "carrier.now": "Now (where the truck is)",
    "carrier.free_from": "Once free (from a time)",
    "carrier.after_trip": "After this trip (return loads)",
    "carrier.free_at": "The truck is free at {place} from {time}",
    "carrier.search": "Search",
    "carrier.pays": "Pays",
    "carrier.accept": "Accept",
    "carrier.decline": "Decline",
    "carrier.driver": "Driver",
    "carrier.decline_reason": "Why not",
    "carrier.reason.price": "Price too low",
    "carrier.reason.time": "Wrong time",
    "carrier.reason.route": "Wrong direction",
    "carrier.reason.other": "Other",
    "carrier.accepted": "Accepted: draft waybill {note} created",
    "carrier.declined": "Declined: this load is no longer offered to this truck",
    "carrier.none": "No load fits this truck; the nearest ones do not because:",
    "carrier.no_trip": "This truck has no waybill under way",
    "carrier.my_waybills": "My waybills",
    "carrier.status_filter": "Status",
    "carrier.all": "All",
    "carrier.move_to": "Mark {status}",
    "carrier.moved": "Waybill marked {status}",
    "carrier.more": "Load more",
    "carrier.no_drivers": "Your company has no registered driver",
    "carrier.weight": "Weight"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const enc = encodeURIComponent;
const NEXT = {
  draft: ['confirmed', 'cancelled'], confirmed: ['dispatched', 'cancelled'], dispatched: ['signed'], signed: ['receipted'],
};
const WAYBILL_STATUSES = ['draft', 'confirmed', 'dispatched', 'signed', 'receipted', 'cancelled'];

function truckStatus(s) {
  const key = `carrier.truck_status.${s}`;
  return t.has(key) ? t(key) : s;
}

function reload() {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export async function render(root, ctx) {
  loadCss('workbench');
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('carrier.title') })));
  const [vehicles, drivers] = await Promise.all([
    api('/api/v1/vehicles?limit=200&sort=plate').catch(() => api('/api/v1/vehicles?limit=200')),
    api(`/api/v1/drivers?limit=200${ctx.me.party_id ? `&carrier_id=${enc(ctx.me.party_id)}` : ''}`).catch(() => ({ items: [] })),
  ]);
  const trucks = vehicles.items;
  const chosen = ctx.params.get('vehicle') || (trucks.find((v) => v.status === 'available') || trucks[0] || {}).id;
  const truck = trucks.find((v) => v.id === chosen);
  const picker = select(trucks.map((v) => [v.id, `${v.plate} · ${truckStatus(v.status)}`]), chosen, { id: 'truck' });
  picker.addEventListener('change', () => { location.hash = `#/carrier?vehicle=${enc(picker.value)}`; });
  const loadsBox = h('div', { id: 'carrier-loads' });
  const waybillsBox = h('div', { id: 'carrier-waybills' });
  root.appendChild(h('div', { class: 'wb-split wb-split-even' },
    card(t('carrier.loads'), h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('carrier.pick_truck') }), picker), loadsBox),
    card(t('carrier.my_waybills'), waybillsBox)));
  if (!truck) {
    loadsBox.appendChild(noData());
  } else {
    await loadsPanel(loadsBox, ctx, truck, drivers.items);
  }
  await waybillsPanel(waybillsBox, ctx);
}

/** The "when" choice and the suggestions for it. */
async function loadsPanel(box, ctx, truck, drivers) {
  const busy = truck.status !== 'available';
  const defaultMode = ctx.params.get('when') || (busy ? 'after_trip' : 'now');
  const mode = select([['now', t('carrier.now')], ['free_from', t('carrier.free_from')], ['after_trip', t('carrier.after_trip')]], defaultMode, { id: 'when' });
  const at = h('input', { type: 'datetime-local', id: 'free-from', value: toLocalInput(ctx.params.get('at') || new Date(Date.now() + 3 * 3600e3).toISOString()) });
  const atWrap = h('label', { class: 'field', hidden: defaultMode !== 'free_from' }, h('span', { class: 'field-label', text: t('carrier.free_from') }), at);
  mode.addEventListener('change', () => { atWrap.hidden = mode.value !== 'free_from'; });
  const go = h('button', { type: 'button', class: 'btn btn-primary', id: 'find-loads', text: t('carrier.search') });
  const out = h('div', { class: 'wb-cards', id: 'load-suggestions' });
  box.append(h('div', { class: 'wb-row wb-when' }, h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('carrier.when') }), mode), atWrap, go), out);
  const search = async () => {
    out.replaceChildren();
    let q = 'n=10';
    if (mode.value === 'free_from' && at.value) q += `&free_from=${enc(fromLocalInput(at.value))}`;
    if (mode.value === 'after_trip') {
      const trip = await currentTrip(truck);
      if (!trip) {
        out.appendChild(noData(t('carrier.no_trip')));
        return;
      }
      q += `&after_waybill=${enc(trip.id)}`;
    }
    try {
      const ans = await api(`/api/v1/matching/vehicles/${enc(truck.id)}/loads?${q}`);
      showSuggestions(out, truck, drivers, ans);
    } catch (e) {
      out.appendChild(errorBox(e));
    }
  };
  go.addEventListener('click', search);
  await search();
}

/** The truck's waybill under way (dispatched, else confirmed), found by its plate. */
async function currentTrip(truck) {
  for (const status of ['dispatched', 'confirmed']) {
    const page = await api(`/api/v1/waybills?plate=${enc(truck.plate)}&status=${status}&sort=-created_at&limit=5`);
    const w = page.items.find((x) => x.vehicle && x.vehicle.vehicle_id === truck.id);
    if (w) return w;
  }
  return null;
}

function showSuggestions(out, truck, drivers, ans) {
  if (ans.free && ans.free.at) {
    out.appendChild(h('p', { class: 'muted small', id: 'free-note', text: t('carrier.free_at', { place: `${ans.free.point.lat.toFixed(3)}, ${ans.free.point.lon.toFixed(3)}`, time: fmtDateTime(ans.free.at) }) }));
  }
  if (!ans.suggestions.length) {
    out.appendChild(h('p', { text: t('carrier.none') }));
    out.appendChild(h('ul', { class: 'wb-reasons', id: 'no-load-reasons' }, (ans.nearest || []).map((n) => h('li', null,
      h('strong', { text: n.load || '' }), ' ', (n.excluded_by || []).map((r) => r.message).join('；') || n.note || ''))));
    return;
  }
  const crew = drivers.filter((d) => !d.carrier_id || d.carrier_id === truck.carrier_id);
  for (const s of ans.suggestions) {
    const l = (ans.loads || {})[s.load] || {};
    out.appendChild(offerCard(s, l, truck, crew));
  }
}

function offerCard(s, l, truck, crew) {
  const driver = select(crew.map((d) => [d.id, d.name]), crew[0] && crew[0].id, { class: 'wb-driver', 'aria-label': t('carrier.driver') });
  const reason = select(['price', 'time', 'route', 'other'].map((r) => [r, t(`carrier.reason.${r}`)]), 'price', { class: 'wb-reason', 'aria-label': t('carrier.decline_reason') });
  const accept = h('button', { type: 'button', class: 'btn btn-primary wb-accept', text: t('carrier.accept'), disabled: !crew.length });
  const decline = h('button', { type: 'button', class: 'btn wb-decline', text: t('carrier.decline') });
  const card = h('article', { class: 'wb-card', dataset: { load: s.load } },
    h('header', null, h('strong', { text: l.goods || s.load }), ' ', h('span', { class: 'muted', text: cargoText(l.cargo) })),
    h('p', { class: 'wb-route', text: `${placeText(l.origin)} → ${placeText(l.destination)}` }),
    h('dl', { class: 'kv' },
      h('dt', { text: t('carrier.pays') }), h('dd', { class: 'wb-pays', text: yuan(l.price_offered) }),
      h('dt', { text: t('wb.margin') }), h('dd', { text: yuan(s.margin) }),
      h('dt', { text: t('carrier.weight') }), h('dd', { text: l.weight ? tonnes(l.weight) : t('common.dash') })),
    suggestionFigures(s),
    crew.length ? null : h('p', { class: 'warn-text', text: t('carrier.no_drivers') }),
    h('div', { class: 'wb-actions' }, driver, accept, reason, decline));
  accept.addEventListener('click', async () => {
    accept.disabled = true;
    try {
      const r = await api('/api/v1/matching/accept', { method: 'POST', body: { load_id: s.load, vehicle_id: truck.id, driver_id: driver.value } });
      toast(t('carrier.accepted', { note: (r.waybill && r.waybill.shipping_note_number) || '' }));
      reload();
    } catch (e) {
      toast(errorText(e), 'error');
      accept.disabled = false;
    }
  });
  decline.addEventListener('click', async () => {
    decline.disabled = true;
    try {
      await api('/api/v1/matching/decline', { method: 'POST', body: { load_id: s.load, vehicle_id: truck.id, reason: t(`carrier.reason.${reason.value}`) } });
      toast(t('carrier.declined'));
      card.remove();
    } catch (e) {
      toast(errorText(e), 'error');
      decline.disabled = false;
    }
  });
  return card;
}

/** My waybills with a status filter, newest first, each with its next lifecycle steps. */
async function waybillsPanel(box, ctx) {
  const status = ctx.params.get('status') || '';
  const filter = select([['', t('carrier.all')], ...WAYBILL_STATUSES.map((s) => [s, t(`wb.status.waybill.${s}`)])], status, { id: 'waybill-status' });
  filter.addEventListener('change', () => {
    const p = new URLSearchParams(ctx.params);
    p.set('status', filter.value);
    location.hash = `#/carrier?${p}`;
  });
  const list = h('div', { class: 'wb-list', id: 'waybill-list' });
  const more = h('button', { type: 'button', class: 'btn', text: t('carrier.more'), hidden: true });
  box.append(h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('carrier.status_filter') }), filter), list, more);
  let cursor = null;
  const load = async () => {
    const q = `sort=-created_at&limit=15${status ? `&status=${status}` : ''}${cursor ? `&cursor=${enc(cursor)}` : ''}`;
    const page = await api(`/api/v1/waybills?${q}`);
    for (const w of page.items) list.appendChild(waybillRow(w));
    if (!list.children.length) list.appendChild(noData());
    cursor = page.next_cursor;
    more.hidden = !cursor;
  };
  more.addEventListener('click', () => load().catch((e) => toast(errorText(e), 'error')));
  await load();
}

function waybillRow(w) {
  const steps = (NEXT[w.status] || []).map((to) => {
    const b = h('button', { type: 'button', class: `btn btn-small${to === 'cancelled' ? '' : ' btn-primary'}`, dataset: { to },
      text: t('carrier.move_to', { status: t(`wb.status.waybill.${to}`) }) });
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await api(`/api/v1/waybills/${enc(w.id)}/status`, { method: 'POST', body: { status: to } });
        toast(t('carrier.moved', { status: t(`wb.status.waybill.${to}`) }));
        reload();
      } catch (e) {
        toast(errorText(e), 'error');
        b.disabled = false;
      }
    });
    return b;
  });
  return h('article', { class: 'wb-item', dataset: { waybill: w.id, status: w.status } },
    h('div', { class: 'wb-item-head' }, h('strong', { text: w.shipping_note_number }), statusBadge('waybill', w.status)),
    h('div', { class: 'muted small', text: `${w.vehicle.plate} · ${(w.goods || []).map((g) => g.description).join('、')}` }),
    h('div', { class: 'small', text: `${w.consignor.name} → ${w.consignee.name}` }),
    h('div', { class: 'small muted', text: `${fmtDateTime(w.consignment_time)} · ${yuan(w.total_amount)}` }),
    steps.length ? h('div', { class: 'wb-actions' }, steps) : null);
}
