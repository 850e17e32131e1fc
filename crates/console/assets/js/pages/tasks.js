// 任务督办 Task-division tracker (issue 29): the tasks of 柳政办〔2022〕69号 and the measures of 61号 with
// their lead and cooperating units, each task's status on a day (not started, in progress, completed,
// overdue) and its warning (due soon, report missing), a task's timeline and reports with a report form
// (with files), the summaries per document and per unit, and the county targets of 63号 assessed like the
// logistics plan's targets. `#/tasks?id=<task>` opens one task.
import { t, addStrings, lang, fmtNum } from '../i18n.js';
import { api } from '../api.js';
import { h, clear, card, table, noData, errorBox, errorText, toast, select, field, badge, beijingToday } from '../ui.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "tasks.title": "任务督办",
    "tasks.subtitle": "61号、69号任务分工落实与63号县域经济主要指标",
    "tasks.at": "评估日期",
    "tasks.stat_total": "任务总数",
    "tasks.stat_in_progress": "推进中",
    "tasks.stat_completed": "已完成",
    "tasks.stat_overdue": "逾期未完成",
    "tasks.stat_stale": "逾期未报",
    "tasks.stat_due_soon": "即将到期",
    "tasks.f_document": "文件",
    "tasks.f_unit": "责任单位",
    "tasks.f_status": "状态",
    "tasks.f_warning": "提醒",
    "tasks.all": "全部",
    "tasks.my_unit": "本单位：{name}",
    "tasks.doc_61": "61号 督查激励措施",
    "tasks.doc_69": "69号 产教融合任务",
    "tasks.list": "任务清单",
    "tasks.list_note": "69号“持续推进”及61号未列时限的任务按季度报送进展：每季度结束后 10 日内报送，逾期未报即提醒。",
    "tasks.col_id": "编号",
    "tasks.col_text": "任务事项",
    "tasks.col_lead": "牵头单位",
    "tasks.col_coop": "配合单位",
    "tasks.col_deadline": "时限",
    "tasks.col_status": "状态",
    "tasks.col_warning": "提醒",
    "tasks.col_latest": "最近报告",
    "tasks.col_progress": "进度",
    "tasks.no_tasks": "没有符合条件的任务。",
    "tasks.more_units": "等 {n} 个单位",
    "tasks.not_stated": "未列",
    "tasks.status.not_started": "未开始",
    "tasks.status.in_progress": "推进中",
    "tasks.status.completed": "已完成",
    "tasks.status.overdue": "逾期",
    "tasks.warning.due_soon": "即将到期",
    "tasks.warning.overdue": "已逾期",
    "tasks.warning.stale": "逾期未报",
    "tasks.warning.any": "有提醒",
    "tasks.summary": "汇总",
    "tasks.by_document": "按文件",
    "tasks.by_unit": "按单位（牵头）",
    "tasks.col_document": "文件",
    "tasks.col_unit": "单位",
    "tasks.col_total": "合计",
    "tasks.col_cooperating": "配合任务",
    "tasks.col_attention": "需关注",
    "tasks.county": "县域经济主要指标（63号 表2）",
    "tasks.county_note": "2025年水平值按物流规划目标的方法评估（趋势线与预测）；年度增速按当年数值与目标比较；“按自治区下达指标”的指标不作评估。",
    "tasks.col_indicator": "指标",
    "tasks.col_2025": "2025年",
    "tasks.col_growth": "年均增长/累计",
    "tasks.col_attribute": "属性",
    "tasks.col_value": "最新数值",
    "tasks.col_reason": "说明",
    "tasks.attr.indicative": "预期性",
    "tasks.attr.binding": "约束性",
    "tasks.assigned": "按自治区下达指标",
    "tasks.cstatus.on_track": "正常",
    "tasks.cstatus.at_risk": "有风险",
    "tasks.cstatus.off_track": "滞后",
    "tasks.cstatus.no_data": "无数据",
    "tasks.cstatus.no_target": "未设考核值",
    "tasks.back": "← 返回任务清单",
    "tasks.detail_units": "牵头单位：{lead}；配合单位：{coop}",
    "tasks.region_units": "自治区责任单位：{units}",
    "tasks.deadline": "时限：{text}",
    "tasks.next_report": "本期报告应于 {date} 前报送",
    "tasks.timeline": "时间线",
    "tasks.reports": "进展报告",
    "tasks.reports_hidden": "进展报告仅向本任务的牵头、配合单位及督办部门公开。",
    "tasks.no_reports": "尚无进展报告。",
    "tasks.col_date": "日期",
    "tasks.col_reporter": "报告单位",
    "tasks.col_content": "内容",
    "tasks.col_files": "附件",
    "tasks.lead_tag": "牵头",
    "tasks.coop_tag": "配合",
    "tasks.on_behalf": "代报：{who}",
    "tasks.form": "报送进展",
    "tasks.form_as": "以 {name}（{role}）名义报送",
    "tasks.f_unit_for": "代报单位",
    "tasks.f_as_of": "报告日期",
    "tasks.f_claim": "进展状态",
    "tasks.f_progress": "完成进度（%）",
    "tasks.f_text": "工作进展",
    "tasks.f_files": "附件（最多 5 个，每个不超过 5 MB）",
    "tasks.f_submit": "提交报告",
    "tasks.claim_note": "只有牵头单位可以报告“已完成”；配合单位报送推进情况。",
    "tasks.reported": "已提交进展报告",
    "tasks.add_files": "补充附件",
    "tasks.files_added": "已补充 {n} 个附件",
    "tasks.completed_note": "任务已由牵头单位报告完成，不再接收报告。",
    "tasks.too_many_files": "最多 5 个附件",
    "tasks.sample": "示例",
    "tasks.deadline_form": "设定督办时限",
    "tasks.f_deadline": "新时限",
    "tasks.f_deadline_hint": "如 2027年6月30日、2027年6月、2027年底 或 持续推进",
    "tasks.f_reason": "调整依据",
    "tasks.f_deadline_submit": "保存时限",
    "tasks.deadline_set": "已设定时限：{text}",
    "tasks.deadline_changed": "{at} 由“{from}”调整为“{to}”（{by}：{reason}）",
    "tasks.deadline_conflict": "任务已被他人修改，已重新读取，请确认后再保存。",
    "tasks.tracking_from": "跟踪起始日：{date}（此前各期报告不计缺报）"
  },
  "en": {
    "tasks.title": "Task tracker",
    "tasks.subtitle": "Division of tasks of documents No. 61 and No. 69, and the county targets of No. 63",
    "tasks.at": "Assessed on",
    "tasks.stat_total": "Tasks",
    "tasks.stat_in_progress": "In progress",
    "tasks.stat_completed": "Completed",
    "tasks.stat_overdue": "Overdue",
    "tasks.stat_stale": "Report missing",
    "tasks.stat_due_soon": "Due soon",
    "tasks.f_document": "Document",
    "tasks.f_unit": "Unit",
    "tasks.f_status": "Status",
    "tasks.f_warning": "Warning",
    "tasks.all": "All",
    "tasks.my_unit": "My unit: {name}",
    "tasks.doc_61": "No. 61 incentive measures",
    "tasks.doc_69": "No. 69 industry–education tasks",
    "tasks.list": "Tasks",
    "tasks.list_note": "Ongoing tasks (No. 69) and measures without a deadline (No. 61) report quarterly: within 10 days after each quarter; a missing report is flagged.",
    "tasks.col_id": "ID",
    "tasks.col_text": "Task",
    "tasks.col_lead": "Lead units",
    "tasks.col_coop": "Cooperating units",
    "tasks.col_deadline": "Deadline",
    "tasks.col_status": "Status",
    "tasks.col_warning": "Warning",
    "tasks.col_latest": "Latest report",
    "tasks.col_progress": "Progress",
    "tasks.no_tasks": "No task matches.",
    "tasks.more_units": "and {n} units",
    "tasks.not_stated": "not stated",
    "tasks.status.not_started": "Not started",
    "tasks.status.in_progress": "In progress",
    "tasks.status.completed": "Completed",
    "tasks.status.overdue": "Overdue",
    "tasks.warning.due_soon": "Due soon",
    "tasks.warning.overdue": "Overdue",
    "tasks.warning.stale": "Report missing",
    "tasks.warning.any": "Any warning",
    "tasks.summary": "Summary",
    "tasks.by_document": "By document",
    "tasks.by_unit": "By unit (as lead)",
    "tasks.col_document": "Document",
    "tasks.col_unit": "Unit",
    "tasks.col_total": "Total",
    "tasks.col_cooperating": "Cooperating on",
    "tasks.col_attention": "Needs attention",
    "tasks.county": "County economy targets (No. 63, table 2)",
    "tasks.county_note": "2025 levels are assessed as the logistics plan's targets (trajectory and projection); yearly rates against the latest year's value; figures the region assigns are not assessed.",
    "tasks.col_indicator": "Indicator",
    "tasks.col_2025": "2025",
    "tasks.col_growth": "Yearly / cumulative",
    "tasks.col_attribute": "Attribute",
    "tasks.col_value": "Latest value",
    "tasks.col_reason": "Why",
    "tasks.attr.indicative": "indicative",
    "tasks.attr.binding": "binding",
    "tasks.assigned": "assigned by the region",
    "tasks.cstatus.on_track": "On track",
    "tasks.cstatus.at_risk": "At risk",
    "tasks.cstatus.off_track": "Off track",
    "tasks.cstatus.no_data": "No data",
    "tasks.cstatus.no_target": "No figure",
    "tasks.back": "← Back to the tasks",
    "tasks.detail_units": "Lead: {lead}; cooperating: {coop}",
    "tasks.region_units": "Regional units: {units}",
    "tasks.deadline": "Deadline: {text}",
    "tasks.next_report": "This period's report is due by {date}",
    "tasks.timeline": "Timeline",
    "tasks.reports": "Progress reports",
    "tasks.reports_hidden": "Progress reports are open to the task's lead and cooperating units and the supervising office only.",
    "tasks.no_reports": "No progress report yet.",
    "tasks.col_date": "Date",
    "tasks.col_reporter": "Unit",
    "tasks.col_content": "Report",
    "tasks.col_files": "Files",
    "tasks.lead_tag": "lead",
    "tasks.coop_tag": "cooperating",
    "tasks.on_behalf": "recorded by {who}",
    "tasks.form": "Report progress",
    "tasks.form_as": "Reporting as {name} ({role})",
    "tasks.f_unit_for": "On behalf of",
    "tasks.f_as_of": "Report date",
    "tasks.f_claim": "Status",
    "tasks.f_progress": "Progress (%)",
    "tasks.f_text": "Progress made",
    "tasks.f_files": "Files (up to 5, 5 MB each)",
    "tasks.f_submit": "Submit report",
    "tasks.claim_note": "Only a lead unit may report the task completed; cooperating units report progress.",
    "tasks.reported": "Progress report submitted",
    "tasks.add_files": "Add files",
    "tasks.files_added": "{n} file(s) added",
    "tasks.completed_note": "The lead unit reported the task completed; it takes no more reports.",
    "tasks.too_many_files": "At most 5 files",
    "tasks.sample": "sample",
    "tasks.deadline_form": "Set the deadline",
    "tasks.f_deadline": "New deadline",
    "tasks.f_deadline_hint": "e.g. 2027-06-30, 2027年6月, 2027年底 or 持续推进 (ongoing)",
    "tasks.f_reason": "Reason",
    "tasks.f_deadline_submit": "Save deadline",
    "tasks.deadline_set": "Deadline set: {text}",
    "tasks.deadline_changed": "{at}: changed from “{from}” to “{to}” ({by}: {reason})",
    "tasks.deadline_conflict": "The task was changed by someone else; it has been read again — check and save again.",
    "tasks.tracking_from": "Tracking since {date} (earlier periods are not counted as missing)"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const G = '/api/v1/gov';
const STATUS_KIND = { not_started: 'none', in_progress: 'info', completed: 'ok', overdue: 'bad' };
const WARNING_KIND = { due_soon: 'warn', overdue: 'bad', stale: 'bad' };
const COUNTY_KIND = { on_track: 'ok', at_risk: 'warn', off_track: 'bad', no_data: 'none', no_target: 'none' };
const MAX_FILES = 5;
const NOWRAP = { whiteSpace: 'nowrap' };

let S = null;

export function dispose() {
  S = null;
}

// ---------------------------------------------------------------- small helpers

const zh = () => lang() !== 'en';
const reason = (o) => (o ? (zh() ? o.reason_zh : o.reason_en) : '');
const unitNames = (list) => (list || []).map((u) => u.name);

function statusBadge(s) {
  return h('span', { class: `badge badge-${STATUS_KIND[s] || 'none'}`, dataset: { status: s }, text: t(`tasks.status.${s}`) });
}

function warningBadge(w) {
  if (!w) return h('span', { class: 'muted', text: '—' });
  return h('span', { class: `badge badge-${WARNING_KIND[w]}`, dataset: { warning: w }, text: t(`tasks.warning.${w}`) });
}

function unitsCell(list, max = 2) {
  const names = unitNames(list);
  if (!names.length) return h('span', { class: 'muted', text: '—' });
  const shown = names.slice(0, max).join('、');
  const more = names.length > max ? ` ${t('tasks.more_units', { n: names.length })}` : '';
  return h('span', { title: names.join('、'), text: shown + more });
}

function short(text, n = 48) {
  return text.length > n ? `${text.slice(0, n)}…` : text;
}

function deadlineText(task) {
  return task.deadline_text || t('tasks.not_stated');
}

function stat(name, n, label, kind) {
  return h('div', { class: `stat stat-${kind}`, dataset: { stat: name } },
    h('span', { class: 'stat-num', text: fmtNum(n) }), h('span', { class: 'muted', text: label }));
}

function myUnit() {
  return S.ctx.me && S.ctx.me.role === 'official' ? S.ctx.me.party_id : null;
}

function query(extra) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(Object.assign({ at: S.at }, extra))) if (v) p.set(k, v);
  return p.toString();
}

// ---------------------------------------------------------------- the page

export async function render(root, ctx) {
  dispose();
  S = { ctx, at: ctx.params.get('at') || beijingToday(), filters: { document: '', unit: '', status: '', warning: '' } };
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('tasks.title') }),
    h('span', { class: 'page-meta', text: t('tasks.subtitle') })));
  const id = ctx.params.get('id');
  try {
    if (id) await renderDetail(root, id);
    else await renderList(root);
  } catch (e) {
    root.appendChild(errorBox(e));
  }
}

// ---------------------------------------------------------------- the list

async function renderList(root) {
  const [all, byDoc, byUnit, county] = await Promise.all([
    api(`${G}/tasks?${query({})}`),
    api(`${G}/tasks/summary?${query({ by: 'document' })}`),
    api(`${G}/tasks/summary?${query({ by: 'unit' })}`),
    api(`${G}/county-targets?${query({})}`),
  ]);
  if (!S || !S.ctx.isCurrent()) return;
  S.all = all;
  S.statsEl = h('div', { class: 'status-summary', id: 'tasks-stats', style: { gridTemplateColumns: 'repeat(6, 1fr)' } });
  S.listEl = h('div', { id: 'tasks-list' });
  root.appendChild(S.statsEl);
  const since = all.config && all.config.tracking_from;
  root.appendChild(card(t('tasks.list'), filterBar(), h('p', { class: 'muted small', text: t('tasks.list_note') }),
    since ? h('p', { class: 'muted small', id: 'tasks-tracking-from', text: t('tasks.tracking_from', { date: since }) }) : null, S.listEl));
  root.appendChild(h('div', { class: 'grid-2', id: 'tasks-summary' },
    card(t('tasks.by_document'), documentTable(byDoc.rows)), card(t('tasks.by_unit'), unitTable(byUnit.rows))));
  root.appendChild(card(t('tasks.county'), h('p', { class: 'muted small', text: t('tasks.county_note') }), countyTable(county.targets)));
  renderStats(all.counts);
  renderRows(all.tasks);
}

function renderStats(c) {
  clear(S.statsEl).append(
    stat('total', c.total, t('tasks.stat_total'), 'none'),
    stat('in_progress', c.in_progress, t('tasks.stat_in_progress'), 'ok'),
    stat('completed', c.completed, t('tasks.stat_completed'), 'ok'),
    stat('overdue', c.overdue, t('tasks.stat_overdue'), c.overdue ? 'bad' : 'ok'),
    stat('stale', c.stale, t('tasks.stat_stale'), c.stale ? 'bad' : 'ok'),
    stat('due_soon', c.due_soon, t('tasks.stat_due_soon'), c.due_soon ? 'warn' : 'ok'));
}

function unitOptions() {
  const seen = new Map();
  for (const task of S.all.tasks) {
    for (const u of [...task.lead_units, ...task.cooperating_units]) seen.set(u.id, u.name);
  }
  const opts = [...seen.entries()].sort((a, b) => a[1].localeCompare(b[1], 'zh'));
  const mine = myUnit();
  const head = [['', t('tasks.all')]];
  if (mine && seen.has(mine)) head.push([mine, t('tasks.my_unit', { name: seen.get(mine) })]);
  return head.concat(opts);
}

function filterBar() {
  const f = S.filters;
  const on = (key) => async (ev) => {
    f[key] = ev.target.value;
    await refreshList();
  };
  const statuses = ['not_started', 'in_progress', 'completed', 'overdue'].map((s) => [s, t(`tasks.status.${s}`)]);
  const warnings = ['any', 'stale', 'due_soon', 'overdue'].map((w) => [w, t(`tasks.warning.${w}`)]);
  const at = h('input', { type: 'date', name: 'at', value: S.at });
  at.addEventListener('change', async () => {
    S.at = at.value || beijingToday();
    await refreshList();
  });
  return h('div', { class: 'inline-form', id: 'tasks-filters' },
    field(t('tasks.f_document'), select([['', t('tasks.all')], ['69', t('tasks.doc_69')], ['61', t('tasks.doc_61')]], f.document, { name: 'document', onchange: on('document') })),
    field(t('tasks.f_unit'), select(unitOptions(), f.unit, { name: 'unit', onchange: on('unit') })),
    field(t('tasks.f_status'), select([['', t('tasks.all')], ...statuses], f.status, { name: 'status', onchange: on('status') })),
    field(t('tasks.f_warning'), select([['', t('tasks.all')], ...warnings], f.warning, { name: 'warning', onchange: on('warning') })),
    field(t('tasks.at'), at));
}

async function refreshList() {
  try {
    const v = await api(`${G}/tasks?${query(S.filters)}`);
    if (!S) return;
    renderStats(v.counts);
    renderRows(v.tasks);
  } catch (e) {
    clear(S.listEl).appendChild(errorBox(e));
  }
}

function taskRow(task) {
  const tr = task.tracking;
  const warned = tr.warning === 'overdue' || tr.warning === 'stale' || tr.status === 'overdue';
  const link = h('a', { href: `#/tasks?id=${encodeURIComponent(task.id)}`, title: task.text, text: short(task.text) });
  return h('tr', { dataset: { task: task.external_id, status: tr.status, warning: tr.warning || '' },
    style: warned ? { background: '#fff5f5' } : (tr.warning === 'due_soon' ? { background: '#fffbe6' } : null) },
  h('td', { style: NOWRAP, text: task.external_id }),
  h('td', null, link),
  h('td', null, unitsCell(task.lead_units)),
  h('td', null, unitsCell(task.cooperating_units)),
  h('td', { style: NOWRAP, text: deadlineText(task) }),
  h('td', null, statusBadge(tr.status)),
  h('td', { title: reason(tr) }, warningBadge(tr.warning)),
  h('td', { style: NOWRAP, text: tr.latest_report || '—' }),
  h('td', { class: 'num', text: tr.progress_pct === null || tr.progress_pct === undefined ? '—' : `${tr.progress_pct}%` }));
}

function renderRows(tasks) {
  clear(S.listEl);
  if (!tasks.length) {
    S.listEl.appendChild(noData(t('tasks.no_tasks')));
    return;
  }
  const cols = ['id', 'text', 'lead', 'coop', 'deadline', 'status', 'warning', 'latest', 'progress']
    .map((c) => ({ label: t(`tasks.col_${c}`) }));
  S.listEl.appendChild(table(cols, tasks.map(taskRow), { id: 'tasks-table' }));
}

function countsCells(c) {
  return [c.total, c.not_started, c.in_progress, c.completed, c.overdue, c.stale, c.due_soon]
    .map((n) => h('td', { class: 'num', text: fmtNum(n) }));
}

function countCols(first) {
  return [{ label: first }, { label: t('tasks.col_total') }, { label: t('tasks.status.not_started') },
    { label: t('tasks.status.in_progress') }, { label: t('tasks.status.completed') }, { label: t('tasks.status.overdue') },
    { label: t('tasks.warning.stale') }, { label: t('tasks.warning.due_soon') }];
}

function documentTable(rows) {
  if (!rows.length) return noData(t('tasks.no_tasks'));
  return table(countCols(t('tasks.col_document')), rows.map((r) => h('tr', { dataset: { document: r.document } },
    h('td', { title: r.document_title, text: r.document_number || r.document }), ...countsCells(r.counts))), { id: 'tasks-by-document' });
}

function unitTable(rows) {
  const led = rows.filter((r) => r.as_lead.total > 0);
  if (!led.length) return noData(t('tasks.no_tasks'));
  const cols = countCols(t('tasks.col_unit')).concat([{ label: t('tasks.col_cooperating') }]);
  return h('div', { style: { maxHeight: '420px', overflow: 'auto' } }, table(cols, led.map((r) => h('tr', { dataset: { unit: r.unit } },
    h('td', { text: r.unit_name || r.unit }), ...countsCells(r.as_lead),
    h('td', { class: 'num', text: fmtNum(r.as_cooperating.total) }))), { id: 'tasks-by-unit' }));
}

function cellText(c) {
  if (!c) return '—';
  if (c.kind === 'figure') return c.text;
  if (c.kind === 'assigned_by_region') return t('tasks.assigned');
  return '—';
}

function countyRow(target) {
  const a = target.assessment || {};
  const latest = (target.values || [])[target.values.length - 1];
  const value = latest ? `${fmtNum(latest.value, 2)}（${latest.as_of}）` : '—';
  const sample = latest && /示例/.test(`${latest.source} ${latest.note || ''}`);
  return h('tr', { dataset: { target: target.external_id, status: a.status } },
    h('td', { style: NOWRAP, text: target.external_id }),
    h('td', null, target.indicator),
    h('td', { style: NOWRAP, text: cellText(target.target_2025) }),
    h('td', { style: NOWRAP, text: cellText(target.growth_or_cumulative) }),
    h('td', { style: NOWRAP, text: t(`tasks.attr.${target.attribute}`) }),
    h('td', { style: NOWRAP, title: latest ? latest.source : null }, value, sample ? ' ' : null, sample ? h('span', { class: 'badge badge-none', text: t('tasks.sample') }) : null),
    h('td', null, h('span', { class: `badge badge-${COUNTY_KIND[a.status] || 'none'}`, text: t(`tasks.cstatus.${a.status}`) })),
    h('td', { class: 'small muted', text: reason(a) }));
}

function countyTable(targets) {
  if (!targets.length) return noData(t('tasks.no_tasks'));
  const cols = ['id', 'indicator', '2025', 'growth', 'attribute', 'value', 'status', 'reason'].map((c) => ({ label: t(`tasks.col_${c}`) }));
  return table(cols, targets.map(countyRow), { id: 'tasks-county' });
}

// ---------------------------------------------------------------- one task

async function renderDetail(root, id) {
  const task = await api(`${G}/tasks/${encodeURIComponent(id)}?${query({})}`);
  if (!S || !S.ctx.isCurrent()) return;
  S.task = task;
  root.appendChild(h('p', null, h('a', { href: '#/tasks', id: 'tasks-back', text: t('tasks.back') })));
  root.appendChild(headCard(task));
  if (!task.reports_readable) {
    root.appendChild(card(t('tasks.reports'), h('p', { class: 'muted', text: t('tasks.reports_hidden') })));
    return;
  }
  root.appendChild(h('div', { class: 'grid-2' }, card(t('tasks.timeline'), timelineList(task)), reportFormCard(task)));
  const role = (S.ctx.me || {}).role;
  if ((role === 'admin' || role === 'regulator') && task.status !== 'completed') root.appendChild(deadlineFormCard(task));
  root.appendChild(card(t('tasks.reports'), reportsTable(task)));
}

// ---------------------------------------------------------------- the office's deadline form

function deadlineFormCard(task) {
  const form = h('form', { id: 'task-deadline-form', class: 'inline-form', onsubmit: (ev) => { ev.preventDefault(); submitDeadline(form); } },
    field(t('tasks.f_deadline'), h('input', { name: 'deadline_text', required: true, placeholder: t('tasks.f_deadline_hint'), style: { width: '340px' } })),
    field(t('tasks.f_reason'), h('input', { name: 'reason', required: true, maxlength: 500, style: { width: '320px' } })),
    h('div', { class: 'error', id: 'task-deadline-errors', hidden: true }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn', text: t('tasks.f_deadline_submit') })));
  return card(t('tasks.deadline_form'), form);
}

async function rerender(form) {
  const main = form.closest('main') || document.querySelector('main');
  const ctx = S.ctx;
  clear(main);
  await render(main, ctx);
}

async function submitDeadline(form) {
  const errors = form.querySelector('#task-deadline-errors');
  const val = (n) => form.querySelector(`[name="${n}"]`).value;
  clear(errors).hidden = true;
  const body = { deadline_text: val('deadline_text'), reason: val('reason'), version: S.task.version };
  try {
    const stored = await api(`${G}/tasks/${encodeURIComponent(S.task.id)}/deadline`, { method: 'PUT', body });
    toast(t('tasks.deadline_set', { text: stored.deadline_text }));
    await rerender(form);
  } catch (e) {
    if (e.status === 409 && (e.violations || []).some((v) => v.field === 'version')) {
      toast(t('tasks.deadline_conflict'), 'bad');
      await rerender(form);
      return;
    }
    errors.hidden = false;
    errors.appendChild(h('span', { text: errorText(e) }));
    for (const v of (e.violations || [])) {
      const input = form.querySelector(`[name="${v.field}"]`);
      if (input) input.setAttribute('aria-invalid', 'true');
    }
  }
}

function headCard(task) {
  const tr = task.tracking;
  const lead = unitNames(task.lead_units).join('、') || '—';
  const coop = unitNames(task.cooperating_units).join('、') || '—';
  return h('section', { class: 'card', id: 'task-head', dataset: { status: tr.status, warning: tr.warning || '' } },
    h('h2', { class: 'card-title' }, `${task.external_id} · ${task.document_number}`),
    h('p', { text: task.text }),
    h('p', { class: 'small', text: t('tasks.detail_units', { lead, coop }) }),
    task.region_units_text ? h('p', { class: 'small muted', text: t('tasks.region_units', { units: task.region_units_text }) }) : null,
    h('p', { class: 'small', id: 'task-deadline', text: t('tasks.deadline', { text: deadlineText(task) }) }),
    (task.deadline_changes || []).map((c) => h('p', { class: 'small muted', dataset: { deadlineChange: c.to_text },
      text: t('tasks.deadline_changed', { at: c.at.slice(0, 10), from: c.from_text || t('tasks.not_stated'), to: c.to_text, by: c.by, reason: c.reason }) })),
    h('p', null, h('span', { id: 'task-status' }, statusBadge(tr.status)), ' ', warningBadge(tr.warning), ' ',
      h('span', { class: 'small', id: 'task-reason', text: reason(tr) })),
    tr.next_report && tr.status !== 'completed'
      ? h('p', { class: 'small muted', text: t('tasks.next_report', { date: tr.next_report.due }) }) : null);
}

function unitName(id) {
  const u = [...S.task.lead_units, ...S.task.cooperating_units].find((x) => x.id === id);
  return u ? u.name : id;
}

function timelineList(task) {
  const events = [...(task.timeline || [])].reverse();
  return h('ol', { id: 'task-timeline', style: { listStyle: 'none', padding: 0, margin: 0, maxHeight: '420px', overflow: 'auto' } },
    events.map((e) => h('li', { dataset: { kind: e.kind, status: e.status || '' },
      style: { borderLeft: `3px solid ${e.kind === 'report_missed' ? '#cf222e' : (e.kind === 'status_changed' ? '#1f6feb' : '#d0d7de')}`, padding: '4px 10px', marginBottom: '6px' } },
    h('div', { class: 'small muted' }, e.date, e.unit ? ` · ${unitName(e.unit)}` : ''),
    h('div', { text: zh() ? e.text_zh : e.text_en }))));
}

function reportsTable(task) {
  const reports = [...(task.reports || [])].reverse();
  if (!reports.length) return noData(t('tasks.no_reports'));
  const cols = ['date', 'reporter', 'status', 'progress', 'content', 'files'].map((c) => ({ label: t(`tasks.col_${c}`) }));
  return table(cols, reports.map((r) => h('tr', { dataset: { report: r.id } },
    h('td', { style: NOWRAP, text: r.as_of }),
    h('td', null, r.unit_name, ' ', badge(t(r.as_lead ? 'tasks.lead_tag' : 'tasks.coop_tag'), r.as_lead ? 'info' : 'none'),
      r.on_behalf ? h('div', { class: 'small muted', text: t('tasks.on_behalf', { who: r.recorded_by }) }) : null),
    h('td', null, statusBadge(r.status)),
    h('td', { class: 'num', text: `${r.progress_pct}%` }),
    h('td', { text: r.text }),
    h('td', null, (r.attachments || []).map((a) => h('div', null,
      h('a', { href: `${G}/attachments/${encodeURIComponent(a.id)}`, target: '_blank', rel: 'noopener', text: a.file_name }))),
    mayAddFiles(r) ? addFilesInput(r) : null))), { id: 'task-reports' });
}

/** Whether the caller may add files to report `r`: its unit's officials, admins and regulators. */
function mayAddFiles(r) {
  const me = S.ctx.me || {};
  return me.role === 'admin' || me.role === 'regulator' || (me.role === 'official' && me.party_id === r.unit_id);
}

function addFilesInput(r) {
  const input = h('input', { type: 'file', multiple: true, class: 'add-files', dataset: { report: r.id }, 'aria-label': t('tasks.add_files') });
  input.addEventListener('change', () => addFiles(input, r));
  return h('label', { class: 'small muted', style: { display: 'block', marginTop: '4px' } }, `${t('tasks.add_files')} `, input);
}

/** Sends each chosen file to the filed report `r`; a refused file is named in a toast, the ones
 * already stored stay. */
async function addFiles(input, r) {
  const files = [...input.files];
  const uri = `${G}/tasks/${encodeURIComponent(S.task.id)}/reports/${encodeURIComponent(r.id)}/attachments`;
  let added = 0;
  try {
    for (const f of files) {
      const body = { file_name: f.name, media_type: f.type || 'application/octet-stream', content_base64: await base64Of(f) };
      await api(uri, { method: 'POST', body });
      added += 1;
    }
    toast(t('tasks.files_added', { n: added }));
  } catch (e) {
    toast(`${files[added].name}: ${errorText(e)}`, 'bad');
  }
  await rerender(input);
}

// ---------------------------------------------------------------- the report form

function reportFormCard(task) {
  if (task.tracking.status === 'completed' || task.status === 'completed') {
    return card(t('tasks.form'), h('p', { class: 'muted', id: 'task-form-closed', text: t('tasks.completed_note') }));
  }
  const me = S.ctx.me || {};
  const units = [...task.lead_units, ...task.cooperating_units];
  const official = me.role === 'official';
  const own = units.find((u) => u.id === me.party_id);
  if (official && !own) return card(t('tasks.form'), h('p', { class: 'muted', text: t('tasks.reports_hidden') }));
  const isLead = (id) => task.lead_units.some((u) => u.id === id);
  const unitSel = official ? null : select(units.map((u) => [u.id, u.name]), units[0] && units[0].id, { name: 'unit_id' });
  const claims = () => {
    const unit = official ? me.party_id : unitSel.value;
    const opts = [['in_progress', t('tasks.status.in_progress')]];
    if (isLead(unit)) opts.push(['completed', t('tasks.status.completed')]);
    return opts;
  };
  const claimSel = select(claims(), 'in_progress', { name: 'status' });
  if (unitSel) {
    unitSel.addEventListener('change', () => {
      clear(claimSel).append(...claims().map(([v, l]) => h('option', { value: v, text: l })));
    });
  }
  const form = h('form', { id: 'task-report-form', class: 'inline-form', onsubmit: (ev) => { ev.preventDefault(); submitReport(form); } },
    official ? h('strong', { text: t('tasks.form_as', { name: own.name, role: t(isLead(own.id) ? 'tasks.lead_tag' : 'tasks.coop_tag') }) }) : field(t('tasks.f_unit_for'), unitSel),
    field(t('tasks.f_as_of'), h('input', { type: 'date', name: 'as_of', value: beijingToday(), max: beijingToday() })),
    field(t('tasks.f_claim'), claimSel),
    field(t('tasks.f_progress'), h('input', { type: 'number', name: 'progress_pct', min: 0, max: 100, step: 1, value: 0, style: { width: '90px' } })),
    h('label', { class: 'field', style: { width: '100%' } }, h('span', { class: 'field-label', text: t('tasks.f_text') }),
      h('textarea', { name: 'text', rows: 4, maxlength: 4000, style: { width: '100%' } })),
    field(t('tasks.f_files'), h('input', { type: 'file', name: 'files', multiple: true })),
    h('p', { class: 'small muted', style: { width: '100%' }, text: t('tasks.claim_note') }),
    h('div', { class: 'error', id: 'task-form-errors', hidden: true }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', text: t('tasks.f_submit') })));
  return card(t('tasks.form'), form);
}

function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] || '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function formBody(form) {
  const val = (n) => form.querySelector(`[name="${n}"]`);
  const body = {
    as_of: val('as_of').value,
    status: val('status').value,
    progress_pct: Number(val('progress_pct').value),
    text: val('text').value,
  };
  if (val('unit_id')) body.unit_id = val('unit_id').value;
  const files = [...val('files').files];
  if (files.length > MAX_FILES) throw new Error(t('tasks.too_many_files'));
  body.attachments = await Promise.all(files.map(async (f) => ({
    file_name: f.name, media_type: f.type || 'application/octet-stream', content_base64: await base64Of(f),
  })));
  return body;
}

async function submitReport(form) {
  const errors = form.querySelector('#task-form-errors');
  const button = form.querySelector('button[type=submit]');
  clear(errors).hidden = true;
  button.disabled = true;
  try {
    const body = await formBody(form);
    await api(`${G}/tasks/${encodeURIComponent(S.task.id)}/reports`, { method: 'POST', body });
    toast(t('tasks.reported'));
    const main = form.closest('main') || document.querySelector('main');
    const ctx = S.ctx;
    clear(main);
    await render(main, ctx);
  } catch (e) {
    errors.hidden = false;
    errors.appendChild(h('span', { text: errorText(e) }));
    for (const v of (e.violations || [])) {
      const input = form.querySelector(`[name="${v.field}"]`);
      if (input) input.setAttribute('aria-invalid', 'true');
    }
    button.disabled = false;
  }
}
