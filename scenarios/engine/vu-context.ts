/**
 * What a scenario's Node iteration is given: its VU number, the setup data, the plan, HTTP and
 * Socket.IO helpers that record samples, an abortable sleep, and VU-local state that survives
 * between iterations (like a k6 VU's module scope).
 */
import type { Plan } from '../k6/lib/plans.js';
import type { SetupData } from '../setup-data-shape.ts';
import type { HttpClient, RequestOptions } from './http-client.ts';

export interface VuContext {
  /** 1-based, like k6's __VU. */
  vu: number;
  /** Number of VUs the plan runs at most (chat-burst assigns slots with it). */
  plannedVus: number;
  iteration: number;
  data: SetupData;
  plan: Plan;
  /** ms since the run started. */
  elapsedMs(): number;
  /** Records a sample of a k6-style metric (trend values in ms). */
  sample(metric: string, value: number, tags?: Record<string, string>): void;
  /** HTTP helpers; the first request of an open-model iteration is timed from its intended start. */
  get(path: string, o: RequestOptions): ReturnType<HttpClient['get']>;
  post(path: string, body: unknown, o: RequestOptions): ReturnType<HttpClient['post']>;
  sleep(ms: number): Promise<void>;
  signal: AbortSignal;
  /** VU-local state kept across iterations. */
  state: Record<string, unknown>;
  /** True in open models: no think time, the arrival process is the pacing. */
  openModel: boolean;
}
