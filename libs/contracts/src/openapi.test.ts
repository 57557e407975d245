import { buildOpenApiDocument, PUBLIC_ROUTES } from './openapi';

type Doc = ReturnType<typeof buildOpenApiDocument>;

/** Follows `$ref`s (`#/components/...`) to what they name, as a client of the document does. */
function resolve<T>(doc: Doc, node: unknown): T {
  let at = node as { $ref?: string };
  while (at && typeof at.$ref === 'string') {
    at = at.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], doc as unknown) as {
      $ref?: string;
    };
  }
  return at as T;
}

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument();

  test('when generated, then it is OpenAPI 3.1 with every registered route and the error envelope', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const r of PUBLIC_ROUTES) {
      expect([r.method, r.path, Boolean(doc.paths?.[r.path]?.[r.method])]).toEqual([
        r.method,
        r.path,
        true,
      ]);
    }
    const invalid = resolve<{ content: { 'application/json': { schema: unknown } } }>(
      doc,
      doc.paths?.['/api/bills/invoices']?.post?.responses?.['422'],
    );
    const envelope = resolve<{ properties: Record<string, unknown> }>(
      doc,
      invalid.content['application/json'].schema,
    );
    expect(Object.keys(envelope.properties).sort()).toEqual([
      'code',
      'details',
      'error',
      'reason',
      'request_id',
      'success',
      'type',
    ]);
  });

  test('when a route is private, then it requires the bearer scheme; public routes require nothing', () => {
    const login = doc.paths?.['/api/auth']?.post;
    const invoices = doc.paths?.['/api/bills/invoices']?.post;
    expect(login?.security).toEqual([]);
    expect(invoices?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(invoices?.responses ?? {}).sort()).toEqual([
      '201',
      '400',
      '401',
      '402',
      '403',
      '404',
      '405',
      '409',
      '422',
      '429',
      '503',
    ]);
  });

  test('when a request body is documented, then it is the schema that validates it', () => {
    const body = doc.paths?.['/api/payments/payments']?.post?.requestBody as {
      content: { 'application/json': { schema: unknown } };
    };
    const schema = resolve<{ properties: Record<string, unknown>; required: string[] }>(
      doc,
      body.content['application/json'].schema,
    );
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'invoice_master_id',
        'payment_method',
        'amount',
        'pay_amount',
        'currency',
        'status',
      ]),
    );
    expect(schema.required).toEqual(
      expect.arrayContaining(['invoice_master_id', 'payment_method']),
    );
  });
});

describe('OpenAPI files', () => {
  const doc = buildOpenApiDocument();

  test('when a route answers a file, then its 200 is that media type only and its errors JSON', () => {
    const pdf = doc.paths?.['/api/bills/invoices/{id}/pdf']?.get?.responses as Record<
      string,
      unknown
    >;
    const content = (code: string) =>
      Object.keys(resolve<{ content: Record<string, unknown> }>(doc, pdf[code]).content);
    expect(content('200')).toEqual(['application/pdf']);
    expect(content('404')).toEqual(['application/json']);
  });

  test('when a route takes a raw file, then its body lists each media type and 413/415 are documented', () => {
    const put = doc.paths?.['/v1/account/logo']?.put;
    const body = put?.requestBody as { content: Record<string, { schema: object }> };
    expect(body.content).toEqual({
      'image/png': {
        schema: {
          type: 'string',
          contentMediaType: 'image/png',
          description: 'at most 262144 bytes (413 above)',
        },
      },
      'image/jpeg': {
        schema: {
          type: 'string',
          contentMediaType: 'image/jpeg',
          description: 'at most 262144 bytes (413 above)',
        },
      },
    });
    expect(Object.keys(put?.responses ?? {})).toEqual(expect.arrayContaining(['413', '415']));
  });
});

describe('OpenAPI path parameters', () => {
  test('when a path has {names}, then each is declared as a required path parameter', () => {
    const doc = buildOpenApiDocument();
    for (const r of PUBLIC_ROUTES) {
      const declared = (
        (doc.paths?.[r.path]?.[r.method]?.parameters ?? []) as {
          name: string;
          in: string;
          required?: boolean;
        }[]
      )
        .filter((p) => p.in === 'path')
        .map((p) => [p.name, p.required]);
      const expected = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], true]);
      expect([r.path, declared]).toEqual([r.path, expected]);
    }
  });

  test('when a POST moves money or credits, then it declares the Idempotency-Key header, and only those do', () => {
    const doc = buildOpenApiDocument();
    const keyed = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { parameters?: { name: string; in: string }[] }>)
        .filter(([, op]) =>
          (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
        )
        .map(([method]) => `${method} ${path}`),
    );
    expect(keyed.sort()).toEqual(
      [
        'post /api/billing/{profile}/balance',
        'post /api/billing/{profile}/checkout',
        'post /api/billing/{profile}/checkout/paylater',
        'post /api/bills/credit-notes',
        'post /api/payments/payment-details',
        'post /api/payments/payments',
        'post /api/payments/payments/{id}/refund',
        'post /api/payments/payments/{id}/void',
        'post /v1/billing/credit-packages/{id}/purchase',
        'post /v1/billing/credits/usage',
        'post /v1/billing/payments',
      ].sort(),
    );
  });
});
