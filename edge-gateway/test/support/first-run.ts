// First-run set-up over HTTP, as a technician does it on a new gateway: the one-time code from the log, POST
// /api/setup, and the session that comes back. In its own module so a test of a bare API need not load the gateways.
import type { LogRecord } from '../../src/log/logger.js';

/** First-run set-up with the one-time code a gateway logged: the first technician's session cookie and CSRF token. */
export async function firstRunSetUp(url: string, records: LogRecord[], username = 'tech', password = 'a long passphrase here'): Promise<{ cookie: string; csrf: string }> {
  const code = records.find((r) => typeof r.setupCode === 'string')?.setupCode;
  if (typeof code !== 'string' || !/^[a-z0-9]{8,}$/.test(code)) throw new Error('no set-up code in the log');
  const res = await fetch(`${url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, username, password }),
  });
  if (res.status !== 201) throw new Error(`set-up failed: ${res.status} ${await res.text()}`);
  const { csrf } = ((await res.json()) as { data: { csrf: string } }).data;
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf };
}
