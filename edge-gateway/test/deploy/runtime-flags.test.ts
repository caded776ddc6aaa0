// The service's runtime settings are measured once (bench `ingest`, rss_mb_8_nodes) and written in three
// places: service-runtime.ts (npm start, the bench), the systemd unit and install.sh's drop-in. Keep them equal.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { POINT_NODE_ARGS, SERVICE_ENV } from '../../src/service-runtime.js';

const unit = readFileSync(new URL('../../deploy/noodsteun-gateway.service', import.meta.url), 'utf8');
const install = readFileSync(new URL('../../deploy/install.sh', import.meta.url), 'utf8');

describe('service runtime settings', () => {
  it('are the same in the systemd unit, install.sh and service-runtime.ts', () => {
    const flags = POINT_NODE_ARGS.join(' ');
    expect(unit).toMatch(new RegExp(`^ExecStart=/usr/bin/node ${flags} `, 'm'));
    expect(install).toContain(`ExecStart=%s ${flags} `);
    const env = Object.entries(SERVICE_ENV).map(([k, v]) => `${k}=${v}`).join(' ');
    expect(unit).toContain(`Environment=${env}`);
  });
});
