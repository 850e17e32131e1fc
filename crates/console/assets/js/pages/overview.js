// 指挥舱 Overview: KPI cards for today and month to date with their changes and a 30-day sparkline,
// and breakdowns by county and by industry. Every number carries data-metric and data-block so the
// browser tests compare it with /api/v1/stats/overview.
import { t, pick, fmtNum, fmtPct, fmtDate, fmtDateTime, fmtMonth } from '../i18n.js';
import { apiOrNull } from '../api.js';
import { h, chart, noData, errorBox, card, select, beijingToday, field } from '../ui.js';

/** The overview's metrics: name, kind (int, num, pct), decimals, whether lower is better. */
export const METRICS = [
  { name: 'waybills', kind: 'int' },
  { name: 'tonnes', kind: 'num', digits: 1 },
  { name: 'tonne_km', kind: 'num', digits: 0 },
  { name: 'active_vehicles', kind: 'int' },
  { name: 'online_vehicles', kind: 'int' },
  { name: 'empty_running_rate', kind: 'pct', lower: true },
  { name: 'cold_chain_share', kind: 'pct' },
  { name: 'on_time_rate', kind: 'pct' },
  { name: 'open_alerts', kind: 'int', lower: true, noChange: true },
];

const BREAKDOWN_METRICS = ['waybills', 'tonnes', 'tonne_km', 'amount_yuan'];
const PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df', '#0a7ea4', '#e16f24', '#57606a', '#1b7c83', '#a40e26'];

function fmtMetric(m, v) {
  if (m.kind === 'pct') return fmtPct(v, 1);
  return fmtNum(v, m.digits || 0);
}

/** Change of `now` against `before`: relative for amounts, in percentage points for rates. */
function change(m, now, before) {
  if (m.noChange || now === null || now === undefined || before === null || before === undefined) return null;
  if (m.kind === 'pct') return { delta: now - before, text: t('overview.pp', { n: fmtNum(Math.abs(now - before) * 100, 1) }) };
  if (before === 0) return null;
  const r = (now - before) / before;
  return { delta: r, text: fmtPct(Math.abs(r), 1) };
}

function changeEl(m, now, before, label) {
  const c = change(m, now, before);
  if (!c) return h('span', { class: 'chg chg-none' }, `${label} ${t('common.dash')}`);
  const up = c.delta > 0;
  const same = Math.abs(c.delta) < 1e-12;
  const good = same ? 'flat' : (up !== Boolean(m.lower) ? 'good' : 'bad');
  return h('span', { class: `chg chg-${good}` }, `${label} `, same ? '=' : (up ? '▲' : '▼'), ` ${c.text}`);
}

function valueEl(m, block, v) {
  return h('span', {
    class: 'kpi-value', dataset: { metric: m.name, block, value: v === null || v === undefined ? 'null' : String(v) },
    text: fmtMetric(m, v),
  });
}

function kpiCard(m, o) {
  const unit = t(`unit.${m.name}`);
  const spark = h('div', { class: 'spark', dataset: { sparkline: m.name } });
  const el = h('section', { class: 'card kpi', dataset: { kpi: m.name } },
    h('h3', { class: 'kpi-title' }, t(`metric.${m.name}`), unit ? h('small', { text: ` (${unit})` }) : null),
    h('div', { class: 'kpi-blocks' },
      h('div', { class: 'kpi-block' },
        h('div', { class: 'kpi-label', text: t('overview.today') }),
        valueEl(m, 'today', o.today[m.name]),
        changeEl(m, o.today[m.name], o.yesterday && o.yesterday[m.name], t('overview.vs_yesterday'))),
      h('div', { class: 'kpi-block' },
        h('div', { class: 'kpi-label', text: t('overview.month_to_date') }),
        valueEl(m, 'month_to_date', o.month_to_date[m.name]),
        changeEl(m, o.month_to_date[m.name], o.previous_month && o.previous_month[m.name], t('overview.vs_previous_month')))),
    spark);
  return { el, spark };
}

function sparkline(el, m, trend) {
  const points = (trend || []).map((p) => [p.day, p[m.name] === undefined ? null : p[m.name]]);
  if (!points.some((p) => p[1] !== null)) {
    el.classList.add('spark-empty');
    el.textContent = t('overview.no_trend');
    return;
  }
  chart(el, {
    animation: false,
    grid: { left: 2, right: 2, top: 4, bottom: 2 },
    xAxis: { type: 'category', show: false, data: points.map((p) => p[0]) },
    yAxis: { type: 'value', show: false, scale: true },
    tooltip: {
      trigger: 'axis', confine: true,
      formatter: (ps) => `${fmtDate(ps[0].axisValue)}<br>${fmtMetric(m, ps[0].value)}`,
    },
    series: [{ type: 'line', data: points.map((p) => p[1]), symbol: 'none', smooth: true,
      lineStyle: { width: 1.5, color: '#1f6feb' }, areaStyle: { color: 'rgba(31,111,235,0.12)' } }],
  });
}

async function breakdown(by, from, to, metric, box) {
  box.textContent = '';
  let data;
  try {
    data = await apiOrNull(`/api/v1/stats/breakdown?by=${by}&from=${from}&to=${to}`);
  } catch (e) {
    box.appendChild(errorBox(e));
    return;
  }
  const rows = (data && data.rows ? data.rows : []).filter((r) => r[metric] !== null && r[metric] !== undefined);
  if (!data) {
    box.appendChild(noData(t('common.endpoint_missing')));
    return;
  }
  if (!rows.length || rows.every((r) => !r[metric])) {
    box.appendChild(noData());
    return;
  }
  rows.sort((a, b) => b[metric] - a[metric]);
  const digits = metric === 'tonnes' ? 1 : 0;
  const div = metric === 'amount_yuan' ? Number(t('unit.yuan_small_div')) : 1;
  const fmt = (v) => fmtNum(v / div, metric === 'amount_yuan' ? 1 : digits);
  const unit = metric === 'amount_yuan' ? t('unit.yuan_small_unit') : t(`unit.${metric}`);
  const el = h('div', { class: 'chart chart-md', dataset: { chart: `breakdown-${by}` } });
  box.appendChild(el);
  if (by === 'county') {
    const top = rows.slice(0, 12).reverse();
    chart(el, {
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${fmt(v)} ${unit}` },
      xAxis: { type: 'value', axisLabel: { formatter: (v) => fmt(v) } },
      yAxis: { type: 'category', data: top.map((r) => pick(r) || r.key) },
      series: [{ type: 'bar', data: top.map((r) => r[metric]), itemStyle: { color: '#1f6feb' }, barMaxWidth: 18,
        label: { show: true, position: 'right', formatter: (p) => fmt(p.value), fontSize: 11 } }],
    });
  } else {
    chart(el, {
      color: PALETTE,
      tooltip: { trigger: 'item', valueFormatter: (v) => `${fmt(v)} ${unit}` },
      legend: { type: 'scroll', orient: 'vertical', right: 4, top: 'middle', textStyle: { fontSize: 11 } },
      series: [{ type: 'pie', radius: ['38%', '68%'], center: ['36%', '50%'], avoidLabelOverlap: true,
        label: { formatter: '{d}%', fontSize: 11 },
        data: rows.slice(0, 10).map((r) => ({ name: pick(r) || r.key, value: r[metric] })) }],
    });
  }
}

export async function render(root, ctx) {
  const date = sessionStorage.getItem('wuliu.overview.date') || '';
  const dateInput = h('input', { type: 'date', id: 'overview-date', value: date || beijingToday(), max: beijingToday() });
  const head = h('div', { class: 'page-head' },
    h('h1', { text: t('nav.overview') }),
    h('div', { class: 'page-tools' }, field(t('overview.date'), dateInput)));
  root.appendChild(head);
  dateInput.addEventListener('change', () => {
    sessionStorage.setItem('wuliu.overview.date', dateInput.value);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  let o;
  try {
    o = await apiOrNull(`/api/v1/stats/overview${date ? `?date=${date}` : ''}`);
  } catch (e) {
    root.appendChild(errorBox(e));
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!o) {
    root.appendChild(card(null, noData(t('common.endpoint_missing'))));
    return;
  }
  const scope = o.scope === 'party' ? t('overview.scope_party') : t('overview.scope_city');
  head.querySelector('h1').after(h('div', { class: 'page-meta' },
    h('span', { class: `badge badge-${o.scope === 'party' ? 'party' : 'city'}`, dataset: { scope: o.scope }, text: scope }),
    h('span', { text: t('overview.as_of', { date: fmtDate(o.date), month: fmtMonth(o.month) }) }),
    o.generated_at ? h('span', { class: 'muted', text: t('overview.generated', { at: fmtDateTime(o.generated_at) }) }) : null));
  const grid = h('div', { class: 'kpi-grid' });
  root.appendChild(grid);
  const sparks = [];
  for (const m of METRICS) {
    const { el, spark } = kpiCard(m, o);
    grid.appendChild(el);
    sparks.push([spark, m]);
  }
  for (const [el, m] of sparks) sparkline(el, m, o.trend);

  // Breakdowns, month to date by default.
  const monthStart = `${o.month}-01`;
  const metricSel = select(BREAKDOWN_METRICS.map((k) => [k, t(`metric.${k}`)]), 'tonnes', { id: 'breakdown-metric' });
  const periodSel = select([['month', t('overview.month_to_date')], ['today', t('overview.today')]], 'month', { id: 'breakdown-period' });
  const countyBox = h('div', { class: 'chart-box' });
  const industryBox = h('div', { class: 'chart-box' });
  root.appendChild(h('div', { class: 'toolbar' }, h('h2', { class: 'section-title', text: t('overview.breakdowns') }),
    field(t('overview.breakdown_metric'), metricSel), field(t('overview.breakdown_period'), periodSel)));
  root.appendChild(h('div', { class: 'grid-2' },
    card(t('overview.by_county'), countyBox), card(t('overview.by_industry'), industryBox)));
  const draw = async () => {
    const from = periodSel.value === 'today' ? o.date : monthStart;
    await Promise.all([
      breakdown('county', from, o.date, metricSel.value, countyBox),
      breakdown('industry', from, o.date, metricSel.value, industryBox),
    ]);
  };
  metricSel.addEventListener('change', draw);
  periodSel.addEventListener('change', draw);
  await draw();
}
