/**
 * The Kubernetes manifests held to the code, as test/compose.test.ts holds docker-compose.yml: each
 * overlay as kustomize renders it (test/deploy-check), every Deployment's environment (ConfigMap +
 * its own env + the operator's Secret) run through the zod schema its service parses at start,
 * every address pointing at a Service that listens there, probes on the ports that serve them,
 * secrets only by reference, memory from the memory benchmark, outside traffic to the gateway only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { APPS, declaredKeys, expectContainerConfig, LIBRARY_ENV } from './support/deployment';
import { ROOT, renderKustomization, type K8sObject } from './support/deploy-check';

/** Stand-ins for the keys of the Secret `ledgerline` the operator creates (docs/deployment.md). */
const SECRET_STAND_INS: Record<string, string> = {
  MONGO_URL: 'mongodb://ledgerline:operator-supplied@ledgerline-mongo-svc.mongodb.svc:27017',
  REDIS_URL: 'redis://:operator-supplied@redis.redis.svc:6379',
  PLATFORM_ADMIN_PASSWORD: 'operator-supplied-secret',
};

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string };
}
interface Container {
  name: string;
  command: string[];
  ports?: { name: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
}
interface DeploymentSpec {
  replicas?: number;
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
}

/** Benchmark process names (bench/results/latest/memory.json) by Deployment name. */
const BENCH_NAMES: Record<string, string> = {
  gateway: 'gateway',
  auth: 'auth',
  tenants: 'tenants',
  customers: 'customers',
  'billing-api': 'billing API',
  'billing-worker': 'billing worker',
  payments: 'payments',
  webhooks: 'webhooks',
};
const memory = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'bench', 'results', 'latest', 'memory.json'), 'utf8'),
) as { after: Record<string, { hwm: number }> };

const mebibytes = (quantity: string): number => {
  const match = /^(\d+)Mi$/.exec(quantity);
  if (!match) throw new Error(`memory quantity ${quantity} is not in Mi`);
  return Number(match[1]);
};

describe.each(['local', 'production'])('deploy/k8s/overlays/%s', (overlay) => {
  let objects: K8sObject[];
  const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const named = (kind: string, name: string) => {
    const found = ofKind(kind).find((o) => o.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in the ${overlay} overlay`);
    return found;
  };
  const deployment = (name: string) => named('Deployment', name).spec as unknown as DeploymentSpec;
  const container = (name: string) => deployment(name).template.spec.containers[0]!;
  const configMap = () => ofKind('ConfigMap')[0]!;

  /** The environment as the container's process sees it. */
  function envOf(name: string): Record<string, string> {
    const c = container(name);
    const env: Record<string, string> = {};
    for (const from of c.envFrom ?? []) {
      expect(from.configMapRef?.name).toBe(configMap().metadata.name);
      Object.assign(env, configMap().data);
    }
    for (const v of c.env ?? []) {
      const ref = v.valueFrom?.secretKeyRef;
      env[v.name] = ref ? SECRET_STAND_INS[ref.key]! : v.value!;
    }
    return env;
  }

  beforeAll(() => {
    objects = renderKustomization(path.join('deploy', 'k8s', 'overlays', overlay));
  }, 600_000);

  test('when rendered, then there is one Deployment per process, a Service per HTTP process, all in one namespace', () => {
    expect(
      ofKind('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(Object.keys(APPS).sort());
    const http = Object.keys(APPS).filter((name) => APPS[name]!.port !== null);
    expect(
      ofKind('Service')
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(http.sort());
    expect(new Set(objects.map((o) => o.metadata.namespace ?? o.metadata.name))).toEqual(
      new Set(['ledgerline']),
    );
  });

  test.each(Object.keys(APPS))(
    'when %s starts, then it runs its compiled entry and its environment passes its config schema',
    (name) => {
      const { schema, entry } = APPS[name]!;
      expect(container(name).command).toEqual(['node', entry]);
      expectContainerConfig(name, envOf(name));
      // its own variables are ones it reads; the shared ConfigMap may hold others' addresses
      const declared = new Set(declaredKeys(schema));
      expect(
        (container(name).env ?? []).map((v) => v.name).filter((k) => !declared.has(k)),
      ).toEqual([]);
    },
  );

  test('when the shared ConfigMap is read, then each of its variables is read by some process', () => {
    const readBySome = new Set([
      ...Object.values(APPS).flatMap((app) => declaredKeys(app.schema)),
      ...LIBRARY_ENV,
    ]);
    expect(Object.keys(configMap().data ?? {}).filter((k) => !readBySome.has(k))).toEqual([]);
  });

  test.each(Object.keys(APPS))(
    'when %s names another service by URL, then a Service of that name listens on that port',
    (name) => {
      const ports = Object.fromEntries(
        ofKind('Service').map((s) => [
          s.metadata.name,
          (s.spec!.ports as { port: number }[]).map((p) => p.port),
        ]),
      );
      for (const [variable, value] of Object.entries(envOf(name))) {
        if (!/^https?:\/\//.test(value)) continue;
        const url = new URL(value);
        expect({ variable, host: url.hostname, ports: ports[url.hostname] }).toEqual({
          variable,
          host: url.hostname,
          ports: [Number(url.port)],
        });
      }
    },
  );

  test.each(Object.keys(APPS))(
    'when %s is probed, then the port asked serves the path (/healthz and /readyz: on HTTP, or on the metrics port of the worker)',
    (name) => {
      const c = container(name);
      const env = envOf(name);
      const portOf = (portName: string) => c.ports!.find((p) => p.name === portName)!.containerPort;
      expect(portOf('metrics')).toBe(Number(env.METRICS_PORT));
      const asked = (probe?: Probe) => probe && { ...probe.httpGet! };
      if (APPS[name]!.port === null) {
        // its one listener: the metrics port, which serves a worker's probes too
        expect(asked(c.startupProbe)).toEqual({ path: '/healthz', port: 'metrics' });
        expect(asked(c.livenessProbe)).toEqual({ path: '/healthz', port: 'metrics' });
        expect(asked(c.readinessProbe)).toEqual({ path: '/readyz', port: 'metrics' });
        return;
      }
      expect(portOf('http')).toBe(Number(env.PORT));
      expect(asked(c.startupProbe)).toEqual({ path: '/healthz', port: 'http' });
      expect(asked(c.livenessProbe)).toEqual({ path: '/healthz', port: 'http' });
      expect(asked(c.readinessProbe)).toEqual({ path: '/readyz', port: 'http' });
    },
  );

  test('when secrets are needed, then they come from the Secret the operator creates, never from a value here', () => {
    expect(ofKind('Secret')).toEqual([]);
    for (const d of ofKind('Deployment')) {
      for (const v of container(d.metadata.name).env ?? []) {
        if (v.name in SECRET_STAND_INS) {
          expect({ name: v.name, value: v.value, from: v.valueFrom }).toEqual({
            name: v.name,
            value: undefined,
            from: { secretKeyRef: { name: 'ledgerline', key: v.name } },
          });
        }
      }
    }
    const names = Object.keys(configMap().data ?? {});
    expect(names.filter((k) => k in SECRET_STAND_INS || /PASSWORD|SECRET|TOKEN/.test(k))).toEqual(
      [],
    );
  });

  test.each(Object.keys(BENCH_NAMES))(
    'when %s is scheduled, then its memory limit is above its measured peak (memory benchmark)',
    (name) => {
      const peakMiB = memory.after[BENCH_NAMES[name]!]!.hwm / 1024;
      const { requests, limits } = container(name).resources!;
      expect(mebibytes(limits!.memory!)).toBeGreaterThan(peakMiB);
      if (overlay === 'production') expect(mebibytes(requests!.memory!)).toBeGreaterThan(peakMiB);
    },
  );

  test('when replicas are counted, then production runs two or more of each HTTP process and local one', () => {
    for (const d of ofKind('Deployment').filter((o) => o.metadata.name !== 'billing-worker')) {
      const replicas = deployment(d.metadata.name).replicas!;
      if (overlay === 'local') expect(replicas).toBe(1);
      else expect(replicas).toBeGreaterThanOrEqual(2);
    }
    // the autoscaler owns the worker's count
    expect(deployment('billing-worker').replicas).toBeUndefined();
    const hpa = named('HorizontalPodAutoscaler', 'billing-worker').spec!;
    expect(hpa.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'billing-worker',
    });
  });

  test('when a node is drained, then every Deployment has a PodDisruptionBudget selecting its pods', () => {
    for (const d of ofKind('Deployment')) {
      const pdb = named('PodDisruptionBudget', d.metadata.name).spec!;
      const labels = deployment(d.metadata.name).template.metadata.labels;
      const selector = (pdb.selector as { matchLabels: Record<string, string> }).matchLabels;
      expect(Object.entries(selector).every(([k, v]) => labels[k] === v)).toBe(true);
    }
  });

  test('when traffic comes from outside the namespace, then only the gateway port admits it', () => {
    type Rule = { from?: Record<string, unknown>[]; ports?: { port: number }[] };
    const policies = ofKind('NetworkPolicy').map((p) => ({
      name: p.metadata.name,
      pods: (p.spec!.podSelector as { matchLabels?: Record<string, string> }).matchLabels ?? {},
      rules: (p.spec!.ingress as Rule[] | undefined) ?? [],
    }));
    // a default deny: a policy selecting every pod with no rule
    expect(policies.some((p) => Object.keys(p.pods).length === 0 && p.rules.length === 0)).toBe(
      true,
    );
    // a rule with no `from`, or one naming namespaces or addresses, admits outside traffic
    const outside = policies.flatMap((p) =>
      p.rules
        .filter((r) => !r.from || r.from.some((f) => 'namespaceSelector' in f || 'ipBlock' in f))
        .map((r) => ({ name: p.name, pods: p.pods, ports: r.ports?.map((x) => x.port) })),
    );
    expect(outside).toEqual([
      {
        name: 'allow-gateway-from-anywhere',
        pods: { 'app.kubernetes.io/component': 'gateway' },
        ports: [8080],
      },
      // the scraper's namespace, opted in by a label, to the metrics port only
      { name: 'allow-metrics-scrape', pods: {}, ports: [9464] },
    ]);
    // the policy admitting Ledgerline's own pods selects them by this label: every pod carries it
    for (const d of ofKind('Deployment')) {
      const labels = deployment(d.metadata.name).template.metadata.labels;
      expect({ name: d.metadata.name, partOf: labels['app.kubernetes.io/part-of'] }).toEqual({
        name: d.metadata.name,
        partOf: 'ledgerline',
      });
    }
  });
});
