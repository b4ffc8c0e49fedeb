/**
 * runScenario's options, validated once where they enter (zod). Everything after this point gets
 * typed, normalised values.
 */
import { z } from 'zod';
import { invalidInput, unknownName } from '../core/index.ts';
import type { StackState } from '../stack/index.ts';
import { ENGINES, PROFILES, type SetupData, type ThresholdsSpec } from './types.ts';

export const RunScenarioOptionsSchema = z.object({
  scenario: z.string().min(1),
  engine: z.enum(ENGINES).default('node'),
  profile: z.enum(PROFILES).default('smoke'),
  /** Base URL of the platform's gateway; defaults to the running stack's gateway. */
  target: z.string().optional(),
  allowRemote: z.boolean().default(false),
  /** A thresholds file path (k6 syntax) or the object itself; replaces the scenario's defaults. */
  thresholds: z.union([z.string(), z.record(z.string(), z.array(z.any()))]).optional(),
  /** Run directory; defaults to .brink/runs/<runId>. */
  outDir: z.string().optional(),
  /** Multiplies every stage duration (0.1 = ten times shorter). */
  timeScale: z.number().positive().max(100).default(1),
  signal: z.instanceof(AbortSignal).optional(),
  /** The stack to target and read the dataset from; defaults to readStackState(). */
  stack: z.custom<StackState>((v) => typeof v === 'object' && v !== null).optional(),
  /** Prepared setup data (tests against a small server); skips reading the dataset. */
  data: z.custom<SetupData>((v) => typeof v === 'object' && v !== null).optional(),
  /** Number of users to mint tokens for. */
  users: z.number().int().positive().max(100_000).default(200),
  /** Label for the run card when there is no stack state. */
  variant: z.string().optional(),
  /** Run only segment index/count of the plan (every count-th VU or arrival); `brink merge` joins them. */
  segment: z.object({ index: z.number().int().positive(), count: z.number().int().positive().max(10_000) }).refine((s) => s.index <= s.count, 'index must be <= count').optional(),
  /** The run id, shared by every segment of one run (merge refuses parts of different runs). */
  runId: z.string().regex(/^[A-Za-z0-9._-]{1,120}$/, 'letters, digits, . _ - only').optional(),
  /** Node engine worker threads, each an event loop running its share of the plan (1 = none). */
  workers: z.number().int().positive().max(64).default(1),
  /** Write every request's latency to raw/samples.csv (Node engine, one worker). */
  rawSamples: z.boolean().default(false),
});

export type RunScenarioOptions = z.input<typeof RunScenarioOptionsSchema>;
export type ResolvedOptions = z.output<typeof RunScenarioOptionsSchema> & { thresholds?: string | ThresholdsSpec };

export function parseRunOptions(input: RunScenarioOptions): ResolvedOptions {
  const r = RunScenarioOptionsSchema.safeParse(input);
  if (r.success) return r.data as ResolvedOptions;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.') || 'options';
  const value = issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], input);
  if (field === 'engine') throw unknownName('engine', String(value), ENGINES);
  if (field === 'profile') throw unknownName('profile', String(value), PROFILES);
  throw invalidInput(`${field} ${JSON.stringify(value)} is invalid: ${issue.message}`);
}
