// 应急物流 Emergency logistics (issue 28), for the emergency office (admins and regulators): the
// reserves (government and agreement stockpiles, stock per item, lots expiring or expired), the
// relief requests (submit one, triage the submitted ones) and the allocation plan (exact, with the
// greedy baseline beside it), all on one map: stockpiles, requests coloured by priority, each
// truck trip as a line through its stops, and the closed areas (flood polygons) drawn on the map.
// Plan routes carry ids only, so their lines join the stockpile and request coordinates straight.
import { t, addStrings, lang, fmtNum, fmtPct, fmtDateTime, fmtDate } from '../i18n.js';
import { api, apiOrNull } from '../api.js';
import { h, clear, card, table, noData, errorBox, errorText, toast, select, field, badge, loadCss } from '../ui.js';
import { baseMap, disposeMaps, LIUZHOU } from '../mapbase.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "emergency.title": "应急物流",
    "emergency.subtitle": "应急储备、救援需求与物资调配方案",
    "emergency.stat_stockpiles": "储备库",
    "emergency.stat_requests": "救援需求",
    "emergency.stat_submitted": "待分诊",
    "emergency.stat_triaged": "已分诊待调配",
    "emergency.stat_fleet": "持通行证车辆",
    "emergency.reserves": "应急储备",
    "emergency.reserves_note": "数字为可用数量（在库减去预留），单位见表头；过期批次不计入可用。",
    "emergency.expiry_window": "临期提醒",
    "emergency.days": "{n} 天内到期",
    "emergency.col_stockpile": "储备库",
    "emergency.col_holder": "储备类型",
    "emergency.col_county": "区县",
    "emergency.col_lots": "批次提醒",
    "emergency.gov": "政府储备",
    "emergency.agreement": "协议储备",
    "emergency.agreement_no": "协议 {no}",
    "emergency.held_by": "代储企业：{name}",
    "emergency.held": "预留 {n}",
    "emergency.expired_qty": "过期 {n}",
    "emergency.lots_expiring": "临期 {n} 批",
    "emergency.lots_expired": "过期 {n} 批",
    "emergency.lots_ok": "无",
    "emergency.lot_line": "{item} 批次 {lot}：{qty}，{date} 到期",
    "emergency.requests": "救援需求",
    "emergency.col_priority": "优先级",
    "emergency.col_point": "需求点",
    "emergency.col_lines": "所需物资",
    "emergency.col_deadline": "送达时限",
    "emergency.col_status": "状态",
    "emergency.col_actions": "操作",
    "emergency.priority_n": "{n} 级",
    "emergency.priority_hint": "1 级最高（危及生命），4 级可缓",
    "emergency.left_h": "剩 {h} 小时",
    "emergency.overdue": "已超时",
    "emergency.triage": "确认分诊",
    "emergency.triaged_done": "已分诊：{name}",
    "emergency.status.submitted": "待分诊",
    "emergency.status.triaged": "已分诊",
    "emergency.status.allocated": "已调配",
    "emergency.status.in_transit": "运输中",
    "emergency.status.delivered": "已送达",
    "emergency.status.rejected": "已驳回",
    "emergency.status.cancelled": "已取消",
    "emergency.kind.shelter": "安置点",
    "emergency.kind.hospital": "医院",
    "emergency.kind.village": "村庄",
    "emergency.kind.point": "其他地点",
    "emergency.no_requests": "暂无救援需求。",
    "emergency.form": "提交救援需求",
    "emergency.f_kind": "需求点类型",
    "emergency.f_name": "需求点名称",
    "emergency.f_lat": "纬度",
    "emergency.f_lon": "经度",
    "emergency.f_pick": "在地图上选点",
    "emergency.f_picking": "请在地图上点击需求点位置…",
    "emergency.f_item": "物资",
    "emergency.f_qty": "数量",
    "emergency.f_add_line": "添加物资",
    "emergency.f_remove_line": "删除",
    "emergency.f_priority": "优先级",
    "emergency.f_deadline": "送达时限（北京时间）",
    "emergency.f_contact": "联系人",
    "emergency.f_phone": "联系电话",
    "emergency.f_note": "备注",
    "emergency.f_submit": "提交需求",
    "emergency.f_errors": "请修改以下问题：",
    "emergency.submitted_done": "已提交：{name}",
    "emergency.run_plan": "生成调配方案",
    "emergency.planning": "正在求解调配方案…",
    "emergency.time_limit": "求解时限（秒）",
    "emergency.draw_area": "绘制封闭区",
    "emergency.finish_area": "完成封闭区（{n} 点）",
    "emergency.cancel_area": "取消",
    "emergency.clear_areas": "清除封闭区（{n}）",
    "emergency.drawing_hint": "在地图上依次点击封闭区（如洪水淹没区）的顶点，至少 3 点，然后点“完成”。",
    "emergency.area_too_small": "封闭区至少需要 3 个点。",
    "emergency.closed_area_n": "封闭区 {n}",
    "emergency.legend": "图例",
    "emergency.legend_gov": "政府储备库",
    "emergency.legend_agreement": "协议储备点",
    "emergency.legend_pending": "待分诊需求",
    "emergency.legend_route": "车辆行程（直线连接）",
    "emergency.legend_closed": "封闭区",
    "emergency.pin_stockpile": "储",
    "emergency.plan": "调配方案",
    "emergency.plan_idle": "点击“生成调配方案”，按当前可用库存、已分诊需求和持通行证车辆求解；可先在地图上绘制封闭区。",
    "emergency.plan_status": "求解状态",
    "emergency.plan_status.optimal": "最优解",
    "emergency.plan_status.time_limit": "达到时限",
    "emergency.plan_status.heuristic": "启发式",
    "emergency.gap": "最优性间隙",
    "emergency.solve_ms": "求解用时",
    "emergency.ms": "{n} 毫秒",
    "emergency.counts": "{stockpiles} 个储备库 · {requests} 项需求 · {vehicles} 辆车 · {items} 种物资",
    "emergency.travel": "路程依据：{source}",
    "emergency.source_road": "道路网络（{profile}）",
    "emergency.source_straight": "直线距离",
    "emergency.profile.truck": "货车",
    "emergency.profile.car": "小汽车",
    "emergency.travel_road_closed": "按道路网络计算：道路封闭以实时路况为准，绘制的封闭区只在直线测距时生效。",
    "emergency.travel_straight_closed": "直线测距：穿过封闭区的路段视为不通（{n} 个封闭区）。",
    "emergency.objectives": "目标值对比",
    "emergency.exact": "精确解",
    "emergency.greedy": "贪心基线",
    "emergency.greedy_ratio": "基线 / 精确",
    "emergency.obj_total": "目标值",
    "emergency.obj_unmet": "未满足（优先级加权 kg）",
    "emergency.obj_late": "迟到成本",
    "emergency.obj_transport": "运输成本",
    "emergency.obj_bound": "下界",
    "emergency.unmet_by_priority": "按优先级的未满足需求",
    "emergency.col_demand_kg": "需求 kg",
    "emergency.col_unmet_exact": "未满足 kg（精确）",
    "emergency.col_unmet_greedy": "未满足 kg（基线）",
    "emergency.flows": "各需求点的调配",
    "emergency.col_item": "物资",
    "emergency.col_qty": "数量",
    "emergency.col_from": "调出储备库",
    "emergency.col_eta": "预计送达",
    "emergency.unmet_row": "未满足",
    "emergency.eta_on_time": "{at} · 准时",
    "emergency.eta_late": "{at} · 迟 {min} 分钟",
    "emergency.no_flows": "没有可调配的物资。",
    "emergency.routes": "车辆行程",
    "emergency.col_vehicle": "车辆",
    "emergency.col_trip": "趟次",
    "emergency.col_stops": "经停",
    "emergency.col_times": "出发 — 返回",
    "emergency.col_km": "里程 km",
    "emergency.no_routes": "方案未生成车辆行程。",
    "emergency.unrouted": "另有 {kg} kg 未能排上车辆。",
    "emergency.left_out": "未参与调配：{n} 条记录（{reasons}）",
    "emergency.list_sep": "、",
    "emergency.reason.expired": "过期批次",
    "emergency.reason.nothing_available": "无可用数量的批次",
    "emergency.reason.not_available": "车辆不可用",
    "emergency.reason.no_rated_load_or_cargo_volume": "车辆缺载重或容积",
    "emergency.unit.桶": "桶",
    "emergency.unit.箱": "箱",
    "emergency.unit.袋": "袋",
    "emergency.unit.顶": "顶",
    "emergency.unit.床": "床",
    "emergency.unit.件": "件",
    "emergency.unit.条": "条",
    "emergency.unit.瓶": "瓶"
  },
  "en": {
    "emergency.title": "Emergency logistics",
    "emergency.subtitle": "Relief reserves, relief requests and the allocation plan",
    "emergency.stat_stockpiles": "Stockpiles",
    "emergency.stat_requests": "Relief requests",
    "emergency.stat_submitted": "Awaiting triage",
    "emergency.stat_triaged": "Triaged, to allocate",
    "emergency.stat_fleet": "Vehicles with a pass",
    "emergency.reserves": "Relief reserves",
    "emergency.reserves_note": "Figures are available units (on hand less reserved), units in the header; expired lots are not available.",
    "emergency.expiry_window": "Expiry warning",
    "emergency.days": "expiring within {n} days",
    "emergency.col_stockpile": "Stockpile",
    "emergency.col_holder": "Reserve type",
    "emergency.col_county": "County",
    "emergency.col_lots": "Lot warnings",
    "emergency.gov": "Government reserve",
    "emergency.agreement": "Agreement reserve",
    "emergency.agreement_no": "Agreement {no}",
    "emergency.held_by": "Held by {name}",
    "emergency.held": "reserved {n}",
    "emergency.expired_qty": "expired {n}",
    "emergency.lots_expiring": "Lots expiring: {n}",
    "emergency.lots_expired": "Lots expired: {n}",
    "emergency.lots_ok": "none",
    "emergency.lot_line": "{item} lot {lot}: {qty}, expires {date}",
    "emergency.requests": "Relief requests",
    "emergency.col_priority": "Priority",
    "emergency.col_point": "Demand point",
    "emergency.col_lines": "Items needed",
    "emergency.col_deadline": "Deadline",
    "emergency.col_status": "Status",
    "emergency.col_actions": "Actions",
    "emergency.priority_n": "P{n}",
    "emergency.priority_hint": "1 is the highest (life-critical), 4 can wait",
    "emergency.left_h": "{h} h left",
    "emergency.overdue": "overdue",
    "emergency.triage": "Triage",
    "emergency.triaged_done": "Triaged: {name}",
    "emergency.status.submitted": "Submitted",
    "emergency.status.triaged": "Triaged",
    "emergency.status.allocated": "Allocated",
    "emergency.status.in_transit": "In transit",
    "emergency.status.delivered": "Delivered",
    "emergency.status.rejected": "Rejected",
    "emergency.status.cancelled": "Cancelled",
    "emergency.kind.shelter": "Shelter",
    "emergency.kind.hospital": "Hospital",
    "emergency.kind.village": "Village",
    "emergency.kind.point": "Other place",
    "emergency.no_requests": "No relief requests.",
    "emergency.form": "Submit a relief request",
    "emergency.f_kind": "Kind of place",
    "emergency.f_name": "Demand point",
    "emergency.f_lat": "Latitude",
    "emergency.f_lon": "Longitude",
    "emergency.f_pick": "Pick on the map",
    "emergency.f_picking": "Click the demand point on the map…",
    "emergency.f_item": "Item",
    "emergency.f_qty": "Quantity",
    "emergency.f_add_line": "Add an item",
    "emergency.f_remove_line": "Remove",
    "emergency.f_priority": "Priority",
    "emergency.f_deadline": "Deadline (Beijing time)",
    "emergency.f_contact": "Contact",
    "emergency.f_phone": "Phone",
    "emergency.f_note": "Note",
    "emergency.f_submit": "Submit request",
    "emergency.f_errors": "Please correct:",
    "emergency.submitted_done": "Submitted: {name}",
    "emergency.run_plan": "Plan allocation",
    "emergency.planning": "Solving the allocation…",
    "emergency.time_limit": "Time limit (s)",
    "emergency.draw_area": "Draw closed area",
    "emergency.finish_area": "Finish area ({n} points)",
    "emergency.cancel_area": "Cancel",
    "emergency.clear_areas": "Clear closed areas ({n})",
    "emergency.drawing_hint": "Click the corners of the closed area (e.g. a flooded zone) on the map, at least 3, then \"Finish\".",
    "emergency.area_too_small": "A closed area needs at least 3 points.",
    "emergency.closed_area_n": "Closed area {n}",
    "emergency.legend": "Legend",
    "emergency.legend_gov": "Government reserve",
    "emergency.legend_agreement": "Agreement reserve",
    "emergency.legend_pending": "Request awaiting triage",
    "emergency.legend_route": "Vehicle trip (straight lines)",
    "emergency.legend_closed": "Closed area",
    "emergency.pin_stockpile": "S",
    "emergency.plan": "Allocation plan",
    "emergency.plan_idle": "\"Plan allocation\" solves with the stock available now, the triaged requests and the vehicles with a green-channel pass; draw closed areas on the map first if needed.",
    "emergency.plan_status": "Status",
    "emergency.plan_status.optimal": "Optimal",
    "emergency.plan_status.time_limit": "Time limit reached",
    "emergency.plan_status.heuristic": "Heuristic",
    "emergency.gap": "Optimality gap",
    "emergency.solve_ms": "Solve time",
    "emergency.ms": "{n} ms",
    "emergency.counts": "{stockpiles} stockpiles · {requests} requests · {vehicles} vehicles · {items} items",
    "emergency.travel": "Travel from: {source}",
    "emergency.source_road": "the road network ({profile})",
    "emergency.source_straight": "straight lines",
    "emergency.profile.truck": "trucks",
    "emergency.profile.car": "cars",
    "emergency.travel_road_closed": "Travel on the road network: road closures come from live traffic; drawn closed areas apply to straight-line travel only.",
    "emergency.travel_straight_closed": "Straight-line travel: legs entering a closed area are cut ({n} closed areas).",
    "emergency.objectives": "Objective, exact vs baseline",
    "emergency.exact": "Exact",
    "emergency.greedy": "Greedy baseline",
    "emergency.greedy_ratio": "Baseline / exact",
    "emergency.obj_total": "Objective",
    "emergency.obj_unmet": "Unmet (priority-weighted kg)",
    "emergency.obj_late": "Lateness cost",
    "emergency.obj_transport": "Transport cost",
    "emergency.obj_bound": "Lower bound",
    "emergency.unmet_by_priority": "Unmet demand by priority",
    "emergency.col_demand_kg": "Demand kg",
    "emergency.col_unmet_exact": "Unmet kg (exact)",
    "emergency.col_unmet_greedy": "Unmet kg (baseline)",
    "emergency.flows": "Allocation per demand point",
    "emergency.col_item": "Item",
    "emergency.col_qty": "Quantity",
    "emergency.col_from": "From stockpile",
    "emergency.col_eta": "Expected arrival",
    "emergency.unmet_row": "Unmet",
    "emergency.eta_on_time": "{at} · on time",
    "emergency.eta_late": "{at} · {min} min late",
    "emergency.no_flows": "Nothing can be allocated.",
    "emergency.routes": "Vehicle trips",
    "emergency.col_vehicle": "Vehicle",
    "emergency.col_trip": "Trip",
    "emergency.col_stops": "Stops",
    "emergency.col_times": "Departs — returns",
    "emergency.col_km": "km",
    "emergency.no_routes": "The plan has no vehicle trips.",
    "emergency.unrouted": "{kg} kg more could not be put on a vehicle.",
    "emergency.left_out": "Left out of the plan: {n} records ({reasons})",
    "emergency.list_sep": ", ",
    "emergency.reason.expired": "expired lots",
    "emergency.reason.nothing_available": "lots with nothing available",
    "emergency.reason.not_available": "vehicles not available",
    "emergency.reason.no_rated_load_or_cargo_volume": "vehicles without rated load or volume",
    "emergency.unit.桶": "drums",
    "emergency.unit.箱": "cases",
    "emergency.unit.袋": "sacks",
    "emergency.unit.顶": "tents",
    "emergency.unit.床": "quilts",
    "emergency.unit.件": "pcs",
    "emergency.unit.条": "pcs",
    "emergency.unit.瓶": "bottles"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const E = '/api/v1/emergency';
const PRIORITY_COLOURS = { 1: '#cf222e', 2: '#e16f24', 3: '#bf8700', 4: '#0969da' };
const VEHICLE_COLOURS = ['#1f6feb', '#8250df', '#1a7f37', '#bf3989', '#0a7ea4', '#9a6700', '#6639ba', '#116329',
  '#d1242f', '#57606a'];
const KINDS = ['shelter', 'hospital', 'village', 'point'];
const WINDOWS = [30, 60, 90, 180];
const DAY_MS = 86400000;

let S = null;

export function dispose() {
  disposeMaps();
  S = null;
}

// ---------------------------------------------------------------- small helpers

/** An item's unit in the current language (the catalogue's units are Chinese). */
function unitOf(item) {
  const u = item ? item.unit : '';
  const key = `emergency.unit.${u}`;
  return u && t.has(key) ? t(key) : u;
}

/** `600 桶` for units of `itemId`. */
function qty(itemId, n) {
  return `${fmtNum(n)} ${unitOf(S.items.get(itemId))}`;
}

function itemName(id) {
  const it = S.items.get(id);
  return it ? it.name : id;
}

/** An item's short name for a column head: the part before a bracket. */
function shortName(item) {
  return item.name.split(/[（(]/)[0];
}

function priorityBadge(p) {
  return h('span', { class: `em-prio em-prio-${p}`, title: t('emergency.priority_hint'), text: t('emergency.priority_n', { n: p }) });
}

function statusBadge(s) {
  const kind = { submitted: 'warn', triaged: 'info', allocated: 'party', in_transit: 'party', delivered: 'ok' }[s] || 'none';
  const key = `emergency.status.${s}`;
  return badge(t.has(key) ? t(key) : s, kind);
}

function kindName(k) {
  const key = `emergency.kind.${k}`;
  return t.has(key) ? t(key) : k;
}

/** Today in Beijing as a Date at UTC midnight, to compare with `YYYY-MM-DD` expiry days. */
function beijingDay(offsetDays = 0) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + offsetDays * DAY_MS);
  return d.toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHH:MM` in Beijing time, `hours` from now (a datetime-local value). */
function beijingLocal(hours) {
  return new Date(Date.now() + (8 + hours) * 3600 * 1000).toISOString().slice(0, 16);
}

/** A plan-relative second as a Beijing clock time. */
function atPlus(s) {
  const d = new Date(new Date(S.plan.at).getTime() + s * 1000);
  return new Intl.DateTimeFormat(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai',
  }).format(d);
}

function figure(name, value, text) {
  return h('span', { class: 'em-fig', dataset: { figure: name, value: value === null || value === undefined ? '' : String(value) }, text });
}

// ---------------------------------------------------------------- loading

async function loadReserves() {
  const [items, piles] = await Promise.all([api(`${E}/items`), api(`${E}/stockpiles`)]);
  S.items = new Map((items.items || []).map((i) => [i.id, i]));
  S.piles = piles.stockpiles || [];
  const details = await Promise.all(S.piles.map((p) => Promise.all([
    api(`${E}/stockpiles/${encodeURIComponent(p.id)}`),
    api(`${E}/stockpiles/${encodeURIComponent(p.id)}/lots`),
  ])));
  S.stock = new Map(S.piles.map((p, i) => [p.id, details[i][0].stock || []]));
  S.lots = new Map(S.piles.map((p, i) => [p.id, details[i][1].lots || []]));
  const holders = [...new Set(S.piles.map((p) => p.holder_party_id).filter(Boolean))];
  const parties = await Promise.all(holders.map((id) => apiOrNull(`/api/v1/parties/${encodeURIComponent(id)}`).catch(() => null)));
  S.holders = new Map(holders.map((id, i) => [id, parties[i] && parties[i].name ? parties[i].name : id]));
}

async function loadSide() {
  const [counties, fleet] = await Promise.all([
    apiOrNull('/api/v1/map/layers/counties').catch(() => null),
    apiOrNull(`${E}/fleet`).catch(() => null),
  ]);
  S.counties = new Map(((counties && counties.features) || []).map((f) => [f.properties.code, f.properties.name]));
  S.fleet = new Map(((fleet && fleet.vehicles) || []).map((v) => [v.vehicle_id, v.plate || v.vehicle_id]));
}

async function loadRequests() {
  const r = await api(`${E}/requests`);
  S.requests = r.requests || [];
}

// ---------------------------------------------------------------- the page

export async function render(root, ctx) {
  loadCss('emergency');
  dispose();
  S = { items: new Map(), piles: [], requests: [], closed: [], draft: null, mode: null, plan: null, window: 30, ctx };
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('emergency.title') }),
    h('span', { class: 'page-meta', text: t('emergency.subtitle') })));
  try {
    await Promise.all([loadReserves(), loadRequests(), loadSide()]);
  } catch (e) {
    root.appendChild(errorBox(e));
    return;
  }
  if (!ctx.isCurrent()) return;
  S.statsEl = h('div', { class: 'em-stats', id: 'em-stats' });
  S.mapEl = h('div', { class: 'em-map', id: 'em-map' });
  S.planEl = h('div', { class: 'em-plan', id: 'em-plan', dataset: { state: 'idle' } });
  S.detailEl = h('div', { id: 'em-plan-detail' });
  S.reservesEl = h('div', { id: 'em-reserves' });
  S.requestsEl = h('div', { id: 'em-requests' });
  root.appendChild(S.statsEl);
  root.appendChild(h('div', { class: 'em-top' },
    h('section', { class: 'card em-map-card' }, mapToolbar(), S.mapEl),
    h('section', { class: 'card em-plan-card' }, h('h2', { class: 'card-title', text: t('emergency.plan') }), S.planEl)));
  root.appendChild(S.detailEl);
  root.appendChild(S.reservesEl);
  root.appendChild(S.requestsEl);
  S.planEl.appendChild(h('p', { class: 'muted', text: t('emergency.plan_idle') }));
  renderStats();
  renderReserves();
  renderRequests();
  S.map = await baseMap(S.mapEl, { center: LIUZHOU, zoom: 8 });
  if (!ctx.isCurrent()) return;
  if (!S.map) {
    S.mapEl.appendChild(noData(t('common.charts_unavailable')));
    return;
  }
  setupMap();
}

function renderStats() {
  const count = (s) => S.requests.filter((r) => r.status === s).length;
  const stat = (name, n, label, kind) => h('div', { class: `stat stat-${kind}`, dataset: { stat: name } },
    h('span', { class: 'stat-num', text: fmtNum(n) }), h('span', { class: 'muted', text: label }));
  clear(S.statsEl).append(
    stat('stockpiles', S.piles.length, t('emergency.stat_stockpiles'), 'ok'),
    stat('requests', S.requests.length, t('emergency.stat_requests'), 'none'),
    stat('submitted', count('submitted'), t('emergency.stat_submitted'), count('submitted') ? 'warn' : 'ok'),
    stat('triaged', count('triaged'), t('emergency.stat_triaged'), count('triaged') ? 'bad' : 'ok'),
    stat('fleet', S.fleet.size, t('emergency.stat_fleet'), 'ok'));
}

// ---------------------------------------------------------------- reserves

/** The items any stockpile holds, in catalogue order. */
function stockedItems() {
  const held = new Set();
  for (const rows of S.stock.values()) for (const r of rows) held.add(r.item_id);
  return [...S.items.values()].filter((i) => held.has(i.id));
}

function holderCell(p) {
  if (p.kind !== 'agreement') return h('span', { class: 'badge badge-info', text: t('emergency.gov') });
  return h('div', null, h('span', { class: 'badge badge-party', text: t('emergency.agreement') }),
    p.holder_party_id ? h('div', { class: 'small muted', text: t('emergency.held_by', { name: S.holders.get(p.holder_party_id) }) }) : null,
    p.agreement_number ? h('div', { class: 'small muted', text: t('emergency.agreement_no', { no: p.agreement_number }) }) : null);
}

function stockCell(p, item) {
  const s = (S.stock.get(p.id) || []).find((x) => x.item_id === item.id);
  if (!s) return h('td', { class: 'num muted', text: t('common.dash') });
  return h('td', { class: 'num', dataset: { item: item.id, available: s.available } },
    h('div', { text: fmtNum(s.available) }),
    s.held ? h('div', { class: 'small muted', text: t('emergency.held', { n: fmtNum(s.held) }) }) : null,
    s.expired ? h('div', { class: 'small em-bad', text: t('emergency.expired_qty', { n: fmtNum(s.expired) }) }) : null);
}

/** The lots of `p` expired, and those expiring within the chosen window. */
function lotFlags(p) {
  const today = beijingDay();
  const limit = beijingDay(S.window);
  const lots = (S.lots.get(p.id) || []).filter((l) => l.expiry_date && l.quantity > 0);
  const expired = lots.filter((l) => l.expired || l.expiry_date < today);
  const soon = lots.filter((l) => !expired.includes(l) && l.expiry_date <= limit);
  const line = (l) => t('emergency.lot_line', { item: itemName(l.item_id), lot: l.lot_number, qty: qty(l.item_id, l.quantity), date: fmtDate(l.expiry_date) });
  return h('td', { class: 'em-flags', dataset: { expired: expired.length, expiring: soon.length } },
    expired.length ? h('span', { class: 'badge badge-bad', title: expired.map(line).join('\n'), text: t('emergency.lots_expired', { n: expired.length }) }) : null,
    soon.length ? h('span', { class: 'badge badge-warn', title: soon.map(line).join('\n'), text: t('emergency.lots_expiring', { n: soon.length }) }) : null,
    expired.length || soon.length ? null : h('span', { class: 'muted', text: t('emergency.lots_ok') }));
}

function renderReserves() {
  const items = stockedItems();
  const cols = [{ label: t('emergency.col_stockpile') }, { label: t('emergency.col_holder') }, { label: t('emergency.col_county') }];
  const head = h('tr', null, cols.map((c) => h('th', { text: c.label })),
    items.map((i) => h('th', { class: 'num', title: i.name }, h('div', { text: shortName(i) }), h('div', { class: 'small', text: unitOf(i) }))),
    h('th', { text: t('emergency.col_lots') }));
  const rows = S.piles.map((p) => h('tr', { dataset: { stockpile: p.id } },
    h('td', null, h('a', { href: '#/emergency', class: 'em-pile-link', text: p.name, onclick: (ev) => { ev.preventDefault(); focusPile(p); } })),
    h('td', null, holderCell(p)),
    h('td', { text: S.counties.get(p.division_code) || p.division_code || t('common.dash') }),
    items.map((i) => stockCell(p, i)),
    lotFlags(p)));
  const win = select(WINDOWS.map((d) => [String(d), t('emergency.days', { n: d })]), String(S.window), { id: 'em-window' });
  win.addEventListener('change', () => { S.window = Number(win.value); renderReserves(); });
  clear(S.reservesEl).appendChild(h('section', { class: 'card' },
    h('div', { class: 'em-card-head' }, h('h2', { class: 'card-title', text: t('emergency.reserves') }),
      field(t('emergency.expiry_window'), win)),
    S.piles.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table em-stock', id: 'em-stockpiles' },
      h('thead', null, head), h('tbody', null, rows))) : noData(),
    h('p', { class: 'small muted', text: t('emergency.reserves_note') })));
}

function focusPile(p) {
  if (!S.map) return;
  S.mapEl.scrollIntoView({ block: 'nearest' });
  S.map.setView([p.location.lat, p.location.lon], 11);
  const m = S.pileMarkers && S.pileMarkers.get(p.id);
  if (m) m.openPopup();
}

// ---------------------------------------------------------------- requests

function linesText(r) {
  return (r.lines || []).map((l) => `${itemName(l.item_id)} × ${qty(l.item_id, l.quantity)}`);
}

function deadlineCell(r) {
  const left = (new Date(r.deadline).getTime() - Date.now()) / 3600000;
  const open = ['submitted', 'triaged', 'allocated', 'in_transit'].includes(r.status);
  return h('td', null, h('div', { text: fmtDateTime(r.deadline) }),
    open ? h('div', { class: `small ${left < 0 ? 'em-bad' : 'muted'}`, text: left < 0 ? t('emergency.overdue') : t('emergency.left_h', { h: fmtNum(left, 1) }) }) : null);
}

function actionsCell(r) {
  if (r.status !== 'submitted') return h('td', { class: 'actions' });
  const p = select([1, 2, 3, 4].map((n) => [String(n), t('emergency.priority_n', { n })]), String(r.priority),
    { class: 'em-triage-priority', 'aria-label': t('emergency.f_priority') });
  const btn = h('button', { type: 'button', class: 'btn btn-small btn-primary em-triage', dataset: { id: r.id }, text: t('emergency.triage') });
  btn.addEventListener('click', () => triage(r, Number(p.value), btn));
  return h('td', { class: 'actions' }, p, ' ', btn);
}

function requestRow(r) {
  const dp = r.demand_point || {};
  return h('tr', { dataset: { request: r.id, status: r.status, priority: r.priority } },
    h('td', null, priorityBadge(r.priority)),
    h('td', null, h('div', { text: dp.name }), h('div', { class: 'small muted', text: kindName(dp.kind) })),
    h('td', null, linesText(r).map((s) => h('div', { text: s }))),
    deadlineCell(r),
    h('td', null, statusBadge(r.status)),
    actionsCell(r));
}

function renderRequests() {
  const cols = ['col_priority', 'col_point', 'col_lines', 'col_deadline', 'col_status', 'col_actions']
    .map((k) => ({ label: t(`emergency.${k}`) }));
  const list = S.requests.length
    ? table(cols, S.requests.map(requestRow), { id: 'em-request-list' })
    : h('p', { class: 'muted', id: 'em-request-list', text: t('emergency.no_requests') });
  if (!S.form) {
    S.listSlot = h('div', { id: 'em-request-slot' });
    S.requestsEl.appendChild(h('div', { class: 'em-req-layout' },
      card(t('emergency.requests'), S.listSlot),
      card(t('emergency.form'), requestForm())));
  }
  clear(S.listSlot).appendChild(list);
}

async function triage(r, priority, btn) {
  btn.disabled = true;
  try {
    await api(`${E}/requests/${encodeURIComponent(r.id)}/triage`, { method: 'POST', body: { priority } });
    toast(t('emergency.triaged_done', { name: r.demand_point.name }));
    await refreshRequests();
  } catch (e) {
    btn.disabled = false;
    toast(errorText(e), 'error');
  }
}

async function refreshRequests() {
  await loadRequests();
  if (!S) return;
  renderStats();
  renderRequests();
  drawRequests();
}

// ---------------------------------------------------------------- the request form

/** An input with the API's field path, for its violations. */
function at(path, label, input) {
  return h('label', { class: 'field em-field', dataset: { path } }, h('span', { class: 'field-label', text: label }), input,
    h('span', { class: 'em-field-error' }));
}

function lineRow(i, itemId, n) {
  const items = [...S.items.values()].map((it) => [it.id, `${it.name}（${unitOf(it)}）`]);
  const row = h('div', { class: 'em-line', dataset: { path: `lines[${i}]` } },
    at(`lines[${i}].item_id`, t('emergency.f_item'), select(items, itemId, { name: 'item_id' })),
    at(`lines[${i}].quantity`, t('emergency.f_qty'), h('input', { name: 'quantity', type: 'number', min: 1, step: 1, value: n || '' })),
    h('span', { class: 'em-field-error' }));
  if (i > 0) row.appendChild(h('button', { type: 'button', class: 'btn btn-small', text: t('emergency.f_remove_line'), onclick: () => { row.remove(); renumber(); } }));
  return row;
}

function renumber() {
  S.form.querySelectorAll('.em-line').forEach((row, i) => {
    row.dataset.path = `lines[${i}]`;
    row.querySelectorAll('.em-field').forEach((f) => { f.dataset.path = `lines[${i}].${f.dataset.path.split('.').pop()}`; });
  });
}

function requestForm() {
  const first = S.items.keys().next().value;
  const lines = h('div', { class: 'em-lines', dataset: { path: 'lines' } }, lineRow(0, first), h('span', { class: 'em-field-error' }));
  const pick = h('button', { type: 'button', class: 'btn btn-small', id: 'em-pick', text: t('emergency.f_pick'), onclick: () => setMode(S.mode === 'pick' ? null : 'pick') });
  const form = h('form', { class: 'em-form', id: 'em-request-form', novalidate: true },
    h('div', { class: 'em-errors error', hidden: true, role: 'alert' }),
    h('div', { class: 'em-row' },
      at('demand_point.kind', t('emergency.f_kind'), select(KINDS.map((k) => [k, kindName(k)]), 'shelter', { name: 'kind' })),
      at('demand_point.name', t('emergency.f_name'), h('input', { name: 'name', class: 'em-wide' }))),
    h('div', { class: 'em-row', dataset: { path: 'demand_point.location' } },
      at('demand_point.location.lat', t('emergency.f_lat'), h('input', { name: 'lat', type: 'number', step: 'any' })),
      at('demand_point.location.lon', t('emergency.f_lon'), h('input', { name: 'lon', type: 'number', step: 'any' })),
      pick, h('span', { class: 'em-field-error' })),
    lines,
    h('button', { type: 'button', class: 'btn btn-small em-add-line', text: t('emergency.f_add_line'), onclick: () => { lines.insertBefore(lineRow(lines.querySelectorAll('.em-line').length, first), lines.lastChild); } }),
    h('div', { class: 'em-row' },
      at('priority', t('emergency.f_priority'), select([1, 2, 3, 4].map((n) => [String(n), t('emergency.priority_n', { n })]), '2', { name: 'priority' })),
      at('deadline', t('emergency.f_deadline'), h('input', { name: 'deadline', type: 'datetime-local', value: beijingLocal(6) }))),
    h('div', { class: 'em-row' },
      at('contact.name', t('emergency.f_contact'), h('input', { name: 'contact_name' })),
      at('contact.phone', t('emergency.f_phone'), h('input', { name: 'phone', type: 'tel' }))),
    at('note', t('emergency.f_note'), h('input', { name: 'note', class: 'em-wide' })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'em-submit', text: t('emergency.f_submit') })));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); submitRequest(); });
  S.form = form;
  return form;
}

/** The request as typed: numbers left out when empty, so the API names the missing field. */
function formBody() {
  const f = S.form;
  const val = (name) => f.querySelector(`[name="${name}"]`).value.trim();
  const num = (v) => (v === '' ? undefined : Number(v));
  const location = { lat: num(val('lat')), lon: num(val('lon')) };
  const lines = [...f.querySelectorAll('.em-line')].map((row) => ({
    item_id: row.querySelector('[name="item_id"]').value,
    quantity: num(row.querySelector('[name="quantity"]').value.trim()),
  }));
  const d = val('deadline');
  return {
    demand_point: { kind: val('kind'), name: val('name'), location },
    lines,
    priority: Number(val('priority')),
    deadline: d ? `${d.length === 16 ? `${d}:00` : d}+08:00` : undefined,
    contact: { name: val('contact_name'), phone: val('phone') },
    note: val('note') || undefined,
  };
}

async function submitRequest() {
  const btn = S.form.querySelector('#em-submit');
  showErrors([]);
  btn.disabled = true;
  const body = formBody();
  try {
    const r = await api(`${E}/requests`, { method: 'POST', body });
    toast(t('emergency.submitted_done', { name: r.demand_point.name }));
    S.form.reset();
    S.form.querySelectorAll('.em-line').forEach((row, i) => { if (i > 0) row.remove(); });
    if (S.layers) S.layers.draft.clearLayers();
    await refreshRequests();
    const row = document.querySelector(`#em-request-list tr[data-request="${CSS.escape(r.id)}"]`);
    if (row) { row.classList.add('chosen'); row.scrollIntoView({ block: 'nearest' }); }
  } catch (e) {
    const v = e && e.violations && e.violations.length ? e.violations : null;
    if (v) showErrors(v);
    else toast(errorText(e), 'error');
  } finally {
    if (S && S.form) S.form.querySelector('#em-submit').disabled = false;
  }
}

/** Puts each violation at the input whose path is the longest prefix of its field; the rest on top. */
function showErrors(violations) {
  const f = S.form;
  f.querySelectorAll('.em-field-error').forEach((e) => { e.textContent = ''; });
  f.querySelectorAll('.has-error').forEach((e) => e.classList.remove('has-error'));
  const top = f.querySelector('.em-errors');
  clear(top).hidden = true;
  const paths = [...f.querySelectorAll('[data-path]')];
  const unplaced = [];
  for (const v of violations) {
    const fieldPath = v.field || '';
    const hit = paths.filter((el) => fieldPath === el.dataset.path || fieldPath.startsWith(`${el.dataset.path}.`) || fieldPath.startsWith(`${el.dataset.path}[`))
      .sort((a, b) => b.dataset.path.length - a.dataset.path.length)[0];
    const slot = hit && [...hit.children].find((c) => c.classList.contains('em-field-error'));
    if (!slot) { unplaced.push(v); continue; }
    hit.classList.add('has-error');
    slot.textContent = [slot.textContent, v.message].filter(Boolean).join('; ');
  }
  if (unplaced.length) {
    top.hidden = false;
    top.append(h('strong', { text: t('emergency.f_errors') }), h('ul', null, unplaced.map((v) => h('li', { text: `${v.field}: ${v.message}` }))));
  }
}

// ---------------------------------------------------------------- the map

function mapToolbar() {
  S.timeIn = h('input', { id: 'em-time-limit', type: 'number', min: 1, max: 60, step: 1, value: 10 });
  S.planBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'em-run-plan', text: t('emergency.run_plan'), onclick: runPlan });
  S.drawBtn = h('button', { type: 'button', class: 'btn', id: 'em-draw', text: t('emergency.draw_area'), onclick: drawClick });
  S.cancelBtn = h('button', { type: 'button', class: 'btn', id: 'em-draw-cancel', hidden: true, text: t('emergency.cancel_area'), onclick: () => setMode(null) });
  S.clearBtn = h('button', { type: 'button', class: 'btn', id: 'em-clear-areas', hidden: true, onclick: clearAreas });
  S.hintEl = h('span', { class: 'small muted em-hint', id: 'em-hint', role: 'status' });
  return h('div', { class: 'em-toolbar' }, S.planBtn, field(t('emergency.time_limit'), S.timeIn), S.drawBtn, S.cancelBtn, S.clearBtn, S.hintEl);
}

function setupMap() {
  const L = window.L;
  S.svg = L.svg();
  S.layers = {
    closed: L.layerGroup().addTo(S.map),
    routes: L.layerGroup().addTo(S.map),
    piles: L.layerGroup().addTo(S.map),
    requests: L.layerGroup().addTo(S.map),
    draft: L.layerGroup().addTo(S.map),
  };
  legend().addTo(S.map);
  S.map.on('click', mapClick);
  drawPiles();
  drawRequests();
  const pts = [...S.piles.map((p) => [p.location.lat, p.location.lon]),
    ...S.requests.map((r) => [r.demand_point.location.lat, r.demand_point.location.lon])];
  if (pts.length) S.map.fitBounds(pts, { padding: [30, 30], animate: false });
}

function legend() {
  const c = window.L.control({ position: 'topright' });
  const row = (sw, label) => h('div', { class: 'legend-row' }, sw, h('span', { text: label }));
  c.onAdd = () => h('div', { class: 'map-legend em-legend' }, h('strong', { text: t('emergency.legend') }),
    row(h('span', { class: 'em-depot em-depot-government em-depot-mini' }), t('emergency.legend_gov')),
    row(h('span', { class: 'em-depot em-depot-agreement em-depot-mini' }), t('emergency.legend_agreement')),
    h('div', { class: 'legend-row' }, [1, 2, 3, 4].map((p) => h('span', { class: `em-pin em-pin-mini em-pin-p${p}`, text: String(p) })),
      h('span', { text: t('emergency.col_priority') })),
    row(h('span', { class: 'em-pin em-pin-mini em-pin-pending' }), t('emergency.legend_pending')),
    row(h('span', { class: 'em-swatch-line' }), t('emergency.legend_route')),
    row(h('span', { class: 'em-swatch-closed' }), t('emergency.legend_closed')));
  return c;
}

function popup(title, rows) {
  return h('div', { class: 'popup' }, h('strong', { text: title }),
    h('dl', { class: 'kv' }, rows.filter(([, v]) => v).map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])));
}

function drawPiles() {
  const L = window.L;
  S.layers.piles.clearLayers();
  S.pileMarkers = new Map();
  for (const p of S.piles) {
    const icon = L.divIcon({ className: 'em-icon', iconSize: [24, 24], iconAnchor: [12, 12],
      html: h('span', { class: `em-depot em-depot-${p.kind}`, dataset: { stockpile: p.id }, text: t('emergency.pin_stockpile') }) });
    const stock = (S.stock.get(p.id) || []).filter((s) => s.available > 0).map((s) => `${shortName(S.items.get(s.item_id) || { name: s.item_id })} ${qty(s.item_id, s.available)}`);
    const m = L.marker([p.location.lat, p.location.lon], { icon, title: p.name, zIndexOffset: 100 })
      .bindPopup(popup(p.name, [[t('emergency.col_holder'), p.kind === 'agreement' ? t('emergency.agreement') : t('emergency.gov')],
        [t('emergency.col_county'), S.counties.get(p.division_code)], [t('emergency.reserves'), stock.join('；')]]));
    m.addTo(S.layers.piles);
    S.pileMarkers.set(p.id, m);
  }
  S.mapEl.dataset.stockpileMarkers = String(S.piles.length);
}

/** Triaged requests (the plan's) as pins coloured by priority; submitted ones hollow. */
function drawRequests() {
  if (!S.map) return;
  const L = window.L;
  S.layers.requests.clearLayers();
  const unmet = new Set(S.plan ? (S.plan.allocation.unmet || []).map((u) => u.request) : []);
  let triaged = 0;
  let pending = 0;
  for (const r of S.requests) {
    if (!['triaged', 'submitted'].includes(r.status)) continue;
    const isTriaged = r.status === 'triaged';
    const cls = isTriaged ? `em-pin em-pin-triaged em-pin-p${r.priority}${unmet.has(r.id) ? ' em-pin-unmet' : ''}` : 'em-pin em-pin-pending';
    const icon = L.divIcon({ className: 'em-icon', iconSize: [22, 30], iconAnchor: [11, 30], popupAnchor: [0, -28],
      html: h('span', { class: `em-pinwrap${isTriaged ? '' : ' em-pinwrap-pending'}` },
        h('span', { class: cls, dataset: { request: r.id }, text: String(r.priority) })) });
    L.marker([r.demand_point.location.lat, r.demand_point.location.lon], { icon, title: r.demand_point.name, zIndexOffset: isTriaged ? 300 : 200 })
      .bindPopup(popup(r.demand_point.name, [[t('emergency.col_priority'), t('emergency.priority_n', { n: r.priority })],
        [t('emergency.col_status'), t(`emergency.status.${r.status}`)], [t('emergency.col_lines'), linesText(r).join('；')],
        [t('emergency.col_deadline'), fmtDateTime(r.deadline)]]))
      .addTo(S.layers.requests);
    if (isTriaged) triaged += 1; else pending += 1;
  }
  S.mapEl.dataset.requestMarkers = String(triaged);
  S.mapEl.dataset.pendingMarkers = String(pending);
}

function pointOf(kind, id) {
  if (kind === 'stockpile') {
    const p = S.piles.find((x) => x.id === id);
    return p ? [p.location.lat, p.location.lon] : null;
  }
  const r = S.requests.find((x) => x.id === id);
  return r ? [r.demand_point.location.lat, r.demand_point.location.lon] : null;
}

function vehicleColour(id) {
  const ids = S.vehicleOrder;
  return VEHICLE_COLOURS[ids.indexOf(id) % VEHICLE_COLOURS.length];
}

/** Each trip as a straight polyline stockpile → stops → stockpile (routes carry ids only). */
function drawRoutes() {
  const L = window.L;
  S.layers.routes.clearLayers();
  const routes = (S.plan.routes && S.plan.routes.routes) || [];
  let drawn = 0;
  for (const r of routes) {
    const depot = pointOf('stockpile', r.stockpile);
    const stops = r.stops.map((s) => pointOf('request', s.request));
    if (!depot || stops.some((p) => !p)) continue;
    const line = L.polyline([depot, ...stops, depot], { renderer: S.svg, color: vehicleColour(r.vehicle), weight: 3, opacity: 0.75,
      dashArray: '8 5', className: 'em-route' });
    line.bindTooltip(`${S.fleet.get(r.vehicle) || r.vehicle} · ${t('emergency.col_trip')} ${r.wave} · ${r.stops.map((s) => requestName(s.request)).join(' → ')}`, { sticky: true });
    line.addTo(S.layers.routes);
    drawn += 1;
  }
  S.mapEl.dataset.routes = String(drawn);
  S.mapEl.dataset.vehicles = String(S.vehicleOrder.length);
}

function requestName(id) {
  const r = S.requests.find((x) => x.id === id);
  return r ? r.demand_point.name : id;
}

// ---------------------------------------------------------------- closed areas and picking

function setMode(mode) {
  S.mode = mode;
  if (mode !== 'draw') S.draft = null;
  if (S.layers) S.layers.draft.clearLayers();
  S.mapEl.classList.toggle('em-crosshair', Boolean(mode));
  S.cancelBtn.hidden = mode !== 'draw';
  const pick = document.getElementById('em-pick');
  if (pick) pick.classList.toggle('btn-primary', mode === 'pick');
  S.hintEl.textContent = mode === 'draw' ? t('emergency.drawing_hint') : mode === 'pick' ? t('emergency.f_picking') : '';
  updateDrawButtons();
}

function updateDrawButtons() {
  S.drawBtn.textContent = S.mode === 'draw' ? t('emergency.finish_area', { n: S.draft ? S.draft.length : 0 }) : t('emergency.draw_area');
  S.drawBtn.classList.toggle('btn-primary', S.mode === 'draw');
  S.clearBtn.hidden = !S.closed.length;
  S.clearBtn.textContent = t('emergency.clear_areas', { n: S.closed.length });
  S.mapEl.dataset.closedAreas = String(S.closed.length);
}

function drawClick() {
  if (S.mode !== 'draw') {
    setMode('draw');
    S.draft = [];
    updateDrawButtons();
    return;
  }
  if (!S.draft || S.draft.length < 3) {
    toast(t('emergency.area_too_small'), 'error');
    return;
  }
  S.closed.push(S.draft);
  setMode(null);
  drawClosed();
}

function mapClick(ev) {
  const { lat, lng } = ev.latlng;
  if (S.mode === 'pick') {
    S.form.querySelector('[name="lat"]').value = lat.toFixed(5);
    S.form.querySelector('[name="lon"]').value = lng.toFixed(5);
    setMode(null);
    S.layers.draft.addLayer(window.L.circleMarker([lat, lng], { radius: 7, color: '#1f2328', weight: 2, fillOpacity: 0.2 }));
    return;
  }
  if (S.mode !== 'draw') return;
  S.draft.push([lng, lat]);
  const L = window.L;
  S.layers.draft.clearLayers();
  const pts = S.draft.map(([x, y]) => [y, x]);
  L.polyline(pts, { renderer: S.svg, color: '#cf222e', weight: 2, dashArray: '4 4' }).addTo(S.layers.draft);
  pts.forEach((p) => L.circleMarker(p, { renderer: S.svg, radius: 4, color: '#cf222e', fillOpacity: 1 }).addTo(S.layers.draft));
  updateDrawButtons();
}

function drawClosed() {
  const L = window.L;
  S.layers.closed.clearLayers();
  S.closed.forEach((ring, i) => {
    L.polygon(ring.map(([x, y]) => [y, x]), { renderer: S.svg, color: '#cf222e', weight: 2, fillColor: '#cf222e', fillOpacity: 0.18, className: 'em-closed' })
      .bindTooltip(t('emergency.closed_area_n', { n: i + 1 }), { sticky: true })
      .addTo(S.layers.closed);
  });
  updateDrawButtons();
}

function clearAreas() {
  S.closed = [];
  drawClosed();
}

// ---------------------------------------------------------------- the plan

async function runPlan() {
  if (S.mode) setMode(null);
  S.planBtn.disabled = true;
  S.planEl.dataset.state = 'running';
  clear(S.planEl).appendChild(h('p', { class: 'muted', text: t('emergency.planning') }));
  const body = { time_limit_s: Number(S.timeIn.value) || 10 };
  if (S.closed.length) body.closed_areas = S.closed;
  const started = performance.now();
  try {
    await loadRequests();
    const plan = await api(`${E}/plan`, { method: 'POST', body });
    if (!S) return;
    S.plan = plan;
    S.planBody = body;
    window.__emergencyPlan = plan;
    renderPlan();
    renderStats();
    if (S.map) { drawRequests(); drawRoutes(); }
    S.planEl.dataset.ms = String(Math.round(performance.now() - started));
    S.planEl.dataset.closedAreas = String((body.closed_areas || []).length);
    S.planEl.dataset.state = 'done';
  } catch (e) {
    if (!S) return;
    clear(S.planEl).appendChild(errorBox(e));
    S.planEl.dataset.state = 'error';
  } finally {
    if (S) S.planBtn.disabled = false;
  }
}

const STATUS_KIND = { optimal: 'ok', time_limit: 'warn', heuristic: 'none' };

function planSummary() {
  const p = S.plan;
  const a = p.allocation;
  const tc = p.travel_costs || {};
  const note = !S.planBody.closed_areas ? null
    : tc.road_network ? t('emergency.travel_road_closed') : t('emergency.travel_straight_closed', { n: S.planBody.closed_areas.length });
  return h('div', { class: 'em-summary' },
    h('div', { class: 'em-kv' },
      h('span', { class: 'muted', text: t('emergency.plan_status') }),
      h('span', { class: `badge badge-${STATUS_KIND[a.status] || 'none'}`, dataset: { figure: 'status', value: a.status }, text: t(`emergency.plan_status.${a.status}`) }),
      h('span', { class: 'muted', text: t('emergency.gap') }), figure('gap', a.gap, a.gap === null ? t('common.dash') : fmtPct(a.gap, 3)),
      h('span', { class: 'muted', text: t('emergency.solve_ms') }), figure('solve_ms', a.solve_ms, t('emergency.ms', { n: fmtNum(a.solve_ms) }))),
    h('div', { class: 'small muted', dataset: { figure: 'counts', value: JSON.stringify(p.counts) },
      text: t('emergency.counts', { stockpiles: fmtNum(p.counts.stockpiles), requests: fmtNum(p.counts.requests), vehicles: fmtNum(p.counts.vehicles), items: fmtNum(p.counts.items) }) }),
    h('div', { class: 'small muted', dataset: { figure: 'travel', value: tc.source || '' }, text: t('emergency.travel', { source: travelSource(tc) }) }),
    note ? h('div', { class: 'small em-note', text: note }) : null,
    leftOut());
}

function travelSource(tc) {
  if (!tc.source) return t('common.dash');
  if (!tc.road_network) return t('emergency.source_straight');
  const profile = tc.source.replace(/^road:/, '');
  const key = `emergency.profile.${profile}`;
  return t('emergency.source_road', { profile: t.has(key) ? t(key) : profile });
}

function leftOut() {
  const lo = S.plan.left_out || [];
  if (!lo.length) return null;
  const counts = new Map();
  for (const x of lo) {
    const key = `emergency.reason.${String(x.reason).replace(/ /g, '_')}`;
    const label = t.has(key) ? t(key) : x.reason;
    counts.set(label, (counts.get(label) || 0) + 1);
  }
  const reasons = [...counts].map(([k, n]) => `${k} ${fmtNum(n)}`).join(t('emergency.list_sep'));
  return h('div', { class: 'small muted', text: t('emergency.left_out', { n: fmtNum(lo.length), reasons }) });
}

function objectivesTable() {
  const a = S.plan.allocation;
  const g = S.plan.greedy_baseline;
  const row = (label, key, digits) => {
    const ratio = a[key] ? g[key] / a[key] : null;
    return h('tr', null, h('td', { text: label }),
      h('td', { class: 'num' }, figure(`exact.${key}`, a[key], fmtNum(a[key], digits))),
      h('td', { class: 'num' }, figure(`greedy.${key}`, g[key], fmtNum(g[key], digits))),
      h('td', { class: 'num', text: ratio === null ? t('common.dash') : fmtNum(ratio, 3) }));
  };
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table em-objectives', id: 'em-objectives' },
    h('thead', null, h('tr', null, h('th', { text: t('emergency.objectives') }), h('th', { class: 'num', text: t('emergency.exact') }),
      h('th', { class: 'num', text: t('emergency.greedy') }), h('th', { class: 'num', text: t('emergency.greedy_ratio') }))),
    h('tbody', null, row(t('emergency.obj_total'), 'objective', 2), row(t('emergency.obj_unmet'), 'unmet_cost', 2),
      row(t('emergency.obj_late'), 'lateness_cost', 2), row(t('emergency.obj_transport'), 'transport_cost', 2),
      h('tr', null, h('td', { text: t('emergency.obj_bound') }), h('td', { class: 'num' }, figure('exact.bound', a.bound, fmtNum(a.bound, 2))),
        h('td', { class: 'num', text: t('common.dash') }), h('td')))));
}

function kgOf(itemId, n) {
  const it = S.items.get(itemId);
  return it ? it.unit_weight_kg * n : 0;
}

/** Demand and unmet kilograms by priority, exact and greedy, over the plan's requests. */
function unmetByPriority() {
  const prio = new Map(S.requests.map((r) => [r.id, r.priority]));
  const rows = new Map();
  const add = (req, key, kg) => {
    const p = prio.get(req) || 0;
    const r = rows.get(p) || { demand: 0, exact: 0, greedy: 0 };
    r[key] += kg;
    rows.set(p, r);
  };
  const inPlan = new Set([...(S.plan.allocation.flows || []), ...(S.plan.allocation.unmet || [])].map((x) => x.request));
  for (const r of S.requests) if (inPlan.has(r.id)) for (const l of r.lines) add(r.id, 'demand', kgOf(l.item_id, l.quantity));
  for (const u of S.plan.allocation.unmet || []) add(u.request, 'exact', kgOf(u.item, u.quantity));
  for (const u of S.plan.greedy_baseline.unmet || []) add(u.request, 'greedy', kgOf(u.item, u.quantity));
  const body = [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([p, r]) => h('tr', { dataset: { priority: p } },
    h('td', null, priorityBadge(p)),
    h('td', { class: 'num', text: fmtNum(r.demand) }),
    h('td', { class: `num ${r.exact > 0 ? 'neg' : ''}` }, figure(`unmet_kg.${p}`, r.exact.toFixed(3), `${fmtNum(r.exact)} (${fmtPct(r.demand ? r.exact / r.demand : 0, 0)})`)),
    h('td', { class: `num ${r.greedy > 0 ? 'neg' : ''}`, text: `${fmtNum(r.greedy)} (${fmtPct(r.demand ? r.greedy / r.demand : 0, 0)})` })));
  return h('div', null, h('h3', { class: 'em-h3', text: t('emergency.unmet_by_priority') }),
    table([{ label: t('emergency.col_priority') }, { label: t('emergency.col_demand_kg'), cls: 'num' },
      { label: t('emergency.col_unmet_exact'), cls: 'num' }, { label: t('emergency.col_unmet_greedy'), cls: 'num' }], body, { id: 'em-unmet' }));
}

function renderPlan() {
  S.vehicleOrder = [...new Set(((S.plan.routes && S.plan.routes.routes) || []).map((r) => r.vehicle))];
  clear(S.planEl).append(planSummary(), objectivesTable(), unmetByPriority());
  clear(S.detailEl).appendChild(h('div', { class: 'em-detail' },
    card(t('emergency.flows'), flowsTable()), card(t('emergency.routes'), routesTable())));
}

function etaText(reqId) {
  const e = ((S.plan.routes && S.plan.routes.etas) || []).find((x) => x.request === reqId);
  if (!e) return t('common.dash');
  const at = atPlus(e.last_arrival_s);
  return e.late_s > 0 ? t('emergency.eta_late', { at, min: fmtNum(e.late_s / 60) }) : t('emergency.eta_on_time', { at });
}

/** One block per request, most urgent first: what each stockpile sends, and what stays unmet. */
function flowsTable() {
  const a = S.plan.allocation;
  const ids = [...new Set([...a.flows, ...a.unmet].map((x) => x.request))];
  const reqs = ids.map((id) => S.requests.find((r) => r.id === id) || { id, priority: 0, demand_point: { name: id }, deadline: null })
    .sort((x, y) => x.priority - y.priority);
  if (!reqs.length) return h('p', { class: 'muted', text: t('emergency.no_flows') });
  const rows = [];
  for (const r of reqs) {
    const flows = a.flows.filter((f) => f.request === r.id);
    const unmet = a.unmet.filter((u) => u.request === r.id);
    const late = ((S.plan.routes && S.plan.routes.etas) || []).some((e) => e.request === r.id && e.late_s > 0);
    rows.push(h('tr', { class: 'em-req-head', dataset: { request: r.id } },
      h('td', { colspan: 4 }, priorityBadge(r.priority), ' ', h('strong', { text: r.demand_point.name }),
        h('span', { class: `small ${late ? 'em-bad' : 'muted'} em-eta`, text: ` · ${t('emergency.col_eta')} ${etaText(r.id)}` }))));
    for (const f of flows) {
      rows.push(h('tr', { class: 'em-flow', dataset: { request: r.id, item: f.item, stockpile: f.stockpile, quantity: f.quantity } },
        h('td', { text: itemName(f.item) }), h('td', { class: 'num', text: qty(f.item, f.quantity) }),
        h('td', { text: (S.piles.find((p) => p.id === f.stockpile) || { name: f.stockpile }).name }), h('td')));
    }
    for (const u of unmet) {
      rows.push(h('tr', { class: 'em-unmet', dataset: { request: r.id, item: u.item, quantity: u.quantity } },
        h('td', { text: itemName(u.item) }), h('td', { class: 'num neg', text: qty(u.item, u.quantity) }),
        h('td', null, badge(t('emergency.unmet_row'), 'bad')), h('td')));
    }
  }
  return table([{ label: t('emergency.col_item') }, { label: t('emergency.col_qty'), cls: 'num' },
    { label: t('emergency.col_from') }, { label: '' }], rows, { id: 'em-flows' });
}

function routesTable() {
  const rp = S.plan.routes;
  const routes = (rp && rp.routes) || [];
  const unroutedKg = ((rp && rp.unrouted) || []).reduce((s, u) => s + u.weight_kg, 0);
  const note = unroutedKg > 0 ? h('p', { class: 'small em-note', text: t('emergency.unrouted', { kg: fmtNum(unroutedKg) }) }) : null;
  if (!routes.length) return h('div', null, h('p', { class: 'muted', text: t('emergency.no_routes') }), note);
  const rows = routes.map((r) => h('tr', { dataset: { vehicle: r.vehicle, wave: r.wave } },
    h('td', { class: 'em-nowrap' }, h('span', { class: 'em-swatch', style: { background: vehicleColour(r.vehicle) } }), ' ', S.fleet.get(r.vehicle) || r.vehicle),
    h('td', { class: 'num', text: String(r.wave) }),
    h('td', null, h('div', { class: 'small muted', text: (S.piles.find((p) => p.id === r.stockpile) || { name: r.stockpile }).name }),
      r.stops.map((s) => h('div', { text: `→ ${requestName(s.request)} · ${atPlus(s.arrival_s)} · ${fmtNum(s.weight_kg)} kg` }))),
    h('td', { class: 'small' }, h('div', { class: 'em-nowrap', text: atPlus(r.depart_s) }), h('div', { class: 'em-nowrap', text: `— ${atPlus(r.return_s)}` })),
    h('td', { class: 'num', text: fmtNum(r.metres / 1000, 1) })));
  return h('div', null, table([{ label: t('emergency.col_vehicle') }, { label: t('emergency.col_trip'), cls: 'num' },
    { label: t('emergency.col_stops') }, { label: t('emergency.col_times') }, { label: t('emergency.col_km'), cls: 'num' }], rows, { id: 'em-routes' }), note);
}
