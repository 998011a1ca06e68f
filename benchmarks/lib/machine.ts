import os from 'node:os';

/** One line that says what the numbers were measured on. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const memory = Math.round(os.totalmem() / 1024 ** 3);
  const system = `${os.type()} ${os.release()}`;
  return `${cpus.length} × ${model}, ${memory} GiB RAM, ${system}, Node ${process.version}`;
}
