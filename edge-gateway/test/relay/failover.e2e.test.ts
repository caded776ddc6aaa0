// End to end in simulation: the point's IP link to the coordinator's broker is cut, a backlog flows
// over LoRa (real RAK3172 driver ↔ simulated module on a socat pty ↔ simulated network server →
// ChirpStack v4 events), an emergency submitted behind it goes out at once, confirmed; the link comes
// back and the outbox drains over MQTT. The coordinator must hold every report exactly once.
import { describe, it, expect } from 'vitest';
import { skipWithout } from '../support/externals.js';
import { runFailoverTrial } from '../../src/relay/failover-sim.js';

const SKIP = skipWithout('socat', 'relay failover end-to-end test (LoRa modem on a pty)');

describe.skipIf(SKIP)('relay failover IP → LoRa → IP (simulation)', () => {
  it('loses and duplicates nothing, and sends the emergency within 5 s, confirmed', async () => {
    // Clock 5×: wall-time overheads count 5× in simulated time, which leaves margin on a loaded CI machine.
    const r = await runFailoverTrial({ speed: 5, backlog: 24, emergencyWhileSending: true });
    console.log('failover trial', JSON.stringify(r));
    expect(r.submitted).toBe(3 + 24 + 1);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.emergencyPath).toBe('lora');
    expect(r.backlogAtEmergency).toBeGreaterThan(15);
    expect(r.emergencyConfirmed).toBe(true);
    expect(r.emergencyTxDelayMs).toBeLessThanOrEqual(5000);
    // both paths carried reports, and the coordinator saw (and dropped) copies that crossed the switch
    expect(r.deliveredBy.chirpstack).toBeGreaterThan(0);
    expect(r.deliveredBy.ip).toBeGreaterThan(3);
  }, 60_000);
});
