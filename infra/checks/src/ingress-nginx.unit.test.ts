// ingress-nginx's routing as the checks model it: Ingresses merged by host, Prefix paths, regex mode.
import { nginxServers, routeRequest, type NginxServer } from './ingress-nginx';
import type { RenderedObject } from './kustomize';

type PathSpec = [path: string, pathType: string, service: string];

function buildIngress(
  name: string,
  paths: PathSpec[],
  overrides: { host?: string; annotations?: Record<string, string>; className?: string } = {},
): RenderedObject {
  return {
    file: 'ingress.yaml',
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, annotations: overrides.annotations ?? {} },
      spec: {
        ingressClassName: overrides.className ?? 'nginx',
        rules: [
          {
            host: overrides.host ?? 'app.test',
            http: {
              paths: paths.map(([path, pathType, service]) => ({
                path,
                pathType,
                backend: { service: { name: service, port: { number: 80 } } },
              })),
            },
          },
        ],
      },
    },
  };
}

const USE_REGEX = { 'nginx.ingress.kubernetes.io/use-regex': 'true' };

const api = buildIngress('api', [
  ['/api/users', 'Prefix', 'auth'],
  ['/api/orders', 'Prefix', 'orders'],
  ['/', 'Prefix', 'client'],
]);
const streams = buildIngress(
  'streams',
  [['/api/orders/[^/]+/stream$', 'ImplementationSpecific', 'orders-stream']],
  { annotations: USE_REGEX },
);

function serverFor(objects: RenderedObject[], host = 'app.test'): NginxServer {
  const server = nginxServers(objects).find((s) => s.host === host);
  if (!server) throw new Error(`no server for ${host}`);
  return server;
}

const serviceFor = (server: NginxServer, path: string) => routeRequest(server, path)?.service;

describe('ingress-nginx routing without regex paths', () => {
  const server = serverFor([api]);

  it('matches Prefix paths by whole path elements, as the Ingress spec says', () => {
    expect(serviceFor(server, '/api/users')).toBe('auth');
    expect(serviceFor(server, '/api/users/signin')).toBe('auth');
    expect(serviceFor(server, '/api/usersx')).toBe('client');
  });

  it('compares case-sensitively', () => {
    expect(serviceFor(server, '/API/users')).toBe('client');
  });
});

describe('ingress-nginx routing once one Ingress of the host uses regex paths', () => {
  const server = serverFor([api, streams]);

  it('puts every location of the host in regex mode', () => {
    expect(server.regex).toBe(true);
  });

  it('sends the regex path to its service, ahead of the shorter prefixes', () => {
    expect(serviceFor(server, '/api/orders/0123/stream')).toBe('orders-stream');
    expect(serviceFor(server, '/api/orders/0123')).toBe('orders');
    expect(serviceFor(server, '/api/orders/0123/stream/more')).toBe('orders');
  });

  it("keeps the other Ingress's routes, which now match as case-insensitive string prefixes", () => {
    expect(serviceFor(server, '/api/users/signin')).toBe('auth');
    expect(serviceFor(server, '/tickets/new')).toBe('client');
    expect(serviceFor(server, '/api/usersx')).toBe('auth');
    expect(serviceFor(server, '/API/users')).toBe('auth');
  });

  it('tries the longest path first, whatever it matches (the ingress-nginx guide’s warning)', () => {
    const guide = serverFor([
      buildIngress(
        'guide',
        [
          ['/foo/bar/bar', 'ImplementationSpecific', 'exact-looking'],
          ['/foo/bar/[A-Z0-9]{3}', 'ImplementationSpecific', 'regex'],
        ],
        { annotations: USE_REGEX },
      ),
    ]);

    expect(serviceFor(guide, '/foo/bar/bar')).toBe('regex');
  });

  it('leaves other hosts and Ingresses of other classes alone', () => {
    const objects = [
      api,
      buildIngress('elsewhere', [['/x/[0-9]+', 'ImplementationSpecific', 'x']], {
        host: 'other.test',
        annotations: USE_REGEX,
      }),
      buildIngress('traefik', [['/api/users/[a-z]+', 'ImplementationSpecific', 'y']], {
        className: 'traefik',
        annotations: USE_REGEX,
      }),
    ];

    const server = serverFor(objects);

    expect(server.regex).toBe(false);
    expect(serviceFor(server, '/api/usersx')).toBe('client');
  });
});
