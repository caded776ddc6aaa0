// Thin client for the gateway's JSON API: unwraps the `{status, data|error}` envelope into data or a typed error.
import type { Envelope, PointsData, StatusData } from './types.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    /** HTTP status, or 0 when the request never got an answer. */
    readonly httpStatus: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `ApiError` messages read "METHOD /path: reason"; a person needs the reason only (shown next to a form). */
export function reasonOf(err: unknown): string {
  if (err instanceof ApiError) return err.message.replace(/^[A-Z]+ \/\S*: /, '');
  return err instanceof Error ? err.message : String(err);
}

export function statusOf(err: unknown): number | null {
  return err instanceof ApiError ? err.httpStatus : null;
}

export type FetchLike = (url: string, init?: { signal?: AbortSignal; headers?: Record<string, string> }) => Promise<Response>;

export interface ApiClient {
  status(signal?: AbortSignal): Promise<StatusData>;
  points(signal?: AbortSignal): Promise<PointsData>;
}

export function createApiClient(opts: { base?: string; fetch?: FetchLike } = {}): ApiClient {
  const base = opts.base ?? '';
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));

  async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(base + path, { signal, headers: { Accept: 'application/json' } });
    } catch (err) {
      throw new ApiError(`GET ${path}: no answer from the gateway`, 0, { cause: err });
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      throw new ApiError(`GET ${path}: reply is not JSON (HTTP ${res.status})`, res.status, { cause: err });
    }
    return unwrap<T>(body, path, res.status);
  }

  return {
    status: (signal) => get<StatusData>('/api/status', signal),
    points: (signal) => get<PointsData>('/api/points', signal),
  };
}

/** A resident call without login: GET, or POST of `body` as JSON; the reply unwrapped from its envelope. */
export async function callJson<T>(path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new ApiError(`${path}: no answer from the gateway`, 0, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = await res.json();
  } catch (err) {
    throw new ApiError(`${path}: reply is not JSON (HTTP ${res.status})`, res.status, { cause: err });
  }
  return unwrap<T>(parsed, path, res.status);
}

/** Checks the envelope shape; the payload inside is trusted to follow the contract in types.ts. */
export function unwrap<T>(body: unknown, path: string, httpStatus = 200): T {
  if (typeof body === 'object' && body !== null && 'status' in body) {
    const env = body as Envelope<T>;
    if (env.status === 'ok' && 'data' in env) return env.data;
    if (env.status === 'error') throw new ApiError(`GET ${path}: ${String(env.error)}`, httpStatus);
  }
  throw new ApiError(`GET ${path}: reply is not a {status, data} envelope`, httpStatus);
}
