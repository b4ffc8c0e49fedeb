// Types of socketio.js for the TypeScript side; k6 ignores this file.
export function socketUrl(baseUrl: string, path?: string): string;
export function connectFrame(auth: Record<string, unknown>): string;
export function eventFrame(event: string, data: unknown, ackId?: number): string;
export type Frame =
  | { kind: 'eio-open'; sid: string; pingInterval: number; pingTimeout: number; upgrades: string[]; maxPayload: number }
  | { kind: 'ping' } | { kind: 'pong' } | { kind: 'close' } | { kind: 'disconnect' }
  | { kind: 'connect'; sid: string }
  | { kind: 'connect-error'; message: string }
  | { kind: 'event'; name: string; args: unknown[]; id?: number }
  | { kind: 'ack'; id: number; args: unknown[] }
  | { kind: 'unknown'; text: string };
export function decodeFrame(text: string): Frame;
