import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { AppError } from '@ledgerline/contracts';

/** Where the shell names its per-response style nonce (apps/dashboard/index.html). */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/**
 * The shell's Content-Security-Policy: scripts, fonts and calls from this origin only (no inline
 * script at all), never framed. Styles come from files, plus the `<style>` elements the component
 * library writes for responsive props, which carry this response's nonce.
 */
export const dashboardCsp = (nonce: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';

function shellHeaders(res: Response, nonce: string): void {
  res.setHeader('Content-Security-Policy', dashboardCsp(nonce));
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

/**
 * The web dashboard (apps/dashboard, built by Vite) at /app/: content-hashed files under
 * /app/assets/ are cached for a year, every other /app/... path that is not a file answers the
 * shell (index.html, not cached) so the client routes it. Without a built dashboard the gateway
 * still starts and /app/ answers a 503 in the error envelope. Nothing here is in the OpenAPI
 * document: the app is not part of the API.
 */
export function dashboardRoutes(dir: string): Router {
  const router = Router();
  const indexFile = path.join(dir, 'index.html');
  let shell: string | undefined;
  const readShell = () => {
    if (shell) return shell;
    if (!existsSync(indexFile)) return undefined;
    shell = readFileSync(indexFile, 'utf8');
    return shell;
  };

  router.get('/app', (req, res, next) => {
    // express matches /app/ here too (non-strict routing): only the bare /app redirects
    const q = req.originalUrl.indexOf('?');
    if ((q === -1 ? req.originalUrl : req.originalUrl.slice(0, q)).endsWith('/')) return next();
    res.redirect(301, `/app/${q === -1 ? '' : req.originalUrl.slice(q)}`);
  });
  router.use(
    '/app/assets',
    express.static(path.join(dir, 'assets'), {
      index: false,
      redirect: false,
      setHeaders: (res) => {
        res.setHeader('Cache-Control', IMMUTABLE);
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
      immutable: true,
      maxAge: '365d',
    }),
  );
  // a missing hashed file is a 404 (an old page after a deploy must not get the shell as script)
  router.use('/app/assets', (req) => {
    throw new AppError('not_found', `No file ${req.originalUrl}`);
  });
  // other files of the build (favicon): not hashed, so revalidated; the shell only as below
  const otherFiles = express.static(dir, {
    index: false,
    redirect: false,
    setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
  });
  router.use('/app', (req, res, next) =>
    req.path.endsWith('.html') ? next() : otherFiles(req, res, next),
  );
  router.get(/^\/app\/.*/, (_req, res) => {
    const body = readShell();
    if (!body)
      throw AppError.unavailable(
        'The dashboard is not built: run `npx turbo run build` (apps/dashboard/dist)',
      );
    const nonce = randomBytes(16).toString('base64');
    shellHeaders(res, nonce);
    res.type('html').send(body.replaceAll(NONCE_PLACEHOLDER, nonce));
  });
  return router;
}
