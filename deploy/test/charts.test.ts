import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { services } from '../../scripts/services';
import { type Doc, helm, helmBinary, parseAll, readText, readYaml, root, umbrellas } from './support';

// The Helm charts without a cluster: their YAML and values are checked here on every machine;
// where a helm binary exists (HELM_BIN or PATH) they are also linted and rendered, and the
// rendered manifests are checked. CI machines of this project have no helm: there, the
// rendered checks are reported as skipped.

const allCharts = ['pace-service', ...umbrellas, 'pace-local'];
const values: Record<string, Doc> = Object.fromEntries(umbrellas.map((u) => [u, readYaml(`charts/${u}/values.yaml`)]));
const templatesOf = (chart: string) => readdirSync(path.join(root, 'charts', chart, 'templates')).map((f) => `charts/${chart}/templates/${f}`);
const libraryTemplates = templatesOf('pace-service').map((f) => readText(f)).join('\n');

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Pub/Sub ids: a letter first, 3-255 of letters, digits and - _ . ~ + %.
const PUBSUB_ID = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;

/** The Pub/Sub topology the umbrellas declare, computed as the pubsub template does. */
function topology() {
  const topics: { topic: string; producer: string; umbrella: string }[] = [];
  const subscriptions: { name: string; topic: string; consumer: string; umbrella: string; dlq: string }[] = [];
  for (const u of umbrellas) {
    for (const [name, svc] of Object.entries<Doc>(values[u].services ?? {})) {
      for (const domain of svc.events?.publishes ?? []) topics.push({ topic: `pace.${domain}.v1`, producer: name, umbrella: u });
      for (const topic of svc.events?.consumes ?? []) subscriptions.push({ name: `${name}.${topic}`, topic, consumer: name, umbrella: u, dlq: `${name}.${topic}.dlq` });
    }
  }
  return { topics, subscriptions };
}

describe('charts, statically', () => {
  it.each(allCharts)('%s has a valid Chart.yaml and YAML values', (chart) => {
    const meta = readYaml(`charts/${chart}/Chart.yaml`);
    expect(meta).toMatchObject({ apiVersion: 'v2', name: chart, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(meta.type).toBe(chart === 'pace-service' ? 'library' : 'application');
    for (const file of readdirSync(path.join(root, 'charts', chart)).filter((f) => /^values.*\.yaml$/.test(f))) {
      expect(() => readYaml(`charts/${chart}/${file}`)).not.toThrow();
    }
  });

  it.each(umbrellas)('%s depends on the library chart at its current version', (u) => {
    const library = readYaml('charts/pace-service/Chart.yaml');
    expect(readYaml(`charts/${u}/Chart.yaml`).dependencies).toEqual([{ name: 'pace-service', version: library.version, repository: 'file://../pace-service' }]);
    expect(readText(`charts/${u}/templates/services.yaml`)).toContain('include "pace-service.umbrella" .');
  });

  it('the library only defines templates (a library chart renders nothing itself) and every include resolves', () => {
    const defined = new Set([...libraryTemplates.matchAll(/\{\{-?\s*define\s+"([^"]+)"/g)].map((m) => m[1]));
    for (const file of templatesOf('pace-service')) expect(path.basename(file)).toMatch(/^_.*\.tpl$/);
    const used = [...umbrellas.flatMap(templatesOf), ...templatesOf('pace-service')]
      .flatMap((f) => [...readText(f).matchAll(/include\s+"([^"]+)"/g)].map((m) => m[1]));
    expect(used.filter((name) => !defined.has(name))).toEqual([]);
    for (const file of templatesOf('pace-service')) {
      const text = readText(file);
      const opens = (text.match(/\{\{/g) ?? []).length;
      expect([file, opens]).toEqual([file, (text.match(/\}\}/g) ?? []).length]);
    }
  });

  it('the library declares every resource the issue asks for', () => {
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount', 'ConfigMap', 'NetworkPolicy', 'Job', 'PodMonitoring', 'Ingress', 'PubSubTopic', 'PubSubSubscription', 'BackendConfig']) {
      expect(libraryTemplates).toMatch(new RegExp(`^kind: ${kind}$`, 'm'));
    }
    expect(libraryTemplates).toContain('iam.gke.io/gcp-service-account');
    expect(libraryTemplates).toContain('helm.sh/hook: pre-install,pre-upgrade');
    expect(libraryTemplates).toMatch(/args: \["node", "dist\/scripts\/db.js", "run"/);
    expect(libraryTemplates).toContain('restartPolicy: Always'); // the Cloud SQL proxy as a native sidecar
  });

  it.each(umbrellas)('%s: service entries are well-formed', (u) => {
    for (const [name, svc] of Object.entries<Doc>(values[u].services ?? {})) {
      expect(name).toMatch(K8S_NAME);
      expect(Number.isInteger(svc.port)).toBe(true);
      for (const p of svc.ingress?.paths ?? []) expect(p).toMatch(/^\/[a-z0-9/-]*[a-z0-9]$/);
    }
    const { serviceDefaults } = values[u];
    expect(serviceDefaults.secretEnv.DATABASE_URL).toEqual({ secret: expect.any(String), key: 'DATABASE_URL' });
    expect(serviceDefaults.migrations.enabled).toBe(true);
  });

  it('routes the public paths of pace-web through one GKE Ingress, each path to one service', () => {
    const paths = Object.entries<Doc>(values['pace-web'].services).flatMap(([name, svc]) => (svc.ingress?.paths ?? []).map((p: string) => [p, name]));
    expect(new Set(paths.map(([p]) => p)).size).toBe(paths.length);
    expect(Object.fromEntries(paths)).toMatchObject({ '/api': 'gateway', '/auth': 'gateway' });
    expect(values['pace-web'].ingress).toMatchObject({ enabled: true, managedCertificate: true });
    expect(values['pace-ai'].ingress.enabled).toBe(false);
  });

  it('declares a consistent Pub/Sub topology: topic per producing domain, subscription per consumer and topic, each with a dead-letter topic', () => {
    const { topics, subscriptions } = topology();
    const topicNames = topics.map((t) => t.topic);
    expect(new Set(topicNames).size).toBe(topicNames.length);
    for (const t of topics) {
      expect(t.topic).toMatch(/^pace\.[a-z][a-z0-9-]*\.v\d+$/);
      // A topic belongs to the umbrella of its producer, and the producer is a service.
      expect(services.find((s) => s.name === t.producer)?.namespace).toBe(t.umbrella);
    }
    // The chart subscribes each service to exactly the domains its definition consumes (a
    // missing one would leave it deaf in the cluster while every local run works).
    for (const service of services) {
      const declared = subscriptions.filter((s) => s.consumer === service.name).map((s) => s.topic).sort();
      expect([service.name, declared]).toEqual([service.name, (service.consumes ?? []).map((d) => `pace.${d}.v1`).sort()]);
    }
    for (const s of subscriptions) {
      expect(topicNames).toContain(s.topic);
      for (const id of [s.name, s.dlq]) {
        expect(id).toMatch(PUBSUB_ID);
        expect(id).toMatch(K8S_NAME);
      }
    }
    for (const u of umbrellas) {
      const ps = values[u].pubsub;
      expect(ps.mode).toBe('configConnector');
      expect(ps.maxDeliveryAttempts).toBeGreaterThanOrEqual(5);
      expect(ps.maxDeliveryAttempts).toBeLessThanOrEqual(100);
    }
    expect(subscriptions.map((s) => s.name)).toContain('telephony.pace.applicants.v1');
  });
});

const bin = helmBinary();
const describeWithHelm = bin ? describe : describe.skip;
if (!bin) console.error('deploy/test/charts.test.ts: no helm binary (set HELM_BIN or put helm on PATH): the rendered-chart checks are skipped');

describeWithHelm('charts, rendered by helm', () => {
  const gkeArgs = ['--set', 'gcp.project=pace-prod', '--set', 'gcp.projectNumber=123456789', '--set', 'cloudSql.instance=pace-prod:me-central1:pace', '--set', 'ingress.host=crm.example.com'];
  const rendered: Record<string, Doc[]> = {};
  let work: string;

  beforeAll(() => {
    // Render copies, so `helm dependency build` leaves no files in the work tree.
    work = mkdtempSync(path.join(tmpdir(), 'pace-charts-'));
    for (const chart of allCharts) {
      for (const file of walk(path.join(root, 'charts', chart))) {
        const target = path.join(work, chart, path.relative(path.join(root, 'charts', chart), file));
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, readFileSync(file));
      }
    }
    for (const u of umbrellas) {
      helm(bin!, ['dependency', 'build', path.join(work, u)]);
      rendered[u] = parseAll(helm(bin!, ['template', u, path.join(work, u), '--namespace', u, ...gkeArgs]));
      rendered[`${u}-local`] = parseAll(helm(bin!, ['template', u, path.join(work, u), '--namespace', u, '-f', path.join(work, u, 'values-local.yaml')]));
    }
    rendered['pace-local'] = parseAll(helm(bin!, ['template', 'pace-local', path.join(work, 'pace-local'), '--namespace', 'pace-local']));
  }, 60_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(allCharts.filter((c) => c !== 'pace-service'))('%s passes helm lint', (chart) => {
    const ns = chart === 'pace-local' ? 'pace-local' : chart;
    const extra = chart === 'pace-local' ? [] : gkeArgs;
    expect(helm(bin!, ['lint', path.join(work, chart), '--namespace', ns, ...extra])).toMatch(/0 chart\(s\) failed/);
  });

  it('refuses to install an umbrella into another namespace', () => {
    expect(() => helm(bin!, ['template', 'x', path.join(work, 'pace-web'), '--namespace', 'default', ...gkeArgs])).toThrow(/installs into namespace pace-web/);
  });

  const of = (docs: Doc[], kind: string, name?: string) => docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));

  it.each(services.map((s) => [s.name, s.namespace] as const))('%s renders hardened, probed, migrated and scraped', (name, ns) => {
    const docs = rendered[ns];
    const [deployment] = of(docs, 'Deployment', name);
    expect(deployment.metadata.namespace).toBe(ns);
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    const [app] = pod.containers;
    expect(app.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(app.livenessProbe.httpGet.path).toBe('/health/live');
    expect(app.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(app.resources.requests).toBeDefined();
    expect(app.env).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: expect.any(Object) } })]));
    const proxy = pod.initContainers.find((c: Doc) => c.name === 'cloud-sql-proxy');
    expect(proxy.restartPolicy).toBe('Always');
    const [config] = of(docs, 'ConfigMap', `${name}-config`);
    expect(config.data).toMatchObject({ MIGRATE_ON_START: 'false', HOST: '0.0.0.0', EVENTS_MAX_DELIVERY_ATTEMPTS: '10' });
    const [sa] = of(docs, 'ServiceAccount', name);
    expect(sa.metadata.annotations['iam.gke.io/gcp-service-account']).toBe(`${name}@pace-prod.iam.gserviceaccount.com`);
    expect(of(docs, 'Service', name)).toHaveLength(1);
    expect(of(docs, 'HorizontalPodAutoscaler', name)).toHaveLength(1);
    expect(of(docs, 'PodDisruptionBudget', name)).toHaveLength(1);
    expect(of(docs, 'NetworkPolicy', name)).toHaveLength(1);
    expect(of(docs, 'PodMonitoring', name)[0].spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    const [job] = of(docs, 'Job', `${name}-migrate`);
    expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.template.spec.containers[0].args).toEqual(['node', 'dist/scripts/db.js', 'run', name]);
  });

  it('renders Pub/Sub as Config Connector resources with dead-letter policies', () => {
    const { topics, subscriptions } = topology();
    for (const t of topics) expect(of(rendered[t.umbrella], 'PubSubTopic', t.topic)).toHaveLength(1);
    for (const s of subscriptions) {
      const [sub] = of(rendered[s.umbrella], 'PubSubSubscription', s.name);
      expect(sub.spec.deadLetterPolicy).toEqual({ deadLetterTopicRef: { name: s.dlq }, maxDeliveryAttempts: 10 });
      expect(of(rendered[s.umbrella], 'PubSubTopic', s.dlq)).toHaveLength(1);
      expect(of(rendered[s.umbrella], 'PubSubSubscription', s.dlq)).toHaveLength(1);
      const members = of(rendered[s.umbrella], 'IAMPolicyMember').map((m) => `${m.spec.role} ${m.spec.resourceRef.name} ${m.spec.member}`);
      expect(members).toEqual(
        expect.arrayContaining([
          `roles/pubsub.subscriber ${s.name} serviceAccount:${s.consumer}@pace-prod.iam.gserviceaccount.com`,
          `roles/pubsub.publisher ${s.dlq} serviceAccount:service-123456789@gcp-sa-pubsub.iam.gserviceaccount.com`,
          `roles/pubsub.subscriber ${s.name} serviceAccount:service-123456789@gcp-sa-pubsub.iam.gserviceaccount.com`,
        ]),
      );
    }
  });

  it('renders the GKE Ingress for the public paths', () => {
    const [ingress] = of(rendered['pace-web'], 'Ingress');
    expect(ingress.metadata.annotations['kubernetes.io/ingress.class']).toBe('gce');
    const paths = ingress.spec.rules[0].http.paths.map((p: Doc) => `${p.path} ${p.backend.service.name}`);
    expect(paths).toEqual(expect.arrayContaining(['/api gateway', '/auth gateway']));
    expect(of(rendered['pace-web'], 'ManagedCertificate')).toHaveLength(1);
  });

  it('renders a local variant without Google Cloud resources, migrating on start', () => {
    for (const u of umbrellas) {
      const kinds = new Set(rendered[`${u}-local`].map((d) => d.kind));
      for (const cloudOnly of ['PubSubTopic', 'PubSubSubscription', 'IAMPolicyMember', 'PodMonitoring', 'Ingress', 'Job']) expect(kinds.has(cloudOnly)).toBe(false);
      for (const config of of(rendered[`${u}-local`], 'ConfigMap')) {
        expect(config.data).toMatchObject({ MIGRATE_ON_START: 'true', EVENTS_PROVISION: 'true', PUBSUB_EMULATOR_HOST: 'pubsub.pace-local.svc.cluster.local:8085' });
      }
    }
    expect(rendered['pace-local'].map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(
      expect.arrayContaining(['Deployment/postgres', 'Service/postgres', 'Deployment/pubsub', 'Service/pubsub']),
    );
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'charts' || e.name === 'Chart.lock') return [];
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}
