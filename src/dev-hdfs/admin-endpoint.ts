/**
 * A small HTTP endpoint to drive a running dev server from outside the
 * process (a shell, another test process):
 *
 * - `GET /faults` answers the switches that are on;
 * - `PUT /faults` merges a JSON object of switches (`null` clears one) and
 *   answers once the change took effect (e.g. ports closed for `refuse`);
 * - `DELETE /faults` clears them all;
 * - `GET /ha` answers `{"state":…}`; `PUT /ha?state=active|standby` sets it.
 *
 * It never refuses, whatever the faults, so it can always turn them off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateFaults, type DevHdfsFaults } from './faults.js';
import type { HaState } from './namenode-state.js';

/** What the endpoint drives. */
export interface AdminTarget {
  readonly faults: Readonly<DevHdfsFaults>;
  readonly haState: HaState;
  setFaults(faults: DevHdfsFaults): void;
  clearFaults(): void;
  setHaState(state: HaState): void;
  settle(): Promise<void>;
}

/** Largest request body accepted, far above any sensible faults object. */
const MAX_BODY_BYTES = 64 * 1024;

/** Builds the request handler of the admin endpoint. */
export function createAdminHandler(
  target: AdminTarget,
  reportInternalError: (error: unknown) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(target, req, res).catch((error: unknown) => {
      if (error instanceof AdminRequestError) {
        reply(res, error.status, { error: error.message });
        return;
      }
      reportInternalError(error);
      reply(res, 500, { error: String(error) });
    });
  };
}

class AdminRequestError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function handle(
  target: AdminTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin.invalid');
  const route = `${req.method ?? ''} ${url.pathname}`;

  switch (route) {
    case 'GET /faults':
      reply(res, 200, target.faults);
      return;
    case 'PUT /faults': {
      const faults = parseFaults(await readBody(req));
      target.setFaults(faults);
      await target.settle();
      reply(res, 200, target.faults);
      return;
    }
    case 'DELETE /faults':
      target.clearFaults();
      await target.settle();
      reply(res, 200, target.faults);
      return;
    case 'GET /ha':
      reply(res, 200, { state: target.haState });
      return;
    case 'PUT /ha': {
      const state = url.searchParams.get('state');
      if (state !== 'active' && state !== 'standby') {
        throw new AdminRequestError(400, 'state must be "active" or "standby"');
      }
      target.setHaState(state);
      reply(res, 200, { state: target.haState });
      return;
    }
    default:
      throw new AdminRequestError(404, `no such admin resource: ${route}`);
  }
}

function parseFaults(body: string): DevHdfsFaults {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new AdminRequestError(400, `the body is not JSON: ${String(error)}`);
  }
  try {
    return validateFaults(parsed);
  } catch (error) {
    throw new AdminRequestError(
      400,
      error instanceof Error ? error.message : String(error),
    );
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new AdminRequestError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': payload.length,
  });
  res.end(payload);
}
