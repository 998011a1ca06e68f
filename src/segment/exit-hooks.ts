/**
 * When a hook runs at exit: `drain` hooks hand over what a logger still holds
 * (winston's own buffer), `seal` hooks then put everything on disk and seal.
 */
export type ExitPhase = 'drain' | 'seal';

/**
 * Work that must happen synchronously when the process (or worker thread)
 * exits normally: writers put what they hold on disk and seal. One `exit`
 * listener serves every writer, however many there are, and runs every
 * `drain` hook before any `seal` hook, so that nothing drained arrives after
 * its writer has sealed.
 */
class ExitHooks {
  readonly #hooks: Record<ExitPhase, Set<() => void>> = {
    drain: new Set(),
    seal: new Set(),
  };
  #listening = false;

  add(hook: () => void, phase: ExitPhase = 'seal'): void {
    this.#hooks[phase].add(hook);
    if (!this.#listening) {
      this.#listening = true;
      process.on('exit', this.#runAll);
    }
  }

  delete(hook: () => void, phase: ExitPhase = 'seal'): void {
    this.#hooks[phase].delete(hook);
    const left = this.#hooks.drain.size + this.#hooks.seal.size;
    if (left === 0 && this.#listening) {
      this.#listening = false;
      process.off('exit', this.#runAll);
    }
  }

  readonly #runAll = (): void => {
    for (const hook of this.#hooks.drain) hook();
    for (const hook of this.#hooks.seal) hook();
  };
}

export const exitHooks = new ExitHooks();
