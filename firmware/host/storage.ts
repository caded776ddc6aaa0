// Espruino's Storage module over an in-memory map that outlives reboots of the host runtime.
// Counts writes and bytes written, so tests can bound flash wear.

export class HostStorage {
  readonly files = new Map<string, string>();
  writes = 0;
  bytesWritten = 0;
  /** Storage size of an ESP32 Espruino build (bytes). */
  readonly capacity = 0x30000;

  read(name: string): string | undefined {
    return this.files.get(name);
  }

  readJSON(name: string, noExceptions?: boolean): unknown {
    const s = this.files.get(name);
    if (s === undefined) return undefined;
    try {
      return JSON.parse(s) as unknown;
    } catch (err) {
      if (noExceptions === true) return undefined;
      throw err;
    }
  }

  write(name: string, data: string): boolean {
    if (name.length > 28) throw new Error(`Storage: name too long: ${name}`);
    this.files.set(name, String(data));
    this.writes++;
    this.bytesWritten += String(data).length;
    return true;
  }

  writeJSON(name: string, data: unknown): boolean {
    return this.write(name, JSON.stringify(data));
  }

  erase(name: string): void {
    this.files.delete(name);
  }

  list(): string[] {
    return [...this.files.keys()];
  }

  getFree(): number {
    let used = 0;
    for (const v of this.files.values()) used += v.length;
    return this.capacity - used;
  }
}
