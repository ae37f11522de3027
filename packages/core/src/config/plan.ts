import type { Plugin } from '@muster/sdk';
import type { Isolation, OnFailure } from './schema.js';
import type { SelfMetricsLevel } from './run-options.js';
import type { Schedule } from './schedule.js';
import type { TargetPattern } from './target-pattern.js';
import type { TimeoutSource } from './timeout.js';

/** The settings an instance may set itself or inherit from `defaults`, as a config file writes them. */
export interface InstanceSettings {
  readonly schedule?: string | undefined;
  readonly timeout?: string | undefined;
  readonly jitter?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly onFailure?: OnFailure | undefined;
  readonly maxSeries?: number | undefined;
  readonly isolation?: Isolation | undefined;
  readonly workerMemoryMb?: number | undefined;
  readonly align?: boolean | undefined;
  readonly selfMetrics?: SelfMetricsLevel | undefined;
}

/** Everything needed to run one configured instance, validated. */
export interface InstancePlan {
  readonly name: string;
  /** The plugin reference as written (`http-health`, `./my-plugin`). */
  readonly use: string;
  readonly plugin: Plugin;
  readonly schedule: Schedule;
  readonly timeoutMs: number;
  /** Where the timeout came from: the instance, `defaults`, the plugin's defaults or muster's. */
  readonly timeoutSource?: TimeoutSource;
  /** The inherited timeout, when it was longer than the interval and clamped to it (`10s`). */
  readonly timeoutClampedFrom?: string;
  readonly jitterMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly onFailure: OnFailure;
  readonly maxSeries: number;
  /** Where the plugin code runs (`in-process` when absent). */
  readonly isolation?: Isolation;
  /** With worker isolation: the worker's heap limit in MiB. */
  readonly workerMemoryMb?: number;
  /** The module URL the plugin was loaded from (a worker imports it again). */
  readonly pluginUrl?: string;
  /** False for a probe's instance: its series carry no `collector` label (the scraper sets `instance`). */
  readonly collectorLabel?: false;
  /** Run in step with the other instances of its interval instead of at its own phase (default false). */
  readonly align?: boolean;
  /** How many of muster's own series the instance exports (`standard` when absent). */
  readonly selfMetrics?: SelfMetricsLevel;
  /** The instance's `config`, parsed by the plugin's schema. */
  readonly config: unknown;
  /** A digest of everything above, to tell changed instances apart on reload. */
  readonly fingerprint: string;
}

/** One entry of `modules:`, validated: how `/probe?module=NAME&target=T` checks a target. */
export interface ModulePlan {
  readonly name: string;
  /** The plugin reference as written. */
  readonly use: string;
  readonly plugin: Plugin;
  /** The module URL the plugin was loaded from. */
  readonly pluginUrl?: string;
  /** The module's settings; with the file's defaults they resolve each target's instance plan. */
  readonly settings: InstanceSettings;
  readonly defaults: InstanceSettings;
  /** The probe deadline, before a scrape's own timeout shortens it. */
  readonly timeoutMs: number;
  /** The plugin config without the target, as written (a target fills the rest, then the schema checks it). */
  readonly config: Readonly<Record<string, unknown>>;
  /** A target must match one of these whole; empty: any target the plugin takes. */
  readonly allowedTargets: readonly TargetPattern[];
  /** Targets whose collector is kept between probes. */
  readonly maxTargets: number;
  /** A kept collector not probed for this long is closed. */
  readonly idleMs: number;
  /** A digest of everything above, to tell changed modules apart on reload. */
  readonly fingerprint: string;
}

/** Where and how the exporter listens. */
export interface ServerPlan {
  readonly host: string;
  readonly port: number;
  readonly metricsPath: string;
  readonly requestTimeoutMs: number;
  /** Absolute path of the web config file, when `server.webConfig` is set. */
  readonly webConfig?: string;
  /** Serve `POST /-/reload`. */
  readonly reloadEndpoint?: boolean;
}

/** A whole config, validated: nothing runs before one of these exists. */
export interface Plan {
  readonly filepath: string;
  readonly server: ServerPlan;
  readonly instances: readonly InstancePlan[];
  /** The `modules:` of the file (none when absent). */
  readonly modules?: readonly ModulePlan[];
  /** Values that came from the environment or files; redacted wherever muster writes text. */
  readonly secrets: ReadonlySet<string>;
}
