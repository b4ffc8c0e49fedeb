/**
 * What the assessment undoes when it ends, whatever happens: the steps register each undo when
 * they set the thing up (StepEnv.defer). Undone last-first, so a platform is stopped before the
 * stack under it and toxics are removed before switches are put back through the gateway (a toxic
 * left on a gateway->service hop could make that request fail).
 */
export class Cleanup {
  readonly #undo: (() => Promise<void>)[] = [];

  add(undo: () => Promise<void>): void {
    this.#undo.push(undo);
  }

  /**
   * Runs every undo once, last registered first. One that fails does not stop the others (a
   * platform that will not stop must not leave the whole stack running); their errors are returned.
   */
  async run(): Promise<Error[]> {
    const errors: Error[] = [];
    for (let undo = this.#undo.pop(); undo; undo = this.#undo.pop()) {
      await undo().catch((e: unknown) => errors.push(e instanceof Error ? e : new Error(String(e))));
    }
    return errors;
  }
}
