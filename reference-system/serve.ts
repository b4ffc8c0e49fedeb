/**
 * Process entry for the reference platform (`brink stack up` spawns it detached):
 *   node bin/run-ts.js reference-system/serve.ts --state FILE --variant V [--switch k=v...]
 *        [--split] [--chat-instances N] [--gateway-instances N] [--gateway-processes N] [--toxiproxy-hops] [--proxied-infra] [--database NAME]
 * Prints ONE JSON line `{"ready":true,"services":{...},"jwtSecret":"..."}` on stdout when every
 * server listens (logs go to stderr), and stops cleanly on SIGTERM/SIGINT.
 * With --split the platform starts one child per service: this same file with --child, which
 * reads its options from the BRINK_PLATFORM_CHILD environment variable.
 * The stack's state file is read here, at the edge: the platform itself is given only its URLs.
 */
import { parseArgs } from 'node:util';
import { readStackState } from '../stack/index.ts';
import { CHILD_ENV, startPlatform, type PlatformOptions, type StartedPlatform } from './platform.ts';
import { applySwitchOverrides, parseVariant, switchesFor } from '../core/index.ts';

type ServeArgs = ReturnType<typeof parseServeArgs>;

function parseServeArgs() {
  return parseArgs({
    options: {
      state: { type: 'string' },
      variant: { type: 'string', default: 'optimized' },
      switch: { type: 'string', multiple: true, default: [] },
      split: { type: 'boolean', default: false },
      'chat-instances': { type: 'string', default: '1' },
      'gateway-instances': { type: 'string', default: '1' },
      'gateway-processes': { type: 'string', default: '1' },
      'toxiproxy-hops': { type: 'boolean', default: false },
      'proxied-infra': { type: 'boolean', default: false },
      database: { type: 'string' },
      child: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
}

async function main(): Promise<void> {
  const values = parseServeArgs();
  const opts = values.child ? childOptions() : platformOptions(values);
  const platform: StartedPlatform = await startPlatform(opts);
  const stop = stopOnce(platform);
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // A split child must not outlive its parent.
  if (values.child) stopWhenParentGone(stop);
  process.stdout.write(`${JSON.stringify({ ready: true, services: platform.services, jwtSecret: platform.jwtSecret, variant: platform.variant, switches: platform.switches.current, hops: platform.hops })}\n`);
}

/** A split child's options, as its parent passed them. */
function childOptions(): PlatformOptions {
  const raw = process.env[CHILD_ENV];
  if (!raw) throw new Error(`--child needs the ${CHILD_ENV} environment variable`);
  return JSON.parse(raw) as PlatformOptions;
}

function platformOptions(values: ServeArgs): PlatformOptions {
  const variant = parseVariant(values.variant);
  return {
    infra: readStackState(values.state),
    variant,
    switches: applySwitchOverrides(switchesFor(variant), values.switch),
    split: values.split,
    chatInstances: positiveInt('--chat-instances', values['chat-instances']),
    gatewayInstances: positiveInt('--gateway-instances', values['gateway-instances']),
    gatewayProcesses: positiveInt('--gateway-processes', values['gateway-processes']),
    toxiproxyHops: values['toxiproxy-hops'],
    proxiedInfra: values['proxied-infra'],
    ...(values.database ? { database: values.database } : {}),
  };
}

/** Stops the platform once and exits; a stop that hangs is cut short after 15 s. */
function stopOnce(platform: StartedPlatform): (signal: string) => Promise<void> {
  let stopping = false;
  return async (signal) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`reference platform: ${signal}, stopping\n`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await platform.stop();
    process.exit(0);
  };
}

function stopWhenParentGone(stop: (signal: string) => Promise<void>): void {
  const parent = process.ppid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      void stop('parent gone');
    }
  }, 2_000).unref();
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`${name} "${value}" is not an integer from 1 to 16`);
  return n;
}

main().catch((e) => {
  process.stderr.write(`reference platform failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
