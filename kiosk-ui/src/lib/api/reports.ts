// Resident reports: the contract of `/api/reports/*` (edge-gateway/src/api/routes.ts) and a small client.
import { callJson } from './client.js';

export const REPORT_KINDS = ['emergency', 'need', 'safe'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const EMERGENCY_KINDS = ['medical', 'fire', 'trapped', 'water', 'violence', 'other'] as const;
export const NEED_CATEGORIES = ['water', 'food', 'medicine', 'power', 'shelter', 'transport', 'care', 'other'] as const;
export type ReportStatus = 'submitted' | 'sent' | 'confirmed';

export interface Receipt {
  id: string;
  receipt: string;
  kind: ReportKind;
  status: ReportStatus;
  createdAt: number;
  sentAt: number | null;
  confirmedAt: number | null;
}

export function isReportKind(x: unknown): x is ReportKind {
  return typeof x === 'string' && (REPORT_KINDS as readonly string[]).includes(x);
}

/** Form fields (strings, as the no-JS form posts them) → the JSON body of the API. */
export function formToInput(kind: ReportKind, f: Record<string, string>): Record<string, unknown> {
  const people = f.people?.trim() ? Number(f.people) : null;
  if (kind === 'emergency') return { what: f.what, where: f.where ?? '', details: f.details ?? '', people };
  if (kind === 'need') return { category: f.category, where: f.where ?? '', details: f.details ?? '', people };
  return { name: f.name ?? '', message: f.message ?? '', consent: f.consent === 'yes' };
}

export function submitReport(kind: ReportKind, input: Record<string, unknown>): Promise<Receipt> {
  return callJson<Receipt>(`/api/reports/${kind}`, input);
}

export function fetchReceipt(receipt: string): Promise<Receipt> {
  return callJson<Receipt>(`/api/reports/receipt?r=${encodeURIComponent(receipt)}`);
}
