import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

// ajv-formats is CommonJS: its function is the module itself, or its `default` under ESM interop.
const addFormats = ((formats as unknown as { default?: unknown }).default ?? formats) as unknown as (ajv: Ajv) => Ajv;

type Schema = Record<string, unknown>;
interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

/** An OpenAPI 3.0 schema as JSON Schema for Ajv: `nullable` becomes "or null", refs point into one registered document. */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (key === 'example' || key === 'examples' || key === 'nullable' || key === 'xml' || key === 'externalDocs') continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace(/^#\//, 'openapi#/');
    else if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, toJsonSchema(property)]));
    } else out[key] = toJsonSchema(value);
  }
  if ((schema as Schema).nullable === true) {
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/**
 * Checks answers against the OpenAPI document the app serves: the status must be documented for the
 * operation, and a JSON body must match the documented schema. Paths the document does not have
 * (the pages, unknown routes) are not checked.
 */
export class ResponseValidator {
  private readonly operations: Operation[] = [];
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: { paths: Record<string, Record<string, { responses: Operation['responses'] }>>; components?: Schema }) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi', components: toJsonSchema(document.components ?? {}) } as Schema);
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const source = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{[^/]+?\\\}/g, '[^/]+');
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}/?$`, 'i'),
          params: (template.match(/\{/g) ?? []).length,
          responses: operation.responses,
        });
      }
    }
  }

  /** The problem with an answer, or undefined when it is as documented. */
  check(method: string, url: string, status: number, contentType: string | undefined, body: unknown): string | undefined {
    const raw = new URL(url, 'http://x').pathname;
    let path = raw;
    try {
      path = decodeURI(raw);
    } catch {
      // a malformed percent-encoding: matched as it is
    }
    const candidates = this.operations.filter((op) => op.method === method.toUpperCase() && op.pattern.test(path)).sort((a, b) => a.params - b.params);
    const operation = candidates[0];
    if (!operation) return undefined;
    const where = `${method.toUpperCase()} ${operation.template} → ${status}`;
    const response = operation.responses[String(status)] ?? operation.responses.default;
    // Any GET may answer 304 to a conditional request (If-None-Match against its ETag).
    if (status === 304 && operation.method === 'GET') return undefined;
    if (!response) return `${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})`;
    if (!contentType?.includes('json') || status === 204 || status === 304) return undefined;
    const schema = response.content?.['application/json']?.schema;
    if (!schema) return `${where}: a JSON body, but the document gives no JSON schema (${JSON.stringify(response).slice(0, 300)})`;
    const key = `${operation.method} ${operation.template} ${status}`;
    const validate = this.compiled.get(key) ?? this.ajv.compile(toJsonSchema(schema) as Schema);
    this.compiled.set(key, validate);
    if (validate(body)) return undefined;
    return `${where}: the body does not match the document: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}\n${JSON.stringify(body).slice(0, 600)}`;
  }
}
