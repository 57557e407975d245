import type { RouteSpec } from '@ledgerline/contracts';
import { z } from 'zod';
import { allowedMethods, documentedMethods } from './allowed-methods';

const route = (method: RouteSpec['method'], path: string): RouteSpec => ({
  method,
  path,
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
