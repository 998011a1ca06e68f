/**
 * Which operations each HTTP method knows, as Hadoop's GetOpParam,
 * PutOpParam, PostOpParam and DeleteOpParam enumerate them. An op outside its
 * method's list is a 400 IllegalArgumentException ("… is not a valid PUT
 * operation."); a known op the dev server does not implement is a 400
 * UnsupportedOperationException, the answer Hadoop gives for an op it has no
 * handler for.
 */
import { HadoopException } from './hadoop-exception.js';
import type { WebHdfsParams } from './request-params.js';

const KNOWN_OPS: Readonly<Record<string, readonly string[]>> = {
  GET: [
    'OPEN',
    'GETFILESTATUS',
    'LISTSTATUS',
    'LISTSTATUS_BATCH',
    'GETCONTENTSUMMARY',
    'GETQUOTAUSAGE',
    'GETFILECHECKSUM',
    'GETHOMEDIRECTORY',
    'GETDELEGATIONTOKEN',
    'GETTRASHROOT',
    'GETTRASHROOTS',
    'GET_BLOCK_LOCATIONS',
    'GETFILEBLOCKLOCATIONS',
    'GETACLSTATUS',
    'GETXATTRS',
    'LISTXATTRS',
    'CHECKACCESS',
    'GETALLSTORAGEPOLICY',
    'GETSTORAGEPOLICY',
    'GETSNAPSHOTDIFF',
    'GETSNAPSHOTDIFFLISTING',
    'GETSNAPSHOTTABLEDIRECTORYLIST',
    'GETSNAPSHOTLIST',
    'GETSERVERDEFAULTS',
    'GETSTATUS',
    'GETECPOLICY',
    'GETECPOLICIES',
    'GETECCODECS',
    'GETLINKTARGET',
    'GETFILELINKSTATUS',
  ],
  PUT: [
    'CREATE',
    'MKDIRS',
    'CREATESYMLINK',
    'RENAME',
    'SETREPLICATION',
    'SETOWNER',
    'SETPERMISSION',
    'SETTIMES',
    'RENEWDELEGATIONTOKEN',
    'CANCELDELEGATIONTOKEN',
    'MODIFYACLENTRIES',
    'REMOVEACLENTRIES',
    'REMOVEDEFAULTACL',
    'REMOVEACL',
    'SETACL',
    'SETXATTR',
    'REMOVEXATTR',
    'ENABLEECPOLICY',
    'DISABLEECPOLICY',
    'SETECPOLICY',
    'ALLOWSNAPSHOT',
    'DISALLOWSNAPSHOT',
    'CREATESNAPSHOT',
    'RENAMESNAPSHOT',
    'SETSTORAGEPOLICY',
    'SATISFYSTORAGEPOLICY',
    'SETQUOTA',
    'SETQUOTABYSTORAGETYPE',
  ],
  POST: ['APPEND', 'CONCAT', 'TRUNCATE', 'UNSETSTORAGEPOLICY', 'UNSETECPOLICY'],
  DELETE: ['DELETE', 'DELETESNAPSHOT'],
};

/** CreateFlag names (org.apache.hadoop.fs.CreateFlag), for `createflag`. */
export const CREATE_FLAGS: readonly string[] = [
  'CREATE',
  'OVERWRITE',
  'APPEND',
  'SYNC_BLOCK',
  'LAZY_PERSIST',
  'NEW_BLOCK',
  'NO_LOCAL_WRITE',
  'SHOULD_REPLICATE',
  'IGNORE_CLIENT_LOCALITY',
  'NO_LOCAL_RACK',
];

/** Options.Rename names, for `renameoptions`. */
export const RENAME_OPTIONS: readonly string[] = ['NONE', 'OVERWRITE', 'TO_TRASH'];

/** Whether the NameNode has any operation for this HTTP method. */
export function isWebHdfsMethod(method: string): boolean {
  return method in KNOWN_OPS;
}

/**
 * The op of a NameNode request, upper-cased, after the checks Jersey and
 * NamenodeWebHdfsMethods make on it.
 */
export function nameNodeOp(method: string, params: WebHdfsParams): string {
  const raw = params.get('op');
  if (raw === undefined || raw === '') {
    throw new HadoopException(
      'UnsupportedOperationException',
      'op=NULL is not supported',
    );
  }
  const op = raw.toUpperCase();
  if (!(KNOWN_OPS[method] ?? []).includes(op)) {
    throw params.invalid('op', `${raw} is not a valid ${method} operation.`);
  }
  return op;
}

/** The answer for a real WebHDFS op this server does not implement. */
export function unsupportedOp(op: string): HadoopException {
  return new HadoopException(
    'UnsupportedOperationException',
    `op=${op} is not supported by the dev WebHDFS server`,
  );
}
