import { PUBLIC_ROUTES, type RouteSpec } from '@ledgerline/contracts';
import { z } from 'zod';
import { allowedMethods, documentedMethods, indexPaths } from './allowed-methods';

const route = (method: RouteSpec['method'], path: string): RouteSpec => ({
  method,
  path,
  operationId: `t.${method}`,
  tag: 't',
  summary: 's',
  response: z.object({}),
});

const paths = documentedMethods([
  route('get', '/api/bills/invoices'),
  route('post', '/api/bills/invoices'),
  route('get', '/api/bills/invoices/{id}'),
  route('delete', '/api/bills/invoices/{id}'),
  route('post', '/api/bills/invoices/auto_generate'),
]);

describe('allowed methods of a documented path', () => {
  test('when a path matches a template, then its documented methods (+HEAD for GET, OPTIONS) are allowed', () => {
    expect(allowedMethods('/api/bills/invoices/inv_1/', paths)).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
    ]);
  });

  test('when a literal path and a template both match, then the literal path decides', () => {
    expect(allowedMethods('/api/bills/invoices/auto_generate', paths)).toEqual(['OPTIONS', 'POST']);
  });

  test('when a path is not documented, then null (the owning service decides)', () => {
    expect(allowedMethods('/api/bills/invoices/inv_1/lines/2', paths)).toBeNull();
    expect(allowedMethods('/api/bills', paths)).toBeNull();
  });
});

describe('the path index', () => {
  test('when every documented path is asked through the index, then it answers what a scan of every template answers', () => {
    const all = documentedMethods(PUBLIC_ROUTES);
    const index = indexPaths(all);
    const asked = PUBLIC_ROUTES.flatMap((r) => {
      const concrete = r.path.replace(/\{\w+\}/g, 'x_1');
      return [concrete, `${concrete}/`, `${concrete}/extra`, concrete.replace(/\/[^/]+$/, '/y')];
    });
    for (const path of [...asked, '/', '/api', '/api/', '//api//bills']) {
      expect([path, allowedMethods(path, index)]).toEqual([path, allowedMethods(path, all)]);
    }
  });
});
