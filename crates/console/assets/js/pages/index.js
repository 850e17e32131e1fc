// 景气指数 Logistics prosperity index: the composite as a gauge and a line, the components with their
// up/same/down counts, history, and the method page (#/index/method).
import { t, pick, fmtNum, fmtMonth } from '../i18n.js';
import { apiOrNull } from '../api.js';
import { h, chart, card, table, noData, errorBox } from '../ui.js';

const PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#8250df', '#0a7ea4', '#e16f24', '#57606a'];

function method(root) {
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('index.method_title') }),
    h('div', { class: 'page-tools' }, h('a', { class: 'btn', href: '#/index', text: t('index.back') }))));
  const body = h('article', { class: 'card prose', id: 'index-method' });
  for (let i = 1; t.has(`index.method.p${i}`); i += 1) {
    const key = `index.method.p${i}`;
    body.appendChild(h(t(key).startsWith('## ') ? 'h3' : 'p', { text: t(key).replace(/^## /, '') }));
  }
  const comps = ['business_volume', 'new_loads', 'active_carriers', 'vehicle_utilisation', 'warehouse_throughput', 'delivery_time'];
  body.appendChild(table([{ label: t('index.component') }, { label: t('index.what') }],
    comps.map((k) => h('tr', null, h('td', { text: t(`index.comp.${k}`) }), h('td', { text: t(`index.comp_desc.${k}`) })))));
  root.appendChild(body);
}

function trendMark(c) {
  const total = (c.up || 0) + (c.same || 0) + (c.down || 0);
  if (!total) return h('span', { class: 'muted', text: t('common.dash') });
  const seg = (n, cls) => {
    const s = h('span', { class: `seg ${cls}`, title: fmtNum(n) });
    s.style.width = `${(100 * n) / total}%`;
    return s;
  };
  return h('span', { class: 'diffusion' }, seg(c.up || 0, 'up'), seg(c.same || 0, 'same'), seg(c.down || 0, 'down'));
}

export async function render(root, ctx) {
  if (ctx.view === 'method') {
    method(root);
    return;
  }
  const month = sessionStorage.getItem('wuliu.index.month') || '';
  let d;
  try {
    d = await apiOrNull(`/api/v1/stats/index${month ? `?month=${month}` : ''}`);
  } catch (e) {
    root.appendChild(errorBox(e));
    return;
  }
  if (!ctx.isCurrent()) return;
  const monthInput = h('input', { type: 'month', id: 'index-month', value: (d && d.month) || month });
  monthInput.addEventListener('change', () => {
    sessionStorage.setItem('wuliu.index.month', monthInput.value);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('nav.index') }),
    h('div', { class: 'page-tools' },
      h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('index.month') }), monthInput),
      h('a', { class: 'btn', href: '#/index/method', id: 'index-method-link', text: t('index.method_link') }))));
  if (!d) {
    root.appendChild(card(null, noData(t('common.endpoint_missing'))));
    return;
  }
  const gauge = h('div', { class: 'chart chart-md', dataset: { chart: 'index-gauge' } });
  const comps = d.components || [];
  const compTable = comps.length ? table(
    [{ label: t('index.component') }, { label: t('index.value'), cls: 'num' }, { label: t('index.weight'), cls: 'num' },
      { label: t('index.up'), cls: 'num' }, { label: t('index.same'), cls: 'num' }, { label: t('index.down'), cls: 'num' }, { label: t('index.spread') }],
    comps.map((c) => h('tr', { dataset: { component: c.key } },
      h('td', { text: pick(c) || c.key }),
      h('td', { class: `num ${c.value === null || c.value === undefined ? '' : (c.value >= 50 ? 'pos' : 'neg')}`, text: fmtNum(c.value, 1) }),
      h('td', { class: 'num', text: c.weight === null || c.weight === undefined ? t('common.dash') : `${fmtNum(c.weight * 100, 0)}%` }),
      h('td', { class: 'num', text: fmtNum(c.up) }), h('td', { class: 'num', text: fmtNum(c.same) }), h('td', { class: 'num', text: fmtNum(c.down) }),
      h('td', null, trendMark(c)))), { id: 'index-components' }) : noData();
  root.appendChild(h('div', { class: 'grid-side-main' },
    card(t('index.composite_of', { month: fmtMonth(d.month) }), gauge,
      h('p', { class: 'small muted', text: t('index.neutral_note') })),
    card(t('index.components'), compTable)));
  const composite = d.composite;
  chart(gauge, {
    series: [{
      type: 'gauge', min: 0, max: 100, startAngle: 210, endAngle: -30, radius: '92%',
      axisLine: { lineStyle: { width: 14, color: [[0.5, '#cf222e'], [0.5001, '#888'], [1, '#2da44e']] } },
      pointer: { width: 5 }, splitNumber: 10, axisTick: { distance: -14, length: 6 },
      splitLine: { distance: -14, length: 14 }, axisLabel: { distance: 18, fontSize: 10 },
      detail: { valueAnimation: false, fontSize: 28, offsetCenter: [0, '60%'], formatter: (v) => (composite === null || composite === undefined ? t('common.dash') : fmtNum(v, 1)) },
      title: { offsetCenter: [0, '88%'], fontSize: 12 },
      data: [{ value: composite === null || composite === undefined ? 0 : composite, name: composite >= 50 ? t('index.expanding') : t('index.contracting') }],
    }],
  });
  const hist = d.history || [];
  const histBox = h('div', { class: 'chart chart-lg', dataset: { chart: 'index-history' } });
  root.appendChild(card(t('index.history'), hist.length ? histBox : noData()));
  if (hist.length) {
    const names = Object.fromEntries(comps.map((c) => [c.key, pick(c) || c.key]));
    const keys = comps.map((c) => c.key);
    chart(histBox, {
      color: ['#0b2545', ...PALETTE],
      tooltip: { trigger: 'axis', valueFormatter: (v) => fmtNum(v, 1) },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 12, right: 16, top: 40, bottom: 24, containLabel: true },
      xAxis: { type: 'category', data: hist.map((x) => x.month), axisLabel: { formatter: (v) => fmtMonth(v) } },
      yAxis: { type: 'value', scale: true },
      series: [
        { name: t('index.composite'), type: 'line', data: hist.map((x) => x.composite), lineStyle: { width: 3 }, symbolSize: 5,
          markLine: { silent: true, symbol: 'none', data: [{ yAxis: 50 }], lineStyle: { color: '#888', type: 'dashed' }, label: { formatter: '50' } } },
        ...keys.map((k) => ({ name: names[k], type: 'line', data: hist.map((x) => (x.components ? x.components[k] ?? null : null)), symbol: 'none', lineStyle: { width: 1 } })),
      ],
    });
  }
}
