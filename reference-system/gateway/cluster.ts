/**
 * Several gateway processes behind one port (issue 14, MO-3's "PM2 cluster + load balancer"):
 * Node's cluster module forks N workers that each run a gateway; the kernel socket is shared and
 * the primary hands connections out round robin. One gateway process runs JavaScript on one core;
 * N of them can use N. The platform process stays the primary (it keeps running the services, or
 * their split children).
 * Switch changes: a worker that takes PUT /admin/switches tells the primary, which applies them to
 * its own store (the in-process services) and passes them to the other workers.
 */
import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../core/index.ts';
import { createLogger } from '../shared/logger.ts';
import { createMetricsRegistry } from '../shared/metrics.ts';
import { createSwitchStore, type SwitchStore } from '../shared/switch-store.ts';
import type { Switches, Variant } from '../../core/index.ts';
import { startGateway, type GatewayOptions } from './index.ts';

/** What a worker needs, passed in an environment variable (it holds the JWT secret: never argv). */
export const GATEWAY_WORKER_ENV = 'BRINK_GATEWAY_WORKER';

export type GatewayWorkerConfig = Omit<GatewayOptions, 'store' | 'metrics' | 'log' | 'instanceId'> & { variant: Variant; switches: Switches };

type Message = { type: 'brink-gateway-ready'; url: string } | { type: 'brink-switches'; switches: Switches };

export interface GatewayCluster {
  url: string;
  pids: number[];
  stop(): Promise<void>;
}

export async function startGatewayCluster(n: number, config: GatewayWorkerConfig, store: SwitchStore, timeoutMs = 120_000): Promise<GatewayCluster> {
  cluster.setupPrimary({ exec: join(PROJECT_ROOT, 'bin', 'run-ts.js'), args: [join(PROJECT_ROOT, 'reference-system', 'gateway', 'cluster-worker.ts')] });
  const workers: Worker[] = [];
  let applying = false;
  const unsubscribe = store.onChange((_changed, all) => {
    if (applying) return;
    for (const w of workers) w.send({ type: 'brink-switches', switches: { ...all } } satisfies Message);
  });
  const urls = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const w = cluster.fork({ [GATEWAY_WORKER_ENV]: JSON.stringify({ ...config, instanceId: `gateway-${i + 1}` }) });
      workers.push(w);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`gateway worker ${i + 1} did not report ready within ${timeoutMs} ms`)), timeoutMs);
        w.on('message', (m: Message) => {
          if (m.type === 'brink-gateway-ready') {
            clearTimeout(timer);
            resolve(m.url);
          } else if (m.type === 'brink-switches') {
            applying = true;
            try {
              store.set(m.switches);
            } finally {
              applying = false;
            }
            for (const other of workers) if (other !== w) other.send(m);
          }
        });
        w.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`gateway worker ${i + 1} exited with code ${code} before it was ready`));
        });
      });
    }),
  ).catch(async (e: unknown) => {
    await stopWorkers(workers);
    throw e;
  });
  return {
    url: urls[0]!,
    pids: workers.map((w) => w.process.pid!).filter((p) => p !== undefined),
    async stop() {
      unsubscribe();
      await stopWorkers(workers);
    },
  };
}

function stopWorkers(workers: Worker[]): Promise<void> {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) return resolve();
          const kill = setTimeout(() => w.process.kill('SIGKILL'), 8_000);
          w.once('exit', () => (clearTimeout(kill), resolve()));
          w.process.kill('SIGTERM');
        }),
    ),
  ).then(() => undefined);
}

/** The worker side: one gateway on the cluster's shared port. */
export async function runGatewayWorker(): Promise<void> {
  const raw = process.env[GATEWAY_WORKER_ENV];
  if (!raw) throw new Error(`a gateway worker needs the ${GATEWAY_WORKER_ENV} environment variable`);
  const config = JSON.parse(raw) as GatewayWorkerConfig & { instanceId: string };
  const store = createSwitchStore(config.variant, config.switches);
  let applying = false;
  process.on('message', (m: Message) => {
    if (m.type !== 'brink-switches') return;
    applying = true;
    try {
      store.set(m.switches);
    } finally {
      applying = false;
    }
  });
  store.onChange((_changed, all) => {
    if (!applying) process.send?.({ type: 'brink-switches', switches: { ...all } } satisfies Message);
  });
  const log = createLogger({ name: 'gateway' }).child({ instance: config.instanceId });
  const gw = await startGateway({ ...config, store, metrics: createMetricsRegistry(), log, port: 0 });
  const stop = async () => {
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await gw.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // Never outlive the primary.
  process.on('disconnect', () => void stop());
  process.send?.({ type: 'brink-gateway-ready', url: gw.url } satisfies Message);
}
