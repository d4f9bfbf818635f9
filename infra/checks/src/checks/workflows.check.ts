/**
 * Workflows: every GitHub workflow parses and runs scripts, workspaces and binaries that exist
 * (src/workflows.ts), and every workspace skaffold builds an image from has its pull-request workflow.
 */
import { artifactWorkspace } from '../artifacts';
import { problem, type Problem } from '../problems';
import { exists, readText } from '../repo';
import type { Repository } from '../repository';
import { checkWorkflows } from '../workflows';

export function checkGithubWorkflows(repo: Repository): Problem[] {
  const problems = checkWorkflows(repo.root);
  // One pull-request workflow per built workspace, watching that workspace (and common, which it uses).
  for (const artifact of repo.skaffold.artifacts.filter((a) => !a.profile)) {
    const ws = artifactWorkspace(artifact);
    if (!ws) continue; // no workspace to watch: the build-args check names the missing SERVICE
    const file = `.github/workflows/${ws.split('/').pop()}.yml`;
    if (!exists(repo.root, file)) {
      problems.push(problem(file, '(file)', `${ws} has an image but no pull-request workflow`));
      continue;
    }
    const text = readText(repo.root, file);
    if (!text.includes(`${ws}/**`)) {
      problems.push(problem(file, 'on.pull_request.paths', `does not watch ${ws}/**`));
    }
  }
  return problems;
}
