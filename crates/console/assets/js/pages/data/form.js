// Forms generated from a collection's JSON Schema (the OpenAPI document's components): strings,
// numbers, enumerations as selects, booleans, dates and times; nested objects as fieldsets, arrays
// of objects as repeatable rows, tagged unions (`kind`) as a select plus the variant's fields, and
// anything else as a JSON text area. Every input carries `data-path` (the API's field path, e.g.
// `goods[2].gross_weight`, `origin.point.lat`) so the API's 422 violations land at their fields.
import { t } from '../../i18n.js';
import { h, clear } from '../../ui.js';

/** Follows `$ref`s into `root` (the OpenAPI `components.schemas`). */
export function resolve(root, s) {
  let seen = 0;
  while (s && s.$ref && seen++ < 32) s = root[s.$ref.split('/').pop()];
  return s || {};
}

/** A schema simplified to what a form needs: `{ kind, nullable, values, props, required, items, variants, tag, description, integer }`. */
export function describe(root, raw) {
  const s = resolve(root, raw);
  const desc = raw.description || s.description || '';
  const base = { description: desc, nullable: !!(raw.nullable || s.nullable), default: raw.default };
  if (s.allOf && s.allOf.length === 1) return Object.assign(describe(root, s.allOf[0]), base, { nullable: base.nullable });
  if (s.anyOf) {
    const real = s.anyOf.filter((a) => !(a.enum && a.enum.length === 1 && a.enum[0] === null));
    if (real.length === 1) return Object.assign(describe(root, real[0]), { description: desc, nullable: true });
    return Object.assign({ kind: 'json' }, base);
  }
  if (s.oneOf) {
    const alts = s.oneOf.map((a) => resolve(root, a));
    if (alts.every((a) => Array.isArray(a.enum))) {
      return Object.assign({ kind: 'enum', values: alts.flatMap((a) => a.enum).filter((v) => v !== null) }, base);
    }
    const tagged = alts.every((a) => a.properties && a.properties.kind && Array.isArray(a.properties.kind.enum));
    if (tagged) {
      const variants = alts.map((a) => ({ tag: a.properties.kind.enum[0], description: a.description || '', node: describe(root, a) }));
      return Object.assign({ kind: 'union', tag: 'kind', variants }, base);
    }
    return Object.assign({ kind: 'json' }, base);
  }
  if (Array.isArray(s.enum)) return Object.assign({ kind: 'enum', values: s.enum.filter((v) => v !== null) }, base);
  const type = s.type;
  if (type === 'string') {
    const kind = s.format === 'date-time' ? 'datetime' : (s.format === 'date' ? 'date' : 'string');
    return Object.assign({ kind }, base);
  }
  if (type === 'number' || type === 'integer') {
    return Object.assign({ kind: 'number', integer: type === 'integer', min: s.minimum, max: s.maximum }, base);
  }
  if (type === 'boolean') return Object.assign({ kind: 'boolean' }, base);
  if ((type === 'object' || !type) && s.properties) {
    const props = Object.entries(s.properties).map(([k, v]) => [k, describe(root, v)]);
    return Object.assign({ kind: 'object', props, required: s.required || [] }, base);
  }
  if (type === 'array' && s.items) {
    const items = describe(root, s.items);
    if (items.kind === 'object') return Object.assign({ kind: 'rows', items }, base);
    if (['string', 'number', 'enum', 'date', 'datetime'].includes(items.kind)) return Object.assign({ kind: 'list', items }, base);
  }
  return Object.assign({ kind: 'json' }, base);
}

/** The field's label: the dictionary's name for it when it has one, else the field name. */
export function fieldLabel(name) {
  const key = `data.f.${name}`;
  return t.has(key) ? t(key) : name.replace(/_/g, ' ');
}

function lastName(path) {
  const m = /([A-Za-z0-9_]+)(\[\d+\])?$/.exec(path);
  return m ? m[1] : path;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

/** An RFC 3339 instant as a `datetime-local` value in the browser's time zone. */
function toLocalInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value as an RFC 3339 instant (UTC). */
function fromLocalInput(v) {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace('.000Z', 'Z');
}

const ABSENT = { present: false, blank: true };

/**
 * A control for `node` at `path` with `value`. Returns `{ el, get(problems) }`; `get` returns
 * `{present, value}` and pushes client-side problems (`{field, message}`) to `problems`.
 */
export function control(node, path, value, required, opts = {}) {
  switch (node.kind) {
    case 'object': return objectControl(node, path, value, required, opts);
    case 'union': return unionControl(node, path, value, required, opts);
    case 'rows': return rowsControl(node, path, value, required, opts);
    default: return leafControl(node, path, value, required, opts);
  }
}

function wrapField(path, label, required, description, input, wide) {
  return h('div', { class: `df-field${wide ? ' df-wide' : ''}`, dataset: { field: path } },
    h('label', { class: 'df-label', title: description || null },
      h('span', { class: 'df-name' }, label, required ? h('span', { class: 'df-req', text: '*', 'aria-hidden': 'true' }) : null),
      input),
    h('div', { class: 'df-error', dataset: { errorFor: path }, role: 'alert' }));
}

function leafControl(node, path, value, required, opts) {
  const label = fieldLabel(lastName(path));
  const attrs = { dataset: { path }, name: path, 'aria-required': required ? 'true' : null, disabled: opts.readonly || null };
  let input;
  let read;
  const has = value !== undefined && value !== null;
  switch (node.kind) {
    case 'enum': {
      const opt = [['', required ? t('data.choose') : t('common.dash')]].concat(node.values.map((v) => [v, enumLabel(lastName(path), v)]));
      input = h('select', attrs, opt.map(([v, l]) => h('option', { value: v, selected: has && v === value, text: l })));
      read = () => (input.value === '' ? null : input.value);
      break;
    }
    case 'number':
      input = h('input', Object.assign({ type: 'number', step: node.integer ? '1' : 'any', value: has ? String(value) : '', inputmode: 'decimal' }, attrs));
      read = () => (input.value === '' ? null : Number(input.value));
      break;
    case 'boolean':
      input = h('input', Object.assign({ type: 'checkbox', checked: value === true }, attrs));
      read = () => input.checked;
      break;
    case 'datetime':
      input = h('input', Object.assign({ type: 'datetime-local', value: has ? toLocalInput(value) : '' }, attrs));
      read = () => (input.value === '' ? null : fromLocalInput(input.value));
      break;
    case 'date':
      input = h('input', Object.assign({ type: 'date', value: has ? String(value) : '' }, attrs));
      read = () => (input.value === '' ? null : input.value);
      break;
    case 'list':
      input = h('textarea', Object.assign({ rows: 2, placeholder: t('data.one_per_line') }, attrs));
      input.value = Array.isArray(value) ? value.join('\n') : '';
      read = () => {
        const lines = input.value.split('\n').map((l) => l.trim()).filter(Boolean);
        return node.items.kind === 'number' ? lines.map(Number) : lines;
      };
      break;
    case 'json':
      input = h('textarea', Object.assign({ rows: 3, class: 'df-json', spellcheck: 'false' }, attrs));
      input.value = has ? JSON.stringify(value, null, 1) : '';
      read = () => (input.value.trim() === '' ? null : JSON.parse(input.value));
      break;
    default:
      input = h('input', Object.assign({ type: 'text', value: has ? String(value) : '' }, attrs));
      read = () => input.value;
  }
  const el = wrapField(path, label, required, node.description, input, node.kind === 'json' || node.kind === 'list');
  return {
    el,
    get(problems) {
      let v;
      try {
        v = read();
      } catch {
        problems.push({ field: path, message: t('data.bad_json') });
        return ABSENT;
      }
      if (node.kind === 'string') {
        // An empty required text is sent as "" so the API names it with the other problems.
        if (v === '') return required ? { present: true, value: '', blank: true } : ABSENT;
        return { present: true, value: v, blank: false };
      }
      if (v === null || (Array.isArray(v) && !v.length && !required)) {
        if (required && node.kind !== 'list') problems.push({ field: path, message: t('data.required') });
        return ABSENT;
      }
      if (node.kind === 'number' && node.integer && !Number.isInteger(v)) {
        problems.push({ field: path, message: t('data.integer') });
      }
      return { present: true, value: v, blank: node.kind === 'boolean' && v === false };
    },
  };
}

/** A status or other enumeration value in the current language. */
export function enumLabel(field, v) {
  const key = `data.enum.${field}.${v}`;
  if (t.has(key)) return t(key);
  const s = `data.status.${v}`;
  return field === 'status' && t.has(s) ? t(s) : v;
}

const FIRST = ['external_id', 'name', 'kind', 'plate', 'goods', 'description', 'start', 'end', 'lat', 'lon', 'min', 'max',
  'length', 'width', 'height', 'address', 'division_code', 'origin', 'destination', 'pickup_window', 'delivery_window',
  'consignor', 'consignee'];
const GROUPS = ['object', 'union', 'rows', 'json', 'list'];

/** Fields in reading order: plain fields before groups, required before optional, known ones first. */
function ordered(node) {
  const rank = ([k, c], i) => [GROUPS.includes(c.kind) ? 1 : 0, node.required.includes(k) ? 0 : 1,
    FIRST.includes(k) ? FIRST.indexOf(k) : 99, i];
  return node.props.map((p, i) => [p, rank(p, i)])
    .sort((a, b) => {
      for (let j = 0; j < 4; j += 1) if (a[1][j] !== b[1][j]) return a[1][j] - b[1][j];
      return 0;
    })
    .map(([p]) => p);
}

function objectControl(node, path, value, required, opts) {
  const v = value && typeof value === 'object' ? value : {};
  const kids = ordered(node)
    .filter(([k]) => !(opts.skip && !path && opts.skip.includes(k)))
    .map(([k, child]) => [k, control(child, path ? `${path}.${k}` : k, v[k], node.required.includes(k), opts)]);
  const body = kids.map(([, c]) => c.el);
  const el = path
    ? h('fieldset', { class: 'df-group', dataset: { path } },
      h('legend', { title: node.description || null, text: fieldLabel(lastName(path)) }),
      h('div', { class: 'df-error', dataset: { errorFor: path }, role: 'alert' }),
      h('div', { class: 'df-grid' }, body))
    : h('div', { class: 'df-grid' }, body);
  return {
    el,
    get(problems) {
      // An optional group left blank is left out, with no problems about its fields.
      const out = {};
      const local = [];
      let filled = false;
      for (const [k, c] of kids) {
        const r = c.get(local);
        if (r.present) out[k] = r.value;
        if (!r.blank) filled = true;
      }
      if (!filled && !required) return ABSENT;
      problems.push(...local);
      return { present: true, value: out, blank: !filled };
    },
  };
}

function unionControl(node, path, value, required, opts) {
  const current = value && typeof value === 'object' ? value[node.tag] : undefined;
  const sel = h('select', { dataset: { path: `${path}.${node.tag}` }, name: `${path}.${node.tag}`, disabled: opts.readonly || null },
    node.variants.map((vt) => h('option', { value: vt.tag, selected: vt.tag === current, text: enumLabel(node.tag, vt.tag), title: vt.description })));
  const holder = h('div', { class: 'df-grid' });
  let inner = null;
  const show = (val) => {
    const variant = node.variants.find((vt) => vt.tag === sel.value) || node.variants[0];
    const sub = Object.assign({}, variant.node, { props: variant.node.props.filter(([k]) => k !== node.tag) });
    clear(holder);
    const kids = sub.props.map(([k, child]) => [k, control(child, `${path}.${k}`, val ? val[k] : undefined, sub.required.includes(k), opts)]);
    kids.forEach(([, c]) => holder.appendChild(c.el));
    inner = kids;
  };
  show(value);
  sel.addEventListener('change', () => show(null));
  const el = h('fieldset', { class: 'df-group', dataset: { path } },
    h('legend', { title: node.description || null, text: fieldLabel(lastName(path)) }),
    h('div', { class: 'df-error', dataset: { errorFor: path }, role: 'alert' }),
    h('div', { class: 'df-grid' }, wrapField(`${path}.${node.tag}`, fieldLabel(node.tag), true, '', sel)),
    holder);
  return {
    el,
    get(problems) {
      const out = { [node.tag]: sel.value };
      for (const [k, c] of inner) {
        const r = c.get(problems);
        if (r.present) out[k] = r.value;
      }
      return { present: true, value: out, blank: false };
    },
  };
}

function rowsControl(node, path, value, required, opts) {
  // A required list on a new record starts with one empty row.
  let items = Array.isArray(value) ? value.slice() : (required && !opts.readonly ? [{}] : []);
  let kids = [];
  const list = h('div', { class: 'df-rows' });
  const redraw = () => {
    clear(list);
    kids = items.map((item, i) => {
      const c = objectControl(node.items, `${path}[${i}]`, item, true, opts);
      const remove = opts.readonly ? null : h('button', {
        type: 'button', class: 'btn btn-small df-remove', text: t('data.remove_row'),
        onclick: () => {
          items = collect([]);
          items.splice(i, 1);
          redraw();
        },
      });
      const row = h('div', { class: 'df-row', dataset: { row: String(i) } }, c.el, remove);
      list.appendChild(row);
      return c;
    });
  };
  const collect = (problems) => kids.map((c) => c.get(problems).value || {});
  redraw();
  const add = opts.readonly ? null : h('button', {
    type: 'button', class: 'btn btn-small', dataset: { add: path }, text: t('data.add_row'),
    onclick: () => {
      items = collect([]);
      items.push({});
      redraw();
    },
  });
  const el = h('fieldset', { class: 'df-group df-wide', dataset: { path } },
    h('legend', { title: node.description || null, text: fieldLabel(lastName(path)) }),
    h('div', { class: 'df-error', dataset: { errorFor: path }, role: 'alert' }),
    list, add);
  return {
    el,
    get(problems) {
      return { present: true, value: kids.map((c) => c.get(problems).value || {}), blank: !kids.length };
    },
  };
}

/** Clears the problems shown in `form` and the list on top. */
export function clearErrors(form, top) {
  for (const e of form.querySelectorAll('.df-error')) e.textContent = '';
  for (const e of form.querySelectorAll('.has-error')) e.classList.remove('has-error');
  for (const e of form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
  clear(top);
  top.hidden = true;
}

/**
 * Shows each violation (`{field, message}`) at the input or group whose `data-path` is its field;
 * those without one are listed in `top`. Returns how many were placed at a field.
 */
export function showErrors(form, top, violations) {
  clearErrors(form, top);
  const unplaced = [];
  let placed = 0;
  for (const v of violations) {
    const field = v.field || '';
    const slot = field ? [...form.querySelectorAll('.df-error')].find((e) => e.dataset.errorFor === field) : null;
    if (!slot) {
      unplaced.push(v);
      continue;
    }
    placed += 1;
    slot.textContent = slot.textContent ? `${slot.textContent}; ${v.message}` : v.message;
    const box = slot.closest('.df-field, .df-group');
    if (box) box.classList.add('has-error');
    const input = [...form.querySelectorAll('[data-path]')].find((e) => e.dataset.path === field && e.tagName !== 'FIELDSET');
    if (input) input.setAttribute('aria-invalid', 'true');
  }
  if (unplaced.length) {
    top.hidden = false;
    top.appendChild(h('ul', null, unplaced.map((v) => h('li', { dataset: { field: v.field || '' } },
      v.field ? h('code', { text: v.field }) : null, v.field ? ' ' : null, v.message))));
  }
  const first = form.querySelector('.has-error') || (unplaced.length ? top : null);
  if (first && first.scrollIntoView) first.scrollIntoView({ block: 'center' });
  return placed;
}

/** The CSV template's columns: every leaf field path of the schema (arrays as their first item). */
export function leafPaths(node, path, out = []) {
  switch (node.kind) {
    case 'object':
      for (const [k, c] of node.props) leafPaths(c, path ? `${path}.${k}` : k, out);
      break;
    case 'union': {
      out.push(`${path}.${node.tag}`);
      for (const vt of node.variants) {
        for (const [k, c] of vt.node.props) {
          if (k !== node.tag) leafPaths(c, `${path}.${k}`, out);
        }
      }
      break;
    }
    case 'rows':
      leafPaths(node.items, `${path}[0]`, out);
      break;
    case 'list':
      out.push(`${path}[0]`);
      break;
    case 'json':
      break;
    default:
      out.push(path);
  }
  return [...new Set(out)];
}
