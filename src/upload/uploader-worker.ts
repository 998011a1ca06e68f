/**
 * The uploader's worker thread: one per shipper, so that publishing, checksums
 * and gzip never run on the application's thread (DESIGN.md section 3.5).
 * It receives the resolved options, builds its own destination and uploader,
 * and relays every event with a fresh status.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedOptions } from '../resolve-options.js';
import { toErrorInfo } from './error-info.js';
import { Uploader } from './uploader.js';
import { destinationOf, uploaderConfigOf } from './uploader-config.js';
import { UPLOADER_EVENT_NAMES, type UploaderEvents } from './uploader-events.js';
import type { EventEmitter } from 'node:events';
import { toReport, type FromUploader, type ToUploader } from './uploader-messages.js';
import { UPLOADER_NICE, yieldThreadPriority } from './thread-priority.js';

const port = parentPort;
if (port === null) throw new Error('uploader-worker.js runs as a worker thread');

const options = workerData as ResolvedOptions;
yieldThreadPriority(UPLOADER_NICE);
const uploader = new Uploader(uploaderConfigOf(options, destinationOf(options)));
const post = (message: FromUploader): void => port.postMessage(message);

for (const name of UPLOADER_EVENT_NAMES) {
  (uploader as EventEmitter).on(name, (payload: UploaderEvents[typeof name][0]) => {
    post({ type: 'event', name, payload, status: uploader.status, statusAt: Date.now() });
  });
}

port.on('message', (message: ToUploader) => {
  if (message.type === 'compress') {
    uploader.compressSealed().catch((error: unknown) => {
      post({
        type: 'event',
        name: 'error',
        payload: { error: toErrorInfo(error) },
        status: uploader.status,
        statusAt: Date.now(),
      });
    });
    return;
  }
  if (message.type === 'run') {
    uploader.runCycle().then(
      (summary) => post({ type: 'ran', id: message.id, report: toReport(summary) }),
      (error: unknown) =>
        post({ type: 'failed', id: message.id, error: toErrorInfo(error) }),
    );
    return;
  }
  uploader.stop(message.timeoutMs).then(
    () => {
      post({ type: 'stopped', id: message.id });
      port.close();
    },
    (error: unknown) =>
      post({ type: 'failed', id: message.id, error: toErrorInfo(error) }),
  );
});

uploader.start();
