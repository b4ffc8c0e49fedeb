/**
 * Issue 14's reproduction against a running stack (state from BRINK_STACK_STATE / BRINK_STATE_DIR):
 * fresh users (one following nobody), then the feed/user-posts mix at RATE req/s for DURATION s.
 *   node bin/run-ts.js bench/lib/repro-issue14.ts [RATE] [DURATION] [HEAVY_USERS]
 */
import { readStackState } from '../../stack/index.ts';
import { openLoad } from './open-load.ts';
import { feedMix, prepareMixUsers } from './feed-mix.ts';
import { readFileSync } from 'node:fs';
import { startAttribution } from '../../scenarios/index.ts';

const rate = Number(process.argv[2] ?? 200);
const durationS = Number(process.argv[3] ?? 20);
const heavyN = Number(process.argv[4] ?? 2);
const state = readStackState();
const gateways = Object.entries(state.platform!.services).filter(([k]) => k.startsWith('gateway')).map(([, v]) => v);
const gw = gateways[0]!;
const users = await prepareMixUsers(gw, { heavy: heavyN, follows: 50, seededUsers: 50_000 });
const load = (a: string) => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
process.stderr.write(`users ready; load ${load('')}\n`);
const sampler = await startAttribution(state);
const r = await openLoad({ baseUrls: gateways, ratePerS: rate, durationS, next: feedMix([users.empty, ...users.heavy]) });
const a = await sampler.stop();
process.stderr.write(`top: ${JSON.stringify(a.topConsumer)}\n`);
for (const c of a.components) process.stderr.write(`  ${c.component.padEnd(28)} cpu mean ${c.cpuMeanCores} max ${c.cpuMaxCores} rss ${c.rssMaxMb} MB lagP99max ${c.loopLagP99MaxMs ?? '-'}\n`);
for (const f of a.saturated.slice(0, 5)) process.stderr.write(`  SAT ${f.resource}: ${f.level.toFixed(2)} ${f.evidence}\n`);
for (const h of a.hops) process.stderr.write(`  HOP ${JSON.stringify(h)}\n`);
process.stderr.write(`  notes ${a.notes.join('; ')}\n`);
console.log(JSON.stringify({ ...r, loadavg: load('') }, null, 1));
