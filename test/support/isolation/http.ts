import type { Api } from '../accounts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The raw body text: what a leak check searches. */
  text: string;
}

/** One request with a bearer token; a busy lock (409 "busy", nothing written) is retried. */
export async function call(
  api: Api,
  token: string,
  method: Method,
  path: string,
  body?: object,
  headers: Record<string, string> = {},
): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    let req = api[method](path).set({ Authorization: `Bearer ${token}`, ...headers });
    if (body !== undefined) req = req.send(body);
    const res = await req;
    if (res.status === 409 && /busy/i.test(String(res.body?.error)) && attempt < 5) continue;
    return { status: res.status, body: res.body, text: res.text ?? '' };
  }
}

/** A request that must succeed with `expected`; the answer's data. */
export async function must(
  api: Api,
  token: string,
  method: Method,
  path: string,
  body?: object,
  expected = method === 'post' ? 201 : 200,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  const res = await call(api, token, method, path, body);
  expect([method, path, res.status, res.body?.error, res.body?.details]).toEqual([
    method,
    path,
    expected,
    undefined,
    undefined,
  ]);
  return res.body.data;
}

/** Runs `jobs` with at most `width` in flight: parallel enough to be quick, gentle on 2 cores. */
export async function inBatches<T>(jobs: (() => Promise<T>)[], width = 8): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, lane));
  return results;
}
