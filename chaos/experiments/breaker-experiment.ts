/**
 * The experiments that watch one of the gateway's breakers (db-latency, db-down,
 * service-timeout) are the same wiring around a different fault: the platform required, a
 * gateway probe, a breaker monitor started before the steady state, its values merged into
 * every phase's measurements, and the monitor and the probe's agent closed at the end. This
 * factory is that wiring once; a descriptor gives only what differs.
 */
import type { StackState } from '../../stack/index.ts';
import type { ExperimentDescriptor } from '../descriptor.ts';
import type { FaultStep, Timing } from '../experiment.ts';
import type { Hypothesis } from '../hypothesis.ts';
import { breakerMonitor, gatewayProbe, requirePlatform, type GatewayProbeOptions } from './common.ts';

export interface BreakerExperimentSpec extends Omit<ExperimentDescriptor, 'prepare'> {
  /** The service whose gateway breaker is watched (the one behind the fault). */
  service: string;
  /** The gateway probe; async when its path needs the database (e.g. an author's posts). */
  probe(stack: StackState): GatewayProbeOptions | Promise<GatewayProbeOptions>;
  /** The method's faults, placed inside the profile's timing. */
  faults(timing: Timing): FaultStep[];
  hypotheses: Hypothesis[];
}

export function breakerExperiment(spec: BreakerExperimentSpec): ExperimentDescriptor {
  const { service, probe: probeOptions, faults, hypotheses, ...descriptor } = spec;
  return {
    ...descriptor,
    async prepare({ stack, timing, hooks }) {
      const { gateway } = requirePlatform(stack, spec.id);
      const { probe, close } = await gatewayProbe(stack, spec.id, await probeOptions(stack));
      const breakers = breakerMonitor(gateway, service, hooks);
      return {
        probe,
        faults: faults(timing),
        hypotheses: [...hypotheses],
        measure: (_phase, w) => breakers.measure(w.startMs, w.endMs),
        start: () => breakers.start(),
        stop: async () => {
          await breakers.stop();
          await close();
        },
      };
    },
  };
}
