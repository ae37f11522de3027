/**
 * A function that replaces every occurrence of the given secrets (and their percent-encoded
 * forms) in a text by `[REDACTED]`. Empty secrets are ignored; longer ones are replaced first.
 */
export function scrubber(secrets: readonly (string | undefined)[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined || secret === '') continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
  }
  const list = [...forms].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of list) out = out.split(secret).join('[REDACTED]');
    return out;
  };
}
