/**
 * Structured JSON logs (pino) for the platform. Logs go to stderr so a process's stdout stays free
 * for its one machine-readable line (serve.ts prints `{"ready":true,...}` there). Passwords and
 * tokens are redacted wherever they appear in a logged object, at any of the depths we log.
 */
import { pino, type Logger } from 'pino';

/** Field names that never reach a log line. */
export const REDACTED_KEYS = ['password', 'password_hash', 'passwordHash', 'token', 'accessToken', 'refreshToken', 'authorization', 'cookie', 'jwtSecret', 'secret'];

export function redactPaths(keys: readonly string[] = REDACTED_KEYS): string[] {
  // pino's redaction takes explicit paths; cover top level, one and two levels down, and headers.
  return keys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`, `headers.${k}`, `body.${k}`]);
}

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Where lines go; defaults to stderr. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const level = opts.level ?? process.env.BRINK_LOG_LEVEL ?? 'info';
  return pino(
    { name: opts.name, level, redact: { paths: redactPaths(), censor: '[redacted]' }, base: { pid: process.pid } },
    (opts.destination as pino.DestinationStream | undefined) ?? pino.destination({ fd: 2, sync: false }),
  );
}
