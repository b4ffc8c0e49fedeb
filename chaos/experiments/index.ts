/** The experiments, one file each; `brink chaos list` shows them in this order. */
import { Registry } from '../../core/index.ts';
import type { ExperimentDescriptor } from '../descriptor.ts';
import { dbDown } from './db-down.ts';
import { dbLatency } from './db-latency.ts';
import { poolExhaustion } from './pool-exhaustion.ts';
import { rabbitmqDown } from './rabbitmq-down.ts';
import { redisDown } from './redis-down.ts';
import { resetPeer } from './reset-peer.ts';
import { serviceTimeout } from './service-timeout.ts';
import { slowNetwork } from './slow-network.ts';

export const EXPERIMENTS = new Registry<ExperimentDescriptor>('experiment', [
  dbLatency,
  dbDown,
  redisDown,
  rabbitmqDown,
  serviceTimeout,
  slowNetwork,
  resetPeer,
  poolExhaustion,
]);
