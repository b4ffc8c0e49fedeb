/**
 * One opossum circuit breaker per downstream service (NF-5) with NewFeed's configurations. Every
 * breaker exists from start-up, so turning the `breakers` switch on at run time starts using them
 * at once; with the switch off calls go straight through and the breakers see nothing.
 *
 * Two defects of the assessed configuration, each shown and fixed:
 *  - NewFeed keeps opossum's default 10 s rolling window, equal to the 10 s timeout, and opossum
 *    divides the failures in the window by the calls *fired* in it: a call that hangs is counted
 *    as a failure when it times out, by which time its fire has left the window, so the volume
 *    threshold is never met and the breaker never opens on a hanging service.
 *    A longer window (3x the timeout, this switch's first design) does open on a hang, but then
 *    holds up to 30 s of the fast successes from before a fault: under a partial failure (the
 *    db-latency experiment: 6 s of database latency, most calls past their 10 s deadline for 22 s)
 *    they keep the error rate under 50% and it never opens.
 *    The `breaker-window` switch therefore counts every call when it *completes* (success or
 *    failure, at the same moment) over a window of one deadline, and judges the rate at every
 *    completion, every new call and every bucket's turn. A hang's failures are counted next to the
 *    calls that completed with them, so 10 callers hanging at once open it one deadline after the
 *    hang starts; the successes from before a fault are gone from the window one deadline after
 *    it began, so a fault that fails most calls opens it then, whatever the traffic before.
 *    (A window of 1.5 deadlines was tried: it opened 13-14.5 s into db-latency and service-timeout
 *    against 10-11 s for one deadline, the price of holding more of the steady phase's successes.)
 *    A second opossum instance per service keeps the state machine (open, half-open after the
 *    reset timeout, closed by a successful trial call), so the switch flips at run time without
 *    losing either's state.
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

/**
 * The fixed breaker's window of completed calls: one deadline. It holds every call that was in
 * flight when a service started to hang (they all complete, as failures, one deadline later), and
 * nothing that completed before a fault once the fault's first calls have timed out.
 */
export function fixedWindowMs(config: BreakerConfig): number {
  return config.timeoutMs;
}

/** Calls counted when they complete, in ten buckets over a rolling window. */
export class CompletionWindow {
  readonly #bucketMs: number;
  readonly #buckets = Array.from({ length: 10 }, () => ({ index: -1, ok: 0, failed: 0 }));
  constructor(readonly windowMs: number) {
    this.#bucketMs = windowMs / 10;
  }
  record(ok: boolean, nowMs = Date.now()): void {
    const index = Math.floor(nowMs / this.#bucketMs);
    const b = this.#buckets[index % 10]!;
    if (b.index !== index) Object.assign(b, { index, ok: 0, failed: 0 });
    if (ok) b.ok++;
    else b.failed++;
  }
  totals(nowMs = Date.now()): { completed: number; failed: number } {
    const current = Math.floor(nowMs / this.#bucketMs);
    let completed = 0;
    let failed = 0;
    for (const b of this.#buckets) {
      if (b.index <= current - 10 || b.index > current) continue;
      completed += b.ok + b.failed;
      failed += b.failed;
    }
    return { completed, failed };
  }
  clear(): void {
    for (const b of this.#buckets) Object.assign(b, { index: -1, ok: 0, failed: 0 });
  }
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
  /** What the breaker judges: fires and failures (the document's), or calls as they complete (fixed). */
  counting: 'fires' | 'completions';
  /** The fixed breaker's window of completed calls, now. */
  window?: { completed: number; failed: number };
  stats: { fires: number; failures: number; successes: number; rejects: number; timeouts: number };
  /** When an open breaker will let a trial call through (ISO), if open. */
  retryAt?: string;
  lastFailure?: string;
}

export interface BreakerOptions {
  /** Read at every call: true uses the fixed breaker (completed calls over one deadline; switch `breaker-window`). */
  longWindow?: () => boolean;
}

interface Instance {
  breaker: CircuitBreaker<[Call<unknown>], unknown>;
  windowMs: number;
  /** The fixed breaker's counter; undefined for the document's (opossum judges its own stats). */
  completions?: CompletionWindow;
  /** The fixed breaker's judge at each bucket's turn (see tripIfFailing). */
  judge?: NodeJS.Timeout;
  openedAtMs?: number;
  lastFailure?: string;
}

function instance(service: string, config: BreakerConfig, windowMs: number, countCompletions: boolean): Instance {
  // The action is the call itself, so one breaker serves every request to the service.
  const breaker = new CircuitBreaker((call: Call<unknown>) => call(), {
    // No timer of its own: the call's deadline is the timeout (see the header).
    timeout: false,
    // Counting completions, this module opens the breaker; opossum only closes it after a
    // successful trial call and reopens it after a failed one (its half-open rule).
    errorThresholdPercentage: countCompletions ? 100 : config.errorThresholdPercentage,
    resetTimeout: config.resetTimeoutMs,
    volumeThreshold: config.volumeThreshold,
    rollingCountTimeout: windowMs,
    rollingCountBuckets: 10,
    name: service,
  });
  const inst: Instance = { breaker, windowMs, ...(countCompletions ? { completions: new CompletionWindow(windowMs) } : {}) };
  if (inst.completions) {
    // While every caller waits on a hanging service there is neither a completion nor a new call
    // to judge at; the fast successes from before the fault still leave the window: judge as each
    // bucket turns, so it opens when they have gone, not at the next wave of timeouts.
    inst.judge = setInterval(() => tripIfFailing(inst, config), windowMs / 10);
    inst.judge.unref();
  }
  breaker.on('open', () => (inst.openedAtMs = Date.now()));
  breaker.on('close', () => {
    inst.openedAtMs = undefined;
    inst.completions?.clear();
  });
  breaker.on('success', () => inst.completions?.record(true));
  breaker.on('failure', (e: Error) => {
    inst.lastFailure = e?.message;
    if (!inst.completions) return;
    inst.completions.record(false);
    tripIfFailing(inst, config);
  });
  return inst;
}

/** Opens a closed fixed breaker when the completed calls in its window fail at more than the threshold. */
function tripIfFailing(inst: Instance, config: BreakerConfig): void {
  if (!inst.completions || !inst.breaker.closed) return;
  const { completed, failed } = inst.completions.totals();
  if (completed >= config.volumeThreshold && (failed / completed) * 100 > config.errorThresholdPercentage) inst.breaker.open();
}

export function createBreaker(service: string, config: BreakerConfig = BREAKER_CONFIGS[service] ?? BREAKER_CONFIGS.posts!, opts: BreakerOptions = {}): DownstreamBreaker {
  const documented = instance(service, config, DOCUMENT_WINDOW_MS, false);
  const fixed = instance(service, config, fixedWindowMs(config), true);
  const active = () => (opts.longWindow?.() ? fixed : documented);
  return {
    service,
    config,
    fire: <T>(call: Call<T>) => {
      const inst = active();
      // Successes age out of the window without a completion to notice it: judge before each call.
      tripIfFailing(inst, config);
      return inst.breaker.fire(call) as Promise<T>;
    },
    state() {
      const inst = active();
      const s = inst.breaker.stats;
      const state = inst.breaker.opened ? 'open' : inst.breaker.halfOpen ? 'half-open' : 'closed';
      return {
        service,
        state,
        config,
        rollingWindowMs: inst.windowMs,
        counting: inst.completions ? 'completions' : 'fires',
        ...(inst.completions ? { window: inst.completions.totals() } : {}),
        stats: { fires: s.fires, failures: s.failures, successes: s.successes, rejects: s.rejects, timeouts: s.timeouts },
        ...(state === 'open' && inst.openedAtMs !== undefined ? { retryAt: new Date(inst.openedAtMs + config.resetTimeoutMs).toISOString() } : {}),
        ...(inst.lastFailure ? { lastFailure: inst.lastFailure } : {}),
      };
    },
    shutdown: () => {
      documented.breaker.shutdown();
      fixed.breaker.shutdown();
      clearInterval(fixed.judge);
    },
  };
}

/** opossum's rejection when the breaker is open. */
export function isOpenBreakerError(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'EOPENBREAKER';
}
