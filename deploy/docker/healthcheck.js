// Container HEALTHCHECK: GET /health/live (or /health/<argv[2]>) on the service's own port.
// PORT wins when set; otherwise the default port recorded at build time in /app/service.json.
const path = require('node:path');

const probe = process.argv[2] === 'ready' ? 'ready' : 'live';
const port = process.env.PORT || require(path.join(__dirname, 'service.json')).port;
const timer = setTimeout(() => process.exit(1), 4000);
fetch(`http://127.0.0.1:${port}/health/${probe}`)
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch(() => process.exit(1))
  .finally(() => clearTimeout(timer));
