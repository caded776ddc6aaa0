// CRC-8 (polynomial 0x07, init 0) closing every frame. The LoRaWAN MIC protects the radio hop;
// this byte catches what happens outside it (hex pasted by hand, another device type on the same
// application port, a gateway bug) and costs no airtime for the status frame at SF12, where
// 11 and 12 bytes round to the same number of symbols.
export function crc8(data: Uint8Array, end = data.length): number {
  let crc = 0;
  for (let i = 0; i < end; i++) {
    crc ^= data[i] ?? 0;
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}
