// 风险预警 Risk warnings: the indicator, plan and county warnings with severity, rule, message and
// evidence; acknowledge or resolve with a note; re-evaluate now.
import { t, fmtDateTime, fmtDate } from '../i18n.js';
import { api, apiOrNull } from '../api.js';
import { h, card, table, noData, errorBox, errorText, toast, select, field, badge } from '../ui.js';

const SEVERITY_KIND = { critical: 'bad', warning: 'warn', info: 'info' };
const STATUSES = ['open', 'acknowledged', 'resolved', 'all'];

function severity(s) {
  const key = `warnings.severity.${s}`;
  return badge(t.has(key) ? t(key) : s, SEVERITY_KIND[s] || 'info');
}

function ruleName(rule) {
  const key = `rule.${rule}`;
  return t.has(key) ? t(key) : rule;
}

/** Evidence as a small key/value list (nested values as JSON). */
function evidence(ev) {
  if (ev === null || ev === undefined || (typeof ev === 'object' && !Object.keys(ev).length)) return h('span', { class: 'muted', text: t('common.dash') });
  const body = typeof ev === 'object' && !Array.isArray(ev)
    ? h('dl', { class: 'kv' }, Object.entries(ev).map(([k, v]) => [h('dt', { text: k }), h('dd', { text: typeof v === 'object' ? JSON.stringify(v) : String(v) })]))
    : h('pre', { text: JSON.stringify(ev, null, 2) });
  return h('details', { class: 'evidence' }, h('summary', { text: t('warnings.evidence') }), body);
}

function actionForm(w, action, done) {
  const note = h('input', { name: 'note', placeholder: t('warnings.note_placeholder'), required: action === 'resolve' });
  const msg = h('div', { class: 'error hidden', role: 'alert' });
  const form = h('form', { class: 'inline-form', dataset: { form: action } },
    field(t('warnings.note'), note),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', text: t(`warnings.${action}`) }),
      h('button', { type: 'button', class: 'btn', text: t('common.cancel'), onclick: () => form.remove() })),
    msg);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (action === 'resolve' && !note.value.trim()) {
      msg.textContent = t('warnings.note_required');
      msg.classList.remove('hidden');
      return;
    }
    try {
      await api(`/api/v1/alerts/${encodeURIComponent(w.id)}/${action}`, { method: 'POST', body: { note: note.value.trim() } });
      toast(t(`warnings.${action}_done`));
      done();
    } catch (e) {
      msg.textContent = errorText(e);
      msg.classList.remove('hidden');
    }
  });
  return form;
}

export async function render(root, ctx) {
  const status = sessionStorage.getItem('wuliu.warnings.status') || 'open';
  const statusSel = select(STATUSES.map((s) => [s, t(`warnings.status.${s}`)]), status, { id: 'warnings-status' });
  const reload = () => window.dispatchEvent(new HashChangeEvent('hashchange'));
  statusSel.addEventListener('change', () => {
    sessionStorage.setItem('wuliu.warnings.status', statusSel.value);
    reload();
  });
  const staff = ctx.me.role === 'admin' || ctx.me.role === 'regulator';
  const runBtn = staff ? h('button', {
    type: 'button', class: 'btn btn-primary', id: 'warnings-run', text: t('warnings.run'),
    onclick: async () => {
      runBtn.disabled = true;
      try {
        await api('/api/v1/stats/warnings/run', { method: 'POST', body: {} });
        toast(t('warnings.run_done'));
        reload();
      } catch (e) {
        toast(errorText(e), 'error');
        runBtn.disabled = false;
      }
    },
  }) : null;
  root.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('nav.warnings') }),
    h('div', { class: 'page-tools' }, field(t('warnings.filter'), statusSel), runBtn)));
  let data;
  try {
    data = await apiOrNull(`/api/v1/stats/warnings${status === 'all' ? '' : `?status=${status}`}`);
  } catch (e) {
    root.appendChild(card(null, errorBox(e)));
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!data) {
    root.appendChild(card(null, noData(t('common.endpoint_missing'))));
    return;
  }
  const list = data.warnings || [];
  const cols = [{ label: t('warnings.severity') }, { label: t('warnings.rule') }, { label: t('warnings.message') },
    { label: t('warnings.detected') }, { label: t('warnings.evidence') }, { label: t('warnings.status') }, { label: t('common.actions') }];
  const rows = list.map((w) => {
    const tr = h('tr', { dataset: { warning: w.id, status: w.status } },
      h('td', null, severity(w.severity)),
      h('td', null, h('div', { text: ruleName(w.rule) }), h('code', { class: 'small muted', text: w.rule })),
      h('td', null, h('div', { text: w.message || '' }), w.note ? h('div', { class: 'small muted', text: `${t('warnings.note')}${t('common.colon')}${w.note}` }) : null),
      h('td', { text: w.detected_at ? fmtDateTime(w.detected_at) : fmtDate(w.day) }),
      h('td', null, evidence(w.evidence)),
      h('td', null, badge(t(`warnings.status.${w.status}`), w.status === 'open' ? 'bad' : (w.status === 'resolved' ? 'ok' : 'warn'))));
    const actions = h('td', { class: 'actions' });
    tr.appendChild(actions);
    const open = (action) => {
      const row = h('tr', { class: 'form-row' }, h('td', { colspan: cols.length }));
      row.firstChild.appendChild(actionForm(w, action, reload));
      tr.after(row);
    };
    if (w.status === 'open') {
      actions.appendChild(h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'acknowledge' }, text: t('warnings.acknowledge'), onclick: () => open('acknowledge') }));
    }
    if (w.status !== 'resolved') {
      actions.appendChild(h('button', { type: 'button', class: 'btn btn-small btn-primary', dataset: { action: 'resolve' }, text: t('warnings.resolve'), onclick: () => open('resolve') }));
    }
    return tr;
  });
  root.appendChild(card(t('warnings.count', { n: list.length }), rows.length ? table(cols, rows, { id: 'warnings-table' }) : noData(t('warnings.none'))));
}
