/**
 * A service's answers held against its own OpenAPI document (the API's harness and the engine's
 * sidecar tests both use it): every response a test receives must be a status its operation lists,
 * with a body that matches the schema given for it. A drift between the routes and what
 * /openapi.json promises integrators fails the test that saw it. (ajv for JSON Schema 2020-12, which
 * OpenAPI 3.1 uses.)
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

export interface Contract {
  /** Null when the answer keeps the document's promise, else what is wrong (operation, status, first errors). */
  check(
    method: string,
    path: string,
    status: number,
    contentType: string | null,
    body: unknown,
    text: string,
  ): string | null;
}

function contractOf(doc: OpenApi): Contract {
  // The document is one schema resource: response schemas are referred to by JSON pointer into it,
  // so their $refs to #/components/schemas resolve as they do for an integrator.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(doc as object, "openapi");
  const routes = Object.entries(doc.paths).map(([template, methods]) => ({
    template,
    pattern: new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, "[^/]+")}$`,
    ),
    methods,
  }));
  const compiled = new Map<string, ValidateFunction>();
  const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
  return {
    check(method, path, status, contentType, body, text) {
      const bare = path.split("?")[0]!;
      const route = routes.find((r) => r.pattern.test(bare));
      const op = route?.methods[method.toLowerCase()];
      if (!route || !op) return null; // not an operation of the document (/docs, /openapi.json)
      const name = `${method} ${route.template}`;
      const responses = op.responses ?? {};
      const key =
        String(status) in responses
          ? String(status)
          : `${String(status)[0]}XX` in responses
            ? `${String(status)[0]}XX`
            : "default" in responses
              ? "default"
              : null;
      if (key === null)
        return (
          `${name} answered ${status}, which its operation does not list (it ` +
          `lists ${Object.keys(responses).join(", ")})`
        );
      const media = contentType?.split(";")[0]?.trim() ?? null;
      const content = responses[key]!.content;
      if (!content || media === null || !(media in content) || content[media]!.schema === undefined) return null;
      const at = pointer("paths", route.template, method.toLowerCase(), "responses", key, "content", media, "schema");
      const ref = `openapi#/${at}`;
      let validate = compiled.get(ref);
      if (!validate) {
        validate = ajv.compile({ $ref: ref });
        compiled.set(ref, validate);
      }
      // JSON bodies are checked as parsed; anything else (text/csv) as its text.
      if (validate(/\bjson\b/.test(media) ? body : text)) return null;
      const errors = (validate.errors ?? [])
        .slice(0, 3)
        .map(
          (e) =>
            `${e.instancePath || "/"} ${e.message}` +
            `${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`,
        );
      return `${name} ${status}: the body does not match its schema: ${errors.join("; ")}`;
    },
  };
}

/** The contract of the service at `baseUrl`, read from its own `/openapi.json`. */
export async function contractAt(baseUrl: string, headers: Record<string, string> = {}): Promise<Contract> {
  const res = await fetch(`${baseUrl}/openapi.json`, { headers });
  if (!res.ok) throw new Error(`${baseUrl}/openapi.json answered ${res.status}`);
  // The document's shape is checked by the client package's validators (client/scripts); here it is trusted.
  return contractOf((await res.json()) as OpenApi);
}
