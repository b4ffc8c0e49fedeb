/**
 * How the claims step runs its probes: in order, each awaited before the next starts, except a
 * `background` probe, which starts in its turn and runs beside the probes after it (it only waits;
 * see ClaimProbe.background). Every background probe is awaited before this returns, whatever
 * happens: none is left running when the step ends. A probe that throws is an outcome with its
 * error (its claims become NOT RUN), not the end of the step; an interrupt is. So is a probe that
 * never settles: past its deadline it becomes an outcome with that error. (Without one, a promise
 * left pending with nothing else to wait on ends Node with exit 13 and skips every cleanup: the
 * full profile's first run did that, leaving its stack running.)
 */
import { BrinkError, within } from '../core/index.ts';
import type { ClaimProbe } from './probe.ts';
import type { AssessContext } from './context.ts';
import type { ProbeResult } from './verdict.ts';

export interface ProbeOutcome {
  probe: ClaimProbe;
  results?: ProbeResult[];
  error?: Error;
  ms: number;
}

/** How long one probe may take before it is given up: generous, the longest full-profile probe (NV-14) takes about 12 minutes. */
export const PROBE_DEADLINE_MS = { smoke: 10 * 60_000, full: 30 * 60_000 } as const;

/** The probe's results, or a rejection once `ms` pass without them (the timer is ref'd and always cleared). */
function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return within(work, ms, (): never => {
    throw new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`);
  });
}

export async function runProbes(
  probes: readonly ClaimProbe[],
  ctx: AssessContext,
  onDone: (o: ProbeOutcome) => void = () => undefined,
  deadlineMs: number = PROBE_DEADLINE_MS[ctx.profile] ?? PROBE_DEADLINE_MS.full,
): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  const start = (probe: ClaimProbe): Promise<void> => {
    const t0 = Date.now();
    // Started synchronously, in the order of the list; settled into an outcome (errors included).
    return Promise.resolve()
      .then(() => withDeadline(Promise.resolve(probe.run(ctx)), deadlineMs, `probe ${probe.id}`))
      .then(
        (results) => ({ probe, results, ms: Date.now() - t0 }),
        (error: Error) => {
          if (ctx.signal.aborted) throw error;
          return { probe, error, ms: Date.now() - t0 };
        },
      )
      .then((o: ProbeOutcome) => {
        outcomes.push(o);
        onDone(o);
      });
  };
  const background: Promise<void>[] = [];
  try {
    for (const probe of probes) {
      if (ctx.signal.aborted) throw new BrinkError('ABORTED', 'interrupted');
      const running = start(probe);
      if (probe.background) background.push(running);
      else await running;
    }
  } finally {
    await Promise.allSettled(background);
  }
  // An interrupt inside a background probe surfaces here.
  await Promise.all(background);
  return probes.map((p) => outcomes.find((o) => o.probe === p)).filter((o): o is ProbeOutcome => o !== undefined);
}
