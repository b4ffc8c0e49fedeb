/**
 * The report's sections, in the order of the Nova audit / NewFeed assessment layout. Add a section:
 * write sections/<id>.ts exporting a SectionDescriptor and list it here (see HOWTO-sections.md).
 */
import { Registry } from '../../core/index.ts';
import type { SectionDescriptor } from '../types.ts';
import { runCard } from './run-card.ts';
import { executiveSummary } from './executive-summary.ts';
import { compare } from './compare.ts';
import { repetitions } from './repetitions.ts';
import { claims } from './claims.ts';
import { findings } from './findings.ts';
import { pools } from './pools.ts';
import { loadScenarios } from './load-scenarios.ts';
import { timelines } from './timelines.ts';
import { slis } from './slis.ts';
import { capacity } from './capacity.ts';
import { whereTimeWent } from './where-time-went.ts';
import { chaos } from './chaos.ts';
import { actionItems } from './action-items.ts';
import { inputs } from './inputs.ts';

export const SECTIONS = new Registry<SectionDescriptor>('report section', [
  runCard, executiveSummary, compare, repetitions, claims, findings, pools, loadScenarios, timelines, slis, capacity, whereTimeWent, chaos, actionItems, inputs,
]);
