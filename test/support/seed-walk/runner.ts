import type request from 'supertest';
import { keyOf, type Method, type SeedId } from './extract';
import { shapeErrors, type Shape } from './shape';

export type Api = ReturnType<typeof request>;
export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Record<string, string>;
  text: string;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Data = any;

/** What the walk has learned so far: ids the platform returned and tokens of the actors. */
export interface WalkContext {
  ids: Record<string, string>;
  tokens: Record<string, string>;
  /** Sync points that are not requests (e.g. waiting for a projection), by name. */
  hooks: Record<string, () => Promise<void>>;
  /** Called when an eventual step gives up waiting: what the platform logged, for the report. */
  onGiveUp?: (step: Step) => Promise<void>;
}

export interface Step {
  seed: SeedId;
  method: Method;
  /** The path sent; `{name}` is replaced by the id the walk saved under that name. */
  path: string;
  /** Whose token is sent (a key of ctx.tokens); none for public requests. */
  as?: string;
  body?: object | string | ((ctx: WalkContext) => object);
  headers?: Record<string, string>;
  status: number;
  /** The "then ..." of the test name. */
  then: string;
  /** Why a request that is not a seed example is part of the walk; absent for seed examples. */
  extra?: string;
  /** Documented fields of `data` (the envelope is checked for every answer). */
  shape?: Shape;
  /** Values that follow from the requests (names and amounts sent, computed totals). */
  check?: (data: Data, ctx: WalkContext, answer: Answer) => void;
  save?: (data: Data, ctx: WalkContext, answer: Answer) => void;
  /** Eventual consistency: the request is repeated until this holds (safe requests only). */
  until?: (answer: Answer, ctx: WalkContext) => boolean;
  /** A hook of ctx.hooks to run first. */
  before?: string;
  /** The answer is not the JSON envelope (the human API docs). */
  raw?: boolean;
}

export const stepKey = (step: Step) => keyOf(step.method, step.path);

export const testName = (step: Step) =>
  `when ${step.seed} ${step.method} ${step.path}${step.extra ? ` (${step.extra})` : ''}, then ${step.then}`;

function fill(template: string, ctx: WalkContext): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = ctx.ids[name];
    if (id === undefined) throw new Error(`no "${name}" id: the step that makes it failed earlier`);
    return encodeURIComponent(id);
  });
}

async function send(api: Api, step: Step, ctx: WalkContext): Promise<Answer> {
  const verb = step.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let req = api[verb](fill(step.path, ctx));
  if (step.as) {
    const token = ctx.tokens[step.as];
    if (!token) throw new Error(`no token for "${step.as}": its login step failed earlier`);
    req = req.set('Authorization', `Bearer ${token}`);
  }
  for (const [name, value] of Object.entries(step.headers ?? {})) req = req.set(name, value);
  const body = typeof step.body === 'function' ? step.body(ctx) : step.body;
  const res = await (body === undefined ? req : req.send(body));
  return { status: res.status, body: res.body, headers: res.headers, text: res.text };
}

/** Sends one step (repeating it while `until` does not hold) and checks the answer. */
export async function runStep(api: Api, step: Step, ctx: WalkContext): Promise<Answer> {
  if (step.before) {
    const hook = ctx.hooks[step.before];
    if (!hook) throw new Error(`no hook ${step.before}`);
    await hook();
  }
  let answer = await send(api, step, ctx);
  if (step.until) {
    const deadline = Date.now() + 30_000;
    while (!step.until(answer, ctx) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      answer = await send(api, step, ctx);
    }
    if (!step.until(answer, ctx)) await ctx.onGiveUp?.(step);
  }
  // the error text is part of the comparison so that a wrong status shows why
  expect([answer.status, answer.body?.error]).toEqual([
    step.status,
    step.status >= 400 ? answer.body?.error : undefined,
  ]);
  if (step.raw || answer.status === 204) {
    if (answer.status === 204) expect(answer.text).toBe('');
  } else if (answer.status < 400) {
    expect(answer.body).toMatchObject({ success: true });
    expect(answer.body).toHaveProperty('data');
  } else {
    expect(answer.body).toMatchObject({
      success: false,
      code: answer.status,
      type: expect.any(String),
      request_id: expect.any(String),
    });
  }
  const data = answer.body?.data;
  if (step.shape) expect(shapeErrors(data, step.shape)).toEqual([]);
  step.check?.(data, ctx, answer);
  step.save?.(data, ctx, answer);
  return answer;
}
