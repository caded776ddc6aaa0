// The protocol side of a simulated node talks to the gateway through one of these: a pty serial line
// or an MQTT connection. Texts are protocol JSON; the transport does the framing.

export type TransportLink = 'serial' | 'mqtt';

export interface NodeTransport {
  readonly link: TransportLink;
  /** True while messages can be delivered. */
  readonly up: boolean;
  /** Opens the transport. Serial fails when the device cannot be opened; MQTT keeps retrying in the background. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Sends one protocol message; false when the link is down (the caller keeps it for retransmission). */
  send(json: string): boolean;
  /** Downlink texts (one protocol message each). */
  onReceive(fn: (json: string) => void): void;
  /** Link went up (connected, port open) or down. */
  onStatus(fn: (up: boolean) => void): void;
  /** Wi-Fi signal for the heartbeat, where the link has one. */
  rssi(): number | undefined;
}

export class TransportError extends Error {
  override name = 'TransportError';
}
