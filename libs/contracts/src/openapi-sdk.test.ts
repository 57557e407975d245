import { buildOpenApiDocument, operationResource, PUBLIC_ROUTES } from './openapi';
import { OPERATION_TAGS } from './openapi-tags';

/** What SDK generators read of the document (issue 16): names, shared types, tags, size. */
describe('OpenAPI document for SDK generators', () => {
  const doc = buildOpenApiDocument();
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { operationId?: string; tags?: string[] }>).map(
      ([method, op]) => ({ key: `${method} ${path}`, ...op }),
    ),
  );

  test('when generated, then every operation has a resource.action operationId, each used once', () => {
    expect(operations).toHaveLength(PUBLIC_ROUTES.length);
    const ids = operations.map((op) => op.operationId);
    expect(ids.filter((id) => !/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/.test(id ?? ''))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const invoices = doc.paths?.['/api/bills/invoices/auto_generate']?.post;
    const customers = doc.paths?.['/api/customers/customers/{id}']?.get;
    expect([invoices?.operationId, customers?.operationId]).toEqual([
      'invoices.autoGenerate',
      'customers.get',
    ]);
  });

  test('when generated, then each operation is tagged with its resource and every tag is described', () => {
    expect(
      operations.filter(
        (op) => op.tags?.length !== 1 || !op.operationId?.startsWith(`${op.tags[0]}.`),
      ),
    ).toEqual([]);
    const declared = (doc.tags ?? []).map((t) => t.name);
    expect(new Set(operations.map((op) => op.tags![0]))).toEqual(new Set(declared));
    // a described tag no operation uses is a stale description
    expect(Object.keys(OPERATION_TAGS).sort()).toEqual([...declared].sort());
    expect((doc.tags ?? []).filter((t) => !t.description)).toEqual([]);
  });

  test('when a resource is answered, then its schema is a component referred to by $ref', () => {
    const schemas = Object.keys(doc.components?.schemas ?? {});
    expect(schemas).toEqual(
      expect.arrayContaining([
        'Error',
        'Invoice',
        'InvoicePage',
        'Customer',
        'CustomerPage',
        'Payment',
        'Subscription',
        'Plan',
        'SaasPlan',
        'Tenant',
        'Amount',
      ]),
    );
    const ok = doc.paths?.['/api/bills/invoices/{id}']?.get?.responses?.['200'] as {
      content: { 'application/json': { schema: { properties: { data: unknown } } } };
    };
    expect(ok.content['application/json'].schema.properties.data).toEqual({
      $ref: '#/components/schemas/Invoice',
    });
    expect(doc.paths?.['/api/bills/invoices/{id}']?.get?.responses?.['404']).toEqual({
      $ref: '#/components/responses/NotFound',
    });
  });

  test('when a named schema is used nullable, then the use says anyOf it or null and the component stays not null', () => {
    const schemas = doc.components?.schemas ?? {};
    const nullable = Object.entries(schemas)
      .filter(([, s]) => JSON.stringify((s as { type?: unknown }).type ?? '').includes('null'))
      .map(([name]) => name);
    expect(nullable).toEqual([]);
    const history = doc.paths?.['/api/bills/invoices/history']?.get?.responses?.['200'] as {
      content: {
        'application/json': {
          schema: { properties: { data: { properties: { totals: unknown } } } };
        };
      };
    };
    expect(history.content['application/json'].schema.properties.data.properties.totals).toEqual({
      anyOf: [{ $ref: '#/components/schemas/InvoiceTotals' }, { type: 'null' }],
    });
    const entitlement = schemas.EntitlementCreate as { properties: { total_bill: unknown } };
    expect(entitlement.properties.total_bill).toMatchObject({
      anyOf: expect.arrayContaining([{ type: 'number' }, { type: 'null' }]),
    });
  });

  test('when a list is documented, then its shared parameters are references to parameter components', () => {
    const list = doc.paths?.['/api/bills/invoices']?.get?.parameters ?? [];
    expect(list.slice(0, 2)).toEqual([
      { $ref: '#/components/parameters/ListPage' },
      { $ref: '#/components/parameters/ListPerPage' },
    ]);
    expect(doc.components?.parameters?.ListPerPage).toMatchObject({
      name: 'per_page',
      in: 'query',
    });
  });

  test('when served, then it names a licence and the gateway as its server, and stays under 400 KB', () => {
    expect(doc.info.license?.name).toBeTruthy();
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(Buffer.byteLength(JSON.stringify(doc))).toBeLessThan(400_000);
  });

  test('when a route names a resource without a tag description, then the document is refused', () => {
    expect(operationResource({ operationId: 'invoices.autoGenerate' })).toBe('invoices');
    const route = PUBLIC_ROUTES[0]!;
    const original = route.operationId;
    try {
      route.operationId = 'nowhere.get';
      expect(() => buildOpenApiDocument()).toThrow(/nowhere\.get: no description/);
      route.operationId = PUBLIC_ROUTES[1]!.operationId;
      expect(() => buildOpenApiDocument()).toThrow(/used twice/);
    } finally {
      route.operationId = original;
    }
  });
});
