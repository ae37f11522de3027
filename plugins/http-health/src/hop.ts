/** One request of a check: the first one, or a redirect's next hop. */
export interface Hop {
  readonly url: URL;
  readonly method: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/** An error of the check itself (not of the network), with a code the failure classifier reads. */
export function checkError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}
