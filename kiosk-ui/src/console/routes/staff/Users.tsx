// Technician: the gateway's accounts, and adding staff (or another technician).
import { useEffect, useState } from 'preact/hooks';
import type { UserRole } from '../../../lib/api/session.js';
import { translator } from '../../../lib/i18n/table.js';
import { consoleAuthStrings } from '../../../lib/i18n/tables/console-auth.js';
import { reasonOf, statusOf } from '../../../lib/api/client.js';
import { MIN_PASSWORD } from '../../auth/Setup.js';
import type { ScreenProps } from '../../screens.js';

interface Account {
  id: number;
  username: string;
  role: UserRole;
  createdAt: number;
  disabled: boolean | number;
}

export default function Users({ i18n, session }: ScreenProps) {
  const t = translator(consoleAuthStrings, i18n);
  const [users, setUsers] = useState<Account[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'staff' | 'technician'>('staff');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);

  const load = () =>
    session.get<{ users: Account[] }>('/api/users').then(
      (r) => {
        setUsers(r.users);
        setLoadError(null);
      },
      (err: unknown) => setLoadError(reasonOf(err)),
    );
  useEffect(() => {
    void load();
  }, []);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (password.length < MIN_PASSWORD) return setMsg({ tone: 'bad', text: t('setup.short') });
    setBusy(true);
    setMsg(null);
    try {
      const u = await session.send<{ username: string }>('POST', '/api/users', { username: username.trim(), password, role });
      setMsg({ tone: 'ok', text: t('users.added', { name: u.username }) });
      setUsername('');
      setPassword('');
      await load();
    } catch (err) {
      setMsg({ tone: 'bad', text: statusOf(err) === 409 ? t('users.taken') : t('users.failed', { reason: reasonOf(err) }) });
    } finally {
      setBusy(false);
    }
  };

  const date = (ms: number) => new Date(ms).toLocaleString(i18n.locale());
  return (
    <section aria-labelledby="users-title" data-screen="users">
      <h2 id="users-title">{t('users.title')}</h2>
      <p>{t('users.intro')}</p>
      <h3>{t('users.list')}</h3>
      {users ? (
        <div class="nc-scroll">
          <table class="nc-table" data-table="users">
            <thead>
              <tr>
                <th scope="col">{t('users.col.name')}</th>
                <th scope="col">{t('users.col.role')}</th>
                <th scope="col">{t('users.col.created')}</th>
                <th scope="col">{t('users.col.state')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-user-row={u.username}>
                  <th scope="row">{u.username}</th>
                  <td>{t(`role.${u.role}`)}</td>
                  <td>{date(u.createdAt)}</td>
                  <td>{u.disabled ? t('users.disabled') : t('users.active')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p role="status">{loadError ?? t('loading')}</p>
      )}
      <h3 id="users-add">{t('users.add')}</h3>
      <form class="nc-form" onSubmit={submit} aria-labelledby="users-add">
        <label for="user-name">{t('users.username')}</label>
        <input id="user-name" name="username" autoComplete="off" required minLength={2} maxLength={40} value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="user-password">{t('users.password')}</label>
        <input id="user-password" name="password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <label for="user-role">{t('users.role')}</label>
        <select id="user-role" name="role" value={role} onChange={(e) => setRole(e.currentTarget.value === 'technician' ? 'technician' : 'staff')}>
          <option value="staff">{t('role.staff')}</option>
          <option value="technician">{t('role.technician')}</option>
        </select>
        <button type="submit" class="nc-button" disabled={busy}>
          {t('users.submit')}
        </button>
        <p class="nc-msg" data-tone={msg?.tone} role="status">
          {msg?.text ?? ''}
        </p>
      </form>
    </section>
  );
}
