// What the relay needs from a LoRaWAN modem, whatever module sits on the UART. The RAK3172 driver
// implements it over RUI3 AT commands; an RN2483 (`mac tx cnf`) or Wio-E5 (`AT+CMSGHEX`) driver
// would implement the same contract, with the same typed errors (./errors.ts).

export interface JoinOptions {
  /** Join attempts the modem makes before giving up (RUI3 `AT+JOIN=1:0:<interval>:<attempts>`). */
  attempts?: number;
  /** Seconds between attempts (RUI3 allows 7–255). */
  intervalS?: number;
  /** Overall deadline for join() in ms. */
  timeoutMs?: number;
}

export interface SendOptions {
  /** Ask the network for an acknowledgement (costs a downlink: TTN allows ~10 a day). */
  confirmed?: boolean;
  /** Deadline for the completion event; default scales with airtime. */
  timeoutMs?: number;
}

export interface SendResult {
  confirmed: boolean;
  dr: number;
  bytes: number;
}

export interface LinkCheckOptions {
  /** fPort of the uplink that carries the LinkCheckReq (RUI3 refuses an empty payload). */
  port?: number;
  /** Payload of that uplink, at least one byte. */
  bytes?: Uint8Array;
  /** Deadline for the uplink's completion event; default scales with airtime. */
  timeoutMs?: number;
}

/**
 * Answer to a LoRaWAN LinkCheckReq (LinkCheckAns, TS001 §5.1). `ok` false: the network did not answer
 * in the receive windows (uplink not heard, or no downlink came back); the figures are then null / 0.
 */
export interface LinkCheckResult {
  ok: boolean;
  /** Demodulation margin of the uplink at the best gateway, dB above the demodulation floor (0–254). */
  marginDb: number | null;
  /** Gateways that heard the uplink. */
  gateways: number;
  /** RSSI (dBm) and SNR (dB) of the answering downlink as the module received it. */
  rssi: number | null;
  snr: number | null;
  /** Data rate of the uplink. */
  dr: number;
}

export type RxWindow = 'RX_1' | 'RX_2' | 'RX_B' | 'RX_C';

export interface Downlink {
  port: number;
  bytes: Uint8Array;
  rssi: number;
  snr: number;
  window: RxWindow;
  multicast: boolean;
  /** Clock time the modem reported it. */
  receivedAt: number;
}

/**
 * closed: port not open · ready: answering, not joined · joining · joined ·
 * recovering: probing or resetting after silence · down: not answering even after a reset.
 */
export type ModemState = 'closed' | 'ready' | 'joining' | 'joined' | 'recovering' | 'down';

export interface ModemStatus {
  state: ModemState;
  joined: boolean;
  dr: number;
  /** Largest payload send() accepts at the current data rate. */
  maxPayload: number;
  /** A send() is in progress (from its first command to its completion event). */
  sending: boolean;
  counters: {
    sent: number;
    confirmedFailed: number;
    downlinks: number;
    timeouts: number;
    resets: number;
  };
  lastError: string | null;
}

export interface ModemEvents {
  downlink: Downlink;
  status: ModemStatus;
}

export interface LoraModem {
  readonly name: string;
  /**
   * Opens the port (rejects with ModemDownError if it cannot) and reads the module's state. A module
   * that does not answer is probed and reset; if that fails, status().state is 'down' and probing
   * continues with backoff, so callers watch the 'status' event rather than retrying open().
   */
  open(): Promise<void>;
  close(): Promise<void>;
  /** OTAA join; resolves when joined, rejects with JoinFailedError / ModemTimeoutError. */
  join(opts?: JoinOptions): Promise<void>;
  /** EU868 DR0–DR5; the payload limit follows it. */
  setDataRate(dr: number): Promise<void>;
  /**
   * One uplink. Resolves when the modem reports it sent (unconfirmed) or acknowledged (confirmed).
   * Rejects with PayloadTooLargeError, NotJoinedError, ModemBusyError, DutyCycleError, ModemParamError,
   * ConfirmedSendFailedError, ModemTimeoutError or ModemDownError.
   */
  send(port: number, bytes: Uint8Array, opts?: SendOptions): Promise<SendResult>;
  /**
   * Link check: one unconfirmed uplink carrying a LinkCheckReq, resolved with the network's answer.
   * A network that does not answer is a result with ok false, not an error. Rejects like send()
   * (NotJoinedError, ModemBusyError, DutyCycleError, ModemTimeoutError, ModemDownError …).
   */
  linkCheck(opts?: LinkCheckOptions): Promise<LinkCheckResult>;
  /** Soft reset of the module; the session is lost, join() again. */
  reset(): Promise<void>;
  status(): ModemStatus;
  on<K extends keyof ModemEvents>(event: K, fn: (payload: ModemEvents[K]) => void): () => void;
}
