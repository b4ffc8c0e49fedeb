/**
 * A bounded probe loop: a few workers call the target back to back (with a pause between calls),
 * each call with its own timeout, and record a Sample per call. It is the load during an
 * experiment's faults and the measuring instrument of its hypotheses. Bounded in time and count.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sample } from './slis.ts';

export interface CallOutcome {
  status: number | string;
  ok: boolean;
  /** The platform's error code when it answered with an error body. */
  reason?: string;
  /** Response body bytes as received (compressed, when the server compressed). */
  bytes?: number;
}

/** One probe call; it must honour the signal (the per-call timeout aborts it). */
export type ProbeCall = (signal: AbortSignal) => Promise<CallOutcome>;

export interface ProbeOptions {
  call: ProbeCall;
  /** performance.now() of the experiment's start: sample times are relative to it. */
  originMs: number;
  concurrency: number;
  /** Pause between one worker's calls. */
  pauseMs: number;
  timeoutMs: number;
  /** Hard limits whatever happens: the loop stops at the first reached. */
  maxDurationMs: number;
  maxCalls: number;
  onSample?: (s: Sample) => void;
}

export interface ProbeLoop {
  readonly samples: Sample[];
  /**
   * Stops sending. Calls in flight are awaited (each ends by its timeout at the latest: a hang is
   * evidence), or with cut: true (interrupted runs) cut short and not recorded.
   */
  stop(options?: { cut?: boolean }): Promise<void>;
}

/** Classifies a failed call without an HTTP answer: "timeout", or the socket error code. */
export function errorStatus(e: unknown): string {
  const err = e as Error & { code?: string; cause?: { code?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  return err.code ?? err.cause?.code ?? err.name ?? 'error';
}

export function startProbeLoop(opts: ProbeOptions): ProbeLoop {
  const samples: Sample[] = [];
  const stopper = new AbortController();
  // AbortSignal.any links each call's signal to the cutter without a listener on the cutter (Node
  // keeps weak references), so the cutter carries none however many calls there were.
  const cutter = new AbortController();
  // Each worker pauses on a controller of its own, which stop() aborts: a pause on the shared
  // stopper would put one listener per worker on it (12 workers: MaxListenersExceededWarning).
  const pauses = new Set<AbortController>();
  const deadline = performance.now() + opts.maxDurationMs;
  let calls = 0;

  const worker = async () => {
    while (!stopper.signal.aborted && performance.now() < deadline && calls < opts.maxCalls) {
      calls++;
      const sentAt = performance.now();
      let outcome: CallOutcome;
      try {
        outcome = await opts.call(AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), cutter.signal]));
      } catch (e) {
        // A call cut short by stop({ cut: true }) says nothing about the target: it is not a sample.
        if (cutter.signal.aborted) break;
        outcome = { status: errorStatus(e), ok: false };
      }
      const sample: Sample = { tMs: sentAt - opts.originMs, latencyMs: performance.now() - sentAt, ...outcome };
      samples.push(sample);
      opts.onSample?.(sample);
      if (opts.pauseMs > 0 && !stopper.signal.aborted) {
        const pause = new AbortController();
        pauses.add(pause);
        await sleep(opts.pauseMs, undefined, { signal: pause.signal }).catch(() => undefined);
        pauses.delete(pause);
      }
    }
  };
  const workers = Array.from({ length: opts.concurrency }, worker);
  return {
    samples,
    async stop(options = {}) {
      stopper.abort();
      for (const p of pauses) p.abort();
      if (options.cut) cutter.abort();
      await Promise.all(workers);
    },
  };
}
