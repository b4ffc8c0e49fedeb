/**
 * A run's clock, timeline and notes. It exists before the experiment is prepared, so prepare()
 * can hand it to what records its own events (the breaker watch) and the runner is then built
 * from prepare()'s output with the same journal: neither needs the other to exist first.
 */
import { EventEmitter } from 'node:events';
import type { TimelineEvent } from '../core/index.ts';

/** The clock and timeline an experiment's parts may use (breaker changes, their own marks). */
export interface RunnerHooks {
  now(): number;
  mark(event: TimelineEvent): void;
  note(message: string): void;
}

export interface JournalEvents {
  mark: [TimelineEvent];
  note: [string];
}

export class RunJournal extends EventEmitter<JournalEvents> implements RunnerHooks {
  readonly timeline: TimelineEvent[] = [];
  readonly notes: string[] = [];
  #originMs = 0;

  /** Sets time zero of the run (the probes start then) and returns it, in performance.now() terms. */
  startClock(): number {
    this.#originMs = performance.now();
    return this.#originMs;
  }

  /** Milliseconds since startClock(). */
  now(): number {
    return performance.now() - this.#originMs;
  }

  mark(event: TimelineEvent): void {
    this.timeline.push(event);
    this.emit('mark', event);
  }

  note(message: string): void {
    this.notes.push(message);
    this.emit('note', message);
  }
}
