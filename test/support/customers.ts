import { bearer, type Api } from './accounts';

/** A customer of the token's tenant: an invoice must name one of the tenant's own customers. */
export async function createCustomer(
  api: Api,
  token: string,
  customerName: string,
  currency = 'BDT',
): Promise<string> {
  const res = await api
    .post('/api/customers/customers/')
    .set(bearer(token))
    .send({ customer_name: customerName, customer_type: 'bw', currency });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data.id as string;
}
