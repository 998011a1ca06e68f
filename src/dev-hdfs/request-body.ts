/**
 * Reading an upload body one chunk at a time with backpressure, without
 * handing the request to an async iterator or a pipeline: both destroy the
 * request (and with it the socket) when the consumer stops early, and a
 * DataNode that rejects an upload must keep the socket to answer on it.
 */
import type { IncomingMessage } from 'node:http';
import type { FileHandle } from 'node:fs/promises';

/** The client went away before its body was complete. */
export class ClientGoneError extends Error {
  constructor(cause?: unknown) {
    super('the client closed the connection before the body was complete', { cause });
    this.name = 'ClientGoneError';
  }
}

/** The next chunk of the body, or undefined once it is complete. */
export function readChunk(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      req.off('readable', tryRead);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onError);
    };
    const settle = (chunk: Buffer | undefined): void => {
      cleanup();
      resolve(chunk);
    };
    function tryRead(): boolean {
      const chunk = req.read() as Buffer | null;
      if (chunk !== null) settle(chunk);
      else if (req.readableEnded) settle(undefined);
      else return false;
      return true;
    }
    function onEnd(): void {
      settle(undefined);
    }
    function onClose(): void {
      if (req.complete) settle(undefined);
      else onError(new ClientGoneError());
    }
    function onError(error: unknown): void {
      cleanup();
      reject(error instanceof ClientGoneError ? error : new ClientGoneError(error));
    }

    if (req.destroyed && !req.complete) {
      reject(new ClientGoneError());
      return;
    }
    if (tryRead()) return;
    // Destroyed with its body unread (the client sent it all, then went away):
    // nothing more will ever arrive, nor any event to wait for.
    if (req.destroyed) {
      reject(new ClientGoneError());
      return;
    }
    req.on('readable', tryRead);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onError);
  });
}

/**
 * Reads and discards the body until `count` bytes have arrived or it ends;
 * answers how many bytes were read.
 */
export async function skipBytes(req: IncomingMessage, count: number): Promise<number> {
  let received = 0;
  while (received < count) {
    const chunk = await readChunk(req);
    if (chunk === undefined) break;
    received += chunk.length;
  }
  return received;
}

/** Writes all of `data` at the handle's current position. */
export async function writeFully(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset);
    offset += bytesWritten;
  }
}
