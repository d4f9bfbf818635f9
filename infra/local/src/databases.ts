/**
 * Each service's own database: its URI on a shared server (`withDatabase`), and connections to read a
 * running stack's state from tests and tools.
 */
import mongoose from 'mongoose';

/**
 * Points a MongoDB URI at another database, keeping hosts, credentials and options, so one external
 * server can hold every service's own database as the cluster does.
 */
export function withDatabase(uri: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error('MONGO_URI must look like mongodb://host[:port][/db][?options]');
  return `${match[1]}/${database}${match[2] ?? ''}`;
}

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
