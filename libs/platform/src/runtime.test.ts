import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { listen } from './runtime';

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('listen', () => {
  test('when the port is free, then the app answers on it', async () => {
    const app = express();
    app.get('/ping', (_req, res) => {
      res.json({ pong: true });
    });
    const server = await listen(app, 0, '127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/ping`);
      expect([res.status, await res.json()]).toEqual([200, { pong: true }]);
    } finally {
      await close(server);
    }
  });

  test('when another process holds the port, then listening fails with EADDRINUSE instead of running without it', async () => {
    const holder = createServer((_req, res) => res.end('the other one'));
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      await expect(listen(express(), port, '127.0.0.1')).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await close(holder);
    }
  });
});
