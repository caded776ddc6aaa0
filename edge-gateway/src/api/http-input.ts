// Request input for the API: bounded body reading, JSON or form bodies validated with zod, the client
// address, and the same-origin check for state-changing requests.
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { HttpError } from '../http/server.js';

export const MAX_BODY_BYTES = 16 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A JSON body checked against `schema`; 415 for another content type, 400 with the first problem. */
export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.infer<S>> {
  if (mediaType(req) !== 'application/json') throw new HttpError(415, 'expected Content-Type: application/json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readBody(req));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'body is not valid JSON');
  }
  return validate(schema, raw);
}

/** An HTML form body (the no-JavaScript pages) as a plain object of strings. */
export async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'expected a form body');
  return Object.fromEntries(new URLSearchParams(await readBody(req)));
}

export function validate<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, `invalid input${issue ? `: ${issue.path.join('.') || '(body)'} ${issue.message}` : ''}`);
  }
  return parsed.data;
}

/** The peer address. X-Forwarded-For is ignored: the gateway has no proxy in front, so it could be forged. */
export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Refuses a state-changing request whose Origin (or, without it, Referer) names another site. Browsers
 * send Origin on every cross-site POST; a request without either header is not from a browser form.
 */
export function checkOrigin(req: IncomingMessage): void {
  const host = req.headers.host;
  const source = req.headers.origin ?? req.headers.referer;
  if (!source) return;
  let sourceHost: string;
  try {
    sourceHost = new URL(source).host;
  } catch {
    throw new HttpError(403, 'cross-site request refused');
  }
  if (!host || sourceHost !== host) throw new HttpError(403, 'cross-site request refused');
}
