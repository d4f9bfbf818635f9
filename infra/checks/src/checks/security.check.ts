/**
 * Security: every workload runs under the restricted Pod Security profile with a read-only root file
 * system, no host namespaces or host paths, and CPU and memory requests and limits on every container.
 */
import { isRecord, problem, type Problem } from '../problems';
import type { Repository } from '../repository';
import { at, containersOf, podTemplate } from '../workloads';

export function checkSecurity(repo: Repository): Problem[] {
  const problems: Problem[] = [];
  for (const r of repo.objects) {
    const pod = podTemplate(r.object);
    if (!pod) continue;
    const podSecurity = isRecord(pod.spec.securityContext) ? pod.spec.securityContext : {};
    for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (pod.spec[key] === true)
        problems.push(problem(r.file, at(r, [...pod.at, key]), 'not allowed'));
    }
    for (const { container, at: path } of containersOf(pod)) {
      const sc = container.securityContext ?? {};
      const scAt = (key: string) => at(r, [...path, 'securityContext', key]);
      if (sc.runAsNonRoot !== true && podSecurity.runAsNonRoot !== true)
        problems.push(problem(r.file, scAt('runAsNonRoot'), 'must be true (here or on the pod)'));
      for (const uid of [sc.runAsUser, podSecurity.runAsUser]) {
        if (uid === 0) problems.push(problem(r.file, scAt('runAsUser'), 'must not be 0'));
      }
      const seccomp = (
        isRecord(sc.seccompProfile)
          ? sc.seccompProfile
          : isRecord(podSecurity.seccompProfile)
            ? podSecurity.seccompProfile
            : {}
      ) as { type?: string };
      if (seccomp.type !== 'RuntimeDefault' && seccomp.type !== 'Localhost')
        problems.push(
          problem(r.file, scAt('seccompProfile'), 'must be RuntimeDefault (here or on the pod)'),
        );
      if (sc.allowPrivilegeEscalation !== false)
        problems.push(problem(r.file, scAt('allowPrivilegeEscalation'), 'must be false'));
      if (sc.privileged === true)
        problems.push(problem(r.file, scAt('privileged'), 'must not be true'));
      if (sc.readOnlyRootFilesystem !== true)
        problems.push(
          problem(
            r.file,
            scAt('readOnlyRootFilesystem'),
            'must be true (mount an emptyDir where the program writes)',
          ),
        );
      const caps = isRecord(sc.capabilities) ? sc.capabilities : {};
      if (!Array.isArray(caps.drop) || !caps.drop.includes('ALL'))
        problems.push(problem(r.file, `${scAt('capabilities')}.drop`, 'must include ALL'));
      if (Array.isArray(caps.add) && caps.add.length > 0)
        problems.push(problem(r.file, `${scAt('capabilities')}.add`, 'must be empty'));
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          if (container.resources?.[kind]?.[resource] === undefined) {
            problems.push(
              problem(r.file, at(r, [...path, 'resources', kind, resource]), 'must be set'),
            );
          }
        }
      }
    }
    (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).forEach((v: unknown, i) => {
      if (isRecord(v) && v.hostPath !== undefined)
        problems.push(problem(r.file, at(r, [...pod.at, 'volumes', i, 'hostPath']), 'not allowed'));
    });
  }
  return problems;
}
