// Resident reports: the contract of `/api/reports/*` (edge-gateway/src/api/routes.ts) and a small client.
import { ApiError, unwrap } from './client.js';

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

async function call<T>(path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}) } });
  } catch (err) {
    throw new ApiError(`${path}: no answer from the gateway`, 0, { cause: err });
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch (err) {
    throw new ApiError(`${path}: reply is not JSON (HTTP ${res.status})`, res.status, { cause: err });
  }
  return unwrap<T>(body, path, res.status);
}

export function submitReport(kind: ReportKind, input: Record<string, unknown>): Promise<Receipt> {
  return call<Receipt>(`/api/reports/${kind}`, { method: 'POST', body: JSON.stringify(input) });
}

export function fetchReceipt(receipt: string): Promise<Receipt> {
  return call<Receipt>(`/api/reports/receipt?r=${encodeURIComponent(receipt)}`, { method: 'GET' });
}
