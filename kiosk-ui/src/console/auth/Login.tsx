// Login form for every console role. The password never leaves this component's state.
import { useState } from 'preact/hooks';
import type { SessionStore } from '../../lib/api/session.js';
import type { I18n } from '../../lib/i18n/i18n.js';
import { translator } from '../../lib/i18n/table.js';
import { consoleAuthStrings } from '../../lib/i18n/tables/console-auth.js';
import { reasonOf, statusOf } from '../../lib/api/client.js';

export function Login({ i18n, session, expired }: { i18n: I18n; session: SessionStore; expired: boolean }) {
  const t = translator(consoleAuthStrings, i18n);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.login(username.trim(), password);
    } catch (err) {
      const st = statusOf(err);
      setError(st === 401 ? t('login.wrong') : st === 429 ? t('login.tooMany') : t('login.failed', { reason: reasonOf(err) }));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <section class="nc-auth" aria-labelledby="login-title" data-screen="login">
      <h2 id="login-title">{t('login.title')}</h2>
      <p>{t('login.intro')}</p>
      {expired && !error ? (
        <p class="nc-msg" data-tone="warn" role="status">
          {t('login.expired')}
        </p>
      ) : null}
      <form class="nc-form" onSubmit={submit} aria-describedby={error ? 'login-error' : undefined}>
        <label for="login-username">{t('login.username')}</label>
        <input id="login-username" name="username" autoComplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="login-password">{t('login.password')}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <button type="submit" class="nc-button" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
        {error ? (
          <p id="login-error" class="nc-msg" data-tone="bad" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
