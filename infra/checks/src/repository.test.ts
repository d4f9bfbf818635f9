// The repository as it stands passes every check, and skaffold builds the image of every service.
import { CHECKS } from './checks';
import { formatProblems } from './problems';
import { REPO_ROOT } from './repo';
import { loadRepository, type Repository } from './repository';

describe('the repository', () => {
  let repo: Repository;
  beforeAll(() => {
    repo = loadRepository(REPO_ROOT);
  });

  it.each(Object.entries(CHECKS))('passes: %s', (_name, check) => {
    const problems = check(repo);

    expect(formatProblems(problems)).toBe('');
  });

  it('reads every service workspace as a skaffold artifact with a Dockerfile', () => {
    const images = repo.skaffold.artifacts.filter((a) => !a.profile).map((a) => a.image);

    expect(images).toEqual([
      'ticketing/auth',
      'ticketing/tickets',
      'ticketing/orders',
      'ticketing/payments',
      'ticketing/expiration',
      'ticketing/client',
    ]);
  });
});
