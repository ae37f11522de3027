/** Fields read for every item of the job tree. */
export const ITEM_FIELDS = ['_class', 'name', 'url', 'color'] as const;
/** Fields of `lastBuild` read when per-job build details are asked for. */
export const BUILD_FIELDS = ['number', 'result', 'duration', 'timestamp'] as const;

/**
 * The `tree=` value that reads the whole job tree to `maxDepth` levels of nesting in ONE
 * request: `jobs[_class,name,url,color,jobs[_class,name,url,color,…]]`. Never `depth=`, which
 * makes Jenkins serialise every field of every object.
 */
export function jobTreeQuery(maxDepth: number, options: { lastBuild?: boolean } = {}): string {
  if (!Number.isInteger(maxDepth) || maxDepth < 1) throw new RangeError(`maxDepth must be an integer ≥ 1, got ${maxDepth}`);
  const fields = [...ITEM_FIELDS, ...(options.lastBuild ? [`lastBuild[${BUILD_FIELDS.join(',')}]`] : [])].join(',');
  let query = `jobs[${fields}]`;
  for (let level = 1; level < maxDepth; level++) query = `jobs[${fields},${query}]`;
  return query;
}
