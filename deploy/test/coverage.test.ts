import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ServiceDefinition } from '@pace/platform';
import { services } from '../../scripts/services';
import { type Doc, readText, readYaml, root, umbrellas } from './support';

// Every service in scripts/services.ts is deployable everywhere: an image (the Dockerfile's
// SERVICE build arg), a compose service, chart values in exactly one umbrella - the one of its
// namespace - and a skaffold artifact whose image the umbrella's release receives. Nothing is
// deployed that is not a service. Environments are parsed with the service's own schema.

const compose: Doc = readYaml('docker-compose.yml');
const skaffold: Doc = readYaml('skaffold.yaml');
const values: Record<string, Doc> = Object.fromEntries(umbrellas.map((u) => [u, readYaml(`charts/${u}/values.yaml`)]));
const localValues: Record<string, Doc> = Object.fromEntries(umbrellas.map((u) => [u, readYaml(`charts/${u}/values-local.yaml`)]));
const imageOf = (name: string) => `pace-${name}`;
const templateKey = (name: string) => imageOf(name).replace(/-/g, '_');
const names = services.map((s) => s.name);

const grpcPortOf = (service: ServiceDefinition): number | undefined => (service as { defaultGrpcPort?: number }).defaultGrpcPort;

/** Keys of a service's environment schema that have no default and are not optional. */
function requiredKeys(service: ServiceDefinition): string[] {
  return Object.entries(service.env.shape)
    .filter(([, schema]) => !(schema as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined).success)
    .map(([key]) => key);
}

function problemsOf(service: ServiceDefinition, env: Record<string, string | undefined>): string[] {
  const parsed = service.env.safeParse(env);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
}

describe('deployment covers every service', () => {
  it('knows at least the services of the first slice', () => {
    expect(names).toEqual(expect.arrayContaining(['gateway', 'applicants']));
  });

  describe.each(services.map((s) => [s.name, s] as const))('%s', (name, service) => {
    it('builds from the Dockerfile with SERVICE=' + name + ' (its entrypoint exists in the source tree)', () => {
      expect(existsSync(path.join(root, 'services', name, 'src', 'main.ts'))).toBe(true);
      expect(readText('Dockerfile')).toMatch(/^ARG SERVICE$/m);
    });

    it('has a compose service with its image, port, health-based dependencies and a valid environment', () => {
      const entry = compose.services?.[name];
      expect(entry).toBeDefined();
      expect(entry.build).toMatchObject({ context: '.', args: { SERVICE: name } });
      expect(entry.image).toBe(`pace/${name}:local`);
      expect(entry.environment.PORT).toBe(String(service.defaultPort));
      expect(entry.environment.HOST).toBe('0.0.0.0');
      expect(entry.environment.GRPC_PORT).toBe(grpcPortOf(service) === undefined ? undefined : String(grpcPortOf(service)));
      const expectedDb = service.db.database;
      expect(entry.environment.DATABASE_URL).toMatch(new RegExp(`^postgres://[^@]+@postgres:5432/${expectedDb}$`));
      expect(problemsOf(service, entry.environment)).toEqual([]);
      expect(entry.healthcheck?.test).toEqual(expect.arrayContaining(['/app/healthcheck.js']));
      expect(entry.depends_on.postgres).toEqual({ condition: 'service_healthy' });
      expect(entry.depends_on['pubsub-provision']).toEqual({ condition: 'service_completed_successfully' });
      // Every *_URL it reads points at a compose service that it waits for, healthy.
      for (const [key, url] of Object.entries(entry.environment as Record<string, string>)) {
        const target = names.find((n) => key === `${n.toUpperCase().replace(/-/g, '_')}_URL`);
        if (!target) continue;
        expect(url).toBe(`http://${target}:${services.find((s) => s.name === target)!.defaultPort}`);
        expect(entry.depends_on[target]).toEqual({ condition: 'service_healthy' });
      }
    });

    it(`has chart values in exactly one umbrella, ${service.namespace}`, () => {
      const holders = umbrellas.filter((u) => values[u].services && name in values[u].services);
      expect(holders).toEqual([service.namespace]);
      expect(values[service.namespace].namespace).toBe(service.namespace);
      const entry = values[service.namespace].services[name];
      expect(entry.port).toBe(service.defaultPort);
      // Services that serve gRPC (to the gateway) expose that port too.
      expect(entry.grpcPort).toBe(grpcPortOf(service));
      expect(entry.image.repository).toBe(imageOf(name));
      const database = entry.database ?? values[service.namespace].serviceDefaults.database;
      expect(database).toBe(service.db.database);
    });

    it('gets every variable its environment requires from the chart, with valid values', () => {
      const umbrella = values[service.namespace];
      const defaults = umbrella.serviceDefaults;
      const entry = umbrella.services[name];
      // What the ConfigMap template always sets, then the umbrella's and the service's env.
      const config: Record<string, string> = {
        HOST: '0.0.0.0',
        PORT: String(entry.port),
        LOG_LEVEL: umbrella.logLevel,
        LOG_PRETTY: 'false',
        MIGRATE_ON_START: 'false',
        EVENT_BUS: 'pubsub',
        EVENTS_MAX_DELIVERY_ATTEMPTS: String(umbrella.pubsub.maxDeliveryAttempts),
        EVENTS_PROVISION: 'false',
        GOOGLE_CLOUD_PROJECT: 'pace-prod',
        ...(entry.grpcPort ? { GRPC_PORT: String(entry.grpcPort) } : {}),
        ...Object.fromEntries(Object.entries({ ...umbrella.env, ...defaults.env, ...entry.env }).map(([k, v]) => [k, String(v)])),
      };
      const shape = service.env.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
      const invalid = Object.entries(config).filter(([k, v]) => shape[k] && !shape[k].safeParse(v).success);
      expect(invalid).toEqual([]);
      const secrets = Object.keys({ ...defaults.secretEnv, ...entry.secretEnv });
      const missing = requiredKeys(service).filter((k) => !(k in config) && !secrets.includes(k));
      expect(missing).toEqual([]);
      // Service URLs inside the cluster go through the Service of the same name (port 80).
      for (const [key, url] of Object.entries(config)) {
        const target = names.find((n) => key === `${n.toUpperCase().replace(/-/g, '_')}_URL`);
        if (!target) continue;
        const targetNs = services.find((s) => s.name === target)!.namespace;
        expect(url).toBe(targetNs === service.namespace ? `http://${target}` : `http://${target}.${targetNs}.svc.cluster.local`);
      }
    });

    it('has a skaffold artifact, and its umbrella release receives the built image', () => {
      const artifacts = skaffold.build.artifacts.filter((a: Doc) => a.image === imageOf(name));
      expect(artifacts).toHaveLength(1);
      expect(artifacts[0]).toMatchObject({ context: '.', docker: { dockerfile: 'Dockerfile', buildArgs: { SERVICE: name } } });
      const release = skaffold.deploy.helm.releases.find((r: Doc) => r.chartPath === `charts/${service.namespace}`);
      expect(release.namespace).toBe(service.namespace);
      const key = templateKey(name);
      expect(release.setValueTemplates).toMatchObject({
        [`services.${name}.image.repository`]: `{{.IMAGE_REPO_${key}}}`,
        [`services.${name}.image.tag`]: `{{.IMAGE_TAG_${key}}}`,
        [`services.${name}.image.digest`]: `{{.IMAGE_DIGEST_${key}}}`,
      });
    });
  });

  it('deploys nothing that is not a service', () => {
    const backing = ['postgres', 'pubsub', 'pubsub-provision', 'fakes'];
    expect(Object.keys(compose.services).filter((s) => !backing.includes(s) && !names.includes(s))).toEqual([]);
    for (const u of umbrellas) expect(Object.keys(values[u].services ?? {}).filter((s) => !names.includes(s))).toEqual([]);
    expect(skaffold.build.artifacts.map((a: Doc) => a.image).filter((i: string) => !names.map(imageOf).includes(i))).toEqual([]);
    for (const release of skaffold.deploy.helm.releases) {
      const set = Object.keys(release.setValueTemplates ?? {}).filter((k) => k.startsWith('services.'));
      expect(set.filter((k) => !names.includes(k.split('.')[1]))).toEqual([]);
    }
  });

  it('deploys each umbrella into its own namespace, locally too', () => {
    for (const u of umbrellas) {
      expect(values[u].namespace).toBe(u);
      const release = skaffold.deploy.helm.releases.find((r: Doc) => r.name === u);
      expect(release).toMatchObject({ chartPath: `charts/${u}`, namespace: u, createNamespace: true });
      expect(localValues[u].pubsub.mode).toBe('emulator');
    }
  });

  it('provisions Pub/Sub once, with the event backbone\'s command, before any service starts', () => {
    const provision = compose.services['pubsub-provision'];
    expect(provision.command.join(' ')).toContain('node dist/scripts/pubsub.js provision');
    expect(provision.depends_on.pubsub).toEqual({ condition: 'service_healthy' });
    expect(provision.environment.PUBSUB_EMULATOR_HOST).toBe('pubsub:8085');
  });

  it('port-forwards the gateway', () => {
    expect(skaffold.portForward).toEqual(
      expect.arrayContaining([expect.objectContaining({ resourceType: 'service', resourceName: 'gateway', namespace: 'pace-web', localPort: 3000 })]),
    );
  });
});
