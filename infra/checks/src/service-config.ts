/**
 * What a service needs from its environment, read from the service itself: its zod `configSchema`
 * (src/config.ts) is imported and each variable is asked whether it accepts "unset", so the list of
 * required variables is never a copy that drifts from the code. Also whether its entry point starts
 * through common's runService (and so serves common's probe paths).
 */
import { join } from 'node:path';
import ts from 'typescript';
import { exists, readText } from './repo';

interface FieldSchema {
  safeParse(value: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } };
}

export interface ServiceConfig {
  file: string;
  fields: Map<string, FieldSchema>;
  required: string[];
}

export function configFile(workspace: string): string {
  return `${workspace}/src/config.ts`;
}

export function loadServiceConfig(root: string, workspace: string): ServiceConfig | undefined {
  const file = configFile(workspace);
  if (!exists(root, file)) return undefined;
  // Loaded through jest's transform (ts-jest), with @ticketing/common mapped to its sources; the
  // path is only known at run time, hence require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(root, file)) as {
    configSchema?: { shape?: Record<string, FieldSchema> };
  };
  const shape = mod.configSchema?.shape;
  if (!shape) throw new Error(`${file} does not export a zod object named configSchema`);
  const fields = new Map(Object.entries(shape));
  const required = [...fields]
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([name]) => name);
  return { file, fields, required };
}

/** Why a literal value would be refused at start-up, or undefined when it is accepted. */
export function rejectValue(
  config: ServiceConfig,
  name: string,
  value: string,
): string | undefined {
  const schema = config.fields.get(name);
  if (!schema) return undefined;
  // loadConfig treats an empty variable as unset.
  const result = schema.safeParse(value === '' ? undefined : value);
  return result.success ? undefined : (result.error?.issues[0]?.message ?? 'rejected');
}

/**
 * Whether a service's entry point (src/index.ts) starts through common's `runService`, read from its
 * source: a call to `runService` imported from '@ticketing/common'.
 */
export function startsWithRunService(root: string, workspace: string): boolean {
  const file = `${workspace}/src/index.ts`;
  if (!exists(root, file)) return false;
  const source = ts.createSourceFile(file, readText(root, file), ts.ScriptTarget.ES2022, true);
  let imported = false;
  let called = false;
  const visit = (node: ts.Node) => {
    if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      node.moduleSpecifier.text === '@ticketing/common' &&
      node.importClause?.namedBindings &&
      ts.isNamedImports(node.importClause.namedBindings) &&
      node.importClause.namedBindings.elements.some((e) => e.name.text === 'runService')
    ) {
      imported = true;
    }
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'runService'
    ) {
      called = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return imported && called;
}
