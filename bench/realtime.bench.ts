/**
 * npm run bench:realtime — the realtime claims on this machine (NF-8, NV-11, CP-10):
 * 1. how many concurrent Socket.IO connections one chat instance holds (goal 10,000), with the
 *    instance's resident and heap memory per connection;
 * 2. message ack P99 and fan-out delivery P99 at increasing send rates (goal: P99 < 100 ms at
 *    1,000 msg/s), 1,000 conversations of 3 members, one sender each, real rate limit (60/min).
 * The chat instance runs in a child process (assess/chat-child.ts, so its memory is its own) on a real stack: the one
 * named by BRINK_STACK_STATE / `brink stack up`, else a local stack started and stopped here.
 * Loopback only; every phase is bounded in count and time. Knobs (env): MAX_CONNECTIONS (10000),
 * RATES (100,250,500,1000,2000 msg/s), STEP_S (10), VARIANT (optimized|baseline), SWITCHES (k=on|off,…).
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { execSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pidusage from 'pidusage';
import type { Socket } from 'socket.io-client';
import { createHistogram, percentileMs, recordMs, type LatencyHistogram } from '../core/index.ts';
import { createDatabase, readStackStateFile, startStack, stopStack, type StackState } from '../stack/index.ts';
import { signAccessToken, type NewMessage, type RealtimeOptions, type SendAck } from '../reference-system/index.ts';
import { applySwitchOverrides, parseVariant, switchesFor } from '../core/index.ts';
import { startChatChild, type ChatChild, connectAll, heldSockets } from '../assess/index.ts';

const MB = 1024 * 1024;
const fmt = (n: number, d = 1) => n.toFixed(d);
const nowMs = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const maxConnections = Number(process.env.MAX_CONNECTIONS ?? 10_000);
  const rates = (process.env.RATES ?? '100,250,500,1000,2000').split(',').map(Number);
  const stepS = Number(process.env.STEP_S ?? 10);
  const variant = parseVariant(process.env.VARIANT ?? 'optimized');
  if (!(maxConnections >= 1 && maxConnections <= 50_000) || rates.some((r) => !(r > 0 && r <= 5_000)) || !(stepS >= 1 && stepS <= 60)) {
    throw new Error('MAX_CONNECTIONS must be 1..50000, RATES 1..5000 msg/s each, STEP_S 1..60');
  }
  const fdLimit = Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim());
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, ${fmt(totalmem() / 2 ** 30, 0)} GB, ulimit -n ${fdLimit}; variant ${variant}`);
  // Figures from a busy machine are not this code's figures: print the load so readers can tell.
  console.log(`load average at start: ${loadavg().map((l) => fmt(l, 1)).join(' ')} (1/5/15 min)`);
  if (fdLimit < maxConnections + 1_000) console.log(`note: ulimit -n ${fdLimit} is below ${maxConnections} connections + headroom; expect refused connections`);

  let state: StackState | undefined = readStackStateFile(process.env.BRINK_STACK_STATE);
  const ownStack = !state;
  if (!state) {
    console.log('no running stack; starting a local one (about 40 s)');
    state = await startStack({ provider: 'local' });
  }
  const db = await createDatabase(state, 'rt_bench');
  const admin = new pg.Pool({ connectionString: db.url, max: 2 });
  const jwtSecret = 'bench-secret-'.padEnd(40, 'x');
  // SWITCHES=chat-batched-inserts=off,… measures one fix against the variant's defaults.
  const switches = applySwitchOverrides(switchesFor(variant), (process.env.SWITCHES ?? '').split(',').filter(Boolean));
  const usersNeeded = Math.max(maxConnections, 3_000);
  await admin.query(`INSERT INTO users (username, email, password_hash, display_name) SELECT 'b' || g, 'b' || g || '@x.test', 'x', 'b' || g FROM generate_series(1, $1::int) g`, [usersNeeded]);
  const userIds = (await admin.query<{ id: string }>('SELECT id FROM users ORDER BY id')).rows.map((r) => Number(r.id));
  const options: RealtimeOptions = {
    databaseUrl: db.pgbouncerUrl,
    redisUrl: state.urls.redis,
    amqpUrl: state.urls.amqp,
    jwtSecret,
    switches,
    tuning: { namespace: 'bench.', logLevel: 'error', storyCleanupIntervalMs: 0 },
  };
  const child = await startChatChild(options);
  try {
    await capacity(child, userIds.slice(0, maxConnections), jwtSecret);
    await latency(child, admin, userIds.slice(0, 3_000), jwtSecret, rates, stepS);
  } finally {
    await child.stop();
    await admin.end();
    await db.drop().catch(() => undefined);
    if (ownStack) await stopStack(state);
  }
}

async function capacity(child: ChatChild, users: number[], secret: string): Promise<void> {
  console.log(`\n== 1. connections one chat instance holds (goal 10,000) ==`);
  const base = await child.memory();
  console.log(`idle instance: RSS ${fmt(base.rss / MB)} MB, heap ${fmt(base.heapUsed / MB)} MB`);
  const tokens = await Promise.all(users.map((u) => signAccessToken(secret, u, 3_600)));
  const checkpoints = [1_000, 2_500, 5_000, 10_000, 20_000].filter((c) => c < users.length).concat(users.length);
  const all: Socket[] = [];
  let failedTotal = 0;
  let from = 0;
  console.log('attempted  connected  held  failed  ramp(conn/s)  RSS MB  heap MB  RSS KB/conn  heap KB/conn');
  for (const cp of checkpoints) {
    const prev = from;
    const r = await connectAll(child.url, tokens.slice(from, cp), 100, 300_000);
    all.push(...r.sockets.values());
    failedTotal += r.failed;
    from = cp;
    const mem = await child.memory();
    const held = await heldSockets(child.url);
    console.log(
      `${String(prev + r.sockets.size + r.failed).padStart(9)} ${String(all.length).padStart(10)} ${String(held).padStart(5)} ${String(failedTotal).padStart(7)} ${fmt(r.sockets.size / (r.ms / 1000), 0).padStart(13)} ${fmt(mem.rss / MB).padStart(7)} ${fmt(mem.heapUsed / MB).padStart(8)} ${fmt((mem.rss - base.rss) / 1024 / Math.max(1, held)).padStart(12)} ${fmt((mem.heapUsed - base.heapUsed) / 1024 / Math.max(1, held)).padStart(13)}`,
    );
    // More than 10% refused or timed out, or out of time: this is the instance's ceiling here.
    if (r.failed > (cp - prev) / 10 || prev + r.sockets.size + r.failed < cp) break;
  }
  for (const s of all) s.disconnect();
  await sleep(3_000);
}

async function latency(child: ChatChild, admin: pg.Pool, users: number[], secret: string, rates: number[], stepS: number): Promise<void> {
  console.log(`\n== 2. ack and fan-out delivery latency vs send rate (goal P99 < 100 ms at 1,000 msg/s) ==`);
  const groups = Math.floor(users.length / 3);
  const conversations: { id: number; sender: number }[] = [];
  for (let g = 0; g < groups; g++) {
    const members = users.slice(g * 3, g * 3 + 3);
    const c = await admin.query<{ id: string }>('INSERT INTO conversations (created_by) VALUES ($1) RETURNING id', [members[0]]);
    const id = Number(c.rows[0]!.id);
    await admin.query('INSERT INTO conversation_members (conversation_id, user_id) SELECT $1, unnest($2::bigint[])', [id, members]);
    conversations.push({ id, sender: members[0]! });
  }
  const tokens = await Promise.all(users.map((u) => signAccessToken(secret, u, 3_600)));
  const { sockets, failed } = await connectAll(child.url, tokens, 100, 120_000);
  if (failed > 0) console.log(`note: ${failed} of ${users.length} clients failed to connect`);
  const byUser = new Map<number, Socket>([...sockets].map(([i, s]) => [users[i]!, s]));
  let delivery: LatencyHistogram = createHistogram();
  let delivered = 0;
  for (const s of sockets.values()) {
    s.on('message:new', (m: NewMessage) => {
      if (m.clientTs === null) return;
      delivered++;
      recordMs(delivery, Math.max(0, nowMs() - m.clientTs));
    });
  }
  const senders = conversations.filter((c) => byUser.has(c.sender));
  console.log(`${senders.length} conversations x 3 members connected; each message fans out to 2 members; ${stepS} s per rate`);
  console.log('target/s  sent/s  acked  errors  ack p50  ack p99  ack max  deliv p50  deliv p99  delivered/expected  server CPU%  load1');
  let k = 0;
  for (const rate of rates) {
    const ack = createHistogram();
    delivery = createHistogram();
    delivered = 0;
    let acked = 0;
    let errors = 0;
    const errorKinds = new Map<string, number>();
    let sent = 0;
    await pidusage(child.proc.pid!);
    const t0 = performance.now();
    while (performance.now() - t0 < stepS * 1_000) {
      const due = Math.floor(((performance.now() - t0) / 1_000) * rate);
      while (sent < due) {
        const c = senders[k++ % senders.length]!;
        const started = performance.now();
        sent++;
        byUser.get(c.sender)!.timeout(10_000).emit('message:send', { conversationId: c.id, body: `bench message ${sent} `.padEnd(100, '.'), clientTs: nowMs() }, (err: Error | null, a?: SendAck) => {
          if (err || !a?.ok) {
            errors++;
            const kind = err ? 'timeout' : a && !a.ok ? a.error : 'unknown';
            errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
            return;
          }
          acked++;
          recordMs(ack, performance.now() - started);
        });
      }
      await sleep(2);
    }
    const sendSeconds = (performance.now() - t0) / 1_000;
    const cpu = (await pidusage(child.proc.pid!)).cpu;
    // Let outstanding acks and deliveries arrive (bounded).
    const until = Date.now() + 10_000;
    while ((acked + errors < sent || delivered < acked * 2) && Date.now() < until) await sleep(50);
    const p = (h: LatencyHistogram, q: number) => (h.totalCount ? fmt(percentileMs(h, q)) : '-');
    console.log(
      `${String(rate).padStart(8)} ${fmt(sent / sendSeconds, 0).padStart(7)} ${String(acked).padStart(6)} ${String(errors).padStart(7)} ${p(ack, 50).padStart(8)} ${p(ack, 99).padStart(8)} ${p(ack, 100).padStart(8)} ${p(delivery, 50).padStart(10)} ${p(delivery, 99).padStart(10)} ${`${delivered}/${acked * 2}`.padStart(19)} ${fmt(cpu, 0).padStart(12)} ${fmt(loadavg()[0]!, 1).padStart(6)}`,
    );
    if (errorKinds.size > 0) console.log(`          errors: ${[...errorKinds].map(([e, n]) => `${e} ${n}`).join(', ')}`);
    await sleep(2_000);
  }
  for (const s of sockets.values()) s.disconnect();
}

// Last, so every const above is initialised before it runs.
await main();
