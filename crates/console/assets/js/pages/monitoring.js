// 货运监测 Network-freight monitoring: the vehicles' live positions, a vehicle's track replayed
// with its stops, gaps and alerts, the rules' alerts with their evidence (followed up by the
// regulator), and one waybill's verdict by every rule. The tab and its choices live in the hash
// (`#/monitoring?tab=track&vehicle=…`) so a link opens the same view. The server decides who sees
// what: a carrier gets its own vehicles, alerts and waybills, a shipper its waybills' checks.
import { t, addStrings, lang, fmtNum, fmtPct, fmtDate, fmtDateTime } from '../i18n.js';
import { api, apiOrNull } from '../api.js';
import { h, clear, card, table, noData, errorBox, errorText, toast, select, field, badge, loadCss } from '../ui.js';
import { baseMap, disposeMaps } from '../mapbase.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "monitoring.tab.live": "实时车辆",
    "monitoring.tab.track": "轨迹回放",
    "monitoring.tab.alerts": "监测告警",
    "monitoring.tab.checks": "运单核查",
    "monitoring.see_map": "综合地图",
    "monitoring.see_warnings": "风险预警",
    "monitoring.search_plate": "按车牌搜索",
    "monitoring.vehicles_summary": "{n} 辆车有定位，{online} 辆在线",
    "monitoring.in_view": "视野内 {n} 辆",
    "monitoring.online": "在线",
    "monitoring.stale": "离线",
    "monitoring.speed": "速度",
    "monitoring.heading": "方向",
    "monitoring.fix_time": "定位时间",
    "monitoring.age": "距今",
    "monitoring.just_now": "刚刚",
    "monitoring.minutes_ago": "{n} 分钟前",
    "monitoring.hours_ago": "{n} 小时前",
    "monitoring.days_ago": "{n} 天前",
    "monitoring.kmh": "{n} km/h",
    "monitoring.open_track": "轨迹",
    "monitoring.refreshed": "每 15 秒刷新，上次：{at}",
    "monitoring.refresh_failed": "刷新失败：{msg}",
    "monitoring.no_positions": "暂无车辆定位。车载终端（JT/T 808）或平台上传定位后即显示在此。",
    "monitoring.no_match": "没有符合搜索条件的车辆",
    "monitoring.vehicle": "车辆",
    "monitoring.pick_vehicle": "请选择车辆",
    "monitoring.from": "开始（北京时间）",
    "monitoring.to": "结束（北京时间）",
    "monitoring.load": "查询",
    "monitoring.window_trip": "时间范围取自该车最近一趟运单 {note}",
    "monitoring.window_day": "时间范围为该车最后定位前 24 小时",
    "monitoring.no_track": "该时间范围内没有定位点",
    "monitoring.fixes": "定位点",
    "monitoring.distance": "里程",
    "monitoring.duration": "时长",
    "monitoring.max_speed": "最高速度",
    "monitoring.truncated": "定位点过多，只显示了前一部分",
    "monitoring.play": "播放",
    "monitoring.pause": "暂停",
    "monitoring.replay_speed": "倍速",
    "monitoring.position": "当前位置",
    "monitoring.stops": "停车（{n}）",
    "monitoring.gaps": "轨迹缺失（{n}）",
    "monitoring.stop_item": "停车 {d}",
    "monitoring.gap_item": "缺失 {d}",
    "monitoring.none": "无",
    "monitoring.track_alerts": "本段轨迹的告警（{n}）",
    "monitoring.minutes": "{n} 分钟",
    "monitoring.hours": "{n} 小时",
    "monitoring.km": "{n} 公里",
    "monitoring.start": "起点",
    "monitoring.end": "终点",
    "monitoring.rule": "规则",
    "monitoring.severity": "级别",
    "monitoring.status": "状态",
    "monitoring.carrier": "承运人",
    "monitoring.all": "全部",
    "monitoring.day": "日期",
    "monitoring.message": "内容",
    "monitoring.evidence": "证据",
    "monitoring.show_evidence": "查看证据",
    "monitoring.hide_evidence": "收起证据",
    "monitoring.waybill": "运单",
    "monitoring.alerts_count": "告警（{n} 条）",
    "monitoring.alerts_more": "仅显示最近 {n} 条，请用筛选条件缩小范围",
    "monitoring.no_alerts": "当前筛选条件下没有告警。告警由每日监测运行产生。",
    "monitoring.live_on": "实时推送已连接",
    "monitoring.live_off": "实时推送未连接",
    "monitoring.new_alert": "新告警：{rule}（{plate}）",
    "monitoring.run": "运行监测",
    "monitoring.run_day": "监测日期",
    "monitoring.run_done": "已检查 {n} 张运单，新增 {alerts} 条告警",
    "monitoring.note": "处理意见",
    "monitoring.note_placeholder": "填写处理意见",
    "monitoring.note_required": "解除告警需填写处理意见。",
    "monitoring.acknowledge": "确认",
    "monitoring.resolve": "解除",
    "monitoring.acknowledged": "告警已确认",
    "monitoring.resolved": "告警已解除",
    "monitoring.view_track": "在轨迹中查看",
    "monitoring.view_checks": "运单核查",
    "monitoring.waybill_input": "运单号或托运单号",
    "monitoring.check": "核查",
    "monitoring.recent_waybills": "最近运单",
    "monitoring.note_number": "托运单号",
    "monitoring.plate": "车牌",
    "monitoring.consigned": "托运时间",
    "monitoring.waybill_status": "运单状态",
    "monitoring.no_waybills": "暂无运单",
    "monitoring.waybill_not_found": "未找到运单 {id}",
    "monitoring.not_checked": "该运单未核查：{reason}",
    "monitoring.risk_score": "风险分",
    "monitoring.completeness": "轨迹完整率",
    "monitoring.abnormal": "异常",
    "monitoring.normal": "正常",
    "monitoring.rule_results": "{n} 条规则的核查结果",
    "monitoring.category": "类别",
    "monitoring.result": "结果",
    "monitoring.description": "说明",
    "monitoring.result.failed": "未通过",
    "monitoring.result.noted": "提示",
    "monitoring.result.passed": "通过",
    "monitoring.result.na": "不适用",
    "monitoring.na_hint": "运单没有发车和收货时间，轨迹与驾驶规则无从核查",
    "monitoring.cat.documents": "单证",
    "monitoring.cat.track": "轨迹",
    "monitoring.cat.money": "资金",
    "monitoring.cat.driving": "驾驶",
    "monitoring.sev.critical": "严重",
    "monitoring.sev.warning": "警告",
    "monitoring.sev.info": "提示",
    "monitoring.st.open": "待处理",
    "monitoring.st.acknowledged": "已确认",
    "monitoring.st.resolved": "已解除",
    "monitoring.shipper_note": "托运人可查看本单位运单的规则核查结果；车辆位置与告警由承运人和监管部门查看。",
    "monitoring.rule.doc.required_fields": "必填项缺失",
    "monitoring.rule.doc.time_order": "时间顺序异常",
    "monitoring.rule.doc.overweight": "超载",
    "monitoring.rule.doc.amount_mismatch": "运费与资金流水不符",
    "monitoring.rule.doc.vehicle_certificate": "车辆道路运输证无效",
    "monitoring.rule.doc.driver_licence": "驾驶员证照无效",
    "monitoring.rule.track.ghost": "无轨迹",
    "monitoring.rule.track.completeness": "轨迹不完整",
    "monitoring.rule.track.endpoints": "起止点不符",
    "monitoring.rule.track.teleport": "轨迹瞬移",
    "monitoring.rule.track.distance": "里程异常",
    "monitoring.rule.track.borrowed": "轨迹套用",
    "monitoring.rule.track.elsewhere": "同时段异地行驶",
    "monitoring.rule.money.third_party": "运费付给第三方",
    "monitoring.rule.money.totals": "资金流水合计不符",
    "monitoring.rule.money.shared_account": "多人共用收款账户",
    "monitoring.rule.driving.overspeed": "超速",
    "monitoring.rule.driving.fatigue": "疲劳驾驶",
    "monitoring.rule.driving.night_speed": "夜间超速",
    "monitoring.ev.despatch": "发车时间",
    "monitoring.ev.receipt": "收货时间",
    "monitoring.ev.plate": "车牌",
    "monitoring.ev.vehicle_id": "车辆",
    "monitoring.ev.distance_m": "距离（米）",
    "monitoring.ev.seconds": "间隔（秒）",
    "monitoring.ev.implied_kmh": "推算速度（km/h）",
    "monitoring.ev.from_point": "起点",
    "monitoring.ev.to_point": "终点",
    "monitoring.ev.from_time": "起始时间",
    "monitoring.ev.to_time": "结束时间",
    "monitoring.ev.from": "开始",
    "monitoring.ev.to": "结束",
    "monitoring.ev.jumps": "跳变",
    "monitoring.ev.gaps": "缺失段",
    "monitoring.ev.completeness": "完整率",
    "monitoring.ev.threshold": "阈值",
    "monitoring.ev.limit_kmh": "速度上限（km/h）",
    "monitoring.ev.spells": "连续驾驶段",
    "monitoring.ev.hours": "小时",
    "monitoring.ev.longest_hours": "最长连续驾驶（小时）",
    "monitoring.ev.excess_kg": "超重（kg）",
    "monitoring.ev.excess_share": "超重比例",
    "monitoring.ev.goods_weight_kg": "货物重量（kg）",
    "monitoring.ev.rated_load_kg": "核定载质量（kg）",
    "monitoring.ev.driven_m": "行驶里程（米）",
    "monitoring.ev.road_m": "道路距离（米）",
    "monitoring.ev.straight_line_m": "直线距离（米）",
    "monitoring.ev.limit_m": "里程上限（米）",
    "monitoring.ev.ratio": "比值",
    "monitoring.ev.count": "次数",
    "monitoring.ev.ends": "端点",
    "monitoring.ev.end": "端",
    "monitoring.ev.expected_point": "应在位置",
    "monitoring.ev.nearest_fix_point": "最近定位点",
    "monitoring.ev.nearest_fix_time": "最近定位时间",
    "monitoring.ev.claimed_time": "运单时间",
    "monitoring.ev.consignor": "发货地",
    "monitoring.ev.consignee": "收货地",
    "monitoring.ev.other_plate": "另一车牌",
    "monitoring.ev.other_vehicle_id": "另一车辆",
    "monitoring.ev.other_waybills": "另一车运单",
    "monitoring.ev.share": "重合比例",
    "monitoring.ev.fixes": "定位点数",
    "monitoring.ev.gap_count": "缺失段数",
    "monitoring.ev.max_gap_s": "允许最长间隔（秒）",
    "monitoring.ev.tolerance_s": "容差（秒）",
    "monitoring.ev.vehicle_fixes_total": "车辆定位总数",
    "monitoring.ev.radius_m": "半径（米）",
    "monitoring.ev.covered_s": "覆盖时长（秒）",
    "monitoring.ev.duration_s": "行程时长（秒）",
    "monitoring.ev.first_fix_after": "之后首个定位",
    "monitoring.ev.last_fix_before": "之前最后定位"
  },
  "en": {
    "monitoring.tab.live": "Live vehicles",
    "monitoring.tab.track": "Track replay",
    "monitoring.tab.alerts": "Alerts",
    "monitoring.tab.checks": "Waybill checks",
    "monitoring.see_map": "City map",
    "monitoring.see_warnings": "Risk warnings",
    "monitoring.search_plate": "Search by plate",
    "monitoring.vehicles_summary": "{n} vehicles with a position, {online} online",
    "monitoring.in_view": "{n} in view",
    "monitoring.online": "Online",
    "monitoring.stale": "Stale",
    "monitoring.speed": "Speed",
    "monitoring.heading": "Heading",
    "monitoring.fix_time": "Fix time",
    "monitoring.age": "Age",
    "monitoring.just_now": "just now",
    "monitoring.minutes_ago": "{n} min ago",
    "monitoring.hours_ago": "{n} h ago",
    "monitoring.days_ago": "{n} days ago",
    "monitoring.kmh": "{n} km/h",
    "monitoring.open_track": "Track",
    "monitoring.refreshed": "Refreshed every 15 s, last: {at}",
    "monitoring.refresh_failed": "Refresh failed: {msg}",
    "monitoring.no_positions": "No vehicle positions yet. They show here once terminals (JT/T 808) or platforms report them.",
    "monitoring.no_match": "No vehicle matches the search",
    "monitoring.vehicle": "Vehicle",
    "monitoring.pick_vehicle": "Choose a vehicle",
    "monitoring.from": "From (Beijing time)",
    "monitoring.to": "To (Beijing time)",
    "monitoring.load": "Show",
    "monitoring.window_trip": "Window of the vehicle's last waybill {note}",
    "monitoring.window_day": "Window: the 24 hours before the vehicle's last fix",
    "monitoring.no_track": "No fixes in this window",
    "monitoring.fixes": "Fixes",
    "monitoring.distance": "Distance",
    "monitoring.duration": "Duration",
    "monitoring.max_speed": "Top speed",
    "monitoring.truncated": "Too many fixes: only the first part is shown",
    "monitoring.play": "Play",
    "monitoring.pause": "Pause",
    "monitoring.replay_speed": "Speed",
    "monitoring.position": "Position",
    "monitoring.stops": "Stops ({n})",
    "monitoring.gaps": "Gaps ({n})",
    "monitoring.stop_item": "Stop {d}",
    "monitoring.gap_item": "Gap {d}",
    "monitoring.none": "None",
    "monitoring.track_alerts": "Alerts on this track ({n})",
    "monitoring.minutes": "{n} min",
    "monitoring.hours": "{n} h",
    "monitoring.km": "{n} km",
    "monitoring.start": "Start",
    "monitoring.end": "End",
    "monitoring.rule": "Rule",
    "monitoring.severity": "Severity",
    "monitoring.status": "Status",
    "monitoring.carrier": "Carrier",
    "monitoring.all": "All",
    "monitoring.day": "Day",
    "monitoring.message": "Message",
    "monitoring.evidence": "Evidence",
    "monitoring.show_evidence": "Evidence",
    "monitoring.hide_evidence": "Hide evidence",
    "monitoring.waybill": "Waybill",
    "monitoring.alerts_count": "Alerts ({n})",
    "monitoring.alerts_more": "Only the latest {n} are shown; narrow the filters",
    "monitoring.no_alerts": "No alerts match the filters. Alerts come from the daily monitoring run.",
    "monitoring.live_on": "Live updates on",
    "monitoring.live_off": "Live updates off",
    "monitoring.new_alert": "New alert: {rule} ({plate})",
    "monitoring.run": "Run monitoring",
    "monitoring.run_day": "Day",
    "monitoring.run_done": "{n} waybills checked, {alerts} new alerts",
    "monitoring.note": "Note",
    "monitoring.note_placeholder": "What was done",
    "monitoring.note_required": "Resolving an alert needs a note.",
    "monitoring.acknowledge": "Acknowledge",
    "monitoring.resolve": "Resolve",
    "monitoring.acknowledged": "Alert acknowledged",
    "monitoring.resolved": "Alert resolved",
    "monitoring.view_track": "See on the track",
    "monitoring.view_checks": "Waybill checks",
    "monitoring.waybill_input": "Waybill ID or shipping note number",
    "monitoring.check": "Check",
    "monitoring.recent_waybills": "Recent waybills",
    "monitoring.note_number": "Shipping note",
    "monitoring.plate": "Plate",
    "monitoring.consigned": "Consigned",
    "monitoring.waybill_status": "Waybill status",
    "monitoring.no_waybills": "No waybills",
    "monitoring.waybill_not_found": "No waybill {id}",
    "monitoring.not_checked": "Not checked: {reason}",
    "monitoring.risk_score": "Risk score",
    "monitoring.completeness": "Track completeness",
    "monitoring.abnormal": "Abnormal",
    "monitoring.normal": "Normal",
    "monitoring.rule_results": "Results of {n} rules",
    "monitoring.category": "Category",
    "monitoring.result": "Result",
    "monitoring.description": "Description",
    "monitoring.result.failed": "Failed",
    "monitoring.result.noted": "Noted",
    "monitoring.result.passed": "Passed",
    "monitoring.result.na": "Not applicable",
    "monitoring.na_hint": "The waybill has no despatch and receipt times, so its track and driving cannot be checked",
    "monitoring.cat.documents": "Documents",
    "monitoring.cat.track": "Track",
    "monitoring.cat.money": "Money",
    "monitoring.cat.driving": "Driving",
    "monitoring.sev.critical": "Critical",
    "monitoring.sev.warning": "Warning",
    "monitoring.sev.info": "Info",
    "monitoring.st.open": "Open",
    "monitoring.st.acknowledged": "Acknowledged",
    "monitoring.st.resolved": "Resolved",
    "monitoring.shipper_note": "Shippers see the rules' checks of their own waybills; vehicle positions and alerts are for carriers and regulators.",
    "monitoring.rule.doc.required_fields": "Required fields missing",
    "monitoring.rule.doc.time_order": "Times out of order",
    "monitoring.rule.doc.overweight": "Overweight",
    "monitoring.rule.doc.amount_mismatch": "Amount differs from payments",
    "monitoring.rule.doc.vehicle_certificate": "Vehicle certificate invalid",
    "monitoring.rule.doc.driver_licence": "Driver licence invalid",
    "monitoring.rule.track.ghost": "No track",
    "monitoring.rule.track.completeness": "Track incomplete",
    "monitoring.rule.track.endpoints": "Track ends elsewhere",
    "monitoring.rule.track.teleport": "Impossible jump",
    "monitoring.rule.track.distance": "Distance off",
    "monitoring.rule.track.borrowed": "Borrowed track",
    "monitoring.rule.track.elsewhere": "Elsewhere at the same time",
    "monitoring.rule.money.third_party": "Paid to a third party",
    "monitoring.rule.money.totals": "Payment totals differ",
    "monitoring.rule.money.shared_account": "Shared bank account",
    "monitoring.rule.driving.overspeed": "Overspeed",
    "monitoring.rule.driving.fatigue": "Fatigue driving",
    "monitoring.rule.driving.night_speed": "Speeding at night",
    "monitoring.ev.despatch": "Despatch",
    "monitoring.ev.receipt": "Receipt",
    "monitoring.ev.plate": "Plate",
    "monitoring.ev.vehicle_id": "Vehicle",
    "monitoring.ev.distance_m": "Distance (m)",
    "monitoring.ev.seconds": "Interval (s)",
    "monitoring.ev.implied_kmh": "Implied speed (km/h)",
    "monitoring.ev.from_point": "From point",
    "monitoring.ev.to_point": "To point",
    "monitoring.ev.from_time": "From time",
    "monitoring.ev.to_time": "To time",
    "monitoring.ev.from": "From",
    "monitoring.ev.to": "To",
    "monitoring.ev.jumps": "Jumps",
    "monitoring.ev.gaps": "Gaps",
    "monitoring.ev.completeness": "Completeness",
    "monitoring.ev.threshold": "Threshold",
    "monitoring.ev.limit_kmh": "Limit (km/h)",
    "monitoring.ev.spells": "Driving spells",
    "monitoring.ev.hours": "Hours",
    "monitoring.ev.longest_hours": "Longest spell (h)",
    "monitoring.ev.excess_kg": "Excess (kg)",
    "monitoring.ev.excess_share": "Excess share",
    "monitoring.ev.goods_weight_kg": "Goods weight (kg)",
    "monitoring.ev.rated_load_kg": "Rated load (kg)",
    "monitoring.ev.driven_m": "Driven (m)",
    "monitoring.ev.road_m": "Road distance (m)",
    "monitoring.ev.straight_line_m": "Straight line (m)",
    "monitoring.ev.limit_m": "Distance limit (m)",
    "monitoring.ev.ratio": "Ratio",
    "monitoring.ev.count": "Count",
    "monitoring.ev.ends": "Ends",
    "monitoring.ev.end": "End",
    "monitoring.ev.expected_point": "Expected at",
    "monitoring.ev.nearest_fix_point": "Nearest fix",
    "monitoring.ev.nearest_fix_time": "Nearest fix time",
    "monitoring.ev.claimed_time": "Waybill time",
    "monitoring.ev.consignor": "Consignor",
    "monitoring.ev.consignee": "Consignee",
    "monitoring.ev.other_plate": "Other plate",
    "monitoring.ev.other_vehicle_id": "Other vehicle",
    "monitoring.ev.other_waybills": "Other waybills",
    "monitoring.ev.share": "Shared share",
    "monitoring.ev.fixes": "Fixes",
    "monitoring.ev.gap_count": "Gaps",
    "monitoring.ev.max_gap_s": "Longest gap allowed (s)",
    "monitoring.ev.tolerance_s": "Tolerance (s)",
    "monitoring.ev.vehicle_fixes_total": "Vehicle's fixes in all",
    "monitoring.ev.radius_m": "Radius (m)",
    "monitoring.ev.covered_s": "Covered (s)",
    "monitoring.ev.duration_s": "Trip duration (s)",
    "monitoring.ev.first_fix_after": "First fix after",
    "monitoring.ev.last_fix_before": "Last fix before"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const STAFF = ['admin', 'regulator'];
const SEV_KIND = { critical: 'bad', warning: 'warn', info: 'info' };
const STATUS_KIND = { open: 'bad', acknowledged: 'warn', resolved: 'ok' };
/** A fix this long after the previous one leaves a gap in the track. */
const GAP_S = 300;
/** Slower than this for at least STOP_S is a stop. */
const STOP_KMH = 3;
const STOP_S = 300;
const REFRESH_MS = 15000;
const ALERT_LIMIT = 200;

const live = { timers: [], streams: [], maps: [] };

export function dispose() {
  live.timers.forEach((id) => clearInterval(id));
  live.timers = [];
  live.streams.forEach((s) => s.close());
  live.streams = [];
  // A map removed mid-animation throws inside Leaflet: stop them first.
  live.maps.forEach((m) => m.stop());
  live.maps = [];
  disposeMaps();
}

// ---------------------------------------------------------------------------------------------
// Helpers: hash, formatting, names.

/** A base map, remembered so `dispose` can stop its animations. */
async function newMap(el, opts) {
  const m = await baseMap(el, opts);
  if (m) live.maps.push(m);
  return m;
}

/** `#/monitoring?…` with `params` (empty values left out). */
function hashOf(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return `#/monitoring?${q}`;
}

function go(params) {
  location.hash = hashOf(params);
}

const LOCALE = () => (lang() === 'zh' ? 'zh-CN' : 'en-GB');

/** An instant in Beijing time with seconds: 12月3日 08:10:05 / 3 Dec, 08:10:05. */
function fmtTime(s) {
  const d = new Date(s);
  if (!s || Number.isNaN(d.getTime())) return t('common.dash');
  return new Intl.DateTimeFormat(LOCALE(), {
    month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hour12: false, timeZone: 'Asia/Shanghai',
  }).format(d);
}

function fmtAge(seconds) {
  if (seconds === null || seconds === undefined) return t('common.dash');
  if (seconds < 60) return t('monitoring.just_now');
  if (seconds < 3600) return t('monitoring.minutes_ago', { n: Math.floor(seconds / 60) });
  if (seconds < 86400) return t('monitoring.hours_ago', { n: Math.floor(seconds / 3600) });
  return t('monitoring.days_ago', { n: Math.floor(seconds / 86400) });
}

function fmtSpan(seconds) {
  if (seconds < 3600) return t('monitoring.minutes', { n: Math.round(seconds / 60) });
  return t('monitoring.hours', { n: fmtNum(seconds / 3600, 1) });
}

function fmtKmh(v) {
  return v === null || v === undefined ? t('common.dash') : t('monitoring.kmh', { n: fmtNum(v, 0) });
}

/** `datetime-local` value (Beijing wall time) of an instant, and back. */
function toBeijingInput(iso) {
  return new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 16);
}
function fromBeijingInput(v) {
  const ms = Date.parse(`${v}:00+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function ruleName(code) {
  const key = `monitoring.rule.${code}`;
  return t.has(key) ? t(key) : code;
}

function sevBadge(s) {
  const key = `monitoring.sev.${s}`;
  return badge(t.has(key) ? t(key) : s, SEV_KIND[s] || 'info');
}

function statusBadge(s) {
  const key = `monitoring.st.${s}`;
  return badge(t.has(key) ? t(key) : s, STATUS_KIND[s] || 'info');
}

function evLabel(k) {
  const key = `monitoring.ev.${k}`;
  return t.has(key) ? t(key) : k;
}

let catalogue = null;
/** The rule catalogue (`/api/v1/monitoring/rules`), fetched once. */
async function rules() {
  if (!catalogue) catalogue = api('/api/v1/monitoring/rules').catch((e) => { catalogue = null; throw e; });
  return catalogue;
}

function describe(rule) {
  return rule ? (lang() === 'zh' ? rule.description_zh : rule.description_en) : '';
}

/** Vehicles the caller may see: id → { plate, carrier_id }. */
async function vehicleIndex() {
  const out = new Map();
  const body = await apiOrNull('/api/v1/vehicles?limit=1000&sort=plate').catch(() => null);
  for (const v of (body && body.items) || []) out.set(v.id, { plate: v.plate, carrier_id: v.carrier_id });
  return out;
}

/** Party names: id → name. */
async function partyNames() {
  const out = new Map();
  const body = await apiOrNull('/api/v1/parties?limit=1000').catch(() => null);
  for (const p of (body && body.items) || []) out.set(p.id, { name: p.name, roles: p.roles || [] });
  return out;
}

function isTime(s) {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s);
}

function isPoint(v) {
  return v && typeof v === 'object' && typeof v.lat === 'number' && typeof v.lon === 'number';
}

/** Every `{lat, lon}` in an evidence value, with the key it was found under. */
function pointsOf(v, key = '', out = []) {
  if (isPoint(v)) out.push({ lat: v.lat, lon: v.lon, key });
  else if (Array.isArray(v)) v.forEach((x) => pointsOf(x, key, out));
  else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => pointsOf(x, k, out));
  return out;
}

/** Every instant in an evidence value. */
function timesOf(v, out = []) {
  if (isTime(v)) out.push(Date.parse(v));
  else if (Array.isArray(v)) v.forEach((x) => timesOf(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => timesOf(x, out));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evidence, readable.

function evValue(v, key) {
  if (v === null || v === undefined) return h('span', { class: 'muted', text: t('common.dash') });
  if (isPoint(v)) return h('code', { class: 'mon-point', text: `${v.lat.toFixed(5)}, ${v.lon.toFixed(5)}` });
  if (isTime(v)) return h('span', { title: v, text: fmtTime(v) });
  if (typeof v === 'number') {
    const share = /(share|completeness|threshold)$/.test(key) && v <= 1;
    return h('span', { class: 'num', text: share ? fmtPct(v) : fmtNum(v, Number.isInteger(v) ? 0 : 2) });
  }
  if (typeof v === 'boolean') return h('span', { text: String(v) });
  if (Array.isArray(v)) {
    if (!v.length) return h('span', { class: 'muted', text: t('monitoring.none') });
    if (v.every((x) => x && typeof x === 'object' && !isPoint(x) && !Array.isArray(x))) {
      const keys = [...new Set(v.flatMap((x) => Object.keys(x)))];
      return h('div', { class: 'table-wrap mon-ev-table' }, h('table', { class: 'table' },
        h('thead', null, h('tr', null, keys.map((k) => h('th', { title: k, text: evLabel(k) })))),
        h('tbody', null, v.map((x) => h('tr', null, keys.map((k) => h('td', null, evValue(x[k], k))))))));
    }
    return h('span', null, v.map((x, i) => [i ? '、' : null, evValue(x, key)]));
  }
  if (typeof v === 'object') return evidenceList(v);
  return h('span', { text: String(v) });
}

/** An evidence object as a key/value list (labels translated, raw keys in the title). */
function evidenceList(ev) {
  if (!ev || typeof ev !== 'object' || !Object.keys(ev).length) return h('span', { class: 'muted', text: t('common.dash') });
  return h('dl', { class: 'kv mon-kv' }, Object.entries(ev).map(([k, v]) => [
    h('dt', { title: k, text: evLabel(k) }), h('dd', null, evValue(v, k))]));
}

/** A small map of the evidence's points (jumps drawn as lines). */
async function evidenceMap(el, ev) {
  const pts = pointsOf(ev);
  if (!pts.length || !window.L) return;
  const L = window.L;
  const map = await newMap(el, { center: [pts[0].lat, pts[0].lon], zoom: 10 });
  if (!map) return;
  const lines = [];
  (function walk(v) {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (isPoint(v.from_point) && isPoint(v.to_point)) lines.push([v.from_point, v.to_point]);
      if (isPoint(v.expected_point) && isPoint(v.nearest_fix_point)) lines.push([v.expected_point, v.nearest_fix_point]);
      Object.values(v).forEach(walk);
    }
  }(ev));
  for (const [a, b] of lines) {
    L.polyline([[a.lat, a.lon], [b.lat, b.lon]], { color: '#cf222e', weight: 2, dashArray: '6 4' }).addTo(map);
  }
  for (const p of pts) {
    L.circleMarker([p.lat, p.lon], { radius: 6, color: '#cf222e', weight: 2, fillOpacity: 0.6 })
      .bindTooltip(evLabel(p.key)).addTo(map);
  }
  const b = L.latLngBounds(pts.map((p) => [p.lat, p.lon]));
  map.fitBounds(b.pad(0.3), { maxZoom: 13, animate: false });
  el.dataset.points = String(pts.length);
}

/** Evidence block: the list, and a map when it has points. */
function evidenceBlock(ev) {
  const pts = pointsOf(ev);
  const mapEl = pts.length ? h('div', { class: 'mon-ev-map' }) : null;
  const el = h('div', { class: 'mon-evidence' }, h('div', { class: 'mon-ev-list' }, evidenceList(ev)), mapEl);
  const drawMap = () => {
    if (!mapEl || mapEl.dataset.drawn) return null;
    mapEl.dataset.drawn = '1';
    return evidenceMap(mapEl, ev);
  };
  return { el, drawMap };
}

// ---------------------------------------------------------------------------------------------
// The page.

function tabsFor(role) {
  return role === 'shipper' ? ['checks'] : ['live', 'track', 'alerts', 'checks'];
}

export async function render(root, ctx) {
  dispose();
  loadCss('monitoring');
  const role = ctx.me.role;
  const tabs = tabsFor(role);
  let tab = ctx.params.get('tab') || tabs[0];
  if (!tabs.includes(tab)) tab = tabs[0];
  const staff = STAFF.includes(role);
  root.appendChild(h('div', { class: 'page-head' },
    h('h1', { text: t('nav.monitoring') }),
    h('div', { class: 'page-tools mon-links' },
      role !== 'shipper' ? h('a', { href: '#/map', text: t('monitoring.see_map') }) : null,
      staff ? h('a', { href: '#/warnings', text: t('monitoring.see_warnings') }) : null)));
  root.appendChild(h('nav', { class: 'mon-tabs', role: 'tablist' }, tabs.map((k) => h('a', {
    href: hashOf({ tab: k }), role: 'tab', class: k === tab ? 'active' : null,
    'aria-selected': k === tab ? 'true' : 'false', dataset: { tab: k }, text: t(`monitoring.tab.${k}`),
  }))));
  const body = h('div', { class: 'mon-body', id: 'mon-body', dataset: { tab } });
  root.appendChild(body);
  if (role === 'shipper') body.appendChild(h('p', { class: 'muted small', text: t('monitoring.shipper_note') }));
  try {
    if (tab === 'live') await renderLive(body, ctx);
    else if (tab === 'track') await renderTrack(body, ctx);
    else if (tab === 'alerts') await renderAlerts(body, ctx);
    else await renderChecks(body, ctx);
  } catch (e) {
    if (ctx.isCurrent()) body.appendChild(card(null, errorBox(e)));
  }
}

// ---------------------------------------------------------------------------------------------
// Live vehicles.

function vehicleIcon(p) {
  const L = window.L;
  const moving = (p.speed_kmh || 0) >= STOP_KMH && p.heading !== null && p.heading !== undefined;
  const cls = ['mon-veh', p.online ? 'mon-veh-online' : 'mon-veh-stale', moving ? 'mon-veh-moving' : 'mon-veh-still'];
  const el = h('div', { class: cls.join(' '), dataset: { vehicle: p.vehicle_id } },
    moving ? h('span', { class: 'mon-arrow', style: { transform: `rotate(${p.heading}deg)` } }) : h('span', { class: 'mon-dot' }));
  return L.divIcon({ className: 'mon-veh-icon', html: el, iconSize: [22, 22], iconAnchor: [11, 11] });
}

function liveTooltip(p, plate) {
  return h('div', { class: 'popup' }, h('strong', { text: plate }),
    h('dl', { class: 'kv' },
      h('dt', { text: t('monitoring.speed') }), h('dd', { text: fmtKmh(p.speed_kmh) }),
      h('dt', { text: t('monitoring.heading') }), h('dd', { text: p.heading === null || p.heading === undefined ? t('common.dash') : `${p.heading}°` }),
      h('dt', { text: t('monitoring.fix_time') }), h('dd', { text: fmtTime(p.time) }),
      h('dt', { text: t('monitoring.age') }), h('dd', { text: fmtAge(p.age_s) })));
}

async function renderLive(body, ctx) {
  const L = window.L;
  const q0 = ctx.params.get('q') || '';
  const mapEl = h('div', { id: 'mon-live-map', class: 'mon-map' });
  const search = h('input', { type: 'search', id: 'mon-search', placeholder: t('monitoring.search_plate'), value: q0, 'aria-label': t('monitoring.search_plate') });
  const summary = h('div', { class: 'mon-summary', id: 'mon-live-summary' });
  const list = h('ul', { class: 'mon-list', id: 'mon-live-list' });
  const status = h('div', { class: 'small muted', id: 'mon-live-status' });
  body.appendChild(h('div', { class: 'mon-split' }, h('div', { class: 'mon-map-wrap' }, mapEl),
    h('aside', { class: 'card mon-side' }, summary, search, list, status)));
  const [fc, vehicles] = await Promise.all([api('/api/v1/positions/latest'), vehicleIndex()]);
  if (!ctx.isCurrent()) return;
  const map = await newMap(mapEl);
  if (!ctx.isCurrent() || !map) return;
  const layer = L.layerGroup().addTo(map);
  const markers = new Map();
  let features = [];
  const plateOf = (id) => (vehicles.get(id) && vehicles.get(id).plate) || id;

  const inView = () => {
    const b = map.getBounds();
    const n = features.filter((f) => b.contains([f.geometry.coordinates[1], f.geometry.coordinates[0]])).length;
    mapEl.dataset.inView = String(n);
    return n;
  };
  const drawList = () => {
    const q = search.value.trim().toLowerCase();
    const rows = features
      .map((f) => f.properties)
      .filter((p) => !q || plateOf(p.vehicle_id).toLowerCase().includes(q) || p.vehicle_id.toLowerCase().includes(q))
      .sort((a, b) => (b.online - a.online) || (a.age_s - b.age_s));
    clear(list);
    if (!features.length) list.appendChild(h('li', { class: 'mon-empty' }, noData(t('monitoring.no_positions'))));
    else if (!rows.length) list.appendChild(h('li', { class: 'muted', text: t('monitoring.no_match') }));
    for (const p of rows) {
      list.appendChild(h('li', {
        class: p.online ? 'mon-item' : 'mon-item mon-item-stale', dataset: { vehicle: p.vehicle_id },
        onclick: () => {
          const m = markers.get(p.vehicle_id);
          if (m) { map.setView(m.getLatLng(), Math.max(map.getZoom(), 12), { animate: false }); m.openTooltip(); }
        },
      },
      h('div', { class: 'mon-item-head' }, h('strong', { text: plateOf(p.vehicle_id) }),
        badge(p.online ? t('monitoring.online') : t('monitoring.stale'), p.online ? 'ok' : 'none')),
      h('div', { class: 'small muted' }, `${fmtKmh(p.speed_kmh)} · ${fmtAge(p.age_s)}`),
      h('a', { class: 'btn btn-small', href: hashOf({ tab: 'track', vehicle: p.vehicle_id }), text: t('monitoring.open_track'), onclick: (e) => e.stopPropagation() })));
    }
    const online = features.filter((f) => f.properties.online).length;
    summary.textContent = `${t('monitoring.vehicles_summary', { n: fmtNum(features.length), online: fmtNum(online) })} · ${t('monitoring.in_view', { n: fmtNum(inView()) })}`;
  };
  const draw = (data) => {
    features = ((data && data.features) || []).filter((f) => f.geometry && Array.isArray(f.geometry.coordinates));
    const seen = new Set();
    for (const f of features) {
      const p = f.properties;
      const at = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      seen.add(p.vehicle_id);
      let m = markers.get(p.vehicle_id);
      if (!m) {
        m = L.marker(at, { icon: vehicleIcon(p), keyboard: false }).addTo(layer);
        m.on('click', () => go({ tab: 'track', vehicle: p.vehicle_id }));
        markers.set(p.vehicle_id, m);
      } else {
        m.setLatLng(at);
        m.setIcon(vehicleIcon(p));
      }
      m.unbindTooltip();
      m.bindTooltip(liveTooltip(p, plateOf(p.vehicle_id)), { direction: 'top', offset: [0, -8] });
    }
    for (const [id, m] of markers) {
      if (!seen.has(id)) { layer.removeLayer(m); markers.delete(id); }
    }
    mapEl.dataset.markers = String(markers.size);
    drawList();
  };
  map.on('moveend', drawList);
  draw(fc);
  if (features.length) {
    const b = L.latLngBounds(features.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]));
    map.fitBounds(b.pad(0.1), { maxZoom: 13, animate: false });
    drawList();
  }
  search.addEventListener('input', () => {
    history.replaceState(null, '', hashOf({ tab: 'live', q: search.value.trim() }));
    drawList();
  });
  const stamp = () => { status.textContent = t('monitoring.refreshed', { at: fmtTime(new Date().toISOString()) }); };
  stamp();
  live.timers.push(setInterval(async () => {
    try {
      const next = await api('/api/v1/positions/latest');
      if (!ctx.isCurrent()) return;
      draw(next);
      stamp();
    } catch (e) {
      status.textContent = t('monitoring.refresh_failed', { msg: errorText(e) });
    }
  }, REFRESH_MS));
}

// ---------------------------------------------------------------------------------------------
// Track replay.

/** The default window: the vehicle's last despatched waybill, else the day before its last fix. */
async function defaultWindow(id, plate) {
  const now = Date.now();
  const wb = plate ? await apiOrNull(`/api/v1/waybills?plate=${encodeURIComponent(plate)}&sort=-consignment_time&limit=20`).catch(() => null) : null;
  const trip = ((wb && wb.items) || []).find((w) => w.vehicle && w.vehicle.vehicle_id === id && w.despatch_time && Date.parse(w.despatch_time) <= now);
  if (trip) {
    const start = Date.parse(trip.despatch_time);
    const end = trip.receipt_time ? Date.parse(trip.receipt_time) : start + 24 * 3600e3;
    return {
      from: new Date(start - 30 * 60e3).toISOString(), to: new Date(Math.min(now, end + 30 * 60e3)).toISOString(),
      why: t('monitoring.window_trip', { note: trip.shipping_note_number }), waybill: trip.id,
    };
  }
  const latest = await apiOrNull('/api/v1/positions/latest').catch(() => null);
  const f = ((latest && latest.features) || []).find((x) => x.properties.vehicle_id === id);
  const to = f ? Date.parse(f.properties.time) + 60e3 : now;
  return { from: new Date(to - 24 * 3600e3).toISOString(), to: new Date(to).toISOString(), why: t('monitoring.window_day') };
}

function haversine(a, b) {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(s));
}

/** Distance, stops and gaps of a track (coordinates [lon, lat], times, speeds). */
function analyse(coords, times, speeds) {
  const ms = times.map((s) => Date.parse(s));
  let metres = 0;
  const gaps = [];
  const stops = [];
  let stopStart = -1;
  for (let i = 0; i < coords.length; i++) {
    if (i > 0) {
      metres += haversine(coords[i - 1], coords[i]);
      const dt = (ms[i] - ms[i - 1]) / 1000;
      if (dt > GAP_S) gaps.push({ i: i - 1, j: i, seconds: dt });
    }
    const slow = (speeds[i] === null || speeds[i] === undefined ? 0 : speeds[i]) < STOP_KMH;
    if (slow && stopStart < 0) stopStart = i;
    if ((!slow || i === coords.length - 1) && stopStart >= 0) {
      const end = slow ? i : i - 1;
      const seconds = (ms[end] - ms[stopStart]) / 1000;
      if (seconds >= STOP_S) stops.push({ i: stopStart, j: end, seconds });
      stopStart = -1;
    }
  }
  const top = speeds.reduce((m, v) => (v !== null && v !== undefined && v > m ? v : m), 0);
  return { ms, metres, gaps, stops, top };
}

function trackControls(ctx, vehicles, id, win) {
  const opts = [['', t('monitoring.pick_vehicle')], ...[...vehicles.entries()]
    .sort((a, b) => String(a[1].plate).localeCompare(String(b[1].plate)))
    .map(([vid, v]) => [vid, v.plate || vid])];
  if (id && !vehicles.has(id)) opts.push([id, id]);
  const vsel = select(opts, id, { id: 'mon-vehicle' });
  const from = h('input', { type: 'datetime-local', id: 'mon-from', value: win ? toBeijingInput(win.from) : '' });
  const to = h('input', { type: 'datetime-local', id: 'mon-to', value: win ? toBeijingInput(win.to) : '' });
  vsel.addEventListener('change', () => go({ tab: 'track', vehicle: vsel.value }));
  const form = h('form', { class: 'toolbar mon-toolbar', id: 'mon-track-form' },
    field(t('monitoring.vehicle'), vsel), field(t('monitoring.from'), from), field(t('monitoring.to'), to),
    h('button', { type: 'submit', class: 'btn btn-primary', text: t('monitoring.load') }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go({ tab: 'track', vehicle: vsel.value, from: fromBeijingInput(from.value), to: fromBeijingInput(to.value) });
  });
  return form;
}

async function renderTrack(body, ctx) {
  const vehicles = await vehicleIndex();
  if (!ctx.isCurrent()) return;
  const id = ctx.params.get('vehicle') || '';
  if (!id) {
    body.appendChild(trackControls(ctx, vehicles, id, null));
    body.appendChild(card(null, noData(t('monitoring.pick_vehicle'))));
    return;
  }
  const plate = (vehicles.get(id) && vehicles.get(id).plate) || '';
  let win = { from: ctx.params.get('from'), to: ctx.params.get('to'), why: '' };
  if (!win.from || !win.to) win = await defaultWindow(id, plate);
  if (!ctx.isCurrent()) return;
  body.appendChild(trackControls(ctx, vehicles, id, win));
  const qs = `from=${encodeURIComponent(win.from)}&to=${encodeURIComponent(win.to)}`;
  const [track, alerts] = await Promise.all([
    api(`/api/v1/vehicles/${encodeURIComponent(id)}/track?${qs}`),
    apiOrNull(`/api/v1/alerts?vehicle_id=${encodeURIComponent(id)}&limit=${ALERT_LIMIT}&sort=-detected_at`).catch(() => null),
  ]);
  if (!ctx.isCurrent()) return;
  const coords = (track.geometry && track.geometry.coordinates) || [];
  const pr = track.properties || {};
  if (win.why) {
    body.appendChild(h('p', { class: 'small muted', id: 'mon-window-why' }, win.why, ' ',
      win.waybill ? h('a', { href: hashOf({ tab: 'checks', waybill: win.waybill }), text: t('monitoring.view_checks') }) : null));
  }
  if (!coords.length) {
    body.appendChild(card(null, noData(t('monitoring.no_track'))));
    return;
  }
  await drawTrack(body, ctx, { id, plate: pr.plate || plate, coords, times: pr.times || [], speeds: pr.speeds_kmh || [], truncated: pr.truncated, win }, (alerts && alerts.items) || []);
}

/**
 * The alerts of a track: those whose evidence has an instant in its window (with the index of the
 * fix nearest to it), and those of the trip's waybill or of the window's days (without one).
 */
function trackAlerts(items, ms, waybill) {
  const t0 = ms[0];
  const t1 = ms[ms.length - 1];
  const nearest = (x) => {
    let lo = 0;
    let hi = ms.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ms[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  const bjDay = (x) => new Date(x + 8 * 3600e3).toISOString().slice(0, 10);
  const days = new Set([bjDay(t0), bjDay(t1)]);
  return items.map((a) => {
    const all = timesOf(a.evidence || {});
    const inside = all.filter((x) => x >= t0 - 3600e3 && x <= t1 + 3600e3);
    if (inside.length) return { a, index: nearest(Math.max(t0, Math.min(t1, inside[0]))) };
    const mine = (waybill && a.waybill_id === waybill) || (!all.length && days.has(a.day));
    return mine ? { a, index: null } : null;
  }).filter(Boolean);
}

async function drawTrack(body, ctx, tr, alertItems) {
  const L = window.L;
  const { coords, times, speeds } = tr;
  const an = analyse(coords, times, speeds);
  const n = coords.length;
  const latlngs = coords.map((c) => [c[1], c[0]]);
  const onTrack = trackAlerts(alertItems, an.ms, tr.win.waybill);
  const mapEl = h('div', { id: 'mon-track-map', class: 'mon-map', dataset: { points: String(n), vehicle: tr.id, from: tr.win.from, to: tr.win.to } });
  const slider = h('input', { type: 'range', id: 'mon-slider', min: '0', max: String(n - 1), step: '1', value: '0', 'aria-label': t('monitoring.position') });
  const timeEl = h('strong', { id: 'mon-replay-time' });
  const speedEl = h('span', { id: 'mon-replay-speed' });
  const playBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'mon-play', text: t('monitoring.play') });
  const mult = select([['1', '×1'], ['5', '×5'], ['20', '×20']], '5', { id: 'mon-mult', 'aria-label': t('monitoring.replay_speed') });
  const ticks = h('div', { class: 'mon-ticks' });
  const pos = (i) => `${(100 * i / Math.max(1, n - 1)).toFixed(2)}%`;
  for (const g of an.gaps) ticks.appendChild(h('span', { class: 'mon-tick mon-tick-gap', style: { left: pos(g.i), width: `calc(${pos(g.j)} - ${pos(g.i)})` }, title: t('monitoring.gap_item', { d: fmtSpan(g.seconds) }) }));
  for (const s of an.stops) ticks.appendChild(h('span', { class: 'mon-tick mon-tick-stop', style: { left: pos(s.i) }, title: t('monitoring.stop_item', { d: fmtSpan(s.seconds) }) }));
  for (const x of onTrack.filter((y) => y.index !== null)) ticks.appendChild(h('span', { class: 'mon-tick mon-tick-alert', style: { left: pos(x.index) }, title: ruleName(x.a.rule) }));
  const stat = (label, value) => h('div', { class: 'mon-stat' }, h('span', { class: 'small muted', text: label }), h('strong', { text: value }));
  const jump = (i) => () => setIndex(i, true);
  const eventList = (items, label) => h('ul', { class: 'mon-events' }, items.length ? items.map((x) => h('li', null,
    h('button', { type: 'button', class: 'btn-link', onclick: jump(x.i), text: `${fmtTime(times[x.i])}` }), ' ', label(x))) : h('li', { class: 'muted', text: t('monitoring.none') }));
  const side = h('aside', { class: 'card mon-side mon-replay' },
    h('h2', { class: 'card-title', text: tr.plate || tr.id }),
    h('div', { class: 'mon-stats' },
      stat(t('monitoring.fixes'), fmtNum(n)), stat(t('monitoring.distance'), t('monitoring.km', { n: fmtNum(an.metres / 1000, 1) })),
      stat(t('monitoring.duration'), fmtSpan((an.ms[n - 1] - an.ms[0]) / 1000)), stat(t('monitoring.max_speed'), fmtKmh(an.top))),
    tr.truncated ? h('p', { class: 'small warn', text: t('monitoring.truncated') }) : null,
    h('div', { class: 'mon-player' }, playBtn, field(t('monitoring.replay_speed'), mult)),
    h('div', { class: 'mon-slider-wrap' }, slider, ticks),
    h('div', { class: 'mon-now' }, timeEl, ' · ', speedEl),
    h('h3', { text: t('monitoring.track_alerts', { n: onTrack.length }) }),
    h('ul', { class: 'mon-events', id: 'mon-track-alerts' }, onTrack.length ? onTrack.map((x) => h('li', { dataset: { alert: x.a.id } },
      sevBadge(x.a.severity), ' ', x.index === null ? h('strong', { text: ruleName(x.a.rule) })
        : h('button', { type: 'button', class: 'btn-link', onclick: jump(x.index), text: ruleName(x.a.rule) }),
      h('div', { class: 'small muted', text: x.a.message || '' }))) : h('li', { class: 'muted', text: t('monitoring.none') })),
    h('h3', { text: t('monitoring.stops', { n: an.stops.length }) }),
    eventList(an.stops, (s) => t('monitoring.stop_item', { d: fmtSpan(s.seconds) })),
    h('h3', { text: t('monitoring.gaps', { n: an.gaps.length }) }),
    eventList(an.gaps, (g) => t('monitoring.gap_item', { d: fmtSpan(g.seconds) })));
  body.appendChild(h('div', { class: 'mon-split mon-split-track' }, h('div', { class: 'mon-map-wrap' }, mapEl), side));
  const map = await newMap(mapEl);
  if (!ctx.isCurrent() || !map) return;
  L.polyline(latlngs, { color: '#0969da', weight: 3, opacity: 0.55 }).addTo(map);
  const done = L.polyline([latlngs[0]], { color: '#0b2545', weight: 4 }).addTo(map);
  for (const g of an.gaps) {
    L.polyline([latlngs[g.i], latlngs[g.j]], { color: '#cf222e', weight: 3, dashArray: '6 6' })
      .bindTooltip(t('monitoring.gap_item', { d: fmtSpan(g.seconds) })).addTo(map);
  }
  for (const s of an.stops) {
    L.circleMarker(latlngs[s.i], { radius: 6, color: '#9a6700', weight: 2, fillColor: '#d4a72c', fillOpacity: 0.8 })
      .bindTooltip(`${t('monitoring.stop_item', { d: fmtSpan(s.seconds) })} · ${fmtTime(times[s.i])}`).addTo(map);
  }
  for (const x of onTrack) {
    for (const p of pointsOf(x.a.evidence)) {
      L.circleMarker([p.lat, p.lon], { radius: 7, color: '#cf222e', weight: 2, fillColor: '#ff8182', fillOpacity: 0.7 })
        .bindTooltip(`${ruleName(x.a.rule)} · ${evLabel(p.key)}`).addTo(map);
    }
  }
  L.circleMarker(latlngs[0], { radius: 6, color: '#1a7f37', fillOpacity: 1 }).bindTooltip(t('monitoring.start')).addTo(map);
  L.circleMarker(latlngs[n - 1], { radius: 6, color: '#0b2545', fillOpacity: 1 }).bindTooltip(t('monitoring.end')).addTo(map);
  const markerEl = h('div', { class: 'mon-replay-marker', id: 'mon-replay-marker' });
  const marker = L.marker(latlngs[0], {
    icon: L.divIcon({ className: 'mon-veh-icon', html: markerEl, iconSize: [18, 18], iconAnchor: [9, 9] }),
    keyboard: false, zIndexOffset: 1000,
  }).addTo(map);
  map.fitBounds(L.latLngBounds(latlngs).pad(0.1), { animate: false });

  let index = 0;
  function setIndex(i, pan) {
    index = Math.max(0, Math.min(n - 1, i));
    slider.value = String(index);
    marker.setLatLng(latlngs[index]);
    done.setLatLngs(latlngs.slice(0, index + 1));
    timeEl.textContent = fmtTime(times[index]);
    timeEl.dataset.time = times[index];
    speedEl.textContent = fmtKmh(speeds[index]);
    Object.assign(mapEl.dataset, { index: String(index), lat: String(latlngs[index][0]), lon: String(latlngs[index][1]) });
    if (pan && !map.getBounds().contains(latlngs[index])) map.panTo(latlngs[index], { animate: false });
  }
  let timer = 0;
  const stop = () => {
    clearInterval(timer);
    live.timers = live.timers.filter((x) => x !== timer);
    timer = 0;
    playBtn.textContent = t('monitoring.play');
    playBtn.dataset.playing = 'no';
  };
  playBtn.addEventListener('click', () => {
    if (timer) { stop(); return; }
    if (index >= n - 1) setIndex(0);
    playBtn.textContent = t('monitoring.pause');
    playBtn.dataset.playing = 'yes';
    timer = setInterval(() => {
      const step = Math.max(1, Math.round((n / 600) * Number(mult.value)));
      setIndex(index + step, true);
      if (index >= n - 1) stop();
    }, 50);
    live.timers.push(timer);
  });
  slider.addEventListener('input', () => setIndex(Number(slider.value), false));
  setIndex(0);
}

// ---------------------------------------------------------------------------------------------
// Alerts.

function actionForm(a, action, done) {
  const note = h('input', { name: 'note', placeholder: t('monitoring.note_placeholder'), required: action === 'resolve' });
  const msg = h('div', { class: 'error hidden', role: 'alert' });
  const form = h('form', { class: 'inline-form', dataset: { form: action } },
    field(t('monitoring.note'), note),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', text: t(`monitoring.${action}`) }),
      h('button', { type: 'button', class: 'btn', text: t('common.cancel'), onclick: () => form.closest('tr').remove() })),
    msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (action === 'resolve' && !note.value.trim()) {
      msg.textContent = t('monitoring.note_required');
      msg.classList.remove('hidden');
      return;
    }
    try {
      const rec = await api(`/api/v1/alerts/${encodeURIComponent(a.id)}/${action}`, { method: 'POST', body: { note: note.value.trim() } });
      toast(t(action === 'resolve' ? 'monitoring.resolved' : 'monitoring.acknowledged'));
      done(rec);
    } catch (e) {
      msg.textContent = errorText(e);
      msg.classList.remove('hidden');
    }
  });
  return form;
}

function alertFilters(ctx, catalogueRules, parties, staff) {
  const p = ctx.params;
  const cur = { rule: p.get('rule') || '', severity: p.get('severity') || '', status: p.get('status') || 'open', carrier: p.get('carrier') || '' };
  const sel = (name, options) => {
    const s = select(options, cur[name], { id: `mon-f-${name}` });
    s.addEventListener('change', () => go({ tab: 'alerts', ...cur, [name]: s.value }));
    return field(t(`monitoring.${name}`), s);
  };
  const carriers = [...parties.entries()].filter(([, v]) => v.roles.includes('carrier'))
    .sort((a, b) => a[1].name.localeCompare(b[1].name, 'zh'));
  return {
    cur,
    bar: h('div', { class: 'toolbar mon-toolbar', id: 'mon-alert-filters' },
      sel('rule', [['', t('monitoring.all')], ...catalogueRules.map((r) => [r.code, ruleName(r.code)])]),
      sel('severity', [['', t('monitoring.all')], ['critical', t('monitoring.sev.critical')], ['warning', t('monitoring.sev.warning')]]),
      sel('status', [['open', t('monitoring.st.open')], ['acknowledged', t('monitoring.st.acknowledged')], ['resolved', t('monitoring.st.resolved')], ['all', t('monitoring.all')]]),
      staff ? sel('carrier', [['', t('monitoring.all')], ...carriers.map(([id, v]) => [id, v.name])]) : null),
  };
}

function runForm(done) {
  const day = h('input', { type: 'date', id: 'mon-run-day', value: new Date(Date.now() - 16 * 3600e3).toISOString().slice(0, 10) });
  const btn = h('button', { type: 'submit', class: 'btn', id: 'mon-run', text: t('monitoring.run') });
  const form = h('form', { class: 'mon-run' }, field(t('monitoring.run_day'), day), btn);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    btn.disabled = true;
    try {
      const r = await api(`/api/v1/monitoring/run?day=${encodeURIComponent(day.value)}`, { method: 'POST' });
      toast(t('monitoring.run_done', { n: fmtNum(r.waybills_checked), alerts: fmtNum(r.alerts_raised) }));
      done();
    } catch (err) {
      toast(errorText(err), 'error');
    }
    btn.disabled = false;
  });
  return form;
}

async function renderAlerts(body, ctx) {
  const staff = STAFF.includes(ctx.me.role);
  const [cat, parties] = await Promise.all([rules(), partyNames()]);
  if (!ctx.isCurrent()) return;
  const codes = new Set(cat.map((r) => r.code));
  const { cur, bar } = alertFilters(ctx, cat, parties, staff);
  const liveEl = h('span', { class: 'mon-live-dot', id: 'mon-stream', dataset: { state: 'off' }, text: t('monitoring.live_off') });
  body.appendChild(h('div', { class: 'mon-alert-head' }, bar, h('div', { class: 'mon-alert-tools' },
    liveEl, staff ? runForm(() => window.dispatchEvent(new HashChangeEvent('hashchange'))) : null)));
  const q = new URLSearchParams({ limit: String(ALERT_LIMIT), sort: '-detected_at' });
  if (cur.status !== 'all') q.set('status', cur.status);
  if (cur.rule) q.set('rule', cur.rule);
  if (cur.severity) q.set('severity', cur.severity);
  if (cur.carrier) q.set('carrier_id', cur.carrier);
  const data = await api(`/api/v1/alerts?${q}`);
  if (!ctx.isCurrent()) return;
  const items = (data.items || []).filter((a) => codes.has(a.rule));
  const vehicles = new Map();
  const cols = [{ label: t('monitoring.severity') }, { label: t('monitoring.rule') }, { label: t('monitoring.vehicle') },
    { label: t('monitoring.carrier') }, { label: t('monitoring.day') }, { label: t('monitoring.message') },
    { label: t('monitoring.status') }, { label: t('common.actions') }];
  const tbody = h('tbody');
  const title = h('h2', { class: 'card-title', id: 'mon-alerts-title' });
  const countAll = () => { title.textContent = t('monitoring.alerts_count', { n: fmtNum(tbody.querySelectorAll('tr.mon-alert').length) }); };
  const matches = (a) => codes.has(a.rule) && (cur.status === 'all' || a.status === cur.status)
    && (!cur.rule || a.rule === cur.rule) && (!cur.severity || a.severity === cur.severity) && (!cur.carrier || a.carrier_id === cur.carrier);
  const rowOf = (a) => alertRow(a, { staff, parties, vehicles, cols: cols.length, onChange: (rec, tr) => {
    if (!matches(rec)) { tr.nextSibling && tr.nextSibling.classList.contains('mon-ev-row') && tr.nextSibling.remove(); tr.remove(); countAll(); return; }
    const fresh = rowOf(rec);
    tr.replaceWith(...fresh);
  } });
  for (const a of items) tbody.append(...rowOf(a));
  const tbl = h('div', { class: 'table-wrap mon-alerts-wrap' }, h('table', { class: 'table mon-alerts', id: 'mon-alerts' },
    h('thead', null, h('tr', null, cols.map((c) => h('th', { text: c.label })))), tbody));
  const empty = noData(t('monitoring.no_alerts'));
  body.appendChild(h('section', { class: 'card' }, title,
    (data.next_cursor ? h('p', { class: 'small muted', text: t('monitoring.alerts_more', { n: ALERT_LIMIT }) }) : null),
    items.length ? tbl : empty));
  countAll();
  if (typeof EventSource !== 'function') return;
  const es = new EventSource('/api/v1/alerts/stream');
  live.streams.push(es);
  es.addEventListener('open', () => { liveEl.dataset.state = 'on'; liveEl.textContent = t('monitoring.live_on'); });
  es.addEventListener('error', () => { liveEl.dataset.state = 'off'; liveEl.textContent = t('monitoring.live_off'); });
  es.addEventListener('alert', (e) => {
    let a;
    try { a = JSON.parse(e.data); } catch { return; }
    if (!matches(a) || tbody.querySelector(`tr[data-alert="${CSS.escape(a.id)}"]`)) return;
    const rows = rowOf(a);
    rows[0].classList.add('mon-new');
    if (!tbody.parentNode.isConnected && empty.isConnected) empty.replaceWith(tbl);
    tbody.prepend(...rows);
    countAll();
    toast(t('monitoring.new_alert', { rule: ruleName(a.rule), plate: a.plate || '' }));
  });
}

/** An alert's row and its (hidden) evidence row. */
function alertRow(a, { staff, parties, cols, onChange }) {
  const carrier = parties.get(a.carrier_id);
  const times = timesOf(a.evidence || {});
  const trackLink = a.vehicle_id ? h('a', {
    href: hashOf(times.length
      ? { tab: 'track', vehicle: a.vehicle_id, from: new Date(Math.min(...times) - 3600e3).toISOString(), to: new Date(Math.max(...times) + 3600e3).toISOString() }
      : { tab: 'track', vehicle: a.vehicle_id }),
    text: t('monitoring.view_track'),
  }) : null;
  const ev = evidenceBlock(a.evidence || {});
  const evRow = h('tr', { class: 'mon-ev-row', hidden: true, dataset: { evidenceOf: a.id } },
    h('td', { colspan: cols }, ev.el, h('div', { class: 'mon-ev-links' }, trackLink, ' ',
      a.waybill_id ? h('a', { href: hashOf({ tab: 'checks', waybill: a.waybill_id }), text: t('monitoring.view_checks') }) : null)));
  const evBtn = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'evidence' }, text: t('monitoring.show_evidence') });
  evBtn.addEventListener('click', () => {
    evRow.hidden = !evRow.hidden;
    evBtn.textContent = evRow.hidden ? t('monitoring.show_evidence') : t('monitoring.hide_evidence');
    if (!evRow.hidden) ev.drawMap();
  });
  const actions = h('td', { class: 'actions' }, evBtn);
  const tr = h('tr', { class: 'mon-alert', dataset: { alert: a.id, status: a.status, rule: a.rule } },
    h('td', null, sevBadge(a.severity)),
    h('td', null, h('div', { text: ruleName(a.rule) }), h('code', { class: 'small muted', text: a.rule })),
    h('td', null, h('div', { text: a.plate || a.vehicle_id || t('common.dash') }),
      a.waybill_id ? h('a', { class: 'small', href: hashOf({ tab: 'checks', waybill: a.waybill_id }), text: a.waybill_id }) : null),
    h('td', { text: (carrier && carrier.name) || a.carrier_id || t('common.dash') }),
    h('td', { class: 'nowrap', text: fmtDate(a.day) }),
    h('td', null, h('div', { text: a.message || '' }), a.note ? h('div', { class: 'small muted', text: `${t('monitoring.note')}${t('common.colon')}${a.note}` }) : null),
    h('td', null, statusBadge(a.status)),
    actions);
  const open = (action) => {
    const row = h('tr', { class: 'form-row' }, h('td', { colspan: cols }));
    row.firstChild.appendChild(actionForm(a, action, (rec) => { row.remove(); onChange(rec, tr); evRow.remove(); }));
    (evRow.isConnected ? evRow : tr).after(row);
    row.querySelector('input').focus();
  };
  if (staff && a.status === 'open') {
    actions.appendChild(h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'acknowledge' }, text: t('monitoring.acknowledge'), onclick: () => open('acknowledge') }));
  }
  if (staff && a.status !== 'resolved') {
    actions.appendChild(h('button', { type: 'button', class: 'btn btn-small btn-primary', dataset: { action: 'resolve' }, text: t('monitoring.resolve'), onclick: () => open('resolve') }));
  }
  return [tr, evRow];
}

// ---------------------------------------------------------------------------------------------
// A waybill's rule results.

async function findWaybill(text) {
  const v = text.trim();
  if (!v) return null;
  if (v.startsWith('wyb_')) return v;
  const r = await apiOrNull(`/api/v1/waybills?shipping_note_number=${encodeURIComponent(v)}&limit=1`).catch(() => null);
  return r && r.items && r.items[0] ? r.items[0].id : v;
}

function waybillPicker(ctx, current) {
  const input = h('input', { id: 'mon-waybill', value: current, placeholder: t('monitoring.waybill_input'), 'aria-label': t('monitoring.waybill_input') });
  const form = h('form', { class: 'toolbar mon-toolbar', id: 'mon-check-form' },
    field(t('monitoring.waybill_input'), input), h('button', { type: 'submit', class: 'btn btn-primary', text: t('monitoring.check') }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = await findWaybill(input.value);
    if (id) go({ tab: 'checks', waybill: id });
  });
  return form;
}

async function recentWaybills(ctx, current) {
  const data = await apiOrNull('/api/v1/waybills?limit=15&sort=-consignment_time').catch(() => null);
  const items = (data && data.items) || [];
  if (!items.length) return card(t('monitoring.recent_waybills'), noData(t('monitoring.no_waybills')));
  const rows = items.map((w) => h('tr', { class: w.id === current ? 'mon-current' : null, dataset: { waybill: w.id } },
    h('td', null, h('a', { href: hashOf({ tab: 'checks', waybill: w.id }), text: w.shipping_note_number || w.id })),
    h('td', { text: (w.vehicle && w.vehicle.plate) || t('common.dash') }),
    h('td', { class: 'nowrap', text: fmtDateTime(w.consignment_time) }),
    h('td', { text: w.status || '' })));
  return card(t('monitoring.recent_waybills'), table([{ label: t('monitoring.note_number') }, { label: t('monitoring.plate') },
    { label: t('monitoring.consigned') }, { label: t('monitoring.waybill_status') }], rows, { id: 'mon-recent' }));
}

/** Each rule's result from the report: failed, noted (info finding), passed or not applicable. */
function resultOf(rule, findings, report) {
  const mine = findings.filter((f) => f.rule === rule.code);
  if (mine.some((f) => f.severity !== 'info')) return { result: 'failed', mine };
  if (mine.length) return { result: 'noted', mine };
  const needsTrack = rule.category === 'track' || rule.category === 'driving';
  if (needsTrack && (report.track_completeness === null || report.track_completeness === undefined)) return { result: 'na', mine };
  return { result: 'passed', mine };
}

const RESULT_KIND = { failed: 'bad', noted: 'info', passed: 'ok', na: 'none' };

async function renderChecks(body, ctx) {
  const id = ctx.params.get('waybill') || '';
  body.appendChild(waybillPicker(ctx, id));
  if (!id) {
    body.appendChild(await recentWaybills(ctx, id));
    return;
  }
  const [cat, verdict] = await Promise.all([rules(), api(`/api/v1/waybills/${encodeURIComponent(id)}/checks`)]);
  if (!ctx.isCurrent()) return;
  if (!verdict.checked) {
    body.appendChild(card(id, noData(t('monitoring.not_checked', { reason: verdict.reason || '' }))));
    return;
  }
  const r = verdict.report;
  const findings = r.findings || [];
  const stat = (label, value, attrs) => h('div', Object.assign({ class: 'mon-stat' }, attrs || {}), h('span', { class: 'small muted', text: label }), h('strong', null, value));
  const head = h('section', { class: 'card mon-check-head', id: 'mon-check-head', dataset: { waybill: r.waybill_id, abnormal: String(r.abnormal) } },
    h('h2', { class: 'card-title' }, `${t('monitoring.waybill')} ${r.shipping_note_number}`, ' ',
      badge(r.abnormal ? t('monitoring.abnormal') : t('monitoring.normal'), r.abnormal ? 'bad' : 'ok')),
    h('div', { class: 'mon-stats' },
      stat(t('monitoring.waybill'), r.waybill_id),
      stat(t('monitoring.plate'), r.vehicle_id ? h('a', { href: hashOf({ tab: 'track', vehicle: r.vehicle_id }), text: r.plate }) : r.plate),
      stat(t('monitoring.day'), fmtDate(r.day)),
      stat(t('monitoring.risk_score'), fmtNum(r.risk_score), { id: 'mon-risk' }),
      stat(t('monitoring.completeness'), fmtPct(r.track_completeness))));
  body.appendChild(head);
  const maps = [];
  const ORDER = { failed: 0, noted: 1, passed: 2, na: 3 };
  const results = cat.map((rule) => ({ rule, ...resultOf(rule, findings, r) }))
    .sort((a, b) => ORDER[a.result] - ORDER[b.result]);
  const rows = results.map(({ rule, result, mine }) => {
    const evs = mine.map((f) => {
      const b = evidenceBlock(f.evidence || {});
      maps.push(b.drawMap);
      return h('div', { class: 'mon-finding' }, h('div', { class: 'small', text: f.message || '' }), b.el);
    });
    return h('tr', { class: `mon-rule mon-rule-${result}`, dataset: { rule: rule.code, result } },
      h('td', { text: t(`monitoring.cat.${rule.category}`) }),
      h('td', null, h('div', { text: ruleName(rule.code) }), h('code', { class: 'small muted', text: rule.code })),
      h('td', null, result === 'failed' || result === 'noted' ? sevBadge(mine[0].severity) : badge(t(`monitoring.sev.${rule.severity}`), 'none')),
      h('td', null, badge(t(`monitoring.result.${result}`), RESULT_KIND[result]),
        result === 'na' ? h('div', { class: 'small muted', text: t('monitoring.na_hint') }) : null),
      h('td', { class: 'mon-desc', text: describe(rule) }),
      h('td', { class: 'mon-ev-cell' }, evs.length ? evs : h('span', { class: 'muted', text: t('common.dash') })));
  });
  body.appendChild(card(t('monitoring.rule_results', { n: cat.length }),
    table([{ label: t('monitoring.category') }, { label: t('monitoring.rule') }, { label: t('monitoring.severity') },
      { label: t('monitoring.result') }, { label: t('monitoring.description') }, { label: t('monitoring.evidence') }], rows, { id: 'mon-checks' })));
  for (const draw of maps) draw();
}
