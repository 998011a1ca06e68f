import {
  HdfsLogTransportError,
  UploadError,
  WebHdfsHttpError,
  WebHdfsRemoteError,
} from '../errors.js';
import { classifyError } from '../hdfs/error-class.js';
import type { ErrorInfo } from './uploader-events.js';

/** An error as plain data for events (see {@link ErrorInfo}). */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof UploadError) {
    // Already plain data once: keep what the uploader's thread found.
    return {
      name: error.name,
      code: error.code,
      message: error.message,
      errorClass: error.errorClass,
      ...(error.exception === undefined ? {} : { exception: error.exception }),
      ...(error.status === undefined ? {} : { status: error.status }),
    };
  }
  const errorClass = classifyError(error);
  if (!(error instanceof Error)) {
    return { name: 'Error', code: 'ERR_UNKNOWN', message: String(error), errorClass };
  }
  const code =
    error instanceof HdfsLogTransportError
      ? error.code
      : ((error as NodeJS.ErrnoException).code ?? 'ERR_UNKNOWN');
  return {
    name: error.name,
    code,
    message: error.message,
    errorClass,
    ...(error instanceof WebHdfsRemoteError
      ? { exception: error.exception, status: error.status }
      : {}),
    ...(error instanceof WebHdfsHttpError ? { status: error.status } : {}),
  };
}

/** The key under which a permanent failure is reported only once. */
export function causeKey(info: ErrorInfo): string {
  return `${info.code}:${info.exception ?? ''}:${info.status ?? ''}`;
}
