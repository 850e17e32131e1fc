// 外企诉求 The foreign-enterprise appeal desk of 柳政办〔2022〕65号 (issue 29): the collection form
// (附件1, every field with its printed label), the appeals the caller may read with status and
// overdue flags, one appeal's history with the actions the caller may take now, and the weekly
// Form 2 (附件2) and the monthly report for a chosen date, with approval by 专班领导.
import { t, addStrings, lang, fmtDateTime } from '../i18n.js';
import { api } from '../api.js';
import { h, clear, card, table, errorBox, errorText, toast, select, field, badge, beijingToday } from '../ui.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "ap.title": "外企诉求",
    "ap.subtitle": "柳州市服务外资企业工作专班（柳政办〔2022〕65号）",
    "ap.me_lead": "您以专班领导身份操作，可进行全部操作。",
    "ap.me_unit": "您的单位：{unit}（{groups}）",
    "ap.me_none": "不在专班工作组内",
    "ap.group.leadership": "专班领导",
    "ap.group.general": "综合组",
    "ap.group.collection": "信息采集组",
    "ap.group.coordination": "协调促进组",
    "ap.group.member": "成员单位",
    "ap.cadence": "报送节奏",
    "ap.cadence_text": "本周期收集窗口 {opens} 至 {closes}（成员单位报送截止），汇总表报送截止 {due}。",
    "ap.form": "外资企业问题诉求收集表",
    "ap.form_note": "带 * 为必填；内容较多可另附页。",
    "ap.f.reporting_unit": "报送单位",
    "ap.f.reporting_date": "报送日期",
    "ap.f.reporting_contact_name": "报送单位联系人",
    "ap.f.reporting_contact": "报送单位联系方式",
    "ap.f.enterprise_name": "企业全称",
    "ap.f.industry": "行业领域",
    "ap.f.location_province": "所在省区市",
    "ap.f.parent_country": "母公司国别",
    "ap.f.registered_capital_10k_usd": "注册资本（万美元）",
    "ap.f.enterprise_contact_name": "企业联系人",
    "ap.f.enterprise_contact": "企业联系方式",
    "ap.f.enterprise_profile": "企业简介",
    "ap.f.issue": "具体问题诉求",
    "ap.f.suggestions": "相关建议",
    "ap.f.source": "诉求来源渠道",
    "ap.h.enterprise_name": "工商营业执照上注册名称",
    "ap.h.enterprise_contact": "电话或邮箱，以便后续核实信息",
    "ap.h.enterprise_profile": "包括母公司情况、进入中国时间、在华发展情况、近期项目等",
    "ap.h.issue": "尽量具体、详细、准确",
    "ap.submit": "提交",
    "ap.submitted": "已提交：{name}",
    "ap.errors": "请修改以下问题：",
    "ap.list": "诉求清单",
    "ap.none": "暂无可查看的诉求。",
    "ap.col_enterprise": "企业名称",
    "ap.col_industry": "行业领域",
    "ap.col_source": "来源",
    "ap.col_received": "接收时间",
    "ap.col_status": "状态",
    "ap.col_flags": "逾期提示",
    "ap.detail": "诉求详情",
    "ap.pick": "在清单中选择一条诉求查看详情。",
    "ap.history": "办理记录",
    "ap.feedback_list": "向企业反馈",
    "ap.attachments": "附页",
    "ap.actions": "可执行操作",
    "ap.no_actions": "当前没有您可执行的操作。",
    "ap.assigned_to": "主管单位：{unit}",
    "ap.level": "层级",
    "ap.category": "类别",
    "ap.note": "说明",
    "ap.unit": "主管单位",
    "ap.resolution": "办理结果",
    "ap.summary": "办理情况",
    "ap.fb_kind": "反馈类型",
    "ap.fb_text": "反馈内容",
    "ap.fb_via": "反馈方式",
    "ap.done": "已完成：{action}",
    "ap.reports": "定期报表",
    "ap.date": "日期",
    "ap.weekly": "周汇总表",
    "ap.monthly": "月度报告",
    "ap.csv": "导出 CSV",
    "ap.approve": "审定",
    "ap.approved": "已审定（{by}，{at}）",
    "ap.approved_done": "报表已审定",
    "ap.not_approved": "未审定（根据当前数据生成）",
    "ap.form2": "外资企业问题诉求汇总表",
    "ap.form2_head": "报送单位：{unit}　报送日期：{date}　联系人和联系方式：{contact}",
    "ap.window": "收集窗口 {opens} 至 {closes}，报送截止 {due}",
    "ap.empty_rows": "该窗口没有诉求。",
    "ap.overdue": "逾期事项",
    "ap.month_head": "{y}年{m}月：成员单位报送至 {m1}（含当日），专班报送至 {m4}（含当日）",
    "ap.counts": "统计",
    "ap.total": "合计",
    "ap.carried": "往期未办结",
    "ap.status.received": "已接收",
    "ap.status.collected": "已采集",
    "ap.status.classified": "已分类",
    "ap.status.assigned": "已交办",
    "ap.status.escalated": "已报自治区专班",
    "ap.status.forwarded": "已转报中国贸促会",
    "ap.status.answered": "已有结果",
    "ap.status.closed": "已办结",
    "ap.status.rejected": "不予受理",
    "ap.action.collect": "采集入库",
    "ap.action.reject": "不予受理",
    "ap.action.classify": "分类",
    "ap.action.assign": "交办主管单位",
    "ap.action.escalate": "报自治区专班",
    "ap.action.forward": "转报中国贸促会",
    "ap.action.outcome": "登记结果",
    "ap.action.feedback": "向企业反馈",
    "ap.action.close": "办结",
    "ap.action.submit": "提交",
    "ap.flag.not_summarised": "未按时汇总报送",
    "ap.flag.escalation_no_outcome": "上报后久未答复",
    "ap.flag.coordination_no_outcome": "交办后久未办结",
    "ap.flag.feedback_overdue": "久未向企业反馈",
    "ap.flag.result_not_fed_back": "结果未反馈企业",
    "ap.level.city": "市级",
    "ap.level.regional": "自治区级",
    "ap.level.national": "国家级",
    "ap.cat.policy": "政策咨询",
    "ap.cat.approval": "审批服务",
    "ap.cat.customs_logistics": "通关物流",
    "ap.cat.labour": "用工人才",
    "ap.cat.finance": "融资金融",
    "ap.cat.land_energy": "用地能源",
    "ap.cat.market_access": "市场准入",
    "ap.cat.intellectual_property": "知识产权",
    "ap.cat.other": "其他",
    "ap.res.resolved": "已解决",
    "ap.res.partly_resolved": "部分解决",
    "ap.res.unresolved": "未解决",
    "ap.fb.progress": "办理进展",
    "ap.fb.result": "办理结果",
    "ap.src.website": "市投促局网站",
    "ap.src.mailbox": "投诉信箱",
    "ap.src.email": "电子邮箱",
    "ap.src.hotline": "投诉热线",
    "ap.src.visit": "走访座谈",
    "ap.src.phone_interview": "电话访问",
    "ap.src.questionnaire": "问卷调查",
    "ap.src.platform": "亲商安商平台",
    "ap.src.member_unit": "成员单位报送",
    "ap.pending": "待办",
    "ap.level.unclassified": "未分类",
    "ap.res.pending": "待办理"
  },
  "en": {
    "ap.title": "Foreign-enterprise appeals",
    "ap.subtitle": "Liuzhou task force serving foreign-invested enterprises (柳政办〔2022〕65号)",
    "ap.me_lead": "You act as the task force's leadership and may do everything.",
    "ap.me_unit": "Your unit: {unit} ({groups})",
    "ap.me_none": "in no working group",
    "ap.group.leadership": "Leadership",
    "ap.group.general": "General group",
    "ap.group.collection": "Collection group",
    "ap.group.coordination": "Coordination group",
    "ap.group.member": "Member unit",
    "ap.cadence": "Reporting cadence",
    "ap.cadence_text": "Current collection window {opens} to {closes} (member units' deadline); summary table due {due}.",
    "ap.form": "Appeal collection form",
    "ap.form_note": "* required; long content may go on attached pages.",
    "ap.f.reporting_unit": "Reporting unit",
    "ap.f.reporting_date": "Reporting date",
    "ap.f.reporting_contact_name": "Reporting unit contact person",
    "ap.f.reporting_contact": "Reporting unit contact details",
    "ap.f.enterprise_name": "Full name of the enterprise",
    "ap.f.industry": "Industry sector",
    "ap.f.location_province": "Province/region/municipality",
    "ap.f.parent_country": "Parent company's country",
    "ap.f.registered_capital_10k_usd": "Registered capital (10,000 USD)",
    "ap.f.enterprise_contact_name": "Enterprise contact person",
    "ap.f.enterprise_contact": "Enterprise contact details",
    "ap.f.enterprise_profile": "Enterprise profile",
    "ap.f.issue": "Specific issue / appeal",
    "ap.f.suggestions": "Related suggestions",
    "ap.f.source": "Intake channel",
    "ap.h.enterprise_name": "The registered name on the business licence",
    "ap.h.enterprise_contact": "Phone or e-mail, so the information can be verified",
    "ap.h.enterprise_profile": "Parent company, entry into China, development in China, recent projects",
    "ap.h.issue": "As specific, detailed and accurate as possible",
    "ap.submit": "Submit",
    "ap.submitted": "Submitted: {name}",
    "ap.errors": "Please correct:",
    "ap.list": "Appeals",
    "ap.none": "No appeals you may read.",
    "ap.col_enterprise": "Enterprise",
    "ap.col_industry": "Industry",
    "ap.col_source": "Channel",
    "ap.col_received": "Received",
    "ap.col_status": "Status",
    "ap.col_flags": "Overdue",
    "ap.detail": "Appeal",
    "ap.pick": "Pick an appeal in the list to see it.",
    "ap.history": "History",
    "ap.feedback_list": "Feedback to the enterprise",
    "ap.attachments": "Attached pages",
    "ap.actions": "Actions",
    "ap.no_actions": "Nothing you may do now.",
    "ap.assigned_to": "Competent unit: {unit}",
    "ap.level": "Level",
    "ap.category": "Category",
    "ap.note": "Note",
    "ap.unit": "Competent unit",
    "ap.resolution": "Resolution",
    "ap.summary": "What was done",
    "ap.fb_kind": "Feedback type",
    "ap.fb_text": "What the enterprise was told",
    "ap.fb_via": "How",
    "ap.done": "Done: {action}",
    "ap.reports": "Scheduled reports",
    "ap.date": "Date",
    "ap.weekly": "Weekly summary table",
    "ap.monthly": "Monthly report",
    "ap.csv": "Export CSV",
    "ap.approve": "Approve",
    "ap.approved": "Approved ({by}, {at})",
    "ap.approved_done": "Report approved",
    "ap.not_approved": "Not approved (generated from the current data)",
    "ap.form2": "Appeal summary table",
    "ap.form2_head": "Reporting unit: {unit}  Date: {date}  Contact: {contact}",
    "ap.window": "Collection window {opens} to {closes}, due {due}",
    "ap.empty_rows": "No appeals in this window.",
    "ap.overdue": "Overdue items",
    "ap.month_head": "{m}/{y}: member units due by the end of {m1}, task force by the end of {m4}",
    "ap.counts": "Counts",
    "ap.total": "Total",
    "ap.carried": "Open from earlier periods",
    "ap.status.received": "Received",
    "ap.status.collected": "Collected",
    "ap.status.classified": "Classified",
    "ap.status.assigned": "Assigned",
    "ap.status.escalated": "Escalated to the region",
    "ap.status.forwarded": "Forwarded to CCPIT",
    "ap.status.answered": "Outcome recorded",
    "ap.status.closed": "Closed",
    "ap.status.rejected": "Rejected",
    "ap.action.collect": "Collect",
    "ap.action.reject": "Reject",
    "ap.action.classify": "Classify",
    "ap.action.assign": "Assign to unit",
    "ap.action.escalate": "Escalate to the region",
    "ap.action.forward": "Forward to CCPIT",
    "ap.action.outcome": "Record outcome",
    "ap.action.feedback": "Feed back",
    "ap.action.close": "Close",
    "ap.action.submit": "Submit",
    "ap.flag.not_summarised": "Not summarised in time",
    "ap.flag.escalation_no_outcome": "Escalated, no answer",
    "ap.flag.coordination_no_outcome": "Assigned, no outcome",
    "ap.flag.feedback_overdue": "Enterprise not updated",
    "ap.flag.result_not_fed_back": "Result not fed back",
    "ap.level.city": "City",
    "ap.level.regional": "Regional",
    "ap.level.national": "National",
    "ap.cat.policy": "Policy",
    "ap.cat.approval": "Approvals",
    "ap.cat.customs_logistics": "Customs and logistics",
    "ap.cat.labour": "Labour and talent",
    "ap.cat.finance": "Finance",
    "ap.cat.land_energy": "Land and energy",
    "ap.cat.market_access": "Market access",
    "ap.cat.intellectual_property": "Intellectual property",
    "ap.cat.other": "Other",
    "ap.res.resolved": "Resolved",
    "ap.res.partly_resolved": "Partly resolved",
    "ap.res.unresolved": "Unresolved",
    "ap.fb.progress": "Progress",
    "ap.fb.result": "Result",
    "ap.src.website": "Investment bureau website",
    "ap.src.mailbox": "Complaints letterbox",
    "ap.src.email": "E-mail",
    "ap.src.hotline": "Complaints hotline",
    "ap.src.visit": "Visit / round table",
    "ap.src.phone_interview": "Phone interview",
    "ap.src.questionnaire": "Questionnaire",
    "ap.src.platform": "亲商安商 platforms",
    "ap.src.member_unit": "Member unit report",
    "ap.pending": "Pending",
    "ap.level.unclassified": "Unclassified",
    "ap.res.pending": "Pending"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const A = '/api/v1/gov/appeals';
const FIELDS = [
  ['reporting_unit', 'text', true], ['reporting_date', 'date', true], ['reporting_contact_name', 'text', true],
  ['reporting_contact', 'text', true], ['enterprise_name', 'text', true], ['industry', 'industry', true],
  ['location_province', 'text', false], ['parent_country', 'text', false], ['registered_capital_10k_usd', 'number', false],
  ['enterprise_contact_name', 'text', false], ['enterprise_contact', 'text', true], ['enterprise_profile', 'long', false],
  ['issue', 'long', true], ['suggestions', 'long', false],
];
const INDUSTRIES = ['化工能源', '电子信息', '机电装备', '汽车', '医疗健康', '纺织服装', '农业', '食品', '批发零售', '信息技术服务', '金融', '交通运输', '旅游住宿娱乐'];
const SOURCES = ['member_unit', 'website', 'mailbox', 'email', 'hotline', 'visit', 'phone_interview', 'questionnaire', 'platform'];
const LEVELS = ['city', 'regional', 'national'];
const CATEGORIES = ['policy', 'approval', 'customs_logistics', 'labour', 'finance', 'land_energy', 'market_access', 'intellectual_property', 'other'];
const COLS13 = ['序号', '企业名称', '母公司国别/地区', '行业领域', '所在省市区', '注册资本(万美元)', '企业简介', '问题和诉求', '相关建议', '企业联系人和联系方式', '报送单位', '报送日期', '备注'];

let S = null;

const when = (s) => (s ? fmtDateTime(s) : '');
const statusBadge = (s) => badge(t(`ap.status.${s}`), { closed: 'ok', rejected: 'muted', received: 'warn' }[s] || 'info');

export async function render(root, ctx) {
  S = { ctx, chosen: null, reportKind: 'weekly', date: beijingToday() };
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('ap.title') }),
    h('span', { class: 'page-meta', text: t('ap.subtitle') })));
  try {
    [S.config, S.dues] = await Promise.all([api(`${A}/config`), api(`${A}/dues`).catch(() => null)]);
  } catch (e) {
    root.appendChild(errorBox(e));
    return;
  }
  if (!ctx.isCurrent()) return;
  S.listEl = h('div', { id: 'ap-list-slot' });
  S.detailEl = h('div', { id: 'ap-detail' }, h('p', { class: 'muted', text: t('ap.pick') }));
  S.reportEl = h('div', { id: 'ap-report' });
  root.appendChild(h('p', { id: 'ap-me', class: 'muted', text: standingText() }));
  root.appendChild(h('p', { id: 'ap-cadence', class: 'small muted', text: cadenceText(S.dues) }));
  const top = h('div', { class: 'grid-2', style: { display: 'grid', gridTemplateColumns: 'minmax(0,3fr) minmax(0,2fr)', gap: '1rem' } },
    card(t('ap.list'), S.listEl), card(t('ap.detail'), S.detailEl));
  root.appendChild(top);
  if (maySubmit()) root.appendChild(card(t('ap.form'), collectionForm()));
  if (mayReport()) root.appendChild(card(t('ap.reports'), reportControls(), S.reportEl));
  await refreshList();
  // `#/appeals?id=<appeal>` (from the to-do list) opens that appeal.
  const wanted = ctx.params.get('id');
  if (wanted && S) await showAppeal(wanted);
  if (mayReport()) await loadReport();
}

function groups() { return (S.config.me && S.config.me.groups) || []; }
function maySubmit() { return groups().some((g) => ['leadership', 'general', 'collection', 'coordination', 'member'].includes(g)); }
function mayReport() { return groups().some((g) => ['leadership', 'general', 'collection'].includes(g)); }

function standingText() {
  const g = groups();
  if (g.includes('leadership')) return t('ap.me_lead');
  const names = g.length ? g.map((x) => t(`ap.group.${x}`)).join(lang() === 'zh' ? '、' : ', ') : t('ap.me_none');
  return t('ap.me_unit', { unit: S.config.me.unit_name || '', groups: names });
}

function cadenceText(d) {
  if (!d) return '';
  const w = d.window_now;
  return `${t('ap.cadence')}：${t('ap.cadence_text', { opens: when(w.opens), closes: when(w.closes), due: when(w.summary_due) })}`;
}

// ---------------------------------------------------------------- the list

async function refreshList() {
  let v;
  try {
    v = await api(A);
  } catch (e) {
    clear(S.listEl).appendChild(errorBox(e));
    return;
  }
  if (!S) return;
  S.appeals = v.appeals;
  const cols = ['col_enterprise', 'col_industry', 'col_source', 'col_received', 'col_status', 'col_flags'].map((k) => ({ label: t(`ap.${k}`) }));
  const list = S.appeals.length
    ? table(cols, S.appeals.map(appealRow), { id: 'ap-list' })
    : h('p', { class: 'muted', id: 'ap-list', text: t('ap.none') });
  clear(S.listEl).appendChild(list);
  if (S.chosen) showAppeal(S.chosen);
}

function appealRow(a) {
  const flags = (a.flags || []).map((f) => badge(t(`ap.flag.${f}`), 'warn'));
  const tr = h('tr', { class: 'clickable', dataset: { appeal: a.id, status: a.status, flags: (a.flags || []).join(' ') } },
    h('td', null, a.form.enterprise_name),
    h('td', null, (a.classification && a.classification.industry) || a.form.industry),
    h('td', null, t(`ap.src.${a.source}`)),
    h('td', null, when(a.received_at)),
    h('td', null, statusBadge(a.status)),
    h('td', { class: 'ap-flags' }, flags.length ? flags : t('common.dash')));
  tr.addEventListener('click', () => showAppeal(a.id));
  return tr;
}

// ---------------------------------------------------------------- one appeal

async function showAppeal(id) {
  S.chosen = id;
  document.querySelectorAll('#ap-list tr.chosen').forEach((r) => r.classList.remove('chosen'));
  const row = document.querySelector(`#ap-list tr[data-appeal="${CSS.escape(id)}"]`);
  if (row) row.classList.add('chosen');
  let a;
  try {
    a = await api(`${A}/${encodeURIComponent(id)}`);
  } catch (e) {
    clear(S.detailEl).appendChild(errorBox(e));
    return;
  }
  const f = a.form;
  const rows = FIELDS.map(([k]) => h('tr', null, h('th', { text: t(`ap.f.${k}`) }), h('td', { text: f[k] === null || f[k] === undefined ? '' : String(f[k]) })));
  rows.push(h('tr', null, h('th', { text: t('ap.f.source') }), h('td', { text: t(`ap.src.${a.source}`) })));
  const c = a.classification;
  if (c) rows.push(h('tr', null, h('th', { text: t('ap.level') }), h('td', { text: `${t(`ap.level.${c.level}`)} · ${t(`ap.cat.${c.category}`)}` })));
  const history = h('ol', { class: 'ap-history', id: 'ap-history' }, a.history.map((s) => h('li', { dataset: { action: s.action } },
    h('strong', { text: t(`ap.action.${s.action}`) }), ' → ', statusBadge(s.to), ` ${when(s.at)} ${s.by}${s.note ? `：${s.note}` : ''}`)));
  const fb = (a.feedback || []).map((x) => h('li', null, `${t(`ap.fb.${x.kind}`)} ${when(x.at)}：${x.text}${x.via ? `（${x.via}）` : ''}`));
  clear(S.detailEl).appendChild(h('div', null,
    h('div', { id: 'ap-detail-head' }, h('strong', { text: f.enterprise_name }), ' ', statusBadge(a.status),
      a.assigned_unit_name ? h('div', { class: 'small muted', text: t('ap.assigned_to', { unit: a.assigned_unit_name }) }) : null,
      (a.flags || []).map((x) => badge(t(`ap.flag.${x}`), 'warn'))),
    h('h3', { text: t('ap.actions') }), actionsPanel(a),
    h('h3', { text: t('ap.history') }), history,
    fb.length ? h('h3', { text: t('ap.feedback_list') }) : null, fb.length ? h('ul', null, fb) : null,
    attachmentList(a),
    h('table', { class: 'table ap-fields' }, h('tbody', null, rows))));
}

function attachmentList(a) {
  const files = a.attachments || [];
  if (!files.length) return null;
  return h('div', { id: 'ap-attachments' }, h('h3', { text: t('ap.attachments') }), h('ul', null, files.map((f) => h('li', null,
    h('a', { href: `/api/v1/gov/attachments/${encodeURIComponent(f.id)}`, text: f.file_name }), ` (${Math.ceil((f.size || 0) / 1024)} KiB)`))));
}

function actionInputs(action) {
  const opts = (list, prefix) => list.map((v) => [v, t(`${prefix}.${v}`)]);
  const note = () => field(t('ap.note'), h('input', { name: 'note', type: 'text' }));
  switch (action) {
    case 'classify': return [field(t('ap.level'), select(opts(LEVELS, 'ap.level'), 'city', { name: 'level' })),
      field(t('ap.category'), select(opts(CATEGORIES, 'ap.cat'), 'policy', { name: 'category' }))];
    case 'assign': return [field(t('ap.unit'), select(S.config.units.map((u) => [u.id, u.name]), null, { name: 'unit_id' })), note()];
    case 'outcome': return [field(t('ap.resolution'), select(opts(['resolved', 'partly_resolved', 'unresolved'], 'ap.res'), 'resolved', { name: 'resolution' })),
      field(t('ap.summary'), h('input', { name: 'summary', type: 'text' }))];
    case 'feedback': return [field(t('ap.fb_kind'), select(opts(['progress', 'result'], 'ap.fb'), 'progress', { name: 'kind' })),
      field(t('ap.fb_text'), h('input', { name: 'text', type: 'text' })), field(t('ap.fb_via'), h('input', { name: 'via', type: 'text' }))];
    default: return [note()];
  }
}

function actionsPanel(a) {
  if (!a.allowed || !a.allowed.length) return h('p', { class: 'muted', id: 'ap-actions', text: t('ap.no_actions') });
  return h('div', { id: 'ap-actions' }, a.allowed.map((action) => {
    const box = h('form', { class: 'ap-action', dataset: { action },
      style: { display: 'flex', gap: '0.5rem', alignItems: 'flex-end', flexWrap: 'wrap', marginBottom: '0.6rem' } }, actionInputs(action),
      h('button', { type: 'submit', class: 'btn btn-small btn-primary ap-act', dataset: { action }, text: t(`ap.action.${action}`) }));
    box.addEventListener('submit', (ev) => { ev.preventDefault(); act(a, action, box); });
    return box;
  }));
}

async function act(a, action, box) {
  const body = { version: a.version };
  for (const el of box.querySelectorAll('[name]')) if (el.value !== '') body[el.name] = el.value;
  const btn = box.querySelector('button');
  btn.disabled = true;
  try {
    await api(`${A}/${encodeURIComponent(a.id)}/${action}`, { method: 'POST', body });
    toast(t('ap.done', { action: t(`ap.action.${action}`) }));
    await refreshList();
  } catch (e) {
    btn.disabled = false;
    toast(errorText(e), 'error');
  }
}

// ---------------------------------------------------------------- the collection form

function input(key, kind, required) {
  const attrs = { name: key, id: `ap-f-${key}`, required };
  if (kind === 'long') return h('textarea', Object.assign(attrs, { rows: 3 }));
  if (kind === 'date') return h('input', Object.assign(attrs, { type: 'date', value: beijingToday() }));
  if (kind === 'number') return h('input', Object.assign(attrs, { type: 'number', min: 0, step: 'any' }));
  if (kind === 'industry') return h('input', Object.assign(attrs, { type: 'text', list: 'ap-industries' }));
  const el = h('input', Object.assign(attrs, { type: 'text' }));
  if (key === 'reporting_unit' && S.config.me.unit_name) el.value = S.config.me.unit_name;
  return el;
}

function collectionForm() {
  const fields = FIELDS.map(([key, kind, req]) => h('div', { class: 'ap-field', dataset: { path: `form.${key}` } },
    field(`${t(`ap.f.${key}`)}${req ? ' *' : ''}`, input(key, kind, req)),
    t(`ap.h.${key}`) !== `ap.h.${key}` ? h('div', { class: 'small muted', text: t(`ap.h.${key}`) }) : null,
    h('div', { class: 'ap-field-error small', style: { color: '#b42318' } })));
  const source = h('div', { class: 'ap-field', dataset: { path: 'source' } },
    field(t('ap.f.source'), select(SOURCES.map((s) => [s, t(`ap.src.${s}`)]), 'member_unit', { name: 'source', id: 'ap-f-source' })),
    h('div', { class: 'ap-field-error small' }));
  S.form = h('form', { id: 'ap-form', novalidate: true },
    h('p', { class: 'small muted', text: t('ap.form_note') }),
    h('div', { class: 'ap-errors', hidden: true }),
    h('div', { style: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(16rem, 1fr))', gap: '0.5rem 1rem' } }, fields, source),
    h('datalist', { id: 'ap-industries' }, INDUSTRIES.map((x) => h('option', { value: x }))),
    h('button', { type: 'submit', class: 'btn btn-primary', id: 'ap-submit', text: t('ap.submit') }));
  S.form.addEventListener('submit', (ev) => { ev.preventDefault(); submitForm(); });
  return S.form;
}

async function submitForm() {
  const form = {};
  for (const [key, kind] of FIELDS) {
    const v = S.form.querySelector(`[name="${key}"]`).value.trim();
    if (v === '' && !['reporting_unit', 'reporting_contact_name', 'reporting_contact', 'enterprise_name', 'industry', 'enterprise_contact', 'issue'].includes(key)) continue;
    form[key] = kind === 'number' ? Number(v) : v;
  }
  showErrors([]);
  const btn = S.form.querySelector('#ap-submit');
  btn.disabled = true;
  try {
    const a = await api(A, { method: 'POST', body: { form, source: S.form.querySelector('[name="source"]').value } });
    toast(t('ap.submitted', { name: a.form.enterprise_name }));
    S.form.reset();
    S.chosen = a.id;
    await refreshList();
  } catch (e) {
    if (e && e.violations && e.violations.length) showErrors(e.violations);
    else toast(errorText(e), 'error');
  } finally {
    btn.disabled = false;
  }
}

function showErrors(violations) {
  S.form.querySelectorAll('.ap-field-error').forEach((e) => { e.textContent = ''; });
  const top = S.form.querySelector('.ap-errors');
  clear(top).hidden = true;
  const rest = [];
  for (const v of violations) {
    const slot = S.form.querySelector(`[data-path="${CSS.escape(v.field)}"] .ap-field-error`);
    if (slot) slot.textContent = v.message;
    else rest.push(v);
  }
  if (rest.length) {
    top.hidden = false;
    top.append(h('strong', { text: t('ap.errors') }), h('ul', null, rest.map((v) => h('li', { text: `${v.field}: ${v.message}` }))));
  }
}

// ---------------------------------------------------------------- reports

function reportControls() {
  const date = h('input', { type: 'date', id: 'ap-report-date', value: S.date });
  const kind = (k) => {
    const b = h('button', { type: 'button', class: 'btn btn-small', id: `ap-${k}-btn`, text: t(`ap.${k}`) });
    b.addEventListener('click', () => { S.reportKind = k; S.date = date.value || beijingToday(); loadReport(); });
    return b;
  };
  date.addEventListener('change', () => { S.date = date.value || beijingToday(); loadReport(); });
  return h('div', { class: 'ap-report-controls', style: { display: 'flex', gap: '0.5rem', alignItems: 'end', flexWrap: 'wrap' } },
    field(t('ap.date'), date), kind('weekly'), kind('monthly'));
}

async function loadReport() {
  const path = `${A}/reports/${S.reportKind}?date=${encodeURIComponent(S.date)}`;
  S.reportEl.dataset.state = 'loading';
  let r;
  try {
    r = await api(path);
  } catch (e) {
    clear(S.reportEl).appendChild(errorBox(e));
    return;
  }
  if (!S) return;
  clear(S.reportEl).dataset.kind = S.reportKind;
  S.reportEl.append(approval(r), ...(S.reportKind === 'weekly' ? weeklyView(r) : monthlyView(r)), overdueView(r));
  S.reportEl.dataset.state = 'done';
}

function approval(r) {
  const box = h('div', { class: 'ap-approval', id: 'ap-approval', dataset: { approved: r.approved ? 'yes' : 'no' } });
  if (r.approved) {
    box.append(badge(t('ap.approved', { by: r.approved.by, at: when(r.approved.at) }), 'ok'));
  } else {
    box.append(h('span', { class: 'muted', text: t('ap.not_approved') }), ' ');
    if (groups().includes('leadership')) {
      const b = h('button', { type: 'button', class: 'btn btn-small btn-primary', id: 'ap-approve', text: t('ap.approve') });
      b.addEventListener('click', async () => {
        b.disabled = true;
        try {
          await api(`${A}/reports/${S.reportKind}/approve`, { method: 'POST', body: { date: S.date } });
          toast(t('ap.approved_done'));
          await loadReport();
          await refreshList();
        } catch (e) {
          b.disabled = false;
          toast(errorText(e), 'error');
        }
      });
      box.append(b);
    }
  }
  if (S.reportKind === 'weekly') {
    box.append(' ', h('a', { class: 'btn btn-small', id: 'ap-csv', href: `${A}/reports/weekly/form2.csv?date=${encodeURIComponent(S.date)}`, text: t('ap.csv') }));
  }
  return box;
}

function weeklyView(r) {
  const w = r.window;
  const head = r.header;
  const rows = r.rows.map((x) => h('tr', { dataset: { appeal: x.appeal_id } }, [x.seq, x.enterprise_name, x.parent_country, x.industry, x.location,
    x.registered_capital, x.profile, x.issue, x.suggestions, x.enterprise_contact, x.reporting_unit, x.reporting_date, x.remarks]
    .map((c) => h('td', { text: String(c) }))));
  return [
    h('h3', { text: t('ap.form2') }),
    h('p', { class: 'small', text: t('ap.form2_head', { unit: head.reporting_unit, date: head.reporting_date, contact: head.reporting_contact || t('common.dash') }) }),
    h('p', { class: 'small muted', id: 'ap-window', text: t('ap.window', { opens: when(w.opens), closes: when(w.closes), due: when(w.summary_due) }) }),
    rows.length ? table(COLS13.map((label) => ({ label })), rows, { id: 'ap-form2' }) : h('p', { class: 'muted', id: 'ap-form2', text: t('ap.empty_rows') }),
  ];
}

function monthlyView(r) {
  const m = r.month;
  const counts = r.counts;
  const line = (label, obj, prefix) => h('div', null, h('strong', { text: `${label}：` }),
    Object.entries(obj).map(([k, n]) => `${prefix ? t(`${prefix}.${k}`) : k} ${n}`).join('　') || t('common.dash'));
  const rows = r.rows.map((x) => h('tr', { dataset: { appeal: x.appeal_id } },
    h('td', { text: x.enterprise_name }), h('td', { text: x.industry }), h('td', { text: x.level ? t(`ap.level.${x.level}`) : t('common.dash') }),
    h('td', null, statusBadge(x.status)), h('td', { text: x.resolution ? t(`ap.res.${x.resolution}`) : t('ap.pending') }),
    h('td', { text: x.outcome_summary || '' })));
  return [
    h('h3', { id: 'ap-month-head', text: t('ap.month_head', { y: m.year, m: m.month, m1: m.m1.day, m4: m.m4.day }) }),
    rows.length ? table(['col_enterprise', 'col_industry', 'level', 'col_status', 'resolution', 'summary'].map((k) => ({ label: t(`ap.${k}`) })), rows, { id: 'ap-monthly' })
      : h('p', { class: 'muted', id: 'ap-monthly', text: t('ap.none') }),
    h('div', { class: 'small' }, h('h3', { text: t('ap.counts') }),
      h('div', null, `${t('ap.total')} ${counts.total}　${t('ap.carried')} ${r.carried_over_open}`),
      line(t('ap.level'), counts.by_level, 'ap.level'), line(t('ap.col_status'), counts.by_status, 'ap.status'),
      line(t('ap.col_industry'), counts.by_industry, null), line(t('ap.resolution'), counts.by_resolution, 'ap.res')),
  ];
}

function overdueView(r) {
  if (!r.overdue || !r.overdue.length) return h('div', { id: 'ap-overdue' });
  return h('div', { id: 'ap-overdue' }, h('h3', { text: t('ap.overdue') }), h('ul', null, r.overdue.map((o) => h('li', null,
    `${o.enterprise_name}（${t(`ap.status.${o.status}`)}）：`, o.flags.map((f) => badge(t(`ap.flag.${f}`), 'warn'))))));
}
