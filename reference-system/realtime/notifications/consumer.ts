/**
 * The worker's consuming side: an AMQP link whose setup, on every (re)connection, reads
 * `amqp-reliability`, declares that mode's topology, and consumes its main queue; and a watch that
 * notices the switch changing and closes the connection, so the link reconnects with the other
 * topology. In-flight deliveries are tracked so stop() waits for them.
 */
import type { ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { Switches } from '../../../core/index.ts';
import { declareTopology } from '../amqp/declare.ts';
import { openAmqpLink, type AmqpLink } from '../amqp/link.ts';
import type { NotificationTopology } from '../amqp/topology.ts';
import type { InflightWork } from '../lifecycle/inflight.ts';
import { onAutoAcked, onReliable, type DeliveryDeps } from './delivery.ts';

/** The current connection and its topology (both null while disconnected). */
export interface ConsumerState {
  topology: NotificationTopology | null;
  conn: ChannelModel | null;
}

export interface ConsumerOptions {
  url: string;
  name: string;
  log: Logger;
  switches: Readonly<Switches>;
  topologyFor(reliable: boolean): NotificationTopology;
  delivery: DeliveryDeps;
  inflight: InflightWork;
}

export function openConsumer(o: ConsumerOptions): { link: AmqpLink; state: ConsumerState } {
  const state: ConsumerState = { topology: null, conn: null };
  const link = openAmqpLink({
    url: o.url,
    name: o.name,
    log: o.log,
    setup: (conn) => consume(o, state, conn),
    onLost: () => {
      state.topology = null;
      state.conn = null;
    },
  });
  return { link, state };
}

async function consume(o: ConsumerOptions, state: ConsumerState, conn: ChannelModel): Promise<void> {
  const { log } = o;
  const t = o.topologyFor(o.switches['amqp-reliability']);
  const ch = await conn.createConfirmChannel();
  ch.on('error', (e: Error) => log.warn({ err: e.message }, 'consumer channel error'));
  // A closed channel (e.g. a PRECONDITION_FAILED) on a live connection: reconnect from scratch.
  ch.on('close', () => {
    if (state.conn === conn) void conn.close().catch(() => undefined);
  });
  await declareTopology(ch, t);
  await ch.prefetch(t.prefetch);
  await ch.consume(
    t.mainQueue.name,
    (msg) => {
      if (!msg) return; // consumer cancelled by the broker (queue deleted)
      const p = t.manualAck ? onReliable(o.delivery, ch, t, msg) : onAutoAcked(o.delivery, msg);
      o.inflight.track(p.catch((e: Error) => log.warn({ err: e.message }, 'notification left unacked; it will be redelivered')));
    },
    { noAck: !t.manualAck },
  );
  state.topology = t;
  state.conn = conn;
  log.info({ queue: t.mainQueue.name, reliable: t.reliable, prefetch: t.prefetch }, 'notifications worker consuming');
}

/** Polls the switch each second; returns what stops polling. */
export function watchReliabilitySwitch(state: ConsumerState, switches: Readonly<Switches>, log: Logger): () => void {
  const timer = setInterval(() => {
    const { topology, conn } = state;
    if (topology && conn && topology.reliable !== switches['amqp-reliability']) {
      log.info({ reliable: switches['amqp-reliability'] }, 'amqp-reliability changed; reconnecting with the other topology');
      void conn.close().catch(() => undefined);
    }
  }, 1_000);
  timer.unref();
  return () => clearInterval(timer);
}
