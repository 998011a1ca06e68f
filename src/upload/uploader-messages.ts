import type { CycleSummary } from './uploader.js';
import type { ErrorInfo, UploaderEvents } from './uploader-events.js';
import type { UploaderStatus } from './uploader-status.js';

/** A run's summary as it crosses threads (a Map becomes entries). */
export interface CycleReport extends Omit<CycleSummary, 'failures'> {
  readonly failures: ReadonlyArray<readonly [string, ErrorInfo]>;
}

/** Messages from the application's thread to the uploader's worker. */
export type ToUploader =
  | { readonly type: 'run'; readonly id: number }
  | { readonly type: 'compress' }
  | { readonly type: 'stop'; readonly id: number; readonly timeoutMs: number };

/** Messages from the uploader's worker to the application's thread. */
export type FromUploader =
  | {
      readonly type: 'event';
      readonly name: keyof UploaderEvents;
      readonly payload: UploaderEvents[keyof UploaderEvents][0];
      readonly status: UploaderStatus;
      /** When `status` was taken (epoch ms): its ages grow from there. */
      readonly statusAt: number;
    }
  | { readonly type: 'ran'; readonly id: number; readonly report: CycleReport }
  | { readonly type: 'stopped'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number; readonly error: ErrorInfo };

export function toReport(summary: CycleSummary): CycleReport {
  return { ...summary, failures: [...summary.failures] };
}
