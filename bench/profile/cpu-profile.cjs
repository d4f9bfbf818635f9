/**
 * A V8 CPU profile of chosen services while the bench runs. Node refuses `--cpu-prof` in NODE_OPTIONS,
 * so this preload starts the inspector's profiler in each process whose script is one of
 * `BENCH_PROFILE`'s services and writes `bench/profiles/<service>-<pid>.cpuprofile` when the process
 * exits (the stack stops every service gracefully). Open the file in Chrome DevTools (Performance).
 *
 *   BENCH_PROFILE=tickets,orders BENCH_PHASES=write \
 *     NODE_OPTIONS="--require $PWD/bench/profile/cpu-profile.cjs" npm run bench -w bench
 */
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const wanted = (process.env.BENCH_PROFILE ?? '').split(',').filter(Boolean);
const script = process.argv[1] ?? '';
const service = wanted.find((name) =>
  script.includes(`${path.sep}${name}${path.sep}dist${path.sep}`),
);

if (service) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // A same-thread inspector session answers synchronously, so this works inside 'exit'.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      const dir = path.join(__dirname, '..', 'profiles');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, `${service}-${process.pid}.cpuprofile`),
        JSON.stringify(result.profile),
      );
    });
  });
}
