/**
 * What the gateway sends a downstream for one incoming request, and what it tells the caller about
 * the hops afterwards: pure functions over plain values, so the forwarding rules are tested without
 * a server (forward.ts does the I/O).
 */
import { USER_ID_HEADER } from '../shared/context.ts';
import type { HopField } from './hops.ts';
import type { ForwardRequest } from './proxy.ts';
import type { DownstreamId } from './routes.ts';

/** NV-5: user 5 s, content 10 s (ranking 10 s lives inside posts); off = a blanket 30 s. */
export const SERVICE_TIMEOUTS_MS: Record<DownstreamId, number> = { auth: 5_000, users: 5_000, posts: 10_000, comments: 10_000, search: 10_000, chat: 10_000 };
export const BLANKET_TIMEOUT_MS = 30_000;

/** A call's deadline: the service's own with the `service-timeouts` switch on, else the blanket one. */
export function deadlineMs(service: DownstreamId, serviceTimeouts: boolean): number {
  return serviceTimeouts ? SERVICE_TIMEOUTS_MS[service] : BLANKET_TIMEOUT_MS;
}

/** The parts of an incoming request that are forwarded (read from express by forward.ts). */
export interface IncomingCall {
  method: string;
  /** Path and query as the caller sent them. */
  url: string;
  ip: string | undefined;
  requestId: string | undefined;
  authorization: string | undefined;
  accept: string | undefined;
  contentType: string | undefined;
  /** Parsed JSON, raw bytes (Socket.IO polling), or undefined when no body parser ran. */
  body: unknown;
  /** The verified caller, when the route authenticates. */
  userId: unknown;
}

/** The downstream request: the caller's id and credentials, and its body re-encoded or relayed as bytes. */
export function forwardRequest(call: IncomingCall, timeoutMs: number, newRequestId: () => string): ForwardRequest {
  const headers: Record<string, string> = {
    'x-request-id': call.requestId ?? newRequestId(),
    'x-forwarded-for': call.ip ?? '',
    accept: call.accept ?? 'application/json',
  };
  if (call.authorization) headers.authorization = call.authorization;
  if (call.userId !== undefined) headers[USER_ID_HEADER] = String(call.userId);
  let body: string | Buffer | undefined;
  if (Buffer.isBuffer(call.body)) {
    if (call.body.length > 0) body = call.body;
    if (call.contentType) headers['content-type'] = call.contentType;
  } else if (call.body !== undefined && call.method !== 'GET' && call.method !== 'DELETE' && call.method !== 'HEAD') {
    body = JSON.stringify(call.body);
    headers['content-type'] = 'application/json';
  }
  return { method: call.method, path: call.url, headers, body, timeoutMs };
}

/** The caller sees every hop: the gateway's own part and the transit added to the service's entries. */
export function serverTimingHeader(service: string, split: Record<HopField, number>): string {
  return `gw;dur=${split.gatewayMs.toFixed(1)}, transit;dur=${split.transitMs.toFixed(1)}, ${service};dur=${split.serviceMs.toFixed(1)}, db;dur=${split.dbMs.toFixed(1)}, total;dur=${split.totalMs.toFixed(1)}`;
}
