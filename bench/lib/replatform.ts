/**
 * Restarts only the reference platform of the running stack with other options (split, gateway
 * processes, variant), keeping the seeded database: benchmarks compare layouts side by side on the
 * same data without a 90 s re-seed each time.
 *   node bin/run-ts.js bench/lib/replatform.ts [--split] [--gw=N] [--variant=V] [--switch=k=v…]
 */
import { readStackStateFile, startPlatformProcess, stopPlatformProcess, writeStackState, type StackState } from '../../stack/index.ts';
import { STACK_STATE_FILE } from '../../core/index.ts';
import { applySwitchOverrides, switchesFor, type Variant } from '../../core/index.ts';

export interface PlatformLayout {
  variant: Variant;
  split: boolean;
  gatewayInstances: number;
  switches?: string[];
  /** The stack's state file; the default one (core/paths) when not given. */
  stateFile?: string;
  /** Node flags for the platform process (bench:profile passes --cpu-prof). */
  execArgv?: readonly string[];
  /** Extra environment for the platform process (A/B knobs such as BRINK_GATEWAY_TOKEN_CACHE=off). */
  env?: Record<string, string>;
}

export async function restartPlatform(layout: PlatformLayout): Promise<StackState> {
  const file = layout.stateFile ?? STACK_STATE_FILE;
  const state = readStackStateFile(file);
  if (!state) throw new Error(`no stack state at ${file}`);
  const dataset = state.platform?.dataset;
  await stopPlatformProcess(state);
  state.processes = state.processes.filter((p) => p.name !== 'platform');
  delete state.platform;
  // serve.ts reads the state file: it must not list the platform just stopped.
  writeStackState(state, file);
  const switches = applySwitchOverrides(switchesFor(layout.variant), layout.switches ?? []);
  state.platform = await startPlatformProcess(state, { variant: layout.variant, switches, split: layout.split, gatewayInstances: layout.gatewayInstances, stateFile: file, ...(layout.execArgv ? { execArgv: layout.execArgv } : {}), ...(layout.env ? { env: layout.env } : {}) });
  if (dataset) state.platform.dataset = dataset;
  state.processes.push({ name: 'platform', pid: state.platform.pid });
  writeStackState(state, file);
  return state;
}

if (process.argv[1]?.endsWith('replatform.ts')) {
  const args = process.argv.slice(2);
  const state = await restartPlatform({
    split: args.includes('--split'),
    gatewayInstances: Number(args.find((a) => a.startsWith('--gw='))?.slice(5) ?? 1),
    variant: (args.find((a) => a.startsWith('--variant='))?.slice(10) ?? 'optimized') as Variant,
    switches: args.filter((a) => a.startsWith('--switch=')).map((a) => a.slice(9)),
  });
  console.log(JSON.stringify(state.platform!.services));
}
