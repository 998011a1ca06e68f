/**
 * The behaviour the publish protocol relies on (src/upload/destination.ts),
 * checked the same way against any destination: each built-in one runs it,
 * and a plug-in store can too.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite, test, type TestContext } from 'node:test';
import { AbortError, InvalidHdfsPathError, VerificationError } from '../../src/errors.js';
import type { Destination } from '../../src/upload/destination.js';
import { refusedForMissingSource } from '../../src/upload/rename-verdict.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** A destination under test, with a way around it to the stored bytes. */
export interface ContractSubject {
  readonly destination: Destination;
  /** The static directory the template was put under, e.g. `/logs`. */
  readonly base: string;
  /** Reads a stored file behind the destination's back. */
  readonly read: (path: string) => Promise<Buffer>;
  /** Rewrites a stored file behind the destination's back. */
  readonly tamper: (path: string, content: string) => Promise<void>;
}

/**
 * Makes a destination whose template is `<base><template>`, its dates in
 * `timeZone`, cleaned up when the test ends.
 */
export type ContractSetup = (
  t: TestContext,
  template: string,
  timeZone: string,
) => Promise<ContractSubject>;

const TEMPLATE = '/{name}/dt={yyyy-MM-dd}/hour={HH}';
const ZONE = 'Europe/Berlin';
const signal = new AbortController().signal;
const call = { signal };

/** Registers the contract's tests, each titled `<label>: <behaviour>`. */
export function testDestinationContract(label: string, setup: ContractSetup): void {
  /** A subject and a local file holding `content`, both owned by the test. */
  async function prepare(t: TestContext, content = 'line one\nline two\n') {
    const subject = await setup(t, TEMPLATE, ZONE);
    const local = join(await makeTempDir(t, 'contract-local-'), 'segment.log');
    await writeFile(local, content);
    return { ...subject, local, content, dir: `${subject.base}/app/dt=x` };
  }

  suite(label, () => {
    test('upload creates the missing parents and stores the content', async (t) => {
      const { destination, local, content, dir, read } = await prepare(t);
      await destination.upload(local, `${dir}/deep/.seg.tmp`, call);

      assert.equal((await read(`${dir}/deep/.seg.tmp`)).toString(), content);
      const entry = await destination.stat(`${dir}/deep`, call);
      assert.equal(entry?.type, 'directory');
    });

    test('upload refuses to replace an existing file', async (t) => {
      const { destination, local, dir, read, tamper } = await prepare(t);
      await destination.upload(local, `${dir}/a.log`, call);
      await tamper(`${dir}/a.log`, 'theirs');

      await assert.rejects(destination.upload(local, `${dir}/a.log`, call));
      assert.equal((await read(`${dir}/a.log`)).toString(), 'theirs');
    });

    test('rename without overwrite moves the file and leaves no source', async (t) => {
      const { destination, local, content, dir, read } = await prepare(t);
      await destination.upload(local, `${dir}/.a.tmp`, call);
      await destination.rename(`${dir}/.a.tmp`, `${dir}/a.log`, {
        ...call,
        overwrite: false,
      });

      assert.equal(await destination.stat(`${dir}/.a.tmp`, call), undefined);
      assert.equal((await read(`${dir}/a.log`)).toString(), content);
    });

    test('rename without overwrite refuses an existing file', async (t) => {
      const { destination, local, dir, read, tamper } = await prepare(t);
      await destination.upload(local, `${dir}/.a.tmp`, call);
      await destination.upload(local, `${dir}/a.log`, call);
      await tamper(`${dir}/a.log`, 'theirs');

      const rename = { ...call, overwrite: false };
      await assert.rejects(destination.rename(`${dir}/.a.tmp`, `${dir}/a.log`, rename));
      assert.equal((await read(`${dir}/a.log`)).toString(), 'theirs');
      assert.equal((await destination.stat(`${dir}/.a.tmp`, call))?.type, 'file');
    });

    test('rename without overwrite refuses a directory and does not move into it', async (t) => {
      const { destination, local, dir } = await prepare(t);
      await destination.upload(local, `${dir}/.a.tmp`, call);
      await destination.upload(local, `${dir}/a.log/other`, call);

      const rename = { ...call, overwrite: false };
      await assert.rejects(destination.rename(`${dir}/.a.tmp`, `${dir}/a.log`, rename));
      const inside = await destination.list(`${dir}/a.log`, call);
      assert.deepEqual(
        inside.map((entry) => entry.name),
        ['other'],
      );
      assert.equal((await destination.stat(`${dir}/.a.tmp`, call))?.type, 'file');
    });

    test('rename of a missing source is refused as such, with or without overwrite', async (t) => {
      const { destination, local, dir } = await prepare(t);
      await destination.upload(local, `${dir}/b.log`, call);

      for (const overwrite of [false, true]) {
        const rename = destination.rename(`${dir}/.gone.tmp`, `${dir}/a.log`, {
          ...call,
          overwrite,
        });
        await assert.rejects(rename, (error) => refusedForMissingSource(error));
      }
      assert.equal(await destination.stat(`${dir}/a.log`, call), undefined);
    });

    test('rename with overwrite replaces a file', async (t) => {
      const { destination, local, content, dir, read, tamper } = await prepare(t);
      await destination.upload(local, `${dir}/.a.tmp`, call);
      await destination.upload(local, `${dir}/a.log`, call);
      await tamper(`${dir}/a.log`, 'old');

      await destination.rename(`${dir}/.a.tmp`, `${dir}/a.log`, {
        ...call,
        overwrite: true,
      });
      assert.equal((await read(`${dir}/a.log`)).toString(), content);
      assert.equal(await destination.stat(`${dir}/.a.tmp`, call), undefined);
    });

    test('stat describes a file and answers undefined for a missing path', async (t) => {
      const { destination, local, content, dir } = await prepare(t);
      const before = Date.now() - 60_000;
      await destination.upload(local, `${dir}/a.log`, call);

      const entry = await destination.stat(`${dir}/a.log`, call);
      assert.ok(entry);
      assert.equal(entry.name, 'a.log');
      assert.equal(entry.type, 'file');
      assert.equal(entry.length, Buffer.byteLength(content));
      assert.ok(entry.modificationTime > before, `${entry.modificationTime} is recent`);
      assert.equal(await destination.stat(`${dir}/missing.log`, call), undefined);
      assert.equal(await destination.stat(`${dir}/nowhere/missing.log`, call), undefined);
    });

    test('stat rejects, rather than answer missing, below a file', async (t) => {
      const { destination, local, dir } = await prepare(t);
      await destination.upload(local, `${dir}/a.log`, call);
      await assert.rejects(destination.stat(`${dir}/a.log/child`, call));
    });

    test('list answers the entries of a directory, and [] for a missing one', async (t) => {
      const { destination, local, dir } = await prepare(t);
      await destination.upload(local, `${dir}/b.log`, call);
      await destination.upload(local, `${dir}/sub/c.log`, call);

      const entries = await destination.list(dir, call);
      const shown = entries.map(({ name, type }) => `${name}:${type}`).sort();
      assert.deepEqual(shown, ['b.log:file', 'sub:directory']);
      assert.deepEqual(await destination.list(`${dir}/missing`, call), []);
    });

    test('list rejects for a file', async (t) => {
      const { destination, local, dir } = await prepare(t);
      await destination.upload(local, `${dir}/a.log`, call);
      await assert.rejects(destination.list(`${dir}/a.log`, call));
    });

    test('delete removes a file and answers false when there is none', async (t) => {
      const { destination, local, dir } = await prepare(t);
      await destination.upload(local, `${dir}/a.log`, call);

      assert.equal(await destination.delete(`${dir}/a.log`, call), true);
      assert.equal(await destination.stat(`${dir}/a.log`, call), undefined);
      assert.equal(await destination.delete(`${dir}/a.log`, call), false);
    });

    test('directoryFor renders the start time in the zone, under the base', async (t) => {
      const { destination, base } = await setup(t, TEMPLATE, ZONE);
      const start = Date.UTC(2026, 11, 31, 23, 30);

      const placement = { name: 'app', host: 'web-1', start };
      assert.equal(
        destination.directoryFor(placement),
        `${base}/app/dt=2027-01-01/hour=00`,
      );
    });

    test('directoryFor refuses values that would leave the base', async (t) => {
      const { destination } = await setup(t, '/{host}/{name}', 'UTC');
      for (const host of ['..', '.', 'a/../..', 'x:y', 'bad\nhost', '']) {
        assert.throws(
          () => destination.directoryFor({ name: 'app', host, start: 0 }),
          InvalidHdfsPathError,
          `host ${JSON.stringify(host)}`,
        );
      }
    });

    test('refuses paths outside the base or with relative parts, before any I/O', async (t) => {
      const { destination, local, base } = await prepare(t);
      const hostile = [`${base}/../escape.log`, `${base}/./a.log`, '/elsewhere/a.log'];
      for (const path of [...hostile, `${base}x/a.log`, `${base}/a\u0001.log`]) {
        await assert.rejects(destination.upload(local, path, call), InvalidHdfsPathError);
        await assert.rejects(destination.stat(path, call), InvalidHdfsPathError);
      }
    });

    test('verifyContent compares content and finds a changed byte', async (t) => {
      const { destination, local, dir, tamper } = await prepare(t, 'line one\n');
      const verify = destination.verifyContent?.bind(destination);
      assert.ok(verify, 'has verifyContent');
      await destination.upload(local, `${dir}/a.log`, call);
      assert.equal(await verify(local, `${dir}/a.log`, call), 'checksum');

      await tamper(`${dir}/a.log`, 'line 0ne\n');
      await assert.rejects(verify(local, `${dir}/a.log`, call), VerificationError);
    });

    test('an aborted signal stops a call with AbortError', async (t) => {
      const { destination, local, dir } = await prepare(t);
      const aborted = { signal: AbortSignal.abort() };
      await assert.rejects(
        destination.upload(local, `${dir}/a.log`, aborted),
        AbortError,
      );
      assert.equal(await destination.stat(`${dir}/a.log`, call), undefined);
    });
  });
}
