// VE.Direct text protocol, byte level. A device sends blocks of `\r\n<label>\t<value>` fields, each
// block closed by `\r\nChecksum\t<byte>`; every byte of the block, from the first `\r\n` up to and
// including that checksum byte, sums to 0 mod 256. The checksum byte is arbitrary (it may be `\r`,
// `\n`, `:` or unprintable), so it is taken blindly. Hex-protocol frames (`:` … `\n`) may be sent
// at any point, even inside a field: they are skipped and are not part of the sum.
//
// Memory is bounded: labels, values, hex frames and the field count per block all have ceilings;
// anything beyond them is garbage, and the parser resyncs at the next line and block boundary.

export const VEDIRECT_BAUD_RATE = 19_200;
/** Victron splits its output so a block stays around 22 fields; the ceiling leaves some slack. */
export const MAX_FIELDS = 24;
/** Longest label seen in the protocol is 8 characters (`Checksum`, `AC_OUT_V`). */
export const MAX_LABEL_LEN = 16;
/** The protocol's values are at most 32 characters (e.g. `BMV` = `SmartShunt 500A/50mV`). */
export const MAX_VALUE_LEN = 40;
/** Hex frames carry at most a few dozen payload bytes; longer runs are garbage. */
export const MAX_HEX_LEN = 256;
/** Most text bytes the parser holds at any time (the fields of one block plus one line). */
export const MAX_BUFFERED = (MAX_FIELDS + 1) * (MAX_LABEL_LEN + MAX_VALUE_LEN);

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const CHECKSUM_LABEL = 'Checksum';
const HEX_TOO_LONG = `hex frame longer than ${MAX_HEX_LEN} bytes`;
const LABEL_TOO_LONG = `label longer than ${MAX_LABEL_LEN} bytes`;
const VALUE_TOO_LONG = `value of %l longer than ${MAX_VALUE_LEN} bytes`;
const TOO_MANY_FIELDS = `more than ${MAX_FIELDS} fields in one block`;

/** One block whose checksum held: labels → raw values, in the order sent. */
export interface VeDirectBlock {
  fields: Map<string, string>;
}

export type VeDirectRejectReason = 'checksum' | 'malformed';

export interface VeDirectRejection {
  reason: VeDirectRejectReason;
  detail: string;
}

export interface VeDirectParserStats {
  /** Blocks with a valid checksum, returned by push(). */
  blocks: number;
  /** Well-formed blocks whose bytes did not sum to 0. */
  checksum: number;
  /** Blocks abandoned on garbage (bad bytes, overlong label/value/hex frame, too many or duplicate fields). */
  malformed: number;
  /** Blocks already under way when the parser started or was reset, dropped silently. */
  partial: number;
  /** Complete hex frames skipped. */
  hexFrames: number;
  /** Every byte pushed. */
  bytes: number;
}

type State = 'eol' | 'label' | 'value' | 'checksum';

function isHexDigit(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/**
 * Feed it chunks as they arrive from the port; it returns the blocks completed by each chunk.
 * Never throws. Bad blocks are counted in `stats` and reported through `onReject`.
 */
export class VeDirectParser {
  readonly stats: VeDirectParserStats = { blocks: 0, checksum: 0, malformed: 0, partial: 0, hexFrames: 0, bytes: 0 };

  private state: State = 'eol';
  private sum = 0;
  /** Whether the current block began after a checksum byte we saw; if not, its start was missed. */
  private synced = false;
  /** No structural error in the current block so far. */
  private clean = true;
  private fields = new Map<string, string>();
  private fieldChars = 0;
  private readonly label = new Uint8Array(MAX_LABEL_LEN);
  private labelLen = 0;
  /** Label of the field whose value is being read. */
  private pendingLabel = '';
  private readonly value = new Uint8Array(MAX_VALUE_LEN);
  private valueLen = 0;
  private inHex = false;
  private hexLen = 0;
  private out: VeDirectBlock[] = [];

  constructor(private readonly onReject?: (r: VeDirectRejection) => void) {}

  push(chunk: Uint8Array): VeDirectBlock[] {
    this.out = [];
    for (let i = 0; i < chunk.length; i++) this.byte(chunk[i]!);
    this.stats.bytes += chunk.length;
    return this.out;
  }

  /** Forgets the block under way (e.g. after the device was reopened); the next one counts as partial. */
  reset(): void {
    this.state = 'eol';
    this.sum = 0;
    this.synced = false;
    this.clean = true;
    this.clearFields();
    this.labelLen = 0;
    this.valueLen = 0;
    this.inHex = false;
    this.hexLen = 0;
  }

  /** Text bytes held for the block under way; never more than MAX_BUFFERED. */
  get buffered(): number {
    return this.fieldChars + this.labelLen + this.valueLen;
  }

  private byte(b: number): void {
    if (this.inHex) {
      if (b === LF) {
        this.inHex = false;
        this.stats.hexFrames++;
        return;
      }
      if (b === CR) return;
      if (isHexDigit(b) && this.hexLen < MAX_HEX_LEN) {
        this.hexLen++;
        return;
      }
      // Not a hex frame after all (or a runaway one): what it swallowed is lost to the text block.
      this.inHex = false;
      if (this.hexLen >= MAX_HEX_LEN) this.fail(HEX_TOO_LONG);
      else this.fail('byte %b inside a hex frame', b);
      // Fall through: this byte is text (or the start of the next hex frame).
    }
    if (b === COLON && this.state !== 'checksum') {
      this.inHex = true;
      this.hexLen = 0;
      return;
    }
    this.sum = (this.sum + b) & 0xff;
    switch (this.state) {
      case 'eol':
        if (b === LF) this.startLabel();
        else if (b !== CR) this.fail('byte %b between fields', b);
        return;
      case 'label':
        this.labelByte(b);
        return;
      case 'value':
        this.valueByte(b);
        return;
      case 'checksum':
        this.endBlock();
        return;
    }
  }

  private startLabel(): void {
    this.state = 'label';
    this.labelLen = 0;
  }

  private labelByte(b: number): void {
    if (b === TAB) {
      const label = latin1(this.label, this.labelLen);
      this.labelLen = 0;
      if (label === '') {
        this.fail('empty label');
        this.state = 'eol';
      } else if (label === CHECKSUM_LABEL) {
        this.state = 'checksum';
      } else {
        this.pendingLabel = label;
        this.valueLen = 0;
        this.state = 'value';
      }
      return;
    }
    if (b === LF) {
      this.fail('line without a tab');
      this.startLabel();
    } else if (b < 0x21 || b > 0x7e) {
      this.fail(b === CR ? 'line without a tab' : 'byte %b in a label', b);
      this.toEol();
    } else if (this.labelLen >= MAX_LABEL_LEN) {
      this.fail(LABEL_TOO_LONG);
      this.toEol();
    } else {
      this.label[this.labelLen++] = b;
    }
  }

  private valueByte(b: number): void {
    if (b === CR) {
      this.addField(this.pendingLabel, latin1(this.value, this.valueLen));
      this.toEol();
    } else if (b === LF) {
      this.fail('field %l not ended by \\r');
      this.valueLen = 0;
      this.startLabel();
    } else if (b < 0x20 || b > 0x7e) {
      this.fail('byte %b in the value of %l', b);
      this.toEol();
    } else if (this.valueLen >= MAX_VALUE_LEN) {
      this.fail(VALUE_TOO_LONG);
      this.toEol();
    } else {
      this.value[this.valueLen++] = b;
    }
  }

  private toEol(): void {
    this.state = 'eol';
    this.labelLen = 0;
    this.valueLen = 0;
  }

  private addField(label: string, value: string): void {
    if (!this.clean) return;
    if (this.fields.has(label)) return this.fail('field %l twice in one block');
    if (this.fields.size >= MAX_FIELDS) return this.fail(TOO_MANY_FIELDS);
    this.fields.set(label, value);
    this.fieldChars += label.length + value.length;
  }

  private endBlock(): void {
    this.state = 'eol';
    const sum = this.sum;
    const fields = this.fields;
    if (this.clean && sum === 0 && fields.size > 0) {
      // A block whose start we missed can still be whole (the stream began exactly at its `\r\n`).
      this.stats.blocks++;
      this.out.push({ fields });
      this.fields = new Map();
      this.fieldChars = 0;
    } else {
      if (!this.synced) this.stats.partial++;
      else if (this.clean && fields.size > 0) {
        this.stats.checksum++;
        this.onReject?.({ reason: 'checksum', detail: `bytes sum to 0x${hex2(sum)}, not 0, over a block of ${fields.size} fields (${[...fields.keys()].slice(0, 3).join(',')}…)` });
      } else if (this.clean) {
        // `\r\nChecksum\t<b>` with no field before it: nothing to deliver either way.
        if (sum !== 0) {
          this.stats.checksum++;
          this.onReject?.({ reason: 'checksum', detail: `bytes sum to 0x${hex2(sum)}, not 0, over an empty block` });
        }
      }
      this.clearFields();
    }
    this.sum = 0;
    this.synced = true;
    this.clean = true;
  }

  /**
   * The block under way is garbage: report it once (if we saw it begin) and skip to its end.
   * `problem` is a constant with `%b` for `byte` and `%l` for the current label, filled in only when
   * reported: a stream of junk (wrong baud rate) fails on every byte and should not allocate for it.
   */
  private fail(problem: string, byte = 0): void {
    if (this.clean && this.synced) {
      this.stats.malformed++;
      const detail = problem.replace('%b', `0x${hex2(byte)}`).replace('%l', this.pendingLabel);
      this.onReject?.({ reason: 'malformed', detail });
    }
    this.clean = false;
    this.clearFields();
  }

  private clearFields(): void {
    if (this.fields.size > 0) this.fields = new Map();
    this.fieldChars = 0;
  }
}

function latin1(bytes: Uint8Array, len: number): string {
  return String.fromCharCode(...bytes.subarray(0, len));
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}
