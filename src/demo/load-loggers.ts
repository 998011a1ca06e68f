/**
 * winston and pino are the package's peers, not its dependencies: a clone
 * has them after `npm ci` (they are devDependencies), an application that
 * installed the package may have one, both or neither.
 */
type Winston = typeof import('winston');
type Pino = (typeof import('pino'))['default'];

/** The two loggers the demo runs. */
export interface DemoLoggers {
  readonly winston: Winston;
  readonly pino: Pino;
}

/** Either both loggers, or the names of the packages that are not installed. */
export type LoadedLoggers =
  { readonly loggers: DemoLoggers } | { readonly missing: readonly string[] };

/** Imports winston and pino; says which are missing rather than throwing. */
export async function loadLoggers(): Promise<LoadedLoggers> {
  const [winston, pino] = await Promise.all([
    importIfInstalled(() => import('winston'), 'winston'),
    importIfInstalled(() => import('pino'), 'pino'),
  ]);
  const missing: string[] = [];
  if (winston === undefined) missing.push('winston');
  if (pino === undefined) missing.push('pino');
  if (winston === undefined || pino === undefined) return { missing };

  // Node gives a CommonJS module's `module.exports` as the default export;
  // winston's typings (`export =`) do not show it on the namespace.
  const winstonExports = (winston as unknown as { default: Winston }).default;
  return { loggers: { winston: winstonExports, pino: pino.default } };
}

async function importIfInstalled<T>(
  load: () => Promise<T>,
  name: string,
): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    // Only the package itself missing; a broken install is a real failure.
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ERR_MODULE_NOT_FOUND' && message.includes(`'${name}'`))
      return undefined;
    throw error;
  }
}
