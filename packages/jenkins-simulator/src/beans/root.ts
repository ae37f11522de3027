/**
 * The root object (`hudson.model.Hudson`) with its load statistics, and the crumb issuer.
 */
import { Bean, type Model } from '../export.js';
import type { Store } from '../store.js';
import { computerLabels } from './computers.js';
import { defaultView, itemBean } from './items.js';
import { emptyBean, labelModel, prop, type SimContext } from './model.js';

const LOAD_SERIES = [
  'availableExecutors',
  'busyExecutors',
  'connectingExecutors',
  'definedExecutors',
  'idleExecutors',
  'onlineExecutors',
  'queueLength',
  'totalExecutors',
  'totalQueueLength',
];
const overallLoadModel: Model<null> = {
    props: LOAD_SERIES.map((n) => prop<null>(n, 1, () => emptyBean())),
};

const rootModel: Model<Store> = {
  cls: 'hudson.model.Hudson',
  props: [
    prop('assignedLabels', 1, (_s, ctx) => builtInLabels(ctx).map((l) => new Bean(labelModel, l))),
    prop('mode', 1, () => 'NORMAL'),
    prop('nodeDescription', 1, () => "the Jenkins controller's built-in node"),
    prop('nodeName', 1, () => ''),
    prop('numExecutors', 1, (_s, ctx) => ctx.computers.find((c) => c.builtIn)?.numExecutors ?? 0),
    prop('description', 1, () => null),
    prop('jobs', 1, (s) => s.children.map(itemBean)),
    prop('overallLoad', 1, () => new Bean(overallLoadModel, null)),
    prop('primaryView', 1, (s) => defaultView(s, '', 'root')),
    prop('quietingDown', 1, () => false),
    prop('slaveAgentPort', 1, () => 50000),
    prop('unlabeledLoad', 1, () => emptyBean()),
    prop('useCrumbs', 1, (_s, ctx) => ctx.useCrumbs),
    prop('useSecurity', 1, (_s, ctx) => ctx.useSecurity),
    prop('views', 1, (s) => [defaultView(s, '', 'root')]),
  ],
};

function builtInLabels(ctx: SimContext): string[] {
  const builtIn = ctx.computers.find((c) => c.builtIn);
  return builtIn ? computerLabels(builtIn) : ['built-in'];
}

/** The root object (`hudson.model.Hudson`). */
export function rootBean(store: Store): Bean<Store> {
  return new Bean(rootModel, store);
}

const crumbModel: Model<string> = {
  cls: 'hudson.security.csrf.DefaultCrumbIssuer',
  props: [prop<string>('crumb', 1, (c) => c), prop<string>('crumbRequestField', 1, () => 'Jenkins-Crumb')],
};

/** The crumb issuer (`hudson.security.csrf.DefaultCrumbIssuer`). */
export function crumbBean(crumb: string): Bean<string> {
  return new Bean(crumbModel, crumb);
}
