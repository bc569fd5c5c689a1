// Build step: writes /app/service.json ({ name, port, namespace, database }) for the image's
// service, failing the build when SERVICE is not in scripts/services.ts.
const { writeFileSync } = require('node:fs');

const name = process.argv[2];
const { services } = require('/app/dist/scripts/services.js');
const service = services.find((s) => s.name === name);
if (!service) {
  console.error(`SERVICE="${name}" is not a PACE service; known: ${services.map((s) => s.name).join(', ')}`);
  process.exit(1);
}
writeFileSync(
  process.argv[3],
  JSON.stringify({ name: service.name, port: service.defaultPort, namespace: service.namespace, database: service.db.database }) + '\n',
);
