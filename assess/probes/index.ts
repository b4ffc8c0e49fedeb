/** Every claim probe, in the order the assessment runs them (the hanging-services probe last: it hangs two hops). */
import { Registry } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import { lc4Health } from './lc-4-health.ts';
import { pgbouncerConnections } from './pgbouncer-connections.ts';
import { nv1UserPostsIndex } from './nv-1-user-posts-index.ts';
import { nv2MessageHistoryIndex } from './nv-2-message-history-index.ts';
import { nf13NewfeedIndexes } from './nf-13-newfeed-indexes.ts';
import { nv3FeedHydration } from './nv-3-feed-hydration.ts';
import { beyondFeedFolloweeMerge } from './beyond-feed-followee-merge.ts';
import { cp5Search } from './cp-5-search.ts';
import { nf4Compression } from './nf-4-compression.ts';
import { nf2Caching } from './nf-2-caching.ts';
import { nf1Pooling } from './nf-1-pooling.ts';
import { nv9Stampede } from './nv-9-stampede.ts';
import { nv8Hashing } from './nv-8-hashing.ts';
import { sliCapacity } from './sli-capacity.ts';
import { nf8Sockets } from './nf-8-sockets.ts';
import { nv14LoadPlan } from './nv-14-load-plan.ts';
import { cp4Auth } from './cp-4-auth.ts';
import { lc1CacheAside } from './lc-1-cache-aside.ts';
import { nf3Combined } from './nf-3-combined.ts';
import { poolSettings } from './pool-settings.ts';
import { mo1SharedPool } from './mo-1-shared-pool.ts';
import { cp7StoryCleanup } from './cp-7-story-cleanup.ts';
import { gatewayCost } from './gateway-cost.ts';
import { nv7RedisPools } from './nv-7-redis-pools.ts';
import { cp89Amqp } from './cp-8-9-amqp.ts';
import { nf9AmqpThroughput } from './nf-9-amqp-throughput.ts';
import { chatInstances } from './chat-instances.ts';
import { thousandUsers } from './thousand-users.ts';
import { nv4StatementTimeouts } from './nv-4-statement-timeouts.ts';
import { nf6RateLimit } from './nf-6-rate-limit.ts';
import { hangingServices } from './hanging-services.ts';

export const PROBES = new Registry<ClaimProbe>('claim probe', [
  lc4Health,
  cp4Auth,
  nf6RateLimit,
  pgbouncerConnections,
  mo1SharedPool,
  cp7StoryCleanup,
  nv7RedisPools,
  chatInstances,
  nf8Sockets,
  nv1UserPostsIndex,
  nv2MessageHistoryIndex,
  nf13NewfeedIndexes,
  nv3FeedHydration,
  beyondFeedFolloweeMerge,
  cp5Search,
  nf4Compression,
  nf2Caching,
  lc1CacheAside,
  nf1Pooling,
  nf3Combined,
  nv9Stampede,
  nv8Hashing,
  sliCapacity,
  gatewayCost,
  thousandUsers,
  nv14LoadPlan,
  nv4StatementTimeouts,
  // Background probes (they wait, flip nothing, load nothing the others measure) overlap the waits of NV-5 / NF-5.
  poolSettings,
  cp89Amqp,
  nf9AmqpThroughput,
  hangingServices,
]);
