/** The scenarios, one descriptor file each. Add a line here to register a new one (HOWTO-scenarios.md). */
import { Registry } from '../core/index.ts';
import { chatBurst } from './chat-burst.ts';
import { feed } from './feed.ts';
import { searchSpike } from './search-spike.ts';
import type { ScenarioDescriptor } from './types.ts';

export const SCENARIOS = new Registry<ScenarioDescriptor>('scenario', [feed, chatBurst, searchSpike]);
