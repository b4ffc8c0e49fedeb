import { unknownName } from './errors.ts';

/**
 * An explicit registry of plug-ins (scenarios, experiments, checks, report sections).
 * Each plug-in lives in its own file and is listed once in its area's index.ts.
 */
export class Registry<T extends { id: string }> {
  readonly #items = new Map<string, T>();

  constructor(readonly kind: string, items: readonly T[] = []) {
    for (const item of items) this.add(item);
  }

  add(item: T): this {
    if (this.#items.has(item.id)) throw new Error(`duplicate ${this.kind} id "${item.id}"`);
    this.#items.set(item.id, item);
    return this;
  }

  /** Returns the plug-in, or throws INVALID_INPUT naming the value and the valid ids. */
  get(id: string): T {
    const item = this.#items.get(id);
    if (!item) throw unknownName(this.kind, id, this.ids());
    return item;
  }

  has(id: string): boolean {
    return this.#items.has(id);
  }

  ids(): string[] {
    return [...this.#items.keys()];
  }

  all(): T[] {
    return [...this.#items.values()];
  }
}
