// 规划监测 Plan supervision: the plan's 2025 targets (baseline, target, current value with source and
// date, expected now, progress, status), manual values for the regulator, the key projects with
// their progress reports, the county economy targets, CSV export and a printable report.
import { t, lang, unit, fmtNum, fmtDate, fmtYuan, fmtPct } from '../i18n.js';
import { api, apiOrNull } from '../api.js';
import { h, card, table, badge, progressBar, noData, errorBox, errorText, toast, field, select, beijingToday } from '../ui.js';

const STATUS_KIND = { on_track: 'ok', at_risk: 'warn', off_track: 'bad', no_data: 'none' };
const BUILD_STATUSES = ['planned', 'preparing', 'under_construction', 'completed', 'suspended'];

function statusBadge(status) {
  const s = STATUS_KIND[status] ? status : 'no_data';
  return h('span', { class: `badge badge-${STATUS_KIND[s]}`, dataset: { status: s }, text: t(`plan.status.${s}`) });
}

function num(v) {
  if (v === null || v === undefined) return t('common.dash');
  return fmtNum(v, Number.isInteger(v) ? 0 : 2);
}

function buildStatus(s) {
  if (!s) return t('common.dash');
  const key = `plan.build.${s}`;
  return t.has(key) ? t(key) : s;
}

function canEdit(me) {
  return me.role === 'admin' || me.role === 'regulator';
}

/** The form entering a manual value for a target. */
function valueForm(target, onSaved) {
  const value = h('input', { type: 'number', step: 'any', required: true, name: 'value' });
  const asOf = h('input', { type: 'date', required: true, name: 'as_of', value: beijingToday(), max: beijingToday() });
  const source = h('input', { required: true, name: 'source', placeholder: t('plan.source_placeholder') });
  const note = h('input', { name: 'note' });
  const msg = h('div', { class: 'error hidden', role: 'alert' });
  const form = h('form', { class: 'inline-form', dataset: { form: 'indicator-value' } },
    h('strong', { text: t('plan.enter_value_for', { id: target.id, name: pickIndicator(target) }) }),
    field(`${t('plan.value')} (${unit(target.unit)})`, value), field(t('plan.as_of'), asOf),
    field(t('plan.source'), source), field(t('plan.note'), note),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', text: t('common.save') }),
      h('button', { type: 'button', class: 'btn', text: t('common.cancel'), onclick: () => form.remove() })),
    msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.classList.add('hidden');
    if (value.value === '' || !asOf.value || !source.value.trim()) {
      msg.textContent = t('common.fill_required');
      msg.classList.remove('hidden');
      return;
    }
    const body = { target_id: target.id, value: Number(value.value), as_of: asOf.value, source: source.value.trim() };
    if (note.value.trim()) body.note = note.value.trim();
    try {
      await api('/api/v1/indicator_values', { method: 'POST', body });
      toast(t('common.saved'));
      onSaved();
    } catch (e) {
      msg.textContent = errorText(e);
      msg.classList.remove('hidden');
    }
  });
  return form;
}

function pickIndicator(target) {
  return lang() === 'en' ? (target.indicator_en || target.indicator_zh) : target.indicator_zh;
}

function currentCell(c) {
  if (!c) return h('span', { class: 'muted', text: t('plan.status.no_data') });
  const src = c.source === 'platform' ? t('plan.source_platform') : t('plan.source_manual');
  return h('div', { class: 'current' },
    h('strong', { text: num(c.value) }),
    h('div', { class: 'small muted' }, `${src} · ${fmtDate(c.as_of)}`),
    c.note ? h('div', { class: 'small muted', title: c.note, text: c.note }) : null);
}

function historyRow(target, cols) {
  const hist = target.history || [];
  const body = hist.length
    ? table([{ label: t('plan.as_of') }, { label: t('plan.value') }, { label: t('plan.source') }, { label: t('plan.note') }],
      hist.map((x) => h('tr', null, h('td', { text: fmtDate(x.as_of) }), h('td', { class: 'num', text: num(x.value) }),
        h('td', { text: x.source === 'platform' ? t('plan.source_platform') : (x.source === 'manual' ? t('plan.source_manual') : x.source || '') }),
        h('td', { text: x.note || '' }))))
    : noData();
  return h('tr', { class: 'history-row' }, h('td', { colspan: cols }, h('h4', { text: t('plan.history_of', { id: target.id }) }), body));
}

function targetsTable(data, me, reload, { printable } = {}) {
  const cols = [
    { label: t('plan.col.id') }, { label: t('plan.col.indicator') }, { label: t('plan.col.unit') },
    { label: t('plan.col.baseline'), cls: 'num' }, { label: t('plan.col.target'), cls: 'num' },
    { label: t('plan.col.current') }, { label: t('plan.col.expected'), cls: 'num' },
    { label: t('plan.col.progress') }, { label: t('plan.col.status') },
  ];
  if (!printable) cols.push({ label: t('common.actions') });
  const rows = [];
  for (const x of data.targets || []) {
    const target = `${x.comparator && x.comparator !== '=' ? `${x.comparator} ` : ''}${x.target_text || num(x.target_value)}`;
    const tr = h('tr', { dataset: { target: x.id } },
      h('td', { text: x.id }), h('td', { text: pickIndicator(x) }), h('td', { text: unit(x.unit) }),
      h('td', { class: 'num' }, num(x.baseline_value), x.baseline_year ? h('div', { class: 'small muted', text: String(x.baseline_year) }) : null),
      h('td', { class: 'num' }, target, x.year ? h('div', { class: 'small muted', text: String(x.year) }) : null),
      h('td', null, currentCell(x.current)),
      h('td', { class: 'num', text: num(x.expected_now === null || x.expected_now === undefined ? null : Math.round(x.expected_now * 100) / 100) }),
      h('td', null, progressBar(x.progress, x.status)),
      h('td', null, statusBadge(x.status)));
    rows.push(tr);
    if (printable) continue;
    const actions = h('td', { class: 'actions' });
    tr.appendChild(actions);
    let hist = null;
    actions.appendChild(h('button', {
      type: 'button', class: 'btn btn-small', text: t('plan.history'),
      onclick: () => {
        if (hist) { hist.remove(); hist = null; return; }
        hist = historyRow(x, cols.length);
        tr.after(hist);
      },
    }));
    if (canEdit(me)) {
      actions.appendChild(h('button', {
        type: 'button', class: 'btn btn-small btn-primary', dataset: { action: 'enter-value' }, text: t('plan.enter_value'),
        onclick: () => {
          const row = h('tr', { class: 'form-row' }, h('td', { colspan: cols.length }));
          row.firstChild.appendChild(valueForm(x, reload));
          tr.after(row);
        },
      }));
    }
  }
  if (!rows.length) return noData();
  return table(cols, rows, { id: 'targets-table' });
}

function summary(data) {
  const counts = { on_track: 0, at_risk: 0, off_track: 0, no_data: 0 };
  for (const x of data.targets || []) counts[STATUS_KIND[x.status] ? x.status : 'no_data'] += 1;
  return h('div', { class: 'status-summary' }, Object.entries(counts).map(([k, n]) =>
    h('div', { class: `stat stat-${STATUS_KIND[k]}`, dataset: { statusCount: k } },
      h('span', { class: 'stat-num', text: fmtNum(n) }), h('span', { text: t(`plan.status.${k}`) }))));
}

function reportForm(project, onSaved) {
  const reportedOn = h('input', { type: 'date', required: true, value: beijingToday(), max: beijingToday() });
  const status = select(BUILD_STATUSES.map((s) => [s, buildStatus(s)]), project.build_status || 'under_construction');
  const pct = h('input', { type: 'number', min: 0, max: 100, step: 'any', required: true, value: project.progress_pct ?? '' });
  const invested = h('input', { type: 'number', min: 0, step: 'any', value: project.invested_yuan ?? '' });
  const note = h('input', {});
  const msg = h('div', { class: 'error hidden', role: 'alert' });
  const form = h('form', { class: 'inline-form', dataset: { form: 'project-report' } },
    h('strong', { text: t('plan.report_for', { name: project.name }) }),
    field(t('plan.reported_on'), reportedOn), field(t('plan.build_status'), status),
    field(t('plan.progress_pct'), pct), field(t('plan.invested_yuan'), invested), field(t('plan.note'), note),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', text: t('common.save') }),
      h('button', { type: 'button', class: 'btn', text: t('common.cancel'), onclick: () => form.closest('tr').remove() })),
    msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!reportedOn.value || pct.value === '') {
      msg.textContent = t('common.fill_required');
      msg.classList.remove('hidden');
      return;
    }
    const body = { project_id: project.id, reported_on: reportedOn.value, build_status: status.value, progress_pct: Number(pct.value) };
    if (invested.value !== '') body.invested_yuan = Number(invested.value);
    if (note.value.trim()) body.note = note.value.trim();
    try {
      await api('/api/v1/project_reports', { method: 'POST', body });
      toast(t('common.saved'));
      onSaved();
    } catch (e) {
      msg.textContent = errorText(e);
      msg.classList.remove('hidden');
    }
  });
  return form;
}

async function reportsOf(project, cols) {
  const td = h('td', { colspan: cols }, h('h4', { text: t('plan.reports_of', { name: project.name }) }));
  const row = h('tr', { class: 'history-row' }, td);
  try {
    const res = await api(`/api/v1/project_reports?project_id=${encodeURIComponent(project.id)}&limit=100`);
    const items = (res.items || []).filter((r) => !r.project_id || r.project_id === project.id);
    td.appendChild(items.length ? table(
      [{ label: t('plan.reported_on') }, { label: t('plan.build_status') }, { label: t('plan.progress_pct'), cls: 'num' },
        { label: t('plan.invested_yuan'), cls: 'num' }, { label: t('plan.note') }],
      items.map((r) => h('tr', null, h('td', { text: fmtDate(r.reported_on) }), h('td', { text: buildStatus(r.build_status) }),
        h('td', { class: 'num', text: r.progress_pct === undefined ? t('common.dash') : `${fmtNum(r.progress_pct, 0)}%` }),
        h('td', { class: 'num', text: fmtYuan(r.invested_yuan) }), h('td', { text: r.note || '' })))) : noData());
  } catch (e) {
    td.appendChild(errorBox(e));
  }
  return row;
}

function projectsTable(data, me, reload, { printable } = {}) {
  const cols = [
    { label: t('plan.col.id') }, { label: t('plan.district') }, { label: t('plan.project') }, { label: t('plan.type') },
    { label: t('plan.build_status') }, { label: t('plan.investment'), cls: 'num' }, { label: t('plan.invested_yuan'), cls: 'num' },
    { label: t('plan.col.progress') }, { label: t('plan.last_report') }, { label: t('plan.reports'), cls: 'num' },
  ];
  if (!printable) cols.push({ label: t('common.actions') });
  const rows = (data.projects || []).map((p) => {
    const tr = h('tr', { dataset: { project: p.id } },
      h('td', { text: p.id }), h('td', { text: p.district || '' }), h('td', { text: p.name || '' }), h('td', { text: p.type || '' }),
      h('td', null, badge(buildStatus(p.build_status), p.build_status === 'completed' ? 'ok' : (p.build_status === 'suspended' ? 'bad' : 'info'))),
      h('td', { class: 'num', text: fmtYuan(p.investment_yuan) }), h('td', { class: 'num', text: fmtYuan(p.invested_yuan) }),
      h('td', null, progressBar(p.progress_pct === null || p.progress_pct === undefined ? null : p.progress_pct / 100, 'on_track')),
      h('td', { text: p.last_report_on ? fmtDate(p.last_report_on) : t('common.dash') }),
      h('td', { class: 'num', text: fmtNum(p.reports || 0) }));
    if (!printable) {
      let open = null;
      const actions = h('td', { class: 'actions' },
        h('button', {
          type: 'button', class: 'btn btn-small', text: t('plan.history'),
          onclick: async () => {
            if (open) { open.remove(); open = null; return; }
            open = await reportsOf(p, cols.length);
            tr.after(open);
          },
        }));
      if (canEdit(me)) {
        actions.appendChild(h('button', {
          type: 'button', class: 'btn btn-small btn-primary', dataset: { action: 'add-report' }, text: t('plan.add_report'),
          onclick: () => {
            const row = h('tr', { class: 'form-row' }, h('td', { colspan: cols.length }));
            row.firstChild.appendChild(reportForm(p, reload));
            tr.after(row);
          },
        }));
      }
      tr.appendChild(actions);
    }
    return tr;
  });
  if (!rows.length) return noData();
  return table(cols, rows, { id: 'projects-table' });
}

function countiesTable(data) {
  const rows = (data.targets || []).map((x) => h('tr', null,
    h('td', { text: x.category || '' }), h('td', { class: 'num', text: x.seq ?? '' }), h('td', { text: x.indicator || '' }),
    h('td', { class: 'num', text: x.target_2025 ?? t('common.dash') }), h('td', { text: x.growth_or_cumulative || '' }),
    h('td', { text: x.attribute || '' })));
  if (!rows.length) return noData();
  return table([{ label: t('plan.county.category') }, { label: t('plan.county.seq'), cls: 'num' }, { label: t('plan.county.indicator') },
    { label: t('plan.county.target_2025'), cls: 'num' }, { label: t('plan.county.growth') }, { label: t('plan.county.attribute') }], rows,
  { id: 'counties-table' });
}

async function load(path) {
  try {
    return { data: await apiOrNull(path) };
  } catch (e) {
    return { error: e };
  }
}

function section(title, result, build) {
  if (result.error) return card(title, errorBox(result.error));
  if (!result.data) return card(title, noData(t('common.endpoint_missing')));
  return card(title, build(result.data));
}

export async function render(root, ctx) {
  const report = ctx.view === 'report';
  const [targets, projects, counties] = await Promise.all([
    load('/api/v1/plan/targets'), load('/api/v1/plan/projects'), load('/api/v1/plan/counties'),
  ]);
  if (!ctx.isCurrent()) return;
  const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));
  const asOf = targets.data && targets.data.as_of;
  if (report) {
    root.classList.add('printable');
    root.appendChild(h('div', { class: 'page-head no-print' },
      h('a', { href: '#/plan', class: 'btn', text: t('plan.back') }),
      h('button', { type: 'button', class: 'btn btn-primary', id: 'print', text: t('plan.print'), onclick: () => window.print() })));
    root.appendChild(h('header', { class: 'report-head' },
      h('h1', { text: t('plan.report_title') }),
      h('p', { text: t('plan.report_subtitle', { date: asOf ? fmtDate(asOf) : t('common.dash') }) })));
    if (targets.data) root.appendChild(summary(targets.data));
    root.appendChild(section(t('plan.targets'), targets, (d) => targetsTable(d, ctx.me, reload, { printable: true })));
    root.appendChild(section(t('plan.projects'), projects, (d) => projectsTable(d, ctx.me, reload, { printable: true })));
    root.appendChild(section(t('plan.counties'), counties, countiesTable));
    return;
  }
  root.appendChild(h('div', { class: 'page-head' },
    h('h1', { text: t('nav.plan') }),
    asOf ? h('span', { class: 'page-meta', text: t('plan.as_of_date', { date: fmtDate(asOf) }) }) : null,
    h('div', { class: 'page-tools' },
      h('a', { href: '/api/v1/plan/report.csv', class: 'btn', download: 'plan-report.csv', id: 'export-csv', text: t('plan.export_csv') }),
      h('a', { href: '#/plan/report', class: 'btn btn-primary', id: 'open-report', text: t('plan.printable') }))));
  if (targets.data) root.appendChild(summary(targets.data));
  root.appendChild(section(t('plan.targets'), targets, (d) => targetsTable(d, ctx.me, reload)));
  const projectSummary = (d) => {
    const ps = d.projects || [];
    const total = ps.reduce((s, p) => s + (p.investment_yuan || 0), 0);
    const done = ps.reduce((s, p) => s + (p.invested_yuan || 0), 0);
    return h('div', null,
      h('p', { class: 'muted', text: t('plan.projects_summary', { n: fmtNum(ps.length), total: fmtYuan(total), done: fmtYuan(done), pct: total ? fmtPct(done / total, 1) : t('common.dash') }) }),
      projectsTable(d, ctx.me, reload));
  };
  root.appendChild(section(t('plan.projects'), projects, projectSummary));
  root.appendChild(section(t('plan.counties'), counties, countiesTable));
}
