/**
 * `fetch` for the engine's tests, holding every answer against the sidecar's own /openapi.json
 * (the checker the API's harness uses, from @lifeloop/shared/testing): a status the operation does
 * not list, or a body that is not its schema, throws in the test that received it. The response is
 * handed back unread, so a test reads it as before.
 */
import { type Contract, contractAt } from "@lifeloop/shared/testing";

export function checkedFetch(): typeof fetch {
  const contracts = new Map<string, Promise<Contract>>();
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === "/openapi.json") return res;
    let contract = contracts.get(url.origin);
    if (!contract) {
      contract = contractAt(url.origin);
      contracts.set(url.origin, contract);
    }
    const text = await res.clone().text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined; // not JSON (metrics, CSV): checked as its text
    }
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    const broken = (await contract).check(
      method,
      url.pathname,
      res.status,
      res.headers.get("content-type"),
      body,
      text,
    );
    if (broken !== null) throw new Error(`the engine broke its OpenAPI document: ${broken}`);
    return res;
  };
}
