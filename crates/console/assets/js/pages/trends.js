// 趋势预测 Trends and forecasts: a platform metric (monthly or daily) or a bundled public series; the
// history, the forecast mean and its 80 % and 95 % intervals, and the rolling-origin backtest
// (MASE, sMAPE, the model chosen) beside the chart.
import { t, lang, pick, fmtNum, fmtPeriod, fmtDay } from '../i18n.js';
import { apiOrNull } from '../api.js';
import { h, chart, card, table, noData, errorBox, select, field, badge } from '../ui.js';

const METRICS = ['waybills', 'tonnes', 'tonne_km', 'amount_yuan', 'active_vehicles', 'cold_chain_share', 'on_time_rate', 'empty_running_rate'];
const RATES = new Set(['cold_chain_share', 'on_time_rate', 'empty_running_rate']);

function modelName(key, models) {
  const k = `model.${key}`;
  if (t.has(k)) return t(k);
  return (lang() === 'zh' && models && models[key]) || key;
}

function drawForecast(el, f, isRate) {
  const hist = f.history || [];
  const fc = f.forecast || [];
  const periods = [...hist.map((p) => p.period), ...fc.map((p) => p.period)];
  const n = hist.length;
  const pad = (arr) => [...new Array(n).fill(null), ...arr];
  // The bands are stacked areas: an invisible lower bound, then (upper − lower) filled.
  const band = (lo, hi) => fc.map((p) => (p[lo] === null || p[hi] === null ? null : p[hi] - p[lo]));
  const last = n ? hist[n - 1].value : null;
  const mean = [...new Array(Math.max(0, n - 1)).fill(null), ...(n ? [last] : []), ...fc.map((p) => p.mean)];
  const scale = isRate ? 100 : 1;
  const fmt = (v) => (v === null || v === undefined ? t('common.dash') : fmtNum(v * scale, isRate ? 1 : (Math.abs(v) < 100 ? 2 : 0)) + (isRate ? '%' : ''));
  // The tooltip is HTML: escape the API's unit text.
  const unit = String(isRate ? '' : (lang() === 'zh' ? f.unit_zh : f.unit_en) || '')
    .replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  chart(el, {
    animation: false,
    color: ['#1f6feb', '#cf222e'],
    tooltip: {
      trigger: 'axis',
      formatter: (ps) => {
        const i = ps[0].dataIndex;
        const lines = [fmtPeriod(periods[i])];
        if (i < n) lines.push(`${t('trends.history')}: ${fmt(hist[i].value)} ${unit}`);
        else {
          const p = fc[i - n];
          lines.push(`${t('trends.mean')}: ${fmt(p.mean)} ${unit}`);
          lines.push(`80%: ${fmt(p.lo80)} – ${fmt(p.hi80)}`);
          lines.push(`95%: ${fmt(p.lo95)} – ${fmt(p.hi95)}`);
        }
        return lines.join('<br>');
      },
    },
    legend: { top: 0, data: [t('trends.history'), t('trends.mean'), t('trends.band80'), t('trends.band95')] },
    grid: { left: 12, right: 16, top: 36, bottom: 28, containLabel: true },
    xAxis: { type: 'category', data: periods, axisLabel: { formatter: (v) => fmtDay(v) } },
    yAxis: { type: 'value', scale: true, name: unit, axisLabel: { formatter: (v) => fmt(v) } },
    series: [
      { name: t('trends.history'), type: 'line', data: hist.map((p) => p.value), symbol: 'none', lineStyle: { width: 2 } },
      { name: t('trends.mean'), type: 'line', data: mean, symbol: 'circle', symbolSize: 4, lineStyle: { type: 'dashed', width: 2 } },
      { name: 'lo95', type: 'line', data: pad(fc.map((p) => p.lo95)), stack: 'b95', symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false } },
      { name: t('trends.band95'), type: 'line', data: pad(band('lo95', 'hi95')), stack: 'b95', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: 'rgba(207,34,46,0.12)' }, itemStyle: { color: 'rgba(207,34,46,0.25)' } },
      { name: 'lo80', type: 'line', data: pad(fc.map((p) => p.lo80)), stack: 'b80', symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false } },
      { name: t('trends.band80'), type: 'line', data: pad(band('lo80', 'hi80')), stack: 'b80', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: 'rgba(207,34,46,0.22)' }, itemStyle: { color: 'rgba(207,34,46,0.4)' } },
    ],
  });
}

function backtestTable(f) {
  const rows = (f.backtest || []).map((b) => h('tr', { class: b.chosen ? 'chosen' : null, dataset: { model: b.model } },
    h('td', null, modelName(b.model, f.models), ' ', b.chosen ? badge(t('trends.chosen'), 'ok') : null),
    h('td', { class: 'num', text: fmtNum(b.mase, 3) }),
    h('td', { class: 'num', text: b.smape === null || b.smape === undefined ? t('common.dash') : `${fmtNum(b.smape * 100, 1)}%` }),
    h('td', { class: 'num', text: fmtNum(b.folds) })));
  if (!rows.length) return noData();
  return table([{ label: t('trends.model') }, { label: 'MASE', cls: 'num' }, { label: 'sMAPE', cls: 'num' }, { label: t('trends.folds'), cls: 'num' }],
    rows, { id: 'backtest-table' });
}

export async function render(root, ctx) {
  const saved = JSON.parse(sessionStorage.getItem('wuliu.trends') || '{}');
  const st = Object.assign({ source: 'metric', metric: 'waybills', interval: 'month', horizon: 6, series: '' }, saved);
  const publicList = await apiOrNull('/api/v1/stats/public-series').catch(() => null);
  if (!ctx.isCurrent()) return;
  const publics = Array.isArray(publicList) ? publicList : (publicList && publicList.series) || [];
  const sourceSel = select([['metric', t('trends.platform')], ['public', t('trends.public')]], st.source, { id: 'trend-source' });
  const metricSel = select(METRICS.map((m) => [m, t(`metric.${m}`)]), st.metric, { id: 'trend-metric' });
  const intervalSel = select([['month', t('trends.monthly')], ['day', t('trends.daily')]], st.interval, { id: 'trend-interval' });
  const seriesSel = select(publics.map((s) => [s.id, pick(s)]), st.series || (publics[0] && publics[0].id) || '', { id: 'trend-series' });
  const horizonSel = select([3, 6, 12].map((n) => [String(n), t('trends.horizon_n', { n })]), String(st.horizon), { id: 'trend-horizon' });
  const platformFields = [field(t('trends.metric'), metricSel), field(t('trends.interval'), intervalSel)];
  const publicFields = [field(t('trends.series'), seriesSel)];
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('nav.trends') }),
    h('div', { class: 'page-tools' }, field(t('trends.source'), sourceSel), platformFields, publicFields, field(t('trends.horizon'), horizonSel))));
  const chartBox = h('div', { class: 'chart-box' });
  const side = h('div');
  const info = h('div', { class: 'muted small' });
  root.appendChild(h('div', { class: 'grid-main-side' },
    card(t('trends.chart_title'), chartBox, info), card(t('trends.backtest'), side, h('p', { class: 'small muted', text: t('trends.backtest_note') }))));

  const showFields = () => {
    const pub = sourceSel.value === 'public';
    platformFields.forEach((f) => { f.hidden = pub; });
    publicFields.forEach((f) => { f.hidden = !pub; });
  };
  const draw = async () => {
    showFields();
    const s = { source: sourceSel.value, metric: metricSel.value, interval: intervalSel.value, horizon: Number(horizonSel.value), series: seriesSel.value };
    sessionStorage.setItem('wuliu.trends', JSON.stringify(s));
    chartBox.textContent = '';
    side.textContent = '';
    info.textContent = '';
    if (s.source === 'public' && !s.series) {
      chartBox.appendChild(noData(t('trends.no_public')));
      side.appendChild(noData());
      return;
    }
    const q = s.source === 'public'
      ? `series=${encodeURIComponent(`public:${s.series}`)}&horizon=${s.horizon}`
      : `metric=${s.metric}&interval=${s.interval}&horizon=${s.interval === 'day' ? s.horizon * 5 : s.horizon}`;
    let f;
    try {
      f = await apiOrNull(`/api/v1/stats/forecast?${q}`);
    } catch (e) {
      chartBox.appendChild(errorBox(e));
      side.appendChild(noData());
      return;
    }
    if (!ctx.isCurrent()) return;
    if (!f || !(f.history || []).length) {
      chartBox.appendChild(noData(f ? null : t('common.endpoint_missing')));
      side.appendChild(noData());
      return;
    }
    const el = h('div', { class: 'chart chart-lg', dataset: { chart: 'forecast' } });
    chartBox.appendChild(el);
    drawForecast(el, f, s.source === 'metric' && RATES.has(s.metric));
    side.appendChild(backtestTable(f));
    const pub = publics.find((p) => p.id === s.series);
    info.appendChild(h('span', { text: t('trends.model_used', { model: modelName(f.model, f.models) }) }));
    if (s.source === 'public' && pub) {
      info.appendChild(h('span', { text: ` · ${t('trends.source_of', { source: pub.source || '' })} ` }));
      if (pub.url) info.appendChild(h('a', { href: pub.url, rel: 'noreferrer noopener', target: '_blank', text: t('trends.source_link') }));
    }
  };
  for (const s of [sourceSel, metricSel, intervalSel, seriesSel, horizonSel]) s.addEventListener('change', draw);
  await draw();
}
