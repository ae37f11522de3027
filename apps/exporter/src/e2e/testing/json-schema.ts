import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is typed as the module object.
const addFormats = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

/** Compiles a JSON Schema with ajv in strict mode (unknown keywords or formats are errors). */
export function compileSchema(schema: object): ValidateFunction {
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** ajv's errors, one per line, with their paths. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`).join('\n');
}
