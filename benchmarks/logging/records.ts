/**
 * The load every setup logs: the same message and fields per record, about
 * 100 bytes once serialized. Only the record number changes, so no setup pays
 * for building data that another does not.
 */
export const MESSAGE = 'request handled';

export interface RecordFields {
  readonly id: number;
  readonly status: number;
}

export function fieldsOf(index: number): RecordFields {
  return { id: index, status: 200 };
}

/** A line shaped like pino's output, for the floors that take bytes, not records. */
export function serializedLine(index: number, time: number): string {
  const fields = JSON.stringify(fieldsOf(index)).slice(1, -1);
  return `{"level":30,"time":${time},"pid":4242,"hostname":"bench",${fields},"msg":"${MESSAGE}"}\n`;
}
