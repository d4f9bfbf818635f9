/** The Ingress rules as the gateway reads them: the app's routes, Kubernetes path matching, nginx sizes. */
import { join } from 'node:path';
import {
  loadIngressRules,
  matchIngressRoute,
  parseIngressRules,
  parseNginxSize,
  type IngressRules,
} from './ingress-rules';

const INGRESS_FILE = join(__dirname, '..', '..', 'k8s', 'ingress.yaml');

describe('the routes of infra/k8s/ingress.yaml', () => {
  let rules: IngressRules;
  beforeAll(async () => {
    rules = await loadIngressRules(INGRESS_FILE);
  });

  it.each([
    ['/api/users/signup', 'auth'],
    ['/api/users/currentuser?x=1', 'auth'],
    ['/api/users', 'auth'],
    ['/api/users/', 'auth'],
    ['/api/tickets', 'tickets'],
    ['/api/tickets/abc', 'tickets'],
    ['/api/events', 'tickets'],
    ['/api/events/abc', 'tickets'],
    ['/api/orders/123', 'orders'],
    ['/api/payments', 'payments'],
    ['/', 'client'],
    ['/tickets/new', 'client'],
    ['/api/usersx', 'client'],
    ['/api/ticketsfoo/1', 'client'],
    ['/api', 'client'],
  ])('sends %s to %s', (path, service) => {
    expect(matchIngressRoute(rules, path)).toBe(service);
  });

  it('reads the body size limit from the proxy-body-size annotation', () => {
    expect(rules.maxBodyBytes).toBe(1024 * 1024);
  });
});

describe('Kubernetes Ingress path matching', () => {
  const rules = parseIngressRules(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: test }
spec:
  defaultBackend: { service: { name: fallback, port: { number: 80 } } }
  rules:
    - http:
        paths:
          - { path: /foo, pathType: Prefix, backend: { service: { name: foo-prefix, port: { number: 80 } } } }
          - { path: /foo, pathType: Exact, backend: { service: { name: foo-exact, port: { number: 80 } } } }
          - { path: /foo/bar/, pathType: Prefix, backend: { service: { name: foo-bar, port: { number: 80 } } } }
          - { path: /exact-only, pathType: Exact, backend: { service: { name: exact-only, port: { number: 80 } } } }
`);

  it('prefers an Exact path over a Prefix path of the same length', () => {
    expect(matchIngressRoute(rules, '/foo')).toBe('foo-exact');
  });

  it('lets the longest matching prefix win', () => {
    expect(matchIngressRoute(rules, '/foo/bar/baz')).toBe('foo-bar');
    expect(matchIngressRoute(rules, '/foo/baz')).toBe('foo-prefix');
  });

  it('ignores a trailing slash on a Prefix path', () => {
    expect(matchIngressRoute(rules, '/foo/bar')).toBe('foo-bar');
  });

  it('matches Exact paths only exactly', () => {
    expect(matchIngressRoute(rules, '/exact-only')).toBe('exact-only');
    expect(matchIngressRoute(rules, '/exact-only/')).toBe('fallback');
  });

  it('falls back to the default backend when no path matches', () => {
    expect(matchIngressRoute(rules, '/elsewhere')).toBe('fallback');
  });

  it('rejects a path without a pathType', () => {
    const bad = `
kind: Ingress
spec: { rules: [ { http: { paths: [ { path: /x, backend: { service: { name: x } } } ] } } ] }
`;
    expect(() => parseIngressRules(bad)).toThrow(/pathType/);
  });

  it('skips other kinds in a multi-document manifest', () => {
    const text = `kind: Service\nmetadata: { name: auth }\n---\n${`
kind: Ingress
spec: { rules: [ { http: { paths: [ { path: /, pathType: Prefix, backend: { service: { name: web } } } ] } } ] }
`}`;
    expect(matchIngressRoute(parseIngressRules(text), '/anything')).toBe('web');
  });
});

describe('parseNginxSize', () => {
  it.each([
    ['1m', 1048576],
    ['512k', 524288],
    ['2048', 2048],
    ['1G', 1073741824],
  ])('reads %s as %d bytes', (text, bytes) => {
    expect(parseNginxSize(text)).toBe(bytes);
  });

  it('treats 0 as no limit', () => {
    expect(parseNginxSize('0')).toBeUndefined();
  });
});
