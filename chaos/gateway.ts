/**
 * What the experiments probe on the platform: a feed call through the gateway with a minted
 * token, and the gateway's breaker states (GET /health/circuit-breakers), polled so every change
 * lands on the timeline.
 */
import { Agent, request } from 'undici';
import { signAccessToken } from '../reference-system/index.ts';
import { errorStatus, type ProbeCall } from './probe.ts';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'unknown';

/** A keep-alive agent per probe target (the gateway's own sockets are what we measure). */
export function probeAgent(connections: number): Agent {
  return new Agent({ connections, keepAliveTimeout: 10_000, pipelining: 1 });
}

/** The platform's `{ error: { code } }`, or undefined for any other body. */
export function errorCodeOf(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** GET {gateway}{path} as user `userId`: ok for 2xx/3xx (and 404 "no such post" would be a bug, so not ok). */
export async function feedCall(gatewayUrl: string, jwtSecret: string, userId: number, agent: Agent, path = '/api/feed?limit=20', gzip = false): Promise<ProbeCall> {
  const token = await signAccessToken(jwtSecret, userId);
  const url = new URL(path, gatewayUrl).toString();
  // undici does not decompress: with gzip asked for, `bytes` is what crossed the wire.
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) };
  return async (signal) => {
    const res = await request(url, { method: 'GET', headers, signal, dispatcher: agent });
    if (res.statusCode < 400) {
      const bytes = (await res.body.arrayBuffer()).byteLength;
      return { status: res.statusCode, ok: true, bytes };
    }
    const reason = errorCodeOf(await res.body.text());
    return { status: res.statusCode, ok: false, ...(reason ? { reason } : {}) };
  };
}

/** Normalises a breaker state however the gateway spells it ("OPEN", "halfOpen", {state}…). */
export function normaliseBreakerState(v: unknown): BreakerState {
  const raw = typeof v === 'object' && v !== null ? ((v as Record<string, unknown>).state ?? (v as Record<string, unknown>).status) : v;
  if (typeof raw !== 'string') {
    const o = v as Record<string, unknown> | null;
    if (o && typeof o.opened === 'boolean') return o.halfOpen === true ? 'half-open' : o.opened ? 'open' : 'closed';
    return 'unknown';
  }
  const s = raw.toLowerCase().replace(/[_\s]/g, '-');
  if (s === 'closed' || s === 'open') return s;
  if (s === 'half-open' || s === 'halfopen') return 'half-open';
  return 'unknown';
}

/**
 * Reads { service: state } from /health/circuit-breakers. Accepts { breakers: {...} | [...] },
 * a map of name -> state or { state }, or an array of { name, state }.
 */
export function parseBreakers(body: unknown): Record<string, BreakerState> {
  const root = typeof body === 'object' && body !== null && 'breakers' in body ? (body as { breakers: unknown }).breakers : body;
  const out: Record<string, BreakerState> = {};
  if (Array.isArray(root)) {
    for (const b of root) {
      const name = (b as { name?: unknown; service?: unknown }).name ?? (b as { service?: unknown }).service;
      if (typeof name === 'string') out[name] = normaliseBreakerState(b);
    }
  } else if (typeof root === 'object' && root !== null) {
    for (const [name, v] of Object.entries(root)) {
      const state = normaliseBreakerState(v);
      if (state !== 'unknown') out[name] = state;
    }
  }
  return out;
}

export async function readBreakers(gatewayUrl: string, signal: AbortSignal): Promise<Record<string, BreakerState>> {
  const res = await request(new URL('/health/circuit-breakers', gatewayUrl).toString(), { signal });
  const body = await res.body.json().catch(() => null);
  return res.statusCode === 200 ? parseBreakers(body) : {};
}

export interface BreakerChange {
  tMs: number;
  service: string;
  from: BreakerState;
  to: BreakerState;
}

/** Polls the breakers until stopped; reports each change (the first read is the starting state). */
export function watchBreakers(gatewayUrl: string, originMs: number, intervalMs: number, onChange: (c: BreakerChange) => void, maxDurationMs: number) {
  // Each poll ties its timeout to this signal with AbortSignal.any, which adds no listener to it
  // (chaos/probe.test.ts counts them): no raised listener limit that would hide a real leak.
  const stopper = new AbortController();
  const current: Record<string, BreakerState> = {};
  const deadline = performance.now() + maxDurationMs;
  let lastError: string | undefined;
  const loop = (async () => {
    while (!stopper.signal.aborted && performance.now() < deadline) {
      try {
        const states = await readBreakers(gatewayUrl, AbortSignal.any([stopper.signal, AbortSignal.timeout(1000)]));
        for (const [service, to] of Object.entries(states)) {
          const from = current[service] ?? 'unknown';
          if (from !== to) {
            current[service] = to;
            onChange({ tMs: performance.now() - originMs, service, from, to });
          }
        }
      } catch (e) {
        lastError = errorStatus(e);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    current,
    lastError: () => lastError,
    async stop() {
      stopper.abort();
      await loop;
    },
  };
}
