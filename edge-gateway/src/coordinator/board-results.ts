// The points' answers to board broadcasts (BoardResult on noodsteun/point/<p>/board/result), read on
// the coordinator's broker over the point ingest's connection (the broker allows one session per
// user); a malformed one, or one on another point's topic, is logged and dropped.
import type { MqttClient } from 'mqtt';
import { errorMessage, type Logger } from '../log/logger.js';
import { TOPIC_ROOT } from '../protocol/topics.js';
import { BoardResultSchema, type BoardResult } from './signing/verifier.js';

export const BOARD_RESULT_FILTER = `${TOPIC_ROOT}/point/+/board/result`;
const RESULT_TOPIC_RE = new RegExp(`^${TOPIC_ROOT}/point/([a-z0-9][a-z0-9-]{0,31})/board/result$`);

export interface BoardResultIngestOptions {
  /** A connected client of the coordinator's service user. */
  client: MqttClient;
  log: Logger;
  onResult: (r: BoardResult) => void;
}

export class BoardResultIngest {
  rejected = 0;
  private readonly listener = (topic: string, payload: Buffer) => this.onMessage(topic, payload);

  constructor(private readonly o: BoardResultIngestOptions) {}

  async start(): Promise<void> {
    this.o.client.on('message', this.listener);
    try {
      await this.o.client.subscribeAsync(BOARD_RESULT_FILTER, { qos: 1 });
    } catch (err) {
      this.o.log.error('subscribe failed', { error: errorMessage(err) });
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    const m = RESULT_TOPIC_RE.exec(topic);
    if (!m) return; // another subscription on the shared connection
    let value: unknown;
    try {
      value = JSON.parse(payload.toString('utf8'));
    } catch {
      value = null;
    }
    const r = BoardResultSchema.safeParse(value);
    if (!r.success || r.data.point !== m[1]) {
      this.rejected++;
      this.o.log.warn('board result rejected', { topic });
      return;
    }
    this.o.onResult(r.data);
  }

  stop(): void {
    this.o.client.removeListener('message', this.listener);
  }
}
