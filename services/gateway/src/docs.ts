import path from 'node:path';
import express, { Router } from 'express';
import { buildOpenApiDocument } from '@ledgerline/contracts';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const swaggerUiDist = require('swagger-ui-dist') as { getAbsoluteFSPath(): string };

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ledgerline API</title>
  <link rel="stylesheet" href="assets/swagger-ui.css">
</head>
<body>
  <div id="swagger"></div>
  <script src="assets/swagger-ui-bundle.js"></script>
  <script>window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger' });</script>
</body>
</html>`;

/**
 * The aggregated OpenAPI 3.1 document (JSON for tools) and Swagger UI for people, served by the
 * gateway itself from packaged assets: no CDN, works offline.
 */
export function docsRoutes(): Router {
  // Built on first request, and kept as its JSON text only: the document's object graph (and what
  // builds it) is about 40 MiB of the gateway's resident memory, for a page most gateways never serve.
  let json: string | undefined;
  const router = Router();
  router.get('/api/docs', (req, res, next) => {
    if (req.originalUrl.endsWith('/')) return next();
    res.redirect(301, '/api/docs/');
  });
  router.get('/api/docs/', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get(['/api/docs/openapi.json', '/api/openapi.json'], (_req, res) => {
    json ??= JSON.stringify(buildOpenApiDocument('/'));
    res.type('json').send(json);
  });
  router.use(
    '/api/docs/assets',
    express.static(path.resolve(swaggerUiDist.getAbsoluteFSPath()), { index: false, maxAge: '1h' }),
  );
  return router;
}
