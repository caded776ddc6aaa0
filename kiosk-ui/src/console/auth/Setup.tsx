// First-run set-up: the first technician account, allowed once with the one-time code the gateway prints
// in its log and writes to <dataDir>/setup-code. There is no default password.
import { useState } from 'preact/hooks';
import type { SessionStore } from '../../lib/api/session.js';
import type { I18n } from '../../lib/i18n/i18n.js';
import { translator } from '../../lib/i18n/table.js';
import { consoleAuthStrings } from '../../lib/i18n/tables/console-auth.js';
import { reasonOf, statusOf } from '../../lib/api/client.js';

export const MIN_PASSWORD = 12;

export function Setup({ i18n, session }: { i18n: I18n; session: SessionStore }) {
  const t = translator(consoleAuthStrings, i18n);
  const [code, setCode] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (password.length < MIN_PASSWORD) return setError(t('setup.short'));
    if (password !== password2) return setError(t('setup.mismatch'));
    setBusy(true);
    setError(null);
    try {
      await session.setup(code.trim(), username.trim(), password);
    } catch (err) {
      const st = statusOf(err);
      if (st === 409) {
        // someone finished set-up meanwhile: the login form is next
        await session.refresh().catch(() => undefined);
        setError(t('setup.done'));
      } else setError(st === 403 ? t('setup.wrongCode') : st === 429 ? t('login.tooMany') : t('setup.failed', { reason: reasonOf(err) }));
      setBusy(false);
    }
  };

  return (
    <section class="nc-auth" aria-labelledby="setup-title" data-screen="setup">
      <h2 id="setup-title">{t('setup.title')}</h2>
      <p>{t('setup.intro')}</p>
      <p id="setup-where">{t('setup.where')}</p>
      <form class="nc-form" onSubmit={submit}>
        <label for="setup-code">{t('setup.code')}</label>
        <input id="setup-code" name="code" autoComplete="one-time-code" required aria-describedby="setup-where" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        <label for="setup-username">{t('setup.username')}</label>
        <input id="setup-username" name="username" autoComplete="username" required minLength={2} maxLength={40} value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="setup-password">{t('setup.password')}</label>
        <input id="setup-password" name="password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <label for="setup-password2">{t('setup.password2')}</label>
        <input id="setup-password2" name="password2" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={password2} onInput={(e) => setPassword2(e.currentTarget.value)} />
        <button type="submit" class="nc-button" disabled={busy}>
          {t('setup.submit')}
        </button>
        {error ? (
          <p class="nc-msg" data-tone="bad" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
