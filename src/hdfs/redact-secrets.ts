/**
 * A last line of defence for secrets in errors. The client never puts a
 * token or an Authorization header in a message itself, but a server or a
 * proxy may echo a request back in its error page or RemoteException, and
 * that text becomes part of an error. Every string of the error and its
 * `cause` chain that holds a known secret, as sent or percent-encoded, has
 * it replaced before the error leaves the transport.
 */

const MARK = '[redacted]';

/** Secrets shorter than this are not tokens; replacing them would mangle messages. */
const MIN_SECRET = 8;

/** A secret's head this long is enough to recognise it. */
const HEAD = 16;

/**
 * Replaces each secret in `text`, whole or cut short (error messages keep
 * only the first bytes of a server's answer, which can end inside a
 * secret). At each place the longest match wins: Kerberos tokens for one
 * service share their first few hundred bytes, the ticket.
 */
export function redactText(text: string, secrets: Iterable<string>): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET) continue;
    forms.add(secret).add(encodeURIComponent(secret));
  }
  if (forms.size === 0) return text;
  let out = '';
  let from = 0;
  for (let at = 0; at < text.length;) {
    let longest = 0;
    for (const form of forms) longest = Math.max(longest, matchAt(text, at, form));
    if (longest === 0) {
      at += 1;
      continue;
    }
    out += `${text.slice(from, at)}${MARK}`;
    at += longest;
    from = at;
  }
  return out + text.slice(from);
}

/** How much of `form` starts at `at`, when it is at least its head. */
function matchAt(text: string, at: number, form: string): number {
  let length = 0;
  while (length < form.length && text[at + length] === form[length]) length++;
  return length >= Math.min(HEAD, form.length) ? length : 0;
}

/** Redacts `error` and its causes in place, and returns it. */
export function redactError<T>(error: T, secrets: Iterable<string>): T {
  const list = [...secrets].filter((secret) => secret.length >= MIN_SECRET);
  if (list.length === 0) return error;
  const seen = new Set<unknown>();
  for (let current: unknown = error; isObject(current) && !seen.has(current);) {
    seen.add(current);
    const record = current as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(record)) {
      const value = record[key];
      if (typeof value !== 'string') continue;
      const clean = redactText(value, list);
      if (clean !== value) record[key] = clean;
    }
    current = record.cause;
  }
  return error;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
