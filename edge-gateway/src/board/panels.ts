// Panel profiles: the layout adapts to size and pixel pitch; the refresh policy to the panel's limits.
// Pitch and timing facts are from DESIGN §4 "E-ink board"; values marked computed are derived here.

export interface PanelProfile {
  id: string;
  name: string;
  width: number;
  height: number;
  /** Physical size of one pixel in mm. */
  pitchMm: number;
  /** Which driver can drive it; `null` means render/simulate only (no driver in this repo yet). */
  controller: 'uc8179' | null;
  /** Default distance in metres from which the board must be readable. */
  readingDistanceM: number;
  supportsPartial: boolean;
}

export const PANELS: Record<string, PanelProfile> = {
  'waveshare-7in5-v2': {
    id: 'waveshare-7in5-v2',
    name: 'Waveshare 7.5″ V2 (800×480, UC8179)',
    width: 800,
    height: 480,
    pitchMm: 0.205,
    controller: 'uc8179',
    // A 7.5″ panel holds headlines, not paragraphs, at 3 m (DESIGN §4): it is read up close.
    readingDistanceM: 1.2,
    supportsPartial: true,
  },
  'waveshare-13in3-k': {
    id: 'waveshare-13in3-k',
    name: 'Waveshare 13.3″ (K) (960×680)',
    width: 960,
    height: 680,
    // computed: 13.3″ diagonal (337.8 mm) over √(960² + 680²) px.
    pitchMm: 0.287,
    controller: null,
    readingDistanceM: 2,
    supportsPartial: false,
  },
};

export const DEFAULT_PANEL_ID = 'waveshare-7in5-v2';

export class UnknownPanelError extends Error {
  override name = 'UnknownPanelError';
}

export function panelProfile(id: string): PanelProfile {
  const p = PANELS[id];
  if (!p) throw new UnknownPanelError(`unknown panel '${id}' (known: ${Object.keys(PANELS).join(', ')})`);
  return p;
}

/** Letter (cap) height per metre of reading distance: ~25 mm per 10 m (DESIGN §4, a loose rule). */
export const CAP_HEIGHT_MM_PER_M = 2.5;

/**
 * Smallest font size (CSS px = panel px) whose capital letters reach the legible height at the
 * given distance on this panel. `capHeightRatio` is the font's cap height per em.
 */
export function minFontPx(panel: PanelProfile, capHeightRatio: number, readingDistanceM = panel.readingDistanceM): number {
  const capMm = CAP_HEIGHT_MM_PER_M * readingDistanceM;
  return Math.ceil(capMm / panel.pitchMm / capHeightRatio);
}
