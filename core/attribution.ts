/**
 * Where the time went during one run (issue 14): what each stack process used, how late each Node
 * event loop ran, whether PgBouncer had clients waiting, and the time per hop the gateway saw. The
 * sampler (scenarios/attribution) fills it in; the report's "where the time went" section and
 * `brink run` read it. Optional on RunSummary: runs without a local stack have none.
 */

export interface AttributionSample {
  /** Since the run's start. */
  tMs: number;
  /** CPU used over the interval, in cores (1 = one core busy the whole interval). */
  cpuCores: number;
  rssMb: number;
  /** Node processes only. */
  loopLagP99Ms?: number;
  loopUtilization?: number;
}

export interface ComponentSeries {
  /** "postgres", "pgbouncer", "redis", "gateway-1", "posts", "platform", "load-generator"… */
  component: string;
  pids: number[];
  samples: AttributionSample[];
  cpuMeanCores: number;
  cpuMaxCores: number;
  rssMaxMb: number;
  loopLagP99MaxMs?: number;
}

export interface PoolWaitSample {
  tMs: number;
  /** Clients PgBouncer is serving, and clients queued for a server connection. */
  clientsActive: number;
  clientsWaiting: number;
  serversActive: number;
  serversIdle: number;
  maxWaitMs: number;
}

/** Mean time per hop of requests to one downstream, from the gateway's Server-Timing sums. */
export interface HopTiming {
  service: string;
  requests: number;
  /** The whole request as the gateway saw it. */
  totalMeanMs: number;
  /** Auth, rate limit, breaker, relaying: the gateway's own part. */
  gatewayMeanMs: number;
  /** Between the gateway sending and the service starting (sockets, Toxiproxy hops, queueing). */
  transitMeanMs: number;
  /** In the service, outside database queries. */
  serviceMeanMs: number;
  /** Database queries (pool wait included). */
  dbMeanMs: number;
}

export interface SaturationFinding {
  resource: string;
  /** How close to its limit, 0..1+ (CPU share of the machine, waiters per server, lag / 100 ms…). */
  level: number;
  evidence: string;
}

export interface Attribution {
  intervalMs: number;
  cpus: number;
  components: ComponentSeries[];
  pgbouncer: PoolWaitSample[];
  hops: HopTiming[];
  /** Ranked, most saturated first. */
  saturated: SaturationFinding[];
  topConsumer?: { component: string; cpuMeanCores: number; shareOfMachine: number };
  notes: string[];
}
