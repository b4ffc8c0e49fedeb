/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and time per package,
 * self and inclusive (a sample counts once for every package on its stack), so a benchmark can
 * say what a request costs in JWT checks, compression, metrics, HTTP parsing or the database driver.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Not idle: what the process's one JavaScript thread was doing. */
  busyMs: number;
  functions: { name: string; selfMs: number }[];
  packages: { name: string; selfMs: number; inclusiveMs: number }[];
  /** The packages asked for by name (WATCHED by default), whatever their rank; 0 when absent. */
  watched: { name: string; selfMs: number; inclusiveMs: number }[];
}

/** The per-request suspects of issue 14: JWT, compression, metrics, logging, drivers, validation, breakers. */
export const WATCHED = ['jose', 'compression', 'prom-client', 'pino', 'pg', 'ioredis', 'undici', 'zod', 'opossum', 'shared/server-timing.ts', 'node:internal/async_hooks', '(garbage collector)'];

/** "pino", "@node-rs/argon2", "node:http", "gateway/index.ts", "(garbage collector)". */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:internal/')) return url.split('/').slice(0, 3).join('/').replace(/\.js$/, '');
  if (url.startsWith('node:')) return url;
  const rs = url.indexOf('/reference-system/');
  if (rs >= 0) return url.slice(rs + '/reference-system/'.length).split('/').slice(0, 2).join('/');
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
}

export function summariseProfile(file: string, top = 25, watch: readonly string[] = WATCHED): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const pkgsOnStack = new Map<number, Set<string>>();
  const stackPkgs = (id: number): Set<string> => {
    const known = pkgsOnStack.get(id);
    if (known) return known;
    const n = byId.get(id)!;
    const up = parent.get(id);
    const s = new Set(up === undefined ? [] : stackPkgs(up));
    s.add(packageOf(n.callFrame.url, n.callFrame.functionName));
    pkgsOnStack.set(id, s);
    return s;
  };
  const selfFn = new Map<string, number>();
  const selfPkg = new Map<string, number>();
  const inclPkg = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    totalUs += dt;
    const n = byId.get(id)!;
    const f = n.callFrame;
    if (f.functionName === '(idle)') {
      idleUs += dt;
      return;
    }
    const pkg = packageOf(f.url, f.functionName);
    const fname = `${f.functionName || '(anonymous)'} ${pkg}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    selfFn.set(fname, (selfFn.get(fname) ?? 0) + dt);
    selfPkg.set(pkg, (selfPkg.get(pkg) ?? 0) + dt);
    for (const k of stackPkgs(id)) inclPkg.set(k, (inclPkg.get(k) ?? 0) + dt);
  });
  const ms = (us: number) => us / 1000;
  return {
    totalMs: ms(totalUs),
    busyMs: ms(totalUs - idleUs),
    functions: [...selfFn].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, selfMs: ms(us) })),
    packages: [...new Set([...selfPkg.keys()])]
      .map((name) => ({ name, selfMs: ms(selfPkg.get(name) ?? 0), inclusiveMs: ms(inclPkg.get(name) ?? 0) }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top),
    watched: watch.map((name) => ({ name, selfMs: ms(selfPkg.get(name) ?? 0), inclusiveMs: ms(inclPkg.get(name) ?? 0) })),
  };
}
