/**
 * One opossum circuit breaker per downstream service (NF-5) with NewFeed's configurations. Every
 * breaker exists from start-up, so turning the `breakers` switch on at run time starts using them
 * at once; with the switch off calls go straight through and the breakers see nothing.
 *
 * Two defects of the assessed configuration, each shown and fixed:
 *  - NewFeed keeps opossum's default 10 s rolling window, equal to the 10 s timeout: a call that
 *    hangs is counted as a failure when it times out, by which time its fire has left the window,
 *    so the volume threshold is never met and the breaker never opens on a hanging service. The
 *    `breaker-window` switch uses a window of 3x the timeout instead (a second opossum instance per
 *    service, so the switch flips at run time without losing either's state).
 *  - The breaker's own timeout used to cut every call at its 10 s, masking the per-service timeouts
 *    (NV-5) and the blanket 30 s they replace: the breaker now has no timer of its own and judges
 *    the call's deadline (per-service, or the blanket 30 s with `service-timeouts` off), which NewFeed's
 *    timeouts equal (auth 5 s, posts and comments 10 s).
 */
import CircuitBreaker from 'opossum';

export interface BreakerConfig {
  /** The breaker's own call timeout. */
  timeoutMs: number;
  errorThresholdPercentage: number;
  resetTimeoutMs: number;
  volumeThreshold: number;
}

/** NewFeed: auth 5 s / 50% / 20 s; posts and comments 10 s / 50% / 30 s; users and search like posts. */
export const BREAKER_CONFIGS: Record<string, BreakerConfig> = {
  auth: { timeoutMs: 5_000, errorThresholdPercentage: 50, resetTimeoutMs: 20_000, volumeThreshold: 10 },
  users: { timeoutMs: 10_000, errorThresholdPercentage: 50, resetTimeoutMs: 30_000, volumeThreshold: 10 },
  posts: { timeoutMs: 10_000, errorThresholdPercentage: 50, resetTimeoutMs: 30_000, volumeThreshold: 10 },
  comments: { timeoutMs: 10_000, errorThresholdPercentage: 50, resetTimeoutMs: 30_000, volumeThreshold: 10 },
  search: { timeoutMs: 10_000, errorThresholdPercentage: 50, resetTimeoutMs: 30_000, volumeThreshold: 10 },
  chat: { timeoutMs: 10_000, errorThresholdPercentage: 50, resetTimeoutMs: 30_000, volumeThreshold: 10 },
};

/** opossum's default, which NewFeed keeps: the window the flaw above is about. */
export const DOCUMENT_WINDOW_MS = 10_000;

/** The fixed window: three timeouts long, so a timed-out call's fire is still counted. */
export function fixedWindowMs(config: BreakerConfig): number {
  return Math.max(DOCUMENT_WINDOW_MS, 3 * config.timeoutMs);
}

export type Call<T> = () => Promise<T>;

export interface DownstreamBreaker {
  service: string;
  config: BreakerConfig;
  fire<T>(call: Call<T>): Promise<T>;
  state(): BreakerState;
  shutdown(): void;
}

export interface BreakerState {
  service: string;
  state: 'closed' | 'open' | 'half-open';
  config: BreakerConfig;
  /** The rolling window in use: 10 s (the document's) or the fixed one (`breaker-window` on). */
  rollingWindowMs: number;
  stats: { fires: number; failures: number; successes: number; rejects: number; timeouts: number };
  /** When an open breaker will let a trial call through (ISO), if open. */
  retryAt?: string;
  lastFailure?: string;
}

export interface BreakerOptions {
  /** Read at every call: true uses the fixed (longer) rolling window (switch `breaker-window`). */
  longWindow?: () => boolean;
}

interface Instance {
  breaker: CircuitBreaker<[Call<unknown>], unknown>;
  windowMs: number;
  openedAtMs?: number;
  lastFailure?: string;
}

function instance(service: string, config: BreakerConfig, windowMs: number): Instance {
  // The action is the call itself, so one breaker serves every request to the service.
  const breaker = new CircuitBreaker((call: Call<unknown>) => call(), {
    // No timer of its own: the call's deadline is the timeout (see the header).
    timeout: false,
    errorThresholdPercentage: config.errorThresholdPercentage,
    resetTimeout: config.resetTimeoutMs,
    volumeThreshold: config.volumeThreshold,
    rollingCountTimeout: windowMs,
    rollingCountBuckets: 10,
    name: service,
  });
  const inst: Instance = { breaker, windowMs };
  breaker.on('open', () => (inst.openedAtMs = Date.now()));
  breaker.on('close', () => (inst.openedAtMs = undefined));
  breaker.on('failure', (e: Error) => (inst.lastFailure = e?.message));
  return inst;
}

export function createBreaker(service: string, config: BreakerConfig = BREAKER_CONFIGS[service] ?? BREAKER_CONFIGS.posts!, opts: BreakerOptions = {}): DownstreamBreaker {
  const documented = instance(service, config, DOCUMENT_WINDOW_MS);
  const fixed = instance(service, config, fixedWindowMs(config));
  const active = () => (opts.longWindow?.() ? fixed : documented);
  return {
    service,
    config,
    fire: <T>(call: Call<T>) => active().breaker.fire(call) as Promise<T>,
    state() {
      const inst = active();
      const s = inst.breaker.stats;
      const state = inst.breaker.opened ? 'open' : inst.breaker.halfOpen ? 'half-open' : 'closed';
      return {
        service,
        state,
        config,
        rollingWindowMs: inst.windowMs,
        stats: { fires: s.fires, failures: s.failures, successes: s.successes, rejects: s.rejects, timeouts: s.timeouts },
        ...(state === 'open' && inst.openedAtMs !== undefined ? { retryAt: new Date(inst.openedAtMs + config.resetTimeoutMs).toISOString() } : {}),
        ...(inst.lastFailure ? { lastFailure: inst.lastFailure } : {}),
      };
    },
    shutdown: () => {
      documented.breaker.shutdown();
      fixed.breaker.shutdown();
    },
  };
}

/** opossum's rejection when the breaker is open. */
export function isOpenBreakerError(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'EOPENBREAKER';
}
