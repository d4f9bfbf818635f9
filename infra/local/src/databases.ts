import mongoose from 'mongoose';

/** One lazily opened connection per service database, for tests and tools that inspect a stack's state. */
export interface ServiceDatabases {
  db(service: string): mongoose.Connection;
  close(): Promise<void>;
}

export function serviceDatabases(
  uriFor: (service: string) => string,
  options: mongoose.ConnectOptions = {},
): ServiceDatabases {
  const connections = new Map<string, mongoose.Connection>();
  return {
    db(service) {
      let conn = connections.get(service);
      if (!conn) {
        // Polling monitoring: jongodb's streaming heartbeat breaks the driver.
        conn = mongoose.createConnection(uriFor(service), {
          serverMonitoringMode: 'poll',
          ...options,
        });
        connections.set(service, conn);
      }
      return conn;
    },
    async close() {
      for (const conn of connections.values()) await conn.close().catch(() => undefined);
      connections.clear();
    },
  };
}
