/**
 * `npm run seed [url]`: seeds the stack at `url` (default `SEED_URL`, else http://localhost:3000, where
 * `npm start` puts its gateway) and says what it added.
 */
import { seed } from './seed';
import { SELLERS } from './sample-catalogue';

async function main(): Promise<void> {
  const baseUrl = (process.argv[2] ?? process.env.SEED_URL ?? 'http://localhost:3000').replace(
    /\/$/,
    '',
  );
  const added = await seed(baseUrl);
  process.stdout.write(
    `seeded ${baseUrl}: ${added.events} new events, ${added.listings} new listings from ` +
      `${added.sellers} sample sellers (sign in as ${SELLERS[0]!.email} / ${SELLERS[0]!.password})\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `seed failed: ${err instanceof Error ? err.message : String(err)}\n` +
      'Is the stack running (npm start) and is the URL its gateway?\n',
  );
  process.exit(1);
});
