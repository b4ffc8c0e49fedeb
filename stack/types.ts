/**
 * What a running stack looks like to everything else. `brink stack up` writes it to one state file
 * (core/paths STACK_STATE_FILE); the test global setup hands it to integration tests with
 * vitest's inject('stack'). URLs are loopback only.
 */
import type { InfraUrls, PlatformLayout, Switches, Variant } from '../core/index.ts';

export const PROVIDERS = ['local', 'docker', 'external'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Toxiproxy proxies the launcher creates, one in front of each infrastructure component. */
export const INFRA_PROXIES = ['postgres', 'pgbouncer', 'redis', 'rabbitmq'] as const;
export type InfraProxyName = (typeof INFRA_PROXIES)[number];

export interface ProxyInfo {
  name: string;
  /** host:port Toxiproxy listens on. */
  listen: string;
  /** host:port it forwards to. */
  upstream: string;
}

export interface StackUrls extends InfraUrls {
  postgresProxied: string;
  /** RabbitMQ management is not enabled; this is its Erlang distribution port, for completeness. */
  [extra: string]: string;
}

export interface ComponentStatus {
  name: string;
  url: string;
  proxiedUrl?: string;
  version?: string;
  pid?: number;
  healthy: boolean;
  detail?: string;
}

export interface PlatformState {
  variant: Variant;
  switches: Switches;
  pid: number;
  /** Service name -> base URL; "gateway" and "chat" among them. */
  services: Record<string, string>;
  /** HS256 secret the platform signs access tokens with, so the harness can mint tokens before load. */
  jwtSecret: string;
  dataset?: string;
  /** How its processes were laid out (absent in state files written before layouts existed). */
  layout?: PlatformLayout;
}

export interface StackState {
  schemaVersion: 1;
  provider: Provider;
  /** The stack's own temporary directory (data, logs, configs); removed by `down`. */
  dir: string;
  startedAt: string;
  /** Database name used by the platform. */
  database: string;
  urls: StackUrls;
  proxies: ProxyInfo[];
  /** Processes the launcher started (for `down` and for stale-state detection). */
  processes: { name: string; pid: number }[];
  components: ComponentStatus[];
  platform?: PlatformState;
}
