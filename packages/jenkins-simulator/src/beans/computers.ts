/**
 * Nodes (`hudson.model.Computer`: the built-in node and agents) with their executors, and the
 * node list (`hudson.model.ComputerSet`).
 */
import { Bean, type Model, type Prop } from '../export.js';
import type { SimComputer } from '../types.js';
import { BUILD_CLASS, emptyBean, labelModel, prop } from './model.js';

/** The labels of a node: its own, else `built-in` for the controller and its name for an agent. */
export function computerLabels(c: SimComputer): string[] {
  return c.labels ?? (c.builtIn ? ['built-in'] : [c.name]);
}

function isOffline(c: SimComputer): boolean {
  return (c.offline ?? false) || (c.temporarilyOffline ?? false);
}

function busyOf(c: SimComputer): number {
  return Math.max(0, Math.min(c.numExecutors, c.busyExecutors ?? 0));
}

interface ExecutorTarget {
  readonly number: number;
  readonly busy: boolean;
}

const executorModel: Model<ExecutorTarget> = {
    props: [
    prop<ExecutorTarget>('currentExecutable', 1, (e) => (e.busy ? emptyBean(BUILD_CLASS.freestyle) : null)),
    prop<ExecutorTarget>('idle', 1, (e) => !e.busy),
    prop<ExecutorTarget>('likelyStuck', 1, () => false),
    prop<ExecutorTarget>('number', 1, (e) => e.number),
    prop<ExecutorTarget>('progress', 1, (e) => (e.busy ? 50 : -1)),
  ],
};

const offlineCauseModel: Model<SimComputer> = {
  cls: 'hudson.slaves.OfflineCause$UserCause',
  props: [prop<SimComputer>('description', 1, (c) => c.offlineCauseReason ?? '')],
};

function defaultMonitorData(c: SimComputer): Record<string, unknown> {
  const online = !isOffline(c);
  return {
    'hudson.node_monitors.ArchitectureMonitor': online ? 'Linux (amd64)' : null,
    'hudson.node_monitors.ClockMonitor': online ? { _class: 'hudson.util.ClockDifference', diff: 0 } : null,
  };
}

const computerProps: Prop<SimComputer>[] = [
  prop('actions', 1, () => []),
  prop('assignedLabels', 1, (c) => computerLabels(c).map((l) => new Bean(labelModel, l))),
  prop('description', 1, (c) => c.description ?? (c.builtIn ? "the Jenkins controller's built-in node" : '')),
  prop('displayName', 1, (c) => c.name),
  prop('executors', 1, (c) => {
    const busy = busyOf(c);
    return Array.from({ length: c.numExecutors }, (_, i) => new Bean(executorModel, { number: i, busy: i < busy }));
  }),
  prop('icon', 1, (c) => (isOffline(c) ? 'symbol-computer-offline' : 'symbol-computer')),
  prop('iconClassName', 1, (c) => (isOffline(c) ? 'symbol-computer-offline' : 'symbol-computer')),
  prop('idle', 1, (c) => busyOf(c) === 0),
  prop('jnlpAgent', 1, (c) => c.jnlpAgent ?? false),
  prop('launchSupported', 1, (c) => !(c.jnlpAgent ?? false)),
  prop('loadStatistics', 1, () => emptyBean('hudson.model.Label$1')),
  prop('manualLaunchAllowed', 1, () => true),
  prop('monitorData', 1, (c) => c.monitorData ?? defaultMonitorData(c)),
  prop('numExecutors', 1, (c) => c.numExecutors),
  prop('offline', 1, isOffline),
  prop('offlineCause', 1, (c) => (c.temporarilyOffline ? new Bean(offlineCauseModel, c) : null)),
  prop('offlineCauseReason', 1, (c) => (isOffline(c) ? (c.offlineCauseReason ?? '') : '')),
  prop('oneOffExecutors', 1, () => []),
  prop('temporarilyOffline', 1, (c) => c.temporarilyOffline ?? false),
];

const masterComputerModel: Model<SimComputer> = { cls: 'hudson.model.Hudson$MasterComputer', props: computerProps };
const agentComputerModel: Model<SimComputer> = {
  cls: 'hudson.slaves.SlaveComputer',
  props: [...computerProps, prop('absoluteRemotePath', 1, (c) => (isOffline(c) ? null : '/home/jenkins/agent'))],
};

/** A node as an exportable bean. */
export function computerBean(c: SimComputer): Bean<SimComputer> {
  return new Bean(c.builtIn ? masterComputerModel : agentComputerModel, c);
}

const computerSetModel: Model<readonly SimComputer[]> = {
  cls: 'hudson.model.ComputerSet',
  props: [
    prop('busyExecutors', 1, (cs) => cs.filter((c) => !isOffline(c)).reduce((n, c) => n + busyOf(c), 0)),
    prop('computer', 1, (cs) => cs.map(computerBean), true),
    prop('displayName', 1, () => 'Nodes'),
    prop('totalExecutors', 1, (cs) => cs.filter((c) => !isOffline(c)).reduce((n, c) => n + c.numExecutors, 0)),
  ],
};

/** The node list (`hudson.model.ComputerSet`). */
export function computerSetBean(computers: readonly SimComputer[]): Bean<readonly SimComputer[]> {
  return new Bean(computerSetModel, computers);
}

/** URL name of a node: `(built-in)` for the controller, its name otherwise. */
export function computerUrlName(c: SimComputer): string {
  return c.builtIn ? '(built-in)' : c.name;
}
