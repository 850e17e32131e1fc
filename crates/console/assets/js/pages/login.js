// 登录 Login: username and password → POST /api/v1/login; the CSRF token is kept for writes.
import { t } from '../i18n.js';
import { api, saveLogin } from '../api.js';
import { h, errorText } from '../ui.js';

export async function render(root, { onLogin }) {
  const expired = sessionStorage.getItem('wuliu.expired') === '1';
  sessionStorage.removeItem('wuliu.expired');
  const msg = h('div', { class: expired ? 'error' : 'error hidden', role: 'alert', id: 'login-error',
    text: expired ? t('auth.expired') : '' });
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'btn btn-primary btn-block', id: 'login-submit', text: t('auth.login') });
  const form = h('form', { class: 'login-form', id: 'login-form', novalidate: true },
    h('h1', { text: t('auth.title') }),
    h('p', { class: 'muted', text: t('auth.hint') }),
    h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('auth.username') }), user),
    h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('auth.password') }), pass),
    msg, button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.classList.add('hidden');
    if (!user.value.trim() || !pass.value) {
      msg.textContent = t('auth.missing');
      msg.classList.remove('hidden');
      return;
    }
    button.disabled = true;
    try {
      const body = await api('/api/v1/login', { method: 'POST', body: { username: user.value.trim(), password: pass.value } });
      saveLogin(body);
      await onLogin(body);
    } catch (e) {
      msg.textContent = e.status === 401 ? `${t('auth.failed')}${t('common.colon')}${e.message}` : errorText(e);
      msg.classList.remove('hidden');
      button.disabled = false;
    }
  });
  root.appendChild(h('div', { class: 'login-wrap' }, form));
  user.focus();
}
