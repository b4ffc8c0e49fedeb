/** Builds the report model from loaded inputs: pure, so tests feed literal inputs. */
import type { Comparison, ReportModel } from './types.ts';
import type { LoadedInputs } from './load.ts';
import { deriveSlis } from './derive/slis.ts';
import { deriveScenario } from './derive/scenarios.ts';
import { deriveCapacity } from './derive/capacity.ts';
import { deriveAreas, deriveVerdict, severityCounts } from './derive/verdict.ts';
import { deriveActions } from './derive/actions.ts';

export interface ModelOptions {
  title?: string;
  /** Fixed in tests so the model is reproducible. */
  generatedAt?: string;
  comparison?: Comparison | null;
}

export function buildModel(inputs: LoadedInputs, options: ModelOptions = {}): ReportModel {
  const slis = deriveSlis(inputs.runs);
  const scenarios = inputs.runs.map(deriveScenario);
  const counts = severityCounts(inputs.findings);
  const audited = inputs.sources.some((s) => s.read.some((f) => f.startsWith('audit/')));
  const hasAnyData = inputs.runs.length + inputs.findings.length + inputs.claims.length + inputs.chaos.length > 0 || inputs.pools !== null || audited;
  // An assessment without one scenario run has no load evidence: it can never read READY.
  const incomplete = inputs.assessments.some((a) => !a.complete) || (inputs.assessments.length > 0 && inputs.runs.length === 0);
  const title = options.title ?? inputs.assessments[0]?.title
    ?? (inputs.runs.length === 1 ? `Load test report: ${inputs.runs[0]!.summary.card.scenario}` : 'Performance and resilience report');
  return {
    schemaVersion: 1,
    title,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    sources: inputs.sources,
    assessments: inputs.assessments,
    runs: inputs.runs,
    findings: inputs.findings,
    explains: inputs.explains,
    pools: inputs.pools,
    claims: inputs.claims,
    chaos: inputs.chaos,
    problems: inputs.problems,
    derived: {
      verdict: deriveVerdict(counts, slis, inputs.chaos, hasAnyData, incomplete),
      severityCounts: counts,
      areas: deriveAreas(inputs.findings, slis, inputs.chaos, audited),
      slis,
      scenarios,
      capacity: deriveCapacity(inputs.runs, scenarios),
      actions: deriveActions(inputs.findings, slis, inputs.chaos, inputs.claims),
    },
    comparison: options.comparison ?? null,
  };
}
