// 装车方案 Loading: pick a vehicle body or a standard container, type the items (or take them from a
// waybill), run the loading engine (`POST /api/v1/loading/solve`), see the plan in 3D (three.js) with
// a step-by-step loading sequence, the independent checker's verdict, and print an instruction sheet.
import { t, addStrings, fmtNum, fmtPct, lang } from '../i18n.js';
import { api, apiOrNull } from '../api.js';
import { h, clear, card, table, noData, errorBox, errorText, select, field, badge, loadCss, beijingToday } from '../ui.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "loading.title": "装车方案",
    "loading.subtitle": "三维装载、装车顺序与校验",
    "loading.vehicle": "车辆 / 集装箱",
    "loading.vehicle_card": "车厢或集装箱",
    "loading.my_vehicles": "我的车辆",
    "loading.standard": "标准箱型与车型",
    "loading.custom": "自定义尺寸",
    "loading.length_mm": "内长 (mm)",
    "loading.width_mm": "内宽 (mm)",
    "loading.height_mm": "内高 (mm)",
    "loading.payload_kg": "载重 (kg)",
    "loading.door": "车门",
    "loading.door.rear": "后门",
    "loading.door.side": "侧门",
    "loading.axles": "轴荷校验（可选）",
    "loading.front_x": "前轴距前壁 (mm)",
    "loading.rear_x": "后轴距前壁 (mm)",
    "loading.front_max": "前轴最大货载 (kg)",
    "loading.rear_max": "后轴最大货载 (kg)",
    "loading.cog_check": "校验重心范围（引擎默认范围）",
    "loading.time": "求解时间",
    "loading.seconds": "{n} 秒",
    "loading.items": "货物清单",
    "loading.col.order": "订单",
    "loading.col.item": "货物",
    "loading.col.drop": "卸货站",
    "loading.col.length": "长",
    "loading.col.width": "宽",
    "loading.col.height": "高",
    "loading.col.weight": "单重 kg",
    "loading.col.qty": "件数",
    "loading.col.stackable": "可堆叠",
    "loading.col.upright": "朝上",
    "loading.add_row": "添加一行",
    "loading.remove_row": "删除",
    "loading.sample": "示例货物",
    "loading.clear_items": "清空",
    "loading.waybill": "从运单导入",
    "loading.waybill_pick": "选择运单",
    "loading.waybill_import": "导入",
    "loading.waybill_none": "没有可导入的运单",
    "loading.waybill_done": "已导入 {n} 行（尺寸按体积估算，请核对）",
    "loading.estimated": "估算",
    "loading.solve": "生成装车方案",
    "loading.solving": "正在计算…",
    "loading.no_items": "请至少填写一行货物",
    "loading.bad_input": "第 {row} 行：{what} 需为正整数",
    "loading.bad_container": "请填写车厢内部尺寸",
    "loading.empty": "选择车辆并填写货物后，点击“生成装车方案”。",
    "loading.view3d": "三维装载图",
    "loading.colour_by": "颜色",
    "loading.by_order": "按订单",
    "loading.by_drop": "按卸货站",
    "loading.drop_n": "第 {n} 站",
    "loading.webgl_unavailable": "此浏览器不支持 WebGL，无法显示三维图；装车步骤和校验结果如下。",
    "loading.step": "步骤",
    "loading.step_of": "第 {k} / {n} 步",
    "loading.step_none": "第 0 / {n} 步：车厢为空",
    "loading.prev": "上一步",
    "loading.next": "下一步",
    "loading.play": "播放",
    "loading.pause": "暂停",
    "loading.steps": "装车步骤",
    "loading.col.step": "步",
    "loading.col.position": "位置 x/y/z (mm)",
    "loading.col.size": "尺寸 (mm)",
    "loading.col.orientation": "摆放",
    "loading.col.done": "完成",
    "loading.orient.lwh": "正放，长边沿车厢",
    "loading.orient.wlh": "正放，宽边沿车厢",
    "loading.orient.lhw": "侧放（宽朝上），长边沿车厢",
    "loading.orient.hlw": "侧放（宽朝上），高边沿车厢",
    "loading.orient.whl": "竖放（长朝上），宽边沿车厢",
    "loading.orient.hwl": "竖放（长朝上），高边沿车厢",
    "loading.checks": "校验结果",
    "loading.checks_ok": "全部通过",
    "loading.checks_bad": "{n} 项未通过",
    "loading.pass": "通过",
    "loading.fail": "未通过",
    "loading.check.identity": "货物与件数一致",
    "loading.check.orientation": "摆放方向允许",
    "loading.check.outside": "货物在车厢内",
    "loading.check.overlap": "货物互不重叠",
    "loading.check.weight_limit": "不超载",
    "loading.check.support": "底面完全支撑",
    "loading.check.load_bearing": "承重与不可堆叠",
    "loading.check.multi_drop": "多点卸货顺序",
    "loading.check.centre_of_gravity": "重心在范围内",
    "loading.check.axle_load": "轴荷不超限",
    "loading.check.unknown_container": "车厢已知",
    "loading.check.other": "其他",
    "loading.totals": "装载概况",
    "loading.loaded": "已装件数",
    "loading.utilisation": "容积利用率",
    "loading.weight": "装载重量",
    "loading.cog": "重心 x/y/z",
    "loading.axle_loads": "轴荷 前/后",
    "loading.kg": "{n} kg",
    "loading.of_payload": "{w} kg / 载重 {p} kg",
    "loading.unloaded": "未装货物",
    "loading.reason.too_large": "尺寸超过车厢",
    "loading.reason.too_heavy": "单件超重",
    "loading.reason.payload_reached": "已达载重",
    "loading.reason.no_space": "空间不足",
    "loading.reason.balance": "为平衡重心或轴荷而移除",
    "loading.elapsed": "用时 {ms} ms",
    "loading.print": "打印装车指导单",
    "loading.sheet_title": "装车指导单",
    "loading.sheet_date": "日期",
    "loading.sheet_vehicle": "车辆 / 箱型",
    "loading.sheet_dims": "内尺寸",
    "loading.sheet_check": "校验",
    "loading.sheet_after": "第 {k} 步后",
    "loading.sheet_sign": "装车人签字：＿＿＿＿＿＿　　复核：＿＿＿＿＿＿",
    "loading.door_label": "车门"
  },
  "en": {
    "loading.title": "Loading plan",
    "loading.subtitle": "3D loading, loading sequence and checks",
    "loading.vehicle": "Vehicle / container",
    "loading.vehicle_card": "Cargo body or container",
    "loading.my_vehicles": "My vehicles",
    "loading.standard": "Standard containers and trucks",
    "loading.custom": "Custom size",
    "loading.length_mm": "Inner length (mm)",
    "loading.width_mm": "Inner width (mm)",
    "loading.height_mm": "Inner height (mm)",
    "loading.payload_kg": "Payload (kg)",
    "loading.door": "Door",
    "loading.door.rear": "Rear",
    "loading.door.side": "Side",
    "loading.axles": "Axle-load check (optional)",
    "loading.front_x": "Front axle from front wall (mm)",
    "loading.rear_x": "Rear axle from front wall (mm)",
    "loading.front_max": "Front axle max cargo (kg)",
    "loading.rear_max": "Rear axle max cargo (kg)",
    "loading.cog_check": "Check the centre-of-gravity envelope (engine default)",
    "loading.time": "Solve time",
    "loading.seconds": "{n} s",
    "loading.items": "Items",
    "loading.col.order": "Order",
    "loading.col.item": "Item",
    "loading.col.drop": "Drop",
    "loading.col.length": "L",
    "loading.col.width": "W",
    "loading.col.height": "H",
    "loading.col.weight": "Weight kg",
    "loading.col.qty": "Qty",
    "loading.col.stackable": "Stackable",
    "loading.col.upright": "This side up",
    "loading.add_row": "Add a row",
    "loading.remove_row": "Remove",
    "loading.sample": "Sample items",
    "loading.clear_items": "Clear",
    "loading.waybill": "Import from a waybill",
    "loading.waybill_pick": "Waybill",
    "loading.waybill_import": "Import",
    "loading.waybill_none": "No waybills to import",
    "loading.waybill_done": "Imported {n} rows (sizes estimated from volume: please check)",
    "loading.estimated": "estimated",
    "loading.solve": "Plan the loading",
    "loading.solving": "Solving…",
    "loading.no_items": "Enter at least one item",
    "loading.bad_input": "Row {row}: {what} must be a positive whole number",
    "loading.bad_container": "Enter the inner dimensions of the body",
    "loading.empty": "Pick a vehicle, enter the items and press “Plan the loading”.",
    "loading.view3d": "3D loading view",
    "loading.colour_by": "Colour",
    "loading.by_order": "by order",
    "loading.by_drop": "by drop",
    "loading.drop_n": "Drop {n}",
    "loading.webgl_unavailable": "This browser has no WebGL, so the 3D view cannot be shown; the loading steps and checks are below.",
    "loading.step": "Step",
    "loading.step_of": "Step {k} of {n}",
    "loading.step_none": "Step 0 of {n}: empty body",
    "loading.prev": "Previous",
    "loading.next": "Next",
    "loading.play": "Play",
    "loading.pause": "Pause",
    "loading.steps": "Loading steps",
    "loading.col.step": "#",
    "loading.col.position": "Position x/y/z (mm)",
    "loading.col.size": "Size (mm)",
    "loading.col.orientation": "Orientation",
    "loading.col.done": "Done",
    "loading.orient.lwh": "upright, length along the body",
    "loading.orient.wlh": "upright, width along the body",
    "loading.orient.lhw": "on its side (width up), length along the body",
    "loading.orient.hlw": "on its side (width up), height along the body",
    "loading.orient.whl": "on its end (length up), width along the body",
    "loading.orient.hwl": "on its end (length up), height along the body",
    "loading.checks": "Checks",
    "loading.checks_ok": "All passed",
    "loading.checks_bad": "{n} failed",
    "loading.pass": "passed",
    "loading.fail": "failed",
    "loading.check.identity": "Items and copies match the list",
    "loading.check.orientation": "Allowed orientations",
    "loading.check.outside": "Inside the body",
    "loading.check.overlap": "No overlaps",
    "loading.check.weight_limit": "Within the payload",
    "loading.check.support": "Full base support",
    "loading.check.load_bearing": "Load bearing and non-stackable items",
    "loading.check.multi_drop": "Multi-drop order",
    "loading.check.centre_of_gravity": "Centre of gravity in the envelope",
    "loading.check.axle_load": "Axle loads within limits",
    "loading.check.unknown_container": "Known container",
    "loading.check.other": "Other",
    "loading.totals": "Summary",
    "loading.loaded": "Items loaded",
    "loading.utilisation": "Volume utilisation",
    "loading.weight": "Loaded weight",
    "loading.cog": "Centre of gravity x/y/z",
    "loading.axle_loads": "Axle loads front/rear",
    "loading.kg": "{n} kg",
    "loading.of_payload": "{w} kg / payload {p} kg",
    "loading.unloaded": "Items not loaded",
    "loading.reason.too_large": "larger than the body",
    "loading.reason.too_heavy": "one item exceeds the payload",
    "loading.reason.payload_reached": "payload reached",
    "loading.reason.no_space": "no room left",
    "loading.reason.balance": "removed to balance the centre of gravity or axle loads",
    "loading.elapsed": "{ms} ms",
    "loading.print": "Print loading instruction sheet",
    "loading.sheet_title": "Loading instruction sheet",
    "loading.sheet_date": "Date",
    "loading.sheet_vehicle": "Vehicle / container",
    "loading.sheet_dims": "Inner size",
    "loading.sheet_check": "Checks",
    "loading.sheet_after": "After step {k}",
    "loading.sheet_sign": "Loaded by: ____________    Checked by: ____________",
    "loading.door_label": "Door"
  }
}/*DICT-END*/;
addStrings(STRINGS);

/** Standard bodies: ISO containers (inner size, payload) and common Chinese box-truck lengths. */
const STANDARD = [
  { id: '20GP', zh: '20英尺标准箱 20GP', en: '20 ft container 20GP', l: 5898, w: 2352, h: 2393, kg: 28200 },
  { id: '40GP', zh: '40英尺标准箱 40GP', en: '40 ft container 40GP', l: 12032, w: 2352, h: 2393, kg: 26700 },
  { id: '40HC', zh: '40英尺高箱 40HC', en: '40 ft high cube 40HC', l: 12032, w: 2352, h: 2698, kg: 26500 },
  { id: '4.2m', zh: '4.2米厢式货车', en: '4.2 m box truck', l: 4100, w: 2000, h: 1900, kg: 3000 },
  { id: '6.8m', zh: '6.8米厢式货车', en: '6.8 m box truck', l: 6750, w: 2400, h: 2500, kg: 10000 },
  { id: '9.6m', zh: '9.6米厢式货车', en: '9.6 m box truck', l: 9550, w: 2400, h: 2500, kg: 18000 },
  { id: '13m', zh: '13米厢式半挂', en: '13 m box semi-trailer', l: 12950, w: 2450, h: 2700, kg: 32000 },
];

const SAMPLE = [
  { order: 'PO-1001', item: 'gearbox', drop: 1, l: 1200, w: 1000, h: 1100, kg: 420, qty: 6, stackable: true, upright: true },
  { order: 'PO-1001', item: 'axle', drop: 1, l: 1200, w: 800, h: 600, kg: 260, qty: 4, stackable: true, upright: true },
  { order: 'PO-1002', item: 'panel', drop: 2, l: 1000, w: 800, h: 900, kg: 150, qty: 8, stackable: true, upright: false },
  { order: 'PO-1003', item: 'glass', drop: 3, l: 800, w: 600, h: 1000, kg: 90, qty: 4, stackable: false, upright: true },
];

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#2ca02c'];

/** What a checker violation code belongs to (one row per check in the list). */
const CHECK_OF = {
  unknown_item: 'identity', too_many_copies: 'identity', size_mismatch: 'identity',
  orientation: 'orientation', outside: 'outside', overlap: 'overlap', weight_limit: 'weight_limit',
  support: 'support', load_bearing: 'load_bearing', not_stackable: 'load_bearing',
  multi_drop: 'multi_drop', centre_of_gravity: 'centre_of_gravity', axle_load: 'axle_load',
  unknown_container: 'unknown_container',
};

const state = { view: null, timer: 0, three: null };

function zhEn(o) {
  return lang() === 'en' ? o.en : o.zh;
}

function num(input) {
  const v = Number(String(input.value).trim());
  return Number.isFinite(v) ? v : NaN;
}

function posInt(input) {
  const v = num(input);
  return Number.isInteger(v) && v > 0 ? v : null;
}

/** three.js, imported on first use (a failed import is treated as "no WebGL"). */
async function loadThree() {
  if (!state.three) {
    state.three = Promise.all([
      import('../../vendor/three/three.module.js'),
      import('../../vendor/three/OrbitControls.js'),
    ]).then(([THREE, oc]) => ({ THREE, OrbitControls: oc.OrbitControls })).catch((e) => {
      console.warn('three.js unavailable', e);
      return null;
    });
  }
  return state.three;
}

/** Whether the browser can give a WebGL context at all. */
function webglAvailable() {
  try {
    const c = document.createElement('canvas');
    return !!(c.getContext('webgl2') || c.getContext('webgl'));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The setup form: vehicle and items.

function vehicleForm(vehicles) {
  const opts = [];
  for (const v of vehicles) opts.push([`veh:${v.id}`, `${v.plate} · ${fmtNum(v.inner_dimensions.length, 2)}×${fmtNum(v.inner_dimensions.width, 2)}×${fmtNum(v.inner_dimensions.height, 2)} m`]);
  const groups = [];
  if (opts.length) groups.push(h('optgroup', { label: t('loading.my_vehicles') }, opts.map(([v, l]) => h('option', { value: v, text: l }))));
  groups.push(h('optgroup', { label: t('loading.standard') }, STANDARD.map((s) => h('option', { value: `std:${s.id}`, text: zhEn(s) }))));
  groups.push(h('option', { value: 'custom', text: t('loading.custom') }));
  const pick = h('select', { id: 'loading-vehicle' }, groups);
  const inp = (name, value) => h('input', { name, type: 'number', min: '1', step: '1', inputmode: 'numeric', value, class: 'loading-num' });
  const f = {
    pick,
    length: inp('length', ''), width: inp('width', ''), height: inp('height', ''), payload: inp('payload', ''),
    door: select([['rear', t('loading.door.rear')], ['side', t('loading.door.side')]], 'rear', { name: 'door' }),
    frontX: h('input', { name: 'front_x', type: 'number', step: '1', class: 'loading-num' }),
    rearX: inp('rear_x', ''), frontMax: inp('front_max', ''), rearMax: inp('rear_max', ''),
    cog: h('input', { type: 'checkbox', name: 'cog' }),
    time: select([1, 2, 3, 5].map((n) => [String(n), t('loading.seconds', { n })]), '2', { name: 'time' }),
  };
  const apply = () => {
    const v = pick.value;
    let d = null;
    if (v.startsWith('veh:')) {
      const veh = vehicles.find((x) => `veh:${x.id}` === v);
      d = { l: Math.round(veh.inner_dimensions.length * 1000), w: Math.round(veh.inner_dimensions.width * 1000), h: Math.round(veh.inner_dimensions.height * 1000), kg: veh.rated_load };
    } else if (v.startsWith('std:')) {
      d = STANDARD.find((s) => `std:${s.id}` === v);
    }
    if (d) {
      f.length.value = d.l;
      f.width.value = d.w;
      f.height.value = d.h;
      f.payload.value = d.kg ? Math.round(d.kg) : '';
    }
  };
  pick.addEventListener('change', apply);
  pick.value = vehicles.length ? `veh:${vehicles[0].id}` : 'std:9.6m';
  apply();
  f.label = () => (pick.value.startsWith('veh:') ? vehicles.find((x) => `veh:${x.id}` === pick.value).plate
    : pick.value.startsWith('std:') ? zhEn(STANDARD.find((s) => `std:${s.id}` === pick.value)) : t('loading.custom'));
  f.el = card(t('loading.vehicle_card'),
    h('div', { class: 'loading-form' },
      field(t('loading.vehicle'), pick),
      field(t('loading.length_mm'), f.length), field(t('loading.width_mm'), f.width),
      field(t('loading.height_mm'), f.height), field(t('loading.payload_kg'), f.payload),
      field(t('loading.door'), f.door), field(t('loading.time'), f.time)),
    h('div', { class: 'loading-form' },
      h('label', { class: 'loading-check-label' }, f.cog, t('loading.cog_check'))),
    h('details', { class: 'loading-axles' }, h('summary', { text: t('loading.axles') }),
      h('div', { class: 'loading-form' },
        field(t('loading.front_x'), f.frontX), field(t('loading.rear_x'), f.rearX),
        field(t('loading.front_max'), f.frontMax), field(t('loading.rear_max'), f.rearMax))));
  return f;
}

function itemRow(tbody, r) {
  const n = (name, value) => h('input', { name, type: 'number', min: '1', step: '1', inputmode: 'numeric', value, class: 'loading-num' });
  const tr = h('tr', { dataset: { estimated: r.estimated ? 'yes' : null } },
    h('td', null, h('input', { name: 'order', value: r.order || '', class: 'loading-text' })),
    h('td', null, h('input', { name: 'item', value: r.item || '', class: 'loading-text' }),
      r.estimated ? h('span', { class: 'badge badge-warn loading-est', text: t('loading.estimated') }) : null),
    h('td', null, n('drop', r.drop || 1)),
    h('td', null, n('l', r.l || '')), h('td', null, n('w', r.w || '')), h('td', null, n('h', r.h || '')),
    h('td', null, h('input', { name: 'kg', type: 'number', min: '0', step: 'any', value: r.kg ?? '', class: 'loading-num' })),
    h('td', null, n('qty', r.qty || 1)),
    h('td', { class: 'loading-center' }, h('input', { name: 'stackable', type: 'checkbox', checked: r.stackable !== false })),
    h('td', { class: 'loading-center' }, h('input', { name: 'upright', type: 'checkbox', checked: !!r.upright })),
    h('td', null, h('button', { type: 'button', class: 'btn btn-small', text: t('loading.remove_row'), onclick: () => tr.remove() })));
  tbody.appendChild(tr);
}

/** Items from a waybill's goods lines: packages as copies, sizes estimated from the line's volume. */
function waybillRows(wb, drop) {
  return (wb.goods || []).map((g, i) => {
    const n = Math.max(1, g.packages || 1);
    const kg = (g.gross_weight || 0) / n;
    // Unknown volume: assume 250 kg/m³ (general cargo).
    const m3 = (g.cube && g.cube > 0 ? g.cube : Math.max(0.01, (g.gross_weight || 0) / 250)) / n;
    let l; let w; let hh;
    if (m3 >= 0.5) {
      // A pallet: 1200 × 1000 footprint, height from the volume (at most 2 m).
      l = 1200; w = 1000; hh = Math.min(2000, Math.max(100, Math.round(m3 / 1.2 * 100) * 10));
    } else {
      const s = Math.max(100, Math.round(Math.cbrt(m3) * 100) * 10);
      l = s; w = s; hh = s;
    }
    return { order: wb.shipping_note_number || wb.id, item: `${g.description || 'goods'}${wb.goods.length > 1 ? `-${i + 1}` : ''}`, drop, l, w, h: hh, kg: Math.round(kg * 10) / 10, qty: n, stackable: true, upright: true, estimated: true };
  });
}

function itemsForm(waybills, onImport) {
  const tbody = h('tbody', { id: 'loading-items' });
  const cols = ['order', 'item', 'drop', 'length', 'width', 'height', 'weight', 'qty', 'stackable', 'upright'].map((k) => ({ label: t(`loading.col.${k}`) }));
  cols.push({ label: '' });
  const tools = h('div', { class: 'loading-tools' },
    h('button', { type: 'button', class: 'btn', id: 'loading-add', text: t('loading.add_row'), onclick: () => itemRow(tbody, { drop: 1, qty: 1 }) }),
    h('button', { type: 'button', class: 'btn', id: 'loading-sample', text: t('loading.sample'), onclick: () => { clear(tbody); SAMPLE.forEach((r) => itemRow(tbody, r)); } }),
    h('button', { type: 'button', class: 'btn', text: t('loading.clear_items'), onclick: () => clear(tbody) }));
  if (waybills.length) {
    const pick = select(waybills.map((w) => [w.id, `${w.shipping_note_number || w.id} · ${(w.consignee && w.consignee.name) || ''}`]), waybills[0].id, { id: 'loading-waybill' });
    tools.appendChild(h('span', { class: 'loading-waybill' }, field(t('loading.waybill'), pick),
      h('button', { type: 'button', class: 'btn', id: 'loading-waybill-import', text: t('loading.waybill_import'), onclick: () => {
        const wb = waybills.find((w) => w.id === pick.value);
        const drops = [...tbody.querySelectorAll('input[name=drop]')].map((i) => Number(i.value) || 0);
        const rows = waybillRows(wb, drops.length ? Math.max(...drops) + 1 : 1);
        rows.forEach((r) => itemRow(tbody, r));
        onImport(rows.length);
      } })));
  }
  SAMPLE.forEach((r) => itemRow(tbody, r));
  const tbl = h('div', { class: 'table-wrap loading-items-wrap' }, h('table', { class: 'table loading-items-table' },
    h('thead', null, h('tr', null, cols.map((c) => h('th', { text: c.label })))), tbody));
  return { tbody, el: card(t('loading.items'), tools, tbl) };
}

/** Reads the form into a LoadRequest plus what the page keeps per item (order, drop); throws text. */
function readRequest(vf, tbody) {
  const L = posInt(vf.length); const W = posInt(vf.width); const H = posInt(vf.height);
  if (!L || !W || !H) throw new Error(t('loading.bad_container'));
  const payload = num(vf.payload);
  const container = { id: vf.label(), length: L, width: W, height: H, door: vf.door.value };
  if (payload > 0) container.max_payload = payload;
  const ax = [num(vf.frontX), posInt(vf.rearX), posInt(vf.frontMax), posInt(vf.rearMax)];
  if (String(vf.rearX.value).trim() && ax.every((v) => v !== null && !Number.isNaN(v)) && ax[0] !== ax[1]) {
    container.axles = { front_x: Math.round(ax[0]), rear_x: ax[1], front_max: ax[2], rear_max: ax[3] };
  }
  const items = [];
  const meta = new Map();
  const ids = new Set();
  [...tbody.querySelectorAll('tr')].forEach((tr, i) => {
    const q = (n) => tr.querySelector(`[name=${n}]`);
    const row = i + 1;
    const need = (n, what) => {
      const v = posInt(q(n));
      if (!v) throw new Error(t('loading.bad_input', { row, what }));
      return v;
    };
    const order = q('order').value.trim() || '—';
    let id = q('item').value.trim() || `item-${row}`;
    while (ids.has(id)) id = `${id}'`;
    ids.add(id);
    const spec = {
      id, length: need('l', t('loading.col.length')), width: need('w', t('loading.col.width')), height: need('h', t('loading.col.height')),
      weight: Math.max(0, num(q('kg')) || 0), quantity: need('qty', t('loading.col.qty')), stop: need('drop', t('loading.col.drop')),
      stackable: q('stackable').checked,
    };
    if (q('upright').checked) spec.orientations = { length_vertical: false, width_vertical: false, height_vertical: true };
    items.push(spec);
    meta.set(id, { order, drop: spec.stop });
  });
  if (!items.length) throw new Error(t('loading.no_items'));
  const constraints = {};
  if (vf.cog.checked) constraints.centre_of_gravity = { x: [0.35, 0.65], y: [0.4, 0.6], z_max: 0.5 };
  return { request: { container, items, constraints }, meta };
}

// ---------------------------------------------------------------------------------------------
// The result: 3D view, steps, checks, summary, print sheet.

/** The checks the checker ran for this request, each with its violations. */
function checkRows(request, report) {
  const c = request.constraints || {};
  const names = ['identity', 'orientation', 'outside', 'overlap'];
  if (c.weight_limit !== false && request.container.max_payload) names.push('weight_limit');
  if (c.support !== null) names.push('support');
  if (c.load_bearing !== false) names.push('load_bearing');
  if (c.multi_drop !== false) names.push('multi_drop');
  if (c.centre_of_gravity) names.push('centre_of_gravity');
  if (c.axle_loads !== false && request.container.axles) names.push('axle_load');
  const rows = names.map((name) => ({ name, violations: [] }));
  for (const v of report.violations || []) {
    const name = CHECK_OF[v.code] || 'other';
    let row = rows.find((r) => r.name === name);
    if (!row) {
      row = { name, violations: [] };
      rows.push(row);
    }
    row.violations.push(v);
  }
  return rows;
}

function checksCard(request, report) {
  const rows = checkRows(request, report);
  const failed = rows.filter((r) => r.violations.length).length;
  const list = h('ul', { class: 'loading-checks', id: 'loading-checks', dataset: { ok: report.ok ? 'yes' : 'no' } },
    rows.map((r) => h('li', { dataset: { check: r.name, ok: r.violations.length ? 'no' : 'yes', codes: [...new Set(r.violations.map((v) => v.code))].join(' ') } },
      badge(r.violations.length ? t('loading.fail') : t('loading.pass'), r.violations.length ? 'bad' : 'ok'),
      h('span', { class: 'loading-check-name', text: t(`loading.check.${r.name}`) }),
      r.violations.length ? h('ul', { class: 'loading-violations' }, r.violations.map((v) => h('li', null, h('code', { text: v.code }), ' ', v.message))) : null)));
  return card(null, h('h2', { class: 'card-title' }, t('loading.checks'), ' ',
    badge(report.ok ? t('loading.checks_ok') : t('loading.checks_bad', { n: failed }), report.ok ? 'ok' : 'bad')), list);
}

/** Axle loads by the lever rule (as the checker computes them), or null. */
function axleLoads(container, stats) {
  const ax = container.axles;
  const g = stats.centre_of_gravity;
  const w = stats.loaded_weight;
  if (!ax || !g || !w) return null;
  const rear = w * (g[0] - ax.front_x) / (ax.rear_x - ax.front_x);
  return [w - rear, rear];
}

function summaryCard(request, res, total) {
  const { plan, check } = res;
  const s = plan.stats;
  const c = request.container;
  const kv = [
    [t('loading.loaded'), `${s.items_loaded} / ${total}`],
    [t('loading.utilisation'), fmtPct(check.utilisation, 1)],
    [t('loading.weight'), c.max_payload ? t('loading.of_payload', { w: fmtNum(s.loaded_weight, 0), p: fmtNum(c.max_payload, 0) }) : t('loading.kg', { n: fmtNum(s.loaded_weight, 0) })],
  ];
  if (s.centre_of_gravity) {
    const g = s.centre_of_gravity;
    kv.push([t('loading.cog'), `${fmtNum(g[0])} / ${fmtNum(g[1])} / ${fmtNum(g[2])} mm (${fmtPct(g[0] / c.length, 0)} · ${fmtPct(g[1] / c.width, 0)} · ${fmtPct(g[2] / c.height, 0)})`]);
  }
  const axl = axleLoads(c, s);
  if (axl) kv.push([t('loading.axle_loads'), `${fmtNum(axl[0])} / ${fmtNum(axl[1])} kg`]);
  const unloaded = plan.unloaded || [];
  return {
    kv,
    el: card(t('loading.totals'),
      h('dl', { class: 'kv loading-kv', id: 'loading-summary' }, kv.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])),
      h('div', { class: 'small muted', text: t('loading.elapsed', { ms: s.elapsed_ms }) }),
      unloaded.length ? h('div', { class: 'loading-unloaded', id: 'loading-unloaded' }, h('h3', { text: t('loading.unloaded') }),
        h('ul', null, unloaded.map((u) => h('li', { dataset: { item: u.item } }, `${u.item} × ${u.quantity}: `,
          t.has(`loading.reason.${u.reason}`) ? t(`loading.reason.${u.reason}`) : u.reason)))) : null),
  };
}

function orientText(o) {
  const key = `loading.orient.${String(o).toLowerCase()}`;
  return t.has(key) ? t(key) : o;
}

/** Colour keys: order or drop per placement, and the legend's entries. */
function colouring(placements, meta, by) {
  const keyOf = (p) => {
    const m = meta.get(p.item) || { order: p.item, drop: 1 };
    return by === 'drop' ? `${m.drop}` : m.order;
  };
  const keys = [...new Set(placements.map(keyOf))];
  keys.sort(by === 'drop' ? (a, b) => Number(a) - Number(b) : (a, b) => a.localeCompare(b));
  const colour = new Map(keys.map((k, i) => [k, PALETTE[i % PALETTE.length]]));
  return {
    of: (p) => colour.get(keyOf(p)),
    legend: keys.map((k) => [by === 'drop' ? t('loading.drop_n', { n: k }) : k, colour.get(k)]),
  };
}

/** The three.js scene of a plan: boxes shown up to a step, the current one highlighted. */
function makeScene(lib, host, container, placements) {
  const { THREE, OrbitControls } = lib;
  const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  renderer.setClearColor(0xf6f8fa, 1);
  const canvas = renderer.domElement;
  canvas.id = 'loading-canvas';
  host.appendChild(canvas);
  const scene = new THREE.Scene();
  const mm = 1 / 1000;
  const L = container.length * mm; const W = container.width * mm; const H = container.height * mm;
  // Engine x (front wall → door) → three x; engine z (up) → three y; engine y (across) → three z.
  scene.add(new THREE.AmbientLight(0xffffff, 1.6));
  const sun = new THREE.DirectionalLight(0xffffff, 1.6);
  sun.position.set(L * 0.8, H * 3, W * 2);
  scene.add(sun);
  const shell = new THREE.LineSegments(new THREE.EdgesGeometry(new THREE.BoxGeometry(L, H, W)),
    new THREE.LineBasicMaterial({ color: 0x57606a }));
  shell.position.set(L / 2, H / 2, W / 2);
  scene.add(shell);
  const floor = new THREE.Mesh(new THREE.PlaneGeometry(L, W), new THREE.MeshBasicMaterial({ color: 0xd0d7de, side: THREE.DoubleSide }));
  floor.rotation.x = -Math.PI / 2;
  floor.position.set(L / 2, -0.002, W / 2);
  scene.add(floor);
  // The door: an orange frame on the door side.
  const door = container.door === 'side'
    ? new THREE.LineSegments(new THREE.EdgesGeometry(new THREE.PlaneGeometry(L, H)), new THREE.LineBasicMaterial({ color: 0xf28e2b }))
    : new THREE.LineSegments(new THREE.EdgesGeometry(new THREE.PlaneGeometry(W, H)), new THREE.LineBasicMaterial({ color: 0xf28e2b }));
  if (container.door === 'side') door.position.set(L / 2, H / 2, W);
  else {
    door.rotation.y = Math.PI / 2;
    door.position.set(L, H / 2, W / 2);
  }
  scene.add(door);
  const gap = 0.008;
  const edgeMat = new THREE.LineBasicMaterial({ color: 0x24292f, transparent: true, opacity: 0.55 });
  const hiEdge = new THREE.LineBasicMaterial({ color: 0xd1242f });
  const meshes = placements.map((p) => {
    const [sx, sy, sz] = p.size.map((v) => Math.max(v * mm - gap, 0.001));
    const geo = new THREE.BoxGeometry(sx, sz, sy);
    const mesh = new THREE.Mesh(geo, new THREE.MeshLambertMaterial({ color: 0x888888 }));
    mesh.position.set((p.position[0] + p.size[0] / 2) * mm, (p.position[2] + p.size[2] / 2) * mm, (p.position[1] + p.size[1] / 2) * mm);
    const edges = new THREE.LineSegments(new THREE.EdgesGeometry(geo), edgeMat);
    mesh.add(edges);
    mesh.userData.edges = edges;
    scene.add(mesh);
    return mesh;
  });
  const camera = new THREE.PerspectiveCamera(40, 1, 0.05, 200);
  const target = new THREE.Vector3(L / 2, H / 2, W / 2);
  const controls = new OrbitControls(camera, canvas);
  controls.target.copy(target);
  // Seen from above the door side; framed to the body until the user turns the view.
  const dir = new THREE.Vector3(0.5, 0.55, 0.85).normalize();
  const right = new THREE.Vector3().crossVectors(dir, new THREE.Vector3(0, 1, 0)).normalize();
  const up = new THREE.Vector3().crossVectors(right, dir).normalize();
  const corners = [];
  for (const x of [0, L]) for (const y of [0, H]) for (const z of [0, W]) corners.push(new THREE.Vector3(x, y, z).sub(target));
  let moved = false;
  controls.addEventListener('start', () => { moved = true; });
  // The nearest camera distance along `dir` at which every corner of the body is in view.
  const fit = () => {
    const tv = Math.tan((camera.fov * Math.PI) / 360);
    const th = tv * camera.aspect;
    const d = Math.max(...corners.map((o) => o.dot(dir) + Math.max(Math.abs(o.dot(right)) / th, Math.abs(o.dot(up)) / tv)));
    camera.position.copy(target).addScaledVector(dir, d * 1.08);
    controls.update();
  };
  const view = {
    canvas, renderer, controls, meshes,
    render() {
      renderer.render(scene, camera);
      host.dataset.rendered = String((Number(host.dataset.rendered) || 0) + 1);
    },
    resize() {
      const w = Math.max(host.clientWidth, 100);
      const hh = Math.max(host.clientHeight, 100);
      renderer.setSize(w, hh, false);
      camera.aspect = w / hh;
      camera.updateProjectionMatrix();
      if (!moved) fit();
      view.render();
    },
    colour(of) {
      placements.forEach((p, i) => {
        meshes[i].material.color.set(of(p));
        meshes[i].userData.base = of(p);
      });
    },
    show(k) {
      meshes.forEach((m, i) => {
        m.visible = i < k;
        const cur = i === k - 1;
        m.userData.edges.material = cur ? hiEdge : edgeMat;
        m.material.emissive.set(cur ? 0x553300 : 0x000000);
      });
      host.dataset.meshes = String(Math.min(k, meshes.length));
      view.render();
    },
    dispose() {
      controls.dispose();
      scene.traverse((o) => {
        if (o.geometry) o.geometry.dispose();
        if (o.material && o.material.dispose) o.material.dispose();
      });
      renderer.dispose();
      renderer.forceContextLoss();
    },
  };
  controls.addEventListener('change', () => view.render());
  view.observer = new ResizeObserver(() => view.resize());
  view.observer.observe(host);
  return view;
}

function stopPlay() {
  clearInterval(state.timer);
  state.timer = 0;
}

/** Renders the plan `res` for `request` into `out`. */
async function showResult(out, request, meta, res, label) {
  stopPlay();
  if (state.view) {
    state.view.observer.disconnect();
    state.view.dispose();
    state.view = null;
  }
  clear(out);
  const { plan } = res;
  const placements = plan.placements;
  const n = placements.length;
  const total = request.items.reduce((a, i) => a + i.quantity, 0);
  const host = h('div', { class: 'loading-3d', id: 'loading-3d', dataset: { webgl: 'pending', meshes: '0', step: String(n) } });
  const legend = h('div', { class: 'loading-legend', id: 'loading-legend' });
  const by = select([['order', t('loading.by_order')], ['drop', t('loading.by_drop')]], 'order', { id: 'loading-colour-by' });
  const slider = h('input', { type: 'range', id: 'loading-step', min: '0', max: String(n), step: '1', value: String(n), 'aria-label': t('loading.step') });
  const stepLabel = h('span', { class: 'loading-step-label', id: 'loading-step-label' });
  const prev = h('button', { type: 'button', class: 'btn', id: 'loading-prev', text: t('loading.prev') });
  const next = h('button', { type: 'button', class: 'btn', id: 'loading-next', text: t('loading.next') });
  const play = h('button', { type: 'button', class: 'btn', id: 'loading-play', text: t('loading.play') });
  const cols = ['step', 'item', 'drop', 'position', 'size', 'orientation'].map((k) => ({ label: t(`loading.col.${k}`) }));
  const rows = placements.map((p, i) => {
    const m = meta.get(p.item) || { order: '', drop: 1 };
    return h('tr', { dataset: { step: String(i + 1), item: `${p.item}#${p.copy + 1}` }, title: (plan.steps[i] && plan.steps[i].instruction) || '', onclick: () => go(i + 1) },
      h('td', { class: 'num', text: String(i + 1) }),
      h('td', { title: m.order }, h('span', { class: 'loading-swatch' }), ` ${p.item} #${p.copy + 1}`),
      h('td', { class: 'num', text: String(m.drop) }),
      h('td', { class: 'num', text: p.position.join(' / ') }), h('td', { class: 'num', text: p.size.join('×') }),
      h('td', { text: orientText(p.orientation) }));
  });
  const stepsWrap = table(cols, rows, { id: 'loading-steps' });
  stepsWrap.classList.add('loading-steps-wrap');
  const view3d = card(null,
    h('div', { class: 'loading-view-head' }, h('h2', { class: 'card-title', text: t('loading.view3d') }), field(t('loading.colour_by'), by)),
    host, legend,
    h('div', { class: 'loading-stepper' }, prev, slider, next, play), stepLabel);
  const summary = summaryCard(request, res, total);
  const printBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'loading-print', text: t('loading.print'), onclick: () => window.print() });
  out.appendChild(h('div', { class: 'loading-grid' }, view3d,
    card(null, h('div', { class: 'loading-view-head' }, h('h2', { class: 'card-title', text: `${t('loading.steps')} (${n})` }), printBtn), stepsWrap)));
  out.appendChild(h('div', { class: 'loading-grid2' }, summary.el, checksCard(request, res.check)));
  const sheet = h('section', { class: 'loading-sheet', id: 'loading-sheet', 'aria-hidden': 'true' });
  out.appendChild(sheet);

  let colours = colouring(placements, meta, by.value);
  const paint = () => {
    colours = colouring(placements, meta, by.value);
    clear(legend);
    for (const [name, col] of colours.legend) {
      const sw = h('span', { class: 'loading-swatch' });
      sw.style.background = col;
      legend.appendChild(h('span', { class: 'loading-legend-item', dataset: { key: name } }, sw, name));
    }
    rows.forEach((tr, i) => { tr.querySelector('.loading-swatch').style.background = colours.of(placements[i]); });
    if (state.view) {
      state.view.colour(colours.of);
      state.view.render();
    }
  };
  function go(k) {
    const kk = Math.max(0, Math.min(n, k));
    slider.value = String(kk);
    host.dataset.step = String(kk);
    const cur = kk ? placements[kk - 1] : null;
    host.dataset.current = cur ? `${cur.item}#${cur.copy + 1}` : '';
    stepLabel.textContent = cur ? `${t('loading.step_of', { k: kk, n })}: ${cur.item} #${cur.copy + 1}` : t('loading.step_none', { n });
    rows.forEach((tr, i) => tr.classList.toggle('current', i === kk - 1));
    if (cur) {
      const tr = rows[kk - 1];
      const wrap = stepsWrap;
      if (tr.offsetTop < wrap.scrollTop + 30 || tr.offsetTop > wrap.scrollTop + wrap.clientHeight - 30) wrap.scrollTop = tr.offsetTop - wrap.clientHeight / 2;
    }
    if (state.view) state.view.show(kk);
    prev.disabled = kk === 0;
    next.disabled = kk === n;
  }
  slider.addEventListener('input', () => { stopPlay(); play.textContent = t('loading.play'); go(Number(slider.value)); });
  prev.addEventListener('click', () => { stopPlay(); play.textContent = t('loading.play'); go(Number(slider.value) - 1); });
  next.addEventListener('click', () => { stopPlay(); play.textContent = t('loading.play'); go(Number(slider.value) + 1); });
  play.addEventListener('click', () => {
    if (state.timer) {
      stopPlay();
      play.textContent = t('loading.play');
      return;
    }
    if (Number(slider.value) >= n) go(0);
    play.textContent = t('loading.pause');
    state.timer = setInterval(() => {
      const k = Number(slider.value) + 1;
      go(k);
      if (k >= n) {
        stopPlay();
        play.textContent = t('loading.play');
      }
    }, 600);
  });
  by.addEventListener('change', paint);

  const lib = webglAvailable() ? await loadThree() : null;
  if (lib) {
    try {
      state.view = makeScene(lib, host, request.container, placements);
      host.dataset.webgl = 'yes';
    } catch (e) {
      console.warn('WebGL failed', e);
      state.view = null;
    }
  }
  if (!state.view) {
    host.dataset.webgl = 'no';
    host.classList.add('loading-3d-none');
    host.appendChild(noData(t('loading.webgl_unavailable')));
  }
  paint();
  if (state.view) state.view.resize();
  const snaps = snapshots(n, go);
  go(n);
  buildSheet(sheet, request, res, label, summary.kv, colours, meta, snaps);
}

/** Images of the 3D view after a few steps (for the printed sheet); empty without WebGL. */
function snapshots(n, go) {
  if (!state.view || !n) return [];
  const ks = [...new Set([Math.ceil(n / 4), Math.ceil(n / 2), Math.ceil((3 * n) / 4), n])].filter((k) => k > 0);
  return ks.map((k) => {
    go(k);
    return { k, url: state.view.canvas.toDataURL('image/png') };
  });
}

function buildSheet(sheet, request, res, label, kv, colours, meta, snaps) {
  const c = request.container;
  const { plan, check } = res;
  const now = new Date();
  const time = `${beijingToday()} ${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`;
  const head = [
    [t('loading.sheet_vehicle'), label],
    [t('loading.sheet_dims'), `${c.length} × ${c.width} × ${c.height} mm`],
    [t('loading.sheet_date'), time],
    ...kv,
    [t('loading.sheet_check'), check.ok ? t('loading.checks_ok') : t('loading.checks_bad', { n: checkRows(request, check).filter((r) => r.violations.length).length })],
  ];
  const cols = ['step', 'item', 'order', 'drop', 'position', 'size', 'orientation', 'done'].map((k) => ({ label: t(`loading.col.${k}`) }));
  const rows = plan.placements.map((p, i) => {
    const m = meta.get(p.item) || { order: '', drop: 1 };
    const sw = h('span', { class: 'loading-swatch' });
    sw.style.background = colours.of(p);
    return h('tr', null, h('td', { class: 'num', text: String(i + 1) }), h('td', null, sw, ` ${p.item} #${p.copy + 1}`),
      h('td', { text: m.order }), h('td', { class: 'num', text: String(m.drop) }), h('td', { class: 'num', text: p.position.join(' / ') }),
      h('td', { class: 'num', text: p.size.join('×') }), h('td', { text: orientText(p.orientation) }), h('td', { class: 'loading-tick', text: '☐' }));
  });
  sheet.appendChild(h('h1', { text: `${t('loading.sheet_title')} · ${label}` }));
  sheet.appendChild(h('dl', { class: 'kv loading-sheet-kv' }, head.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])));
  if (snaps.length) {
    sheet.appendChild(h('div', { class: 'loading-snaps' }, snaps.map((s) => h('figure', null,
      h('img', { src: s.url, alt: t('loading.sheet_after', { k: s.k }) }),
      h('figcaption', { text: t('loading.sheet_after', { k: s.k }) })))));
  }
  sheet.appendChild(h('div', { class: 'loading-legend' }, colours.legend.map(([name, col]) => {
    const sw = h('span', { class: 'loading-swatch' });
    sw.style.background = col;
    return h('span', { class: 'loading-legend-item' }, sw, name);
  })));
  sheet.appendChild(table(cols, rows, { class: 'table loading-sheet-steps' }));
  const unloaded = plan.unloaded || [];
  if (unloaded.length) {
    sheet.appendChild(h('p', null, `${t('loading.unloaded')}${t('common.colon')}`,
      unloaded.map((u) => `${u.item} × ${u.quantity}`).join(', ')));
  }
  sheet.appendChild(h('p', { class: 'loading-sign', text: t('loading.sheet_sign') }));
}

// ---------------------------------------------------------------------------------------------

export async function render(root, ctx) {
  loadCss('loading');
  root.appendChild(h('div', { class: 'page-head loading-work' }, h('h1', { text: t('loading.title') }),
    h('span', { class: 'page-meta', text: t('loading.subtitle') })));
  let vehicles = [];
  let waybills = [];
  try {
    const [v, w] = await Promise.all([
      ctx.me.role === 'carrier' ? apiOrNull('/api/v1/vehicles?limit=100') : null,
      apiOrNull('/api/v1/waybills?limit=30'),
    ]);
    vehicles = ((v && v.items) || []).filter((x) => x.inner_dimensions && x.inner_dimensions.length > 0);
    waybills = ((w && w.items) || []).filter((x) => (x.goods || []).length);
  } catch (e) {
    console.warn('vehicles or waybills unavailable', e);
  }
  if (!ctx.isCurrent()) return;
  const msg = h('div', { class: 'error hidden', role: 'alert', id: 'loading-error' });
  const info = h('div', { class: 'small muted', id: 'loading-info' });
  const vf = vehicleForm(vehicles);
  const itf = itemsForm(waybills, (count) => { info.textContent = t('loading.waybill_done', { n: count }); });
  const out = h('div', { id: 'loading-result' }, card(null, noData(t('loading.empty'))));
  const solveBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'loading-solve', text: t('loading.solve') });
  solveBtn.addEventListener('click', async () => {
    msg.classList.add('hidden');
    let req;
    try {
      req = readRequest(vf, itf.tbody);
    } catch (e) {
      msg.textContent = e.message;
      msg.classList.remove('hidden');
      return;
    }
    solveBtn.disabled = true;
    solveBtn.textContent = t('loading.solving');
    out.dataset.state = 'solving';
    try {
      const res = await api(`/api/v1/loading/solve?time=${encodeURIComponent(vf.time.value)}`, { method: 'POST', body: req.request });
      if (!ctx.isCurrent()) return;
      await showResult(out, req.request, req.meta, res, vf.label());
      out.dataset.state = 'done';
    } catch (e) {
      out.dataset.state = 'error';
      clear(out).appendChild(card(null, errorBox(e)));
      msg.textContent = errorText(e);
    } finally {
      solveBtn.disabled = false;
      solveBtn.textContent = t('loading.solve');
    }
  });
  root.appendChild(h('div', { class: 'loading-work loading-setup' }, vf.el, itf.el,
    h('div', { class: 'loading-actions' }, solveBtn, info), msg));
  root.appendChild(out);
}

export function dispose() {
  stopPlay();
  if (state.view) {
    state.view.observer.disconnect();
    state.view.dispose();
    state.view = null;
  }
}
