// UC8179 (GD7965) command bytes and the init sequences of the Waveshare 7.5″ V2 panel, as facts
// taken from the manufacturer's reference driver (epd7in5_V2) and the controller datasheet names.

export const CMD = {
  PANEL_SETTING: 0x00,
  POWER_SETTING: 0x01,
  POWER_OFF: 0x02,
  POWER_ON: 0x04,
  BOOSTER_SOFT_START: 0x06,
  DEEP_SLEEP: 0x07,
  DATA_START_OLD: 0x10,
  DISPLAY_REFRESH: 0x12,
  DATA_START_NEW: 0x13,
  DUAL_SPI: 0x15,
  VCOM_DATA_INTERVAL: 0x50,
  TCON: 0x60,
  RESOLUTION: 0x61,
  PARTIAL_WINDOW: 0x90,
  PARTIAL_IN: 0x91,
  CASCADE: 0xe0,
  FORCE_TEMPERATURE: 0xe5,
} as const;

/** Deep-sleep check code: the controller only sleeps when it sees this exact byte. */
export const DEEP_SLEEP_CHECK = 0xa5;

export type Step = { cmd: number; data?: number[] } | { waitBusy: true } | { delayMs: number };

export type InitMode = 'full' | 'fast' | 'partial';

/** Steps after the hardware reset, per refresh mode. Resolution bytes are filled in per panel. */
export function initSteps(mode: InitMode, width: number, height: number): Step[] {
  switch (mode) {
    case 'full':
      return [
        { cmd: CMD.POWER_SETTING, data: [0x07, 0x07, 0x3f, 0x3f] }, // VGH/VGL ±20 V, VDH/VDL ±15 V
        { cmd: CMD.BOOSTER_SOFT_START, data: [0x17, 0x17, 0x28, 0x17] },
        { cmd: CMD.POWER_ON },
        { delayMs: 100 },
        { waitBusy: true },
        { cmd: CMD.PANEL_SETTING, data: [0x1f] }, // black/white, LUT from OTP
        { cmd: CMD.RESOLUTION, data: [width >> 8, width & 0xff, height >> 8, height & 0xff] },
        { cmd: CMD.DUAL_SPI, data: [0x00] },
        { cmd: CMD.VCOM_DATA_INTERVAL, data: [0x10, 0x07] },
        { cmd: CMD.TCON, data: [0x22] },
      ];
    case 'fast':
      return [
        { cmd: CMD.PANEL_SETTING, data: [0x1f] },
        { cmd: CMD.VCOM_DATA_INTERVAL, data: [0x10, 0x07] },
        { cmd: CMD.POWER_ON },
        { delayMs: 100 },
        { waitBusy: true },
        { cmd: CMD.BOOSTER_SOFT_START, data: [0x27, 0x27, 0x18, 0x17] },
        { cmd: CMD.CASCADE, data: [0x02] },
        { cmd: CMD.FORCE_TEMPERATURE, data: [0x5a] }, // selects the fast waveform
      ];
    case 'partial':
      return [
        { cmd: CMD.PANEL_SETTING, data: [0x1f] },
        { cmd: CMD.POWER_ON },
        { delayMs: 100 },
        { waitBusy: true },
        { cmd: CMD.CASCADE, data: [0x02] },
        { cmd: CMD.FORCE_TEMPERATURE, data: [0x6e] }, // selects the partial waveform
      ];
  }
}

/** VCOM/data interval for partial updates: border floating, data polarity flipped (1 = white). */
export const PARTIAL_VCOM_DATA_INTERVAL = [0xa9, 0x07];

/** Before power-off: border to floating so the frame edge does not fade. */
export const SLEEP_VCOM_DATA_INTERVAL = [0xf7];
