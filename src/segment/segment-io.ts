import fs from 'node:fs';

type Callback = (error: NodeJS.ErrnoException | null) => void;

/**
 * The file operations the segment writer uses: node:fs by default, replaceable
 * in tests to make a disk fail (ENOSPC, EIO) at a chosen moment. Properties,
 * not methods, so that they can be passed around unbound.
 */
export interface SegmentIo {
  readonly openSync: (path: string, flags: string, mode?: number) => number;
  readonly write: (
    fd: number,
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: NodeJS.ErrnoException | null, written: number) => void,
  ) => void;
  readonly writeSync: (
    fd: number,
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ) => number;
  readonly fsync: (fd: number, callback: Callback) => void;
  readonly fsyncSync: (fd: number) => void;
  readonly ftruncateSync: (fd: number, length: number) => void;
  readonly close: (fd: number, callback: Callback) => void;
  readonly closeSync: (fd: number) => void;
  readonly rename: (from: string, to: string, callback: Callback) => void;
  readonly renameSync: (from: string, to: string) => void;
  readonly unlink: (path: string, callback: Callback) => void;
  readonly unlinkSync: (path: string) => void;
}

export const nodeSegmentIo: SegmentIo = {
  openSync: (path, flags, mode) => fs.openSync(path, flags, mode),
  write: (fd, buffer, offset, length, position, callback) => {
    fs.write(fd, buffer, offset, length, position, callback);
  },
  writeSync: (fd, buffer, offset, length, position) =>
    fs.writeSync(fd, buffer, offset, length, position),
  fsync: (fd, callback) => fs.fsync(fd, callback),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  ftruncateSync: (fd, length) => fs.ftruncateSync(fd, length),
  close: (fd, callback) => fs.close(fd, callback),
  closeSync: (fd) => fs.closeSync(fd),
  rename: (from, to, callback) => fs.rename(from, to, callback),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlink: (path, callback) => fs.unlink(path, callback),
  unlinkSync: (path) => fs.unlinkSync(path),
};
