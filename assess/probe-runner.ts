/**
 * How the claims step runs its probes: in order, each awaited before the next starts, except a
 * `background` probe, which starts in its turn and runs beside the probes after it (it only waits;
 * see ClaimProbe.background). Every background probe is awaited before this returns, whatever
 * happens: none is left running when the step ends. A probe that throws is an outcome with its
 * error (its claims become NOT RUN), not the end of the step; an interrupt is.
 */
import { BrinkError } from '../core/index.ts';
import type { ClaimProbe } from './probe.ts';
import type { AssessContext } from './context.ts';
import type { ProbeResult } from './verdict.ts';

export interface ProbeOutcome {
  probe: ClaimProbe;
  results?: ProbeResult[];
  error?: Error;
  ms: number;
}

export async function runProbes(probes: readonly ClaimProbe[], ctx: AssessContext, onDone: (o: ProbeOutcome) => void = () => undefined): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  const start = (probe: ClaimProbe): Promise<void> => {
    const t0 = Date.now();
    // Started synchronously, in the order of the list; settled into an outcome (errors included).
    return Promise.resolve()
      .then(() => probe.run(ctx))
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
