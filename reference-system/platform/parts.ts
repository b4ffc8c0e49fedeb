/** What every start-up step of the platform shares: the options, resolved once, and the live parts. */
import type { Logger } from 'pino';
import type { Registry as PromRegistry } from 'prom-client';
import type { SwitchStore } from '../shared/switch-store.ts';
import type { PlatformEndpoints } from './endpoints.ts';
import type { PlatformOptions } from './options.ts';
import type { Stoppers } from './stoppers.ts';

export interface PlatformParts {
  opts: PlatformOptions;
  endpoints: PlatformEndpoints;
  jwtSecret: string;
  store: SwitchStore;
  metrics: PromRegistry;
  log: Logger;
  /** Each step registers the stop of what it started, as it starts it. */
  stoppers: Stoppers;
}
