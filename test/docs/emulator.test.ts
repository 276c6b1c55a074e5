import { VendorEmulator } from '../../src/emulator/server';
import { curlCalls, documentedRoutes } from './emulator-doc';

/**
 * docs/emulator.md and the emulator agree: every control route is
 * documented (method and path), with a curl example of that method and
 * path, and the document names no route the emulator does not have.
 * (test/docs/emulator.e2e.test.ts runs the examples.)
 */
let routes: { method: string; path: string }[];

beforeAll(async () => {
  const emulator = await VendorEmulator.start();
  routes = emulator.controlRoutes();
  await emulator.stop();
});

const matcher = (path: string) => new RegExp(`^${path.replace(/:\w+/g, '[^/]+')}/?$`);

test('the document names every control route, and only those', () => {
  const documented = new Set(documentedRoutes());
  expect(routes.length).toBeGreaterThan(50);
  expect(routes.map((route) => `${route.method} ${route.path}`).filter((route) => !documented.has(route))).toEqual([]);
  expect([...documented].filter((route) => !routes.some((known) => `${known.method} ${known.path}` === route))).toEqual([]);
});

test('every control route has a curl example, and every curl example calls a control route', () => {
  const calls = curlCalls();
  const routeOf = (call: { method: string; path: string }) => routes.find((route) => route.method === call.method && matcher(route.path).test(call.path));
  expect(calls.filter((call) => !routeOf(call)).map((call) => call.line)).toEqual([]);
  const exemplified = new Set(calls.map(routeOf));
  expect(routes.filter((route) => !exemplified.has(route)).map((route) => `${route.method} ${route.path}`)).toEqual([]);
});
