/**
 * Targets and the backend's verdict: how a probe's target string becomes a plugin's config, and
 * how a cycle says whether the backend it read is healthy.
 */

/**
 * How a plugin takes a target (`GET /probe?module=M&target=T`): the target string fills part of
 * the config (the `url`, the `host`…), the module's `config` the rest (credentials, TLS, expected
 * status). A plugin without this cannot be used as a module.
 */
export interface TargetSupport {
  /** The one config key the target fills (`url`): the shorthand when the target is one value. */
  readonly key?: string;
  /**
   * The instance config for `target`, from the module's config: validated by the plugin's schema
   * afterwards. Throw to refuse a target that is not in the plugin's form; the message is the
   * one-line reason the scraper reads.
   */
  fromTarget?(target: string, moduleConfig: Readonly<Record<string, unknown>>): unknown;
  /** The config keys the target fills, which a module may not set (default: `[key]`). */
  readonly keys?: readonly string[];
  /** A target in the plugin's form (`https://example.com/healthz`): docs, starter modules, checks. */
  readonly example: string;
}

/** The config keys a target fills, which a module's config may not set. */
export function targetKeys(support: TargetSupport): readonly string[] {
  return support.keys ?? (support.key === undefined ? [] : [support.key]);
}

/**
 * The raw config of one target: the module's config with the target's keys filled. Throws (with
 * a one-line message) when the plugin refuses the target's form.
 */
export function configForTarget(support: TargetSupport, target: string, moduleConfig: Readonly<Record<string, unknown>>): unknown {
  if (support.fromTarget !== undefined) return support.fromTarget(target, moduleConfig);
  if (support.key !== undefined) return { ...moduleConfig, [support.key]: target };
  throw new Error('the plugin names neither a target key nor fromTarget');
}

/** A backend verdict reason: kebab-case, at most 48 characters (`status-503`, `connection-refused`). */
export const VERDICT_REASON = /^[a-z0-9][a-z0-9-]{0,47}$/;

/**
 * What the backend itself says, as a cycle read it: a collector may return this from `collect`.
 * A cycle that runs fine against a backend that answers 503 is `unhealthy('status-503')`.
 */
export interface TargetVerdict {
  readonly healthy: boolean;
  /** Why it is unhealthy: a bounded, kebab-case word ({@link VERDICT_REASON}). */
  readonly reason?: string;
}

/** The backend is healthy. */
export function targetHealthy(): TargetVerdict {
  return { healthy: true };
}

/** The backend is unhealthy, for a bounded `reason` such as `status-503` or `connection-refused`. */
export function targetUnhealthy(reason: string): TargetVerdict {
  return { healthy: false, reason };
}

/** True for a value a collector returned as its verdict. */
export function isTargetVerdict(value: unknown): value is TargetVerdict {
  return value !== null && typeof value === 'object' && typeof (value as { healthy?: unknown }).healthy === 'boolean';
}
