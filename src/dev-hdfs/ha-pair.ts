/**
 * Two dev servers over one namespace, acting as the NameNodes of an HA pair:
 * the first starts active, the second standby, and {@link DevHdfsHaPair.failover}
 * swaps them as `hdfs haadmin -failover` would. Both redirect to their own
 * DataNode, and a DataNode writes through whichever NameNode is active.
 */
import { DevHdfsServer, type DevHdfsOptions } from './dev-hdfs-server.js';
import { DevNamespace } from './dev-namespace.js';

export interface DevHdfsHaPairOptions extends Omit<
  DevHdfsOptions,
  'namespace' | 'haState'
> {
  /** Local directory served as HDFS `/` by both NameNodes. */
  root: string;
  /** Logical nameservice id, sent as `namenoderpcaddress`. @default 'devhdfs' */
  nameserviceId?: string;
  /** Port of nn1 (started active); `port`, `dataNodePort` and `adminPort` are nn1's. @default 0 */
  port?: number;
  /** Port of nn2 (started standby); its DataNode and admin ports are free ports. @default 0 */
  standbyPort?: number;
}

export interface DevHdfsHaPair {
  /** The NameNode started active. */
  readonly nn1: DevHdfsServer;
  /** The NameNode started standby. */
  readonly nn2: DevHdfsServer;
  /** Both NameNode URLs, nn1 first, as a client's NameNode list. */
  readonly urls: readonly [string, string];
  readonly namespace: DevNamespace;
  /** The NameNode that is active now (nn1 if neither is). */
  readonly active: DevHdfsServer;
  /** The NameNode that is standby now (nn2 if neither is). */
  readonly standby: DevHdfsServer;
  /** Makes the active NameNode standby and the standby active. */
  failover(): void;
  /** Closes both servers and the shared namespace. */
  close(): Promise<void>;
}

/** Starts an HA pair on free ports. */
export async function startDevHdfsHaPair(
  options: DevHdfsHaPairOptions,
): Promise<DevHdfsHaPair> {
  const { root, nameserviceId = 'devhdfs', standbyPort = 0, ...nn1Options } = options;
  const namespace = await DevNamespace.open({ root, nameserviceId });
  const nn1 = await DevHdfsServer.start({ ...nn1Options, namespace, haState: 'active' });
  let nn2: DevHdfsServer;
  try {
    nn2 = await DevHdfsServer.start({
      ...nn1Options,
      port: standbyPort,
      dataNodePort: 0,
      adminPort: nn1Options.adminPort === undefined ? undefined : 0,
      namespace,
      haState: 'standby',
    });
  } catch (error) {
    await nn1.close();
    namespace.close();
    throw error;
  }

  const pair: DevHdfsHaPair = {
    nn1,
    nn2,
    urls: [nn1.url, nn2.url],
    namespace,
    get active() {
      return nn2.haState === 'active' && nn1.haState !== 'active' ? nn2 : nn1;
    },
    get standby() {
      return this.active === nn1 ? nn2 : nn1;
    },
    failover() {
      const [from, to] = nn1.haState === 'active' ? [nn1, nn2] : [nn2, nn1];
      // Standby first, so there is never a moment with two active NameNodes.
      from.setHaState('standby');
      to.setHaState('active');
    },
    async close() {
      await Promise.all([nn1.close(), nn2.close()]);
      namespace.close();
    },
  };
  return pair;
}
