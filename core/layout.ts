/**
 * How the reference platform's processes are laid out: all services in one Node process, or one
 * process per service ("split"), with N gateway processes sharing one port.
 *
 * Each variant has a default, chosen by measurement (issue 14, `npm run bench:steady`):
 * - baseline keeps the single instance of each service the assessments describe, in one process;
 * - optimized runs like the systems the documents assess (MO-3's "PM2 cluster + load balancer"):
 *   a process per service and two gateway processes. On this 2-core machine that layout served
 *   1,000 req/s of the feed mix within the SLI where one process could not (its one event loop
 *   saturates first), at about 30% more CPU per request.
 * `brink stack up --layout/--gateway-instances` override either default.
 */
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

const DEFAULTS: Record<Variant, PlatformLayout> = {
  baseline: { split: false, gatewayInstances: 1 },
  optimized: { split: true, gatewayInstances: 2 },
};

export function defaultLayout(variant: Variant): PlatformLayout {
  return { ...DEFAULTS[variant] };
}

export function parseLayoutName(value: string): LayoutName {
  if (!(LAYOUT_NAMES as readonly string[]).includes(value)) {
    throw invalidInput(`--layout "${value}" is invalid: expected ${LAYOUT_NAMES.join(' or ')}`);
  }
  return value as LayoutName;
}

/** "split + 2 gateways", for ready lines and run cards. */
export function describeLayout(l: PlatformLayout): string {
  return `${l.split ? 'split (a process per service)' : 'one process'} + ${l.gatewayInstances} gateway${l.gatewayInstances === 1 ? '' : 's'}`;
}
