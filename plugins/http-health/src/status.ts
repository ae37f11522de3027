/** An inclusive range of HTTP status codes. */
export interface StatusRange {
  readonly min: number;
  readonly max: number;
}

/** How an `expectedStatus` entry may be written: `200`, `"200"`, `"2xx"` or `"200-299"`. */
export type StatusSpec = number | string;

const MIN = 100;
const MAX = 599;
const CODE = /^\d{3}$/;
const CLASS = /^([1-5])xx$/i;
const RANGE = /^(\d{3})\s*-\s*(\d{3})$/;

const inRange = (n: number): boolean => Number.isInteger(n) && n >= MIN && n <= MAX;

/** Parses one `expectedStatus` entry; `undefined` when it is not a code, class or range. */
export function parseStatusSpec(spec: StatusSpec): StatusRange | undefined {
  if (typeof spec === 'number') return inRange(spec) ? { min: spec, max: spec } : undefined;
  const text = spec.trim();
  if (CODE.test(text)) {
    const n = Number(text);
    return inRange(n) ? { min: n, max: n } : undefined;
  }
  const cls = CLASS.exec(text);
  if (cls !== null) {
    const base = Number(cls[1]) * 100;
    return { min: base, max: base + 99 };
  }
  const range = RANGE.exec(text);
  if (range !== null) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    return inRange(min) && inRange(max) && min <= max ? { min, max } : undefined;
  }
  return undefined;
}

/** Parses a validated `expectedStatus` list (entries that do not parse are skipped). */
export function parseStatusList(specs: readonly StatusSpec[]): StatusRange[] {
  return specs.map(parseStatusSpec).filter((r): r is StatusRange => r !== undefined);
}

/** True when `code` falls in one of `ranges`. */
export function statusMatches(code: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((r) => code >= r.min && code <= r.max);
}
