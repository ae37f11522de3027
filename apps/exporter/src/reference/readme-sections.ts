/**
 * The marker a plugin README puts on the line after a `## ` heading to have that section copied,
 * verbatim, into the plugin's generated reference page (`docs/plugins/NAME.md`). The README stays
 * the one home of the text; the page carries a copy a test keeps in step.
 */
export const REFERENCE_MARKER = '<!-- also in the reference page -->';

/** The `## ` sections of a README marked with {@link REFERENCE_MARKER}, marker line removed, joined. */
export function referenceSections(readme: string): string {
  const lines = readme.split('\n');
  const sections: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!(lines[i] as string).startsWith('## ') || lines[i + 1]?.trim() !== REFERENCE_MARKER) continue;
    let end = i + 2;
    while (end < lines.length && !(lines[end] as string).startsWith('## ')) end++;
    sections.push([lines[i], ...lines.slice(i + 2, end)].join('\n').trim());
  }
  return sections.join('\n\n');
}
