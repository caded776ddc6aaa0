// aedes' parser buffers a whole packet before anyone can look at it, and MQTT allows 256 MB.
// This watcher reads each packet's fixed header (type byte + variable-length "remaining length")
// as the bytes go by and reports a packet that announces more than the limit, so the connection
// can be cut before the body is buffered (like Mosquitto's max_packet_size).

export class PacketSizeWatcher {
  /** 0 = expecting a fixed-header byte, 1 = reading remaining length, 2 = skipping the body. */
  private state: 0 | 1 | 2 = 0;
  private length = 0;
  private multiplier = 1;
  private headerBytes = 0;
  private toSkip = 0;

  constructor(private readonly maxPacketBytes: number) {}

  /** Feeds bytes read from the client; returns the announced size when a packet exceeds the limit. */
  push(chunk: Uint8Array): number | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 2) {
        const n = Math.min(this.toSkip, chunk.length - i);
        this.toSkip -= n;
        i += n;
        if (this.toSkip === 0) this.state = 0;
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === 0) {
        this.state = 1;
        this.length = 0;
        this.multiplier = 1;
        this.headerBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.headerBytes++;
      if (byte & 0x80) {
        // More than 4 length bytes is malformed; aedes' parser rejects it, treat it as oversize here.
        if (this.headerBytes >= 4) return Infinity;
        continue;
      }
      const total = 1 + this.headerBytes + this.length;
      if (total > this.maxPacketBytes) return total;
      this.toSkip = this.length;
      this.state = this.toSkip > 0 ? 2 : 0;
    }
    return null;
  }
}
