// Child process for crash.test.ts: ingests JSON messages (one per stdin line) into a file database and
// prints `ACK <node> <boot> <seq,seq…>` for every acknowledgement. Run: node --import tsx crash-child.ts <db>
// stdout to a pipe is synchronous on Linux, so a printed ack has left the process before it can be killed.
import { createInterface } from 'node:readline';
import { EventBus } from '../../src/core/bus.js';
import { SystemClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { Ingest } from '../../src/ingest/index.js';
import { createLogger } from '../../src/log/logger.js';
import { decodeMessage, isUplink } from '../../src/protocol/index.js';
import { Store } from '../../src/store/index.js';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-child.ts <db>');
const log = createLogger('crash-child', { level: 'warn' });
const store = Store.open(path, { log });
const ingest = new Ingest({
  store,
  bus: new EventBus<GatewayEvents>(log),
  clock: new SystemClock(),
  log,
  commitIntervalMs: 5,
  maxBatch: 32,
  maintenanceIntervalMs: null,
  sendAck: (_link, ack) => {
    process.stdout.write(`ACK ${ack.node} ${ack.body.boot} ${ack.body.seqs.join(',')}\n`);
    return true;
  },
});
ingest.start();
process.stdout.write('READY\n');

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const msg = decodeMessage(line);
  if (isUplink(msg)) ingest.accept(msg, 'pipe', Date.now());
});
lines.on('close', () => {
  ingest.stop();
  store.close();
  process.stdout.write('DONE\n');
});
