// Typed errors of the LoRa codec. Every decode path throws only these (or returns them in
// TS013 `errors`), so a relay can log and drop a bad frame without guessing what went wrong.

export type DecodeErrorCode =
  | 'truncated'
  | 'oversize'
  | 'checksum'
  | 'version'
  | 'port'
  | 'range'
  | 'padding'
  | 'text'
  | 'fragment';

export class LoraCodecError extends Error {
  override name = 'LoraCodecError';
}

/** A frame (or a fragment set) that cannot be decoded. */
export class FrameDecodeError extends LoraCodecError {
  override name = 'FrameDecodeError';
  constructor(
    readonly code: DecodeErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A message that cannot be encoded (bad value, too long for the fragment limit). */
export class FrameEncodeError extends LoraCodecError {
  override name = 'FrameEncodeError';
}
