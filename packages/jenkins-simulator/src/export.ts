/**
 * A small re-implementation of Stapler's export machinery: objects ("beans") expose
 * properties with a visibility, and a pruner decides which ones are written, either by depth
 * (`depth=N`, Stapler's `TreePruner.ByDepth`) or by name (`tree=`, `NamedPathPruner`).
 *
 * @packageDocumentation
 */
import { ALL_RANGE, applyRange, type TreeRange, type TreeSpec } from './tree.js';

/** What a pruner sees of a property. */
export interface PropInfo {
  readonly name: string;
  /** Stapler's `@Exported(visibility=…)`; 1 is the default. */
  readonly vis: number;
  /** Stapler's `@Exported(inline=true)`: does not consume a depth level. */
  readonly inline?: boolean;
}

/** One exported property of a bean model. */
export interface Prop<T> extends PropInfo {
  get(target: T, ctx: ExportContext): unknown;
}

/** The exported shape of one Java class. */
export interface Model<T> {
  /** The `_class` value, or undefined for beans that never carry one. */
  readonly cls?: string;
  /** The `_class` value when it depends on the target (wins over `cls`). */
  classOf?(target: T): string;
  /** Properties in Stapler order: superclass first, alphabetical within a class. */
  readonly props: readonly Prop<T>[];
}

/** Request-scoped context handed to property getters. */
export interface ExportContext {
  /** Absolute base URL of the Jenkins root, ending with `/`. */
  readonly base: string;
}

/** An exportable object: a model and its target. */
export class Bean<T = unknown> {
  constructor(
    readonly model: Model<T>,
    readonly target: T,
    /**
     * Stapler writes `_class` only when the runtime class differs from the declared type of
     * the property (`ClassAttributeBehaviour.IF_NEEDED`); false reproduces the other case.
     */
    readonly withClass = true,
  ) {}
}

/** Decides which properties are written and how arrays are cut. */
export interface Pruner {
  accept(prop: PropInfo): Pruner | null;
  readonly range: TreeRange;
}

/** `depth=N`: Stapler's `ByDepth(1 - N)`. */
export class DepthPruner implements Pruner {
  readonly range = ALL_RANGE;
  private nextPruner: DepthPruner | undefined;
  constructor(private readonly n: number) {}

  /** The pruner for the top-level object of a response with `depth=N`. */
  static forDepth(depth: number): DepthPruner {
    return new DepthPruner(1 - depth);
  }

  accept(prop: PropInfo): Pruner | null {
    if (prop.vis < this.n) return null;
    if (prop.inline) return this;
    this.nextPruner ??= new DepthPruner(this.n + 1);
    return this.nextPruner;
  }
}

/** `tree=…`: Stapler's `NamedPathPruner`. */
export class NamedPruner implements Pruner {
  private readonly cache = new Map<TreeSpec, NamedPruner>();
  constructor(private readonly spec: TreeSpec) {}

  get range(): TreeRange {
    return this.spec.range;
  }

  accept(prop: PropInfo): Pruner | null {
    const sub = this.spec.children.get(prop.name) ?? this.spec.children.get('*');
    if (!sub) return null;
    let p = this.cache.get(sub);
    if (!p) {
      p = new NamedPruner(sub);
      this.cache.set(sub, p);
    }
    return p;
  }
}

/** Write a bean as a plain JSON-ready object. The top-level bean always carries `_class`. */
export function exportBean<T>(bean: Bean<T>, pruner: Pruner, ctx: ExportContext, top = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const { model } = bean;
  if ((model.classOf || model.cls !== undefined) && (top || bean.withClass)) {
    out._class = model.classOf ? model.classOf(bean.target) : model.cls;
  }
  const { props } = model;
  for (const prop of props) {
    const child = pruner.accept(prop);
    if (child === null) continue;
    out[prop.name] = exportValue(prop.get(bean.target, ctx), child, ctx);
  }
  return out;
}

/** Write any exported value: beans, arrays (ranged), maps (plain objects) and primitives. */
export function exportValue(value: unknown, pruner: Pruner, ctx: ExportContext): unknown {
  if (value instanceof Bean) return exportBean(value, pruner, ctx, false);
  if (Array.isArray(value)) {
    const items = applyRange(value, pruner.range);
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = exportValue(items[i], pruner, ctx);
    return out;
  }
  if (value !== null && typeof value === 'object') {
    // A Java Map: keys are written as they are, values with the same pruner.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = exportValue(v, pruner, ctx);
    return out;
  }
  return value;
}

/**
 * Serialise like Stapler's JSON writer: compact, with every non-ASCII character escaped as
 * `\uXXXX` (lower-case hex), as real Jenkins responses show.
 */
export function toJenkinsJson(value: unknown, pretty = false): string {
  const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
