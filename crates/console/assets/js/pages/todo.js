// 我的待办 An official's to-do list (issue 29): the appeals its unit may act on now (overdue ones first),
// its unit's tasks not completed that carry a warning (overdue, report missing, due soon), and the
// appeal desk's due times of the coming week, each linking to its desk's page. One read:
// GET /api/v1/gov/todo. The desks' own labels (statuses, actions, flags) come from their pages.
import { t, addStrings, lang, fmtDateTime } from '../i18n.js';
import { api } from '../api.js';
import { h, card, table, noData, errorBox, badge } from '../ui.js';
import '../pages/appeals.js';
import '../pages/tasks.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "todo.title": "我的待办",
    "todo.subtitle": "外企诉求与任务督办中等待本单位办理的事项",
    "todo.unit": "本单位：{unit}",
    "todo.stat_appeals": "待处理诉求",
    "todo.stat_flagged": "其中超期",
    "todo.stat_tasks": "需关注任务",
    "todo.stat_dues": "7 日内报送节点",
    "todo.appeals": "待处理的外企诉求",
    "todo.no_appeals": "暂无需要本单位处理的诉求。",
    "todo.tasks": "需关注的督办任务",
    "todo.no_tasks": "本单位任务均按期推进，暂无提醒。",
    "todo.dues": "近 7 日报送节点",
    "todo.no_dues": "近 7 日没有本单位负责的报送节点。",
    "todo.col_enterprise": "企业",
    "todo.col_status": "状态",
    "todo.col_can": "可办理",
    "todo.col_flags": "提醒",
    "todo.col_task": "任务",
    "todo.col_role": "本单位",
    "todo.col_warning": "提醒",
    "todo.col_reason": "说明",
    "todo.col_step": "节点",
    "todo.col_due": "截止时间",
    "todo.step.w1": "成员单位报送收集表（W1）",
    "todo.step.w4": "综合组报送汇总表（W4）",
    "todo.step.m1": "成员单位报送月度情况（M1）",
    "todo.step.m4": "综合组报送月度汇总（M4）"
  },
  "en": {
    "todo.title": "My to-do list",
    "todo.subtitle": "What the appeal desk and the task tracker wait for from your unit",
    "todo.unit": "Your unit: {unit}",
    "todo.stat_appeals": "Appeals to act on",
    "todo.stat_flagged": "of them overdue",
    "todo.stat_tasks": "Tasks needing attention",
    "todo.stat_dues": "Report dues in 7 days",
    "todo.appeals": "Appeals waiting for your unit",
    "todo.no_appeals": "No appeal waits for your unit.",
    "todo.tasks": "Tasks needing attention",
    "todo.no_tasks": "Your unit's tasks are on schedule; nothing to flag.",
    "todo.dues": "Report dues in the next 7 days",
    "todo.no_dues": "No report your unit answers for falls due in the next 7 days.",
    "todo.col_enterprise": "Enterprise",
    "todo.col_status": "Status",
    "todo.col_can": "You may",
    "todo.col_flags": "Flags",
    "todo.col_task": "Task",
    "todo.col_role": "Your unit",
    "todo.col_warning": "Warning",
    "todo.col_reason": "Why",
    "todo.col_step": "Step",
    "todo.col_due": "Due",
    "todo.step.w1": "Member units send Form 1 (W1)",
    "todo.step.w4": "The general group sends Form 2 (W4)",
    "todo.step.m1": "Member units send the month's report (M1)",
    "todo.step.m4": "The general group sends the monthly summary (M4)"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const WARNING_KIND = { due_soon: 'warn', overdue: 'bad', stale: 'bad' };

function stat(name, n, label, kind) {
  return h('div', { class: `stat stat-${kind}`, dataset: { stat: name } },
    h('span', { class: 'stat-num', text: String(n) }), h('span', { class: 'muted', text: label }));
}

function appealsCard(appeals) {
  if (!appeals.length) return card(t('todo.appeals'), noData(t('todo.no_appeals')));
  const cols = ['enterprise', 'status', 'can', 'flags'].map((c) => ({ label: t(`todo.col_${c}`) }));
  const rows = appeals.map((a) => h('tr', { dataset: { appeal: a.id, flags: (a.flags || []).join(' ') } },
    h('td', null, h('a', { href: `#/appeals?id=${encodeURIComponent(a.id)}`, text: a.form.enterprise_name })),
    h('td', null, badge(t(`ap.status.${a.status}`), 'info')),
    h('td', { text: a.allowed.map((k) => t(`ap.action.${k}`)).join('、') }),
    h('td', null, (a.flags || []).length ? a.flags.map((f) => badge(t(`ap.flag.${f}`), 'warn')) : t('common.dash'))));
  return card(t('todo.appeals'), table(cols, rows, { id: 'todo-appeals' }));
}

function tasksCard(tasks) {
  if (!tasks.length) return card(t('todo.tasks'), noData(t('todo.no_tasks')));
  const cols = ['task', 'role', 'warning', 'reason'].map((c) => ({ label: t(`todo.col_${c}`) }));
  const rows = tasks.map((task) => {
    const w = task.tracking.warning;
    const text = task.text.length > 40 ? `${task.text.slice(0, 40)}…` : task.text;
    return h('tr', { dataset: { task: task.external_id, warning: w } },
      h('td', null, h('a', { href: `#/tasks?id=${encodeURIComponent(task.external_id)}`, text: `${task.external_id} ${text}` })),
      h('td', { text: t(task.as_lead ? 'tasks.lead_tag' : 'tasks.coop_tag') }),
      h('td', null, badge(t(`tasks.warning.${w}`), WARNING_KIND[w])),
      h('td', { class: 'small', text: lang() === 'en' ? task.tracking.reason_en : task.tracking.reason_zh }));
  });
  return card(t('todo.tasks'), table(cols, rows, { id: 'todo-tasks' }));
}

function duesCard(dues) {
  if (!dues.length) return card(t('todo.dues'), noData(t('todo.no_dues')));
  const cols = ['step', 'due'].map((c) => ({ label: t(`todo.col_${c}`) }));
  const rows = dues.map((d) => h('tr', { dataset: { step: d.step } },
    h('td', { text: t(`todo.step.${d.step.toLowerCase()}`) }), h('td', { text: fmtDateTime(d.at) })));
  return card(t('todo.dues'), table(cols, rows, { id: 'todo-dues' }));
}

export async function render(root, ctx) {
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('todo.title') }),
    h('span', { class: 'page-meta', text: t('todo.subtitle') })));
  let v;
  try {
    v = await api('/api/v1/gov/todo');
  } catch (e) {
    root.appendChild(errorBox(e));
    return;
  }
  if (!ctx.isCurrent()) return;
  const c = v.counts;
  if (v.unit && v.unit.name) root.appendChild(h('p', { class: 'muted', id: 'todo-unit', text: t('todo.unit', { unit: v.unit.name }) }));
  root.appendChild(h('div', { class: 'status-summary', id: 'todo-stats', style: { gridTemplateColumns: 'repeat(4, 1fr)' } },
    stat('appeals', c.appeals, t('todo.stat_appeals'), c.appeals ? 'warn' : 'ok'),
    stat('flagged', c.appeals_flagged, t('todo.stat_flagged'), c.appeals_flagged ? 'bad' : 'ok'),
    stat('tasks', c.tasks, t('todo.stat_tasks'), c.tasks ? 'bad' : 'ok'),
    stat('dues', c.dues, t('todo.stat_dues'), 'info')));
  root.appendChild(appealsCard(v.appeals));
  root.appendChild(h('div', { class: 'grid-2' }, tasksCard(v.tasks), duesCard(v.dues)));
}
