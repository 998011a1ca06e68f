/**
 * Work that must happen synchronously when the process (or worker thread)
 * exits normally: writers put what they hold on disk and seal. One `exit`
 * listener serves every writer, however many there are.
 */
class ExitHooks {
  readonly #hooks = new Set<() => void>();
  #listening = false;

  add(hook: () => void): void {
    this.#hooks.add(hook);
    if (!this.#listening) {
      this.#listening = true;
      process.on('exit', this.#runAll);
    }
  }

  delete(hook: () => void): void {
    this.#hooks.delete(hook);
    if (this.#hooks.size === 0 && this.#listening) {
      this.#listening = false;
      process.off('exit', this.#runAll);
    }
  }

  readonly #runAll = (): void => {
    for (const hook of this.#hooks) hook();
  };
}

export const exitHooks = new ExitHooks();
