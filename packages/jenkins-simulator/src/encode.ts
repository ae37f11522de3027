/**
 * Jenkins' `Util.rawEncode`: how an item name becomes one URL path segment.
 *
 * Escaped: control characters and space, `"#%/:;<>?[\]^\``, everything above `z` in ASCII
 * (`{|}~` and DEL) and every non-ASCII character (as UTF-8, upper-case hex).
 * Kept: letters, digits and `!$&'()*+,-.=@_`.
 *
 * @packageDocumentation
 */

const ESCAPED = new Set('"#%/:;<>?[\\]^`'.split(''));

function mustEscape(code: number, ch: string): boolean {
  return code < 33 || code > 122 || ESCAPED.has(ch);
}

/** Encode one path component as Jenkins does (`a b (x)` → `a%20b%20(x)`). */
export function rawEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (!mustEscape(code, ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
