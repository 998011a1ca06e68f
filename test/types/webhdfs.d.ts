// The parts of the `webhdfs` npm package (1.2.0, untyped) that the interop tests use.
declare module 'webhdfs' {
  import type { Readable, Writable } from 'node:stream';

  interface WebHdfsStat {
    type: string;
    length: number;
    pathSuffix: string;
  }
  type Callback<T = undefined> = (error: Error | null, result: T) => void;

  interface WebHdfs {
    writeFile(path: string, data: string | Buffer, callback: Callback): void;
    readFile(path: string, callback: Callback<Buffer>): void;
    rename(path: string, destination: string, callback: Callback): void;
    readdir(path: string, callback: Callback<WebHdfsStat[]>): void;
    mkdir(path: string, callback: Callback): void;
    stat(path: string, callback: Callback<WebHdfsStat>): void;
    unlink(path: string, recursive: boolean, callback: Callback): void;
    createReadStream(path: string): Readable;
    createWriteStream(path: string): Writable;
  }

  const WebHDFS: {
    createClient(options: {
      user?: string;
      host: string;
      port: number | string;
      path: string;
    }): WebHdfs;
  };
  export default WebHDFS;
}
