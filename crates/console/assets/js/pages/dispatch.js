// 配送调度 Dispatcher's workbench: pick the orders to deliver (the caller's open loads and waybills not
// yet on the road, with destinations in the city), the vehicles (own fleet plus hired vans) and a
// depot; plan a round with the dispatch engine; see each route on the map along the road geometry
// the API returns, its stops with arrival times and loads, the totals and the orders left out with
// their reason. Drag a stop (or use its "move" menu) to another route or position: the edited plan
// is re-checked on the server and the new times, loads and violations are shown at each stop.
import { t, addStrings, fmtNum } from '../i18n.js';
import { api } from '../api.js';
import { h, clear, card, table, noData, errorBox, errorText, toast, select, field, badge, loadCss, beijingToday } from '../ui.js';
import { baseMap, disposeMaps } from '../mapbase.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "dispatch.title": "配送调度",
    "dispatch.subtitle": "从订单和车辆编排城市配送线路，拖动站点后由服务器重新校验",
    "dispatch.setup": "计划条件",
    "dispatch.depot": "出发场站",
    "dispatch.date": "配送日期",
    "dispatch.shift": "班次",
    "dispatch.service_min": "每站作业（分钟）",
    "dispatch.budget_s": "求解时长（秒）",
    "dispatch.use_windows": "遵守送达时间窗",
    "dispatch.orders": "订单（{n}）",
    "dispatch.orders_hidden": "另有 {n} 个订单的目的地不在市内（距场站超过 {km} 公里），未列出。",
    "dispatch.filter": "筛选",
    "dispatch.filter_placeholder": "编号、货物或地址",
    "dispatch.select_all": "全选所列",
    "dispatch.vehicles": "车辆（{n}）",
    "dispatch.hired": "外协车辆",
    "dispatch.hired_count": "数量",
    "dispatch.hired_kg": "载重（kg）",
    "dispatch.hired_name": "外协车 {n}",
    "dispatch.col_order": "订单",
    "dispatch.col_goods": "货物",
    "dispatch.col_dest": "目的地",
    "dispatch.col_weight": "重量 kg",
    "dispatch.col_window": "送达时间窗",
    "dispatch.col_plate": "车牌",
    "dispatch.col_body": "车型",
    "dispatch.col_capacity": "载重 kg",
    "dispatch.col_volume": "容积 m³",
    "dispatch.col_status": "状态",
    "dispatch.col_reason": "原因",
    "dispatch.col_move": "调整",
    "dispatch.kind_load": "货源",
    "dispatch.kind_waybill": "运单",
    "dispatch.plan": "编排线路",
    "dispatch.planning": "正在求解…",
    "dispatch.rechecking": "正在重新校验…",
    "dispatch.need_selection": "请至少选择一个订单和一辆车。",
    "dispatch.no_depot": "没有可选的场站。",
    "dispatch.selected": "已选 {orders} 个订单、{vehicles} 辆车",
    "dispatch.result": "计划结果",
    "dispatch.routes": "线路",
    "dispatch.served": "已安排",
    "dispatch.unassigned_n": "未安排",
    "dispatch.distance": "里程",
    "dispatch.duration": "用时",
    "dispatch.feasible": "可行",
    "dispatch.infeasible": "有 {n} 处违规",
    "dispatch.timing": "求解 {solve} ms，绘制 {draw} ms",
    "dispatch.route_n": "线路 {n}",
    "dispatch.route_title": "线路 {n} · {plate}",
    "dispatch.route_meta": "{stops} 站 · {km} 公里 · {hours} 小时 · 出车装载 {load} / {cap} kg",
    "dispatch.route_empty": "未出车：可把站点拖到这里",
    "dispatch.depart": "出发 {time}",
    "dispatch.return": "回场 {time}",
    "dispatch.arrive": "到达 {time}",
    "dispatch.load_after": "余载 {kg} kg",
    "dispatch.wait": "等候 {min} 分钟",
    "dispatch.move": "移动到…",
    "dispatch.move_up": "上移一位",
    "dispatch.move_down": "下移一位",
    "dispatch.move_to": "移到线路 {n}（{plate}）",
    "dispatch.move_out": "移出（不安排）",
    "dispatch.move_label": "移动站点 {order}",
    "dispatch.drag_hint": "拖动站点可改变线路或顺序，也可用每站的“移动到…”菜单。",
    "dispatch.unassigned": "未安排的订单（{n}）",
    "dispatch.none_unassigned": "全部订单都已安排。",
    "dispatch.reason.no_compatible_vehicle": "没有车型、温度或资质匹配的车辆",
    "dispatch.reason.exceeds_capacity": "超过所有可用车辆的载重或容积",
    "dispatch.reason.time_window_unreachable": "时间窗内无法送达（或班次内回不了场站）",
    "dispatch.reason.fleet_full": "车辆已满载或时间已排满",
    "dispatch.cause.capacity": "超载",
    "dispatch.cause.time_window": "晚于送达时间窗",
    "dispatch.cause.shift": "超出班次",
    "dispatch.cause.max_duration": "超过最长用时",
    "dispatch.cause.compatibility": "车辆不适配",
    "dispatch.cause.other": "违规：{code}",
    "dispatch.geometry_road": "线路沿路网绘制",
    "dispatch.geometry_straight": "未加载路网：线路为站点间直线示意（虚线），里程和时间为估算。",
    "dispatch.geometry_mixed": "部分线路无法沿路网计算，以虚线直线示意。",
    "dispatch.rechecked_ok": "已重新校验：计划可行",
    "dispatch.rechecked_bad": "已重新校验：有 {n} 处违规，见各站标注",
    "dispatch.depot_marker": "场站：{name}",
    "dispatch.stop_marker": "{route} 第 {n} 站：{order}"
  },
  "en": {
    "dispatch.title": "Dispatch",
    "dispatch.subtitle": "Plan city delivery rounds from orders and vehicles; drag stops and the server re-checks",
    "dispatch.setup": "Plan settings",
    "dispatch.depot": "Depot",
    "dispatch.date": "Delivery date",
    "dispatch.shift": "Shift",
    "dispatch.service_min": "Service per stop (min)",
    "dispatch.budget_s": "Solver time (s)",
    "dispatch.use_windows": "Respect delivery windows",
    "dispatch.orders": "Orders ({n})",
    "dispatch.orders_hidden": "{n} more orders go outside the city (over {km} km from the depot) and are not listed.",
    "dispatch.filter": "Filter",
    "dispatch.filter_placeholder": "ID, goods or address",
    "dispatch.select_all": "Select all listed",
    "dispatch.vehicles": "Vehicles ({n})",
    "dispatch.hired": "Hired vans",
    "dispatch.hired_count": "Count",
    "dispatch.hired_kg": "Capacity (kg)",
    "dispatch.hired_name": "Hired van {n}",
    "dispatch.col_order": "Order",
    "dispatch.col_goods": "Goods",
    "dispatch.col_dest": "Destination",
    "dispatch.col_weight": "Weight kg",
    "dispatch.col_window": "Delivery window",
    "dispatch.col_plate": "Plate",
    "dispatch.col_body": "Body",
    "dispatch.col_capacity": "Capacity kg",
    "dispatch.col_volume": "Volume m³",
    "dispatch.col_status": "Status",
    "dispatch.col_reason": "Reason",
    "dispatch.col_move": "Change",
    "dispatch.kind_load": "Load",
    "dispatch.kind_waybill": "Waybill",
    "dispatch.plan": "Plan routes",
    "dispatch.planning": "Solving…",
    "dispatch.rechecking": "Re-checking…",
    "dispatch.need_selection": "Select at least one order and one vehicle.",
    "dispatch.no_depot": "No depot to start from.",
    "dispatch.selected": "{orders} orders and {vehicles} vehicles selected",
    "dispatch.result": "Plan",
    "dispatch.routes": "Routes",
    "dispatch.served": "Served",
    "dispatch.unassigned_n": "Unassigned",
    "dispatch.distance": "Distance",
    "dispatch.duration": "Duration",
    "dispatch.feasible": "Feasible",
    "dispatch.infeasible": "{n} violation(s)",
    "dispatch.timing": "solve {solve} ms, draw {draw} ms",
    "dispatch.route_n": "Route {n}",
    "dispatch.route_title": "Route {n} · {plate}",
    "dispatch.route_meta": "{stops} stops · {km} km · {hours} h · loaded {load} / {cap} kg",
    "dispatch.route_empty": "Not used: drop stops here",
    "dispatch.depart": "Leaves {time}",
    "dispatch.return": "Back {time}",
    "dispatch.arrive": "Arrives {time}",
    "dispatch.load_after": "On board {kg} kg",
    "dispatch.wait": "waits {min} min",
    "dispatch.move": "Move to…",
    "dispatch.move_up": "Up one",
    "dispatch.move_down": "Down one",
    "dispatch.move_to": "To route {n} ({plate})",
    "dispatch.move_out": "Take out (unassign)",
    "dispatch.move_label": "Move stop {order}",
    "dispatch.drag_hint": "Drag a stop to change its route or order, or use each stop's \"Move to…\" menu.",
    "dispatch.unassigned": "Unassigned orders ({n})",
    "dispatch.none_unassigned": "Every order is planned.",
    "dispatch.reason.no_compatible_vehicle": "No vehicle with the body, temperature or skills it needs",
    "dispatch.reason.exceeds_capacity": "Heavier or bulkier than every vehicle",
    "dispatch.reason.time_window_unreachable": "Cannot be reached in its window (or back within the shift)",
    "dispatch.reason.fleet_full": "No room left in the fleet",
    "dispatch.cause.capacity": "Over capacity",
    "dispatch.cause.time_window": "After its delivery window",
    "dispatch.cause.shift": "Beyond the shift",
    "dispatch.cause.max_duration": "Route too long",
    "dispatch.cause.compatibility": "Vehicle cannot carry it",
    "dispatch.cause.other": "Violation: {code}",
    "dispatch.geometry_road": "Routes drawn along the road network",
    "dispatch.geometry_straight": "No road network loaded: routes are straight lines between stops (dashed); distances and times are estimates.",
    "dispatch.geometry_mixed": "Some routes could not be routed on the network and are drawn as dashed straight lines.",
    "dispatch.rechecked_ok": "Re-checked: the plan is feasible",
    "dispatch.rechecked_bad": "Re-checked: {n} violation(s), marked at their stops",
    "dispatch.depot_marker": "Depot: {name}",
    "dispatch.stop_marker": "{route} stop {n}: {order}"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const COLOURS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#0550ae', '#bf3989', '#4d2d00',
  '#116329', '#953800', '#6639ba', '#a40e26', '#1b7c83', '#7d4e00', '#0a3069', '#d1242f', '#2da44e',
  '#9a6700', '#e16f24', '#218bff'];
const CITY_KM = 60;
const DEPOT_KINDS = ['depot', 'warehouse', 'logistics_park', 'cold_store', 'market'];
const PAGE = 500;

let state = null;

/** Decodes an encoded polyline (precision 5) into Leaflet `[lat, lon]` points. */
export function decodePolyline(s, precision = 5) {
  const f = 10 ** precision;
  const out = [];
  let i = 0;
  let lat = 0;
  let lon = 0;
  while (i < s.length) {
    for (let which = 0; which < 2; which += 1) {
      let result = 0;
      let shift = 0;
      let b;
      do {
        b = s.charCodeAt(i) - 63;
        i += 1;
        result |= (b & 0x1f) << shift;
        shift += 5;
      } while (b >= 0x20 && i < s.length);
      const d = (result & 1) ? ~(result >> 1) : (result >> 1);
      if (which === 0) lat += d; else lon += d;
    }
    out.push([lat / f, lon / f]);
  }
  return out;
}

function km(a, b) {
  const r = Math.PI / 180;
  const dLat = (b.lat - a.lat) * r;
  const dLon = (b.lon - a.lon) * r;
  const x = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(x));
}

/** Epoch seconds → HH:MM in Beijing time. */
function clock(sec) {
  const d = new Date((sec + 8 * 3600) * 1000);
  return d.toISOString().slice(11, 16);
}

function dayOf(iso) {
  return new Date(Date.parse(iso) + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

async function listAll(path, max = 2000) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api(`${path}${sep}limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...(page.items || []));
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}

/** The caller's open loads and not-yet-dispatched waybills as orders with a destination point. */
async function loadOrders() {
  const [loads, drafts, confirmed] = await Promise.all([
    listAll('/api/v1/loads?status=open').catch(() => []),
    listAll('/api/v1/waybills?status=draft').catch(() => []),
    listAll('/api/v1/waybills?status=confirmed').catch(() => []),
  ]);
  const orders = [];
  for (const l of loads) {
    if (!l.destination || !l.destination.point) continue;
    const w = l.delivery_window;
    orders.push({
      key: l.id, kind: 'load', label: l.external_id || l.id, goods: l.goods || '', place: l.destination.address || '',
      point: l.destination.point, weight: Number(l.weight) || 0, volume: Number(l.volume) || 0,
      window: w && w.start && w.end ? [Date.parse(w.start) / 1000, Date.parse(w.end) / 1000] : null,
    });
  }
  for (const w of [...drafts, ...confirmed]) {
    const c = w.consignee;
    if (!c || !c.point) continue;
    const goods = w.goods || [];
    orders.push({
      key: w.id, kind: 'waybill', label: w.shipping_note_number || w.external_id || w.id,
      goods: goods.map((g) => g.description).join('、'), place: c.name || c.place || '', point: c.point,
      weight: goods.reduce((s, g) => s + (Number(g.gross_weight) || 0), 0),
      volume: goods.reduce((s, g) => s + (Number(g.cube) || 0), 0), window: null,
    });
  }
  return orders;
}

function hiredVehicles(count, kg) {
  return Array.from({ length: count }, (_, i) => ({
    key: `hired-${i + 1}`, plate: t('dispatch.hired_name', { n: i + 1 }), body: 'van', capacity: kg, volume: 0, hired: true,
  }));
}

function windowText(o) {
  if (!o.window) return t('common.dash');
  const day = (sec) => dayOf(new Date(sec * 1000).toISOString()).slice(5);
  const [a, b] = o.window;
  return day(a) === day(b) ? `${day(a)} ${clock(a)}–${clock(b)}` : `${day(a)} ${clock(a)}–${day(b)} ${clock(b)}`;
}

// ---------------------------------------------------------------- selection panel

function ordersCard() {
  const s = state;
  const filter = h('input', { id: 'dispatch-filter', type: 'search', placeholder: t('dispatch.filter_placeholder'), value: s.filter });
  const body = h('tbody');
  const all = h('input', { type: 'checkbox', id: 'dispatch-orders-all', 'aria-label': t('dispatch.select_all') });
  const title = h('h2', { class: 'card-title' });
  const shown = () => s.cityOrders.filter((o) => !s.filter || `${o.label} ${o.goods} ${o.place}`.toLowerCase().includes(s.filter.toLowerCase()));
  const redraw = () => {
    const rows = shown();
    title.textContent = t('dispatch.orders', { n: s.cityOrders.length });
    clear(body);
    for (const o of rows) {
      const box = h('input', { type: 'checkbox', checked: s.selOrders.has(o.key), dataset: { order: o.key }, 'aria-label': o.label });
      box.addEventListener('change', () => {
        if (box.checked) s.selOrders.add(o.key); else s.selOrders.delete(o.key);
        updateSummary();
      });
      body.appendChild(h('tr', null, h('td', null, box),
        h('td', { class: 'dsp-label' }, h('div', { text: o.label }), h('div', { class: 'muted small', text: t(`dispatch.kind_${o.kind}`) })),
        h('td', { class: 'dsp-place', title: `${o.goods} · ${o.place}` }, h('div', { class: 'dsp-ellipsis', text: o.place }),
          h('div', { class: 'muted small dsp-ellipsis', text: o.goods })),
        h('td', { class: 'num', text: fmtNum(o.weight) }), h('td', { text: windowText(o) })));
    }
    all.checked = rows.length > 0 && rows.every((o) => s.selOrders.has(o.key));
    if (!rows.length) body.appendChild(h('tr', null, h('td', { colspan: 5 }, noData())));
  };
  filter.addEventListener('input', () => { s.filter = filter.value; redraw(); });
  all.addEventListener('change', () => {
    for (const o of shown()) { if (all.checked) s.selOrders.add(o.key); else s.selOrders.delete(o.key); }
    redraw();
    updateSummary();
  });
  redraw();
  const hidden = s.orders.length - s.cityOrders.length;
  return h('section', { class: 'card dsp-orders' }, title,
    h('div', { class: 'dsp-filter' }, field(t('dispatch.filter'), filter), h('label', { class: 'dsp-check' }, all, t('dispatch.select_all'))),
    h('div', { class: 'table-wrap dsp-scroll' }, h('table', { class: 'table', id: 'dispatch-orders' },
      h('thead', null, h('tr', null, h('th'), ['col_order', 'col_dest', 'col_weight', 'col_window'].map((k) => h('th', { text: t(`dispatch.${k}`) })))),
      body)),
    hidden > 0 ? h('p', { class: 'muted small', text: t('dispatch.orders_hidden', { n: hidden, km: CITY_KM }) }) : null);
}

function vehiclesCard() {
  const s = state;
  const body = h('tbody');
  const title = h('h2', { class: 'card-title' });
  const count = h('input', { id: 'dispatch-hired-count', type: 'number', min: 0, max: 100, value: s.hired.count });
  const kg = h('input', { id: 'dispatch-hired-kg', type: 'number', min: 100, max: 50000, step: 100, value: s.hired.kg });
  const redraw = () => {
    s.vehicles = [...s.own, ...hiredVehicles(s.hired.count, s.hired.kg)];
    for (const v of s.vehicles) if (v.hired && !s.seenHired.has(v.key)) { s.seenHired.add(v.key); s.selVehicles.add(v.key); }
    for (const k of [...s.selVehicles]) if (!s.vehicles.some((v) => v.key === k)) s.selVehicles.delete(k);
    title.textContent = t('dispatch.vehicles', { n: s.vehicles.length });
    clear(body);
    for (const v of s.vehicles) {
      const box = h('input', { type: 'checkbox', checked: s.selVehicles.has(v.key), dataset: { vehicle: v.key }, 'aria-label': v.plate });
      box.addEventListener('change', () => {
        if (box.checked) s.selVehicles.add(v.key); else s.selVehicles.delete(v.key);
        updateSummary();
      });
      body.appendChild(h('tr', null, h('td', null, box), h('td', { text: v.plate }), h('td', { text: v.body || t('common.dash') }),
        h('td', { class: 'num', text: fmtNum(v.capacity) }), h('td', { class: 'num', text: v.volume ? fmtNum(v.volume, 1) : t('common.dash') }),
        h('td', { text: v.status || t('dispatch.hired') })));
    }
    if (!s.vehicles.length) body.appendChild(h('tr', null, h('td', { colspan: 6 }, noData())));
    updateSummary();
  };
  const change = () => {
    s.hired = { count: Math.max(0, Math.min(100, Number(count.value) || 0)), kg: Math.max(100, Number(kg.value) || 1000) };
    s.seenHired.clear();
    redraw();
  };
  count.addEventListener('change', change);
  kg.addEventListener('change', change);
  redraw();
  return h('section', { class: 'card dsp-vehicles' }, title,
    h('div', { class: 'dsp-hired' }, h('span', { class: 'field-label', text: t('dispatch.hired') }),
      field(t('dispatch.hired_count'), count), field(t('dispatch.hired_kg'), kg)),
    h('div', { class: 'table-wrap dsp-scroll' }, h('table', { class: 'table', id: 'dispatch-vehicles' },
      h('thead', null, h('tr', null, h('th'), ['col_plate', 'col_body', 'col_capacity', 'col_volume', 'col_status'].map((k) => h('th', { text: t(`dispatch.${k}`) })))),
      body)));
}

function updateSummary() {
  if (!state || !state.summaryEl) return;
  state.summaryEl.textContent = t('dispatch.selected', { orders: state.selOrders.size, vehicles: state.selVehicles.size });
}

// ---------------------------------------------------------------- the problem

/** The VROOM problem for the current selection; ids are positions + 1 in `jobs` / `vehicles`. */
function buildProblem() {
  const s = state;
  const depot = s.depots.find((d) => d.id === s.depotSel.value);
  const at = [depot.location.lon, depot.location.lat];
  const start = Date.parse(`${s.dateIn.value}T08:00:00+08:00`) / 1000;
  const end = Date.parse(`${s.dateIn.value}T20:00:00+08:00`) / 1000;
  const service = Math.max(0, Math.round((Number(s.serviceIn.value) || 0) * 60));
  const orders = s.cityOrders.filter((o) => s.selOrders.has(o.key));
  const vehicles = s.vehicles.filter((v) => s.selVehicles.has(v.key));
  const big = 1e9;
  const problem = {
    vehicles: vehicles.map((v, i) => ({
      id: i + 1, start: at, end: at, description: v.plate, time_window: [start, end],
      capacity: [Math.round(v.capacity), v.volume ? Math.round(v.volume * 1000) : big],
    })),
    jobs: orders.map((o, i) => {
      const job = {
        id: i + 1, location: [o.point.lon, o.point.lat], description: o.label, service,
        delivery: [Math.round(o.weight), Math.round(o.volume * 1000)],
      };
      if (s.windowsIn.checked && o.window) job.time_windows = [[Math.round(o.window[0]), Math.round(o.window[1])]];
      return job;
    }),
  };
  return { problem, orders, vehicles, depot };
}

// ---------------------------------------------------------------- planning and re-checking

async function plan() {
  const s = state;
  if (!s.depots.length) { toast(t('dispatch.no_depot'), 'error'); return; }
  const built = buildProblem();
  if (!built.orders.length || !built.vehicles.length) { toast(t('dispatch.need_selection'), 'error'); return; }
  performance.clearMarks();
  performance.mark('dispatch-click');
  s.planBtn.disabled = true;
  s.statusEl.textContent = t('dispatch.planning');
  s.resultEl.dataset.state = 'solving';
  const budget = Math.max(0.1, Math.min(60, Number(s.budgetIn.value) || 2));
  try {
    const answer = await api(`/api/v1/dispatch/solve?time=${budget}&geometry=true`, { method: 'POST', body: built.problem });
    performance.mark('dispatch-solved');
    s.current = { ...built, answer };
    s.plan = planOf(answer, built.vehicles.length);
    await show(false);
  } catch (e) {
    s.resultEl.dataset.state = 'error';
    clear(s.resultEl).appendChild(errorBox(e));
    s.statusEl.textContent = '';
  } finally {
    s.planBtn.disabled = false;
  }
}

/** The route lists of an answer: vehicle id → job ids, one entry per selected vehicle. */
function planOf(answer, nVehicles) {
  const routes = new Map();
  for (let v = 1; v <= nVehicles; v += 1) routes.set(v, []);
  for (const r of answer.routes || []) routes.set(r.vehicle, r.steps.filter((x) => x.type === 'job').map((x) => x.id));
  return routes;
}

async function recheck() {
  const s = state;
  const body = {
    problem: s.current.problem,
    routes: [...s.plan.entries()].filter(([, jobs]) => jobs.length).map(([vehicle, jobs]) => ({ vehicle, jobs })),
  };
  s.statusEl.textContent = t('dispatch.rechecking');
  s.resultEl.dataset.state = 'checking';
  performance.clearMarks();
  performance.mark('dispatch-click');
  try {
    const answer = await api('/api/v1/dispatch/check', { method: 'POST', body });
    performance.mark('dispatch-solved');
    s.current.answer = answer;
    s.plan = planOf(answer, s.current.vehicles.length);
    await show(true);
    const n = (answer.check && answer.check.violations || []).length;
    toast(n ? t('dispatch.rechecked_bad', { n }) : t('dispatch.rechecked_ok'), n ? 'error' : 'ok');
  } catch (e) {
    s.resultEl.dataset.state = 'error';
    toast(errorText(e), 'error');
    s.statusEl.textContent = errorText(e);
  }
}

/** Moves job `id` to route `vehicle` before job `before` (or at the end); `vehicle` 0 unassigns it. */
function moveJob(id, vehicle, before) {
  const s = state;
  for (const jobs of s.plan.values()) {
    const i = jobs.indexOf(id);
    if (i >= 0) jobs.splice(i, 1);
  }
  if (vehicle) {
    const jobs = s.plan.get(vehicle);
    const at = before ? jobs.indexOf(before) : -1;
    if (at >= 0) jobs.splice(at, 0, id); else jobs.push(id);
  }
  recheck();
}

function shiftJob(id, delta) {
  for (const [v, jobs] of state.plan.entries()) {
    const i = jobs.indexOf(id);
    if (i < 0) continue;
    const j = i + delta;
    if (j < 0 || j >= jobs.length) return;
    moveJob(id, v, delta < 0 ? jobs[j] : jobs[j + 1]);
    return;
  }
}

// ---------------------------------------------------------------- drawing the answer

function causeText(v) {
  const key = `dispatch.cause.${v.cause}`;
  return t.has(key) ? t(key) : t('dispatch.cause.other', { code: v.cause });
}

function reasonText(r) {
  const key = `dispatch.reason.${r}`;
  return r && t.has(key) ? t(key) : (r || t('common.dash'));
}

async function show(rechecked) {
  const s = state;
  const { answer, orders, vehicles } = s.current;
  const routes = answer.routes || [];
  drawMap(routes, answer.geometry_source);
  performance.mark('dispatch-drawn');
  const solveMs = performance.measure('dispatch-solve', 'dispatch-click', 'dispatch-solved').duration;
  const drawMs = performance.measure('dispatch-draw', 'dispatch-solved', 'dispatch-drawn').duration;
  window.__dispatchTiming = { solve_ms: solveMs, draw_ms: drawMs, total_ms: solveMs + drawMs, routes: routes.length, rechecked };
  const violations = (answer.check && answer.check.violations) || [];
  const sum = answer.summary || {};
  const geo = answer.geometry_source;
  const geoNote = geo === 'road'
    ? h('p', { class: 'dsp-geo dsp-geo-road', dataset: { geometry: geo }, text: t('dispatch.geometry_road') })
    : h('p', { class: 'dsp-geo dsp-geo-straight', role: 'note', dataset: { geometry: geo || 'none' },
      text: t(geo === 'mixed' ? 'dispatch.geometry_mixed' : 'dispatch.geometry_straight') });
  const totals = h('div', { class: 'dsp-totals', id: 'dispatch-totals' },
    stat(t('dispatch.routes'), fmtNum(routes.length), 'routes'),
    stat(t('dispatch.served'), fmtNum(routes.reduce((n, r) => n + r.steps.filter((x) => x.type === 'job').length, 0)), 'served'),
    stat(t('dispatch.unassigned_n'), fmtNum((answer.unassigned || []).length), 'unassigned'),
    stat(t('dispatch.distance'), `${fmtNum((sum.distance || 0) / 1000, 1)} km`, 'distance'),
    stat(t('dispatch.duration'), `${fmtNum((sum.duration || 0) / 3600, 1)} h`, 'duration'),
    h('div', { class: 'dsp-stat' }, violations.length
      ? badge(t('dispatch.infeasible', { n: violations.length }), 'bad')
      : badge(t('dispatch.feasible'), 'ok'),
    h('span', { class: 'muted small', id: 'dispatch-timing', text: t('dispatch.timing', { solve: fmtNum(solveMs), draw: fmtNum(drawMs) }) })));
  const byVehicle = new Map(routes.map((r, i) => [r.vehicle, { r, colour: COLOURS[i % COLOURS.length] }]));
  const lists = h('div', { class: 'dsp-routes', id: 'dispatch-routes' });
  let n = 0;
  for (const [vid] of s.plan.entries()) {
    n += 1;
    lists.appendChild(routeCard(n, vid, byVehicle.get(vid), vehicles[vid - 1], orders));
  }
  clear(s.resultEl).append(geoNote, totals, h('p', { class: 'muted small', text: t('dispatch.drag_hint') }), lists,
    unassignedCard(answer.unassigned || [], orders));
  s.resultEl.dataset.state = rechecked ? 'rechecked' : 'planned';
  s.resultEl.dataset.violations = String(violations.length);
  s.statusEl.textContent = '';
}

function stat(label, value, key) {
  return h('div', { class: 'dsp-stat', dataset: { stat: key } }, h('span', { class: 'dsp-stat-label', text: label }), h('strong', { text: value }));
}

function moveMenu(id, order, current) {
  const s = state;
  const opts = [['', t('dispatch.move')]];
  if (current) opts.push(['up', t('dispatch.move_up')], ['down', t('dispatch.move_down')]);
  let n = 0;
  for (const vid of s.plan.keys()) {
    n += 1;
    if (vid !== current) opts.push([`v${vid}`, t('dispatch.move_to', { n, plate: s.current.vehicles[vid - 1].plate })]);
  }
  if (current) opts.push(['out', t('dispatch.move_out')]);
  const sel = select(opts, '', { class: 'dsp-move', 'aria-label': t('dispatch.move_label', { order: order.label }), dataset: { job: id } });
  sel.addEventListener('change', () => {
    const v = sel.value;
    if (v === 'up') shiftJob(id, -1);
    else if (v === 'down') shiftJob(id, 1);
    else if (v === 'out') moveJob(id, 0);
    else if (v.startsWith('v')) moveJob(id, Number(v.slice(1)));
  });
  return sel;
}

function dropTarget(el, vehicle, before) {
  el.addEventListener('dragover', (ev) => { ev.preventDefault(); el.classList.add('dsp-over'); });
  el.addEventListener('dragleave', () => el.classList.remove('dsp-over'));
  el.addEventListener('drop', (ev) => {
    ev.preventDefault();
    ev.stopPropagation();
    el.classList.remove('dsp-over');
    const id = Number(ev.dataTransfer.getData('text/plain'));
    if (id && id !== before) moveJob(id, vehicle, before);
  });
}

function routeCard(n, vid, drawn, vehicle, orders) {
  const list = h('ol', { class: 'dsp-stops', dataset: { vehicle: vid } });
  dropTarget(list, vid, null);
  const head = h('div', { class: 'dsp-route-head' },
    h('span', { class: 'dsp-swatch', style: { background: drawn ? drawn.colour : '#d0d7de' } }),
    h('strong', { text: t('dispatch.route_title', { n, plate: vehicle.plate }) }));
  const cardEl = h('section', { class: 'card dsp-route', dataset: { vehicle: vid, route: n } }, head);
  if (!drawn) {
    cardEl.classList.add('dsp-route-empty');
    list.appendChild(h('li', { class: 'dsp-empty muted', text: t('dispatch.route_empty') }));
    cardEl.appendChild(list);
    return cardEl;
  }
  const r = drawn.r;
  const steps = r.steps;
  const startLoad = steps[0].load ? steps[0].load[0] : 0;
  head.appendChild(h('span', { class: 'muted small', text: t('dispatch.route_meta', {
    stops: steps.length - 2, km: fmtNum((r.distance || 0) / 1000, 1), hours: fmtNum((steps[steps.length - 1].arrival - steps[0].arrival) / 3600, 1),
    load: fmtNum(startLoad), cap: fmtNum(vehicle.capacity) }) }));
  const routeViol = [...(r.violations || []), ...(steps[0].violations || []), ...(steps[steps.length - 1].violations || [])];
  list.appendChild(h('li', { class: 'dsp-depot muted' }, t('dispatch.depart', { time: clock(steps[0].arrival) }),
    ` · ${t('dispatch.load_after', { kg: fmtNum(startLoad) })}`));
  let k = 0;
  for (const st of steps) {
    if (st.type !== 'job') continue;
    k += 1;
    const order = orders[st.id - 1];
    const viol = st.violations || [];
    const li = h('li', { class: `dsp-stop${viol.length ? ' dsp-bad' : ''}`, draggable: 'true', dataset: { job: st.id, seq: k } },
      h('span', { class: 'dsp-seq', style: { background: drawn.colour }, text: String(k) }),
      h('div', { class: 'dsp-stop-main' },
        h('div', { class: 'dsp-stop-name', text: `${order.label} · ${order.place}`, title: order.place }),
        h('div', { class: 'dsp-stop-meta' },
          h('span', { class: 'dsp-arrival', text: t('dispatch.arrive', { time: clock(st.arrival) }) }),
          st.waiting_time > 60 ? h('span', { class: 'muted', text: t('dispatch.wait', { min: fmtNum(st.waiting_time / 60) }) }) : null,
          h('span', { class: 'dsp-load', text: t('dispatch.load_after', { kg: fmtNum(st.load ? st.load[0] : 0) }) })),
        viol.length ? h('div', { class: 'dsp-viol' }, viol.map((v) => badge(causeText(v), 'bad'))) : null),
      moveMenu(st.id, order, vid));
    li.addEventListener('dragstart', (ev) => {
      ev.dataTransfer.setData('text/plain', String(st.id));
      ev.dataTransfer.effectAllowed = 'move';
      li.classList.add('dsp-dragging');
    });
    li.addEventListener('dragend', () => li.classList.remove('dsp-dragging'));
    dropTarget(li, vid, st.id);
    list.appendChild(li);
  }
  const end = steps[steps.length - 1];
  list.appendChild(h('li', { class: 'dsp-depot muted' }, t('dispatch.return', { time: clock(end.arrival) })));
  cardEl.appendChild(list);
  if (routeViol.length) {
    cardEl.classList.add('dsp-route-bad');
    cardEl.appendChild(h('div', { class: 'dsp-viol dsp-route-viol' }, routeViol.map((v) => badge(causeText(v), 'bad'))));
  }
  return cardEl;
}

function unassignedCard(unassigned, orders) {
  const rows = unassigned.map((u) => {
    const o = orders[u.id - 1];
    return h('tr', { dataset: { job: u.id, reason: u.reason || '' } },
      h('td', { text: o.label }), h('td', { text: o.place }), h('td', { class: 'num', text: fmtNum(o.weight) }),
      h('td', { text: windowText(o) }), h('td', { class: 'dsp-reason', text: reasonText(u.reason) }),
      h('td', null, moveMenu(u.id, o, 0)));
  });
  return h('section', { class: 'card dsp-unassigned', id: 'dispatch-unassigned' },
    h('h2', { class: 'card-title', text: t('dispatch.unassigned', { n: unassigned.length }) }),
    rows.length
      ? table(['col_order', 'col_dest', 'col_weight', 'col_window', 'col_reason', 'col_move'].map((k) => ({ label: t(`dispatch.${k}`) })), rows)
      : h('p', { class: 'muted', text: t('dispatch.none_unassigned') }));
}

function drawMap(routes, source) {
  const s = state;
  const L = window.L;
  if (!s.map || !L) return;
  if (s.layer) s.layer.remove();
  s.layer = L.layerGroup().addTo(s.map);
  const straight = source !== 'road';
  const vertices = [];
  const stops = [];
  const bounds = [];
  const depot = s.current.depot;
  L.circleMarker([depot.location.lat, depot.location.lon], { radius: 8, color: '#24292f', weight: 3, fillColor: '#fff', fillOpacity: 1 })
    .bindTooltip(t('dispatch.depot_marker', { name: depot.name })).addTo(s.layer);
  routes.forEach((r, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const pts = r.geometry
      ? decodePolyline(r.geometry)
      : r.steps.filter((x) => x.location).map((x) => [x.location[1], x.location[0]]);
    const dashed = straight || r.geometry_source === 'straight_line';
    const line = L.polyline(pts, { color: colour, weight: 4, opacity: 0.85, dashArray: dashed ? '6 6' : null }).addTo(s.layer);
    vertices.push(line.getLatLngs().length);
    stops.push(r.steps.length);
    bounds.push(...pts);
    let k = 0;
    for (const st of r.steps) {
      if (st.type !== 'job' || !st.location) continue;
      k += 1;
      const o = s.current.orders[st.id - 1];
      L.circleMarker([st.location[1], st.location[0]], { radius: 5, color: colour, weight: 2, fillColor: '#fff', fillOpacity: 1 })
        .bindTooltip(t('dispatch.stop_marker', { route: t('dispatch.route_n', { n: i + 1 }), n: k, order: o ? o.label : st.id }))
        .addTo(s.layer);
    }
  });
  if (bounds.length) s.map.fitBounds(bounds, { padding: [20, 20], animate: false });
  const el = s.mapEl;
  el.dataset.routes = String(routes.length);
  el.dataset.vertices = vertices.join(',');
  el.dataset.stops = stops.join(',');
  el.dataset.geometry = source || 'none';
}

// ---------------------------------------------------------------- the page

export async function render(root, ctx) {
  loadCss('dispatch');
  const p = ctx.params;
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('dispatch.title') }),
    h('p', { class: 'muted', text: t('dispatch.subtitle') })));
  let facilities;
  let orders;
  let own;
  try {
    [facilities, orders, own] = await Promise.all([
      listAll('/api/v1/facilities'),
      loadOrders(),
      listAll('/api/v1/vehicles').catch(() => []),
    ]);
  } catch (e) {
    root.appendChild(errorBox(e));
    return;
  }
  if (!ctx.isCurrent()) return;
  const depots = facilities.filter((f) => f.location && DEPOT_KINDS.includes(f.kind))
    .sort((a, b) => DEPOT_KINDS.indexOf(a.kind) - DEPOT_KINDS.indexOf(b.kind));
  const depotId = p.get('depot') && depots.some((d) => d.id === p.get('depot')) ? p.get('depot') : (depots[0] && depots[0].id);
  const days = new Map();
  for (const o of orders) if (o.window) { const d = dayOf(new Date(o.window[0] * 1000).toISOString()); days.set(d, (days.get(d) || 0) + 1); }
  const busiest = [...days.entries()].sort((a, b) => b[1] - a[1])[0];
  const hiredDefault = own.length ? 0 : 3;
  state = {
    orders, depots, own: own.map((v) => ({ key: v.id, plate: v.plate, body: v.body_type, capacity: Number(v.rated_load) || 0,
      volume: Number(v.cargo_volume) || 0, status: v.status })),
    filter: p.get('q') || '', selOrders: new Set(), selVehicles: new Set(), seenHired: new Set(),
    hired: { count: Number(p.get('hired') || hiredDefault), kg: Number(p.get('hired_kg') || 3000) },
    vehicles: [], cityOrders: [], map: null, layer: null, current: null, plan: null,
  };
  const s = state;
  s.depotSel = select(depots.map((d) => [d.id, d.name]), depotId, { id: 'dispatch-depot' });
  s.dateIn = h('input', { id: 'dispatch-date', type: 'date', value: p.get('date') || (busiest ? busiest[0] : beijingToday()) });
  s.serviceIn = h('input', { id: 'dispatch-service', type: 'number', min: 0, max: 240, value: p.get('service') || 10 });
  s.budgetIn = h('input', { id: 'dispatch-budget', type: 'number', min: 0.1, max: 60, step: 0.1, value: p.get('time') || 2 });
  s.windowsIn = h('input', { id: 'dispatch-windows', type: 'checkbox', checked: p.get('windows') !== 'no' });
  s.planBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'dispatch-plan', text: t('dispatch.plan'), onclick: plan });
  s.statusEl = h('span', { class: 'muted', id: 'dispatch-status', role: 'status' });
  s.summaryEl = h('span', { class: 'muted small', id: 'dispatch-selected' });
  s.resultEl = h('div', { class: 'dsp-result', id: 'dispatch-result', dataset: { state: 'idle' } });
  s.mapEl = h('div', { class: 'dsp-map', id: 'dispatch-map' });
  const ordersSlot = h('div');
  const cityOf = () => {
    const d = depots.find((x) => x.id === s.depotSel.value);
    s.cityOrders = d ? orders.filter((o) => km(d.location, o.point) <= CITY_KM) : orders;
    if (p.get('q')) s.cityOrders.forEach((o) => { if (`${o.label} ${o.goods} ${o.place}`.toLowerCase().includes(s.filter.toLowerCase())) s.selOrders.add(o.key); });
    clear(ordersSlot).appendChild(ordersCard());
    updateSummary();
  };
  s.depotSel.addEventListener('change', cityOf);
  const settings = h('section', { class: 'card dsp-settings' }, h('h2', { class: 'card-title', text: t('dispatch.setup') }),
    h('div', { class: 'dsp-fields' },
      field(t('dispatch.depot'), depots.length ? s.depotSel : h('span', { class: 'muted', text: t('dispatch.no_depot') })),
      field(t('dispatch.date'), s.dateIn), field(t('dispatch.service_min'), s.serviceIn), field(t('dispatch.budget_s'), s.budgetIn),
      h('label', { class: 'dsp-check' }, s.windowsIn, t('dispatch.use_windows'))),
    h('div', { class: 'dsp-actions' }, s.planBtn, s.summaryEl, s.statusEl));
  const vehiclesEl = vehiclesCard();
  cityOf();
  root.appendChild(h('div', { class: 'dsp-layout' },
    h('div', { class: 'dsp-left' }, settings, ordersSlot, vehiclesEl),
    h('div', { class: 'dsp-right' }, h('section', { class: 'card dsp-map-card' }, s.mapEl), s.resultEl)));
  updateSummary();
  s.map = await baseMap(s.mapEl);
  if (depotId) {
    const d = depots.find((x) => x.id === depotId);
    if (s.map && d) s.map.setView([d.location.lat, d.location.lon], 11);
  }
}

export function dispose() {
  disposeMaps();
  state = null;
}
