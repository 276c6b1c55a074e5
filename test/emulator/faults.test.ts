import { FaultPlan } from '../../src/emulator/faults';

describe('FaultPlan', () => {
  test('a fault fires once by default, then disarms', () => {
    const plan = new FaultPlan();
    plan.inject({ action: { kind: 'reset' } });
    expect(plan.pending).toBe(1);
    expect(plan.take('openai', 'GET', '/openai/v1/x')).toEqual({ kind: 'reset' });
    expect(plan.pending).toBe(0);
    expect(plan.take('openai', 'GET', '/openai/v1/x')).toBeUndefined();
  });

  test('times counts down', () => {
    const plan = new FaultPlan();
    plan.inject({ times: 3, action: { kind: 'status', status: 500 } });
    expect(plan.pending).toBe(3);
    for (let index = 0; index < 3; index++) expect(plan.take('openai', 'GET', '/p')).toEqual({ kind: 'status', status: 500 });
    expect(plan.take('openai', 'GET', '/p')).toBeUndefined();
    expect(plan.pending).toBe(0);
  });

  test('matches by vendor, method (case-insensitive) and path fragment', () => {
    const plan = new FaultPlan();
    plan.inject({ vendor: 'openai', method: 'post', pathIncludes: 'admin_api_keys', action: { kind: 'drop-response' } });
    expect(plan.take('atlas', 'POST', '/openai/v1/organization/admin_api_keys')).toBeUndefined();
    expect(plan.take('openai', 'GET', '/openai/v1/organization/admin_api_keys')).toBeUndefined();
    expect(plan.take('openai', 'POST', '/openai/v1/organization/projects')).toBeUndefined();
    expect(plan.pending).toBe(1);
    expect(plan.take('openai', 'POST', '/openai/v1/organization/admin_api_keys')).toEqual({ kind: 'drop-response' });
  });

  test('the first matching fault wins, and others stay armed', () => {
    const plan = new FaultPlan();
    plan.inject({ method: 'GET', action: { kind: 'delay', ms: 5 } });
    plan.inject({ action: { kind: 'reset' } });
    expect(plan.take('openai', 'DELETE', '/x')).toEqual({ kind: 'reset' });
    expect(plan.pending).toBe(1);
    expect(plan.take('openai', 'GET', '/x')).toEqual({ kind: 'delay', ms: 5 });
    expect(plan.pending).toBe(0);
  });

  test('faults injected in order fire in order', () => {
    const plan = new FaultPlan();
    plan.inject({ action: { kind: 'status', status: 429 } });
    plan.inject({ action: { kind: 'status', status: 503 } });
    expect(plan.take('v', 'GET', '/')).toEqual({ kind: 'status', status: 429 });
    expect(plan.take('v', 'GET', '/')).toEqual({ kind: 'status', status: 503 });
  });

  test('clear disarms everything', () => {
    const plan = new FaultPlan();
    plan.inject({ times: 4, action: { kind: 'reset' } });
    plan.inject({ action: { kind: 'reset' } });
    expect(plan.pending).toBe(5);
    plan.clear();
    expect(plan.pending).toBe(0);
    expect(plan.take('openai', 'GET', '/')).toBeUndefined();
  });

  test('injecting does not keep a reference to the caller spec count', () => {
    const plan = new FaultPlan();
    const spec = { times: 2, action: { kind: 'reset' as const } };
    plan.inject(spec);
    plan.take('openai', 'GET', '/');
    expect(spec.times).toBe(2);
    expect(plan.pending).toBe(1);
  });
});
