import { bearer, type Api, type TestSession } from './accounts';

type Method = 'post' | 'patch' | 'put' | 'delete' | 'get';

/**
 * Calls that expect one status (and no error unless they expect a refusal), bound to a test's
 * gateway: `call` answers the body, `post` and `get` its data.
 */
export function expectingCalls(api: () => Api) {
  async function call(s: TestSession, method: Method, path: string, body?: object, expected = 200) {
    const req = api()[method](path).set(bearer(s.token));
    const res = await (body ? req.send(body) : req);
    expect([method, path, res.status, res.body.error]).toEqual([
      method,
      path,
      expected,
      expected < 300 ? undefined : res.body.error,
    ]);
    return res.body;
  }
  const post = (s: TestSession, path: string, body: object, expected = 201) =>
    call(s, 'post', path, body, expected).then((b) => b.data);
  const get = (s: TestSession, path: string) => call(s, 'get', path).then((b) => b.data);
  return { call, post, get };
}
