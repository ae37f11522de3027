/** What stands in for the user and password of a URL shown to a reader. */
export const HIDDEN_USERINFO = '…';

/** `scheme:` and its slashes, then everything up to the last `@` before the path: the userinfo. */
const USERINFO = /([a-z][a-z0-9+.-]*:[\\/]*)[^/?#]*@/gi;

/**
 * `text` with the user and password of any URL in it replaced by {@link HIDDEN_USERINFO}
 * (`http://…@host/`). A URL parser is forgiving (leading blanks, tabs and newlines inside, an `@`
 * in the password, `http:user:pw@host` without slashes), so a URL it reads with credentials is
 * shown in the parser's own form; any other text loses whatever an `@` ends after a `scheme:`.
 */
export function hideUserinfo(text: string): string {
  if (!text.includes('@')) return text;
  try {
    const url = new URL(text);
    if (url.username !== '' || url.password !== '') {
      url.username = '';
      url.password = '';
      return url.href.replace(`${url.protocol}//`, `${url.protocol}//${HIDDEN_USERINFO}@`);
    }
  } catch {
    // Not one URL: fall through to the search below.
  }
  return text.replace(/[\t\n\r]/g, ' ').replace(USERINFO, `$1${HIDDEN_USERINFO}@`);
}
