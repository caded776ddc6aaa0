// Builds text-protocol blocks as a monitor sends them: for simulators and tests.

/** `\r\n<label>\t<value>` for each field, then `\r\nChecksum\t<byte>` making the block sum to 0 mod 256. */
export function encodeBlock(fields: Iterable<readonly [string, string]>): Buffer {
  let text = '';
  for (const [label, value] of fields) text += `\r\n${label}\t${value}`;
  const head = Buffer.from(`${text}\r\nChecksum\t`, 'latin1');
  let sum = 0;
  for (const b of head) sum = (sum + b) & 0xff;
  return Buffer.concat([head, Buffer.of((256 - sum) & 0xff)]);
}
