/**
 * Which luxon date formats may appear in a destination template: those whose
 * output is always a safe part of an HDFS path name.
 */

/**
 * luxon tokens allowed in a destination placeholder. With the locale fixed to
 * `en-US` and Latin digits, each gives only ASCII letters and digits. Left
 * out: zone and offset tokens (`z` gives `Europe/Berlin`, `ZZ` gives
 * `+01:00`), localized formats (`D`, `t`, `ff` give `/`, `:` and spaces),
 * 12-hour clocks without their AM/PM, eras and fractions of a second.
 */
export const TIME_TOKENS: ReadonlySet<string> = new Set([
  ...['y', 'yy', 'yyyy', 'kk', 'kkkk', 'q', 'qq', 'M', 'MM', 'MMM', 'MMMM'],
  ...['L', 'LL', 'LLL', 'LLLL', 'W', 'WW', 'o', 'ooo', 'd', 'dd'],
  ...['E', 'EEE', 'EEEE', 'c', 'ccc', 'cccc', 'H', 'HH', 'm', 'mm', 's', 'ss'],
]);

/**
 * Why a luxon format cannot be used in a path name, or `undefined`. Tokens
 * are read as luxon reads them: runs of one letter, text in single quotes,
 * and any other character as itself. Letters must form a token of
 * {@link TIME_TOKENS}; literal text must not hold white space (luxon gives it
 * a meaning), `:` or control characters.
 */
export function findTimeFormatProblem(format: string): string | undefined {
  let index = 0;
  while (index < format.length) {
    const char = format.charAt(index);
    let end = index + 1;
    let literal: string;
    if (char === "'") {
      end = format.indexOf("'", index + 1) + 1;
      if (end === 0) return 'a quote is not closed';
      literal = format.slice(index + 1, end - 1);
    } else {
      while (format.charAt(end) === char) end += 1;
      literal = format.slice(index, end);
      if (/[a-z]/i.test(char)) {
        if (!TIME_TOKENS.has(literal)) return unknownToken(literal);
        literal = '';
      }
    }

    const problem = findLiteralProblem(literal);
    if (problem !== undefined) return `${JSON.stringify(literal)} ${problem}`;
    index = end;
  }
  return undefined;
}

/**
 * The reason `text` is refused for holding a control character, or
 * `undefined`. HDFS takes them in names (all but NUL); a log directory never
 * needs them, and they are how a hostile value would try to confuse a reader.
 */
export function findControlCharacter(text: string): string | undefined {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return 'holds a control character';
  }
  return undefined;
}

function unknownToken(token: string): string {
  return (
    `the token "${token}" is not allowed (use {host}, {name} or date tokens such as ` +
    `yyyy, MM, dd, HH, mm; quote literal letters, as in 'T')`
  );
}

function findLiteralProblem(text: string): string | undefined {
  if (/\s/.test(text)) return 'holds white space';
  if (text.includes(':')) return 'holds ":"';
  return findControlCharacter(text);
}
