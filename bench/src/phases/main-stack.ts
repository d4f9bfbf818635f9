/**
 * Phase group `main`: the first stack, measured in this order — engine probe, read path, sign-in,
 * purchase race, end-to-end purchases, and the engine probe again once the collections have grown.
 */
import { log } from '../lib';
import { countDocs, withStack } from '../stack-run';
import { signUp } from '../users';
import { endToEndPhase } from './end-to-end.phase';
import { probeEngine } from './engine-probe.phase';
import { RACE_BUYERS, racePhase } from './purchase-race.phase';
import { readPath } from './read-path.phase';
import { signInPhase } from './sign-in.phase';

export function mainPhases(label: string, externalMongo: string | undefined, work: string) {
  return withStack(`${label}-main`, externalMongo, work, async ({ env }) => {
    log(`[${label}] engine probe: plain read vs single transaction`);
    const probeStart = await probeEngine(env);

    log(`[${label}] signing up users`);
    const sellers = await signUp(env, 4);
    const buyers = await signUp(env, RACE_BUYERS);

    // One seller lists them all, so that seller's own listing (`/mine`, never cached) is the same 100.
    const read = await readPath(label, env, sellers[0]!, work);
    const signin = await signInPhase(label, env, buyers[0]!);

    const race = await racePhase(label, env, sellers, buyers);
    const e2e = await endToEndPhase(label, env, sellers, buyers);

    log(`[${label}] engine probe again (collections have grown)`);
    const probeEnd = await probeEngine(env);
    const counts = await countDocs(env);
    return { probeStart, probeEnd, read, signin, race, e2e, counts };
  });
}
