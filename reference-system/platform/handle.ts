/** The started platform's handle, built once every part is up. */
import type { Hop } from '../toxiproxy-hops.ts';
import type { StartedPlatform } from './options.ts';
import type { PlatformParts } from './parts.ts';

export interface StartedParts {
  services: Record<string, string>;
  gateways: string[];
  chatInstances: string[];
  hops: Hop[];
}

export function platformHandle(p: PlatformParts, started: StartedParts): StartedPlatform {
  const stopAll = () => p.stoppers.stopAll();
  return {
    variant: p.opts.variant,
    switches: p.store,
    ...started,
    jwtSecret: p.jwtSecret,
    database: p.endpoints.database,
    metrics: p.metrics,
    stopService: (id) => p.stoppers.stopOne(id),
    stop: stopAll,
    [Symbol.asyncDispose]: stopAll,
  };
}
