/**
 * A TCP proxy that slows what clients send down to a set rate, so that an
 * upload to the dev server's DataNode takes long enough for a reader to see
 * it in flight. Answers come back at full speed; a reset on either side is
 * passed on as a reset.
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** Bytes forwarded between two pauses. */
const SLICE_BYTES = 16 * 1024;

export interface ThrottleProxy {
  /** The proxy's base URL, as a `webhdfs.dataNodeRewrite` value. */
  readonly url: string;
}

/** Starts a proxy to `target` (`http://host:port`) on port 0, closed after the test. */
export async function startThrottleProxy(
  t: TestContext,
  target: string,
  bytesPerSecond: number,
): Promise<ThrottleProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const pauseMs = (SLICE_BYTES / bytesPerSecond) * 1000;

  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    const throttled = async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
          await delay(pauseMs);
          yield chunk.subarray(at, at + SLICE_BYTES);
        }
      }
    };
    const cut = (): void => {
      // resetAndDestroy needs a connected handle; destroy covers the rest.
      for (const socket of [client, upstream]) {
        if (socket.readyState === 'open') socket.resetAndDestroy();
        else socket.destroy();
      }
    };
    pipeline(client, throttled, upstream).catch(cut);
    pipeline(upstream, client).catch(cut);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of sockets) socket.destroy();
    await closed;
  });
  const { port: proxyPort } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${proxyPort}` };
}
