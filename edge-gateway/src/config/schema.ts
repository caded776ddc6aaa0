// Gateway configuration: one schema, validated at start-up; every error is reported with its path.
// Secrets (MQTT passwords, signing keys) never live here: they are generated into the data dir.
import { z } from 'zod';
import { NodeIdSchema, NodeKindSchema } from '../protocol/index.js';
import { ChargingConfigSchema } from '../charging/config.js';
import { DEFAULT_LORA_STATUS_INTERVAL_S, LORA_STATUS_INTERVAL_MAX_S, LORA_STATUS_INTERVAL_MIN_S } from '../relay/status-lora.js';

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'use 1-32 of a-z 0-9 -');
const Port = z.number().int().min(0).max(65535);

export const NodeEntrySchema = z.strictObject({
  id: NodeIdSchema,
  kind: NodeKindSchema,
  /** Expected heartbeat interval; the node is stale after `staleAfterMissed` missed beats. */
  heartbeatS: z.number().positive().max(3600).default(60),
});

export const SerialEntrySchema = z.strictObject({
  /** Prefer stable paths such as /dev/serial/by-id/… so a replugged node keeps its name. */
  path: z.string().min(1),
  baud: z.number().int().positive().default(115200),
});

export const VeDirectEntrySchema = z.strictObject({
  /** A Victron battery monitor (BMV, SmartShunt) read directly by the gateway. */
  path: z.string().min(1),
  /** Virtual node id its readings are stored under. */
  node: NodeIdSchema,
  intervalS: z.number().positive().max(3600).default(10),
});

export const BoardConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** 'simulated' writes the panel's image to <dataDir>/board/latest.png; 'pi' drives the panel over spidev + libgpiod. */
  backend: z.enum(['simulated', 'pi']).default('simulated'),
  panel: z.string().min(1).default('waveshare-7in5-v2'),
  spiDevice: z.string().min(1).default('/dev/spidev0.0'),
  /** Distance residents read the board from; sets the minimum type size. Default: the panel profile's. */
  readingDistanceM: z.number().min(0.5).max(20).optional(),
  /** Each page/language stays up this long (never shorter than the panel's minimum refresh interval). */
  rotateS: z.number().min(180).max(86_400).default(300),
  /** Content older than this is marked as old on the board. */
  staleAfterH: z.number().positive().max(24 * 30).default(6),
});
const BOARD_DEFAULTS = { enabled: true, backend: 'simulated', panel: 'waveshare-7in5-v2', spiDevice: '/dev/spidev0.0', rotateS: 300, staleAfterH: 6 } as const;

export const MqttBrokerSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('embedded'),
    /** 127.0.0.1 keeps the broker off the network; real nodes on the point's Wi-Fi need 0.0.0.0. */
    host: z.string().default('127.0.0.1'),
    port: Port.default(1883),
  }),
  z.strictObject({
    mode: z.literal('external'),
    url: z.string().regex(/^mqtts?:\/\//, 'must start with mqtt:// or mqtts://'),
    username: z.string().min(1),
    /** File holding the password (0600), not the password itself. */
    passwordFile: z.string().min(1),
  }),
]);

export const ConfigSchema = z.strictObject({
  role: z.enum(['point', 'coordinator']),
  /** Identifies this point (or coordinator) in topics and reports. */
  id: Id,
  name: z.string().min(1).max(80),
  /** Database, credentials and board images; keep it on the most durable storage the Pi has. */
  dataDir: z.string().min(1),
  log: z
    .strictObject({
      level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
      format: z.enum(['json', 'pretty']).default('json'),
    })
    .default({ level: 'info', format: 'json' }),
  store: z
    .strictObject({
      rawRetentionHours: z.number().positive().max(24 * 365).default(48),
      eventRetentionDays: z.number().positive().max(3650).default(30),
      commitIntervalMs: z.number().int().min(10).max(60_000).optional(),
    })
    .default({ rawRetentionHours: 48, eventRetentionDays: 30 }),
  nodes: z.array(NodeEntrySchema).max(64).default([]),
  staleAfterMissed: z.number().int().min(1).max(20).default(3),
  serial: z.array(SerialEntrySchema).max(16).default([]),
  board: BoardConfigSchema.default(BOARD_DEFAULTS),
  /** The phone-charging module (off by default, as in the pilot assignment). */
  charging: ChargingConfigSchema.default(() => ChargingConfigSchema.parse({})),
  /** The point's power system (hardware/power-budget.example.json format): the charging budget and runtime figures. */
  powerBudgetFile: z.string().min(1).optional(),
  privacy: z
    .strictObject({
      /** Names, addresses and messages in residents' reports are erased after this many days. */
      personalRetentionDays: z.number().positive().max(365).default(30),
    })
    .default({ personalRetentionDays: 30 }),
  /** Where the point is (WGS84): walking distances in the neighbourhood directory start here. */
  location: z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
  /** Citizen help (offers and requests): unhandled entries expire after this many hours. */
  help: z
    .strictObject({ entryLifetimeHours: z.number().positive().max(24 * 90).default(72) })
    .default({ entryLifetimeHours: 72 }),
  vedirect: z.array(VeDirectEntrySchema).max(4).default([]),
  mqtt: MqttBrokerSchema.default({ mode: 'embedded', host: '127.0.0.1', port: 1883 }),
  http: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: Port.default(8080),
      /** On the residents' hotspot: where phones' connectivity checks are redirected (e.g. http://10.42.0.1/). */
      portalUrl: z.string().url().optional(),
    })
    .default({ host: '127.0.0.1', port: 8080 }),
  /**
   * Point role: the LoRaWAN modem (RAK3172) the relay falls back to when the IP link is down. Its keys
   * live in the module; the network server names the device after the point id (see coordinator/lora-ingest).
   */
  lora: z
    .strictObject({
      /** Serial device of the modem (prefer /dev/serial/by-id/…). */
      path: z.string().min(1),
      /** EU868 data rate 0–5 (SF12–SF7); lower reaches further and costs more airtime. */
      dataRate: z.number().int().min(0).max(5).default(3),
      joinAttempts: z.number().int().min(1).max(20).default(3),
      /** RUI3 allows 7–255 s between join attempts. */
      joinIntervalS: z.number().int().min(7).max(255).default(10),
      /** A report without the coordinator's downAck by then is sent again (its receive windows also fetch the ack). */
      ackTimeoutS: z.number().int().min(5).max(86_400).default(900),
      /**
       * Heartbeat of the compact status while LoRa is the only path (relay/status-lora.ts): 1 h keeps a status
       * at DR3 to 4.9 s of airtime a day, 37 % of what TTN's 30 s fair use leaves after the emergency reserve.
       * At slower data rates the feed stretches it to fit (SF12: ~5.4 h); alarms still go early.
       */
      statusIntervalS: z.number().int().min(LORA_STATUS_INTERVAL_MIN_S).max(LORA_STATUS_INTERVAL_MAX_S).default(DEFAULT_LORA_STATUS_INTERVAL_S),
    })
    .optional(),
  /**
   * Coordinator role: a LoRaWAN network server whose uplink events carry the points' relayed reports
   * (the coordinator answers with downAcks on its downlink topic). Point role: ignored.
   */
  networkServer: z
    .strictObject({
      kind: z.enum(['chirpstack', 'ttn']).default('chirpstack'),
      /** Its MQTT broker; absent: it publishes into this coordinator's own broker. */
      url: z.string().regex(/^mqtts?:\/\//, 'must start with mqtt:// or mqtts://').optional(),
      username: z.string().min(1).optional(),
      /** File holding the password (0600), not the password itself. */
      passwordFile: z.string().min(1).optional(),
    })
    .refine((n) => !n.url || (n.username && n.passwordFile), 'an external network server needs username and passwordFile')
    .optional(),
  /** Point role: where to report to. Coordinator role: ignored. */
  coordinator: z
    .strictObject({
      url: z.string().regex(/^mqtts?:\/\//, 'must start with mqtt:// or mqtts://'),
      username: z.string().min(1),
      passwordFile: z.string().min(1),
      statusIntervalS: z.number().positive().max(3600).default(60),
      /**
       * The coordinator's board-signing public key, given at commissioning: signed board content is shown only
       * when it verifies against this key. `publicKey` is the raw 32-byte Ed25519 key in base64url (as
       * `loadOrCreateSigningKey` reports it), `keyId` its id (checked against the key at start), `issuer` the
       * coordinator's id. Without it every board message is refused (`unknown-key`) and reported.
       */
      boardKey: z
        .strictObject({
          issuer: Id,
          keyId: z.string().regex(/^[0-9a-f]{16}$/, 'key id: 16 hex digits'),
          publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'an Ed25519 public key: 32 bytes of base64url'),
        })
        .optional(),
    })
    .optional(),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type NodeEntry = z.infer<typeof NodeEntrySchema>;
