// 产教对接 Industry–education matching (issue 29, 69号). An enterprise posts demands (jobs,
// internships, joint training, R&D problems) and sees the colleges' supply ranked for each, with the
// score per criterion, the skills matched and missing, and the near misses with the rules they fail;
// a college does the same the other way; the education bureau (officials), regulators and admins
// read the statistics: supply against demand per tag with the gaps, the match rate, the demands
// nothing serves. Tags come from GET /tags with their Chinese and English labels.
//
// The poster edits an open post of its own in the same form (编辑 in its list): the form takes
// the post's values and PUT replaces the post at the `version` read; when someone changed it
// meanwhile (409 on `version`) the form says so and takes the latest post instead.
import { t, addStrings, lang, fmtNum, fmtPct } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { h, clear, card, table, noData, errorBox, errorText, toast, select, field, badge } from '../ui.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "talent.title": "产教对接",
    "talent.subtitle": "产教融合信息服务平台（69号）：企业需求与院校供给双向匹配，数字人才标签",
    "talent.form_demand": "发布企业需求",
    "talent.form_supply": "发布院校供给",
    "talent.my_demands": "我的需求",
    "talent.my_supplies": "我的供给",
    "talent.all_demands": "企业需求",
    "talent.all_supplies": "院校供给",
    "talent.f_kind": "类型",
    "talent.f_title": "标题",
    "talent.f_description": "说明",
    "talent.f_industry_tags": "行业标签",
    "talent.f_skill_tags": "技能标签",
    "talent.f_headcount": "需求人数",
    "talent.f_capacity": "可供人数/名额",
    "talent.f_min_education": "最低学历",
    "talent.f_education": "学历层次",
    "talent.f_start": "开始日期",
    "talent.f_end": "结束日期（可空）",
    "talent.f_available_from": "可供起始日期",
    "talent.f_available_until": "可供截止日期（可空）",
    "talent.f_county": "所在区县",
    "talent.f_on_site": "须到企业现场",
    "talent.f_max_km": "现场距离上限（公里）",
    "talent.f_submit": "发布并查看匹配",
    "talent.f_any": "不限",
    "talent.f_none": "未填",
    "talent.f_tags_hint": "每类最多 {n} 个",
    "talent.f_county_hint": "位置按区县政府驻地估算",
    "talent.posted": "已发布：{title}",
    "talent.closed_done": "已关闭：{title}",
    "talent.col_title": "标题",
    "talent.col_kind": "类型",
    "talent.col_tags": "标签",
    "talent.col_count": "人数/名额",
    "talent.col_status": "状态",
    "talent.col_party": "发布方",
    "talent.col_actions": "操作",
    "talent.show_matches": "查看匹配",
    "talent.close": "关闭",
    "talent.edit": "编辑",
    "talent.form_edit_demand": "修改需求",
    "talent.form_edit_supply": "修改供给",
    "talent.editing": "正在修改「{title}」（第 {version} 版）",
    "talent.f_save": "保存修改",
    "talent.saved": "已保存：{title}",
    "talent.conflict": "「{title}」已被他人修改（现为第 {version} 版），未保存您的修改。表单已载入最新内容，请核对后重新保存。",
    "talent.closed_meanwhile": "「{title}」已关闭，不能再修改。",
    "talent.status.open": "开放",
    "talent.status.closed": "已关闭",
    "talent.no_posts": "暂无发布。",
    "talent.matches_for": "「{title}」的匹配结果",
    "talent.matches_pick": "选择一条发布查看匹配结果。",
    "talent.matches_summary": "比对 {considered} 条开放发布，{compatible} 条符合全部硬性条件，按综合得分排序。",
    "talent.no_matches": "没有符合全部硬性条件的对象。",
    "talent.near_misses": "未通过硬性条件的对象（按得分）",
    "talent.score": "{score} 分",
    "talent.rank": "第 {n} 名",
    "talent.matched_skills": "已具备技能",
    "talent.missing_skills": "缺少技能",
    "talent.extra_skills": "额外技能",
    "talent.matched_industries": "共同行业",
    "talent.none": "无",
    "talent.breakdown": "得分构成",
    "talent.col_criterion": "指标",
    "talent.col_weight": "权重",
    "talent.col_value": "满足度",
    "talent.col_points": "得分",
    "talent.col_detail": "说明",
    "talent.crit.skills": "技能匹配",
    "talent.crit.industry": "行业匹配",
    "talent.crit.distance": "距离/区县",
    "talent.crit.timing": "时间衔接",
    "talent.crit.headcount": "人数覆盖",
    "talent.d.skills": "需求的 {n} 项技能中具备 {hit} 项",
    "talent.d.no_skills": "需求未列技能",
    "talent.d.industry_same": "同属 {tags}",
    "talent.d.industry_none": "无共同行业",
    "talent.d.industry_unknown": "一方未填行业",
    "talent.d.km": "相距 {km} 公里",
    "talent.d.same_county": "同一区县",
    "talent.d.same_city": "同城不同区县",
    "talent.d.elsewhere": "不在同一城市",
    "talent.d.unknown_place": "位置未填",
    "talent.d.on_time": "开始前即可到位",
    "talent.d.late": "比开始日期晚 {n} 天到位",
    "talent.d.covers": "可满足 {a}/{b} 人（可供 {c}）",
    "talent.excluded_by": "未通过",
    "talent.reason.kind.incompatible": "类型不对口",
    "talent.reason.capacity.short": "人数不足",
    "talent.reason.availability.too_late": "到位太晚",
    "talent.reason.availability.ended": "可供期已过",
    "talent.reason.education.below": "学历不足",
    "talent.reason.education.unstated": "未注明学历",
    "talent.reason.location.too_far": "距离超出",
    "talent.reason.location.unknown": "距离无法确认",
    "talent.kind.job": "招聘岗位",
    "talent.kind.internship": "实习岗位",
    "talent.kind.joint_training": "联合培养",
    "talent.kind.rd_problem": "技术攻关",
    "talent.kind.programme": "专业/订单班",
    "talent.kind.graduates": "毕业生",
    "talent.kind.lab": "实验室/实训基地",
    "talent.kind.teacher": "师资",
    "talent.edu.secondary_vocational": "中职",
    "talent.edu.higher_vocational": "高职/专科",
    "talent.edu.bachelor": "本科",
    "talent.edu.master": "硕士",
    "talent.edu.doctorate": "博士",
    "talent.stats": "供需统计（教育局）",
    "talent.stat_demands": "开放需求",
    "talent.stat_supplies": "开放供给",
    "talent.stat_rate": "需求匹配率",
    "talent.stat_unmatched": "未匹配需求",
    "talent.skills_balance": "技能标签供需对比",
    "talent.industries_balance": "行业标签供需对比",
    "talent.col_tag": "标签",
    "talent.col_demand_posts": "需求条数",
    "talent.col_demand_headcount": "需求人数",
    "talent.col_supply_posts": "供给条数",
    "talent.col_supply_capacity": "供给人数/名额",
    "talent.col_gap": "缺口",
    "talent.gap_short": "缺 {n}",
    "talent.gap_surplus": "余 {n}",
    "talent.gap_even": "持平",
    "talent.by_county": "分区县发布数",
    "talent.col_county": "区县",
    "talent.col_demands": "需求",
    "talent.col_supplies": "供给",
    "talent.unmatched": "无对象可匹配的需求",
    "talent.col_nobody": "无人提供的技能",
    "talent.col_nearest": "最接近的供给及未通过原因",
    "talent.county.450202": "城中区",
    "talent.county.450203": "鱼峰区",
    "talent.county.450204": "柳南区",
    "talent.county.450205": "柳北区",
    "talent.county.450206": "柳江区",
    "talent.county.450222": "柳城县",
    "talent.county.450223": "鹿寨县",
    "talent.county.450224": "融安县",
    "talent.county.450225": "融水苗族自治县",
    "talent.county.450226": "三江侗族自治县",
    "talent.county.unknown": "未填",
    "talent.why.kind.incompatible": "{d}对接{want}，此项为{s}",
    "talent.why.capacity.short": "每家至少需 {min} 人（共需 {n} 人），此项仅可供 {cap}",
    "talent.why.availability.too_late": "需求期 {start} 至 {end}，此项 {from} 起才可供",
    "talent.why.availability.ended": "需求自 {start} 开始，此项仅可供至 {until}",
    "talent.why.education.below": "要求{min}及以上，此项为{level}",
    "talent.why.education.unstated": "要求{min}及以上，此项未注明学历",
    "talent.why.location.too_far": "须在 {max} 公里内到场，此项相距 {km} 公里",
    "talent.why.location.unknown": "须在 {max} 公里内到场，双方无坐标且不在同一区县",
    "talent.or": "或",
    "talent.v.required": "必填",
    "talent.v.too_long": "内容过长",
    "talent.v.too_many": "标签过多",
    "talent.v.unknown_tag": "不是平台标签",
    "talent.v.duplicate": "重复",
    "talent.v.out_of_range": "超出范围",
    "talent.v.invalid": "格式不正确",
    "talent.nearest_is": "最接近：{title}"
  },
  "en": {
    "talent.title": "Industry–education matching",
    "talent.subtitle": "The industry–education platform (No. 69): enterprises' demands and colleges' supply matched both ways, with digital talent tags",
    "talent.form_demand": "Post a demand",
    "talent.form_supply": "Post supply",
    "talent.my_demands": "My demands",
    "talent.my_supplies": "My supply",
    "talent.all_demands": "Enterprises' demands",
    "talent.all_supplies": "Colleges' supply",
    "talent.f_kind": "Kind",
    "talent.f_title": "Title",
    "talent.f_description": "Description",
    "talent.f_industry_tags": "Industry tags",
    "talent.f_skill_tags": "Skill tags",
    "talent.f_headcount": "Headcount",
    "talent.f_capacity": "People / places offered",
    "talent.f_min_education": "Minimum education",
    "talent.f_education": "Education level",
    "talent.f_start": "Start",
    "talent.f_end": "End (optional)",
    "talent.f_available_from": "Available from",
    "talent.f_available_until": "Available until (optional)",
    "talent.f_county": "County",
    "talent.f_on_site": "On site at the enterprise",
    "talent.f_max_km": "On-site reach (km)",
    "talent.f_submit": "Post and see matches",
    "talent.f_any": "Any",
    "talent.f_none": "Not given",
    "talent.f_tags_hint": "At most {n} of each",
    "talent.f_county_hint": "Placed at the county seat",
    "talent.posted": "Posted: {title}",
    "talent.closed_done": "Closed: {title}",
    "talent.col_title": "Title",
    "talent.col_kind": "Kind",
    "talent.col_tags": "Tags",
    "talent.col_count": "People / places",
    "talent.col_status": "Status",
    "talent.col_party": "Posted by",
    "talent.col_actions": "Actions",
    "talent.show_matches": "Matches",
    "talent.close": "Close",
    "talent.edit": "Edit",
    "talent.form_edit_demand": "Edit the demand",
    "talent.form_edit_supply": "Edit the supply",
    "talent.editing": "Editing “{title}” (version {version})",
    "talent.f_save": "Save changes",
    "talent.saved": "Saved: {title}",
    "talent.conflict": "Someone else changed “{title}” meanwhile (now version {version}); your changes were not saved. The form now holds the latest content: check it and save again.",
    "talent.closed_meanwhile": "“{title}” is closed and can no longer be edited.",
    "talent.status.open": "Open",
    "talent.status.closed": "Closed",
    "talent.no_posts": "Nothing posted yet.",
    "talent.matches_for": "Matches for “{title}”",
    "talent.matches_pick": "Pick a post to see its matches.",
    "talent.matches_summary": "{considered} open posts weighed, {compatible} pass every hard rule, ranked by score.",
    "talent.no_matches": "Nothing passes every hard rule.",
    "talent.near_misses": "Failing a hard rule (by score)",
    "talent.score": "{score} points",
    "talent.rank": "No. {n}",
    "talent.matched_skills": "Skills offered",
    "talent.missing_skills": "Skills missing",
    "talent.extra_skills": "Other skills",
    "talent.matched_industries": "Shared industries",
    "talent.none": "none",
    "talent.breakdown": "Score breakdown",
    "talent.col_criterion": "Criterion",
    "talent.col_weight": "Weight",
    "talent.col_value": "Met",
    "talent.col_points": "Points",
    "talent.col_detail": "Detail",
    "talent.crit.skills": "Skills",
    "talent.crit.industry": "Industry",
    "talent.crit.distance": "Distance / county",
    "talent.crit.timing": "Timing",
    "talent.crit.headcount": "Headcount",
    "talent.d.skills": "{hit} of the {n} skills asked",
    "talent.d.no_skills": "no skills asked",
    "talent.d.industry_same": "both in {tags}",
    "talent.d.industry_none": "no industry in common",
    "talent.d.industry_unknown": "one side names no industry",
    "talent.d.km": "{km} km apart",
    "talent.d.same_county": "same county",
    "talent.d.same_city": "same city, another county",
    "talent.d.elsewhere": "another city",
    "talent.d.unknown_place": "place not given",
    "talent.d.on_time": "available by the start",
    "talent.d.late": "available {n} days after the start",
    "talent.d.covers": "covers {a} of {b} (offers {c})",
    "talent.excluded_by": "Fails",
    "talent.reason.kind.incompatible": "wrong kind",
    "talent.reason.capacity.short": "too few people",
    "talent.reason.availability.too_late": "available too late",
    "talent.reason.availability.ended": "no longer available",
    "talent.reason.education.below": "education below the minimum",
    "talent.reason.education.unstated": "education not stated",
    "talent.reason.location.too_far": "too far for on-site work",
    "talent.reason.location.unknown": "distance cannot be confirmed",
    "talent.kind.job": "Job",
    "talent.kind.internship": "Internship",
    "talent.kind.joint_training": "Joint training",
    "talent.kind.rd_problem": "R&D problem",
    "talent.kind.programme": "Programme / order class",
    "talent.kind.graduates": "Graduates",
    "talent.kind.lab": "Lab / training base",
    "talent.kind.teacher": "Teachers",
    "talent.edu.secondary_vocational": "Secondary vocational",
    "talent.edu.higher_vocational": "Higher vocational",
    "talent.edu.bachelor": "Bachelor",
    "talent.edu.master": "Master",
    "talent.edu.doctorate": "Doctorate",
    "talent.stats": "Supply and demand (education bureau)",
    "talent.stat_demands": "Open demands",
    "talent.stat_supplies": "Open supply",
    "talent.stat_rate": "Demands matched",
    "talent.stat_unmatched": "Unmatched demands",
    "talent.skills_balance": "Supply against demand per skill tag",
    "talent.industries_balance": "Supply against demand per industry tag",
    "talent.col_tag": "Tag",
    "talent.col_demand_posts": "Demands",
    "talent.col_demand_headcount": "People wanted",
    "talent.col_supply_posts": "Supplies",
    "talent.col_supply_capacity": "People / places offered",
    "talent.col_gap": "Gap",
    "talent.gap_short": "short {n}",
    "talent.gap_surplus": "surplus {n}",
    "talent.gap_even": "even",
    "talent.by_county": "Posts per county",
    "talent.col_county": "County",
    "talent.col_demands": "Demands",
    "talent.col_supplies": "Supplies",
    "talent.unmatched": "Demands nothing serves",
    "talent.col_nobody": "Skills nobody offers",
    "talent.col_nearest": "Nearest supply and why it fails",
    "talent.county.450202": "Chengzhong",
    "talent.county.450203": "Yufeng",
    "talent.county.450204": "Liunan",
    "talent.county.450205": "Liubei",
    "talent.county.450206": "Liujiang",
    "talent.county.450222": "Liucheng",
    "talent.county.450223": "Luzhai",
    "talent.county.450224": "Rong'an",
    "talent.county.450225": "Rongshui",
    "talent.county.450226": "Sanjiang",
    "talent.county.unknown": "Not given",
    "talent.why.kind.incompatible": "{d} takes {want}, this is {s}",
    "talent.why.capacity.short": "at least {min} from one supplier ({n} wanted); this offers {cap}",
    "talent.why.availability.too_late": "needed {start} to {end}; available from {from}",
    "talent.why.availability.ended": "needed from {start}; available until {until}",
    "talent.why.education.below": "needs {min} or above; this is {level}",
    "talent.why.education.unstated": "needs {min} or above; no level stated",
    "talent.why.location.too_far": "on site within {max} km; this is {km} km away",
    "talent.why.location.unknown": "on site within {max} km; no points and not the same county",
    "talent.or": "or",
    "talent.v.required": "required",
    "talent.v.too_long": "too long",
    "talent.v.too_many": "too many tags",
    "talent.v.unknown_tag": "not a platform tag",
    "talent.v.duplicate": "listed twice",
    "talent.v.out_of_range": "out of range",
    "talent.v.invalid": "not valid",
    "talent.nearest_is": "Nearest: {title}"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const T = '/api/v1/gov/talent';
const DEMAND_KINDS = ['job', 'internship', 'joint_training', 'rd_problem'];
const SUPPLY_KINDS = ['graduates', 'programme', 'lab', 'teacher'];
// County seats (approximate), so a post placed by county can be measured against on-site reaches.
const COUNTIES = {
  450202: [24.312, 109.412], 450203: [24.318, 109.453], 450204: [24.287, 109.385],
  450205: [24.363, 109.402], 450206: [24.255, 109.335], 450222: [24.651, 109.245],
  450223: [24.473, 109.751], 450224: [25.224, 109.397], 450225: [25.066, 109.256],
  450226: [25.783, 109.607],
};
const CRITERIA = ['skills', 'industry', 'distance', 'timing', 'headcount'];

let S = null;

export function dispose() {
  S = null;
}

// ---------------------------------------------------------------- small helpers

function tagLabel(code) {
  const tag = S.tags.get(code);
  if (!tag) return code;
  return lang() === 'zh' ? tag.zh : tag.en;
}

function chips(codes, kind) {
  if (!codes || !codes.length) return h('span', { class: 'muted', text: t('talent.none') });
  return h('span', { class: 'tl-chips' }, codes.map((c) => badge(tagLabel(c), kind)));
}

function county(code) {
  return code ? t(`talent.county.${code}`) : t('talent.county.unknown');
}

const kindLabel = (k) => t(`talent.kind.${k}`);

/** The side the caller posts on (`demands`, `supplies`), or null for the bureau's view. */
function ownSide(role) {
  if (role === 'enterprise') return 'demands';
  if (role === 'college') return 'supplies';
  return null;
}

// ---------------------------------------------------------------- the page

export async function render(root, ctx) {
  dispose();
  S = { ctx, side: ownSide(ctx.me && ctx.me.role), tags: new Map(), vocab: null, selected: null, editing: null };
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('talent.title') }),
    h('span', { class: 'page-meta', text: t('talent.subtitle') })));
  try {
    S.vocab = await api(`${T}/tags`);
  } catch (e) {
    root.appendChild(errorBox(e));
    return;
  }
  if (!ctx.isCurrent()) return;
  for (const tag of S.vocab.tags) S.tags.set(tag.code, tag);
  S.matchesEl = h('div', { id: 'tl-matches' });
  if (S.side) {
    S.listEl = h('div', { id: 'tl-list' });
    root.appendChild(h('div', { class: 'grid-side-main' }, formCard(), S.listEl));
    root.appendChild(S.matchesEl);
    await loadList();
  } else {
    S.statsEl = h('div', { id: 'tl-stats' });
    S.listEl = h('div', { id: 'tl-list' });
    root.appendChild(S.statsEl);
    root.appendChild(S.matchesEl);
    root.appendChild(S.listEl);
    await Promise.all([loadStats(), loadList()]);
  }
}

// ---------------------------------------------------------------- the form

function tagBoxes(name, group) {
  const boxes = S.vocab.tags.filter((x) => x.group === group).map((x) => h('label', { class: 'tl-tag' },
    h('input', { type: 'checkbox', name, value: x.code }), ' ', lang() === 'zh' ? x.zh : x.en));
  return h('div', { class: 'tl-field', dataset: { path: name } },
    h('span', { class: 'field-label', text: `${t(`talent.f_${name}`)}（${t('talent.f_tags_hint', { n: S.vocab.max_tags })}）` }),
    h('div', { class: 'tl-tags', style: { display: 'flex', flexWrap: 'wrap', gap: '2px 10px', fontSize: '12px' } }, boxes));
}

function input(name, attrs) {
  return h('div', { class: 'tl-field', dataset: { path: name } },
    field(t(`talent.f_${name}`), h('input', Object.assign({ name }, attrs || {}))));
}

function educationSelect(name) {
  const opts = [['', name === 'min_education' ? t('talent.f_any') : t('talent.f_none')]]
    .concat(S.vocab.education_levels.map((l) => [l, t(`talent.edu.${l}`)]));
  return h('div', { class: 'tl-field', dataset: { path: name } },
    field(t(`talent.f_${name}`), select(opts, '', { name })));
}

function formCard() {
  const demand = S.side === 'demands';
  const kinds = (demand ? DEMAND_KINDS : SUPPLY_KINDS).map((k) => [k, kindLabel(k)]);
  const counties = [['', t('talent.county.unknown')]].concat(Object.keys(COUNTIES).map((c) => [c, county(c)]));
  const row = (...kids) => h('div', { class: 'inline-form' }, kids);
  S.formError = h('div', { id: 'tl-form-error' });
  const form = h('form', { id: 'tl-form', onsubmit: (e) => { e.preventDefault(); submit(); } },
    S.formError,
    row(h('div', { class: 'tl-field', dataset: { path: 'kind' } }, field(t('talent.f_kind'), select(kinds, kinds[0][0], { name: 'kind' }))),
      input('title', { size: 28 })),
    row(h('div', { class: 'tl-field', dataset: { path: 'description' } },
      field(t('talent.f_description'), h('textarea', { name: 'description', rows: 2, cols: 40 })))),
    tagBoxes('industry_tags', 'industry'),
    tagBoxes('skill_tags', 'skill'),
    demand
      ? row(input('headcount', { type: 'number', min: 1, value: 5, style: { width: '90px' } }), educationSelect('min_education'))
      : row(input('capacity', { type: 'number', min: 1, value: 20, style: { width: '90px' } }), educationSelect('education')),
    demand
      ? row(input('start', { type: 'date' }), input('end', { type: 'date' }))
      : row(input('available_from', { type: 'date' }), input('available_until', { type: 'date' })),
    row(h('div', { class: 'tl-field', dataset: { path: 'location.division_code' } },
      field(t('talent.f_county'), select(counties, '', { name: 'county', title: t('talent.f_county_hint') }))),
    demand ? h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('talent.f_on_site') }),
      h('input', { type: 'checkbox', name: 'on_site', style: { height: '18px', width: '18px', margin: '7px 0' } })) : null,
    demand ? input('max_km', { type: 'number', min: 1, style: { width: '90px' } }) : null),
    h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', id: 'tl-submit', type: 'submit', text: t('talent.f_submit') }),
      h('button', { class: 'btn', id: 'tl-cancel', type: 'button', hidden: true, text: t('common.cancel'), onclick: endEdit })));
  form.dataset.mode = 'new';
  S.form = form;
  S.editNote = h('p', { id: 'tl-editing', class: 'muted small', hidden: true });
  S.formCard = card(t(demand ? 'talent.form_demand' : 'talent.form_supply'), S.editNote, form);
  S.formTitle = S.formCard.querySelector('.card-title');
  return S.formCard;
}

// ---------------------------------------------------------------- editing a post

/** Puts `post`'s values into the form's fields (every field the form has). */
function fillForm(post) {
  const f = S.form;
  const set = (n, v) => { if (f.elements[n]) f.elements[n].value = v === null || v === undefined ? '' : String(v); };
  set('kind', post.kind);
  set('title', post.title);
  set('description', post.description);
  for (const name of ['industry_tags', 'skill_tags']) {
    const want = new Set(post[name] || []);
    f.querySelectorAll(`input[name="${name}"]`).forEach((box) => { box.checked = want.has(box.value); });
  }
  if (S.side === 'demands') {
    set('headcount', post.headcount);
    set('min_education', post.min_education);
    set('start', post.start);
    set('end', post.end);
    f.elements.on_site.checked = Boolean(post.on_site);
    set('max_km', post.max_km);
  } else {
    set('capacity', post.capacity);
    set('education', post.education);
    set('available_from', post.available_from);
    set('available_until', post.available_until);
  }
  const code = (post.location && post.location.division_code) || '';
  const sel = f.elements.county;
  if (code && ![...sel.options].some((o) => o.value === code)) {
    sel.appendChild(h('option', { value: code, dataset: { extra: 'yes' }, text: code }));
  }
  sel.value = code;
}

/** The form back to its defaults (and without an option added for an edited post's county). */
function resetForm() {
  S.form.reset();
  S.form.querySelectorAll('option[data-extra]').forEach((o) => o.remove());
  showFieldErrors(null);
}

/** The form in edit mode for `post` (as read, with its `version`). */
function beginEdit(side, post) {
  S.editing = { side, post };
  resetForm();
  fillForm(post);
  S.formTitle.textContent = t(side === 'demands' ? 'talent.form_edit_demand' : 'talent.form_edit_supply');
  S.editNote.textContent = t('talent.editing', { title: post.title, version: post.version });
  S.editNote.hidden = false;
  document.getElementById('tl-submit').textContent = t('talent.f_save');
  document.getElementById('tl-cancel').hidden = false;
  Object.assign(S.form.dataset, { mode: 'edit', post: post.id, version: String(post.version) });
}

/** The form back in "new post" mode. */
function endEdit() {
  if (!S) return;
  S.editing = null;
  resetForm();
  S.formTitle.textContent = t(S.side === 'demands' ? 'talent.form_demand' : 'talent.form_supply');
  S.editNote.hidden = true;
  document.getElementById('tl-submit').textContent = t('talent.f_submit');
  document.getElementById('tl-cancel').hidden = true;
  S.form.dataset.mode = 'new';
  delete S.form.dataset.post;
  delete S.form.dataset.version;
}

/** The edit button: reads the post afresh and fills the form with it. */
async function startEdit(side, p) {
  let post;
  try {
    post = await api(`${T}/${side}/${p.id}`);
  } catch (e) {
    toast(errorText(e), 'bad');
    return;
  }
  if (!S || !S.ctx.isCurrent()) return;
  if (post.status !== 'open') {
    toast(t('talent.closed_meanwhile', { title: post.title }), 'bad');
    await loadList();
    return;
  }
  beginEdit(side, post);
  S.formCard.scrollIntoView({ block: 'start' });
}

/**
 * The PUT body: the form's fields (the tags kept in their order, new ones after), the fields
 * the form does not show kept from `orig` (a demand's `min_headcount`; the location's point and
 * address while the county is unchanged), and the version read.
 */
function editBody(orig) {
  const body = formBody();
  for (const name of ['industry_tags', 'skill_tags']) {
    const was = orig[name] || [];
    body[name] = was.filter((x) => body[name].includes(x)).concat(body[name].filter((x) => !was.includes(x)));
  }
  if (S.side === 'demands' && orig.min_headcount !== null && orig.min_headcount !== undefined) {
    body.min_headcount = orig.min_headcount;
  }
  const loc = orig.location || {};
  if ((loc.division_code || '') === S.form.elements.county.value) {
    const kept = Object.fromEntries(Object.entries(loc).filter(([, v]) => v !== null && v !== undefined));
    if (Object.keys(kept).length) body.location = kept;
    else delete body.location;
  }
  body.version = orig.version;
  return body;
}

/** Whether `e` is the server refusing a change because of `field` (`version`: changed meanwhile). */
function conflictOn(e, field) {
  if (!(e instanceof ApiError)) return false;
  if (field === 'version' && e.status === 412) return true;
  return e.status === 409 && e.violations.some((v) => v.field === field);
}

/** A message above the form (kept until the next submit or mode change). */
function formNotice(id, text) {
  S.formError.appendChild(h('div', { class: 'error', role: 'alert', id, text }));
}

/** After a version conflict: the latest post into the form, and say so. */
async function reloadAfterConflict(side, orig) {
  let latest;
  try {
    latest = await api(`${T}/${side}/${orig.id}`);
  } catch (e) {
    showFieldErrors(e);
    return;
  }
  if (!S || !S.editing || S.editing.post.id !== orig.id) return;
  if (latest.status !== 'open') {
    endEdit();
    formNotice('tl-closed', t('talent.closed_meanwhile', { title: latest.title }));
  } else {
    beginEdit(side, latest);
    formNotice('tl-conflict', t('talent.conflict', { title: latest.title, version: latest.version }));
  }
  await loadList();
}

async function saveEdit() {
  const { side, post: orig } = S.editing;
  let post;
  try {
    post = await api(`${T}/${side}/${orig.id}`, { method: 'PUT', body: editBody(orig) });
  } catch (e) {
    if (conflictOn(e, 'version')) {
      await reloadAfterConflict(side, orig);
    } else if (conflictOn(e, 'status')) {
      endEdit();
      formNotice('tl-closed', t('talent.closed_meanwhile', { title: orig.title }));
      await loadList();
    } else {
      showFieldErrors(e);
    }
    return;
  }
  endEdit();
  toast(t('talent.saved', { title: post.title }));
  await loadList();
  await showMatches(side, post);
}

function formBody() {
  const f = S.form;
  const val = (n) => (f.elements[n] ? f.elements[n].value.trim() : '');
  const checked = (n) => [...f.querySelectorAll(`input[name="${n}"]:checked`)].map((x) => x.value);
  const body = { kind: val('kind'), title: val('title'), industry_tags: checked('industry_tags'), skill_tags: checked('skill_tags') };
  if (val('description')) body.description = val('description');
  const num = (n) => (val(n) === '' ? null : Number(val(n)));
  const opt = (n, v) => { if (v !== null && v !== '') body[n] = v; };
  if (S.side === 'demands') {
    body.headcount = num('headcount');
    opt('min_education', val('min_education'));
    body.start = val('start') || null;
    opt('end', val('end'));
    body.on_site = f.elements.on_site.checked;
    opt('max_km', num('max_km'));
  } else {
    body.capacity = num('capacity');
    opt('education', val('education'));
    body.available_from = val('available_from') || null;
    opt('available_until', val('available_until'));
  }
  const c = val('county');
  if (c) body.location = COUNTIES[c] ? { division_code: c, point: { lat: COUNTIES[c][0], lon: COUNTIES[c][1] } } : { division_code: c };
  return body;
}

function showFieldErrors(err) {
  S.form.querySelectorAll('.tl-field-error').forEach((e) => e.remove());
  clear(S.formError);
  const list = (err && err.violations) || [];
  let placed = 0;
  const rest = [];
  for (const v of list) {
    const path = String(v.field || '').replace(/\[\d+\]$/, '');
    const box = S.form.querySelector(`[data-path="${path}"]`);
    if (!box) {
      rest.push(v);
      continue;
    }
    const key = `talent.v.${v.code}`;
    const text = lang() === 'zh' && t.has(key) ? `${t(key)}（${v.field}）` : v.message;
    box.appendChild(h('span', { class: 'tl-field-error', dataset: { code: v.code || '' }, title: v.message,
      style: { color: '#cf222e', fontSize: '12px', display: 'block' }, text }));
    placed += 1;
  }
  // What no field shows (a field the form has not, e.g. a demand's min_headcount) goes above it.
  if (!err || (placed && !rest.length)) return;
  const shown = placed && err instanceof ApiError ? new ApiError(err.status, err.code, err.message, rest) : err;
  S.formError.appendChild(h('div', { class: 'error', role: 'alert', text: errorText(shown) }));
}

async function submit() {
  const button = document.getElementById('tl-submit');
  button.disabled = true;
  try {
    if (S.editing) await saveEdit();
    else await createPost();
  } finally {
    button.disabled = false;
  }
}

async function createPost() {
  try {
    const body = formBody();
    // A field of the wrong shape is answered with a 400 naming it; shown at the field like a 422.
    const post = await api(`${T}/${S.side}`, { method: 'POST', body });
    showFieldErrors(null);
    toast(t('talent.posted', { title: post.title }));
    await loadList();
    await showMatches(S.side, post);
  } catch (e) {
    showFieldErrors(e);
  }
}

// ---------------------------------------------------------------- the lists

async function loadList() {
  const sides = S.side ? [S.side] : ['demands', 'supplies'];
  const parts = [];
  for (const side of sides) {
    try {
      const r = await api(`${T}/${side}`);
      parts.push(listCard(side, r.posts));
    } catch (e) {
      parts.push(errorBox(e));
    }
  }
  if (!S || !S.ctx.isCurrent()) return;
  clear(S.listEl).append(...parts);
}

function listCard(side, posts) {
  const title = S.side ? (side === 'demands' ? 'talent.my_demands' : 'talent.my_supplies')
    : (side === 'demands' ? 'talent.all_demands' : 'talent.all_supplies');
  if (!posts.length) return card(t(title), noData(t('talent.no_posts')));
  const rows = posts.map((p) => h('tr', { dataset: { post: p.id } },
    h('td', null, h('strong', { text: p.title }), h('div', { class: 'small muted', text: county(p.location && p.location.division_code) })),
    h('td', { text: kindLabel(p.kind) }),
    h('td', null, chips(p.industry_tags, 'info'), ' ', chips(p.skill_tags, 'none')),
    h('td', { class: 'num', text: fmtNum(side === 'demands' ? p.headcount : p.capacity) }),
    h('td', null, badge(t(`talent.status.${p.status}`), p.status === 'open' ? 'ok' : 'none')),
    h('td', { class: 'actions' },
      h('button', { class: 'btn btn-small tl-show', text: t('talent.show_matches'), onclick: () => showMatches(side, p) }),
      S.side && p.status === 'open'
        ? h('button', { class: 'btn btn-small tl-edit', text: t('talent.edit'), onclick: () => startEdit(side, p) }) : null,
      S.side && p.status === 'open'
        ? h('button', { class: 'btn btn-small', text: t('talent.close'), onclick: () => closePost(side, p) }) : null)));
  const cols = ['col_title', 'col_kind', 'col_tags', 'col_count', 'col_status', 'col_actions']
    .map((c) => ({ label: t(`talent.${c}`), cls: c === 'col_count' ? 'num' : null }));
  return card(t(title), table(cols, rows, { id: `tl-${side}` }));
}

async function closePost(side, p) {
  try {
    await api(`${T}/${side}/${p.id}/close`, { method: 'POST', body: { version: p.version } });
    if (S && S.editing && S.editing.post.id === p.id) endEdit();
    toast(t('talent.closed_done', { title: p.title }));
    await loadList();
  } catch (e) {
    toast(errorText(e), 'bad');
  }
}

// ---------------------------------------------------------------- matches

function detailText(line, ex) {
  if (lang() !== 'zh') return line.detail;
  const d = line.detail || '';
  switch (line.criterion) {
    case 'skills': {
      const n = ex.matched_skills.length + ex.missing_skills.length;
      return n ? t('talent.d.skills', { hit: ex.matched_skills.length, n }) : t('talent.d.no_skills');
    }
    case 'industry':
      if (line.value >= 0.99) return t('talent.d.industry_same', { tags: ex.matched_industries.map(tagLabel).join('、') });
      return t(line.value > 0 ? 'talent.d.industry_unknown' : 'talent.d.industry_none');
    case 'distance': {
      const km = d.match(/([\d.]+) km/);
      if (km) return t('talent.d.km', { km: km[1] });
      const by = { 1: 'same_county', 0.7: 'same_city', 0.3: 'elsewhere', 0.5: 'unknown_place' }[line.value];
      return by ? t(`talent.d.${by}`) : d;
    }
    case 'timing': {
      const late = d.match(/(\d+) days/);
      return late ? t('talent.d.late', { n: late[1] }) : t('talent.d.on_time');
    }
    case 'headcount': {
      const m = d.match(/covers (\d+) of (\d+) wanted \(offers (\d+)\)/);
      return m ? t('talent.d.covers', { a: m[1], b: m[2], c: m[3] }) : d;
    }
    default:
      return d;
  }
}

function breakdownTable(v) {
  const rows = v.breakdown.map((l) => h('tr', { dataset: { criterion: l.criterion } },
    h('td', { text: t(`talent.crit.${l.criterion}`) }),
    h('td', { class: 'num', text: fmtPct(l.weight, 0) }),
    h('td', { class: 'num', text: fmtPct(l.value, 0) }),
    h('td', { class: 'num', text: fmtNum(l.points, 1) }),
    h('td', { text: detailText(l, v.explanation) })));
  const cols = ['col_criterion', 'col_weight', 'col_value', 'col_points', 'col_detail']
    .map((c) => ({ label: t(`talent.${c}`), cls: ['col_weight', 'col_value', 'col_points'].includes(c) ? 'num' : null }));
  return table(cols, rows, { class: 'table tl-breakdown' });
}

// The engine's reason messages carry the numbers; these patterns read them back so the sentence
// can be said in the page's language (the English message stays as the tooltip).
const REASON_PATTERNS = {
  'kind.incompatible': [/^(\w+) takes (.+), not (\w+)$/, ['d', 'want', 's']],
  'capacity.short': [/at least (\d+) from one supplier \(of (\d+) wanted\); this supply offers (\d+)/, ['min', 'n', 'cap']],
  'availability.too_late': [/needed (\S+) to (\S+); available only from (\S+)/, ['start', 'end', 'from']],
  'availability.ended': [/needed from (\S+); available only until (\S+)/, ['start', 'until']],
  'education.below': [/needs (\w+) or above; offers (\w+)/, ['min', 'level']],
  'education.unstated': [/needs (\w+) or above/, ['min']],
  'location.too_far': [/within (\d+) km; the supply is ([\d.]+) km away/, ['max', 'km']],
  'location.unknown': [/within (\d+) km/, ['max']],
};

function reasonSentence(r) {
  const p = REASON_PATTERNS[r.code];
  const m = p && r.message.match(p[0]);
  if (!m) return r.message;
  const params = {};
  p[1].forEach((name, i) => { params[name] = m[i + 1]; });
  if (r.code === 'kind.incompatible') {
    params.d = kindLabel(params.d);
    params.s = kindLabel(params.s);
    params.want = params.want.split(' or ').map(kindLabel).join(t('talent.or'));
  }
  for (const k of ['min', 'level']) {
    if (params[k] && t.has(`talent.edu.${params[k]}`)) params[k] = t(`talent.edu.${params[k]}`);
  }
  return t(`talent.why.${r.code}`, params);
}

function reasonLine(r) {
  const key = `talent.reason.${r.code}`;
  return h('li', { dataset: { code: r.code }, title: r.message },
    h('strong', { text: t.has(key) ? t(key) : r.code }), h('span', { class: 'muted small', text: `${t('common.colon')}${reasonSentence(r)}` }));
}

function matchBlock(v, n) {
  const c = v.counterpart;
  const ex = v.explanation;
  const head = h('div', { style: { display: 'flex', gap: '10px', alignItems: 'baseline', flexWrap: 'wrap' } },
    h('span', { class: 'muted', text: t('talent.rank', { n }) }),
    h('strong', { class: 'tl-title', text: c.title || c.id }),
    h('span', { class: 'muted', text: `${c.party_name || c.party} · ${kindLabel(c.kind)} · ${county(c.division_code)}` }),
    badge(t('talent.score', { score: fmtNum(v.score, 1) }), v.excluded_by.length ? 'none' : (v.score >= 70 ? 'ok' : 'warn')));
  const kv = h('dl', { class: 'kv' },
    h('dt', { text: t('talent.matched_skills') }), h('dd', { class: 'tl-matched' }, chips(ex.matched_skills, 'ok')),
    h('dt', { text: t('talent.missing_skills') }), h('dd', { class: 'tl-missing' }, chips(ex.missing_skills, 'bad')),
    h('dt', { text: t('talent.extra_skills') }), h('dd', null, chips(ex.extra_skills, 'none')),
    h('dt', { text: t('talent.matched_industries') }), h('dd', null, chips(ex.matched_industries, 'info')));
  const fails = v.excluded_by.length
    ? h('div', { class: 'tl-reasons' }, h('span', { class: 'small', text: t('talent.excluded_by') }), h('ul', null, v.excluded_by.map(reasonLine)))
    : null;
  return h('div', { class: v.excluded_by.length ? 'tl-miss' : 'tl-match', dataset: { id: c.id, score: String(v.score) },
    style: { borderTop: '1px solid #eaeef2', padding: '10px 0' } },
  head, kv, fails,
  h('details', { open: n === 1 && !v.excluded_by.length }, h('summary', { text: t('talent.breakdown') }), breakdownTable(v)));
}

async function showMatches(side, post) {
  S.selected = post.id;
  const box = clear(S.matchesEl);
  box.dataset.state = 'loading';
  box.dataset.post = post.id;
  let r;
  try {
    r = await api(`${T}/${side}/${post.id}/matches?limit=10`);
  } catch (e) {
    box.appendChild(errorBox(e));
    box.dataset.state = 'error';
    return;
  }
  if (!S || S.selected !== post.id) return;
  const body = [h('p', { class: 'muted', text: t('talent.matches_summary', r) })];
  body.push(r.matches.length ? h('div', { id: 'tl-match-list' }, r.matches.map((v, i) => matchBlock(v, i + 1)))
    : noData(t('talent.no_matches')));
  if (r.excluded.length) {
    body.push(h('h3', { class: 'section-title', text: t('talent.near_misses') }),
      h('div', { id: 'tl-miss-list' }, r.excluded.map((v, i) => matchBlock(v, i + 1))));
  }
  box.appendChild(card(t('talent.matches_for', { title: post.title }), ...body));
  box.dataset.state = 'done';
  window.__talentMatches = r;
  box.scrollIntoView({ block: 'start' });
}

// ---------------------------------------------------------------- statistics

function gapCell(gap) {
  if (gap > 0) return h('td', { class: 'num neg', text: t('talent.gap_short', { n: fmtNum(gap) }) });
  if (gap < 0) return h('td', { class: 'num pos', text: t('talent.gap_surplus', { n: fmtNum(-gap) }) });
  return h('td', { class: 'num', text: t('talent.gap_even') });
}

function balanceTable(list, id) {
  const rows = list.map((b) => h('tr', { dataset: { tag: b.tag, gap: String(b.gap) } },
    h('td', { text: tagLabel(b.tag) }),
    h('td', { class: 'num', text: fmtNum(b.demand_posts) }),
    h('td', { class: 'num', text: fmtNum(b.demand_headcount) }),
    h('td', { class: 'num', text: fmtNum(b.supply_posts) }),
    h('td', { class: 'num', text: fmtNum(b.supply_capacity) }),
    gapCell(b.gap)));
  const cols = ['col_tag', 'col_demand_posts', 'col_demand_headcount', 'col_supply_posts', 'col_supply_capacity', 'col_gap']
    .map((c, i) => ({ label: t(`talent.${c}`), cls: i ? 'num' : null }));
  return table(cols, rows, { id });
}

async function loadStats() {
  let s;
  try {
    s = await api(`${T}/stats`);
  } catch (e) {
    clear(S.statsEl).appendChild(errorBox(e));
    return;
  }
  if (!S || !S.ctx.isCurrent()) return;
  const stat = (name, text, label, kind) => h('div', { class: `stat stat-${kind}`, dataset: { stat: name } },
    h('span', { class: 'stat-num', text }), h('span', { class: 'muted', text: label }));
  const counties = Object.entries(s.by_county).map(([c, n]) => h('tr', null,
    h('td', { text: county(c === 'unknown' ? null : c) }), h('td', { class: 'num', text: fmtNum(n.demands) }),
    h('td', { class: 'num', text: fmtNum(n.supplies) })));
  const unmatched = s.unmatched.map((u) => h('tr', { dataset: { demand: u.demand } },
    h('td', null, h('strong', { text: u.title }), h('div', { class: 'small muted', text: kindLabel(u.kind) })),
    h('td', null, chips(u.skills_nobody_offers, 'bad')),
    h('td', null, u.nearest ? [h('div', { class: 'small', text: t('talent.nearest_is', { title: u.nearest_title }) }),
      h('ul', { class: 'small' }, u.nearest.excluded_by.map(reasonLine))] : t('talent.none'))));
  clear(S.statsEl).append(
    h('div', { class: 'status-summary' },
      stat('demands', fmtNum(s.demands), t('talent.stat_demands'), 'none'),
      stat('supplies', fmtNum(s.supplies), t('talent.stat_supplies'), 'none'),
      stat('match_rate', fmtPct(s.match_rate, 0), t('talent.stat_rate'), s.match_rate >= 0.8 ? 'ok' : 'warn'),
      stat('unmatched', fmtNum(s.demands - s.matched_demands), t('talent.stat_unmatched'), s.unmatched.length ? 'bad' : 'ok')),
    card(t('talent.skills_balance'), balanceTable(s.skills, 'tl-skills')),
    h('div', { class: 'grid-2' },
      card(t('talent.industries_balance'), balanceTable(s.industries, 'tl-industries')),
      card(t('talent.by_county'), table(['col_county', 'col_demands', 'col_supplies'].map((c, i) => ({ label: t(`talent.${c}`), cls: i ? 'num' : null })), counties))),
    card(t('talent.unmatched'), s.unmatched.length
      ? table(['col_title', 'col_nobody', 'col_nearest'].map((c) => ({ label: t(`talent.${c}`) })), unmatched, { id: 'tl-unmatched' })
      : noData(t('talent.none'))));
  S.statsEl.dataset.state = 'done';
  window.__talentStats = s;
}
