import { WebHdfsTlsError, type WebHdfsRequestContext } from '../errors.js';

/** OpenSSL verification results, as Node reports them in `error.code`. */
const UNTRUSTED = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
]);
const OUT_OF_DATE = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/**
 * A {@link WebHdfsTlsError} with a hint at the option to change, when a
 * connection error is a TLS one; undefined for any other error.
 */
export function tlsFailure(
  context: WebHdfsRequestContext,
  code: string,
  cause: unknown,
): WebHdfsTlsError | undefined {
  const hint = hintFor(code, context.endpoint);
  return hint === undefined ? undefined : new WebHdfsTlsError(context, code, hint, cause);
}

function hintFor(code: string, endpoint: string): string | undefined {
  if (UNTRUSTED.has(code)) {
    return (
      `the certificate of ${endpoint} is not signed by a trusted CA; ` +
      "give the cluster's CA in webhdfs.tls.ca"
    );
  }
  if (OUT_OF_DATE.has(code)) {
    return (
      `the certificate of ${endpoint} is outside its validity period ` +
      '(or this clock is wrong)'
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return (
      `the certificate of ${endpoint} does not name that host; ` +
      'use the name it was issued for'
    );
  }
  if (/ALERT_CERTIFICATE_REQUIRED|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA/.test(code)) {
    return (
      `${endpoint} refused this client's certificate or wants one; ` +
      'see webhdfs.tls.cert and webhdfs.tls.key'
    );
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') {
    return `${endpoint} does not seem to speak TLS; use an http:// or webhdfs:// URL for it`;
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return `the TLS handshake with ${endpoint} failed`;
  }
  return undefined;
}
