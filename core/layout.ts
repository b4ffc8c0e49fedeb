/**
 * How the reference platform's processes are laid out: all services in one Node process, or one
 * process per service ("split"), with N gateway processes sharing one port.
 *
 * The defaults follow what `npm run bench:steady` measured (issue 14), not a preference:
 * - baseline keeps the single instance of each service the assessments describe, in one process.
 * - optimized on a machine with fewer than 4 cores: one process too. On 2 cores the split layout
 *   costs 23-31% more CPU per request (1.65 vs 1.34 ms at 1,000 req/s: the extra hops) and has no
 *   idle core to spend it on. At 1,000 req/s after a warm-up, one process held P99 148 ms and
 *   2.35 s in two tries, while split + 2 gateways had 5.6 s and 14.9 s, the machine at 93-99% CPU.
 * - optimized with 4 or more cores: a process per service and half the cores (at most 4) as
 *   gateway processes, like the systems the documents assess (MO-3's "PM2 cluster + load
 *   balancer"). One process's single event loop tops out near 1,390 req/s of the feed mix
 *   (bench:cores), so a machine with cores to spare serves more when split. That rule comes from
 *   the per-core model; this 2-core machine cannot measure it directly.
 * `brink stack up --layout/--gateway-instances` override either default.
 */
import { availableParallelism } from 'node:os';
import { invalidInput } from './errors.ts';
import type { Variant } from './switches.ts';

export const LAYOUT_NAMES = ['one-process', 'split'] as const;
export type LayoutName = (typeof LAYOUT_NAMES)[number];

export interface PlatformLayout {
  /** One child process per service instead of every service in the platform process. */
  split: boolean;
  /** Gateway processes behind one port (1 = the gateway runs inside the platform process). */
  gatewayInstances: number;
}

/** Cores from which the optimized variant splits (see above). */
export const SPLIT_FROM_CORES = 4;

export function defaultLayout(variant: Variant, cores: number = availableParallelism()): PlatformLayout {
  if (variant === 'optimized' && cores >= SPLIT_FROM_CORES) return { split: true, gatewayInstances: Math.min(4, Math.floor(cores / 2)) };
  return { split: false, gatewayInstances: 1 };
}

export function parseLayoutName(value: string): LayoutName {
  if (!(LAYOUT_NAMES as readonly string[]).includes(value)) {
    throw invalidInput(`--layout "${value}" is invalid: expected ${LAYOUT_NAMES.join(' or ')}`);
  }
  return value as LayoutName;
}

/** "split (a process per service) + 2 gateways", for ready lines and run cards. */
export function describeLayout(l: PlatformLayout): string {
  return `${l.split ? 'split (a process per service)' : 'one process'} + ${l.gatewayInstances} gateway${l.gatewayInstances === 1 ? '' : 's'}`;
}

/** The bench:steady name of a layout, e.g. "split+2gw" or "one-process". */
export function layoutName(l: PlatformLayout): string {
  return `${l.split ? 'split' : 'one-process'}${l.gatewayInstances > 1 ? `+${l.gatewayInstances}gw` : ''}`;
}
