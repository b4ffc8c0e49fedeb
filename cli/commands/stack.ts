import type { Command } from 'commander';
import { z } from 'zod';
import { BrinkError, STACK_STATE_FILE, invalidInput } from '../../core/index.ts';
import {
  checkHealth, parseProvider, readStackState, readStackStateFile, removeStackState, startPlatformProcess, startStack, stopPlatformProcess, stopStack, writeStackState,
  type StackEvent, type StackState,
} from '../../stack/index.ts';
import { applySwitchOverrides, parseVariant, switchesFor, describeSwitches, SWITCH_IDS, defaultLayout, describeLayout, parseLayoutName } from '../../core/index.ts';
import { addCleanup } from '../interrupt.ts';
import { parseOptions } from '../options.ts';
import { putSwitches } from '../../reference-system/index.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];

const port = z.string().regex(/^\d{1,5}$/).transform(Number).pipe(z.number().int().min(1).max(65535)).optional();
const instances = z.string().regex(/^\d$/).transform(Number).pipe(z.number().int().min(1).max(8)).optional();
/** The numeric options of `stack up`, checked before anything is printed or started. */
const UpNumbers = z.object({
  chatInstances: instances, gatewayInstances: instances,
  postgresPort: port, pgbouncerPort: port, redisPort: port, rabbitmqPort: port, toxiproxyPort: port,
});
const TCP_PORT = 'a TCP port from 1 to 65535';
const UP_EXPECTED = {
  chatInstances: 'a whole number from 1 to 8', gatewayInstances: 'a whole number from 1 to 8',
  postgresPort: TCP_PORT, pgbouncerPort: TCP_PORT, redisPort: TCP_PORT, rabbitmqPort: TCP_PORT, toxiproxyPort: TCP_PORT,
};

function display(e: StackEvent): void {
  if (e.type === 'ready') process.stderr.write(`  ${e.component.padEnd(10)} ready in ${(e.ms / 1000).toFixed(1)} s${e.version ? ` (${e.version})` : ''}\n`);
  else if (e.type === 'stopped') process.stderr.write(`  ${e.component.padEnd(10)} stopped in ${(e.ms / 1000).toFixed(1)} s\n`);
  else if (e.type === 'note') process.stderr.write(`  ${e.message}\n`);
}

interface UpOptions {
  provider: string;
  variant: string;
  switch?: string[];
  platform: boolean;
  split?: boolean;
  layout?: string;
  chatInstances?: string;
  gatewayInstances?: string;
  postgresPort?: string;
  pgbouncerPort?: string;
  redisPort?: string;
  rabbitmqPort?: string;
  toxiproxyPort?: string;
  postgresUrl?: string;
  pgbouncerUrl?: string;
  redisUrl?: string;
  amqpUrl?: string;
  toxiproxyUrl?: string;
  json?: boolean;
}

async function up(opts: UpOptions): Promise<void> {
  const provider = parseProvider(opts.provider);
  const variant = parseVariant(opts.variant);
  const switches = applySwitchOverrides(switchesFor(variant), opts.switch ?? []);
  const n = parseOptions(UpNumbers, opts, { expected: UP_EXPECTED });
  const { chatInstances } = n;
  // The variant's layout unless the user names one; --split is the old spelling of --layout split.
  const layout = defaultLayout(variant);
  if (opts.layout !== undefined) layout.split = parseLayoutName(opts.layout) === 'split';
  if (opts.split) layout.split = true;
  if (n.gatewayInstances !== undefined) layout.gatewayInstances = n.gatewayInstances;
  const ports = {
    ...(n.postgresPort !== undefined ? { postgres: n.postgresPort } : {}),
    ...(n.pgbouncerPort !== undefined ? { pgbouncer: n.pgbouncerPort } : {}),
    ...(n.redisPort !== undefined ? { redis: n.redisPort } : {}),
    ...(n.rabbitmqPort !== undefined ? { rabbitmq: n.rabbitmqPort } : {}),
    ...(n.toxiproxyPort !== undefined ? { toxiproxy: n.toxiproxyPort } : {}),
  };
  const existing = readStackStateFile();
  if (existing) {
    readStackState(); // throws STACK_STALE naming the dead processes if it is a crashed run's
    throw new BrinkError('INVALID_INPUT', `a stack is already running (state file ${STACK_STATE_FILE}, started ${existing.startedAt})`, {
      suggestion: 'use it, or run "brink stack down" first',
    });
  }
  const ac = new AbortController();
  let state: StackState | undefined;
  const t0 = Date.now();
  const starting = (async () => {
    process.stderr.write(`brink: starting the ${provider} stack…\n`);
    state = await startStack({
      provider,
      signal: ac.signal,
      onEvent: display,
      ports,
      ...(opts.postgresUrl ? { postgresUrl: opts.postgresUrl } : {}),
      ...(opts.pgbouncerUrl ? { pgbouncerUrl: opts.pgbouncerUrl } : {}),
      ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}),
      ...(opts.amqpUrl ? { amqpUrl: opts.amqpUrl } : {}),
      ...(opts.toxiproxyUrl ? { toxiproxyUrl: opts.toxiproxyUrl } : {}),
    });
    writeStackState(state);
    if (opts.platform) {
      const t1 = Date.now();
      state.platform = await startPlatformProcess(state, { variant, switches, ...layout, ...(chatInstances ? { chatInstances } : {}), signal: ac.signal });
      state.processes.push({ name: 'platform', pid: state.platform.pid });
      writeStackState(state);
      display({ type: 'ready', component: 'platform', ms: Date.now() - t1, version: `${describeSwitches(variant, switches)}; ${describeLayout(layout)}` });
    }
    return state;
  })();
  const removeCleanup = addCleanup(async () => {
    ac.abort();
    await starting.catch(() => undefined);
    if (state) await stopStack(state);
    removeStackState();
  });
  try {
    await starting;
  } catch (e) {
    if (state) {
      await stopStack(state);
      removeStackState();
    }
    throw e;
  } finally {
    removeCleanup();
  }
  process.stderr.write(`brink: stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s; state in ${STACK_STATE_FILE}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify(statusJson(state!), null, 2)}\n`);
}

function statusJson(state: StackState, health?: Awaited<ReturnType<typeof checkHealth>>) {
  const services = state.platform?.services ?? {};
  return {
    provider: state.provider,
    startedAt: state.startedAt,
    dir: state.dir,
    database: state.database,
    ...(state.platform ? { variant: state.platform.variant, switches: state.platform.switches, ...(state.platform.layout ? { layout: state.platform.layout } : {}) } : {}),
    ...services,
    urls: state.urls,
    proxies: state.proxies,
    components: health ?? state.components,
  };
}

export function registerStack(program: Command): void {
  const stack = program.command('stack').description('start, inspect and stop the real stack (Postgres, PgBouncer, Redis, RabbitMQ, Toxiproxy, the reference platform)');
  stack
    .command('up')
    .description('start the stack and the reference platform')
    .option('--provider <name>', 'local (child processes), docker (testcontainers) or external (URLs you give)', 'local')
    .option('--variant <name>', 'baseline or optimized', 'optimized')
    .option('--switch <name=on|off>', `flip one fix (repeatable): ${SWITCH_IDS.join(', ')}`, collect)
    .option('--no-platform', 'start only the infrastructure')
    .option('--layout <name>', 'one-process or split (a process per service); default: one-process, except optimized on 4+ cores (split)')
    .option('--split', 'the same as --layout split')
    .option('--chat-instances <n>', 'chat service instances (CP-1 needs 2)')
    .option('--gateway-instances <n>', 'gateway processes behind one port (Node cluster), 1 to 8; 1 runs the gateway in the platform process; default: 1, except optimized on 4+ cores (half the cores, at most 4)')
    .option('--postgres-port <port>').option('--pgbouncer-port <port>').option('--redis-port <port>').option('--rabbitmq-port <port>').option('--toxiproxy-port <port>')
    .option('--postgres-url <url>', 'external provider: Postgres').option('--pgbouncer-url <url>', 'external provider: PgBouncer').option('--redis-url <url>', 'external provider: Redis').option('--amqp-url <url>', 'external provider: RabbitMQ').option('--toxiproxy-url <url>', 'external provider: Toxiproxy API')
    .option('--json', 'print the status as JSON when up')
    .action(up);
  stack
    .command('status')
    .description('show every component with its URLs (direct and through Toxiproxy) and health')
    .option('--json', 'machine-readable')
    .action(async (opts: { json?: boolean }) => {
      const state = readStackState();
      const health = await checkHealth(state);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(statusJson(state, health), null, 2)}\n`);
      } else {
        process.stdout.write(`${state.provider} stack started ${state.startedAt}${state.platform ? `, platform ${describeSwitches(state.platform.variant, state.platform.switches)}` : ', no platform'}\n`);
        for (const h of health) process.stdout.write(`${h.healthy ? 'up  ' : 'DOWN'}  ${h.name.padEnd(10)} ${h.url}${h.proxiedUrl ? `  (via toxiproxy ${h.proxiedUrl})` : ''}${h.detail && !h.healthy ? `  ${h.detail}` : ''}\n`);
        for (const [name, url] of Object.entries(state.platform?.services ?? {})) process.stdout.write(`      ${name.padEnd(10)} ${url}\n`);
      }
      if (health.some((h) => !h.healthy)) process.exitCode = 1;
    });
  stack
    .command('down')
    .description('stop everything the stack started and remove its directories (a no-op when nothing is up)')
    .action(async () => {
      const state = readStackStateFile();
      if (!state) {
        process.stderr.write('brink: no stack is running; nothing to stop\n');
        return;
      }
      const t0 = Date.now();
      await stopStack(state, display);
      removeStackState();
      process.stderr.write(`brink: stack down in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    });
  stack
    .command('switch')
    .description('flip fixes on the running platform (indexes included), e.g. brink stack switch cache=off')
    .argument('<name=on|off...>')
    .action(async (pairs: string[]) => {
      const state = readStackState();
      if (!state.platform) throw new BrinkError('STACK_NOT_RUNNING', 'the stack runs no platform', { suggestion: 'start it with "brink stack up" (without --no-platform)' });
      const wanted = applySwitchOverrides(state.platform.switches, pairs);
      await putSwitches(state.platform.services.gateway!, wanted);
      state.platform.switches = wanted;
      writeStackState(state);
      process.stdout.write(`${describeSwitches(state.platform.variant, wanted)}\n`);
    });
}
