// The console's shell: session, role-based navigation, hash routing, language switch.
import { t, lang, setLang, applyStatic } from './i18n.js';
import { api, savedUser, clearLogin, setUnauthorizedHandler, ApiError } from './api.js';
import { h, clear, disposeCharts, errorBox, toast } from './ui.js';
import * as login from './pages/login.js';
import * as overview from './pages/overview.js';
import * as plan from './pages/plan.js';
import * as trends from './pages/trends.js';
import * as warnings from './pages/warnings.js';
import * as indexPage from './pages/index.js';
import * as map from './pages/map.js';

/** The roles that take part in freight, and the regulator's staff. */
const FREIGHT = ['admin', 'regulator', 'shipper', 'carrier'];
/** Every role, the government desks' too (officials, enterprises and colleges, issue 29). */
const ALL = [...FREIGHT, 'official', 'enterprise', 'college'];
const STAFF = ['admin', 'regulator'];
const COMPANIES = ['shipper', 'carrier'];
/** Who works the government desks (issue 29): the regulator's staff and the units' officials. */
const GOV = ['admin', 'regulator', 'official'];

/** A page loaded when first opened (the workbenches and their libraries are not needed at login). */
const lazy = (file) => () => import(`./pages/${file}.js`);

/** The pages: hash, module, who may open it, navigation label (none: not in the menu). */
const ROUTES = [
  { path: 'overview', page: overview, roles: FREIGHT, nav: 'nav.overview' },
  { path: 'plan', page: plan, roles: STAFF, nav: 'nav.plan' },
  { path: 'plan/report', page: plan, roles: STAFF, view: 'report' },
  { path: 'trends', page: trends, roles: STAFF, nav: 'nav.trends' },
  { path: 'warnings', page: warnings, roles: STAFF, nav: 'nav.warnings' },
  { path: 'index', page: indexPage, roles: STAFF, nav: 'nav.index' },
  { path: 'index/method', page: indexPage, roles: STAFF, view: 'method' },
  { path: 'map', page: map, roles: FREIGHT, nav: 'nav.map' },
  { path: 'shipper', page: lazy('shipper'), roles: ['shipper'], nav: 'nav.shipper' },
  { path: 'carrier', page: lazy('carrier'), roles: ['carrier'], nav: 'nav.carrier' },
  { path: 'dispatch', page: lazy('dispatch'), roles: COMPANIES, nav: 'nav.dispatch' },
  { path: 'loading', page: lazy('loading'), roles: COMPANIES, nav: 'nav.loading' },
  { path: 'monitoring', page: lazy('monitoring'), roles: FREIGHT, nav: 'nav.monitoring' },
  { path: 'data', page: lazy('data'), roles: FREIGHT, nav: 'nav.data' },
  { path: 'emergency', page: lazy('emergency'), roles: STAFF, nav: 'nav.emergency' },
  { path: 'todo', page: lazy('todo'), roles: ['official'], nav: 'nav.todo' },
  { path: 'tasks', page: lazy('tasks'), roles: GOV, nav: 'nav.tasks' },
  { path: 'appeals', page: lazy('appeals'), roles: GOV, nav: 'nav.appeals' },
  { path: 'talent', page: lazy('talent'), roles: [...GOV, 'enterprise', 'college'], nav: 'nav.talent' },
  // A lot's page opens from its QR code without a login: the buyer checks the proofs in the browser.
  { path: 'lot', page: lazy('lot'), roles: ALL, nav: 'nav.lot', public: true },
];

/** The page module of a route (imported on first use for lazy pages). */
async function moduleOf(r) {
  return typeof r.page === 'function' ? r.page() : r.page;
}

const state = { me: null, page: null, seq: 0 };

/** The page a role lands on: the desks' own for officials, enterprises and colleges. */
function home() {
  const role = state.me && state.me.role;
  if (role === 'official') return 'todo';
  if (role === 'enterprise' || role === 'college') return 'talent';
  return 'overview';
}

function currentPath() {
  const p = location.hash.replace(/^#\/?/, '').split('?')[0];
  return p || home();
}

function renderChrome() {
  applyStatic();
  const nav = clear(document.getElementById('nav'));
  const who = document.getElementById('who');
  const logout = document.getElementById('logout');
  document.getElementById('lang').textContent = lang() === 'zh' ? 'EN' : '中文';
  if (!state.me) {
    who.textContent = '';
    logout.hidden = true;
    return;
  }
  const path = currentPath();
  for (const r of ROUTES) {
    if (!r.nav || !r.roles.includes(state.me.role)) continue;
    const active = path === r.path || path.startsWith(`${r.path}/`);
    nav.appendChild(h('a', {
      href: `#/${r.path}`, class: active ? 'active' : null, 'aria-current': active ? 'page' : null,
      dataset: { page: r.path }, text: t(r.nav),
    }));
  }
  who.textContent = `${state.me.user || ''} · ${t(`role.${state.me.role}`)}`;
  who.dataset.role = state.me.role;
  logout.hidden = false;
  // A long menu scrolls: keep the open page's entry in view (with room for the page's scrollbar,
  // which appears only once the page has rendered).
  const current = nav.querySelector('a.active');
  const over = current ? current.getBoundingClientRect().right - nav.getBoundingClientRect().right : 0;
  if (over > 0) nav.scrollLeft += over + 24;
}

async function route() {
  const seq = ++state.seq;
  if (state.page && state.page.dispose) state.page.dispose();
  state.page = null;
  disposeCharts();
  const main = clear(document.getElementById('main'));
  const path = currentPath();
  const open = ROUTES.find((x) => x.path === path && x.public);
  if (!state.me && open) {
    renderChrome();
    await show(open, main, seq, { me: null });
    return;
  }
  if (!state.me) {
    if (path !== 'login') {
      location.hash = '#/login';
      return;
    }
    renderChrome();
    state.page = login;
    await login.render(main, { onLogin });
    return;
  }
  if (path === 'login') {
    location.hash = `#/${home()}`;
    return;
  }
  renderChrome();
  const r = ROUTES.find((x) => x.path === path);
  if (!r) {
    main.appendChild(h('div', { class: 'card' }, h('h2', { text: t('error.page_not_found') }),
      h('a', { href: `#/${home()}`, text: t(`nav.${home()}`) })));
    return;
  }
  if (!r.roles.includes(state.me.role)) {
    main.appendChild(h('div', { class: 'card', dataset: { state: 'forbidden' } },
      h('h2', { text: t('error.page_forbidden') }), h('a', { href: `#/${home()}`, text: t(`nav.${home()}`) })));
    return;
  }
  await show(r, main, seq, { me: state.me });
}

/** Renders route `r` into `main`; `data-ready="yes"` tells tests the page has finished. */
async function show(r, main, seq, { me }) {
  main.dataset.page = r.path;
  main.dataset.ready = 'no';
  try {
    const page = await moduleOf(r);
    if (seq !== state.seq) return;
    state.page = page;
    await page.render(main, { me, view: r.view, params: hashParams(), isCurrent: () => seq === state.seq });
  } catch (err) {
    if (seq !== state.seq) return;
    console.warn('page failed', err);
    main.appendChild(errorBox(err));
  }
  if (seq === state.seq) main.dataset.ready = 'yes';
}

/** The `?a=1&b=2` part of the hash as URLSearchParams. */
function hashParams() {
  const q = location.hash.split('?')[1] || '';
  return new URLSearchParams(q);
}

async function onLogin(body) {
  state.me = { user: body.user, role: body.role, party_id: body.party_id, region: body.region };
  if (location.hash === `#/${home()}`) await route();
  else location.hash = `#/${home()}`;
}

async function whoAmI() {
  const saved = savedUser();
  // No login in this tab: show the login page without asking the API (no 401 in the console).
  if (!saved) return null;
  try {
    const me = await api('/api/v1/me');
    return { user: saved.user, role: me.role, party_id: me.party_id, region: me.region };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      clearLogin();
      return null;
    }
    throw e;
  }
}

async function logout() {
  try {
    await api('/api/v1/logout', { method: 'POST' });
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) toast(e.message, 'error');
  }
  clearLogin();
  state.me = null;
  location.hash = '#/login';
}

async function start() {
  document.getElementById('lang').addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    route();
  });
  document.getElementById('logout').addEventListener('click', logout);
  setUnauthorizedHandler(() => {
    if (!state.me) return;
    clearLogin();
    state.me = null;
    sessionStorage.setItem('wuliu.expired', '1');
    location.hash = '#/login';
  });
  window.addEventListener('hashchange', route);
  applyStatic();
  try {
    state.me = await whoAmI();
  } catch (e) {
    clear(document.getElementById('main')).appendChild(errorBox(e));
    return;
  }
  await route();
}

start();
