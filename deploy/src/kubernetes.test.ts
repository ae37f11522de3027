import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Probe } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Probe';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { requireTool } from '@muster/testing';
import { parseAllDocuments } from 'yaml';
import { DEPLOY_DIR, MUSTER_CLI, REPO_ROOT } from './paths.js';

/**
 * The kustomize base and the sharded overlay, rendered by `kubectl kustomize` and checked
 * against the Kubernetes OpenAPI schemas and the Prometheus Operator's CRD schemas (the
 * `kubernetes-models` and `@kubernetes-models/prometheus-operator` packages carry both as JSON
 * Schema), then against what muster needs: probes, ports, labels, security context, config.
 */

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are untyped YAML
type Manifest = Record<string, any>;

/** apiVersion/kind → the model whose `validate()` checks the upstream JSON Schema. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/Probe': Probe,
};

const KUSTOMIZATIONS = {
  base: join(DEPLOY_DIR, 'kubernetes/base'),
  sharded: join(DEPLOY_DIR, 'kubernetes/overlays/sharded'),
};

type Rendered = { manifests: Manifest[] } | { skip: string };

function render(dir: string): Rendered {
  const tool = requireTool('kubectl', 'kubectl');
  if ('skip' in tool) return tool;
  const result = spawnSync(tool.path, ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    const version = spawnSync(tool.path, ['version', '--client'], { encoding: 'utf8' }).stdout;
    // kubectl before 1.21 embeds kustomize v2.0.3, which has no `patches` field.
    if (/Minor:"(1\d|20)"/.test(version) && !/Kustomize Version/.test(version)) {
      return { skip: `SKIPPED: this kubectl embeds kustomize v2 (kubectl < 1.21), too old for ${dir}: ${result.stderr.trim()}` };
    }
    assert.fail(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  }
  assert.equal(result.stderr.trim(), '', 'renders without warnings');
  const manifests = parseAllDocuments(result.stdout).map((d) => d.toJS() as Manifest);
  return { manifests };
}

const byKind = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind);
const one = (ms: Manifest[], kind: string, name?: string): Manifest => {
  const found = byKind(ms, kind).filter((m) => name === undefined || m.metadata.name === name);
  assert.equal(found.length, 1, `exactly one ${kind}${name === undefined ? '' : ` ${name}`}`);
  return found[0]!;
};
const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** What every rendering must satisfy; `workload` is the Deployment or StatefulSet. */
function checkCommon(ms: Manifest[], workload: Manifest): void {
  // Schemas: every object is a kind we know, valid against its upstream schema.
  for (const m of ms) {
    const model = MODELS[`${m.apiVersion}/${m.kind}`];
    assert.ok(model !== undefined, `unexpected ${m.apiVersion} ${m.kind}`);
    assert.doesNotThrow(() => new model(m as never).validate(), `${m.kind} ${m.metadata?.name} is valid`);
  }
  const pod = workload.spec.template;
  assert.ok(matches(workload.spec.selector.matchLabels, pod.metadata.labels), 'the selector matches the pod labels');
  const [container, ...others] = pod.spec.containers as Manifest[];
  assert.equal(others.length, 0);
  assert.ok(container !== undefined);
  assert.deepEqual(container.args, ['start', '--config', '/etc/muster/muster.yaml']);

  // The port, named `metrics`, as the Service and the ServiceMonitor call it.
  assert.deepEqual(container.ports, [{ name: 'metrics', containerPort: 9777, protocol: 'TCP' }]);
  assert.deepEqual(container.readinessProbe.httpGet, { path: '/readyz', port: 'metrics' });
  assert.deepEqual(container.livenessProbe.httpGet, { path: '/healthz', port: 'metrics' });

  // Resources and security.
  assert.ok(container.resources.requests.cpu && container.resources.requests.memory, 'cpu and memory requests');
  assert.ok(container.resources.limits.memory, 'a memory limit');
  const podSecurity = pod.spec.securityContext;
  assert.equal(podSecurity.runAsNonRoot, true);
  assert.equal(podSecurity.runAsUser, 10001, 'the image\'s user');
  assert.equal(podSecurity.seccompProfile.type, 'RuntimeDefault');
  const security = container.securityContext;
  assert.equal(security.readOnlyRootFilesystem, true);
  assert.equal(security.allowPrivilegeEscalation, false);
  assert.equal(security.runAsNonRoot, true);
  assert.deepEqual(security.capabilities.drop, ['ALL']);
  assert.equal(pod.spec.automountServiceAccountToken, false);
  assert.equal(one(ms, 'ServiceAccount', pod.spec.serviceAccountName).metadata.name, 'muster');

  // Config and secrets: /etc/muster holds the generated ConfigMap's muster.yaml and the secret files.
  const mounts = Object.fromEntries((container.volumeMounts as Manifest[]).map((v) => [v.mountPath, v]));
  assert.equal(mounts['/etc/muster']?.readOnly, true);
  assert.ok(mounts['/tmp'], 'a writable /tmp beside the read-only root');
  const volumes = Object.fromEntries((pod.spec.volumes as Manifest[]).map((v) => [v.name, v]));
  assert.ok(volumes[mounts['/tmp'].name].emptyDir);
  const sources = volumes[mounts['/etc/muster'].name].projected.sources as Manifest[];
  const configMap = one(ms, 'ConfigMap');
  assert.equal(sources.find((s) => s.configMap)?.configMap.name, configMap.metadata.name, 'mounts the generated ConfigMap');
  assert.ok(typeof configMap.data['muster.yaml'] === 'string');
  const secrets = new Map(byKind(ms, 'Secret').map((s) => [s.metadata.name, { ...s.data, ...s.stringData }]));
  for (const s of sources.filter((x) => x.secret)) {
    for (const item of s.secret.items) assert.ok(secrets.get(s.secret.name)?.[item.key] !== undefined, `secret ${s.secret.name} has ${item.key}`);
  }
  for (const env of container.env as Manifest[]) {
    const ref = env.valueFrom?.secretKeyRef;
    if (ref) assert.ok(secrets.get(ref.name)?.[ref.key] !== undefined, `secret ${ref.name} has ${ref.key}`);
  }

  // Scraping: the ServiceMonitor selects exactly one Service (no pod scraped twice), whose
  // selector matches the pods and whose `metrics` port reaches the container's.
  const monitor = one(ms, 'ServiceMonitor');
  const selected = byKind(ms, 'Service').filter((s) => matches(monitor.spec.selector.matchLabels, s.metadata.labels));
  assert.equal(selected.length, 1, `the ServiceMonitor selects one Service, found ${selected.map((s) => s.metadata.name)}`);
  const service = selected[0]!;
  assert.ok(matches(service.spec.selector, pod.metadata.labels), 'the Service selects the pods');
  const port = (service.spec.ports as Manifest[]).find((p) => p.name === 'metrics');
  assert.ok(port !== undefined && port.targetPort === 'metrics');
  assert.ok(monitor.spec.endpoints.length > 0);
  for (const endpoint of monitor.spec.endpoints) {
    assert.equal(endpoint.port, 'metrics');
    assert.equal(endpoint.path ?? '/metrics', '/metrics');
    assert.match(endpoint.interval, /^\d+s$/);
    assert.ok(Number.parseInt(endpoint.scrapeTimeout, 10) < Number.parseInt(endpoint.interval, 10), 'scrapeTimeout below interval');
  }

  // Probing: each Probe asks the `muster` Service's port for /probe with a module muster.yaml defines.
  const config = parseAllDocuments(one(ms, 'ConfigMap').data['muster.yaml'])[0]?.toJS() as Manifest;
  for (const probe of byKind(ms, 'Probe')) {
    assert.equal(probe.spec.prober.url, `${service.metadata.name}:${port.port}`, 'the prober is the muster Service');
    assert.equal(probe.spec.prober.path, '/probe');
    assert.ok(config.modules?.[probe.spec.module] !== undefined, `module ${probe.spec.module} is in muster.yaml`);
    for (const target of probe.spec.targets.staticConfig.static as string[]) {
      const allowed = (config.modules[probe.spec.module].allowedTargets as string[]).some((re) => new RegExp(`^(?:${re})$`).test(target));
      assert.ok(allowed, `${target} is allowed by the module`);
    }
    assert.ok(Number.parseInt(probe.spec.scrapeTimeout, 10) < Number.parseInt(probe.spec.interval, 10));
  }
}

describe('Kubernetes manifests (kustomize)', () => {
  it('the base renders one Deployment, valid and complete', (t) => {
    const rendered = render(KUSTOMIZATIONS.base);
    if ('skip' in rendered) return t.skip(rendered.skip);
    const ms = rendered.manifests;
    assert.deepEqual(ms.map((m) => m.kind).sort(), ['ConfigMap', 'Deployment', 'Probe', 'Secret', 'Service', 'ServiceAccount', 'ServiceMonitor']);
    const deployment = one(ms, 'Deployment');
    assert.equal(deployment.spec.replicas, 1, 'one unsharded replica');
    checkCommon(ms, deployment);
    const env = (deployment.spec.template.spec.containers[0].env as Manifest[]).map((e) => e.name);
    assert.ok(!env.includes('MUSTER_SHARD_COUNT'), 'the base is not sharded');
  });

  it('the sharded overlay renders a StatefulSet whose replicas are the shard count, scraped through one ServiceMonitor', (t) => {
    const rendered = render(KUSTOMIZATIONS.sharded);
    if ('skip' in rendered) return t.skip(rendered.skip);
    const ms = rendered.manifests;
    assert.equal(byKind(ms, 'Deployment').length, 0, 'the StatefulSet replaces the Deployment');
    const set = one(ms, 'StatefulSet');
    checkCommon(ms, set);
    const env = Object.fromEntries((set.spec.template.spec.containers[0].env as Manifest[]).map((e) => [e.name, e.value]));
    assert.equal(Number(env.MUSTER_SHARD_COUNT), set.spec.replicas, 'MUSTER_SHARD_COUNT equals replicas');
    assert.ok(set.spec.replicas > 1);
    assert.equal(env.MUSTER_SHARD_INDEX, undefined, 'the index comes from the pod name (muster-<i>)');
    assert.equal(set.metadata.name, 'muster', 'pods are muster-0 … muster-N-1');
    const governing = one(ms, 'Service', set.spec.serviceName);
    assert.equal(governing.spec.clusterIP, 'None', 'a headless governing Service');
    assert.equal(set.spec.podManagementPolicy, 'Parallel');
  });

  it('the config in the ConfigMap passes `muster validate`, secrets from a file and the environment', (t) => {
    const rendered = render(KUSTOMIZATIONS.base);
    if ('skip' in rendered) return t.skip(rendered.skip);
    const dir = mkdtempSync(join(tmpdir(), 'muster-k8s-'));
    try {
      writeFileSync(join(dir, 'muster.yaml'), one(rendered.manifests, 'ConfigMap').data['muster.yaml']);
      mkdirSync(join(dir, 'secrets'));
      writeFileSync(join(dir, 'secrets/jenkins-token'), 'token-from-the-secret\n');
      const result = spawnSync(process.execPath, [MUSTER_CLI, 'validate', '--config', join(dir, 'muster.yaml')], {
        encoding: 'utf8',
        env: { ...process.env, PG_PASSWORD: 'password-from-the-secret' },
        timeout: 30_000,
      });
      assert.equal(result.status, 0, result.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('agrees with the Dockerfile: user, port, config path', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^USER 10001:10001$/m);
    assert.match(dockerfile, /^EXPOSE 9777$/m);
    assert.match(dockerfile, /^CMD \["start", "--config", "\/etc\/muster\/muster\.yaml"\]$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["node", "--max-semi-space-size=2", "--heap-growing-percent=20", "\/app\/dist\/cli\.js"\]$/m);
    // The entrypoint sets the V8 flags, so muster does not restart itself: the image sets what the restart would add.
    assert.match(dockerfile, /^\s*MALLOC_ARENA_MAX=2$/m);
  });
});
