/** Injection tokens of core's container (tsyringe). Plugins never see these. */
export const TOKENS = {
  /** The root logger (`Logger` from @muster/sdk). */
  Logger: Symbol.for('muster.Logger'),
  /** {@link BuildInfo}: version facts for `muster_build_info` and the user agent. */
  BuildInfo: Symbol.for('muster.BuildInfo'),
  /** `PluginResolveOptions`: built-in plugin names and where they resolve from. */
  PluginResolveOptions: Symbol.for('muster.PluginResolveOptions'),
} as const;
