/**
 * One opossum circuit breaker per downstream service (NF-5) with NewFeed's configurations. Every
 * breaker exists from start-up, so turning the `breakers` switch on at run time starts using them
 * at once; with the switch off calls go straight through and the breakers see nothing.
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
  stats: { fires: number; failures: number; successes: number; rejects: number; timeouts: number };
  /** When an open breaker will let a trial call through (ISO), if open. */
  retryAt?: string;
  lastFailure?: string;
}

export function createBreaker(service: string, config: BreakerConfig = BREAKER_CONFIGS[service] ?? BREAKER_CONFIGS.posts!): DownstreamBreaker {
  // The action is the call itself, so one breaker serves every request to the service.
  const breaker = new CircuitBreaker((call: Call<unknown>) => call(), {
    timeout: config.timeoutMs,
    errorThresholdPercentage: config.errorThresholdPercentage,
    resetTimeout: config.resetTimeoutMs,
    volumeThreshold: config.volumeThreshold,
    rollingCountTimeout: 10_000,
    rollingCountBuckets: 10,
    name: service,
  });
  let openedAtMs: number | undefined;
  let lastFailure: string | undefined;
  breaker.on('open', () => (openedAtMs = Date.now()));
  breaker.on('close', () => (openedAtMs = undefined));
  breaker.on('failure', (e: Error) => (lastFailure = e?.message));
  return {
    service,
    config,
    fire: <T>(call: Call<T>) => breaker.fire(call) as Promise<T>,
    state() {
      const s = breaker.stats;
      const state = breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
      return {
        service,
        state,
        config,
        stats: { fires: s.fires, failures: s.failures, successes: s.successes, rejects: s.rejects, timeouts: s.timeouts },
        ...(state === 'open' && openedAtMs !== undefined ? { retryAt: new Date(openedAtMs + config.resetTimeoutMs).toISOString() } : {}),
        ...(lastFailure ? { lastFailure } : {}),
      };
    },
    shutdown: () => breaker.shutdown(),
  };
}

/** opossum's rejection when the breaker is open. */
export function isOpenBreakerError(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'EOPENBREAKER';
}
